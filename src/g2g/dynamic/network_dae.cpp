#include "g2g/dynamic/network_dae.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <utility>

#include "g2g/components/capacitor.hpp"
#include "g2g/components/conductor.hpp"
#include "g2g/components/converter_control.hpp"
#include "g2g/components/dc_line_dynamics.hpp"
#include "g2g/components/load.hpp"
#include "g2g/components/utility_source.hpp"
#include "g2g/core/error.hpp"
#include "g2g/model/dynamic_requirements.hpp"

namespace g2g::dynamic {

namespace {

using steady::Complex;
using steady::ElementType;
using steady::NodeRole;

constexpr std::int64_t none = -1;

std::int64_t shadow_row(std::size_t k) {
  return -2 - static_cast<std::int64_t>(k);
}

}  // namespace

struct NetworkDae::Line {
  std::int32_t from = 0;  // nodes
  std::int32_t to = 0;
  components::RlLoop loop;
  std::int64_t current = none;  // unknown
};

struct NetworkDae::Converter {
  std::int32_t input = 0;  // nodes
  std::int32_t output = 0;
  bool dc_input = true;
  bool dc_output = true;
  bool voltage_control = true;
  double p_set_w = 0.0;      // power control
  double q_in_per_p = 0.0;   // AC input
  double q_out_per_p = 0.0;  // AC output, power control
  const components::EfficiencyCurveLoss* loss = nullptr;
  components::PiVoltageLoop loop;  // voltage control, DC output
  std::int64_t integrator = none;  // z of the PI loop
  std::int64_t power = none;       // voltage control, AC output: its island's power, W
};

// A DC-link capacitor with an ESR at a converter's port (without one it is part of its node's
// capacitance): the series R-C branch to ground with its current eliminated.
struct NetworkDae::Capacitor {
  std::int32_t node = 0;
  components::SeriesRc rc;
  std::size_t converter = 0;
  bool input = false;           // at the converter's input port (else its output)
  std::int64_t voltage = none;  // v_c, across the ideal capacitor
};

struct NetworkDae::Load {
  std::int32_t node = 0;
  bool dc = true;
  double p_w = 0.0;  // at nominal voltage, when not driven
  double q_var = 0.0;
  components::ZipFractions zip;
  std::int32_t drive = -1;  // index into LoadPowers::functions
};

// A utility with a Thevenin impedance (`short_circuit_power`) or a frequency model (`inertia`).
// Thevenin: a constant EMF behind Z_th at its node, whose angle and |V| are unknowns; stiff with
// inertia: its node stays fixed and its delivered power is an unknown, the row of the node's P
// balance (as a converter's power is where it sets an AC island).
struct NetworkDae::Utility {
  std::size_t source = 0;
  std::int32_t node = 0;
  bool thevenin = false;
  components::TheveninSource emf;  // Thevenin: E (set to match the power flow) and Z_th, pu
  std::int64_t power = none;       // stiff with inertia: its delivered power, W
  double p0_w = 0.0;               // delivered at t = 0 (the power flow's)
  double rating_va = 0.0;          // the base of H and droop
  components::FrequencyModel frequency;
  std::int64_t speed = none;       // with inertia: frequency deviation, pu of nominal
  std::int64_t mechanical = none;  // with inertia: governor power deviation, pu of rating
};

struct NetworkDae::Injection {
  std::int32_t node = 0;
  bool dc = true;
  bool storage = false;
  double p_w = 0.0;  // injected
  double q_var = 0.0;
};

// One pass over the elements serves three purposes: the residual, the Jacobian's values, and
// (once) its pattern. Every Jacobian entry is added in the same order in the last two modes, so
// the pattern pass records where each lands (slot) and the value pass just follows the record.
class NetworkDae::Assembly {
 public:
  enum class Mode : std::uint8_t { residual, jacobian, pattern };

  Mode mode = Mode::residual;
  double cj = 0.0;
  std::span<double> f;       // residual
  std::span<double> shadow;  // fixed nodes' balances
  std::span<const double> yp;
  std::span<double> values;  // Jacobian
  const std::int64_t* slot = nullptr;
  std::size_t cursor = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>>* entries = nullptr;

  [[nodiscard]] bool residual() const noexcept { return mode == Mode::residual; }
  [[nodiscard]] double derivative(std::int64_t column) const noexcept {
    return column >= 0 ? yp[static_cast<std::size_t>(column)] : 0.0;
  }

  void add_f(std::int64_t row, double value) noexcept {
    if (mode != Mode::residual) return;
    if (row >= 0)
      f[static_cast<std::size_t>(row)] += value;
    else if (row <= -2)
      shadow[static_cast<std::size_t>(-2 - row)] += value;
  }
  void add_j(std::int64_t row, std::int64_t column, double value) {
    if (row < 0 || column < 0) return;
    if (mode == Mode::jacobian)
      values[static_cast<std::size_t>(slot[cursor++])] += value;
    else if (mode == Mode::pattern)
      entries->emplace_back(row, column);
  }

