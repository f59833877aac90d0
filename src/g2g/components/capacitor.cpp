#include "g2g/components/capacitor.hpp"

#include <cmath>

namespace g2g::components {

Stamp<4> series_rc_stamp(const SeriesRc& rc, const std::array<double, 4>& x) noexcept {
  const auto [v_p, v_n, v_c, i] = x;
  Stamp<4> s;
  s.f = {i, -i, -i, rc.esr_ohm * i + v_c - (v_p - v_n)};
  s.q = {0.0, 0.0, rc.c_f * v_c, 0.0};
  s.df_dx[0][3] = 1.0;
  s.df_dx[1][3] = -1.0;
  s.df_dx[2][3] = -1.0;
  s.df_dx[3] = {-1.0, 1.0, 1.0, rc.esr_ohm};
  s.dq_dx[2][2] = rc.c_f;
  return s;
}

double supercapacitor_round_trip_efficiency(double esr_ohm, double power_w, double v_min_v,
                                            double v_max_v) noexcept {
  const double a = 4.0 * esr_ohm * power_w;
  if (!(v_min_v > 0.0) || !(v_max_v > v_min_v) || v_min_v * v_min_v < a) return 0.0;
  if (a == 0.0) return 1.0;
  // Antiderivatives of (a / 2R) / i(v); the common factor a / 2R cancels in the ratio.
  auto discharge = [a](double v) {
    const double root = std::sqrt(v * v - a);
    return 0.5 * v * v + 0.5 * v * root - 0.5 * a * std::log(v + root);
  };
  auto charge = [a](double v) {
    const double root = std::sqrt(v * v + a);
    return 0.5 * v * v + 0.5 * v * root + 0.5 * a * std::log(v + root);
  };
  return (discharge(v_max_v) - discharge(v_min_v)) / (charge(v_max_v) - charge(v_min_v));
}

}  // namespace g2g::components
