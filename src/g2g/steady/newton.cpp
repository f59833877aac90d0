#include "g2g/steady/newton.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace g2g::steady {

namespace {

constexpr Complex j_unit{0.0, 1.0};

// Bits of NewtonSolver::unknown_columns_.
constexpr std::uint8_t angle_column = 1;
constexpr std::uint8_t magnitude_column = 2;

// Jacobian entries that one admittance entry (i, j) puts in each of node i's equation rows.
int columns_of(std::uint8_t columns) {
  return (columns & angle_column ? 1 : 0) + (columns & magnitude_column ? 1 : 0);
}

}  // namespace

State flat_start(const Network& network) {
  State state;
  const std::size_t n = network.nodes.size();
  state.v_pu.assign(n, 1.0);
  state.angle_rad.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& node = network.nodes[i];
    if (node.role == NodeRole::slack || node.role == NodeRole::pv ||
        node.role == NodeRole::converter_slack) {
      state.v_pu[i] = node.v_set_pu;
      state.angle_rad[i] = node.angle_set_rad;
    }
  }
  state.converter_p_pu.assign(network.converters.size(), 0.0);
  return state;
}

NewtonSolver::NewtonSolver(const Network& network) : network_(network) {
  const std::size_t n = network.nodes.size();
  primary_.assign(n, -1);
  secondary_.assign(n, -1);
  unknown_columns_.assign(n, 0);
  ac_node_.assign(n, 0);
  converter_column_.assign(network.converters.size(), -1);
  std::int32_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& node = network.nodes[i];
    ac_node_[i] = node.kind == model::BusKind::ac ? 1 : 0;
    switch (node.role) {
      case NodeRole::pq:
        primary_[i] = count++;
        secondary_[i] = count++;
        unknown_columns_[i] = angle_column | magnitude_column;
        break;
      case NodeRole::pv:
        primary_[i] = count++;
        unknown_columns_[i] = angle_column;
        break;
      case NodeRole::dc:
        primary_[i] = count++;
        unknown_columns_[i] = magnitude_column;
        break;
      case NodeRole::converter_slack:
        // Its column is the converter's output power, which only the converter's entries use.
        primary_[i] = count++;
        converter_column_[static_cast<std::size_t>(node.converter)] = primary_[i];
        break;
      case NodeRole::slack:
      case NodeRole::dead:
        break;
    }
  }

  // Jacobian by rows, straight from the admittance matrix: the pattern of row P_i (and Q_i) is
  // the angle and magnitude columns of every j in row i of Y, in Y's order, then one entry per
  // converter whose input or output is node i. Entries are never duplicated: Y has one entry per
  // (i, j), and each converter column belongs to one converter.
  const auto& y = network.y;
  auto y_entries_of_row = [&](std::size_t i) {
    std::int32_t entries = 0;
    for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k)
      entries += columns_of(
          unknown_columns_[static_cast<std::size_t>(y.column[static_cast<std::size_t>(k)])]);
    return entries;
  };
  auto active_converter = [&](std::size_t c) {
    return converter_column_[c] >= 0 && network.converter_active[c];
  };
  pattern_.size = count;
  auto& row_start = pattern_.column_start;  // KLU sees the transpose: rows become columns
  row_start.assign(static_cast<std::size_t>(count) + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (primary_[i] < 0) continue;
    const auto entries = y_entries_of_row(i);
    row_start[static_cast<std::size_t>(primary_[i]) + 1] = entries;
    if (secondary_[i] >= 0) row_start[static_cast<std::size_t>(secondary_[i]) + 1] = entries;
  }
  auto converter_rows = [&](std::size_t c) {
    const auto& link = network.converters[c];
    const auto in = static_cast<std::size_t>(link.input_node);
    const auto out = static_cast<std::size_t>(link.output_node);
    // Input and output merged into one node (by switches): one entry for both.
    return std::array<std::int32_t, 3>{primary_[in], secondary_[in],
                                       in == out ? -1 : primary_[out]};
  };
  for (std::size_t c = 0; c < network.converters.size(); ++c) {
    if (!active_converter(c)) continue;
    for (const auto row : converter_rows(c))
      if (row >= 0) ++row_start[static_cast<std::size_t>(row) + 1];
  }
  for (std::size_t r = 0; r < static_cast<std::size_t>(count); ++r)
    row_start[r + 1] += row_start[r];
  auto& column = pattern_.row;
  column.resize(static_cast<std::size_t>(row_start[static_cast<std::size_t>(count)]));
  std::vector<std::int32_t> row_end(row_start.begin(), row_start.end() - 1);
  for (std::size_t i = 0; i < n; ++i) {
    if (primary_[i] < 0) continue;
    for (const auto row : {primary_[i], secondary_[i]}) {
      if (row < 0) continue;
      auto& write = row_end[static_cast<std::size_t>(row)];
      for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k) {
        const auto j = static_cast<std::size_t>(y.column[static_cast<std::size_t>(k)]);
        if (unknown_columns_[j] & angle_column)
          column[static_cast<std::size_t>(write++)] = primary_[j];
        // A node with both unknowns (pq) has its magnitude second; a DC node has only that.
        if (unknown_columns_[j] & magnitude_column)
          column[static_cast<std::size_t>(write++)] =
              unknown_columns_[j] & angle_column ? secondary_[j] : primary_[j];
      }
    }
  }
  converter_position_.assign(network.converters.size(), {-1, -1, -1});
  for (std::size_t c = 0; c < network.converters.size(); ++c) {
    if (!active_converter(c)) continue;
    const auto rows = converter_rows(c);
    for (std::size_t e = 0; e < rows.size(); ++e) {
      if (rows[e] < 0) continue;
      const auto position = row_end[static_cast<std::size_t>(rows[e])]++;
      column[static_cast<std::size_t>(position)] = converter_column_[c];
      converter_position_[c][e] = position;
    }
    if (network.converters[c].input_node == network.converters[c].output_node)
      converter_position_[c][2] = converter_position_[c][0];
  }

  values_.assign(column.size(), 0.0);
  mismatch_.assign(static_cast<std::size_t>(count), 0.0);
  step_.assign(static_cast<std::size_t>(count), 0.0);
  p_spec_.assign(n, 0.0);
  q_spec_.assign(n, 0.0);
  dp_dv_.assign(n, 0.0);
  dq_dv_.assign(n, 0.0);
  voltage_.assign(n, Complex{});
  // The mismatch is a sum of terms as large as |Y_ij| (flat voltages); rounding leaves about
  // eps times their total in it, which no iteration can remove; allow a small multiple of that.
  round_off_floor_.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double gross = 0.0;
    if (network.nodes[i].kind == model::BusKind::dc) {
      // DC entries are real: |y| is |Re y|, without the cost of hypot.
      for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k)
        gross += std::fabs(y.value[static_cast<std::size_t>(k)].real());
    } else {
      for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k)
        gross += std::abs(y.value[static_cast<std::size_t>(k)]);
    }
    round_off_floor_[i] = 16.0 * std::numeric_limits<double>::epsilon() * gross;
  }
  if (count > 0) {
    // A radial network numbered breadth-first (topology::analyse) factors without fill when
    // eliminated leaves-first; that ordering is free, where minimum degree costs a pass of its
    // own. Local mesh ties add little fill; networks with many loops get AMD.
    const auto branch_count = static_cast<double>(y.column.size() - n) / 2.0;
    const auto loops = branch_count - static_cast<double>(n) + network.topology.islands.count;
    const Ordering ordering =
        loops <= 0.15 * static_cast<double>(n) ? Ordering::reverse_given : Ordering::amd;
    lu_ = std::make_unique<SparseLu>(pattern_, ordering);
    ordering_ = ordering;
  }
}

