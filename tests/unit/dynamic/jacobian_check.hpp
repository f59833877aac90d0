// The network DAE's analytic Jacobian against central differences of its residual, shared by the
// network, storage, utility and ride-through tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "g2g/dynamic/network_dae.hpp"

namespace g2g::dynamic::fixtures {

// Moves (y, y') off the operating point: y by 1 % of each unknown's scale, y' to 3 scales, with
// a different sign pattern per unknown, so that no entry is checked at a symmetric point.
inline void move_off_the_operating_point(const NetworkDae& dae, std::vector<double>& y,
                                         std::vector<double>& yp) {
  const auto scales = dae.absolute_tolerances(1.0);
  for (std::size_t k = 0; k < y.size(); ++k) {
    y[k] += 0.01 * scales[k] * std::sin(1.0 + static_cast<double>(k));
    yp[k] = 3.0 * scales[k] * std::cos(2.0 + static_cast<double>(k));
  }
}

// Expects dF/dy + cj dF/dy' at (y, y') to match central differences of F (steps of 1e-6 of each
// unknown's scale, to 1e-5 relative), and every entry the differences find to be in the pattern.
inline void expect_jacobian_matches_differences(NetworkDae& dae, const std::vector<double>& y,
                                                const std::vector<double>& yp,
                                                const std::string& label = {}) {
  const auto n = y.size();
  const auto scales = dae.absolute_tolerances(1.0);
  const double cj = 250.0;
  const CsrPattern pattern = dae.pattern();
  std::vector<double> values(pattern.column.size());
  dae.jacobian(0.0, y, yp, cj, values);
  std::vector<double> f_plus(n), f_minus(n);
  for (std::size_t col = 0; col < n; ++col) {
    const double h = 1e-6 * scales[col];
    for (int side : {1, -1}) {
      auto ys = y;
      auto yps = yp;
      ys[col] += side * h;
      yps[col] += side * cj * h;  // d/dy + cj d/dy' along one direction
      dae.residual(0.0, ys, yps, side > 0 ? f_plus : f_minus);
    }
    for (std::size_t row = 0; row < n; ++row) {
      const double numeric = (f_plus[row] - f_minus[row]) / (2.0 * h);
      double analytic = 0.0;
      bool present = false;
      for (auto e = pattern.row_start[row]; e < pattern.row_start[row + 1]; ++e)
        if (pattern.column[static_cast<std::size_t>(e)] == static_cast<std::int64_t>(col)) {
          analytic = values[static_cast<std::size_t>(e)];
          present = true;
        }
      const std::string where = label + (label.empty() ? "" : ": ") + "row " +
                                to_string(dae.names(static_cast<std::int64_t>(row))) + ", column " +
                                to_string(dae.names(static_cast<std::int64_t>(col)));
      EXPECT_TRUE(present || numeric == 0.0) << where << " is not in the pattern";
      EXPECT_NEAR(analytic, numeric, 1e-5 * std::max(1.0, std::fabs(numeric))) << where;
    }
  }
}

// The same at the DAE's own point moved off the operating point.
inline void expect_jacobian_matches_differences(NetworkDae& dae, const std::string& label = {}) {
  std::vector<double> y = dae.initial_y();
  std::vector<double> yp(y.size());
  move_off_the_operating_point(dae, y, yp);
  expect_jacobian_matches_differences(dae, y, yp, label);
}

}  // namespace g2g::dynamic::fixtures
