#include "g2g/dynamic/small_signal.hpp"

#include <fmt/format.h>
#include <Eigen/Dense>
#include <Eigen/Eigenvalues>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <utility>

namespace g2g::dynamic {

namespace {

using Dense = Eigen::MatrixXd;
using Sparse = Eigen::SparseMatrix<double>;

constexpr std::size_t participants_per_mode = 5;

// The Jacobian values of the pattern at cj = 0 (dF/dy) and cj = 1 (dF/dy + dF/dy').
struct Linearisation {
  CsrPattern pattern;
  std::vector<double> a_values;  // dF/dy
  std::vector<double> e_values;  // dF/dy'
};

Linearisation linearise(DaeSystem& system, double t_s, std::span<const double> y,
                        std::span<const double> yp) {
  Linearisation l;
  l.pattern = system.pattern();
  l.a_values.assign(l.pattern.column.size(), 0.0);
  std::vector<double> with_derivatives(l.pattern.column.size(), 0.0);
  system.jacobian(t_s, y, yp, 0.0, l.a_values);
  system.jacobian(t_s, y, yp, 1.0, with_derivatives);
  l.e_values.resize(with_derivatives.size());
  for (std::size_t e = 0; e < with_derivatives.size(); ++e)
    l.e_values[e] = with_derivatives[e] - l.a_values[e];
  return l;
}

// Position of each unknown within its block (differential or algebraic), and the block lists.
struct Blocks {
  std::vector<std::int64_t> position;
  std::vector<std::int64_t> differential;
  std::vector<std::int64_t> algebraic;
};

Blocks split(const std::vector<bool>& is_differential) {
  Blocks b;
  b.position.resize(is_differential.size());
  for (std::size_t k = 0; k < is_differential.size(); ++k) {
    auto& block = is_differential[k] ? b.differential : b.algebraic;
    b.position[k] = static_cast<std::int64_t>(block.size());
    block.push_back(static_cast<std::int64_t>(k));
  }
  return b;
}

double damping_ratio(std::complex<double> eigenvalue) {
  const double magnitude = std::abs(eigenvalue);
  return magnitude == 0.0 ? 0.0 : -eigenvalue.real() / magnitude;
}

}  // namespace

LinearisationError::LinearisationError(std::string message, std::string unknown, std::string fix)
    : Error(ErrorKind::integration, std::move(message), std::move(fix)),
      unknown_(std::move(unknown)) {}

SmallSignalResult small_signal(DaeSystem& system, double t_s, std::span<const double> y,
                               std::span<const double> yp) {
  const std::int64_t size = system.size();
  if (y.size() != static_cast<std::size_t>(size) || yp.size() != y.size())
    throw InvalidInput(
        "y", fmt::format("y has {} and y' {} entries for {} unknowns", y.size(), yp.size(), size));
  const Linearisation l = linearise(system, t_s, y, yp);
  // The rows with a derivative are the differential rows (semi-explicit form); row k belongs to
  // the same block as unknown k, which is how a DaeSystem numbers its equations.
  const std::vector<bool> is_differential = system.differential();
  std::vector<bool> row_has_derivative(static_cast<std::size_t>(size), false);
  for (std::int64_t row = 0; row < size; ++row)
    for (auto e = l.pattern.row_start[row]; e < l.pattern.row_start[row + 1]; ++e)
      if (l.e_values[static_cast<std::size_t>(e)] != 0.0)
        row_has_derivative[static_cast<std::size_t>(row)] = true;
  for (std::int64_t k = 0; k < size; ++k)
    if (row_has_derivative[static_cast<std::size_t>(k)] !=
        is_differential[static_cast<std::size_t>(k)])
      throw LinearisationError(
          fmt::format("the equation of {} {} a derivative but the unknown is {}",
                      to_string(system.names(k)),
                      row_has_derivative[static_cast<std::size_t>(k)] ? "has" : "has no",
                      is_differential[static_cast<std::size_t>(k)] ? "differential" : "algebraic"),
          to_string(system.names(k)),
          "number the equations so that row k carries unknown k's derivative (semi-explicit "
          "form)");

  const Blocks b = split(is_differential);
  const auto nd = static_cast<Eigen::Index>(b.differential.size());
  const auto na = static_cast<Eigen::Index>(b.algebraic.size());
  Dense a_dd = Dense::Zero(nd, nd);
  Dense a_da = Dense::Zero(nd, na);
  Dense a_ad = Dense::Zero(na, nd);
  Dense e_dd = Dense::Zero(nd, nd);
  std::vector<Eigen::Triplet<double>> a_aa_entries;
  for (std::int64_t row = 0; row < size; ++row) {
    const bool row_d = is_differential[static_cast<std::size_t>(row)];
    const auto r = static_cast<Eigen::Index>(b.position[static_cast<std::size_t>(row)]);
    for (auto e = l.pattern.row_start[row]; e < l.pattern.row_start[row + 1]; ++e) {
      const auto column = l.pattern.column[e];
      const bool column_d = is_differential[static_cast<std::size_t>(column)];
      const auto c = static_cast<Eigen::Index>(b.position[static_cast<std::size_t>(column)]);
      const double a = l.a_values[static_cast<std::size_t>(e)];
      if (row_d && column_d) {
        a_dd(r, c) += a;
        e_dd(r, c) += l.e_values[static_cast<std::size_t>(e)];
      } else if (row_d) {
        a_da(r, c) += a;
      } else if (column_d) {
        a_ad(r, c) += a;
      } else {
        a_aa_entries.emplace_back(r, c, a);
      }
    }
  }

  Dense reduced = a_dd;  // A_dd - A_da A_aa⁻¹ A_ad
  if (na > 0) {
    Sparse a_aa(na, na);
    a_aa.setFromTriplets(a_aa_entries.begin(), a_aa_entries.end());
    Eigen::SparseLU<Sparse> lu;
    lu.compute(a_aa);
    if (lu.info() != Eigen::Success)
      throw LinearisationError(
          fmt::format("the algebraic equations are singular at t = {:.9g} s ({})", t_s,
                      lu.lastErrorMessage()),
          "", "every algebraic unknown needs an equation that determines it");
    const Dense eliminated = lu.solve(a_ad);
    reduced.noalias() -= a_da * eliminated;
  }
  const Eigen::PartialPivLU<Dense> e_lu(e_dd);
  if (nd > 0 && !(e_lu.rcond() > std::numeric_limits<double>::epsilon()))
    throw LinearisationError("the derivative block dF/dy' is singular", "",
                             "every differential unknown's derivative must appear in its equation");
  const Dense state = nd > 0 ? Dense(-e_lu.solve(reduced)) : Dense(0, 0);

  SmallSignalResult result;
  result.states = nd;
  result.algebraic = na;
  if (nd == 0) return result;
  const Eigen::EigenSolver<Dense> eigen(state, true);
  if (eigen.info() != Eigen::Success)
    throw LinearisationError("the eigenvalues of the state matrix did not converge", "", "");
  const Eigen::MatrixXcd right = eigen.eigenvectors();
  const Eigen::MatrixXcd left = right.inverse();  // rows: left eigenvectors, w_i v_i = 1
  const Eigen::VectorXcd& eigenvalues = eigen.eigenvalues();
  for (Eigen::Index i = 0; i < nd; ++i) {
    const std::complex<double> lambda = eigenvalues(i);
    if (lambda.imag() < 0.0) continue;  // the conjugate of a pair reported once
    Mode mode;
    mode.eigenvalue_per_s = lambda;
    mode.frequency_hz = lambda.imag() / (2.0 * std::numbers::pi);
    mode.damping_ratio = damping_ratio(lambda);
    mode.unstable = lambda.real() > 0.0;
    mode.poorly_damped = mode.frequency_hz > 0.0 && mode.damping_ratio < minimum_damping_ratio;
    std::vector<double> factors(static_cast<std::size_t>(nd));
    for (Eigen::Index k = 0; k < nd; ++k)
      factors[static_cast<std::size_t>(k)] = std::abs(left(i, k) * right(k, i));
    const double total = std::accumulate(factors.begin(), factors.end(), 0.0);
    std::vector<std::size_t> order(factors.size());
    std::iota(order.begin(), order.end(), 0);
    const auto shown = std::min(participants_per_mode, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(shown),
                      order.end(),
                      [&](std::size_t p, std::size_t q) { return factors[p] > factors[q]; });
    for (std::size_t j = 0; j < shown; ++j) {
      const std::int64_t unknown = b.differential[order[j]];
      mode.participants.push_back({unknown, to_string(system.names(unknown)),
                                   total > 0.0 ? factors[order[j]] / total : 0.0});
    }
    result.any_unstable = result.any_unstable || mode.unstable;
    result.any_poorly_damped = result.any_poorly_damped || mode.poorly_damped;
    result.modes.push_back(std::move(mode));
  }
  std::stable_sort(result.modes.begin(), result.modes.end(),
                   [](const Mode& p, const Mode& q) { return p.damping_ratio < q.damping_ratio; });
  return result;
}

}  // namespace g2g::dynamic