NewtonSolver::~NewtonSolver() = default;

double NewtonSolver::evaluate(const State& state, double load_scale, bool with_jacobian,
                              std::int32_t& worst) {
  const auto& net = network_;
  const std::size_t n = net.nodes.size();
  const double s_base = net.base_power_va;
  // Specified injections at the present voltages.
  for (std::size_t i = 0; i < n; ++i) {
    p_spec_[i] = net.p_fixed_pu[i] - load_scale * net.p_load_pu[i];
    q_spec_[i] = net.q_fixed_pu[i] - load_scale * net.q_load_pu[i];
    dp_dv_[i] = 0.0;
    dq_dv_[i] = 0.0;
  }
  for (const auto& load : net.loads) {
    const auto i = static_cast<std::size_t>(load.node);
    const components::VoltageScale f = components::zip_scale(load.zip, state.v_pu[i]);
    p_spec_[i] -= load_scale * load.p_pu * f.factor;
    q_spec_[i] -= load_scale * load.q_pu * f.factor;
    dp_dv_[i] += load_scale * load.p_pu * f.dfactor_dv;
    dq_dv_[i] += load_scale * load.q_pu * f.dfactor_dv;
  }
  // Every Jacobian entry is written exactly once below, so values_ needs no clearing.
  for (std::size_t c = 0; c < net.converters.size(); ++c) {
    if (!net.converter_active[c]) continue;
    const auto& link = net.converters[c];
    const bool solved = converter_column_[c] >= 0;
    const double p_out = solved ? state.converter_p_pu[c] : link.p_set_pu;
    const components::LossAt loss = link.loss.at(p_out * s_base);
    const double p_in = p_out + loss.loss_w / s_base;
    const auto in = static_cast<std::size_t>(link.input_node);
    const auto out = static_cast<std::size_t>(link.output_node);
    p_spec_[in] -= p_in;
    q_spec_[in] -= link.q_in_per_p * p_in;
    p_spec_[out] += p_out;
    if (!solved) q_spec_[out] += link.q_out_per_p * p_out;
    if (with_jacobian && solved) {
      const auto& pos = converter_position_[c];
      const double dpin = 1.0 + loss.dloss_dp;
      if (pos[0] >= 0) values_[static_cast<std::size_t>(pos[0])] = dpin;
      if (pos[1] >= 0) values_[static_cast<std::size_t>(pos[1])] = link.q_in_per_p * dpin;
      // dF_P,out/dp = -1; input and output in one node share the entry.
      if (pos[2] >= 0)
        values_[static_cast<std::size_t>(pos[2])] = (pos[2] == pos[0] ? dpin : 0.0) - 1.0;
    }
  }

  // Network injections S_i = V_i conj(sum_j Y_ij V_j), mismatch and Jacobian in one pass.
  // Rectangular voltages, for the AC rows (whose neighbours are all AC); DC rows use v_pu.
  for (std::size_t i = 0; i < n; ++i)
    if (ac_node_[i] != 0) voltage_[i] = std::polar(state.v_pu[i], state.angle_rad[i]);
  const auto& y = net.y;
  const auto& row_start = pattern_.column_start;
  double max_abs = 0.0;
  worst = -1;
  for (std::size_t i = 0; i < n; ++i) {
    const auto p_row = primary_[i];
    if (p_row < 0) continue;
    if (ac_node_[i] == 0) {
      // DC rows are real: P_i = V_i sum_j G_ij V_j, no angles, no Q. The Jacobian row is
      // written in the same sweep; its diagonal needs the whole sum and is finished after it.
      const double v_i = state.v_pu[i];
      double current = 0.0;
      auto write = static_cast<std::size_t>(row_start[static_cast<std::size_t>(p_row)]);
      std::size_t diagonal = values_.size();
      double g_ii = 0.0;
      for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k) {
        const auto j = static_cast<std::size_t>(y.column[static_cast<std::size_t>(k)]);
        const double g = y.value[static_cast<std::size_t>(k)].real();
        current += g * state.v_pu[j];
        if (!with_jacobian || !(unknown_columns_[j] & magnitude_column)) continue;
        if (j == i) {
          diagonal = write;
          g_ii = g;
        }
        values_[write++] = v_i * g;
      }
      if (diagonal < values_.size()) values_[diagonal] = current + g_ii * v_i + dp_dv_[i];
      const double f_p = v_i * current - p_spec_[i];
      mismatch_[static_cast<std::size_t>(p_row)] = f_p;
      const double node_max = std::max(std::fabs(f_p) - round_off_floor_[i], 0.0);
      if (node_max > max_abs) {
        max_abs = node_max;
        worst = static_cast<std::int32_t>(i);
      }
      continue;
    }
    const Complex v_i = voltage_[i];
    Complex current{};
    for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k)
      current += y.value[static_cast<std::size_t>(k)] *
                 voltage_[static_cast<std::size_t>(y.column[static_cast<std::size_t>(k)])];
    const Complex s = v_i * std::conj(current);
    const double f_p = s.real() - p_spec_[i];
    mismatch_[static_cast<std::size_t>(p_row)] = f_p;
    double node_max = std::fabs(f_p);
    const auto q_row = secondary_[i];
    if (q_row >= 0) {
      const double f_q = s.imag() - q_spec_[i];
      mismatch_[static_cast<std::size_t>(q_row)] = f_q;
      node_max = std::max(node_max, std::fabs(f_q));
    }
    // What rounding alone leaves at this node does not count against convergence.
    node_max = std::max(node_max - round_off_floor_[i], 0.0);
    if (node_max > max_abs) {
      max_abs = node_max;
      worst = static_cast<std::int32_t>(i);
    }
    if (!with_jacobian) continue;
    auto write_p = static_cast<std::size_t>(row_start[static_cast<std::size_t>(p_row)]);
    auto write_q = q_row >= 0 ? static_cast<std::size_t>(row_start[static_cast<std::size_t>(q_row)])
                              : std::size_t{0};
    for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k) {
      const auto j = static_cast<std::size_t>(y.column[static_cast<std::size_t>(k)]);
      const auto columns = unknown_columns_[j];
      if (columns == 0) continue;
      Complex ds_dtheta;
      Complex ds_dv;
      if (j != i) {
        const Complex t = v_i * std::conj(y.value[static_cast<std::size_t>(k)] * voltage_[j]);
        ds_dtheta = -j_unit * t;
        ds_dv = t / state.v_pu[j];
      } else {
        const Complex t = v_i * std::conj(y.value[static_cast<std::size_t>(k)] * v_i);
        ds_dtheta = j_unit * (s - t);
        ds_dv = (s + t) / state.v_pu[i];
        // Voltage-dependent loads: F = P - P_spec(V).
        ds_dv += Complex(dp_dv_[i], dq_dv_[i]);
      }
      // Same order as the pattern: angle column, then magnitude column.
      if (columns & angle_column) {
        values_[write_p++] = ds_dtheta.real();
        if (q_row >= 0) values_[write_q++] = ds_dtheta.imag();
      }
      if (columns & magnitude_column) {
        values_[write_p++] = ds_dv.real();
        if (q_row >= 0) values_[write_q++] = ds_dv.imag();
      }
    }
  }
  return max_abs;
}

