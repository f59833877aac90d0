// A recorded signal for plots in bounded memory: its min/max envelope per time bucket (one bucket
// per pixel or so), streamed sample by sample from the integrator's non-uniform steps, with a
// coarse-to-fine pyramid of levels (2× more buckets each) so that a page can show finer detail
// when zoomed in, without the raw samples. docs/dynamic.md, "Outputs".
//
// Between two samples the signal is their linear interpolation (as in metrics.hpp): where a step
// crosses bucket boundaries, the interpolated values at the boundaries count in the buckets on
// both sides, so every bucket between the first and the last sample holds the signal's exact
// range over its time span, and the band drawn from the buckets is continuous.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace g2g::dynamic {

// One level of an envelope: buckets of bucket_s seconds, those without any part of the signal
// left out. t_s is the middle of the part of the bucket the signal covers.
struct EnvelopeLevel {
  double bucket_s = 0.0;
  std::vector<double> t_s;
  std::vector<double> min;
  std::vector<double> max;
};

struct Envelope {
  std::string name;   // e.g. "grid power", "bus 'hall/dc' voltage"
  std::string unit;   // SI unit of min and max: "W", "V", "" (a state of charge, 0 to 1)
  std::string group;  // the chart it is drawn on: "Grid power", "Bus voltages", "Storage SOC"
  std::vector<EnvelopeLevel> levels;  // coarsest first, each with twice the buckets of the last
};

// The pyramid's default size: the coarsest level at 2,000 buckets (a wide chart's pixels), and at
// most 65,536 points per signal over all levels (5 levels: 2,000 ... 32,000 buckets, 62,000
// points, 512 KiB of buckets while the run streams in).
inline constexpr std::size_t default_coarsest_buckets = 2000;
inline constexpr std::size_t default_max_envelope_points = 65536;

// The most levels a pyramid of `coarsest_buckets` can have within `max_points` (at least 1).
[[nodiscard]] std::size_t pyramid_levels(std::size_t coarsest_buckets, std::size_t max_points);

class EnvelopeBuilder {
 public:
  // `buckets` at the coarsest level over [t_begin_s, t_end_s], `levels` levels: the finest has
  // buckets · 2^(levels - 1) buckets, and only it is kept (2 doubles a bucket); coarser levels are
  // merged from it by finish(). Throws InvalidInput (subject "envelope") for an empty or
  // non-finite time span, no buckets or no level.
  EnvelopeBuilder(double t_begin_s, double t_end_s, std::size_t buckets, std::size_t levels = 1);

  // Samples in time order (two at one time are a jump, as at an event). Throws InvalidInput
  // (subject "sample") for a time outside [t_begin_s, t_end_s] or before the last sample, or a
  // non-finite value.
  void add(double t_s, double value);

  // The envelope so far (the builder can go on).
  [[nodiscard]] Envelope finish(std::string name, std::string unit, std::string group = {}) const;

  [[nodiscard]] std::size_t finest_buckets() const noexcept { return min_.size(); }
  [[nodiscard]] std::size_t samples() const noexcept { return samples_; }

 private:
  [[nodiscard]] std::size_t bucket_of(double t_s) const noexcept;
  [[nodiscard]] double boundary_s(std::size_t index) const noexcept;
  void include(std::size_t bucket, double value) noexcept;

  double t_begin_s_;
  double t_end_s_;
  std::size_t coarsest_buckets_;
  std::size_t levels_;
  double bucket_s_;          // at the finest level
  std::vector<double> min_;  // per finest bucket; +inf while empty
  std::vector<double> max_;  // -inf while empty
  std::size_t samples_ = 0;
  double first_t_s_ = 0.0;
  double last_t_s_ = 0.0;
  double last_value_ = 0.0;
};

}  // namespace g2g::dynamic
