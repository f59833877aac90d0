#include "g2g/dynamic/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <unsupported/Eigen/FFT>

#include "g2g/core/error.hpp"

namespace g2g::dynamic {
namespace {

double interpolate(double t0_s, double p0_w, double t1_s, double p1_w, double t_s) noexcept {
  if (t1_s == t0_s) return p1_w;
  return p0_w + (p1_w - p0_w) * ((t_s - t0_s) / (t1_s - t0_s));
}

// The smallest n' >= n whose only prime factors are 2, 3 and 5: kissfft (Eigen's FFT back-end)
// is fast for those, slow for a large prime.
std::size_t fft_friendly_size(std::size_t n) {
  for (std::size_t m = std::max<std::size_t>(n, 1);; ++m) {
    std::size_t r = m;
    for (const std::size_t f : {2U, 3U, 5U}) {
      while (r % f == 0) r /= f;
    }
    if (r == 1) return m;
  }
}

}  // namespace

std::vector<FrequencyBand> default_bands() {
  return {{0.0, 1.0, {}}, {1.0, 2.5, {}}, {2.5, 7.0, {}}, {7.0, 20.0, {}}};
}

PowerMetricsAccumulator::PowerMetricsAccumulator(MetricsOptions options)
    : options_(std::move(options)) {
  if (!(std::isfinite(options_.ramp_window_s) && options_.ramp_window_s > 0.0)) {
    throw InvalidInput("ramp_window_s",
                       fmt::format("the ramp window must be a time greater than zero, got {} s",
                                   options_.ramp_window_s),
                       "state the window the ramp limit is written over, e.g. 1 s");
  }
  if (options_.bands.empty()) {
    throw InvalidInput("bands", "no frequency bands", "give at least one band, or default_bands()");
  }
  double top_hz = 0.0;
  for (const auto& band : options_.bands) {
    const bool ok = std::isfinite(band.high_hz) && band.low_hz >= 0.0 && band.high_hz > band.low_hz;
    const bool limit_ok = !band.max_share || (*band.max_share >= 0.0 && *band.max_share <= 1.0);
    if (!ok || !limit_ok) {
      throw InvalidInput("bands",
                         fmt::format("band [{}, {}) Hz (limit {}) is not a band", band.low_hz,
                                     band.high_hz, band.max_share.value_or(1.0)),
                         "give 0 <= low_hz < high_hz, and a max_share within 0 to 1");
    }
    top_hz = std::max(top_hz, band.high_hz);
  }
  if (!(std::isfinite(options_.resample_factor) && options_.resample_factor >= 2.0)) {
    throw InvalidInput("resample_factor",
                       fmt::format("the resampling factor must be at least 2 (Nyquist), got {}",
                                   options_.resample_factor),
                       "keep the default, 20");
  }
  resample_rate_hz_ = options_.resample_factor * top_hz;
  if (options_.demand_window_s &&
      !(std::isfinite(*options_.demand_window_s) && *options_.demand_window_s > 0.0)) {
    throw InvalidInput("demand_window_s",
                       fmt::format("the demand window must be a time greater than zero, got {} s",
                                   *options_.demand_window_s),
                       "e.g. 900 s, the 15-min demand utilities bill");
  }
}

void PowerMetricsAccumulator::add(double t_s, double p_w) {
  if (!std::isfinite(t_s) || !std::isfinite(p_w)) {
    throw InvalidInput(
        "sample", fmt::format("sample {} is not finite (t = {} s, P = {} W)", samples_, t_s, p_w),
        "pass finite times and powers");
  }
  const Sample sample{t_s, p_w};
  if (samples_ == 0) {
    first_ = last_ = peak_ = min_ = sample;
    window_.push_back(sample);
    if (options_.demand_window_s) demand_.push_back({t_s, p_w, 0.0});
    ++samples_;
    return;
  }
  if (t_s < last_.t_s) {
    throw InvalidInput(
        "sample",
        fmt::format("sample {} goes back in time: {} s after {} s", samples_, t_s, last_.t_s),
        "pass the samples in time order");
  }
  const Sample previous = last_;
  if (p_w > peak_.p_w) peak_ = sample;
  if (p_w < min_.p_w) min_ = sample;
  energy_j_ += 0.5 * (previous.p_w + p_w) * (t_s - previous.t_s);
  update_ramps(previous, sample);
  resample(previous, sample);
  if (options_.demand_window_s) update_demand(sample);
  last_ = sample;
  ++samples_;
}

// The mean over [t - w, t] is (E(t) - E(t - w)) / w; E(t - w) is exact for the linear
// interpolation (a quadratic within the sample interval holding t - w).
void PowerMetricsAccumulator::update_demand(const Sample& sample) {
  const double w = *options_.demand_window_s;
  demand_.push_back({sample.t_s, sample.p_w, energy_j_});
  const double start_s = sample.t_s - w;
  if (start_s < first_.t_s) return;
  while (demand_.size() >= 2 && demand_[1].t_s <= start_s) demand_.pop_front();
  const EnergySample& a = demand_[0];
  double energy_start_j = a.energy_j;
  if (demand_.size() >= 2 && demand_[1].t_s > a.t_s) {
    const EnergySample& b = demand_[1];
    const double dt_s = start_s - a.t_s;
    const double slope_w_per_s = (b.p_w - a.p_w) / (b.t_s - a.t_s);
    energy_start_j += a.p_w * dt_s + 0.5 * slope_w_per_s * dt_s * dt_s;
  }
  const double mean_w = (energy_j_ - energy_start_j) / w;
  if (!peak_demand_w_ || mean_w > *peak_demand_w_) peak_demand_w_ = mean_w;
}

// g(τ) = P(τ + w) - P(τ) is piecewise linear in τ with breakpoints at the sample times t_i and
// at t_j - w, so its extremes are at those τ. Each sample brings the candidates it completes:
// τ = t_i for the samples with t_i + w in (t_prev, t_new], and τ = t_new - w.
void PowerMetricsAccumulator::update_ramps(const Sample& previous, const Sample& sample) {
  const double w = options_.ramp_window_s;
  auto consider = [&](double start_s, double rise_w) {
    const double rate = rise_w / w;
    if (!up_ || rate > up_->rate_w_per_s) up_ = Ramp{rate, start_s};
    if (!down_ || rate < down_->rate_w_per_s) down_ = Ramp{rate, start_s};
  };
  window_.push_back(sample);
  while (next_start_ + 1 < window_.size() && window_[next_start_].t_s + w <= sample.t_s) {
    const Sample& start = window_[next_start_];
    const double end_s = start.t_s + w;  // in [previous.t_s, sample.t_s]
    consider(start.t_s,
             interpolate(previous.t_s, previous.p_w, sample.t_s, sample.p_w, end_s) - start.p_w);
    ++next_start_;
  }
  const double start_s = sample.t_s - w;
  if (start_s < first_.t_s) return;
  // Keep the last sample at or before start_s and everything after (its ramps all known).
  while (window_.size() >= 2 && window_[1].t_s <= start_s && next_start_ >= 1) {
    window_.pop_front();
    --next_start_;
  }
  const Sample& a = window_[0];
  const Sample& b = window_[1];
  consider(start_s, sample.p_w - interpolate(a.t_s, a.p_w, b.t_s, b.p_w, start_s));
}

// Box averages over [t_first + i/rate, t_first + (i+1)/rate): exact integrals of the linear
// interpolation, which also filter what lies above the rate before it is sampled.
void PowerMetricsAccumulator::resample(const Sample& previous, const Sample& sample) {
  const double dt_s = 1.0 / resample_rate_hz_;
  double t_s = previous.t_s;
  while (t_s < sample.t_s) {
    // (i + 1) / rate, not (i + 1) · dt: exact where the run ends on a whole bin (20 s at 400 Hz).
    const double bin_end_s =
        first_.t_s + static_cast<double>(bin_means_w_.size() + 1) / resample_rate_hz_;
    const double until_s = std::min(sample.t_s, bin_end_s);
    const double p_a = interpolate(previous.t_s, previous.p_w, sample.t_s, sample.p_w, t_s);
    const double p_b = interpolate(previous.t_s, previous.p_w, sample.t_s, sample.p_w, until_s);
    bin_integral_j_ += 0.5 * (p_a + p_b) * (until_s - t_s);
    t_s = until_s;
    if (sample.t_s >= bin_end_s) {
      bin_means_w_.push_back(bin_integral_j_ / dt_s);
      bin_integral_j_ = 0.0;
    }
  }
}

PowerMetrics PowerMetricsAccumulator::result() const {
  if (samples_ < 2 || !(last_.t_s > first_.t_s)) {
    throw InvalidInput("samples",
                       fmt::format("{} sample(s) over {} s: no signal to measure", samples_,
                                   last_.t_s - first_.t_s),
                       "record at least two samples at different times");
  }
  PowerMetrics m;
  m.samples = samples_;
  m.t_begin_s = first_.t_s;
  m.t_end_s = last_.t_s;
  m.peak_w = peak_.p_w;
  m.peak_time_s = peak_.t_s;
  m.min_w = min_.p_w;
  m.min_time_s = min_.t_s;
  m.range_w = peak_.p_w - min_.p_w;
  m.range_percent_of_peak = peak_.p_w != 0.0 ? 100.0 * m.range_w / peak_.p_w : 0.0;
  m.mean_w = energy_j_ / (last_.t_s - first_.t_s);
  m.ramp_window_s = options_.ramp_window_s;
  m.largest_ramp_up = up_;
  m.largest_ramp_down = down_;
  m.resample_rate_hz = resample_rate_hz_;
  m.resampled_points = bin_means_w_.size();
  m.peak_demand_w = peak_demand_w_;

  const std::size_t n = bin_means_w_.size();
  if (n < 8) return m;
  // AC part, Hann window (sin², symmetric), zero-padded to an FFT-friendly length.
  double mean_w = 0.0;
  for (const double x : bin_means_w_) mean_w += x;
  mean_w /= static_cast<double>(n);
  const std::size_t size = fft_friendly_size(n);
  std::vector<double> windowed(size, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double s =
        std::sin(std::numbers::pi * static_cast<double>(i) / static_cast<double>(n - 1));
    windowed[i] = (bin_means_w_[i] - mean_w) * s * s;
  }
  Eigen::FFT<double> fft;
  fft.SetFlag(Eigen::FFT<double>::HalfSpectrum);
  std::vector<std::complex<double>> spectrum;
  fft.fwd(spectrum, windowed);

  // One-sided energy per bin k >= 1 (the Nyquist bin of an even length counted once).
  const double bin_hz = resample_rate_hz_ / static_cast<double>(size);
  double total = 0.0;
  std::vector<double> energy(spectrum.size(), 0.0);
  for (std::size_t k = 1; k < spectrum.size(); ++k) {
    const bool nyquist = size % 2 == 0 && k == size / 2;
    energy[k] = (nyquist ? 1.0 : 2.0) * std::norm(spectrum[k]);
    total += energy[k];
  }
  double top_hz = 0.0;
  for (const auto& band : options_.bands) top_hz = std::max(top_hz, band.high_hz);
  double above = 0.0;
  for (const auto& band : options_.bands) {
    double in_band = 0.0;
    for (std::size_t k = 1; k < energy.size(); ++k) {
      const double f_hz = static_cast<double>(k) * bin_hz;
      if (f_hz >= band.low_hz && f_hz < band.high_hz) in_band += energy[k];
    }
    BandEnergy b;
    b.band = band;
    b.share = total > 0.0 ? in_band / total : 0.0;
    b.within_limit = !band.max_share || b.share <= *band.max_share;
    m.mask_met = m.mask_met && b.within_limit;
    m.bands.push_back(b);
  }
  for (std::size_t k = 1; k < energy.size(); ++k) {
    if (static_cast<double>(k) * bin_hz >= top_hz) above += energy[k];
  }
  m.share_above_bands = total > 0.0 ? above / total : 0.0;
  return m;
}

PowerMetrics power_metrics(std::span<const double> t_s, std::span<const double> p_w,
                           const MetricsOptions& options) {
  if (t_s.size() != p_w.size()) {
    throw InvalidInput("samples", fmt::format("{} times but {} powers", t_s.size(), p_w.size()),
                       "pass one power per time");
  }
  PowerMetricsAccumulator accumulator(options);
  for (std::size_t i = 0; i < t_s.size(); ++i) accumulator.add(t_s[i], p_w[i]);
  return accumulator.result();
}

}  // namespace g2g::dynamic