void NewtonSolver::apply_step(const State& base, const std::vector<double>& step, double alpha,
                              State& out) const {
  out.v_pu = base.v_pu;
  out.angle_rad = base.angle_rad;
  out.converter_p_pu = base.converter_p_pu;
  for (std::size_t i = 0; i < network_.nodes.size(); ++i) {
    // A node's own unknowns: angle (primary) and magnitude (secondary) for pq, angle for pv,
    // magnitude (primary) for DC. A converter_slack node's primary is its converter's power.
    const auto columns = unknown_columns_[i];
    if (columns & angle_column) {
      out.angle_rad[i] += alpha * step[static_cast<std::size_t>(primary_[i])];
      if (columns & magnitude_column)
        out.v_pu[i] += alpha * step[static_cast<std::size_t>(secondary_[i])];
    } else if (columns & magnitude_column) {
      out.v_pu[i] += alpha * step[static_cast<std::size_t>(primary_[i])];
    }
  }
  for (std::size_t c = 0; c < converter_column_.size(); ++c)
    if (converter_column_[c] >= 0)
      out.converter_p_pu[c] += alpha * step[static_cast<std::size_t>(converter_column_[c])];
}

NewtonOutcome NewtonSolver::run(State& state, const NewtonOptions& options) {
  NewtonOutcome outcome;
  std::int32_t worst = -1;
  outcome.max_mismatch_pu = evaluate(state, options.load_scale, true, worst);
  outcome.worst_node = worst;
  if (pattern_.size == 0) {
    outcome.converged = true;
    return outcome;
  }
  auto norm2 = [&] {
    double sum = 0.0;
    for (const double f : mismatch_) sum += f * f;
    return sum;
  };
  double merit = norm2();
  State trial = state;
  while (true) {
    if (outcome.max_mismatch_pu <= options.tolerance_pu) {
      outcome.converged = true;
      return outcome;
    }
    if (outcome.iterations >= options.max_iterations) return outcome;
    bool factored = lu_->factor(values_);
    if (factored && ordering_ == Ordering::reverse_given &&
        lu_->factor_nonzeros() > 4.0 * static_cast<double>(pattern_.row.size())) {
      // The free ordering filled in badly (long-range loops): fall back to minimum degree.
      lu_ = std::make_unique<SparseLu>(pattern_, Ordering::amd);
      ordering_ = Ordering::amd;
      factored = lu_->factor(values_);
    }
    if (!factored) {
      outcome.singular = true;
      // Map the singular column back to its node.
      const auto col = lu_->singular_column();
      for (std::size_t i = 0; i < primary_.size(); ++i)
        if (primary_[i] == col || secondary_[i] == col)
          outcome.worst_node = static_cast<std::int32_t>(i);
      return outcome;
    }
    for (std::size_t r = 0; r < step_.size(); ++r) step_[r] = -mismatch_[r];
    lu_->solve_transposed(step_);  // the pattern holds the Jacobian's transpose
    ++outcome.iterations;

    // Backtracking: halve the step until the squared mismatch falls and voltages stay positive.
    double alpha = 1.0;
    bool accepted = false;
    for (int trial_count = 0; trial_count < 12; ++trial_count, alpha *= 0.5) {
      apply_step(state, step_, alpha, trial);
      if (std::any_of(trial.v_pu.begin(), trial.v_pu.end(), [](double v) { return !(v > 0.0); }))
        continue;
      const double max_abs = evaluate(trial, options.load_scale, true, worst);
      const double trial_merit = norm2();
      if (std::isfinite(trial_merit) && (trial_merit < merit || max_abs <= options.tolerance_pu)) {
        std::swap(state, trial);
        merit = trial_merit;
        outcome.max_mismatch_pu = max_abs;
        outcome.worst_node = worst;
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      // Leave the mismatch of the unchanged state in place for the caller's diagnosis.
      outcome.max_mismatch_pu = evaluate(state, options.load_scale, true, worst);
      outcome.worst_node = worst;
      return outcome;
    }
  }
}

}  // namespace g2g::steady
