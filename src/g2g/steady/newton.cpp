#include "g2g/steady/newton.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace g2g::steady {

namespace {

constexpr Complex j_unit{0.0, 1.0};

bool has_angle(NodeRole role) {
  return role == NodeRole::pv || role == NodeRole::pq;
}

// Counting sort of (column, row) pairs into a compressed-column pattern without duplicates.
CscPattern build_pattern(std::int32_t size,
                         const std::vector<std::pair<std::int32_t, std::int32_t>>& entries) {
  CscPattern pattern;
  pattern.size = size;
  std::vector<std::int32_t> start(static_cast<std::size_t>(size) + 1, 0);
  for (const auto& [col, row] : entries) ++start[static_cast<std::size_t>(col) + 1];
  for (std::size_t c = 0; c < static_cast<std::size_t>(size); ++c) start[c + 1] += start[c];
  std::vector<std::int32_t> rows(entries.size());
  std::vector<std::int32_t> fill(start.begin(), start.end() - 1);
  for (const auto& [col, row] : entries)
    rows[static_cast<std::size_t>(fill[static_cast<std::size_t>(col)]++)] = row;
  pattern.column_start.assign(static_cast<std::size_t>(size) + 1, 0);
  pattern.row.reserve(rows.size());
  for (std::size_t c = 0; c < static_cast<std::size_t>(size); ++c) {
    auto first = rows.begin() + start[c];
    auto last = rows.begin() + start[c + 1];
    std::sort(first, last);
    last = std::unique(first, last);
    pattern.row.insert(pattern.row.end(), first, last);
    pattern.column_start[c + 1] = static_cast<std::int32_t>(pattern.row.size());
  }
  return pattern;
}

std::int32_t position_of(const CscPattern& pattern, std::int32_t row, std::int32_t col) {
  if (row < 0 || col < 0) return -1;
  const auto first = pattern.row.begin() + pattern.column_start[static_cast<std::size_t>(col)];
  const auto last = pattern.row.begin() + pattern.column_start[static_cast<std::size_t>(col) + 1];
  const auto it = std::lower_bound(first, last, row);
  return (it != last && *it == row) ? static_cast<std::int32_t>(it - pattern.row.begin()) : -1;
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
  converter_column_.assign(network.converters.size(), -1);
  std::int32_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& node = network.nodes[i];
    switch (node.role) {
      case NodeRole::pq:
        primary_[i] = count++;
        secondary_[i] = count++;
        break;
      case NodeRole::pv:
      case NodeRole::dc:
        primary_[i] = count++;
        break;
      case NodeRole::converter_slack:
        primary_[i] = count++;
        converter_column_[static_cast<std::size_t>(node.converter)] = primary_[i];
        break;
      case NodeRole::slack:
      case NodeRole::dead:
        break;
    }
  }
  // Columns of a node's angle and magnitude unknowns, rows of its P and Q equations.
  auto theta_col = [&](std::size_t i) {
    return has_angle(network.nodes[i].role) ? primary_[i] : -1;
  };
  auto v_col = [&](std::size_t i) {
    return network.nodes[i].role == NodeRole::dc ? primary_[i] : secondary_[i];
  };
  const auto& y = network.y;
  std::vector<std::pair<std::int32_t, std::int32_t>> entries;
  entries.reserve(y.column.size() * 2 + network.converters.size() * 3);
  auto add = [&](std::int32_t row, std::int32_t col) {
    if (row >= 0 && col >= 0) entries.emplace_back(col, row);
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (primary_[i] < 0) continue;
    for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k) {
      const auto j = static_cast<std::size_t>(y.column[static_cast<std::size_t>(k)]);
      for (const auto row : {primary_[i], secondary_[i]}) {
        add(row, theta_col(j));
        add(row, v_col(j));
      }
    }
  }
  for (std::size_t c = 0; c < network.converters.size(); ++c) {
    const auto col = converter_column_[c];
    if (col < 0 || !network.converter_active[c]) continue;
    const auto& link = network.converters[c];
    add(primary_[static_cast<std::size_t>(link.input_node)], col);
    add(secondary_[static_cast<std::size_t>(link.input_node)], col);
    add(primary_[static_cast<std::size_t>(link.output_node)], col);
  }
  pattern_ = build_pattern(count, entries);

  entry_position_.assign(y.column.size(), {-1, -1, -1, -1});
  for (std::size_t i = 0; i < n; ++i) {
    if (primary_[i] < 0) continue;
    for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k) {
      const auto j = static_cast<std::size_t>(y.column[static_cast<std::size_t>(k)]);
      auto& pos = entry_position_[static_cast<std::size_t>(k)];
      pos[0] = position_of(pattern_, primary_[i], theta_col(j));
      pos[1] = position_of(pattern_, primary_[i], v_col(j));
      pos[2] = position_of(pattern_, secondary_[i], theta_col(j));
      pos[3] = position_of(pattern_, secondary_[i], v_col(j));
    }
  }
  converter_position_.assign(network.converters.size(), {-1, -1, -1});
  for (std::size_t c = 0; c < network.converters.size(); ++c) {
    const auto col = converter_column_[c];
    if (col < 0 || !network.converter_active[c]) continue;
    const auto& link = network.converters[c];
    converter_position_[c] = {
        position_of(pattern_, primary_[static_cast<std::size_t>(link.input_node)], col),
        position_of(pattern_, secondary_[static_cast<std::size_t>(link.input_node)], col),
        position_of(pattern_, primary_[static_cast<std::size_t>(link.output_node)], col)};
  }
  values_.assign(pattern_.row.size(), 0.0);
  mismatch_.assign(static_cast<std::size_t>(count), 0.0);
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
    for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k)
      gross += std::abs(y.value[static_cast<std::size_t>(k)]);
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
  if (with_jacobian) std::fill(values_.begin(), values_.end(), 0.0);
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
      if (pos[0] >= 0) values_[static_cast<std::size_t>(pos[0])] += dpin;
      if (pos[1] >= 0) values_[static_cast<std::size_t>(pos[1])] += link.q_in_per_p * dpin;
      if (pos[2] >= 0) values_[static_cast<std::size_t>(pos[2])] -= 1.0;
    }
  }

  // Network injections S_i = V_i conj(sum_j Y_ij V_j), mismatch and Jacobian in one pass.
  for (std::size_t i = 0; i < n; ++i)
    voltage_[i] = net.nodes[i].kind == model::BusKind::ac
                      ? std::polar(state.v_pu[i], state.angle_rad[i])
                      : Complex(state.v_pu[i], 0.0);
  const auto& y = net.y;
  double max_abs = 0.0;
  worst = -1;
  for (std::size_t i = 0; i < n; ++i) {
    const auto p_row = primary_[i];
    if (p_row < 0) continue;
    if (net.nodes[i].kind == model::BusKind::dc) {
      // DC rows are real: P_i = V_i sum_j G_ij V_j, no angles, no Q.
      const double v_i = state.v_pu[i];
      double current = 0.0;
      for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k)
        current += y.value[static_cast<std::size_t>(k)].real() *
                   state.v_pu[static_cast<std::size_t>(y.column[static_cast<std::size_t>(k)])];
      const double f_p = v_i * current - p_spec_[i];
      mismatch_[static_cast<std::size_t>(p_row)] = f_p;
      const double node_max = std::max(std::fabs(f_p) - round_off_floor_[i], 0.0);
      if (node_max > max_abs) {
        max_abs = node_max;
        worst = static_cast<std::int32_t>(i);
      }
      if (!with_jacobian) continue;
      for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k) {
        const auto position = entry_position_[static_cast<std::size_t>(k)][1];
        if (position < 0) continue;
        const double g = y.value[static_cast<std::size_t>(k)].real();
        const auto j = static_cast<std::size_t>(y.column[static_cast<std::size_t>(k)]);
        values_[static_cast<std::size_t>(position)] +=
            j == i ? current + g * v_i + dp_dv_[i] : v_i * g;
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
    for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k) {
      const auto j = static_cast<std::size_t>(y.column[static_cast<std::size_t>(k)]);
      const auto& pos = entry_position_[static_cast<std::size_t>(k)];
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
      if (pos[0] >= 0) values_[static_cast<std::size_t>(pos[0])] += ds_dtheta.real();
      if (pos[1] >= 0) values_[static_cast<std::size_t>(pos[1])] += ds_dv.real();
      if (pos[2] >= 0) values_[static_cast<std::size_t>(pos[2])] += ds_dtheta.imag();
      if (pos[3] >= 0) values_[static_cast<std::size_t>(pos[3])] += ds_dv.imag();
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
    if (primary_[i] < 0) continue;
    const double primary_step = alpha * step[static_cast<std::size_t>(primary_[i])];
    if (network_.nodes[i].role == NodeRole::dc)
      out.v_pu[i] += primary_step;
    else if (has_angle(network_.nodes[i].role))
      out.angle_rad[i] += primary_step;
    if (secondary_[i] >= 0) out.v_pu[i] += alpha * step[static_cast<std::size_t>(secondary_[i])];
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
  std::vector<double> step(mismatch_.size());
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
    for (std::size_t r = 0; r < step.size(); ++r) step[r] = -mismatch_[r];
    lu_->solve(step);
    ++outcome.iterations;

    // Backtracking: halve the step until the squared mismatch falls and voltages stay positive.
    double alpha = 1.0;
    bool accepted = false;
    for (int trial_count = 0; trial_count < 12; ++trial_count, alpha *= 0.5) {
      apply_step(state, step, alpha, trial);
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
