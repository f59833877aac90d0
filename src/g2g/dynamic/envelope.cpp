// Min/max envelopes in bounded memory: see envelope.hpp.
#include "g2g/dynamic/envelope.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "g2g/core/error.hpp"

namespace g2g::dynamic {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// Beyond this the finest level alone would not fit in memory sensibly (2^26 buckets, 1 GiB).
constexpr std::size_t max_finest_buckets = std::size_t{1} << 26;

}  // namespace

std::size_t pyramid_levels(std::size_t coarsest_buckets, std::size_t max_points) {
  std::size_t levels = 1;
  std::size_t points = coarsest_buckets;  // over levels 0 .. levels - 1
  while (coarsest_buckets > 0 && points + (coarsest_buckets << levels) <= max_points &&
         (coarsest_buckets << levels) <= max_finest_buckets) {
    points += coarsest_buckets << levels;
    ++levels;
  }
  return levels;
}

EnvelopeBuilder::EnvelopeBuilder(double t_begin_s, double t_end_s, std::size_t buckets,
                                 std::size_t levels)
    : t_begin_s_(t_begin_s), t_end_s_(t_end_s), coarsest_buckets_(buckets), levels_(levels) {
  if (!std::isfinite(t_begin_s) || !std::isfinite(t_end_s) || !(t_end_s > t_begin_s))
    throw InvalidInput(
        "envelope",
        fmt::format("the time span [{}, {}] s is empty or not finite", t_begin_s, t_end_s),
        "give t_end_s > t_begin_s");
  if (buckets == 0 || levels == 0)
    throw InvalidInput("envelope", "no buckets or no level", "give at least one of each");
  if (levels > 26 || (buckets << (levels - 1)) > max_finest_buckets ||
      (buckets << (levels - 1)) >> (levels - 1) != buckets)
    throw InvalidInput("envelope",
                       fmt::format("{} buckets at {} levels is more than {} at the finest level",
                                   buckets, levels, max_finest_buckets),
                       "use fewer buckets or levels (pyramid_levels gives a bounded count)");
  const std::size_t finest = buckets << (levels - 1);
  bucket_s_ = (t_end_s - t_begin_s) / static_cast<double>(finest);
  min_.assign(finest, infinity);
  max_.assign(finest, -infinity);
}

std::size_t EnvelopeBuilder::bucket_of(double t_s) const noexcept {
  const double position = (t_s - t_begin_s_) / bucket_s_;
  const auto last = min_.size() - 1;
  if (!(position > 0.0)) return 0;
  return std::min(static_cast<std::size_t>(position), last);  // t_end_s is in the last bucket
}

double EnvelopeBuilder::boundary_s(std::size_t index) const noexcept {
  return t_begin_s_ + static_cast<double>(index) * bucket_s_;
}

void EnvelopeBuilder::include(std::size_t bucket, double value) noexcept {
  min_[bucket] = std::min(min_[bucket], value);
  max_[bucket] = std::max(max_[bucket], value);
}

void EnvelopeBuilder::add(double t_s, double value) {
  if (!std::isfinite(value) || !std::isfinite(t_s))
    throw InvalidInput("sample", fmt::format("value {} at t = {} s is not finite", value, t_s));
  if (t_s < t_begin_s_ || t_s > t_end_s_)
    throw InvalidInput("sample",
                       fmt::format("t = {} s lies outside the envelope's span [{}, {}] s", t_s,
                                   t_begin_s_, t_end_s_),
                       "give the span the run covers");
  if (samples_ > 0 && t_s < last_t_s_)
    throw InvalidInput("sample",
                       fmt::format("t = {} s comes before the last sample's {} s", t_s, last_t_s_),
                       "add samples in time order");
  const std::size_t bucket = bucket_of(t_s);
  if (samples_ > 0) {
    // The straight line from the last sample crosses the boundaries between their buckets: its
    // value there belongs to the buckets on both sides.
    const std::size_t from = bucket_of(last_t_s_);
    for (std::size_t boundary = from + 1; boundary <= bucket; ++boundary) {
      const double fraction = (boundary_s(boundary) - last_t_s_) / (t_s - last_t_s_);
      const double crossing = last_value_ + (value - last_value_) * std::clamp(fraction, 0.0, 1.0);
      include(boundary - 1, crossing);
      include(boundary, crossing);
    }
  } else {
    first_t_s_ = t_s;
  }
  include(bucket, value);
  ++samples_;
  last_t_s_ = t_s;
  last_value_ = value;
}

Envelope EnvelopeBuilder::finish(std::string name, std::string unit, std::string group) const {
  Envelope envelope{std::move(name), std::move(unit), std::move(group), {}};
  envelope.levels.resize(levels_);
  for (std::size_t level = 0; level < levels_; ++level) {
    // A bucket at `level` merges `width` finest buckets (bucket boundaries nest).
    const std::size_t width = std::size_t{1} << (levels_ - 1 - level);
    EnvelopeLevel& out = envelope.levels[level];
    out.bucket_s = bucket_s_ * static_cast<double>(width);
    const std::size_t count = coarsest_buckets_ << level;
    for (std::size_t b = 0; b < count; ++b) {
      double low = infinity;
      double high = -infinity;
      for (std::size_t k = b * width; k < (b + 1) * width; ++k) {
        low = std::min(low, min_[k]);
        high = std::max(high, max_[k]);
      }
      if (low > high) continue;  // no part of the signal in this bucket
      const double start = std::max(boundary_s(b * width), first_t_s_);
      const double end = std::min(boundary_s((b + 1) * width), last_t_s_);
      out.t_s.push_back(0.5 * (start + end));
      out.min.push_back(low);
      out.max.push_back(high);
    }
  }
  return envelope;
}

}  // namespace g2g::dynamic
