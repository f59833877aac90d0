// The dynamic contribution of one element to the DAE F(x) + d/dt Q(x) = 0 (docs/algorithms/dae.md
// § Component equations), with its analytic derivatives, in the element's own local variables.
// Rows are ordered as the variables: a terminal voltage's row is the element's current leaving
// that node into the element (the assembly adds it to the node's KCL row), an internal state's row
// is the element's own equation. Each element states its variable order beside its function.
#pragma once

#include <array>
#include <cstddef>

namespace g2g::components {

template <std::size_t N>
struct Stamp {
  static constexpr std::size_t size = N;
  std::array<double, N> f{};                     // algebraic and resistive part F(x)
  std::array<double, N> q{};                     // charges and fluxes Q(x)
  std::array<std::array<double, N>, N> df_dx{};  // [row][variable]
  std::array<std::array<double, N>, N> dq_dx{};
};

}  // namespace g2g::components
