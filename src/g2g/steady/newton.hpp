// Full Newton-Raphson on the hybrid AC/DC network. Unknowns: angle of every AC PV/PQ node,
// |V| of every AC PQ node and every DC node, and the output power of every converter that sets
// its island's voltage. Equations: active power balance at every node with an unknown, reactive
// balance at AC PQ nodes. Derivation: docs/algorithms/newton-hybrid.md.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "g2g/steady/network.hpp"
#include "g2g/steady/sparse_lu.hpp"

namespace g2g::steady {

struct State {
  std::vector<double> v_pu;            // per node
  std::vector<double> angle_rad;       // per node (0 for DC)
  std::vector<double> converter_p_pu;  // output power per converter (system base)
};

// Flat start: set-points at controlled nodes, 1 pu and 0 rad elsewhere, converters at zero.
State flat_start(const Network& network);

struct NewtonOptions {
  double tolerance_pu = 1e-10;
  int max_iterations = 30;
  double load_scale = 1.0;  // loads (and power-controlled converter set-points) times this
};

struct NewtonOutcome {
  bool converged = false;
  bool singular = false;
  int iterations = 0;
  double max_mismatch_pu = 0.0;  // beyond each node's rounding floor
  std::int32_t worst_node = -1;  // node with the largest mismatch (or singular column)
};

class NewtonSolver {
 public:
  explicit NewtonSolver(const Network& network);
  ~NewtonSolver();
  NewtonSolver(const NewtonSolver&) = delete;
  NewtonSolver& operator=(const NewtonSolver&) = delete;

  // Iterates from `state` (updated in place) with a backtracking line search.
  NewtonOutcome run(State& state, const NewtonOptions& options);

  [[nodiscard]] std::int32_t unknowns() const noexcept { return pattern_.size; }
  [[nodiscard]] double factor_nonzeros() const noexcept {
    return lu_ ? lu_->factor_nonzeros() : 0.0;
  }
  [[nodiscard]] std::int32_t nonzeros() const noexcept {
    return static_cast<std::int32_t>(pattern_.row.size());
  }

 private:
  // Fills the mismatch (and, when `with_jacobian`, the Jacobian values); returns max |F|.
  double evaluate(const State& state, double load_scale, bool with_jacobian, std::int32_t& worst);
  // out = base + alpha * step.
  void apply_step(const State& base, const std::vector<double>& step, double alpha,
                  State& out) const;

  const Network& network_;
  // Row/column of each node's unknowns and equations: primary (angle, DC voltage, or converter
  // power) and secondary (AC |V| and Q balance). -1 when absent.
  std::vector<std::int32_t> primary_;
  std::vector<std::int32_t> secondary_;
  // Per node: which of its unknowns are Jacobian columns (has_angle_column, has_magnitude_column).
  std::vector<std::uint8_t> unknown_columns_;
  // Per node: 1 for AC. A byte array read in every sweep, instead of the much larger nodes.
  std::vector<std::uint8_t> ac_node_;
  std::vector<std::int32_t> converter_column_;  // per converter, -1 unless voltage-controlled
  // The Jacobian by rows (equations), which is its transpose in compressed columns: the row of
  // node i's equations lists, for each admittance entry (i, j) in order, the columns of j's
  // angle and magnitude, then the converter columns. Evaluation fills it in one streaming pass
  // over the admittance matrix, and KLU factorizes the transpose (solve_transposed).
  CscPattern pattern_;
  // Per converter: positions of (P_in, col), (Q_in, col), (P_out, col); -1 when absent.
  std::vector<std::array<std::int32_t, 3>> converter_position_;
  std::vector<double> values_;
  std::vector<double> mismatch_;
  std::vector<double> p_spec_, q_spec_, dp_dv_, dq_dv_;
  std::vector<Complex> voltage_;         // per node, rectangular, for the present evaluation
  std::vector<double> round_off_floor_;  // per node: mismatch that rounding alone leaves
  std::vector<double> step_;             // Newton step, reused across iterations
  std::unique_ptr<SparseLu> lu_;
  Ordering ordering_ = Ordering::amd;
};

}  // namespace g2g::steady
