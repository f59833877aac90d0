// Battery storage: open-circuit voltage OCV(SOC) from a table, series internal resistance and an
// optional RC pair (Thevenin equivalent circuit); its round-trip efficiency follows from the
// resistances. The supercapacitor is in capacitor.hpp. docs/algorithms/dae.md § Component
// equations.
#pragma once

#include <vector>

#include "g2g/components/dae_stamp.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::components {

struct OcvPoint {
  double soc = 0.0;  // state of charge, 0..1
  double ocv_v = 0.0;
};

// OCV(SOC) interpolated linearly between the table's points; beyond the first and last point the
// end segments are extended (the SOC window's events stop a simulation before that matters).
class OcvTable {
 public:
  // Throws InvalidInput (subject "ocv") unless there are at least two points with SOC strictly
  // ascending; a single point gives a flat OCV.
  explicit OcvTable(std::vector<OcvPoint> points);

  struct Value {
    double ocv_v = 0.0;
    double docv_dsoc_v = 0.0;  // the segment's slope; at a point, the segment above it
  };
  [[nodiscard]] Value at(double soc) const noexcept;
  // The mean OCV between two states of charge (exact for the piecewise-linear curve), in V:
  // the energy of a charge Q moved across [soc_low, soc_high] is Q times it.
  [[nodiscard]] double mean_between(double soc_low, double soc_high) const noexcept;

 private:
  std::vector<OcvPoint> points_;
};

// A model battery's OCV table (its `ocv` points, loader-checked).
[[nodiscard]] OcvTable ocv_table(const model::Storage& storage);

// The stamps take the parameters as given: capacity_ah > 0, and r_pair_ohm > 0 for
// battery_rc_stamp (the loader checks them).
struct Battery {
  double capacity_ah = 0.0;
  double r_internal_ohm = 0.0;  // series R0
  // Optional RC pair (polarisation): R1 || C1 in series with R0. Unused by battery_stamp.
  double r_pair_ohm = 0.0;
  double c_pair_f = 0.0;
};

// i is the discharge current (leaving the + terminal), SOC' = -i / (3600 capacity_ah).
// Without the RC pair: x = [v_p, v_n, soc, i]
//   row v_p:  F = -i                    (the battery injects i into node p)
//   row v_n:  F = i
//   row soc:  F = i / (3600 Ah),  Q = soc
//   row i:    F = (v_p - v_n) - OCV(soc) + R0 i         (terminal voltage equation)
[[nodiscard]] Stamp<4> battery_stamp(const Battery& battery, const OcvTable& ocv,
                                     const std::array<double, 4>& x) noexcept;

// With the RC pair: x = [v_p, v_n, soc, v_1, i], v_1 across R1 || C1:
//   row v_1:  F = v_1 / R1 - i,   Q = C1 v_1            (C1 dv_1/dt = i - v_1 / R1)
//   row i:    F = (v_p - v_n) - OCV(soc) + v_1 + R0 i
[[nodiscard]] Stamp<5> battery_rc_stamp(const Battery& battery, const OcvTable& ocv,
                                        const std::array<double, 5>& x) noexcept;

// Round-trip efficiency of charging at constant terminal power P and discharging the same charge
// at P, at a constant OCV E through resistance R (R0 + R1 for a cycle long against R1 C1, when
// the pair's capacitor carries no current): P = E i_c + R i_c^2 charging, P = E i_d - R i_d^2
// discharging, stored power E i and equal charge, so eta = i_c / i_d
//   = (E + sqrt(E^2 - 4 R P)) / (E + sqrt(E^2 + 4 R P)).
// Needs E^2 >= 4 R P (the most power the battery can give is E^2 / 4R); returns 0 beyond it.
[[nodiscard]] double battery_round_trip_efficiency(double ocv_v, double resistance_ohm,
                                                   double power_w) noexcept;

}  // namespace g2g::components
