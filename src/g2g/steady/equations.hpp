// The steady-state equations of a network, F(x) = 0, and their Jacobian: the one place that
// writes them, for the Newton solver (newton.hpp) and for a time-domain solver, which adds its
// d/dt Q(x) terms to the same F (in steady state Q is empty).
//
// Unknowns x: angle of every AC PV/PQ node, |V| of every AC PQ node and every DC node, and the
// output power of every converter that sets its island's voltage. Equations: active power
// balance at every node with an unknown, reactive balance at AC PQ nodes, F = S_network(x) -
// S_specified(x). Derivation: docs/algorithms/newton-hybrid.md. Each element kind adds its own
// terms (element_kind.hpp): branches through the admittance matrix, the rest through
// `contribute`.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <utility>
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

// What an element kind's `contribute` adds to (element_kind.hpp): the specified injections per
// node at the present state, their voltage derivatives, and the Jacobian entries of the
// converters' power unknowns.
struct Contribution {
  double load_scale = 1.0;     // loads (and power-controlled converters) times this
  std::span<double> p_spec;    // per node, pu: generation minus demand
  std::span<double> q_spec;    // per node, pu
  std::span<double> dp_dv;     // per node: -d p_spec / d|V| of voltage-dependent demand
  std::span<double> dq_dv;     // per node
  bool with_jacobian = false;  // whether `jacobian` is to be written
  std::span<double> jacobian;  // values, in NetworkEquations::jacobian_pattern() order
  // Per converter: its power column (-1 unless it sets its island's voltage), and the positions
  // in `jacobian` of (P_in, col), (Q_in, col), (P_out, col) (-1 when absent).
  std::span<const std::int32_t> converter_column;
  std::span<const std::array<std::int32_t, 3>> converter_position;
};

class NetworkEquations {
 public:
  explicit NetworkEquations(const Network& network);

  [[nodiscard]] const Network& network() const noexcept { return network_; }
  // Unknowns (= equations).
  [[nodiscard]] std::int32_t size() const noexcept { return pattern_.size; }
  // The Jacobian's pattern by rows (equations), which is its transpose in compressed columns:
  // the row of node i's equations lists, for each admittance entry (i, j) in order, the columns
  // of j's angle and magnitude, then the converter columns.
  [[nodiscard]] const CscPattern& jacobian_pattern() const noexcept { return pattern_; }

  // Evaluates F at `state` (and the Jacobian values when `with_jacobian`). Returns max |F| over
  // the nodes beyond each node's rounding floor; `worst` is the node where it is.
  double evaluate(const State& state, double load_scale, bool with_jacobian, std::int32_t& worst);
  // F from the last evaluate, one per equation.
  [[nodiscard]] const std::vector<double>& residual() const noexcept { return mismatch_; }
  // dF/dx from the last evaluate with the Jacobian, in jacobian_pattern() order.
  [[nodiscard]] const std::vector<double>& jacobian_values() const noexcept { return values_; }
  // Per node, the rectangular voltage of every AC node at the last evaluated state,
  // std::polar(v_pu, angle_rad) (entries of DC nodes are unspecified).
  [[nodiscard]] const std::vector<Complex>& voltages() const noexcept { return voltage_; }
  [[nodiscard]] std::vector<Complex> take_voltages() noexcept { return std::move(voltage_); }

  // Recomputes what depends on the network's values, not its structure (each node's rounding
  // floor), after the network's values were replaced by those of a network of the same
  // structure (steady::Solver::update).
  void refresh();

  // The unknowns of `state` as a vector x, and back: out = base + alpha * step.
  void gather(const State& state, std::span<double> x) const;
  void apply_step(const State& base, std::span<const double> step, double alpha, State& out) const;
  // The node whose equation or unknown a column is (-1 for none).
  [[nodiscard]] std::int32_t node_of_column(std::int32_t column) const;
  // node_of_column for every column at once (one pass, where node_of_column searches).
  [[nodiscard]] std::vector<std::int32_t> column_nodes() const;

 private:
  const Network& network_;
  // Row/column of each node's unknowns and equations: primary (angle, DC voltage, or converter
  // power) and secondary (AC |V| and Q balance). -1 when absent.
  std::vector<std::int32_t> primary_;
  std::vector<std::int32_t> secondary_;
  // Per node: which of its unknowns are Jacobian columns (angle, magnitude bits).
  std::vector<std::uint8_t> unknown_columns_;
  // Per node: 1 for AC. A byte array read in every sweep, instead of the much larger nodes.
  std::vector<std::uint8_t> ac_node_;
  std::vector<std::int32_t> converter_column_;  // per converter, -1 unless voltage-controlled
  CscPattern pattern_;
  std::vector<std::array<std::int32_t, 3>> converter_position_;
  std::vector<double> values_;
  std::vector<double> mismatch_;
  std::vector<double> p_spec_, q_spec_, dp_dv_, dq_dv_;
  std::vector<Complex> voltage_;         // per node, rectangular, for the present evaluation
  std::vector<double> round_off_floor_;  // per node: mismatch that rounding alone leaves
};

}  // namespace g2g::steady
