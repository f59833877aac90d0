// The topology equations (converters/waveforms.hpp) against independent numerical integration of
// the same circuits: a time-stepped inductor for the DAB, sampled waveforms for RMS values,
// shifted phase currents summed for interleaving, Parseval for the harmonics.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include "g2g/converters/waveforms.hpp"

namespace g2g::converters::waveforms {
namespace {

using std::numbers::pi;

// Sampled RMS of f over [0, T).
template <typename F>
double sampled_rms(F f, double period, int samples = 200000) {
  double sum = 0.0;
  for (int i = 0; i < samples; ++i) {
    const double v = f((i + 0.5) * period / samples);
    sum += v * v;
  }
  return std::sqrt(sum / samples);
}

// Value of a piecewise-linear periodic waveform at t.
double pwl_at(std::span<const Vertex> v, double period, double t) {
  t = std::fmod(t, period);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const Vertex a = v[i];
    const Vertex b = i + 1 < v.size() ? v[i + 1] : Vertex{v[0].t_s + period, v[0].value};
    if (t >= a.t_s && t < b.t_s)
      return a.value + (b.value - a.value) * (t - a.t_s) / (b.t_s - a.t_s);
  }
  return v[0].value;
}

TEST(Waveforms, TriangleHarmonicsMatchTheClosedFormAndParseval) {
  const double period = 1e-6;
  const double duty = 0.3;
  const double pp = 4.0;
  const std::array<Vertex, 2> tri{Vertex{0.0, 10.0 - pp / 2}, Vertex{duty * period, 10.0 + pp / 2}};
  std::vector<double> h(400);
  pwl_harmonic_rms(tri, period, h);
  for (int k = 1; k <= 5; ++k) {
    const double amplitude =
        pp * std::abs(std::sin(k * pi * duty)) / (k * k * pi * pi * duty * (1.0 - duty));
    EXPECT_NEAR(h[k - 1], amplitude / std::numbers::sqrt2, 1e-9) << k;
  }
  double sq = 0.0;
  for (double x : h) sq += x * x;
  EXPECT_NEAR(std::sqrt(sq), pp / std::sqrt(12.0), 1e-4);
  EXPECT_NEAR(pwl_mean(tri, period), 10.0, 1e-12);
  EXPECT_NEAR(pwl_rms(tri, period), std::sqrt(100.0 + pp * pp / 12.0), 1e-12);
}

TEST(Waveforms, BuckIdealDutyRippleAndRms) {
  const double l = 1e-6, f = 500e3;
  const BuckWaveforms w = buck_waveforms(48.0, 12.0, 600.0, 2, l, f, 0, 0, 0, 4, 50e-6);
  EXPECT_DOUBLE_EQ(w.duty, 0.25);
  EXPECT_DOUBLE_EQ(w.i_phase_a, 25.0);
  EXPECT_NEAR(w.ripple_pp_a, (48.0 - 12.0) * 0.25 / (l * f), 1e-9);  // 18 A
  EXPECT_NEAR(w.i_peak_a, 34.0, 1e-9);
  EXPECT_NEAR(w.i_valley_a, 16.0, 1e-9);
  // Control switch current: the inductor current during D T, zero otherwise.
  const double period = 1.0 / f;
  const auto inductor = [&](double t) {
    return t < w.duty * period
               ? w.i_valley_a + w.ripple_pp_a * t / (w.duty * period)
               : w.i_peak_a - w.ripple_pp_a * (t - w.duty * period) / ((1.0 - w.duty) * period);
  };
  EXPECT_NEAR(
      w.i_rms_control_a,
      sampled_rms([&](double t) { return t < w.duty * period ? inductor(t) : 0.0; }, period), 1e-3);
  EXPECT_NEAR(
      w.i_rms_sync_a,
      sampled_rms([&](double t) { return t < w.duty * period ? 0.0 : inductor(t); }, period), 1e-3);
  EXPECT_NEAR(w.flux_swing_t, 36.0 * 0.25 / (f * 4 * 50e-6), 1e-12);
}

TEST(Waveforms, BuckDutyRisesWithResistiveDrops) {
  const BuckWaveforms ideal = buck_waveforms(48.0, 12.0, 600.0, 1, 1e-6, 5e5, 0, 0, 0, 1, 1e-5);
  const BuckWaveforms lossy =
      buck_waveforms(48.0, 12.0, 600.0, 1, 1e-6, 5e5, 4e-3, 2e-3, 1e-3, 1, 1e-5);
  EXPECT_GT(lossy.duty, ideal.duty);
  // V_out = D V_in - I (D R_c + (1 - D) R_s + R_L) holds with the corrected duty.
  const double i = 50.0;
  EXPECT_NEAR(lossy.duty * 48.0 - i * (lossy.duty * 4e-3 + (1 - lossy.duty) * 2e-3 + 1e-3), 12.0,
              1e-9);
}

TEST(Waveforms, InterleavedRippleAgainstSummedPhases) {
  const double period = 1.0;
  for (int phases : {1, 2, 3, 4}) {
    for (double duty : {0.1, 0.25, 0.3, 0.5, 0.7}) {
      const std::array<Vertex, 2> tri{Vertex{0.0, -0.5}, Vertex{duty * period, 0.5}};
      const auto total = [&](double t) {
        double s = 0.0;
        for (int k = 0; k < phases; ++k) s += pwl_at(tri, period, t + k * period / phases);
        return s;
      };
      // Peak-to-peak of the summed ripple.
      double lo = 1e9, hi = -1e9;
      for (int i = 0; i < 20000; ++i) {
        const double v = total(i * period / 20000);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      EXPECT_NEAR(interleaving_ripple_factor(phases, duty), hi - lo, 2e-3)
          << phases << " phases, D " << duty;
    }
  }
}

TEST(Waveforms, LlcAtResonanceCurrentsAgainstSampledWaveforms) {
  // 400 V -> 50 V full bridge, n = 8, L_m 100 uH, 500 kHz, 3 kW.
  const double f = 500e3, lm = 100e-6, n = 8.0;
  const LlcWaveforms w = llc_waveforms(400.0, 50.0, 3000.0, true, false, n, lm, f, 4, 100e-6);
  EXPECT_NEAR(w.gain, 1.0, 1e-12);
  EXPECT_NEAR(w.i_mag_peak_a, n * 50.0 / (4 * lm * f), 1e-12);
  EXPECT_NEAR(w.i_out_a, 60.0, 1e-12);
  const double period = 1.0 / f;
  const double i_load_pk = pi / 2 * 60.0 / n;
  // Primary: load sine plus magnetising triangle (-I_m at 0 to +I_m at T/2).
  const auto primary = [&](double t) {
    const double tri = t < period / 2 ? -w.i_mag_peak_a + 4 * w.i_mag_peak_a * t / period
                                      : 3 * w.i_mag_peak_a - 4 * w.i_mag_peak_a * t / period;
    return i_load_pk * std::sin(2 * pi * t / period) + tri;
  };
  EXPECT_NEAR(w.i_pri_rms_a, sampled_rms(primary, period), 1e-4);
  // The current at the switching instant is the magnetising peak.
  EXPECT_NEAR(std::abs(primary(0.0)), w.i_off_a, 1e-12);
  // Rectified secondary averages I_o; each rectifier conducts one half sine.
  const auto sr = [&](double t) {
    return t < period / 2 ? n * i_load_pk * std::sin(2 * pi * t / period) : 0.0;
  };
  EXPECT_NEAR(w.i_sr_rms_a, sampled_rms(sr, period), 1e-3);
  double mean = 0.0;
  for (int i = 0; i < 100000; ++i) mean += 2 * sr((i + 0.5) * period / 100000) / 100000;
  EXPECT_NEAR(mean, 60.0, 1e-3);
  EXPECT_NEAR(w.flux_swing_t, 400.0 / (2 * f * 4 * 100e-6), 1e-12);
  EXPECT_DOUBLE_EQ(w.v_sr_block_v, 100.0);
  // Half bridge with the same output needs half the turns ratio for unity gain.
  const LlcWaveforms hb = llc_waveforms(400.0, 50.0, 3000.0, false, true, 4.0, lm, f, 4, 1e-4);
  EXPECT_NEAR(hb.gain, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(hb.v_sr_block_v, 50.0);
}

// Time-stepped DAB inductor: v_L = v1(t) - v2'(t - phi), from the periodic steady state.
TEST(Waveforms, DabPhaseShiftAndCurrentsAgainstTimeStepping) {
  const double f = 100e3, l = 20e-6, n = 1.6;
  for (double v_out : {500.0, 460.0, 540.0}) {
    for (double p : {2e3, 8e3, 15e3}) {
      const DabWaveforms w = dab_waveforms(800.0, v_out, p, true, n, l, f, 10, 5e-4);
      ASSERT_TRUE(w.feasible) << v_out << " " << p;
      const double period = 1.0 / f;
      const double t_phi = w.phi_rad / (2 * pi) * period;
      const int steps = 200000;
      const double dt = period / steps;
      const auto v1 = [&](double t) { return std::fmod(t, period) < period / 2 ? 800.0 : -800.0; };
      const auto v2 = [&](double t) {
        return std::fmod(t + period - t_phi, period) < period / 2 ? n * v_out : -n * v_out;
      };
      // Integrate one period from i(0) and check periodicity, power and RMS.
      double i = w.i_0_a, energy = 0.0, sq = 0.0, i_at_phi = 0.0;
      for (int k = 0; k < steps; ++k) {
        const double t = (k + 0.5) * dt;
        const double di = (v1(t) - v2(t)) / l * dt;
        const double i_mid = i + 0.5 * di;
        energy += v1(t) * i_mid * dt;
        sq += i_mid * i_mid * dt;
        i += di;
        if (std::abs((k + 1) * dt - t_phi) < 0.5 * dt) i_at_phi = i;
      }
      EXPECT_NEAR(i, w.i_0_a, 1e-6 * std::abs(w.i_0_a) + 1e-6);
      EXPECT_NEAR(energy / period, p, 1e-3 * p);
      EXPECT_NEAR(std::sqrt(sq / period), w.i_rms_a, 1e-3 * w.i_rms_a);
      EXPECT_NEAR(i_at_phi, w.i_phi_a, 0.02 * std::abs(w.i_0_a) + 1e-3);
    }
  }
}

TEST(Waveforms, DabLimitsAndZvsBoundary) {
  const double f = 100e3, l = 20e-6;
  const DabWaveforms max = dab_waveforms(800.0, 500.0, 0.0, true, 1.6, l, f, 1, 1.0);
  EXPECT_NEAR(max.p_max_w, 800.0 * 800.0 / (8 * f * l), 1e-6);
  EXPECT_FALSE(dab_waveforms(800.0, 500.0, 1.01 * max.p_max_w, true, 1.6, l, f, 1, 1).feasible);
  EXPECT_TRUE(dab_waveforms(800.0, 500.0, 0.99 * max.p_max_w, true, 1.6, l, f, 1, 1).feasible);
  // Matched voltages (d = 1): both edges soft at any power.
  const DabWaveforms matched = dab_waveforms(800.0, 500.0, 2e3, true, 1.6, l, f, 1, 1);
  EXPECT_LT(matched.i_0_a, 0.0);
  EXPECT_GT(matched.i_phi_a, 0.0);
  // Secondary voltage low (d < 1) at light load: the secondary edge loses ZVS, i(phi) < 0,
  // exactly when 2 phi < (1 - d) pi.
  const DabWaveforms light = dab_waveforms(800.0, 400.0, 500.0, true, 1.6, l, f, 1, 1);
  EXPECT_LT(light.i_phi_a, 0.0);
  EXPECT_LT(2 * light.phi_rad, (1 - 0.8) * pi);
}

}  // namespace
}  // namespace g2g::converters::waveforms
