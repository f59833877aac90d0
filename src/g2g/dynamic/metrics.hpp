// What the grid sees: metrics of a grid-power signal sampled at the integrator's steps and
// events (non-uniform t, P; the signal is their linear interpolation), never on a fixed output
// grid (docs/dynamic.md, "Metrics"). They accumulate sample by sample: peak, minimum and ramps
// in memory bounded by the ramp window, the spectrum in the signal resampled at a fixed rate.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "g2g/dynamic/piecewise_linear.hpp"

namespace g2g::dynamic {

// [low_hz, high_hz); max_share is a mask limit on the band's share of the AC energy.
struct FrequencyBand {
  double low_hz = 0.0;
  double high_hz = 0.0;
  std::optional<double> max_share;  // e.g. 0.2 for "at most 20 %"; none: reported only
};

// < 1 Hz, 1-2.5 Hz, 2.5-7 Hz, 7-20 Hz (issue 14's bands), without limits: a utility's mask is
// site data, and no public source gives one number for every site.
[[nodiscard]] std::vector<FrequencyBand> default_bands();

struct MetricsOptions {
  double ramp_window_s = not_given;  // w: ramps are (P(t + w) - P(t)) / w; required
  std::vector<FrequencyBand> bands = default_bands();
  // The spectrum's uniform rate is resample_factor × the highest band edge (20 Hz -> 400 Hz).
  double resample_factor = 20.0;
  // The averaging window of the demand (utilities bill the largest 15-min mean); none: no
  // averaged demand.
  std::optional<double> demand_window_s;
};

struct Ramp {
  double rate_w_per_s = 0.0;  // (P(start + w) - P(start)) / w: > 0 up, < 0 down
  double start_s = 0.0;
};

struct BandEnergy {
  FrequencyBand band;
  double share = 0.0;  // of the AC energy (mean removed), 0 to 1
  bool within_limit = true;
};

struct PowerMetrics {
  std::size_t samples = 0;
  double t_begin_s = 0.0;
  double t_end_s = 0.0;
  double peak_w = 0.0;
  double peak_time_s = 0.0;  // the first time it is reached
  double min_w = 0.0;
  double min_time_s = 0.0;
  double range_w = 0.0;                // peak - min
  double range_percent_of_peak = 0.0;  // 100 · range / peak (0 when the peak is 0)
  double mean_w = 0.0;                 // ∫ P dt / duration
  double ramp_window_s = 0.0;
  std::optional<Ramp> largest_ramp_up;    // none when the run is shorter than the window
  std::optional<Ramp> largest_ramp_down;  // rate_w_per_s < 0
  double resample_rate_hz = 0.0;
  std::size_t resampled_points = 0;  // the spectrum's memory: one double each
  std::vector<BandEnergy> bands;     // empty when fewer than 8 resampled points
  double share_above_bands = 0.0;    // AC energy above the highest band edge
  bool mask_met = true;              // every band within its limit
  // The largest mean of P over [t - demand_window_s, t] at the sample times t a whole window
  // after the start; none when not asked for or the run is shorter than the window.
  std::optional<double> peak_demand_w;
};

// Accumulates the metrics sample by sample. Samples come in time order (two at one time are a
// jump, as at an event).
class PowerMetricsAccumulator {
 public:
  // Throws InvalidInput (subject "ramp_window_s", "bands" or "resample_factor").
  explicit PowerMetricsAccumulator(MetricsOptions options);

  // Throws InvalidInput (subject "sample") for a time before the last or a non-finite value.
  void add(double t_s, double p_w);
  // Throws InvalidInput (subject "samples") with fewer than two samples or zero duration.
  [[nodiscard]] PowerMetrics result() const;

 private:
  struct Sample {
    double t_s;
    double p_w;
  };
  void update_ramps(const Sample& previous, const Sample& sample);
  void resample(const Sample& previous, const Sample& sample);
  void update_demand(const Sample& sample);

  MetricsOptions options_;
  double resample_rate_hz_ = 0.0;
  std::size_t samples_ = 0;
  Sample first_{0.0, 0.0};
  Sample last_{0.0, 0.0};
  Sample peak_{0.0, 0.0};
  Sample min_{0.0, 0.0};
  double energy_j_ = 0.0;
  // Ramps: the samples from the last one at or before t - w on (bounded by the window).
  std::deque<Sample> window_;
  std::size_t next_start_ = 0;  // first sample in window_ whose ramp from t_i is not yet known
  std::optional<Ramp> up_;
  std::optional<Ramp> down_;
  // Spectrum: averages of P over consecutive 1/rate intervals from the first sample.
  std::vector<double> bin_means_w_;
  double bin_integral_j_ = 0.0;
  // Averaged demand: the samples from the last one at or before t - window on, with the energy
  // up to each; the largest window mean so far.
  struct EnergySample {
    double t_s;
    double p_w;
    double energy_j;
  };
  std::deque<EnergySample> demand_;
  std::optional<double> peak_demand_w_;
};

// The metrics of samples t_s[i], p_w[i] (equal lengths), through the accumulator.
[[nodiscard]] PowerMetrics power_metrics(std::span<const double> t_s, std::span<const double> p_w,
                                         const MetricsOptions& options);

}  // namespace g2g::dynamic
