// Central finite-difference check of an element's analytic Jacobians dF/dx and dQ/dx.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <string>

#include "g2g/components/dae_stamp.hpp"

namespace g2g::components::checks {

// Each entry must agree within `relative` of the larger of its own size and its row's largest
// entry (a zero entry is checked against the row's scale, not against zero).
template <std::size_t N, typename StampOf>
void expect_jacobians_match_differences(const StampOf& stamp_of, const std::array<double, N>& x,
                                        const std::string& what, double relative = 1e-6) {
  const Stamp<N> analytic = stamp_of(x);
  std::array<std::array<double, N>, N> df{}, dq{};
  for (std::size_t col = 0; col < N; ++col) {
    const double h = 1e-6 * std::max(1.0, std::abs(x[col]));
    auto plus = x, minus = x;
    plus[col] += h;
    minus[col] -= h;
    const Stamp<N> up = stamp_of(plus);
    const Stamp<N> down = stamp_of(minus);
    for (std::size_t row = 0; row < N; ++row) {
      df[row][col] = (up.f[row] - down.f[row]) / (2.0 * h);
      dq[row][col] = (up.q[row] - down.q[row]) / (2.0 * h);
    }
  }
  auto check = [&](const auto& exact, const auto& numeric, const char* name) {
    for (std::size_t row = 0; row < N; ++row) {
      double scale = 0.0;
      for (std::size_t col = 0; col < N; ++col) scale = std::max(scale, std::abs(exact[row][col]));
      for (std::size_t col = 0; col < N; ++col)
        EXPECT_NEAR(exact[row][col], numeric[row][col],
                    relative * std::max({std::abs(exact[row][col]), scale, 1e-300}))
            << what << ": " << name << "[" << row << "][" << col << "]";
    }
  };
  check(analytic.df_dx, df, "dF/dx");
  check(analytic.dq_dx, dq, "dQ/dx");
}

}  // namespace g2g::components::checks
