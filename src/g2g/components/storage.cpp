#include "g2g/components/storage.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "g2g/core/error.hpp"

namespace g2g::components {

OcvTable::OcvTable(std::vector<OcvPoint> points) : points_(std::move(points)) {
  if (points_.empty())
    throw InvalidInput("ocv", "the OCV(SOC) table is empty", "give at least one point {soc, ocv}");
  for (std::size_t k = 1; k < points_.size(); ++k)
    if (!(points_[k].soc > points_[k - 1].soc))
      throw InvalidInput("ocv",
                         "the OCV(SOC) table's SOC does not ascend at point " + std::to_string(k) +
                             " (" + std::to_string(points_[k - 1].soc) + " then " +
                             std::to_string(points_[k].soc) + ")",
                         "list the points in strictly ascending SOC");
  if (points_.size() == 1) points_.push_back({points_[0].soc + 1.0, points_[0].ocv_v});
}

OcvTable::Value OcvTable::at(double soc) const noexcept {
  // The segment [k, k + 1] holding soc; the end segments extend beyond the table.
  const auto above = std::upper_bound(points_.begin() + 1, points_.end() - 1, soc,
                                      [](double s, const OcvPoint& p) { return s < p.soc; });
  const OcvPoint& hi = *above;
  const OcvPoint& lo = *(above - 1);
  const double slope_v = (hi.ocv_v - lo.ocv_v) / (hi.soc - lo.soc);
  return {lo.ocv_v + slope_v * (soc - lo.soc), slope_v};
}

double OcvTable::mean_between(double soc_low, double soc_high) const noexcept {
  if (!(soc_high > soc_low)) return at(soc_low).ocv_v;
  // Trapezoids between the table's points inside the interval: exact for a linear curve.
  double area = 0.0;
  double soc = soc_low;
  for (const auto& p : points_) {
    if (p.soc <= soc_low || p.soc >= soc_high) continue;
    area += 0.5 * (at(soc).ocv_v + at(p.soc).ocv_v) * (p.soc - soc);
    soc = p.soc;
  }
  area += 0.5 * (at(soc).ocv_v + at(soc_high).ocv_v) * (soc_high - soc);
  return area / (soc_high - soc_low);
}

OcvTable ocv_table(const model::Storage& storage) {
  std::vector<OcvPoint> points;
  points.reserve(storage.ocv.size());
  for (const auto& p : storage.ocv) points.push_back({p.soc, p.voltage_v});
  return OcvTable(std::move(points));
}

namespace {

double soc_rate_per_a(const Battery& battery) {
  return 1.0 / (3600.0 * battery.capacity_ah);
}

}  // namespace

Stamp<4> battery_stamp(const Battery& battery, const OcvTable& ocv,
                       const std::array<double, 4>& x) noexcept {
  const auto [v_p, v_n, soc, i] = x;
  const OcvTable::Value e = ocv.at(soc);
  const double k = soc_rate_per_a(battery);
  Stamp<4> s;
  s.f = {-i, i, k * i, (v_p - v_n) - e.ocv_v + battery.r_internal_ohm * i};
  s.q = {0.0, 0.0, soc, 0.0};
  s.df_dx[0][3] = -1.0;
  s.df_dx[1][3] = 1.0;
  s.df_dx[2][3] = k;
  s.df_dx[3] = {1.0, -1.0, -e.docv_dsoc_v, battery.r_internal_ohm};
  s.dq_dx[2][2] = 1.0;
  return s;
}

Stamp<5> battery_rc_stamp(const Battery& battery, const OcvTable& ocv,
                          const std::array<double, 5>& x) noexcept {
  const auto [v_p, v_n, soc, v_1, i] = x;
  const OcvTable::Value e = ocv.at(soc);
  const double k = soc_rate_per_a(battery);
  Stamp<5> s;
  s.f = {-i, i, k * i, v_1 / battery.r_pair_ohm - i,
         (v_p - v_n) - e.ocv_v + v_1 + battery.r_internal_ohm * i};
  s.q = {0.0, 0.0, soc, battery.c_pair_f * v_1, 0.0};
  s.df_dx[0][4] = -1.0;
  s.df_dx[1][4] = 1.0;
  s.df_dx[2][4] = k;
  s.df_dx[3][3] = 1.0 / battery.r_pair_ohm;
  s.df_dx[3][4] = -1.0;
  s.df_dx[4] = {1.0, -1.0, -e.docv_dsoc_v, 1.0, battery.r_internal_ohm};
  s.dq_dx[2][2] = 1.0;
  s.dq_dx[3][3] = battery.c_pair_f;
  return s;
}

double battery_round_trip_efficiency(double ocv_v, double resistance_ohm, double power_w) noexcept {
  const double a = 4.0 * resistance_ohm * power_w;
  if (!(ocv_v > 0.0) || ocv_v * ocv_v < a) return 0.0;
  return (ocv_v + std::sqrt(ocv_v * ocv_v - a)) / (ocv_v + std::sqrt(ocv_v * ocv_v + a));
}

}  // namespace g2g::components
