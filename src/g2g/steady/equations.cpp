#include "g2g/steady/equations.hpp"

#include "g2g/steady/kinds.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace g2g::steady {

namespace {

constexpr Complex j_unit{0.0, 1.0};

// Bits of NetworkEquations::unknown_columns_.
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

NetworkEquations::NetworkEquations(const Network& network) : network_(network) {
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
    return converter_column_[c] >= 0 && network.active(ElementType::converter, c);
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
  p_spec_.assign(n, 0.0);
  q_spec_.assign(n, 0.0);
  dp_dv_.assign(n, 0.0);
  dq_dv_.assign(n, 0.0);
  voltage_.assign(n, Complex{});
  refresh();
}

void NetworkEquations::refresh() {
  const auto& y = network_.y;
  const std::size_t n = network_.nodes.size();
  // The mismatch is a sum of terms as large as |Y_ij| (flat voltages); rounding leaves about
  // eps times their total in it, which no iteration can remove; allow a small multiple of that.
  round_off_floor_.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double gross = 0.0;
    if (network_.nodes[i].kind == model::BusKind::dc) {
      // DC entries are real: |y| is |Re y|, without the cost of hypot.
      for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k)
        gross += std::fabs(y.value[static_cast<std::size_t>(k)].real());
    } else {
      for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k)
        gross += std::abs(y.value[static_cast<std::size_t>(k)]);
    }
    round_off_floor_[i] = 16.0 * std::numeric_limits<double>::epsilon() * gross;
  }
}

double NetworkEquations::evaluate(const State& state, double load_scale, bool with_jacobian,
                                  std::int32_t& worst) {
  const auto& net = network_;
  const std::size_t n = net.nodes.size();
  // The element kinds' state-dependent terms (voltage-dependent loads, converters), when any kind
  // has some in this network: then the specified injections at the present voltages and their
  // derivatives are gathered per node first. Without them (constant-power loads only) the sweep
  // below takes them straight from the network's arrays, which saves writing and reading four
  // arrays per node. Every Jacobian entry is written exactly once, by a kind or below, so values_
  // needs no clearing.
  bool state_dependent = false;
  for_each_kind([&]<typename Kind>() {
    if constexpr (ContributesToResidual<Kind>)
      state_dependent = state_dependent || Kind::contributes(net);
  });
  if (state_dependent) {
    for (std::size_t i = 0; i < n; ++i) {
      p_spec_[i] = net.p_fixed_pu[i] - load_scale * net.p_load_pu[i];
      q_spec_[i] = net.q_fixed_pu[i] - load_scale * net.q_load_pu[i];
      dp_dv_[i] = 0.0;
      dq_dv_[i] = 0.0;
    }
    Contribution contribution{load_scale,
                              p_spec_,
                              q_spec_,
                              dp_dv_,
                              dq_dv_,
                              with_jacobian,
                              values_,
                              converter_column_,
                              converter_position_};
    for_each_kind([&]<typename Kind>() {
      if constexpr (ContributesToResidual<Kind>) Kind::contribute(net, state, contribution);
    });
  }
  auto p_spec = [&](std::size_t i) {
    return state_dependent ? p_spec_[i] : net.p_fixed_pu[i] - load_scale * net.p_load_pu[i];
  };
  auto q_spec = [&](std::size_t i) {
    return state_dependent ? q_spec_[i] : net.q_fixed_pu[i] - load_scale * net.q_load_pu[i];
  };

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
      if (diagonal < values_.size())
        values_[diagonal] = current + g_ii * v_i + (state_dependent ? dp_dv_[i] : 0.0);
      const double f_p = v_i * current - p_spec(i);
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
    const double f_p = s.real() - p_spec(i);
    mismatch_[static_cast<std::size_t>(p_row)] = f_p;
    double node_max = std::fabs(f_p);
    const auto q_row = secondary_[i];
    if (q_row >= 0) {
      const double f_q = s.imag() - q_spec(i);
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
        if (state_dependent) ds_dv += Complex(dp_dv_[i], dq_dv_[i]);
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

void NetworkEquations::apply_step(const State& base, std::span<const double> step, double alpha,
                                  State& out) const {
  // One pass that copies each node's state and moves its unknowns (not a copy of the whole state
  // and then a second pass): out may be a state of the same network or empty.
  const std::size_t n = network_.nodes.size();
  out.v_pu.resize(n);
  out.angle_rad.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    // A node's own unknowns: angle (primary) and magnitude (secondary) for pq, angle for pv,
    // magnitude (primary) for DC. A converter_slack node's primary is its converter's power.
    const auto columns = unknown_columns_[i];
    double v_pu = base.v_pu[i];
    double angle_rad = base.angle_rad[i];
    if (columns & angle_column) {
      angle_rad += alpha * step[static_cast<std::size_t>(primary_[i])];
      if (columns & magnitude_column) v_pu += alpha * step[static_cast<std::size_t>(secondary_[i])];
    } else if (columns & magnitude_column) {
      v_pu += alpha * step[static_cast<std::size_t>(primary_[i])];
    }
    out.v_pu[i] = v_pu;
    out.angle_rad[i] = angle_rad;
  }
  out.converter_p_pu = base.converter_p_pu;
  for (std::size_t c = 0; c < converter_column_.size(); ++c)
    if (converter_column_[c] >= 0)
      out.converter_p_pu[c] += alpha * step[static_cast<std::size_t>(converter_column_[c])];
}

void NetworkEquations::gather(const State& state, std::span<double> x) const {
  for (std::size_t i = 0; i < network_.nodes.size(); ++i) {
    const auto columns = unknown_columns_[i];
    if (columns & angle_column) {
      x[static_cast<std::size_t>(primary_[i])] = state.angle_rad[i];
      if (columns & magnitude_column) x[static_cast<std::size_t>(secondary_[i])] = state.v_pu[i];
    } else if (columns & magnitude_column) {
      x[static_cast<std::size_t>(primary_[i])] = state.v_pu[i];
    }
  }
  for (std::size_t c = 0; c < converter_column_.size(); ++c)
    if (converter_column_[c] >= 0)
      x[static_cast<std::size_t>(converter_column_[c])] = state.converter_p_pu[c];
}

std::vector<std::int32_t> NetworkEquations::column_nodes() const {
  std::vector<std::int32_t> node(static_cast<std::size_t>(size()), -1);
  for (std::size_t i = primary_.size(); i-- > 0;) {  // the lowest node wins, as in node_of_column
    if (secondary_[i] >= 0)
      node[static_cast<std::size_t>(secondary_[i])] = static_cast<std::int32_t>(i);
    if (primary_[i] >= 0)
      node[static_cast<std::size_t>(primary_[i])] = static_cast<std::int32_t>(i);
  }
  return node;
}

std::int32_t NetworkEquations::node_of_column(std::int32_t column) const {
  for (std::size_t i = 0; i < primary_.size(); ++i)
    if (primary_[i] == column || secondary_[i] == column) return static_cast<std::int32_t>(i);
  return -1;
}

}  // namespace g2g::steady