  // A component's stamp: its variable k's equation goes to rows[k] and the variable is
  // unknown columns[k]. They differ at a fixed node, whose voltage is no unknown (column -1)
  // and whose balance is a shadow row; -1 in both for a variable that is neither (ground).
  template <std::size_t N>
  void stamp(const components::Stamp<N>& s, const std::array<std::int64_t, N>& rows,
             const std::array<std::int64_t, N>& columns) {
    for (std::size_t r = 0; r < N; ++r) {
      if (residual()) {
        double value = s.f[r];
        for (std::size_t j = 0; j < N; ++j)
          if (s.dq_dx[r][j] != 0.0) value += s.dq_dx[r][j] * derivative(columns[j]);
        add_f(rows[r], value);
        continue;
      }
      for (std::size_t j = 0; j < N; ++j)
        add_j(rows[r], columns[j], s.df_dx[r][j] + cj * s.dq_dx[r][j]);
    }
  }
};

NetworkDae::NetworkDae(const model::ModelSpec& model, const steady::Network& network,
                       const steady::State& state, LoadPowers loads)
    : model_(model),
      network_(network),
      loads_in_(std::move(loads)),
      s_base_va_(network.base_power_va) {
  const auto& of_load = loads_in_.function_of_load;
  if (!of_load.empty() && of_load.size() != model.loads.size())
    throw InvalidInput(
        "loads",
        fmt::format("{} load function indices for {} loads", of_load.size(), model.loads.size()),
        "give one per model load (-1: steady), or none");
  for (const auto f : of_load)
    if (f < -1 || f >= static_cast<std::int32_t>(loads_in_.functions.size()))
      throw InvalidInput(
          "loads",
          fmt::format("load function index {} of {} functions", f, loads_in_.functions.size()),
          "index LoadPowers::functions, or -1 for a steady load");
  drive_w_.assign(loads_in_.functions.size(), 0.0);
  drive_cursor_.assign(loads_in_.functions.size(), 0);
  // Storage is held at its set-point (no scenario control yet), so its dynamic keys are not
  // needed; a storage technology given anyway is refused rather than ignored.
  core::DiagnosticList problems =
      model::simulation_requirements(model, {.storage_dynamics = false});
  auto refuse = [&](model::Where where, std::string message, std::string fix) {
    problems.error(model::location(model, where), std::move(message), std::move(fix));
  };
  for (const auto& s : model.storage)
    if (s.in_service && s.technology != model::StorageTechnology::unset)
      refuse(s.where, fmt::format("storage '{}': a storage technology is not simulated yet", s.id),
             "remove `technology` to hold it at its set-point");
  for (const auto& c : model.converters)
    if (c.in_service && (c.dynamics.undervoltage_off_v || c.dynamics.ramp_rate_w_per_s))
      refuse(c.where,
             fmt::format("converter '{}': undervoltage turn-off and ramp limits are not "
                         "simulated yet",
                         c.id),
             "remove `undervoltage_off` and `ramp_rate`");
  // One frequency for the grid: two inertial utilities would each swing alone, since the AC
  // network stays quasi-static at nominal frequency with no angle between them.
  const model::Source* inertial = nullptr;
  for (const auto& s : model.sources) {
    if (!s.in_service || !(s.short_circuit_power_va || s.inertia_s)) continue;
    if (s.type != model::SourceType::utility)
      refuse(s.where,
             fmt::format("source '{}': `short_circuit_power` and `inertia` are a utility's keys",
                         s.id),
             "remove them, or make the source `type: utility`");
    else if (s.inertia_s && inertial != nullptr)
      refuse(s.where,
             fmt::format("utility '{}': a second utility with `inertia` (after '{}') is not "
                         "simulated: the network has one frequency",
                         s.id, inertial->id),
             "give `inertia` to one utility (the grid equivalent) only");
    else if (s.inertia_s)
      inertial = &s;
  }
  if (problems.has_errors()) throw core::ModelError(std::move(problems));
  build(state);
}

NetworkDae::~NetworkDae() = default;
NetworkDae::NetworkDae(NetworkDae&&) noexcept = default;

std::int64_t NetworkDae::add_unknown(std::string element, std::string state, bool is_diff,
                                     double scale, double value) {
  names_.push_back({std::move(element), std::move(state)});
  differential_.push_back(is_diff);
  scale_.push_back(scale);
  y0_.push_back(value);
  return unknowns_++;
}

void NetworkDae::build(const steady::State& state) {
  const auto& nodes = network_.nodes;
  const std::size_t node_count = nodes.size();
  p_row_.assign(node_count, none);
  q_row_.assign(node_count, none);
  angle_column_.assign(node_count, none);
  voltage_column_.assign(node_count, none);
  node_capacitance_f_.assign(node_count, 0.0);
  fixed_voltage_.assign(node_count, 0.0);

  // Capacitance per DC node: its buses' and the ideal DC-link capacitors at it.
  for (std::size_t b = 0; b < model_.buses.size(); ++b) {
    const auto& bus = model_.buses[b];
    if (bus.kind != model::BusKind::dc || !bus.capacitance_f) continue;
    const auto node = steady::node_of(network_, static_cast<model::BusIndex>(b));
    if (node >= 0) node_capacitance_f_[static_cast<std::size_t>(node)] += *bus.capacitance_f;
  }
  const auto& converter_active = network_.stamps_of(ElementType::converter).active;
  for (std::size_t c = 0; c < model_.converters.size(); ++c) {
    if (!converter_active[c]) continue;
    const auto& conv = model_.converters[c];
    const auto& link = network_.converters[c];
    const auto& d = conv.dynamics;
    for (const bool input : {true, false}) {
      const auto node = input ? link.input_node : link.output_node;
      const auto& c_f = input ? d.input_capacitance_f : d.output_capacitance_f;
      const auto& esr_ohm = input ? d.input_esr_ohm : d.output_esr_ohm;
      if (!c_f || nodes[static_cast<std::size_t>(node)].kind != model::BusKind::dc) continue;
      if (esr_ohm.value_or(0.0) > 0.0)
        capacitors_.push_back({node, {*c_f, *esr_ohm}, c, input, none});
      else
        node_capacitance_f_[static_cast<std::size_t>(node)] += *c_f;
    }
  }

  add_utilities(state);
  // The nodes' unknowns. Their scales: the change of voltage (or angle) that moves 1 pu of power
  // through the node's branches, 1 / |Y_nn| in per unit, where that is below 1 pu. A stiff node
  // (a short feeder at 13.8 kV has |Y_nn| ~ 5e4 pu) must be solved that much more tightly than
  // its voltage's size suggests, or the power balances err by kilowatts within tolerance.
  for (std::size_t n = 0; n < node_count; ++n) {
    const auto& node = nodes[n];
    const double stiffness_pu =
        std::max(1.0, std::abs(network_.y.value[static_cast<std::size_t>(network_.y.diagonal[n])]));
    const double scale_pu = 1.0 / stiffness_pu;
    const std::string& id =
        node.bus >= 0 ? model_.buses[static_cast<std::size_t>(node.bus)].id : std::string();
    const bool dc = node.kind == model::BusKind::dc;
    switch (node.role) {
      case NodeRole::dead:
        break;
      case NodeRole::slack:
        if (p_row_[n] != none) break;  // a Thevenin or inertial utility's (add_utilities)
        fixed_voltage_[n] = dc ? node.v_set_pu * node.base_voltage_v : node.v_set_pu;
        p_row_[n] = shadow_row(shadow_node_.size());
        shadow_node_.push_back(static_cast<std::int32_t>(n));
        break;
      case NodeRole::converter_slack:
        if (!dc) {  // the converter's power, added with the converters below
          fixed_voltage_[n] = node.v_set_pu;
          break;
        }
        [[fallthrough]];
      case NodeRole::dc:
        voltage_column_[n] =
            add_unknown(id, "v", node_capacitance_f_[n] > 0.0, scale_pu * node.base_voltage_v,
                        state.v_pu[n] * node.base_voltage_v);
        p_row_[n] = voltage_column_[n];
        break;
      case NodeRole::pv:
        angle_column_[n] = add_unknown(id, "angle", false, scale_pu, state.angle_rad[n]);
        p_row_[n] = angle_column_[n];
        fixed_voltage_[n] = node.v_set_pu;
        break;
      case NodeRole::pq:
        angle_column_[n] = add_unknown(id, "angle", false, scale_pu, state.angle_rad[n]);
        voltage_column_[n] = add_unknown(id, "v", false, scale_pu, state.v_pu[n]);
        p_row_[n] = angle_column_[n];
        q_row_[n] = voltage_column_[n];
        break;
    }
  }
  shadow_.assign(shadow_node_.size(), 0.0);
  const std::vector<double>& v_pu = state.v_pu;  // the power flow's voltages

  // DC-link capacitors with ESR: at rest, charged to their node's voltage.
  for (auto& capacitor : capacitors_) {
    const auto n = static_cast<std::size_t>(capacitor.node);
    capacitor.voltage = add_unknown(model_.converters[capacitor.converter].id,
                                    capacitor.input ? "v_c_in" : "v_c_out", true,
                                    nodes[n].base_voltage_v, v_pu[n] * nodes[n].base_voltage_v);
  }

  // DC lines: loop R-L.
  line_slot_.assign(model_.lines.size(), -1);
  converter_slot_.assign(model_.converters.size(), -1);
  load_slot_.assign(model_.loads.size(), -1);
  const auto& line_active = network_.stamps_of(ElementType::line).active;
  for (std::size_t l = 0; l < model_.lines.size(); ++l) {
    const auto& line = model_.lines[l];
    if (!line_active[l]) continue;
    const auto from = steady::node_of(network_, line.from);
    const auto to = steady::node_of(network_, line.to);
    if (nodes[static_cast<std::size_t>(from)].kind != model::BusKind::dc) continue;
    Line dl;
    dl.from = from;
    dl.to = to;
    dl.loop.r_ohm = components::line_resistance_ohm(line, model::BusKind::dc, 0.0);
    const double per_m = line.inductance_h_per_m.value_or(
        line.type == model::LineType::breaker
            ? 0.0
            : components::default_loop_inductance_h_per_m(line.type));
    // Parallel runs share the current: their loops in parallel (their mutual coupling
    // neglected, which errs on the low side).
    dl.loop.l_h = per_m * line.length_m / std::max(1, line.parallel_runs);
    const double v_from =
        v_pu[static_cast<std::size_t>(from)] * nodes[static_cast<std::size_t>(from)].base_voltage_v;
    const double v_to =
        v_pu[static_cast<std::size_t>(to)] * nodes[static_cast<std::size_t>(to)].base_voltage_v;
    const double i0 = dl.loop.r_ohm > 0.0 ? (v_from - v_to) / dl.loop.r_ohm : 0.0;
    dl.current = add_unknown(line.id, "i", dl.loop.l_h > 0.0,
                             std::max({line.ampacity_a, std::fabs(i0), 1.0}), i0);
    line_slot_[l] = static_cast<std::int32_t>(lines_.size());
    lines_.push_back(dl);
  }

  // Converters.
  core::DiagnosticList problems;
  for (std::size_t c = 0; c < model_.converters.size(); ++c) {
    if (!converter_active[c]) continue;
    const auto& conv = model_.converters[c];
    const auto& link = network_.converters[c];
    Converter dc;
    dc.input = link.input_node;
    dc.output = link.output_node;
    dc.dc_input = nodes[static_cast<std::size_t>(dc.input)].kind == model::BusKind::dc;
    dc.dc_output = nodes[static_cast<std::size_t>(dc.output)].kind == model::BusKind::dc;
    dc.voltage_control = link.voltage_control;
    dc.p_set_w = conv.p_set_w;
    dc.q_in_per_p = link.q_in_per_p;
    dc.q_out_per_p = link.q_out_per_p;
    dc.loss = &link.loss;
    const bool solved = network_.nodes[static_cast<std::size_t>(link.output_node)].converter ==
                        static_cast<std::int32_t>(c);
    const double p0_w = solved ? state.converter_p_pu[c] * s_base_va_ : conv.p_set_w;
    if (dc.voltage_control && dc.dc_output) {
      const auto& d = conv.dynamics;
      const auto out = static_cast<std::size_t>(dc.output);
      const double v_out = v_pu[out] * nodes[out].base_voltage_v;
      const double i0 = p0_w / v_out;
      const double i_max = model::current_limit_a(model_, conv).value_or(0.0);
      if (std::fabs(i0) > i_max)
        problems.error(model::location(model_, conv.where),
                       fmt::format("converter '{}' carries {:.4g} A in the power flow, above its "
                                   "current limit of {:.4g} A",
                                   conv.id, i0, i_max),
                       "raise `current_limit`: a simulation starts from the power flow");
      const double c_f = d.output_capacitance_f.value_or(0.0);
      const auto gains = components::pi_voltage_gains(c_f, d.voltage_bandwidth_hz.value_or(0.0),
                                                      d.damping.value_or(0.0));
      const double r_droop_ohm = d.droop_pu.value_or(0.0) * nodes[out].base_voltage_v *
                                 nodes[out].base_voltage_v / model::installed_rating_w(conv);
      // The reference that puts the drooped voltage at the power flow's set-point at t = 0.
      dc.loop = components::pi_voltage_loop(gains, v_out + r_droop_ohm * i0, i_max, r_droop_ohm);
      dc.integrator = add_unknown(conv.id, "z", true, std::max(i_max, 1.0), i0);
    } else if (dc.voltage_control) {  // sets an AC island: its power balances the island
      dc.power =
          add_unknown(conv.id, "p", false, std::max(model::installed_rating_w(conv), 1.0), p0_w);
      p_row_[static_cast<std::size_t>(dc.output)] = dc.power;
    }
    converter_slot_[c] = static_cast<std::int32_t>(converters_.size());
    converters_.push_back(dc);
  }
  if (problems.has_errors()) throw core::ModelError(std::move(problems));

  // Loads, storage and generators.
  const auto& load_active = network_.stamps_of(ElementType::load).active;
  for (std::size_t i = 0; i < model_.loads.size(); ++i) {
    if (!load_active[i]) continue;
    const auto& load = model_.loads[i];
    Load l;
    l.node = steady::node_of(network_, load.bus);
    l.dc = nodes[static_cast<std::size_t>(l.node)].kind == model::BusKind::dc;
    l.p_w = model::nominal_load_power_w(load);
    l.q_var = l.dc ? 0.0 : load.q_var;
    l.zip = components::zip_fractions(load);
    if (!loads_in_.function_of_load.empty()) l.drive = loads_in_.function_of_load[i];
    load_slot_[i] = static_cast<std::int32_t>(loads_.size());
    loads_.push_back(l);
  }
  const auto& storage_active = network_.stamps_of(ElementType::storage).active;
  for (std::size_t i = 0; i < model_.storage.size(); ++i) {
    if (!storage_active[i]) continue;
    const auto& s = model_.storage[i];
    const auto node = steady::node_of(network_, s.bus);
    const bool dc = nodes[static_cast<std::size_t>(node)].kind == model::BusKind::dc;
    injections_.push_back({node, dc, true, s.p_set_w, dc ? 0.0 : s.q_set_var});
  }
  const auto& source_active = network_.stamps_of(ElementType::source).active;
  for (std::size_t i = 0; i < model_.sources.size(); ++i) {
    const auto& s = model_.sources[i];
    if (!source_active[i] || s.type != model::SourceType::generator) continue;
    injections_.push_back({steady::node_of(network_, s.bus), false, false, s.p_set_w, 0.0});
  }

  match_utilities_to_power_flow();

  // The Jacobian's pattern, from one recording pass.
  std::vector<std::pair<std::int64_t, std::int64_t>> entries;
  Assembly a;
  a.mode = Assembly::Mode::pattern;
  a.entries = &entries;
  evaluate(a, 0.0, y0_, std::vector<double>(y0_.size()));
  std::vector<std::pair<std::int64_t, std::int64_t>> sorted = entries;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  scratch_.assign(static_cast<std::size_t>(unknowns_), 0.0);
  pattern_.size = unknowns_;
  pattern_.row_start.assign(static_cast<std::size_t>(unknowns_) + 1, 0);
  pattern_.column.resize(sorted.size());
  for (std::size_t e = 0; e < sorted.size(); ++e) {
    ++pattern_.row_start[static_cast<std::size_t>(sorted[e].first) + 1];
    pattern_.column[e] = sorted[e].second;
  }
  for (std::size_t r = 0; r < static_cast<std::size_t>(unknowns_); ++r)
    pattern_.row_start[r + 1] += pattern_.row_start[r];
  slot_.resize(entries.size());
  for (std::size_t e = 0; e < entries.size(); ++e)
    slot_[e] = std::lower_bound(sorted.begin(), sorted.end(), entries[e]) - sorted.begin();
}

double NetworkDae::node_voltage(std::int32_t node, std::span<const double> y) const {
  const auto n = static_cast<std::size_t>(node);
  const auto column = voltage_column_[n];
  return column >= 0 ? y[static_cast<std::size_t>(column)] : fixed_voltage_[n];
}

double NetworkDae::node_angle(std::int32_t node, std::span<const double> y) const {
  const auto n = static_cast<std::size_t>(node);
  const auto column = angle_column_[n];
  return column >= 0 ? y[static_cast<std::size_t>(column)] : network_.nodes[n].angle_set_rad;
}

// The AC network's power balances, as the power flow writes them: F_P = P_network(V) - P_spec,
// F_Q likewise, in per unit. Here the network's part, S_i = V_i conj(sum_k Y_ik V_k).
void NetworkDae::evaluate_ac(Assembly& a, std::span<const double> y) const {
  const auto& ym = network_.y;
  for (std::size_t i = 0; i < network_.nodes.size(); ++i) {
    const auto& node = network_.nodes[i];
    if (node.kind != model::BusKind::ac || node.role == NodeRole::dead) continue;
    const auto node_i = static_cast<std::int32_t>(i);
    const Complex v_i = std::polar(node_voltage(node_i, y), node_angle(node_i, y));
    const auto begin = static_cast<std::size_t>(ym.row_start[i]);
    const auto end = static_cast<std::size_t>(ym.row_start[i + 1]);
    Complex current;
    for (std::size_t e = begin; e < end; ++e) {
      const auto k = ym.column[e];
      current += ym.value[e] * std::polar(node_voltage(k, y), node_angle(k, y));
    }
    const Complex s_i = v_i * std::conj(current);
    if (a.residual()) {
      a.add_f(p_row_[i], s_i.real());
      a.add_f(q_row_[i], s_i.imag());
      continue;
    }
    const double v_i_mag = std::abs(v_i);
    for (std::size_t e = begin; e < end; ++e) {
      const auto k = static_cast<std::size_t>(ym.column[e]);
      const Complex v_k = std::polar(node_voltage(ym.column[e], y), node_angle(ym.column[e], y));
      const Complex term = v_i * std::conj(ym.value[e] * v_k);
      Complex ds_dangle;
      Complex ds_dv;
      if (k == i) {
        ds_dangle = Complex(0.0, 1.0) * (s_i - term);
        ds_dv = (s_i + term) / v_i_mag;
      } else {
        ds_dangle = Complex(0.0, -1.0) * term;
        ds_dv = term / std::abs(v_k);
      }
      a.add_j(p_row_[i], angle_column_[k], ds_dangle.real());
      a.add_j(p_row_[i], voltage_column_[k], ds_dv.real());
      a.add_j(q_row_[i], angle_column_[k], ds_dangle.imag());
      a.add_j(q_row_[i], voltage_column_[k], ds_dv.imag());
    }
  }
}

void NetworkDae::update_drives(double t_s) {
  if (t_s == drive_t_s_) return;
  for (std::size_t f = 0; f < drive_w_.size(); ++f)
    drive_w_[f] = loads_in_.functions[f].value(t_s, drive_cursor_[f]);
  drive_t_s_ = t_s;
}

double NetworkDae::nominal_power_w(const Load& load) const {
  return load.drive >= 0 ? drive_w_[static_cast<std::size_t>(load.drive)] : load.p_w;
}

void NetworkDae::evaluate(Assembly& a, double t_s, std::span<const double> y,
                          std::span<const double> yp) {
  a.yp = yp;
  update_drives(t_s);
  const double s_base = s_base_va_;
  // DC nodes: their capacitors' charge.
  for (std::size_t n = 0; n < network_.nodes.size(); ++n) {
    const auto column = network_.nodes[n].kind == model::BusKind::dc ? voltage_column_[n] : none;
    if (column < 0) continue;
    const double c_f = node_capacitance_f_[n];
    a.add_f(column, c_f * a.derivative(column));
    a.add_j(column, column, a.cj * c_f);
  }
  for (const auto& line : lines_) {
    const auto from = static_cast<std::size_t>(line.from);
    const auto to = static_cast<std::size_t>(line.to);
    const std::array<double, 3> x{node_voltage(line.from, y), node_voltage(line.to, y),
                                  y[static_cast<std::size_t>(line.current)]};
    const std::array<std::int64_t, 3> index{p_row_[from], p_row_[to], line.current};
    const std::array<std::int64_t, 3> columns{voltage_column_[from], voltage_column_[to],
                                              line.current};
    a.stamp(components::rl_loop_stamp(line.loop, x), index, columns);
  }
  for (const auto& capacitor : capacitors_) {
    const auto n = static_cast<std::size_t>(capacitor.node);
    a.stamp(components::esr_capacitor_stamp(capacitor.rc,
                                            {node_voltage(capacitor.node, y), 0.0,
                                             y[static_cast<std::size_t>(capacitor.voltage)]}),
            {p_row_[n], none, capacitor.voltage}, {voltage_column_[n], none, capacitor.voltage});
  }
  evaluate_ac(a, y);

  for (const auto& conv : converters_) {
    const auto in = static_cast<std::size_t>(conv.input);
    const auto out = static_cast<std::size_t>(conv.output);
    // Output power and its derivatives with respect to (up to) two unknowns.
    double p_out_w = conv.p_set_w;
    std::array<std::int64_t, 2> p_columns{none, none};
    std::array<double, 2> dp_out{0.0, 0.0};
    if (conv.voltage_control && conv.dc_output) {
      const double v = node_voltage(conv.output, y);
      const double z = y[static_cast<std::size_t>(conv.integrator)];
      const auto current = components::pi_loop_current(conv.loop, v, z);
      a.stamp(components::pi_voltage_loop_stamp(conv.loop, {v, z}), {p_row_[out], conv.integrator},
              {voltage_column_[out], conv.integrator});
      p_out_w = v * current.i_a;
      p_columns = {voltage_column_[out], conv.integrator};
      dp_out = {current.i_a + v * current.di_dv, v * current.di_dz};
    } else if (conv.voltage_control) {
      p_out_w = y[static_cast<std::size_t>(conv.power)];
      p_columns = {conv.power, none};
      dp_out = {1.0, 0.0};
      a.add_f(p_row_[out], -p_out_w / s_base);
      a.add_j(p_row_[out], conv.power, -1.0 / s_base);
    } else if (conv.dc_output) {
      const double v = node_voltage(conv.output, y);
      a.add_f(p_row_[out], -p_out_w / v);
      a.add_j(p_row_[out], voltage_column_[out], p_out_w / (v * v));
    } else {
      a.add_f(p_row_[out], -p_out_w / s_base);
      a.add_f(q_row_[out], -conv.q_out_per_p * p_out_w / s_base);
    }
    // Input: output power plus the efficiency curve's loss.
    const auto loss = conv.loss->at(p_out_w);
    const double p_in_w = p_out_w + loss.loss_w;
    const double dp_in = 1.0 + loss.dloss_dp;
    if (conv.dc_input) {
      const double v_in = node_voltage(conv.input, y);
      a.add_f(p_row_[in], p_in_w / v_in);
      a.add_j(p_row_[in], voltage_column_[in], -p_in_w / (v_in * v_in));
      for (std::size_t j = 0; j < 2; ++j)
        a.add_j(p_row_[in], p_columns[j], dp_in * dp_out[j] / v_in);
    } else {
      a.add_f(p_row_[in], p_in_w / s_base);
      a.add_f(q_row_[in], conv.q_in_per_p * p_in_w / s_base);
      for (std::size_t j = 0; j < 2; ++j) {
        a.add_j(p_row_[in], p_columns[j], dp_in * dp_out[j] / s_base);
        a.add_j(q_row_[in], p_columns[j], conv.q_in_per_p * dp_in * dp_out[j] / s_base);
      }
    }
  }

  for (const auto& load : loads_) {
    const auto n = static_cast<std::size_t>(load.node);
    const double p0_w = nominal_power_w(load);
    const double v = node_voltage(load.node, y);
    if (load.dc) {
      const double v_pu = v / network_.nodes[n].base_voltage_v;
      const auto scale = components::zip_scale(load.zip, v_pu);
      const double p_w = p0_w * scale.factor;
      // KCL: the current it draws, P(v) / v.
      a.add_f(p_row_[n], p_w / v);
      const double dp_dv = p0_w * scale.dfactor_dv / network_.nodes[n].base_voltage_v;
      a.add_j(p_row_[n], voltage_column_[n], (dp_dv * v - p_w) / (v * v));
    } else {
      const auto scale = components::zip_scale(load.zip, v);
      a.add_f(p_row_[n], p0_w * scale.factor / s_base);
      a.add_f(q_row_[n], load.q_var * scale.factor / s_base);
      a.add_j(p_row_[n], voltage_column_[n], p0_w * scale.dfactor_dv / s_base);
      a.add_j(q_row_[n], voltage_column_[n], load.q_var * scale.dfactor_dv / s_base);
    }
  }
  for (const auto& injection : injections_) {
    const auto n = static_cast<std::size_t>(injection.node);
    if (injection.dc) {
      const double v = node_voltage(injection.node, y);
      a.add_f(p_row_[n], -injection.p_w / v);
      a.add_j(p_row_[n], voltage_column_[n], injection.p_w / (v * v));
    } else {
      a.add_f(p_row_[n], -injection.p_w / s_base);
      a.add_f(q_row_[n], -injection.q_var / s_base);
    }
  }
  evaluate_utilities(a, y);
}

void NetworkDae::residual(double t_s, std::span<const double> y, std::span<const double> yp,
                          std::span<double> out) {
  std::fill(out.begin(), out.end(), 0.0);
  std::fill(shadow_.begin(), shadow_.end(), 0.0);
  Assembly a;
  a.f = out;
  a.shadow = shadow_;
  evaluate(a, t_s, y, yp);
}

void NetworkDae::jacobian(double t_s, std::span<const double> y, std::span<const double> yp,
                          double cj, std::span<double> values) {
  std::fill(values.begin(), values.end(), 0.0);
  Assembly a;
  a.mode = Assembly::Mode::jacobian;
  a.cj = cj;
  a.values = values;
  a.slot = slot_.data();
  evaluate(a, t_s, y, yp);
}

UnknownName NetworkDae::names(std::int64_t k) const {
  return names_.at(static_cast<std::size_t>(k));
}

std::vector<double> NetworkDae::absolute_tolerances(double relative_tolerance) const {
  std::vector<double> out(scale_.size());
  for (std::size_t k = 0; k < scale_.size(); ++k) out[k] = relative_tolerance * scale_[k];
  return out;
}

std::vector<double> NetworkDae::load_edges(double t0_s, double t1_s) const {
  std::vector<std::vector<double>> lists;
  for (const auto& function : loads_in_.functions) lists.push_back(function.edges(t0_s, t1_s));
  return merge_edges(lists);
}

bool NetworkDae::load_jumps_at(double t_s) const {
  return std::any_of(loads_in_.functions.begin(), loads_in_.functions.end(),
                     [t_s](const PiecewiseLinear& f) { return f.left_value(t_s) != f.value(t_s); });
}

double NetworkDae::grid_power_w(double t_s, std::span<const double> y, std::span<const double> yp) {
  residual(t_s, y, yp, scratch_);
  double power_w = 0.0;
  for (std::size_t k = 0; k < shadow_node_.size(); ++k) {
    const auto node = shadow_node_[k];
    const bool dc = network_.nodes[static_cast<std::size_t>(node)].kind == model::BusKind::dc;
    // A DC node's balance is the current its elements draw; an AC node's, their power in pu.
    power_w += dc ? shadow_[k] * node_voltage(node, y) : shadow_[k] * s_base_va_;
  }
  for (const auto& injection : injections_)
    if (!injection.storage) power_w += injection.p_w;
  for (const auto& utility : utilities_) power_w += utility_power_w(utility, y);
  return power_w;
}

PowerBalance NetworkDae::balance(double t_s, std::span<const double> y,
                                 std::span<const double> yp) {
  PowerBalance out;
  out.source_w = grid_power_w(t_s, y, yp);
  for (const auto& injection : injections_)
    if (injection.storage) out.storage_w += injection.p_w;
  for (const auto& load : loads_) out.load_w += drawn_power_w(load, y);
  for (const auto& line : lines_) {
    const double i = y[static_cast<std::size_t>(line.current)];
    out.loss_w += line.loop.r_ohm * i * i;
  }
  for (const auto& capacitor : capacitors_) {
    const double v_r =
        node_voltage(capacitor.node, y) - y[static_cast<std::size_t>(capacitor.voltage)];
    out.loss_w += v_r * v_r / capacitor.rc.esr_ohm;
  }
  for (const auto& conv : converters_) out.loss_w += conv.loss->at(output_power_w(conv, y)).loss_w;
  // The AC network's loss: the sum of its nodes' injections S_i.
  for (std::size_t i = 0; i < network_.nodes.size(); ++i) {
    const auto& node = network_.nodes[i];
    if (node.kind != model::BusKind::ac || node.role == NodeRole::dead) continue;
    const auto node_i = static_cast<std::int32_t>(i);
    const Complex v_i = std::polar(node_voltage(node_i, y), node_angle(node_i, y));
    Complex current;
    for (auto e = network_.y.row_start[i]; e < network_.y.row_start[i + 1]; ++e) {
      const auto k = network_.y.column[static_cast<std::size_t>(e)];
      current += network_.y.value[static_cast<std::size_t>(e)] *
                 std::polar(node_voltage(k, y), node_angle(k, y));
    }
    out.loss_w += (v_i * std::conj(current)).real() * s_base_va_;
  }
  return out;
}

double NetworkDae::drawn_power_w(const Load& load, std::span<const double> y) const {
  const auto n = static_cast<std::size_t>(load.node);
  const double v = node_voltage(load.node, y);
  const double v_pu = load.dc ? v / network_.nodes[n].base_voltage_v : v;
  return nominal_power_w(load) * components::zip_scale(load.zip, v_pu).factor;
}

double NetworkDae::output_power_w(const Converter& conv, std::span<const double> y) const {
  if (conv.voltage_control && conv.dc_output) {
    const double v = node_voltage(conv.output, y);
    return v *
           components::pi_loop_current(conv.loop, v, y[static_cast<std::size_t>(conv.integrator)])
               .i_a;
  }
  if (conv.voltage_control) return y[static_cast<std::size_t>(conv.power)];
  return conv.p_set_w;
}

double NetworkDae::load_power_w(std::size_t load, double t_s, std::span<const double> y) {
  const auto slot = load_slot_.at(load);
  if (slot < 0) return 0.0;
  update_drives(t_s);
  return drawn_power_w(loads_[static_cast<std::size_t>(slot)], y);
}

double NetworkDae::converter_output_w(std::size_t converter, std::span<const double> y) const {
  const auto slot = converter_slot_.at(converter);
  return slot < 0 ? 0.0 : output_power_w(converters_[static_cast<std::size_t>(slot)], y);
}

double NetworkDae::line_current_a(std::size_t line, std::span<const double> y) const {
  const auto slot = line_slot_.at(line);
  return slot < 0 ? 0.0
                  : y[static_cast<std::size_t>(lines_[static_cast<std::size_t>(slot)].current)];
}

double NetworkDae::source_power_w(std::size_t source, double t_s, std::span<const double> y,
                                  std::span<const double> yp) {
  const auto& s = model_.sources.at(source);
  if (!network_.active(ElementType::source, source)) return 0.0;
  if (s.type == model::SourceType::generator) return s.p_set_w;
  if (const auto slot = utility_slot_.at(source); slot >= 0)
    return utility_power_w(utilities_[static_cast<std::size_t>(slot)], y);
  residual(t_s, y, yp, scratch_);
  const auto node = steady::node_of(network_, s.bus);
  const auto row = p_row_[static_cast<std::size_t>(node)];
  if (row > -2) return 0.0;  // a slack's node is always fixed
  const double balance = shadow_[static_cast<std::size_t>(-2 - row)];
  return network_.nodes[static_cast<std::size_t>(node)].kind == model::BusKind::dc
             ? balance * node_voltage(node, y)
             : balance * s_base_va_;
}

double NetworkDae::stored_energy_j(std::span<const double> y) const {
  double energy_j = 0.0;
  for (std::size_t n = 0; n < network_.nodes.size(); ++n) {
    if (node_capacitance_f_[n] == 0.0 || network_.nodes[n].kind != model::BusKind::dc) continue;
    const double v = node_voltage(static_cast<std::int32_t>(n), y);
    energy_j += 0.5 * node_capacitance_f_[n] * v * v;
  }
  for (const auto& line : lines_)
    energy_j += components::rl_loop_energy_j(line.loop, y[static_cast<std::size_t>(line.current)]);
  for (const auto& capacitor : capacitors_)
    energy_j += components::series_rc_energy_j(capacitor.rc,
                                               y[static_cast<std::size_t>(capacitor.voltage)]);
  return energy_j;
}

double NetworkDae::stored_power_w(std::span<const double> y, std::span<const double> yp) const {
  double power_w = 0.0;
  for (std::size_t n = 0; n < network_.nodes.size(); ++n) {
    const auto column = voltage_column_[n];
    if (node_capacitance_f_[n] == 0.0 || column < 0) continue;
    const auto k = static_cast<std::size_t>(column);
    power_w += node_capacitance_f_[n] * y[k] * yp[k];
  }
  for (const auto& line : lines_) {
    const auto k = static_cast<std::size_t>(line.current);
    power_w += line.loop.l_h * y[k] * yp[k];
  }
  for (const auto& capacitor : capacitors_) {
    const auto k = static_cast<std::size_t>(capacitor.voltage);
    power_w += capacitor.rc.c_f * y[k] * yp[k];
  }
  return power_w;
}

double NetworkDae::bus_voltage_pu(model::BusIndex bus, std::span<const double> y) const {
  const auto node = steady::node_of(network_, bus);
  if (node < 0) return 0.0;
  const auto& n = network_.nodes[static_cast<std::size_t>(node)];
  if (n.role == NodeRole::dead) return 0.0;
  const double v = node_voltage(node, y);
  return n.kind == model::BusKind::dc ? v / n.base_voltage_v : v;
}

// ---- Thevenin and inertial utilities (docs/algorithms/dae.md § Utility) ----------------------

void NetworkDae::add_utilities(const steady::State& state) {
  utility_slot_.assign(model_.sources.size(), -1);
  const auto& source_active = network_.stamps_of(ElementType::source).active;
  for (std::size_t i = 0; i < model_.sources.size(); ++i) {
    const auto& s = model_.sources[i];
    if (!source_active[i] || s.type != model::SourceType::utility) continue;
    if (!s.short_circuit_power_va && !s.inertia_s) continue;
    const auto node = steady::node_of(network_, s.bus);
    const auto n = static_cast<std::size_t>(node);
    const auto& nd = network_.nodes[n];
    Utility u;
    u.source = i;
    u.node = node;
    u.rating_va = s.rating_va;
    fixed_voltage_[n] = nd.v_set_pu;
    if (s.short_circuit_power_va) {
      const auto z =
          components::thevenin_impedance(*s.short_circuit_power_va, *s.x_r_ratio, nd.base_voltage_v,
                                         model_.frequency_hz, s_base_va_);
      u.thevenin = true;
      u.emf.z_pu = {z.r_pu, z.x_pu};
      // E = V_t until match_utilities_to_power_flow: no current, so the node's balance at the
      // power flow's point is the power the source must deliver.
      u.emf.e_pu = std::polar(state.v_pu[n], state.angle_rad[n]);
      // The node's stiffness includes the source's admittance (see the nodes' scales in build).
      const double stiffness_pu = std::max(
          1.0, std::abs(network_.y.value[static_cast<std::size_t>(network_.y.diagonal[n])] +
                        1.0 / u.emf.z_pu));
      const std::string& id = model_.buses[static_cast<std::size_t>(nd.bus)].id;
      angle_column_[n] = add_unknown(id, "angle", false, 1.0 / stiffness_pu, state.angle_rad[n]);
      voltage_column_[n] = add_unknown(id, "v", false, 1.0 / stiffness_pu, state.v_pu[n]);
      p_row_[n] = angle_column_[n];
      q_row_[n] = voltage_column_[n];
    } else {
      u.power = add_unknown(s.id, "p", false, std::max(u.rating_va, 1.0), 0.0);
      p_row_[n] = u.power;
    }
    if (s.inertia_s) {
      // No governor lag and no load damping: the model has no key for either (docs/dynamic.md).
      u.frequency = {*s.inertia_s, *s.frequency_droop_pu, 0.0, 0.0};
      // Scales: the deviation that 1 pu of system power makes through the droop.
      const double dp_pu = std::min(1.0, s_base_va_ / u.rating_va);
      u.speed = add_unknown(s.id, "dw", true, u.frequency.droop_pu * dp_pu, 0.0);
      u.mechanical = add_unknown(s.id, "dp_m", false, dp_pu, 0.0);
    }
    utility_slot_[i] = static_cast<std::int32_t>(utilities_.size());
    utilities_.push_back(u);
  }
}

// t = 0 is the power flow (with its stiff slack): each Thevenin EMF is the one that delivers the
// power flow's power at the power flow's terminal voltage, E = V_t + Z_th conj(S_0 / V_t), so
// the DAE's residual vanishes there as it does for the stiff source.
void NetworkDae::match_utilities_to_power_flow() {
  if (utilities_.empty()) return;
  std::vector<double> f(y0_.size());
  shadow_.assign(shadow_node_.size(), 0.0);
  residual(0.0, y0_, std::vector<double>(y0_.size()), f);
  for (auto& u : utilities_) {
    const auto n = static_cast<std::size_t>(u.node);
    // The node's balance without the source: what it must deliver (pu).
    const double p_pu = f[static_cast<std::size_t>(p_row_[n])];
    u.p0_w = p_pu * s_base_va_;
    if (u.thevenin) {
      const Complex s_pu(p_pu, f[static_cast<std::size_t>(q_row_[n])]);
      const Complex v_t = std::polar(node_voltage(u.node, y0_), node_angle(u.node, y0_));
      u.emf.e_pu = components::thevenin_emf_pu(u.emf.z_pu, v_t, s_pu);
    } else {
      y0_[static_cast<std::size_t>(u.power)] = u.p0_w;
    }
  }
}

void NetworkDae::evaluate_utilities(Assembly& a, std::span<const double> y) const {
  for (const auto& u : utilities_) {
    const auto n = static_cast<std::size_t>(u.node);
    // The delivered power in W and its derivatives with respect to (up to) two unknowns.
    double p_w = 0.0;
    std::array<std::int64_t, 2> p_columns{none, none};
    std::array<double, 2> dp_w{0.0, 0.0};
    if (u.thevenin) {
      const std::array<double, 2> x{node_angle(u.node, y), node_voltage(u.node, y)};
      const auto stamp = components::thevenin_source_stamp(u.emf, x);
      a.stamp(stamp, {p_row_[n], q_row_[n]}, {angle_column_[n], voltage_column_[n]});
      p_w = -stamp.f[0] * s_base_va_;
      p_columns = {angle_column_[n], voltage_column_[n]};
      dp_w = {-stamp.df_dx[0][0] * s_base_va_, -stamp.df_dx[0][1] * s_base_va_};
    } else {
      p_w = y[static_cast<std::size_t>(u.power)];
      a.add_f(u.power, -p_w / s_base_va_);
      a.add_j(u.power, u.power, -1.0 / s_base_va_);
      p_columns = {u.power, none};
      dp_w = {1.0, 0.0};
    }
    if (u.speed < 0) continue;
    // The swing equation on the rating, driven by the change of the delivered power.
    const double dp_e_pu = (p_w - u.p0_w) / u.rating_va;
    const std::array<double, 2> x{y[static_cast<std::size_t>(u.speed)],
                                  y[static_cast<std::size_t>(u.mechanical)]};
    const auto frequency = components::frequency_model_stamp(u.frequency, dp_e_pu, x);
    const std::array<std::int64_t, 2> rows{u.speed, u.mechanical};
    a.stamp(frequency.stamp, rows, rows);
    for (std::size_t r = 0; r < 2; ++r)
      for (std::size_t j = 0; j < 2; ++j)
        a.add_j(rows[r], p_columns[j], frequency.df_ddp_e[r] * dp_w[j] / u.rating_va);
  }
}

double NetworkDae::utility_power_w(const Utility& utility, std::span<const double> y) const {
  if (!utility.thevenin) return y[static_cast<std::size_t>(utility.power)];
  return components::thevenin_power_pu(utility.emf, node_angle(utility.node, y),
                                       node_voltage(utility.node, y))
             .real() *
         s_base_va_;
}

double NetworkDae::source_frequency_hz(std::size_t source, std::span<const double> y) const {
  const auto slot = utility_slot_.at(source);
  if (slot < 0) return model_.frequency_hz;
  const auto& u = utilities_[static_cast<std::size_t>(slot)];
  const double dw = u.speed >= 0 ? y[static_cast<std::size_t>(u.speed)] : 0.0;
  return model_.frequency_hz * (1.0 + dw);
}

bool NetworkDae::has_frequency_dynamics() const noexcept {
  return std::any_of(utilities_.begin(), utilities_.end(),
                     [](const Utility& u) { return u.speed >= 0; });
}

}  // namespace g2g::dynamic
