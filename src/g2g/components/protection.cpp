#include "g2g/components/protection.hpp"

#include <limits>

namespace g2g::components {

Stamp<5> protection_stamp(const ProtectionElement& p, bool open,
                          const std::array<double, 5>& x) noexcept {
  const auto [v_from, v_to, i, e, a] = x;
  const VoltageSlope sw =
      open ? clamp_voltage(p.clamp, i) : VoltageSlope{p.r_on_ohm * i, p.r_on_ohm};
  Stamp<5> s{.f = {i, -i, sw.v - (v_from - v_to), open ? -sw.v * i : 0.0, 0.0},
             .q = {0.0, 0.0, p.l_h * i, e, a},
             .df_dx = {},
             .dq_dx = {}};
  s.df_dx[0][2] = 1.0;
  s.df_dx[1][2] = -1.0;
  s.df_dx[2] = {-1.0, 1.0, sw.dv_di, 0.0, 0.0};
  if (open) s.df_dx[3][2] = -(sw.dv_di * i + sw.v);
  s.dq_dx[2][2] = p.l_h;
  s.dq_dx[3][3] = 1.0;
  s.dq_dx[4][4] = 1.0;
  switch (p.integral) {
    case ProtectionIntegral::let_through:
      s.f[4] = -i * i;
      s.df_dx[4][2] = -2.0 * i;
      break;
    case ProtectionIntegral::melting: {
      const double excess = i * i - p.reference_a * p.reference_a;
      if (excess > 0.0) {
        s.f[4] = -excess;
        s.df_dx[4][2] = -2.0 * i;
      }
      break;
    }
    case ProtectionIntegral::thermal: {
      const double ref2 = p.reference_a * p.reference_a;
      s.f[4] = (a - i * i / ref2) / p.tau_s;
      s.df_dx[4][2] = -2.0 * i / (ref2 * p.tau_s);
      s.df_dx[4][4] = 1.0 / p.tau_s;
      break;
    }
  }
  return s;
}

double protection_integral_rate(const ProtectionElement& p, double i_a, double a) noexcept {
  switch (p.integral) {
    case ProtectionIntegral::let_through:
      return i_a * i_a;
    case ProtectionIntegral::melting: {
      const double excess = i_a * i_a - p.reference_a * p.reference_a;
      return excess > 0.0 ? excess : 0.0;
    }
    case ProtectionIntegral::thermal:
      return (i_a * i_a / (p.reference_a * p.reference_a) - a) / p.tau_s;
  }
  return 0.0;
}

double thermal_trip_time_s(double tau_s, double multiple_of_pickup) noexcept {
  const double k2 = multiple_of_pickup * multiple_of_pickup;
  if (!(k2 > 1.0)) return std::numeric_limits<double>::infinity();
  return tau_s * std::log(k2 / (k2 - 1.0));
}

// L di/dt = -(a + R i) with a = V_c - V_bus > 0: i(t) = (I + a/R) e^{-t/tau} - a/R, tau = L/R,
// zero at T = tau ln(1 + R I / a); E = V_c * integral of i over [0, T].
double clamp_time_closed_form_s(double l_h, double r_ohm, double v_bus_v, double v_clamp_v,
                                double i0_a) noexcept {
  const double a = v_clamp_v - v_bus_v;
  if (r_ohm == 0.0) return l_h * i0_a / a;
  return l_h / r_ohm * std::log1p(r_ohm * i0_a / a);
}

double clamp_energy_closed_form_j(double l_h, double r_ohm, double v_bus_v, double v_clamp_v,
                                  double i0_a) noexcept {
  const double a = v_clamp_v - v_bus_v;
  if (r_ohm == 0.0) return 0.5 * l_h * i0_a * i0_a * v_clamp_v / a;
  const double t_s = clamp_time_closed_form_s(l_h, r_ohm, v_bus_v, v_clamp_v, i0_a);
  // integral of i = tau (I + a/R)(1 - e^{-T/tau}) - (a/R) T, with 1 - e^{-T/tau} = I / (I + a/R).
  const double charge_c = l_h / r_ohm * i0_a - a / r_ohm * t_s;
  return v_clamp_v * charge_c;
}

}  // namespace g2g::components
