// Min/max envelopes: every sample lies within its bucket's [min, max] at every level, the extremes
// are exact (a square wave with jumps at its edges, a sine at uneven steps), a straight line
// between two samples fills every bucket it crosses with its exact range, coarse levels merge
// their two finer buckets, and memory depends on the bucket count only.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "g2g/core/error.hpp"
#include "g2g/dynamic/envelope.hpp"

namespace g2g::dynamic {
namespace {

struct Sample {
  double t_s;
  double value;
};

// Integrator-like steps of 0.5-1.5 ms (seeded), ending exactly at t_end_s.
std::vector<double> uneven_times(double t_end_s, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::uniform_real_distribution<double> step_s(5e-4, 1.5e-3);
  std::vector<double> t{0.0};
  while (t.back() < t_end_s) t.push_back(t.back() + step_s(engine));
  t.back() = t_end_s;
  return t;
}

// A 1 s square wave between 0 and 1 (high first), with both values at each edge (a jump, as at
// an event).
std::vector<Sample> square_wave(double t_end_s) {
  std::vector<Sample> samples;
  for (const double t : uneven_times(t_end_s, 7)) {
    const double edge = std::round(t * 2.0) / 2.0;
    if (!samples.empty() && samples.back().t_s < edge && edge < t) {
      const bool rising = std::fmod(edge, 1.0) == 0.0;
      samples.push_back({edge, rising ? 0.0 : 1.0});
      samples.push_back({edge, rising ? 1.0 : 0.0});
    }
    // At t_end_s (on an edge) the wave keeps the value it had: the jump is after the run.
    const bool at_end = t == t_end_s && !samples.empty();
    samples.push_back({t, at_end ? samples.back().value : std::fmod(t, 1.0) < 0.5 ? 1.0 : 0.0});
  }
  return samples;
}

Envelope envelope_of(const std::vector<Sample>& samples, double t_end_s, std::size_t buckets,
                     std::size_t levels) {
  EnvelopeBuilder builder(0.0, t_end_s, buckets, levels);
  for (const Sample& s : samples) builder.add(s.t_s, s.value);
  return builder.finish("signal", "W", "Grid power");
}

// Every sample lies within the [min, max] of the bucket that holds its time, at every level;
// buckets are matched by their time (some may be left out as empty).
void expect_samples_inside(const Envelope& envelope, const std::vector<Sample>& samples) {
  for (const EnvelopeLevel& level : envelope.levels) {
    for (const Sample& s : samples) {
      const auto bucket = static_cast<long>(s.t_s / level.bucket_s);
      const auto it = std::find_if(level.t_s.begin(), level.t_s.end(), [&](double t) {
        const auto b = static_cast<long>(t / level.bucket_s);
        return b == bucket || (b + 1 == bucket && s.t_s == samples.back().t_s);  // t_end
      });
      ASSERT_NE(it, level.t_s.end()) << "no bucket for t = " << s.t_s;
      const auto i = static_cast<std::size_t>(it - level.t_s.begin());
      EXPECT_LE(level.min[i], s.value) << "t = " << s.t_s;
      EXPECT_GE(level.max[i], s.value) << "t = " << s.t_s;
    }
  }
}

TEST(Envelope, SquareWaveEdgesAndPlateausAreExact) {
  const std::vector<Sample> samples = square_wave(10.0);
  const Envelope envelope = envelope_of(samples, 10.0, 40, 3);  // 0.25, 0.125, 0.0625 s buckets
  ASSERT_EQ(envelope.levels.size(), 3u);
  expect_samples_inside(envelope, samples);
  for (std::size_t level = 0; level < 3; ++level) {
    const EnvelopeLevel& l = envelope.levels[level];
    ASSERT_EQ(l.t_s.size(), 40u << level);  // no bucket empty: the wave covers all of them
    EXPECT_DOUBLE_EQ(l.bucket_s, 0.25 / static_cast<double>(1u << level));
    for (std::size_t i = 0; i < l.t_s.size(); ++i) {
      // A bucket starting on an edge (every 0.5 s) holds the jump: [0, 1]; the others one level.
      const double start_s = static_cast<double>(i) * l.bucket_s;
      const double phase = std::fmod(start_s, 1.0);
      const bool on_edge = std::fmod(start_s, 0.5) == 0.0 && i > 0;
      if (on_edge) {
        EXPECT_EQ(l.min[i], 0.0);
        EXPECT_EQ(l.max[i], 1.0);
      } else {
        const double level_value = phase < 0.5 ? 1.0 : 0.0;
        EXPECT_EQ(l.min[i], level_value) << "bucket at " << start_s;
        EXPECT_EQ(l.max[i], level_value) << "bucket at " << start_s;
      }
    }
  }
}

TEST(Envelope, SineExtremesAreTheSamplesExtremes) {
  const double amplitude = 2.0;
  const double hz = 3.0;
  std::vector<Sample> samples;
  for (const double t : uneven_times(5.0, 11))
    samples.push_back({t, amplitude * std::sin(2.0 * std::numbers::pi * hz * t)});
  const Envelope envelope = envelope_of(samples, 5.0, 100, 4);
  expect_samples_inside(envelope, samples);

  double sample_min = samples[0].value;
  double sample_max = samples[0].value;
  for (const Sample& s : samples) {
    sample_min = std::min(sample_min, s.value);
    sample_max = std::max(sample_max, s.value);
  }
  for (const EnvelopeLevel& l : envelope.levels) {
    EXPECT_EQ(*std::min_element(l.min.begin(), l.min.end()), sample_min);
    EXPECT_EQ(*std::max_element(l.max.begin(), l.max.end()), sample_max);
    // The band never leaves the sine's range: interpolated boundary values lie between samples.
    for (std::size_t i = 0; i < l.t_s.size(); ++i) {
      EXPECT_GE(l.min[i], -amplitude);
      EXPECT_LE(l.max[i], amplitude);
    }
  }
  // Sampled every ~1 ms, the 3 Hz sine's true peaks are within 2·(π·3·1.5e-3)² of the samples'.
  EXPECT_NEAR(sample_max, amplitude, amplitude * 2e-4);
}

TEST(Envelope, AStraightLineFillsEveryBucketItCrosses) {
  EnvelopeBuilder builder(0.0, 10.0, 10);
  builder.add(0.0, 0.0);
  builder.add(10.0, 20.0);  // two samples, ten buckets between them
  const Envelope envelope = builder.finish("ramp", "W");
  const EnvelopeLevel& l = envelope.levels.at(0);
  ASSERT_EQ(l.t_s.size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_DOUBLE_EQ(l.t_s[i], static_cast<double>(i) + 0.5);
    EXPECT_DOUBLE_EQ(l.min[i], 2.0 * static_cast<double>(i));
    EXPECT_DOUBLE_EQ(l.max[i], 2.0 * static_cast<double>(i + 1));
  }
}

TEST(Envelope, BucketsWithoutSignalAreLeftOutAndTimesStayInsideTheSamples) {
  EnvelopeBuilder builder(0.0, 10.0, 10);
  builder.add(2.5, 1.0);
  builder.add(4.5, 3.0);
  const EnvelopeLevel level = builder.finish("partial", "V").levels.at(0);
  ASSERT_EQ(level.t_s.size(), 3u);  // buckets [2, 3), [3, 4), [4, 5)
  EXPECT_DOUBLE_EQ(level.t_s[0], 2.75);
  EXPECT_DOUBLE_EQ(level.t_s[2], 4.25);
  EXPECT_DOUBLE_EQ(level.min[0], 1.0);
  EXPECT_DOUBLE_EQ(level.max[0], 1.5);
  EXPECT_DOUBLE_EQ(level.max[2], 3.0);
}

TEST(Envelope, ACoarseBucketIsTheUnionOfItsTwoFinerOnes) {
  std::vector<Sample> samples;
  for (const double t : uneven_times(2.0, 5))
    samples.push_back({t, std::sin(40.0 * t) + 0.3 * std::cos(170.0 * t)});
  const Envelope envelope = envelope_of(samples, 2.0, 50, 5);
  for (std::size_t level = 0; level + 1 < envelope.levels.size(); ++level) {
    const EnvelopeLevel& coarse = envelope.levels[level];
    const EnvelopeLevel& fine = envelope.levels[level + 1];
    ASSERT_EQ(fine.t_s.size(), 2 * coarse.t_s.size());
    for (std::size_t i = 0; i < coarse.t_s.size(); ++i) {
      EXPECT_EQ(coarse.min[i], std::min(fine.min[2 * i], fine.min[2 * i + 1]));
      EXPECT_EQ(coarse.max[i], std::max(fine.max[2 * i], fine.max[2 * i + 1]));
    }
  }
}

TEST(Envelope, MemoryDependsOnTheBucketCountOnly) {
  const std::size_t levels = pyramid_levels(default_coarsest_buckets, default_max_envelope_points);
  EXPECT_EQ(levels, 5u);  // 2,000 + 4,000 + ... + 32,000 = 62,000 <= 65,536
  for (const std::size_t samples : {1'000u, 2'000'000u}) {
    EnvelopeBuilder builder(0.0, 100.0, default_coarsest_buckets, levels);
    for (std::size_t i = 0; i < samples; ++i) {
      const double t = 100.0 * static_cast<double>(i) / static_cast<double>(samples - 1);
      builder.add(t, std::sin(t));
    }
    EXPECT_EQ(builder.samples(), samples);
    EXPECT_EQ(builder.finest_buckets(), 32'000u);
    const Envelope envelope = builder.finish("sine", "");
    std::size_t points = 0;
    for (const EnvelopeLevel& l : envelope.levels) points += l.t_s.size();
    EXPECT_LE(points, default_max_envelope_points);
    EXPECT_EQ(points, 62'000u);  // every bucket covered
  }
}

TEST(Envelope, RejectsSamplesOutOfOrderOrOutsideTheSpan) {
  EnvelopeBuilder builder(0.0, 1.0, 10);
  builder.add(0.5, 1.0);
  EXPECT_THROW(builder.add(0.4, 1.0), InvalidInput);
  EXPECT_THROW(builder.add(1.5, 1.0), InvalidInput);
  EXPECT_THROW(builder.add(0.6, std::nan("")), InvalidInput);
  EXPECT_THROW(EnvelopeBuilder(1.0, 1.0, 10), InvalidInput);
  EXPECT_THROW(EnvelopeBuilder(0.0, 1.0, 0), InvalidInput);
  EXPECT_THROW(EnvelopeBuilder(0.0, 1.0, 2000, 40), InvalidInput);
}

}  // namespace
}  // namespace g2g::dynamic
