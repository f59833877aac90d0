#include "g2g/dynamic/network_dae.hpp"
#include "g2g/dynamic/network_protection.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>
#include <utility>

#include "g2g/components/capacitor.hpp"
#include "g2g/components/conductor.hpp"
#include "g2g/components/converter_control.hpp"
#include "g2g/components/dc_line_dynamics.hpp"
#include "g2g/components/fault.hpp"
#include "g2g/components/input_current_limit.hpp"
#include "g2g/components/load.hpp"
#include "g2g/components/storage.hpp"
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
  std::int64_t current = none;  // unknown (with a fault along it: its `from` part's current)
  bool device = false;          // a protection device: stamped by evaluate_protection
  std::int32_t fault = -1;      // a fault along it splits it (index into faults_)
};

// A fault (FaultSpec) in the DAE: components/fault.hpp's branch at a node, or along a line.
struct NetworkDae::Fault {
  FaultSpec spec;
  std::int32_t node = -1;       // a bus fault's node
  std::int32_t line = -1;       // a line fault's line (its slot in lines_)
  components::RlLoop a, b;      // a line fault: the line's parts from -> fault and fault -> to
  std::int64_t current = none;  // i_f
  std::int64_t point = none;    // a line fault: the fault point's voltage v_f
  std::int64_t energy = none;   // integral of v i_f
  std::int64_t i2t = none;      // integral of i_f^2
  bool active = false;
  double interrupted_j = 0.0;  // dissipated by interruptions of a line fault's current
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
  // A PI loop with a DC input: the most it draws from its input, A (0: no limit), and its
  // root function (components/input_current_limit.hpp).
  double input_limit_a = 0.0;
  std::int32_t input_root = -1;
  // Ride-through: its own undervoltage switching, and how many tripped converters upstream
  // feed it. It runs when on and not blocked; off, it carries no current and its PI integrator
  // holds.
  std::size_t index = 0;  // in the model's converters
  bool undervoltage = false;
  components::UndervoltageSettings uv;
  components::UndervoltageState uv_state;
  std::int32_t blocked = 0;
  std::uint32_t downstream_begin = 0, downstream_end = 0;  // into downstream_
  double resume_a = 0.0;         // a PI loop's current when it stopped: it resumes there
  std::int32_t limit_root = -1;  // its first root function
  std::int32_t uv_root = -1;
  [[nodiscard]] bool running() const noexcept {
    return (!undervoltage || uv_state.on) && blocked == 0;
  }
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
  std::int32_t drive = -1;   // index into LoadPowers::functions
  std::size_t index = 0;     // in the model's loads
  std::int32_t blocked = 0;  // tripped converters upstream: off while > 0
};

// A storage element behind an ideal (lossless) converter: its cell (a battery's OCV(SOC), R0 and
// optional RC pair, or a supercapacitor's C and ESR) has its own terminal voltage v_t, and the
// converter passes the cell's power p = v_t i to the bus. The control sets p.
struct NetworkDae::StorageUnit {
  std::size_t index = 0;  // in ModelSpec::storage
  std::int32_t node = 0;
  bool dc = true;
  bool battery = true;
  components::Battery cell;
  std::optional<components::OcvTable> ocv;
  components::SeriesRc bank;  // supercapacitor
  double v_rated_v = 0.0;     // supercapacitor: SOC = (v_c / v_rated)^2
  double q_var = 0.0;         // AC bus: reactive power, constant
  double p_set_w = 0.0;
  double p_max_w = 0.0;
  double i_max_a = 0.0;      // 0: none
  double i_bus_max_a = 0.0;  // its converter's current limit at a DC bus; 0: none
  double soc_min = 0.0;
  double soc_max = 1.0;
  std::int32_t group = -1;        // index into storage_in_
  double share = 0.0;             // grid_smoothing: its part of the group's deficit
  double tau_s = 0.0;             // grid_smoothing: its power loop's time constant
  double droop_w_per_unit = 0.0;  // voltage_support: W per V (DC) or per pu (AC)
  double v_ref = 0.0;             // voltage_support: its bus voltage at t = 0, V or pu
  double restore_w = 0.0;         // SOC restoring: W per unit of SOC error (0: none)
  double soc_target = 0.0;
  // A battery backup unit (voltage_support with a trigger): idle until its bus falls to
  // trigger_v, then droop toward v_ref (its set voltage) through a power loop of time constant
  // backup_tau_s, until its bus rises above v_ref.
  bool backup = false;
  bool backup_on = false;
  double trigger_v = 0.0;
  double backup_tau_s = 0.0;
  // Unknowns: the cell's terminal voltage, its charge state (a battery's SOC, a
  // supercapacitor's v_c), the RC pair's voltage, the cell current (battery), the power.
  std::int64_t v_t = none, charge = none, v_1 = none, current = none, power = none;
  bool empty = false;  // at soc_min: may only charge
  bool full = false;   // at soc_max: may only discharge
};

// A storage command before its clamp, the clamp's bounds (high_w >= low_w), and their
// derivatives by the unit's charge state (SOC or v_c).
struct NetworkDae::StorageCommand {
  double command_w = 0.0;
  double dcommand_dx = 0.0;
  double high_w = 0.0;
  double low_w = 0.0;
  double dhigh_dx = 0.0;
  double dlow_dx = 0.0;
  double dhigh_dv = 0.0;  // per volt of its DC bus (the bus-side current limit)
  double dlow_dv = 0.0;
};

// A grid-smoothing group's controller: the demand d it sees (the sources' power plus what the
// group delivers, an algebraic unknown whose row gathers the sources' balances) and the grid
// reference r that follows it, ramp-limited or low-pass.
struct NetworkDae::StorageControl {
  std::int64_t demand = none;
  std::int64_t reference = none;
  double tau_r_s = 0.0;
  double ramp_up_w_per_s = 0.0;  // infinite for a low-pass reference
  double ramp_down_w_per_s = 0.0;
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
  // Residual mode for the fixed nodes' balances alone (the sources' powers): the elements that
  // touch no fixed node are skipped, the others add what they always add, in the same order.
  bool sources_only = false;
  double cj = 0.0;
  std::span<double> f;       // residual
  std::span<double> shadow;  // fixed nodes' balances
  std::span<const double> yp;
  std::span<double> values;  // Jacobian
  const std::int64_t* slot = nullptr;
  std::size_t cursor = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>>* entries = nullptr;
  // Per shadow row: the row that measures it (a grid-smoothing group's demand) and the factor
  // from the row's balance to W; -1: none.
  std::span<const std::pair<std::int64_t, double>> measure;

  [[nodiscard]] bool residual() const noexcept { return mode == Mode::residual; }
  [[nodiscard]] double derivative(std::int64_t column) const noexcept {
    return column >= 0 ? yp[static_cast<std::size_t>(column)] : 0.0;
  }

  void add_f(std::int64_t row, double value) noexcept {
    if (mode == Mode::residual) add_residual(row, value);
  }
  // add_f in a pass known to be a residual one.
  void add_residual(std::int64_t row, double value) noexcept {
    if (row >= 0)
      f[static_cast<std::size_t>(row)] += value;
    else if (row <= -2)
      shadow[static_cast<std::size_t>(-2 - row)] += value;
  }
  // Not recursive, so that it inlines into the element loops (most calls are there).
  void add_j(std::int64_t row, std::int64_t column, double value) {
    if (column < 0) return;
    if (row >= 0) {
      put_j(row, column, value);
    } else if (row <= -2 && !measure.empty()) {
      // A source's balance: its derivatives go to the row that measures the grid power.
      const auto& [measured_by, factor_w] = measure[static_cast<std::size_t>(-2 - row)];
      if (measured_by >= 0) put_j(measured_by, column, -factor_w * value);
    }
  }

  void put_j(std::int64_t row, std::int64_t column, double value) {
    if (mode == Mode::jacobian)
      values[static_cast<std::size_t>(slot[cursor++])] += value;
    else if (mode == Mode::pattern)
      record(row, column);
  }
  // Once per network: kept out of line so that the value passes stay small.
  [[gnu::noinline, gnu::cold]] void record(std::int64_t row, std::int64_t column) {
    entries->emplace_back(row, column);
  }

  // A component's stamp: its variable k's equation goes to rows[k] and the variable is
  // unknown columns[k]. They differ at a fixed node, whose voltage is no unknown (column -1)
  // and whose balance is a shadow row; -1 in both for a variable that is neither (ground).
  template <std::size_t N>
  void stamp(const components::Stamp<N>& s, const std::array<std::int64_t, N>& rows,
             const std::array<std::int64_t, N>& columns) {
    if (residual())
      stamp_residual(s, rows, columns);
    else
      stamp_jacobian(s, rows, columns);
  }
  template <std::size_t N>
  void stamp_residual(const components::Stamp<N>& s, const std::array<std::int64_t, N>& rows,
                      const std::array<std::int64_t, N>& columns) {
    // The stamps are inline (components/), so with N known the zero entries fold away here.
    for (std::size_t r = 0; r < N; ++r) {
      double value = s.f[r];
      for (std::size_t j = 0; j < N; ++j)
        if (s.dq_dx[r][j] != 0.0) value += s.dq_dx[r][j] * derivative(columns[j]);
      add_residual(rows[r], value);
    }
  }
  template <std::size_t N>
  void stamp_jacobian(const components::Stamp<N>& s, const std::array<std::int64_t, N>& rows,
                      const std::array<std::int64_t, N>& columns) {
    for (std::size_t r = 0; r < N; ++r)
      for (std::size_t j = 0; j < N; ++j)
        add_j(rows[r], columns[j], s.df_dx[r][j] + cj * s.dq_dx[r][j]);
  }

  // The same calls with the pass known when compiling: a residual pass adds no Jacobian entries
  // (add_j does nothing in it) and the others no residual (add_f does nothing in them), so the
  // derivatives a residual pass would discard are never computed.
  template <bool ResidualPass>
  struct Known {
    Assembly& a;
    void add_f(std::int64_t row, double value) const noexcept {
      if constexpr (ResidualPass) a.add_residual(row, value);
    }
    void add_j(std::int64_t row, std::int64_t column, double value) const {
      if constexpr (!ResidualPass) a.add_j(row, column, value);
    }
    template <std::size_t N>
    void stamp(const components::Stamp<N>& s, const std::array<std::int64_t, N>& rows,
               const std::array<std::int64_t, N>& columns) const {
      if constexpr (ResidualPass)
        a.stamp_residual(s, rows, columns);
      else
        a.stamp_jacobian(s, rows, columns);
    }
  };
};

namespace {

// Some elements of one kind, by their indices in it, in that order: what a range-for walks.
template <typename Element>
class Listed {
 public:
  Listed(const std::vector<Element>& all, const std::vector<std::int32_t>& indices)
      : all_(all.data()), first_(indices.data()), last_(indices.data() + indices.size()) {}
  class Iterator {
   public:
    Iterator(const Element* all, const std::int32_t* at) : all_(all), at_(at) {}
    const Element& operator*() const { return all_[*at_]; }
    Iterator& operator++() {
      ++at_;
      return *this;
    }
    bool operator!=(const Iterator& other) const { return at_ != other.at_; }

   private:
    const Element* all_;
    const std::int32_t* at_;
  };
  [[nodiscard]] Iterator begin() const { return {all_, first_}; }
  [[nodiscard]] Iterator end() const { return {all_, last_}; }

 private:
  const Element* all_;
  const std::int32_t* first_;
  const std::int32_t* last_;
};

// The elements of one kind that a pass of evaluate_elements walks, in their order: every one,
// or in a sources_only pass those listed as adding to a fixed node's balance.
template <bool SourcesOnly, typename Element>
auto walked(const std::vector<Element>& all, const std::vector<std::int32_t>& at_fixed_nodes) {
  if constexpr (SourcesOnly)
    return Listed<Element>(all, at_fixed_nodes);
  else
    return std::span<const Element>(all);
}

// Which of these elements (each between its nodes `node_a` and `node_b`, members) touch a fixed
// node, whose balance row is a shadow row (p_row <= -2).
template <typename Element>
std::vector<std::int32_t> touching(const std::vector<Element>& all, std::int32_t Element::*node_a,
                                   std::int32_t Element::*node_b,
                                   const std::vector<std::int64_t>& p_row) {
  std::vector<std::int32_t> out;
  for (std::size_t k = 0; k < all.size(); ++k)
    if (p_row[static_cast<std::size_t>(all[k].*node_a)] <= -2 ||
        p_row[static_cast<std::size_t>(all[k].*node_b)] <= -2)
      out.push_back(static_cast<std::int32_t>(k));
  return out;
}

}  // namespace

void NetworkDae::list_elements_at_fixed_nodes() {
  at_fixed_nodes_.lines = touching(lines_, &Line::from, &Line::to, p_row_);
  at_fixed_nodes_.capacitors = touching(capacitors_, &Capacitor::node, &Capacitor::node, p_row_);
  at_fixed_nodes_.converters = touching(converters_, &Converter::input, &Converter::output, p_row_);
  at_fixed_nodes_.loads = touching(loads_, &Load::node, &Load::node, p_row_);
  at_fixed_nodes_.injections = touching(injections_, &Injection::node, &Injection::node, p_row_);
  at_fixed_nodes_.protections = touching(protections_, &Protection::from, &Protection::to, p_row_);
}

NetworkDae::NetworkDae(const model::ModelSpec& model, const steady::Network& network,
                       const steady::State& state, LoadPowers loads,
                       std::vector<StorageGroup> storage, std::vector<FaultSpec> faults)
    : model_(model),
      network_(network),
      loads_in_(std::move(loads)),
      s_base_va_(network.base_power_va),
      storage_in_(std::move(storage)) {
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
  // Storage with a technology or a control is simulated with its state of charge and needs
  // its dynamic keys; the rest is held at its set-point, as in the power flow.
  model::SimulationScope scope;
  scope.storage_dynamics.assign(model.storage.size(), false);
  storage_slot_.assign(model.storage.size(), -1);
  std::size_t smoothing_groups = 0;
  for (const auto& group : storage_in_) {
    if (group.mode == StorageGroup::Mode::grid_smoothing) {
      ++smoothing_groups;
      if (!(group.bandwidth_hz > 0.0) ||
          group.grid_ramp_limit_w_per_s.has_value() == group.grid_time_constant_s.has_value() ||
          !group.soc_target || !group.soc_restore_time_s)
        throw InvalidInput("storage",
                           "a grid-smoothing group needs a bandwidth, one grid reference (ramp "
                           "limit or time constant), a SOC target and a restore time",
                           "give them (the scenario reader checks them)");
    } else if (!(group.droop_pu > 0.0)) {
      throw InvalidInput("storage", "a voltage-support group needs a positive droop",
                         "give `droop`");
    } else if (group.trigger_v.has_value() != group.set_voltage_v.has_value() ||
               (group.trigger_v.has_value() != (group.bandwidth_hz > 0.0)) ||
               (group.trigger_v && !(*group.set_voltage_v > *group.trigger_v))) {
      throw InvalidInput("storage",
                         "a battery backup unit needs a trigger, a set voltage above it and a "
                         "bandwidth (all three or none)",
                         "give them (the scenario reader checks them)");
    }
    for (const auto m : group.members) {
      if (m >= model.storage.size() || scope.storage_dynamics[m])
        throw InvalidInput("storage",
                           fmt::format("storage index {} is out of range or in two groups", m),
                           "name each storage element once");
      scope.storage_dynamics[m] = true;
    }
  }
  if (smoothing_groups > 1)
    throw InvalidInput("storage", "two grid-smoothing groups would fight over one grid power",
                       "put every grid-smoothing storage element in one group");
  for (std::size_t k = 0; k < model.storage.size(); ++k)
    if (model.storage[k].technology != model::StorageTechnology::unset)
      scope.storage_dynamics[k] = true;
  core::DiagnosticList problems = model::simulation_requirements(model, scope);
  auto refuse = [&](model::Where where, std::string message, std::string fix) {
    problems.error(model::location(model, where), std::move(message), std::move(fix));
  };
  for (const auto& c : model.converters)
    if (c.in_service && c.dynamics.ramp_rate_w_per_s)
      refuse(c.where, fmt::format("converter '{}': ramp limits are not simulated yet", c.id),
             "remove `ramp_rate`");
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
  for (auto& f : faults) {
    faults_.emplace_back();
    faults_.back().spec = std::move(f);
  }
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
  // The nodes the residual visits, listed once: a lumped model's residual is evaluated hundreds
  // of thousands of times, and most nodes have no part in one loop or the other.
  dc_voltage_nodes_.clear();
  ac_nodes_.clear();
  for (std::size_t n = 0; n < node_count; ++n) {
    if (nodes[n].kind == model::BusKind::dc && voltage_column_[n] >= 0)
      dc_voltage_nodes_.push_back({voltage_column_[n], node_capacitance_f_[n]});
    if (nodes[n].kind == model::BusKind::ac && nodes[n].role != NodeRole::dead)
      ac_nodes_.push_back(static_cast<std::int32_t>(n));
  }
  live_buses_.clear();
  for (std::size_t b = 0; b < model_.buses.size(); ++b) {
    const auto bus = static_cast<model::BusIndex>(b);
    const auto node = steady::node_of(network_, bus);
    if (node >= 0 && nodes[static_cast<std::size_t>(node)].role != NodeRole::dead)
      live_buses_.emplace_back(bus, node);
  }
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
    if (const model::Trip* trip = model::trip_of(model_, line)) {  // its own stray inductance
      dl.device = true;
      dl.loop.l_h = trip->inductance_h;
    }
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
  for (std::size_t l = 0; l < model_.lines.size(); ++l) {
    if (model::trip_of(model_, model_.lines[l]) == nullptr || !line_active[l]) continue;
    const auto slot = line_slot_[l];
    if (slot < 0) {  // an AC line: refused by add_protection
      add_protection(l, 0, 0, none, problems);
      continue;
    }
    const auto& dl = lines_[static_cast<std::size_t>(slot)];
    add_protection(l, dl.from, dl.to, dl.current, problems);
  }
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
    dc.index = c;
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
      if (dc.dc_input)
        dc.input_limit_a = components::input_current_limit_a(
            link.loss, i_max, nodes[out].base_voltage_v,
            nodes[static_cast<std::size_t>(dc.input)].base_voltage_v);
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
    l.index = i;
    load_slot_[i] = static_cast<std::int32_t>(loads_.size());
    loads_.push_back(l);
    if (l.drive >= 0) live_drives_.push_back(l.drive);
  }
  std::sort(live_drives_.begin(), live_drives_.end());
  live_drives_.erase(std::unique(live_drives_.begin(), live_drives_.end()), live_drives_.end());
  build_storage(state, problems);
  if (problems.has_errors()) throw core::ModelError(std::move(problems));
  const auto& source_active = network_.stamps_of(ElementType::source).active;
  for (std::size_t i = 0; i < model_.sources.size(); ++i) {
    const auto& s = model_.sources[i];
    if (!source_active[i] || s.type != model::SourceType::generator) continue;
    injections_.push_back({steady::node_of(network_, s.bus), false, false, s.p_set_w, 0.0});
  }
  core::DiagnosticList ride_problems;
  build_ride_through(ride_problems);
  storage_root_ = root_names_.size();
  for (const auto& u : storage_units_) {
    root_names_.push_back({model_.storage[u.index].id, "soc_min"});
    root_names_.push_back({model_.storage[u.index].id, "soc_max"});
  }
  backup_root_ = root_names_.size();
  for (const auto& u : storage_units_) {
    if (!u.backup) continue;
    root_names_.push_back({model_.storage[u.index].id, "trigger"});
    root_names_.push_back({model_.storage[u.index].id, "release"});
  }
  // A command's clamp is a kink: located like a PI loop's current limit.
  for (const auto& u : storage_units_) {
    root_names_.push_back({model_.storage[u.index].id, "power_limit"});
    root_names_.push_back({model_.storage[u.index].id, "-power_limit"});
  }
  core::DiagnosticList fault_problems;
  build_faults(fault_problems);
  if (fault_problems.has_errors()) throw core::ModelError(std::move(fault_problems));
  build_protection();
  outage_root_ = root_names_.size();
  if (ride_problems.has_errors()) throw core::ModelError(std::move(ride_problems));

  match_utilities_to_power_flow();

  list_elements_at_fixed_nodes();  // every node's row is known now

  // The Jacobian's pattern, from one recording pass.
  std::vector<std::pair<std::int64_t, std::int64_t>> entries;
  Assembly a;
  a.mode = Assembly::Mode::pattern;
  a.entries = &entries;
  a.measure = shadow_measure_;
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

  // The quadratures' rates at rest: what is being lost at t = 0.
  if (line_energy_ >= 0) {
    yp0_.assign(y0_.size(), 0.0);
    std::vector<double> f(y0_.size());
    residual(0.0, y0_, yp0_, f);
    for (const auto& fault : faults_) {
      yp0_[static_cast<std::size_t>(fault.energy)] = -f[static_cast<std::size_t>(fault.energy)];
      yp0_[static_cast<std::size_t>(fault.i2t)] = -f[static_cast<std::size_t>(fault.i2t)];
    }
    for (const auto q : {line_energy_, esr_energy_})
      if (q >= 0) yp0_[static_cast<std::size_t>(q)] = -f[static_cast<std::size_t>(q)];
  }

  // A grid-smoothing group starts with its reference at the demand it sees: the grid power at
  // t = 0 plus what its members deliver then (at rest when their SOC is at its target).
  for (const auto& control : storage_controls_) {
    if (control.demand < 0) continue;
    double members_w = 0.0;
    for (const auto& unit : storage_units_)
      if (unit.tau_s > 0.0 && &storage_controls_[static_cast<std::size_t>(unit.group)] == &control)
        members_w += unit.p_set_w;
    const double demand_w = grid_power_w(0.0, y0_, std::vector<double>(y0_.size())) + members_w;
    y0_[static_cast<std::size_t>(control.demand)] = demand_w;
    y0_[static_cast<std::size_t>(control.reference)] = demand_w;
    scale_[static_cast<std::size_t>(control.demand)] = std::max(std::fabs(demand_w), 1.0);
    scale_[static_cast<std::size_t>(control.reference)] = std::max(std::fabs(demand_w), 1.0);
  }
}

void NetworkDae::build_storage(const steady::State& state, core::DiagnosticList& problems) {
  const auto& nodes = network_.nodes;
  const auto& storage_active = network_.stamps_of(ElementType::storage).active;
  std::vector<std::int32_t> group_of(model_.storage.size(), -1);
  for (std::size_t g = 0; g < storage_in_.size(); ++g)
    for (const auto m : storage_in_[g].members) group_of[m] = static_cast<std::int32_t>(g);
  storage_controls_.assign(storage_in_.size(), {});
  std::vector<double> group_max_w(storage_in_.size(), 0.0);

  for (std::size_t i = 0; i < model_.storage.size(); ++i) {
    if (!storage_active[i]) continue;
    const auto& s = model_.storage[i];
    const auto node = steady::node_of(network_, s.bus);
    const auto n = static_cast<std::size_t>(node);
    const bool dc = nodes[n].kind == model::BusKind::dc;
    if (s.technology == model::StorageTechnology::unset) {  // in no group (checked above)
      injections_.push_back({node, dc, true, s.p_set_w, dc ? 0.0 : s.q_set_var});
      continue;
    }
    StorageUnit u;
    u.index = i;
    u.node = node;
    u.dc = dc;
    u.battery = s.technology == model::StorageTechnology::battery;
    u.q_var = dc ? 0.0 : s.q_set_var;
    u.p_set_w = s.p_set_w;
    u.p_max_w = s.max_power_w.value_or(s.rating_w);
    u.i_max_a = s.max_current_a.value_or(0.0);
    u.i_bus_max_a = dc ? s.bus_current_limit_a.value_or(0.0) : 0.0;
    u.soc_min = s.soc_min;
    u.soc_max = s.soc_max;
    u.group = group_of[i];
    const double v_bus = dc ? state.v_pu[n] * nodes[n].base_voltage_v : state.v_pu[n];
    const auto where = model::location(model_, s.where);
    if (std::fabs(u.p_set_w) > u.p_max_w)
      problems.error(where,
                     fmt::format("storage '{}' delivers {:.4g} W in the power flow, beyond its "
                                 "max_power {:.4g} W",
                                 s.id, u.p_set_w, u.p_max_w),
                     "lower `power` or raise `max_power`: a simulation starts from the power "
                     "flow");
    if (u.i_bus_max_a > 0.0 && std::fabs(u.p_set_w) > u.i_bus_max_a * v_bus)
      problems.error(where,
                     fmt::format("storage '{}' delivers {:.4g} W in the power flow, beyond its "
                                 "bus_current_limit {:.4g} A at {:.4g} V",
                                 s.id, u.p_set_w, u.i_bus_max_a, v_bus),
                     "lower `power` or raise `bus_current_limit`: a simulation starts from the "
                     "power flow");
    // The cell at rest with power p0: E i - R i^2 = p0, the root nearer zero.
    double e_v = 0.0;
    double r_ohm = 0.0;
    double soc0 = 0.0;
    if (u.battery) {
      u.ocv.emplace(components::ocv_table(s));
      u.cell.capacity_ah = s.capacity_c.value_or(0.0) / 3600.0;
      u.cell.r_internal_ohm = s.internal_resistance_ohm.value_or(0.0);
      if (s.rc_pair) {
        u.cell.r_pair_ohm = s.rc_pair->resistance_ohm;
        u.cell.c_pair_f = s.rc_pair->capacitance_f;
      }
      soc0 = s.soc_initial.value_or(0.5);
      e_v = u.ocv->at(soc0).ocv_v;
      r_ohm = u.cell.r_internal_ohm + u.cell.r_pair_ohm;
    } else {
      u.bank = {s.capacitance_f.value_or(0.0), s.esr_ohm.value_or(0.0)};
      u.v_rated_v = nodes[n].base_voltage_v;
      e_v = s.soc_initial ? u.v_rated_v * std::sqrt(*s.soc_initial) : (dc ? v_bus : u.v_rated_v);
      soc0 = (e_v / u.v_rated_v) * (e_v / u.v_rated_v);
      r_ohm = u.bank.esr_ohm;
    }
    const double discriminant = e_v * e_v - 4.0 * r_ohm * u.p_set_w;
    if (!(discriminant >= 0.0) || !(e_v > 0.0)) {
      problems.error(where,
                     fmt::format("storage '{}' cannot deliver {:.4g} W at {:.4g} V through "
                                 "{:.4g} ohm (at most {:.4g} W)",
                                 s.id, u.p_set_w, e_v, r_ohm, e_v * e_v / (4.0 * r_ohm)),
                     "check its power, voltage and resistance");
      continue;
    }
    const double i0 = 2.0 * u.p_set_w / (e_v + std::sqrt(discriminant));
    const double v_t0 = e_v - r_ohm * i0;
    const double i_scale = std::max({u.i_max_a, std::fabs(i0), u.p_max_w / e_v, 1e-3});
    u.v_t = add_unknown(s.id, "v_t", false, e_v, v_t0);
    if (u.battery) {
      u.charge = add_unknown(s.id, "soc", true, 1e-3, soc0);
      if (u.cell.r_pair_ohm > 0.0)
        u.v_1 = add_unknown(s.id, "v_1", true, std::max(u.cell.r_pair_ohm * i_scale, 1e-3),
                            u.cell.r_pair_ohm * i0);
      u.current = add_unknown(s.id, "i", false, i_scale, i0);
    } else {
      u.charge = add_unknown(s.id, "v_c", true, u.v_rated_v, e_v);
    }

    if (u.group >= 0) {
      const auto& group = storage_in_[static_cast<std::size_t>(u.group)];
      if (group.soc_target && group.soc_restore_time_s) {
        u.soc_target = *group.soc_target;
        // The energy of the whole window in the restore time: a full SOC error is undone in
        // about soc_restore_time.
        const double energy_j = u.battery
                                    ? s.capacity_c.value_or(0.0) * u.ocv->at(u.soc_target).ocv_v
                                    : 0.5 * u.bank.c_f * u.v_rated_v * u.v_rated_v;
        u.restore_w = energy_j / *group.soc_restore_time_s;
      }
      if (group.mode == StorageGroup::Mode::grid_smoothing) {
        u.tau_s = 1.0 / (2.0 * std::numbers::pi * group.bandwidth_hz);
        group_max_w[static_cast<std::size_t>(u.group)] += u.p_max_w;
      } else {
        u.v_ref = v_bus;
        u.droop_w_per_unit = u.p_max_w / (group.droop_pu * (dc ? nodes[n].base_voltage_v : 1.0));
        if (group.trigger_v) {
          u.backup = true;
          u.trigger_v = *group.trigger_v;
          u.v_ref = *group.set_voltage_v;
          u.backup_tau_s = 1.0 / (2.0 * std::numbers::pi * group.bandwidth_hz);
          if (!dc)
            problems.error(where,
                           fmt::format("storage '{}': a battery backup unit (trigger) is for a DC "
                                       "bus",
                                       s.id),
                           "put it on a DC bus, or remove `trigger` for droop on this AC bus");
          else if (!(v_bus > u.trigger_v))
            problems.error(where,
                           fmt::format("storage '{}': its bus is at {:.4g} V at t = 0, not above "
                                       "its trigger {:.4g} V",
                                       s.id, v_bus, u.trigger_v),
                           "lower `trigger`: a backup unit starts idle");
        }
      }
    }
    const bool lagging =
        u.backup || (u.group >= 0 && storage_in_[static_cast<std::size_t>(u.group)].mode ==
                                         StorageGroup::Mode::grid_smoothing);
    u.power = add_unknown(s.id, "p", lagging, std::max(u.p_max_w, 1.0), u.p_set_w);
    storage_slot_[i] = static_cast<std::int32_t>(storage_units_.size());
    storage_units_.push_back(std::move(u));
  }

  // Grid-smoothing controllers: the demand row gathers the sources' balances.
  shadow_measure_.assign(shadow_node_.size(), {none, 0.0});
  for (std::size_t g = 0; g < storage_in_.size(); ++g) {
    const auto& group = storage_in_[g];
    if (group.mode != StorageGroup::Mode::grid_smoothing) continue;
    auto& control = storage_controls_[g];
    control.demand = add_unknown("storage control", "demand", false, 1.0, 0.0);
    control.reference = add_unknown("storage control", "grid_reference", true, 1.0, 0.0);
    if (group.grid_ramp_limit_w_per_s) {
      // Within its ramp limit the reference follows the demand as fast as the storage does.
      control.tau_r_s = 1.0 / (2.0 * std::numbers::pi * group.bandwidth_hz);
      control.ramp_up_w_per_s = *group.grid_ramp_limit_w_per_s;
      control.ramp_down_w_per_s = *group.grid_ramp_limit_w_per_s;
    } else {
      control.tau_r_s = *group.grid_time_constant_s;
      control.ramp_up_w_per_s = std::numeric_limits<double>::infinity();
      control.ramp_down_w_per_s = std::numeric_limits<double>::infinity();
    }
    for (std::size_t k = 0; k < shadow_node_.size(); ++k) {
      const auto node = shadow_node_[k];
      const bool dc = nodes[static_cast<std::size_t>(node)].kind == model::BusKind::dc;
      shadow_measure_[k] = {control.demand,
                            dc ? fixed_voltage_[static_cast<std::size_t>(node)] : s_base_va_};
    }
  }
  for (auto& unit : storage_units_)
    if (unit.tau_s > 0.0)
      unit.share = unit.p_max_w / group_max_w[static_cast<std::size_t>(unit.group)];
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
  for (const std::int32_t node_i : ac_nodes_) {
    const auto i = static_cast<std::size_t>(node_i);
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
  for (const auto live : live_drives_) {
    const auto f = static_cast<std::size_t>(live);
    drive_w_[f] = loads_in_.functions[f].value(t_s, drive_cursor_[f]);
  }
  drive_t_s_ = t_s;
}

double NetworkDae::nominal_power_w(const Load& load) const {
  if (load.blocked > 0) return 0.0;  // fed through a tripped converter
  return load.drive >= 0 ? drive_w_[static_cast<std::size_t>(load.drive)] : load.p_w;
}

namespace {

// A stopped converter's voltage loop: no current, and the integrator z (unknown 1) holds,
// z' = 0. The same entries as the running loop's stamp, other values; built only when stopped
// (a stamp starts as zeros, which costs a clear of its whole size).
template <std::size_t N>
components::Stamp<N> held_integrator(double z) {
  components::Stamp<N> held;
  held.q[1] = z;
  held.dq_dx[1][1] = 1.0;
  return held;
}

}  // namespace

void NetworkDae::evaluate(Assembly& a, double t_s, std::span<const double> y,
                          std::span<const double> yp) {
  a.yp = yp;
  update_drives(t_s);
  // The element loops compiled three times: a residual pass (about ten for each Jacobian in a
  // run) computes none of the derivatives it would discard, and only the pass for the fixed
  // nodes' balances alone (each step's grid power) asks every element whether to skip it.
  if (!a.residual())
    evaluate_elements<false, false>(a, y);
  else if (a.sources_only)
    evaluate_elements<true, true>(a, y);
  else
    evaluate_elements<true, false>(a, y);
  evaluate_utilities(a, y);
  evaluate_storage(a, y);
  if (!faults_.empty()) evaluate_faults(a, y);
}

template <bool ResidualPass, bool SourcesOnly>
void NetworkDae::evaluate_elements(Assembly& a, std::span<const double> y) {
  const Assembly::Known<ResidualPass> k{a};
  const double s_base = s_base_va_;
  // DC nodes: their capacitors' charge (a fixed node has none: its voltage is no unknown).
  if constexpr (!SourcesOnly) {
    for (const auto& [column, c_f] : dc_voltage_nodes_) {
      k.add_f(column, c_f * a.derivative(column));
      k.add_j(column, column, a.cj * c_f);
    }
  }
  for (const auto& line : walked<SourcesOnly>(lines_, at_fixed_nodes_.lines)) {
    if (line.device) continue;
    if (line.fault >= 0) continue;  // split by its fault (evaluate_faults)
    const auto from = static_cast<std::size_t>(line.from);
    const auto to = static_cast<std::size_t>(line.to);
    const std::array<double, 3> x{node_voltage(line.from, y), node_voltage(line.to, y),
                                  y[static_cast<std::size_t>(line.current)]};
    const std::array<std::int64_t, 3> index{p_row_[from], p_row_[to], line.current};
    const std::array<std::int64_t, 3> columns{voltage_column_[from], voltage_column_[to],
                                              line.current};
    k.stamp(components::rl_loop_stamp(line.loop, x), index, columns);
  }
  for (const auto& capacitor : walked<SourcesOnly>(capacitors_, at_fixed_nodes_.capacitors)) {
    const auto n = static_cast<std::size_t>(capacitor.node);
    k.stamp(components::esr_capacitor_stamp(capacitor.rc,
                                            {node_voltage(capacitor.node, y), 0.0,
                                             y[static_cast<std::size_t>(capacitor.voltage)]}),
            {p_row_[n], none, capacitor.voltage}, {voltage_column_[n], none, capacitor.voltage});
  }
  evaluate_protection<SourcesOnly>(a, y);
  evaluate_ac(a, y);

  for (const auto& conv : walked<SourcesOnly>(converters_, at_fixed_nodes_.converters)) {
    const auto in = static_cast<std::size_t>(conv.input);
    const auto out = static_cast<std::size_t>(conv.output);
    // Output power and its derivatives with respect to (up to) two unknowns.
    double p_out_w = conv.p_set_w;
    std::array<std::int64_t, 3> p_columns{none, none, none};
    std::array<double, 3> dp_out{0.0, 0.0, 0.0};
    const bool running = conv.running();
    if (conv.input_limit_a > 0.0) {
      // A PI loop whose output current is also bounded by what its input may draw.
      const double v = node_voltage(conv.output, y);
      const double z = y[static_cast<std::size_t>(conv.integrator)];
      const double v_in = node_voltage(conv.input, y);
      const auto bound = components::input_current_bound(*conv.loss, conv.input_limit_a,
                                                         conv.loop.i_max_a, v_in, v);
      const auto current = components::pi_loop_current(conv.loop, v, z, bound);
      if (running)
        k.stamp(components::pi_voltage_loop_stamp(conv.loop, bound, {v, z, v_in}),
                {p_row_[out], conv.integrator, none},
                {voltage_column_[out], conv.integrator, voltage_column_[in]});
      else
        k.stamp(held_integrator<3>(z), {p_row_[out], conv.integrator, none},
                {voltage_column_[out], conv.integrator, voltage_column_[in]});
      p_out_w = running ? v * current.c.i_a : 0.0;
      p_columns = {voltage_column_[out], conv.integrator, voltage_column_[in]};
      if (running)
        dp_out = {current.c.i_a + v * current.c.di_dv, v * current.c.di_dz, v * current.di_dv_in};
    } else if (conv.voltage_control && conv.dc_output) {
      const double v = node_voltage(conv.output, y);
      const double z = y[static_cast<std::size_t>(conv.integrator)];
      const auto current = components::pi_loop_current(conv.loop, v, z);
      if (running)
        k.stamp(components::pi_voltage_loop_stamp(conv.loop, {v, z}),
                {p_row_[out], conv.integrator}, {voltage_column_[out], conv.integrator});
      else
        k.stamp(held_integrator<2>(z), {p_row_[out], conv.integrator},
                {voltage_column_[out], conv.integrator});
      p_out_w = running ? v * current.i_a : 0.0;
      p_columns = {voltage_column_[out], conv.integrator};
      if (running) dp_out = {current.i_a + v * current.di_dv, v * current.di_dz};
    } else if (conv.voltage_control) {
      p_out_w = y[static_cast<std::size_t>(conv.power)];
      p_columns = {conv.power, none};
      dp_out = {1.0, 0.0};
      k.add_f(p_row_[out], -p_out_w / s_base);
      k.add_j(p_row_[out], conv.power, -1.0 / s_base);
    } else if (conv.dc_output) {
      const double v = node_voltage(conv.output, y);
      if (!running) p_out_w = 0.0;
      k.add_f(p_row_[out], -p_out_w / v);
      k.add_j(p_row_[out], voltage_column_[out], p_out_w / (v * v));
    } else {
      k.add_f(p_row_[out], -p_out_w / s_base);
      k.add_f(q_row_[out], -conv.q_out_per_p * p_out_w / s_base);
    }
    // Input: output power plus the efficiency curve's loss.
    if (conv.dc_input) {
      // The current it draws, at most its input limit (off: none).
      components::InputCurrent i_in;
      if (running)
        i_in = components::input_current(*conv.loss, conv.input_limit_a, p_out_w,
                                         node_voltage(conv.input, y));
      k.add_f(p_row_[in], i_in.i_a);
      k.add_j(p_row_[in], voltage_column_[in], i_in.di_dv_in);
      for (std::size_t j = 0; j < 3; ++j)
        k.add_j(p_row_[in], p_columns[j], i_in.di_dp_out * dp_out[j]);
    } else {
      const auto loss = conv.loss->at(p_out_w);
      const double p_in_w = running ? p_out_w + loss.loss_w : 0.0;  // off: no input power
      const double dp_in = running ? 1.0 + loss.dloss_dp : 0.0;
      k.add_f(p_row_[in], p_in_w / s_base);
      k.add_f(q_row_[in], conv.q_in_per_p * p_in_w / s_base);
      for (std::size_t j = 0; j < 3; ++j) {
        k.add_j(p_row_[in], p_columns[j], dp_in * dp_out[j] / s_base);
        k.add_j(q_row_[in], p_columns[j], conv.q_in_per_p * dp_in * dp_out[j] / s_base);
      }
    }
  }

  for (const auto& load : walked<SourcesOnly>(loads_, at_fixed_nodes_.loads)) {
    const auto n = static_cast<std::size_t>(load.node);
    const double p0_w = nominal_power_w(load);
    const double v = node_voltage(load.node, y);
    if (load.dc) {
      const double v_pu = v / network_.nodes[n].base_voltage_v;
      const auto scale = components::zip_scale(load.zip, v_pu);
      const double p_w = p0_w * scale.factor;
      // KCL: the current it draws, P(v) / v.
      k.add_f(p_row_[n], p_w / v);
      const double dp_dv = p0_w * scale.dfactor_dv / network_.nodes[n].base_voltage_v;
      k.add_j(p_row_[n], voltage_column_[n], (dp_dv * v - p_w) / (v * v));
    } else {
      const auto scale = components::zip_scale(load.zip, v);
      k.add_f(p_row_[n], p0_w * scale.factor / s_base);
      k.add_f(q_row_[n], load.q_var * scale.factor / s_base);
      k.add_j(p_row_[n], voltage_column_[n], p0_w * scale.dfactor_dv / s_base);
      k.add_j(q_row_[n], voltage_column_[n], load.q_var * scale.dfactor_dv / s_base);
    }
  }
  for (const auto& injection : walked<SourcesOnly>(injections_, at_fixed_nodes_.injections)) {
    const auto n = static_cast<std::size_t>(injection.node);
    if (injection.dc) {
      const double v = node_voltage(injection.node, y);
      k.add_f(p_row_[n], -injection.p_w / v);
      k.add_j(p_row_[n], voltage_column_[n], injection.p_w / (v * v));
    } else {
      k.add_f(p_row_[n], -injection.p_w / s_base);
      k.add_f(q_row_[n], -injection.q_var / s_base);
    }
  }
}

namespace {

// A value clamped to [low, high], and which side holds it: -1 low, 0 neither, +1 high.
struct Clamped {
  double value = 0.0;
  int side = 0;
};
Clamped clamp_sided(double value, double low, double high) {
  if (value >= high) return {high, 1};
  if (value <= low) return {low, -1};
  return {value, 0};
}

}  // namespace

double NetworkDae::unit_soc(const StorageUnit& unit, std::span<const double> y) const {
  const double x = y[static_cast<std::size_t>(unit.charge)];
  if (unit.battery) return x;
  const double ratio = x / unit.v_rated_v;
  return ratio * ratio;
}

// Its power limit, its current limit at its open-circuit voltage, nothing more out of an empty
// one or into a full one; every control adds to the power flow's set-point, the storage's base
// schedule.
NetworkDae::StorageCommand NetworkDae::storage_command(const StorageUnit& u,
                                                       std::span<const double> y, double open_v,
                                                       double dopen_dx) const {
  StorageCommand out;
  double limit_w = u.p_max_w;
  double dlimit_dx = 0.0;
  double dlimit_dv = 0.0;
  if (u.i_max_a > 0.0 && u.i_max_a * open_v < limit_w) {
    limit_w = u.i_max_a * open_v;
    dlimit_dx = u.i_max_a * dopen_dx;
  }
  // The converter's current limit at its bus: in a fault that collapses the bus, the power it
  // can pass falls with the voltage instead of drawing P / v without bound.
  if (u.i_bus_max_a > 0.0) {
    const double v = node_voltage(u.node, y);
    if (const double bus_limit_w = u.i_bus_max_a * std::max(v, 0.0); bus_limit_w < limit_w) {
      limit_w = bus_limit_w;
      dlimit_dx = 0.0;
      dlimit_dv = v > 0.0 ? u.i_bus_max_a : 0.0;
    }
  }
  out.high_w = u.empty ? 0.0 : limit_w;
  out.low_w = u.full ? 0.0 : -limit_w;
  out.dhigh_dx = u.empty ? 0.0 : dlimit_dx;
  out.dlow_dx = u.full ? 0.0 : -dlimit_dx;
  out.dhigh_dv = u.empty ? 0.0 : dlimit_dv;
  out.dlow_dv = u.full ? 0.0 : -dlimit_dv;
  const double x = y[static_cast<std::size_t>(u.charge)];
  const double dsoc_dx = u.battery ? 1.0 : 2.0 * x / (u.v_rated_v * u.v_rated_v);
  out.command_w = u.p_set_w + u.restore_w * (unit_soc(u, y) - u.soc_target);
  out.dcommand_dx = u.restore_w * dsoc_dx;
  if (u.tau_s > 0.0) {
    const auto& control = storage_controls_[static_cast<std::size_t>(u.group)];
    out.command_w += u.share * (y[static_cast<std::size_t>(control.demand)] -
                                y[static_cast<std::size_t>(control.reference)]);
  } else if (u.droop_w_per_unit > 0.0 && (!u.backup || u.backup_on)) {
    out.command_w += u.droop_w_per_unit * (u.v_ref - node_voltage(u.node, y));
  }
  return out;
}

// docs/algorithms/dae.md § Storage. Last in the evaluation: a grid-smoothing group's demand row
// reads the sources' balances, complete only when every other element has been stamped.
void NetworkDae::evaluate_storage(Assembly& a, std::span<const double> y) {
  const double s_base = s_base_va_;
  for (const auto& u : storage_units_) {
    const auto n = static_cast<std::size_t>(u.node);
    const double p_w = y[static_cast<std::size_t>(u.power)];
    const double v_t = y[static_cast<std::size_t>(u.v_t)];
    const double x = y[static_cast<std::size_t>(u.charge)];
    // The cell: its own rows (SOC or v_c, the RC pair, the current) from its stamp, and the
    // ideal converter's power balance v_t i = p in the row of v_t.
    double i_a = 0.0;
    double di_dvt = 0.0;
    double di_dx = 0.0;
    double open_v = 0.0;  // OCV or v_c: what the current limit is taken at
    double dopen_dx = 0.0;
    if (u.battery) {
      i_a = y[static_cast<std::size_t>(u.current)];
      const auto e = u.ocv->at(x);
      open_v = e.ocv_v;
      dopen_dx = e.docv_dsoc_v;
      if (u.v_1 >= 0)
        a.stamp(components::battery_rc_stamp(
                    u.cell, *u.ocv, {v_t, 0.0, x, y[static_cast<std::size_t>(u.v_1)], i_a}),
                {none, none, u.charge, u.v_1, u.current},
                {u.v_t, none, u.charge, u.v_1, u.current});
      else
        a.stamp(components::battery_stamp(u.cell, *u.ocv, {v_t, 0.0, x, i_a}),
                {none, none, u.charge, u.current}, {u.v_t, none, u.charge, u.current});
      a.add_f(u.v_t, v_t * i_a - p_w);
      a.add_j(u.v_t, u.v_t, i_a);
      a.add_j(u.v_t, u.current, v_t);
    } else {
      a.stamp(components::esr_capacitor_stamp(u.bank, {v_t, 0.0, x}), {none, none, u.charge},
              {u.v_t, none, u.charge});
      const double g = 1.0 / u.bank.esr_ohm;
      i_a = g * (x - v_t);
      di_dvt = -g;
      di_dx = g;
      open_v = x;
      dopen_dx = 1.0;
      a.add_f(u.v_t, v_t * i_a - p_w);
      a.add_j(u.v_t, u.v_t, i_a + v_t * di_dvt);
      a.add_j(u.v_t, u.charge, v_t * di_dx);
    }
    a.add_j(u.v_t, u.power, -1.0);

    // The bus: the converter injects p.
    if (u.dc) {
      const double v = node_voltage(u.node, y);
      a.add_f(p_row_[n], -p_w / v);
      a.add_j(p_row_[n], voltage_column_[n], p_w / (v * v));
      a.add_j(p_row_[n], u.power, -1.0 / v);
    } else {
      a.add_f(p_row_[n], -p_w / s_base);
      a.add_f(q_row_[n], -u.q_var / s_base);
      a.add_j(p_row_[n], u.power, -1.0 / s_base);
    }

    // The power the control asks for, within what the storage may give now.
    const StorageCommand command = storage_command(u, y, open_v, dopen_dx);
    const StorageControl* control =
        u.tau_s > 0.0 ? &storage_controls_[static_cast<std::size_t>(u.group)] : nullptr;
    const Clamped c = clamp_sided(command.command_w, command.low_w, command.high_w);
    const double lag_s = control != nullptr ? u.tau_s : u.backup_tau_s;
    // F = p - c (+ tau p' for a grid-smoothing member's power loop).
    a.add_f(u.power, p_w - c.value + lag_s * a.derivative(u.power));
    a.add_j(u.power, u.power, 1.0 + a.cj * lag_s);
    const double dc_dcommand = c.side == 0 ? 1.0 : 0.0;
    const double dc_dx = c.side == 0  ? command.dcommand_dx
                         : c.side > 0 ? command.dhigh_dx
                                      : command.dlow_dx;
    a.add_j(u.power, u.charge, -dc_dx);
    if (u.i_bus_max_a > 0.0) {  // in the pattern while the bound is not active too (zero then)
      const double dc_dv = c.side == 0 ? 0.0 : c.side > 0 ? command.dhigh_dv : command.dlow_dv;
      a.add_j(u.power, voltage_column_[n], -dc_dv);
    }
    if (control != nullptr) {
      a.add_j(u.power, control->demand, -dc_dcommand * u.share);
      a.add_j(u.power, control->reference, dc_dcommand * u.share);
    } else if (u.droop_w_per_unit > 0.0) {
      // A BBU's entry is in the pattern while idle too (zero then).
      const bool droop = !u.backup || u.backup_on;
      a.add_j(u.power, voltage_column_[n], droop ? dc_dcommand * u.droop_w_per_unit : 0.0);
    }
  }

  // Grid-smoothing controllers. The demand: d - (grid power + the members' power) = 0, the grid
  // power being the sources' balances (their derivatives arrive through Assembly::measure) and
  // the generators' set-points; the reference: r' = clamp((d - r) / tau, -down, up).
  for (const auto& control : storage_controls_) {
    if (control.demand < 0) continue;
    const double d_w = y[static_cast<std::size_t>(control.demand)];
    const double r_w = y[static_cast<std::size_t>(control.reference)];
    if (a.residual()) {
      double supplied_w = 0.0;
      for (std::size_t k = 0; k < shadow_measure_.size(); ++k)
        supplied_w += a.shadow[k] * shadow_measure_[k].second;
      for (const auto& injection : injections_)
        if (!injection.storage) supplied_w += injection.p_w;
      for (const auto& u : storage_units_)
        if (u.tau_s > 0.0 && &storage_controls_[static_cast<std::size_t>(u.group)] == &control)
          supplied_w += y[static_cast<std::size_t>(u.power)];
      for (const auto& u : utilities_) supplied_w += utility_power_w(u, y);
      a.add_f(control.demand, d_w - supplied_w);
    } else {
      // A Thevenin or inertial utility's delivered power is a function of unknowns, not a
      // fixed node's balance.
      for (const auto& u : utilities_) {
        const auto [p_w, columns, dp_w] = delivered_power(u, y);
        for (std::size_t j = 0; j < 2; ++j) a.add_j(control.demand, columns[j], -dp_w[j]);
      }
    }
    a.add_j(control.demand, control.demand, 1.0);
    for (const auto& u : storage_units_)
      if (u.tau_s > 0.0 && &storage_controls_[static_cast<std::size_t>(u.group)] == &control)
        a.add_j(control.demand, u.power, -1.0);
    const Clamped rate = clamp_sided((d_w - r_w) / control.tau_r_s, -control.ramp_down_w_per_s,
                                     control.ramp_up_w_per_s);
    a.add_f(control.reference, a.derivative(control.reference) - rate.value);
    const double drate = rate.side == 0 ? 1.0 / control.tau_r_s : 0.0;
    a.add_j(control.reference, control.reference, a.cj + drate);
    a.add_j(control.reference, control.demand, -drate);
  }
}

void NetworkDae::residual(double t_s, std::span<const double> y, std::span<const double> yp,
                          std::span<double> out) {
  residual_pass(t_s, y, yp, out, false);
}

void NetworkDae::residual_pass(double t_s, std::span<const double> y, std::span<const double> yp,
                               std::span<double> out, bool sources_only) {
  std::fill(out.begin(), out.end(), 0.0);
  std::fill(shadow_.begin(), shadow_.end(), 0.0);
  Assembly a;
  a.sources_only = sources_only;
  a.f = out;
  a.shadow = shadow_;
  a.measure = shadow_measure_;
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
  a.measure = shadow_measure_;
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
  residual_pass(t_s, y, yp, scratch_, true);
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

// Protection devices (network_protection.cpp): here, where the Assembly is.
template <bool SourcesOnly>
void NetworkDae::evaluate_protection(Assembly& a, std::span<const double> y) const {
  for (const auto& p : walked<SourcesOnly>(protections_, at_fixed_nodes_.protections)) {
    const auto from = static_cast<std::size_t>(p.from);
    const auto to = static_cast<std::size_t>(p.to);
    const std::array<double, 5> x{
        node_voltage(p.from, y), node_voltage(p.to, y), y[static_cast<std::size_t>(p.current)],
        y[static_cast<std::size_t>(p.energy)], y[static_cast<std::size_t>(p.integral)]};
    a.stamp(components::protection_stamp(p.element, p.open, x),
            {p_row_[from], p_row_[to], p.current, p.energy, p.integral},
            {voltage_column_[from], voltage_column_[to], p.current, p.energy, p.integral});
  }
}

PowerBalance NetworkDae::balance(double t_s, std::span<const double> y,
                                 std::span<const double> yp) {
  PowerBalance out;
  out.source_w = grid_power_w(t_s, y, yp);
  for (const auto& injection : injections_)
    if (injection.storage) out.storage_w += injection.p_w;
  for (const auto& u : storage_units_) out.storage_w += y[static_cast<std::size_t>(u.power)];
  for (const auto& load : loads_) out.load_w += drawn_power_w(load, y);
  for (const auto& line : lines_) {
    if (line.device) continue;
    const double i = y[static_cast<std::size_t>(line.current)];
    if (line.fault < 0) {
      out.loss_w += line.loop.r_ohm * i * i;
      continue;
    }
    const auto& f = faults_[static_cast<std::size_t>(line.fault)];
    const double i_b = i - y[static_cast<std::size_t>(f.current)];
    out.loss_w += f.a.r_ohm * i * i + f.b.r_ohm * i_b * i_b;
  }
  out.loss_w += protection_loss_w(y);
  // What the faults dissipate counts as loss.
  for (std::size_t k = 0; k < faults_.size(); ++k)
    out.loss_w += fault_voltage_v(k, y) * fault_current_a(k, y);
  for (const auto& capacitor : capacitors_) {
    const double v_r =
        node_voltage(capacitor.node, y) - y[static_cast<std::size_t>(capacitor.voltage)];
    out.loss_w += v_r * v_r / capacitor.rc.esr_ohm;
  }
  for (const auto& conv : converters_)
    if (conv.running()) out.loss_w += input_power_w(conv, y) - output_power_w(conv, y);
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

double NetworkDae::loop_current_a(const Converter& conv, std::span<const double> y) const {
  const double v = node_voltage(conv.output, y);
  const double z = y[static_cast<std::size_t>(conv.integrator)];
  if (conv.input_limit_a <= 0.0) return components::pi_loop_current(conv.loop, v, z).i_a;
  const auto bound = components::input_current_bound(
      *conv.loss, conv.input_limit_a, conv.loop.i_max_a, node_voltage(conv.input, y), v);
  return components::pi_loop_current(conv.loop, v, z, bound).c.i_a;
}

double NetworkDae::input_power_w(const Converter& conv, std::span<const double> y) const {
  if (!conv.running()) return 0.0;
  const double p_out_w = output_power_w(conv, y);
  if (!conv.dc_input) return p_out_w + conv.loss->at(p_out_w).loss_w;
  const double v_in = node_voltage(conv.input, y);
  return v_in * components::input_current(*conv.loss, conv.input_limit_a, p_out_w, v_in).i_a;
}

double NetworkDae::output_power_w(const Converter& conv, std::span<const double> y) const {
  if (!conv.running()) return 0.0;
  if (conv.voltage_control && conv.dc_output)
    return node_voltage(conv.output, y) * loop_current_a(conv, y);
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

double NetworkDae::converter_input_w(std::size_t converter, std::span<const double> y) const {
  const auto slot = converter_slot_.at(converter);
  if (slot < 0) return 0.0;
  return input_power_w(converters_[static_cast<std::size_t>(slot)], y);
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
  residual_pass(t_s, y, yp, scratch_, true);
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
  for (const auto& line : lines_) {
    const double i = y[static_cast<std::size_t>(line.current)];
    if (line.fault < 0) {
      energy_j += components::rl_loop_energy_j(line.loop, i);
      continue;
    }
    const auto& f = faults_[static_cast<std::size_t>(line.fault)];
    energy_j += components::rl_loop_energy_j(f.a, i) +
                components::rl_loop_energy_j(f.b, i - y[static_cast<std::size_t>(f.current)]);
  }
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
    if (line.fault < 0) {
      power_w += line.loop.l_h * y[k] * yp[k];
      continue;
    }
    const auto& f = faults_[static_cast<std::size_t>(line.fault)];
    const auto j = static_cast<std::size_t>(f.current);
    power_w += f.a.l_h * y[k] * yp[k] + f.b.l_h * (y[k] - y[j]) * (yp[k] - yp[j]);
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
  if (network_.nodes[static_cast<std::size_t>(node)].role == NodeRole::dead) return 0.0;
  return node_voltage_pu(node, y);
}

NetworkDae::LowestBus NetworkDae::lowest_bus_voltage_pu(std::span<const double> y) const {
  LowestBus lowest{-1, std::numeric_limits<double>::infinity()};
  for (const auto& [bus, node] : live_buses_)
    if (const double v_pu = node_voltage_pu(node, y); v_pu > 0.0 && v_pu < lowest.v_pu)
      lowest = {bus, v_pu};
  return lowest;
}

// ---- Ride-through: undervoltage turn-off and restart, current limits as state events ----------

void NetworkDae::build_ride_through(core::DiagnosticList& problems) {
  const auto& nodes = network_.nodes;
  const std::size_t node_count = nodes.size();
  // Who touches each node: lines (either end), converters by input and by output.
  std::vector<std::vector<std::int32_t>> lines_at(node_count), fed_from(node_count),
      feeding(node_count);
  for (std::size_t l = 0; l < lines_.size(); ++l) {
    lines_at[static_cast<std::size_t>(lines_[l].from)].push_back(static_cast<std::int32_t>(l));
    lines_at[static_cast<std::size_t>(lines_[l].to)].push_back(static_cast<std::int32_t>(l));
  }
  for (std::size_t k = 0; k < converters_.size(); ++k) {
    fed_from[static_cast<std::size_t>(converters_[k].input)].push_back(
        static_cast<std::int32_t>(k));
    feeding[static_cast<std::size_t>(converters_[k].output)].push_back(
        static_cast<std::int32_t>(k));
  }
  std::vector<std::int32_t> injections_at(node_count, 0);
  for (const auto& injection : injections_)
    ++injections_at[static_cast<std::size_t>(injection.node)];
  std::vector<std::vector<std::int32_t>> loads_at(node_count);
  for (std::size_t k = 0; k < loads_.size(); ++k)
    loads_at[static_cast<std::size_t>(loads_[k].node)].push_back(static_cast<std::int32_t>(k));

  std::vector<char> in_set(node_count, 0);
  std::vector<char> conv_in_set(converters_.size(), 0);
  std::vector<std::int32_t> queue;
  for (std::size_t c = 0; c < converters_.size(); ++c) {
    auto& conv = converters_[c];
    if (conv.voltage_control && conv.dc_output) {
      conv.limit_root = static_cast<std::int32_t>(root_names_.size());
      const std::string& id = model_.converters[conv.index].id;
      root_names_.push_back({id, "i_max"});
      root_names_.push_back({id, "-i_max"});
      if (conv.input_limit_a > 0.0) {
        conv.input_root = static_cast<std::int32_t>(root_names_.size());
        root_names_.push_back({id, "input_limit"});
      }
    }
    const auto& spec = model_.converters[conv.index];
    const auto& d = spec.dynamics;
    if (!d.undervoltage_off_v) continue;
    const auto where = model::location(model_, spec.where);
    if (!conv.dc_input) {
      problems.error(where,
                     fmt::format("converter '{}': undervoltage turn-off of a converter with an "
                                 "AC input is not simulated yet",
                                 spec.id),
                     "remove `undervoltage_off`, or give it to the DC converters it feeds");
      continue;
    }
    // What it alone feeds: the nodes reached from its output through lines and the converters
    // they feed, never through a source, another feed or back to its input.
    std::fill(in_set.begin(), in_set.end(), 0);
    std::fill(conv_in_set.begin(), conv_in_set.end(), 0);
    queue.assign(1, conv.output);
    in_set[static_cast<std::size_t>(conv.output)] = 1;
    std::string refusal;
    for (std::size_t q = 0; q < queue.size() && refusal.empty(); ++q) {
      const auto n = static_cast<std::size_t>(queue[q]);
      const auto bus = nodes[n].bus >= 0 ? model_.buses[static_cast<std::size_t>(nodes[n].bus)].id
                                         : std::string("?");
      if (nodes[n].kind != model::BusKind::dc)
        refusal = fmt::format("it feeds the AC bus '{}'", bus);
      else if (queue[q] == conv.input)
        refusal = fmt::format("its output reaches its own input at bus '{}'", bus);
      else if (p_row_[n] <= -2 || injections_at[n] > 0)
        refusal = fmt::format("bus '{}' downstream has a source or storage of its own", bus);
      const auto visit = [&](std::int32_t node) {
        if (in_set[static_cast<std::size_t>(node)]) return;
        in_set[static_cast<std::size_t>(node)] = 1;
        queue.push_back(node);
      };
      for (const auto l : lines_at[n]) {
        visit(lines_[static_cast<std::size_t>(l)].from);
        visit(lines_[static_cast<std::size_t>(l)].to);
      }
      for (const auto k : fed_from[n]) {
        if (static_cast<std::size_t>(k) == c) continue;
        conv_in_set[static_cast<std::size_t>(k)] = 1;
        visit(converters_[static_cast<std::size_t>(k)].output);
      }
    }
    for (std::size_t q = 0; q < queue.size() && refusal.empty(); ++q)
      for (const auto k : feeding[static_cast<std::size_t>(queue[q])])
        if (static_cast<std::size_t>(k) != c && !conv_in_set[static_cast<std::size_t>(k)])
          refusal =
              fmt::format("converter '{}' feeds the same network",
                          model_.converters[converters_[static_cast<std::size_t>(k)].index].id);
    if (!refusal.empty()) {
      problems.error(where,
                     fmt::format("converter '{}': undervoltage turn-off is simulated only for a "
                                 "converter that alone feeds what is downstream of it, and {}",
                                 spec.id, refusal),
                     "remove `undervoltage_off`, or give it to the converters downstream");
      continue;
    }
    conv.undervoltage = true;
    conv.uv = {*d.undervoltage_off_v, d.undervoltage_on_v.value_or(*d.undervoltage_off_v),
               d.restart_delay_s.value_or(0.0)};
    conv.downstream_begin = static_cast<std::uint32_t>(downstream_.size());
    for (std::size_t k = 0; k < converters_.size(); ++k)
      if (conv_in_set[k]) downstream_.push_back(static_cast<std::int32_t>(k));
    for (const auto n : queue)
      for (const auto k : loads_at[static_cast<std::size_t>(n)]) downstream_.push_back(-1 - k);
    conv.downstream_end = static_cast<std::uint32_t>(downstream_.size());
    conv.uv_root = static_cast<std::int32_t>(root_names_.size());
    for (const char* event : {"undervoltage_off", "undervoltage_on", "restart"})
      root_names_.push_back({spec.id, event});
  }
}

void NetworkDae::root_functions(double t_s, std::span<const double> y, std::span<const double> yp,
                                std::span<double> out) {
  for (const auto& conv : converters_) {
    // A converter with an input root has its current-limit roots too.
    if (conv.limit_root >= 0) {
      const double v = node_voltage(conv.output, y);
      const double i_u =
          components::pi_loop_current(conv.loop, v, y[static_cast<std::size_t>(conv.integrator)])
              .i_unlimited_a;
      out[static_cast<std::size_t>(conv.limit_root)] = i_u - conv.loop.i_max_a;
      out[static_cast<std::size_t>(conv.limit_root) + 1] = i_u + conv.loop.i_max_a;
      if (conv.input_root >= 0) {
        const auto bound = components::input_current_bound(
            *conv.loss, conv.input_limit_a, conv.loop.i_max_a, node_voltage(conv.input, y), v);
        out[static_cast<std::size_t>(conv.input_root)] =
            components::input_limit_root(conv.loop, i_u, bound, v);
      }
    }
    if (conv.uv_root >= 0) {
      const auto g = components::undervoltage_root_functions(conv.uv, conv.uv_state, t_s,
                                                             node_voltage(conv.input, y));
      std::copy(g.begin(), g.end(), out.begin() + conv.uv_root);
    }
  }
  // Storage: its state of charge reaching soc_min or soc_max.
  for (std::size_t k = 0; k < storage_units_.size(); ++k) {
    const auto& u = storage_units_[k];
    const double soc = unit_soc(u, y);
    out[storage_root_ + 2 * k] = soc - u.soc_min;
    out[storage_root_ + 2 * k + 1] = soc - u.soc_max;
  }
  // Battery backup units: the bus at the trigger, and above the set voltage.
  std::size_t r = backup_root_;
  for (const auto& u : storage_units_) {
    if (!u.backup) continue;
    const double v = node_voltage(u.node, y);
    out[r++] = v - u.trigger_v;
    out[r++] = v - u.v_ref;
  }
  // Storage commands at their clamp's bounds.
  for (const auto& u : storage_units_) {
    const double x = y[static_cast<std::size_t>(u.charge)];
    const double open_v = u.battery ? u.ocv->at(x).ocv_v : x;
    const StorageCommand command = storage_command(u, y, open_v, 0.0);
    out[r++] = command.command_w - command.high_w;
    out[r++] = command.command_w - command.low_w;
  }
  // Faults: their inception and clearing, in time (a fault that stays never clears).
  for (std::size_t k = 0; k < faults_.size(); ++k) {
    const auto& spec = faults_[k].spec;
    out[fault_root_ + 2 * k] = t_s - spec.time_s;
    out[fault_root_ + 2 * k + 1] = spec.clear_s ? t_s - *spec.clear_s : -1.0;
  }
  // Lost inputs: their start and end, in time.
  for (std::size_t k = 0; k < outages_.size(); ++k) {
    out[outage_root_ + 2 * k] = t_s - outages_[k].from_s;
    out[outage_root_ + 2 * k + 1] = t_s - outages_[k].to_s;
  }
  protection_root_functions(t_s, y, yp, out);
}

std::vector<bool> NetworkDae::marker_roots() const {
  std::vector<bool> marker(root_names_.size(), false);
  for (const auto& conv : converters_) {
    if (conv.limit_root >= 0) {
      marker[static_cast<std::size_t>(conv.limit_root)] = true;
      marker[static_cast<std::size_t>(conv.limit_root) + 1] = true;
    }
    if (conv.input_root >= 0) marker[static_cast<std::size_t>(conv.input_root)] = true;
  }
  // The storage commands' clamp bounds follow the BBUs' roots (root_functions' order).
  std::size_t r = backup_root_;
  for (const auto& u : storage_units_) r += u.backup ? 2 : 0;
  for (std::size_t k = 0; k < 2 * storage_units_.size(); ++k) marker[r++] = true;
  return marker;
}

void NetworkDae::set_running(std::size_t slot, bool running, double t_s, std::span<double> y,
                             bool undervoltage) {
  // A PI loop stops with its integrator held and resumes bumpless: the integrator set so that
  // the loop carries the current it carried when it stopped (its loads return at their
  // profile's power with it), whatever the output voltage did meanwhile.
  const auto switch_loop = [&](Converter& conv) {
    if (conv.integrator < 0) return;
    const auto z = static_cast<std::size_t>(conv.integrator);
    const double v = node_voltage(conv.output, y);
    if (!running) {
      conv.resume_a = loop_current_a(conv, y);
      return;
    }
    y[z] = conv.resume_a * (1.0 + conv.loop.gains.kp_a_per_v * conv.loop.r_droop_ohm) -
           conv.loop.gains.kp_a_per_v * (conv.loop.v_ref_v - v);
  };
  auto& conv = converters_[slot];
  mode_changes_.push_back({false, conv.index, t_s, running, undervoltage});
  switch_loop(conv);
  if (!conv.undervoltage) return;
  for (auto e = conv.downstream_begin; e < conv.downstream_end; ++e) {
    const auto d = downstream_[e];
    if (d < 0) {
      auto& load = loads_[static_cast<std::size_t>(-1 - d)];
      const bool was_on = load.blocked == 0;
      load.blocked += running ? -1 : 1;
      if (was_on != (load.blocked == 0))
        mode_changes_.push_back({true, load.index, t_s, load.blocked == 0, false});
      continue;
    }
    auto& down = converters_[static_cast<std::size_t>(d)];
    const bool was_running = down.running();
    down.blocked += running ? -1 : 1;
    if (was_running == down.running()) continue;
    mode_changes_.push_back({false, down.index, t_s, down.running(), false});
    switch_loop(down);
  }
}

void NetworkDae::apply(std::size_t slot, components::Switching switching, double t_s,
                       std::span<double> y, bool& changed) {
  if (switching == components::Switching::none) return;
  auto& conv = converters_[slot];
  // Its own state has switched already; whether it runs changes only when nothing upstream
  // holds it off.
  if (conv.blocked > 0) return;
  set_running(slot, switching == components::Switching::restarted, t_s, y, true);
  changed = true;
}

bool NetworkDae::handle_event(double t_s, std::span<double> y, std::span<double> /*yp*/,
                              std::span<const int> which_roots) {
  bool changed = false;
  for (std::size_t c = 0; c < converters_.size(); ++c) {
    auto& conv = converters_[c];
    if (conv.uv_root < 0) continue;
    const auto crossed =
        which_roots.subspan(static_cast<std::size_t>(conv.uv_root), components::undervoltage_roots);
    if (std::all_of(crossed.begin(), crossed.end(), [](int r) { return r == 0; })) continue;
    apply(c,
          components::undervoltage_event(conv.uv, conv.uv_state, t_s, node_voltage(conv.input, y),
                                         crossed),
          t_s, y, changed);
  }
  for (std::size_t k = 0; k < storage_units_.size(); ++k) {
    auto& u = storage_units_[k];
    // Falling through soc_min empties it; rising back through it (charging) releases it.
    if (const int r = which_roots[storage_root_ + 2 * k]; r != 0) {
      const bool empty = r < 0;
      changed = changed || empty != u.empty;
      u.empty = empty;
    }
    if (const int r = which_roots[storage_root_ + 2 * k + 1]; r != 0) {
      const bool full = r > 0;
      changed = changed || full != u.full;
      u.full = full;
    }
  }
  // A BBU turns on when its bus falls through its trigger and stays on (ORv3 BBUs discharge
  // until AC returns) until its bus rises through its set voltage: something else holds the bus
  // above what the BBU regulates to, and its command is back at its set-point (no jump).
  std::size_t r = backup_root_;
  for (auto& u : storage_units_) {
    if (!u.backup) continue;
    const int trigger = which_roots[r++];
    const int release = which_roots[r++];
    const bool on = u.backup_on ? release <= 0 : trigger < 0;
    if (on == u.backup_on) continue;
    u.backup_on = on;
    backup_switches_.push_back({u.index, t_s, on});
    changed = true;
  }
  for (std::size_t k = 0; k < faults_.size(); ++k) {
    auto& f = faults_[k];
    if (which_roots[fault_root_ + 2 * k] > 0 && !f.active) {
      f.active = true;
      changed = true;
    }
    if (which_roots[fault_root_ + 2 * k + 1] > 0 && f.active) {
      f.active = false;
      changed = true;
      const auto i_f = static_cast<std::size_t>(f.current);
      if (f.line >= 0) {
        // The arc goes out: both parts of the line carry one current at once.
        const auto i_a = static_cast<std::size_t>(lines_[static_cast<std::size_t>(f.line)].current);
        const auto cut = components::interrupt_line_fault(f.a, f.b, y[i_a], y[i_f]);
        y[i_a] = cut.i_a;
        f.interrupted_j += cut.energy_j;
      }
      y[i_f] = 0.0;
    }
  }
  for (std::size_t k = 0; k < outages_.size(); ++k) {
    auto& conv = converters_[outages_[k].slot];
    for (int e = 0; e < 2; ++e) {
      if (which_roots[outage_root_ + 2 * k + static_cast<std::size_t>(e)] <= 0) continue;
      const bool running_before = conv.running();
      conv.blocked += e == 0 ? 1 : -1;
      if (running_before == conv.running()) continue;
      // Bumpless as a restart: the PI loop holds, then resumes at the current it carried.
      if (conv.integrator >= 0) {
        const auto z = static_cast<std::size_t>(conv.integrator);
        const double v = node_voltage(conv.output, y);
        if (!conv.running())
          conv.resume_a = loop_current_a(conv, y);
        else
          y[z] = conv.resume_a * (1.0 + conv.loop.gains.kp_a_per_v * conv.loop.r_droop_ohm) -
                 conv.loop.gains.kp_a_per_v * (conv.loop.v_ref_v - v);
      }
      mode_changes_.push_back({false, conv.index, t_s, conv.running(), false});
      changed = true;
    }
  }
  if (protection_events(t_s, y, which_roots)) changed = true;
  return changed;  // a current limit alone changes nothing
}

bool NetworkDae::check_modes(double t_s, std::span<double> y, std::span<double> yp) {
  bool changed = false;
  for (std::size_t c = 0; c < converters_.size(); ++c) {
    auto& conv = converters_[c];
    if (conv.uv_root < 0) continue;
    apply(c,
          components::undervoltage_check(conv.uv, conv.uv_state, t_s, node_voltage(conv.input, y)),
          t_s, y, changed);
  }
  if (protection_check(t_s, y, yp)) changed = true;
  return changed;
}

void NetworkDae::lose_input(std::size_t converter, double from_s, double to_s) {
  const auto slot = converter < converter_slot_.size() ? converter_slot_[converter] : -1;
  if (slot < 0)
    throw InvalidInput("outage", fmt::format("converter {} is not simulated", converter),
                       "name a converter in service");
  if (!(from_s > 0.0 && to_s > from_s))
    throw InvalidInput("outage", fmt::format("an input lost from {:g} s to {:g} s", from_s, to_s),
                       "start after t = 0 and end after the start");
  outages_.push_back({static_cast<std::size_t>(slot), from_s, to_s});
  const auto& id = model_.converters[converter].id;
  root_names_.push_back({id, "input_lost"});
  root_names_.push_back({id, "input_back"});
}

bool NetworkDae::storage_simulated(std::size_t storage) const {
  return storage_slot_.at(storage) >= 0;
}

double NetworkDae::storage_power_w(std::size_t storage, std::span<const double> y) const {
  const auto slot = storage_slot_.at(storage);
  if (slot >= 0)
    return y[static_cast<std::size_t>(storage_units_[static_cast<std::size_t>(slot)].power)];
  const auto& s = model_.storage[storage];
  return network_.active(ElementType::storage, storage) ? s.p_set_w : 0.0;
}

double NetworkDae::storage_soc(std::size_t storage, std::span<const double> y) const {
  const auto slot = storage_slot_.at(storage);
  return slot < 0 ? 0.0 : unit_soc(storage_units_[static_cast<std::size_t>(slot)], y);
}

double NetworkDae::storage_loss_w(std::size_t storage, std::span<const double> y) const {
  const auto slot = storage_slot_.at(storage);
  if (slot < 0) return 0.0;
  const auto& u = storage_units_[static_cast<std::size_t>(slot)];
  if (!u.battery) {
    const double i = (y[static_cast<std::size_t>(u.charge)] - y[static_cast<std::size_t>(u.v_t)]) /
                     u.bank.esr_ohm;
    return u.bank.esr_ohm * i * i;
  }
  const double i = y[static_cast<std::size_t>(u.current)];
  double loss_w = u.cell.r_internal_ohm * i * i;
  if (u.v_1 >= 0) {
    const double v_1 = y[static_cast<std::size_t>(u.v_1)];
    loss_w += v_1 * v_1 / u.cell.r_pair_ohm;
  }
  return loss_w;
}

double NetworkDae::converter_input_v(std::size_t converter, std::span<const double> y) const {
  const auto slot = converter_slot_.at(converter);
  if (slot < 0) return 0.0;
  const auto& conv = converters_[static_cast<std::size_t>(slot)];
  return conv.dc_input ? node_voltage(conv.input, y) : 0.0;
}

bool NetworkDae::converter_running(std::size_t converter) const {
  const auto slot = converter_slot_.at(converter);
  return slot >= 0 && converters_[static_cast<std::size_t>(slot)].running();
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
    if (u.thevenin) {
      const std::array<double, 2> x{node_angle(u.node, y), node_voltage(u.node, y)};
      a.stamp(components::thevenin_source_stamp(u.emf, x), {p_row_[n], q_row_[n]},
              {angle_column_[n], voltage_column_[n]});
    } else {
      a.add_f(u.power, -y[static_cast<std::size_t>(u.power)] / s_base_va_);
      a.add_j(u.power, u.power, -1.0 / s_base_va_);
    }
    if (u.speed < 0) continue;
    // The swing equation on the rating, driven by the change of the delivered power.
    const auto [p_w, p_columns, dp_w] = delivered_power(u, y);
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

NetworkDae::DeliveredPower NetworkDae::delivered_power(const Utility& utility,
                                                       std::span<const double> y) const {
  if (!utility.thevenin)
    return {y[static_cast<std::size_t>(utility.power)], {utility.power, none}, {1.0, 0.0}};
  const auto n = static_cast<std::size_t>(utility.node);
  const auto stamp = components::thevenin_source_stamp(
      utility.emf, {node_angle(utility.node, y), node_voltage(utility.node, y)});
  // The stamp's P row is the power drawn from the node: the delivered power's negative, in pu.
  return {-stamp.f[0] * s_base_va_,
          {angle_column_[n], voltage_column_[n]},
          {-stamp.df_dx[0][0] * s_base_va_, -stamp.df_dx[0][1] * s_base_va_}};
}

double NetworkDae::utility_power_w(const Utility& utility, std::span<const double> y) const {
  return delivered_power(utility, y).p_w;
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

namespace g2g::dynamic {

// ---- Faults -------------------------------------------------------------------------------------

void NetworkDae::build_faults(core::DiagnosticList& problems) {
  if (faults_.empty()) return;
  const auto& nodes = network_.nodes;
  for (std::size_t k = 0; k < faults_.size(); ++k) {
    auto& f = faults_[k];
    const FaultSpec& spec = f.spec;
    auto refuse = [&](std::string message, std::string fix) {
      problems.error(spec.where, fmt::format("fault '{}': {}", spec.id, message), std::move(fix));
    };
    if (spec.bus.has_value() == spec.line.has_value()) {
      refuse("it must be at a bus or on a line", "give one of the two");
      continue;
    }
    if (!(spec.time_s > 0.0) || (spec.clear_s && !(*spec.clear_s > spec.time_s)) ||
        !(spec.resistance_ohm >= 0.0)) {
      refuse(fmt::format("inception at {:g} s, clearing {}, resistance {:g} ohm", spec.time_s,
                         spec.clear_s ? fmt::format("at {:g} s", *spec.clear_s) : "never",
                         spec.resistance_ohm),
             "start after t = 0, clear after the inception, resistance >= 0");
      continue;
    }
    if (spec.line) {
      const auto slot = *spec.line < line_slot_.size() ? line_slot_[*spec.line] : -1;
      if (slot < 0) {
        refuse("its line is not a DC line in service", "name a DC line in service");
        continue;
      }
      auto& line = lines_[static_cast<std::size_t>(slot)];
      if (!(spec.at > 0.0 && spec.at < 1.0)) {
        refuse(fmt::format("at {:g} is not strictly between the line's ends", spec.at),
               "a fault at an end is at that end's bus");
        continue;
      }
      if (line.device) {
        refuse(fmt::format("line '{}' is a protection device, not a conductor",
                           model_.lines[*spec.line].id),
               "place the fault at one of its buses");
        continue;
      }
      if (!(line.loop.l_h > 0.0)) {
        refuse(fmt::format("line '{}' has no inductance (a breaker?)", model_.lines[*spec.line].id),
               "place the fault at one of its buses");
        continue;
      }
      if (line.fault >= 0) {
        refuse(fmt::format("line '{}' has a fault along it already ('{}')",
                           model_.lines[*spec.line].id,
                           faults_[static_cast<std::size_t>(line.fault)].spec.id),
               "place one fault per line");
        continue;
      }
      line.fault = static_cast<std::int32_t>(k);
      f.line = slot;
      const auto parts = components::split_loop(line.loop, spec.at);
      f.a = parts[0];
      f.b = parts[1];
      // At rest the fault point sits on the line's resistive divider.
      const double v_from = node_voltage(line.from, y0_);
      const double i0 = y0_[static_cast<std::size_t>(line.current)];
      f.point = add_unknown(spec.id, "v", false,
                            nodes[static_cast<std::size_t>(line.from)].base_voltage_v,
                            v_from - f.a.r_ohm * i0);
      f.current =
          add_unknown(spec.id, "i", true, std::max(model_.lines[*spec.line].ampacity_a, 1.0), 0.0);
    } else {
      const auto node = *spec.bus < model_.buses.size()
                            ? steady::node_of(network_, static_cast<model::BusIndex>(*spec.bus))
                            : -1;
      const auto column = node >= 0 ? dc_voltage_unknown(node) : -1;
      if (column < 0) {
        refuse(
            "its bus is not a DC bus with a voltage of its own (an AC bus, one out of "
            "service, or one an ideal source holds)",
            "name a DC bus that no dc_source sets");
        continue;
      }
      const auto n = static_cast<std::size_t>(node);
      if (spec.resistance_ohm == 0.0) {
        // v = 0 at once: a Dirac current from an ideal capacitor, and P / v from a constant
        // power at the bus.
        bool loaded = std::any_of(loads_.begin(), loads_.end(),
                                  [&](const Load& l) { return l.node == node; });
        for (const auto& c : converters_)
          loaded = loaded || (c.dc_input && c.input == node) ||
                   (c.dc_output && !c.voltage_control && c.output == node);
        if (node_capacitance_f_[n] > 0.0 || loaded) {
          refuse(fmt::format("a bolted fault (0 ohm) at bus '{}' would hold it at 0 V at once, "
                             "but it has {}",
                             model_.buses[*spec.bus].id,
                             node_capacitance_f_[n] > 0.0
                                 ? "capacitance without ESR (an infinite current)"
                                 : "constant-power loads or converters (P / 0 V)"),
                 "give the fault a resistance, e.g. 'resistance: 1 mohm', or place it along a "
                 "line");
          continue;
        }
      }
      f.node = node;
      double ampacity_a = 0.0;
      for (std::size_t l = 0; l < model_.lines.size(); ++l)
        if (line_slot_[l] >= 0 && (lines_[static_cast<std::size_t>(line_slot_[l])].from == node ||
                                   lines_[static_cast<std::size_t>(line_slot_[l])].to == node))
          ampacity_a += model_.lines[l].ampacity_a;
      f.current = add_unknown(spec.id, "i", false, std::max(ampacity_a, 1.0), 0.0);
    }
    const double current_scale = scale_[static_cast<std::size_t>(f.current)];
    f.energy = add_unknown(spec.id, "energy", true, 1.0, 0.0);
    f.i2t = add_unknown(spec.id, "i2t", true, current_scale * current_scale * 1e-3, 0.0);
  }
  if (problems.has_errors()) return;
  line_energy_ = add_unknown("lines", "loss_energy", true, 1.0, 0.0);
  if (!capacitors_.empty()) esr_energy_ = add_unknown("esr", "loss_energy", true, 1.0, 0.0);
  // The energies' scales: what the capacitors and inductors hold at t = 0.
  const double stored_j = std::max(stored_energy_j(y0_), 1.0);
  for (const auto& f : faults_) scale_[static_cast<std::size_t>(f.energy)] = stored_j;
  scale_[static_cast<std::size_t>(line_energy_)] = stored_j;
  if (esr_energy_ >= 0) scale_[static_cast<std::size_t>(esr_energy_)] = stored_j;
  fault_root_ = root_names_.size();
  for (const auto& f : faults_) {
    root_names_.push_back({f.spec.id, "inception"});
    root_names_.push_back({f.spec.id, "clear"});
  }
}

void NetworkDae::evaluate_faults(Assembly& a, std::span<const double> y) {
  for (const auto& f : faults_) {
    const auto i_col = f.current;
    const double i_f = y[static_cast<std::size_t>(i_col)];
    std::int64_t v_col = none;
    double v = 0.0;
    if (f.line >= 0) {
      const auto& line = lines_[static_cast<std::size_t>(f.line)];
      const auto from = static_cast<std::size_t>(line.from);
      const auto to = static_cast<std::size_t>(line.to);
      v_col = f.point;
      v = y[static_cast<std::size_t>(f.point)];
      a.stamp(components::line_fault_stamp(f.a, f.b, f.spec.resistance_ohm, f.active,
                                           {node_voltage(line.from, y), node_voltage(line.to, y), v,
                                            y[static_cast<std::size_t>(line.current)], i_f}),
              {p_row_[from], p_row_[to], f.point, line.current, i_col},
              {voltage_column_[from], voltage_column_[to], f.point, line.current, i_col});
    } else {
      const auto n = static_cast<std::size_t>(f.node);
      v_col = voltage_column_[n];
      v = node_voltage(f.node, y);
      a.stamp(components::bus_fault_stamp(f.spec.resistance_ohm, f.active, {v, i_f}),
              {p_row_[n], i_col}, {v_col, i_col});
    }
    // Quadratures: E' = v i_f, (I^2 t)' = i_f^2.
    a.add_f(f.energy, a.derivative(f.energy) - v * i_f);
    a.add_j(f.energy, f.energy, a.cj);
    a.add_j(f.energy, v_col, -i_f);
    a.add_j(f.energy, i_col, -v);
    a.add_f(f.i2t, a.derivative(f.i2t) - i_f * i_f);
    a.add_j(f.i2t, f.i2t, a.cj);
    a.add_j(f.i2t, i_col, -2.0 * i_f);
  }
  if (line_energy_ < 0) return;
  a.add_f(line_energy_, a.derivative(line_energy_));
  a.add_j(line_energy_, line_energy_, a.cj);
  for (const auto& line : lines_) {
    const double i = y[static_cast<std::size_t>(line.current)];
    if (line.fault < 0) {
      a.add_f(line_energy_, -line.loop.r_ohm * i * i);
      a.add_j(line_energy_, line.current, -2.0 * line.loop.r_ohm * i);
      continue;
    }
    const auto& f = faults_[static_cast<std::size_t>(line.fault)];
    const double i_b = i - y[static_cast<std::size_t>(f.current)];
    a.add_f(line_energy_, -f.a.r_ohm * i * i - f.b.r_ohm * i_b * i_b);
    a.add_j(line_energy_, line.current, -2.0 * (f.a.r_ohm * i + f.b.r_ohm * i_b));
    a.add_j(line_energy_, f.current, 2.0 * f.b.r_ohm * i_b);
  }
  if (esr_energy_ < 0) return;
  a.add_f(esr_energy_, a.derivative(esr_energy_));
  a.add_j(esr_energy_, esr_energy_, a.cj);
  for (const auto& capacitor : capacitors_) {
    const auto n = static_cast<std::size_t>(capacitor.node);
    const double v_r =
        node_voltage(capacitor.node, y) - y[static_cast<std::size_t>(capacitor.voltage)];
    const double g = 1.0 / capacitor.rc.esr_ohm;
    a.add_f(esr_energy_, -g * v_r * v_r);
    a.add_j(esr_energy_, voltage_column_[n], -2.0 * g * v_r);
    a.add_j(esr_energy_, capacitor.voltage, 2.0 * g * v_r);
  }
}

std::size_t NetworkDae::fault_count() const noexcept {
  return faults_.size();
}

double NetworkDae::fault_current_a(std::size_t fault, std::span<const double> y) const {
  return y[static_cast<std::size_t>(faults_.at(fault).current)];
}

double NetworkDae::fault_current_rate_a_per_s(std::size_t fault, std::span<const double> yp) const {
  return yp[static_cast<std::size_t>(faults_.at(fault).current)];
}

double NetworkDae::fault_voltage_v(std::size_t fault, std::span<const double> y) const {
  const auto& f = faults_.at(fault);
  return f.line >= 0 ? y[static_cast<std::size_t>(f.point)] : node_voltage(f.node, y);
}

bool NetworkDae::fault_active(std::size_t fault) const {
  return faults_.at(fault).active;
}

double NetworkDae::fault_energy_j(std::size_t fault, std::span<const double> y) const {
  const auto& f = faults_.at(fault);
  return y[static_cast<std::size_t>(f.energy)] + f.interrupted_j;
}

double NetworkDae::fault_i2t_a2s(std::size_t fault, std::span<const double> y) const {
  return y[static_cast<std::size_t>(faults_.at(fault).i2t)];
}

double NetworkDae::line_loss_energy_j(std::span<const double> y) const {
  return line_energy_ >= 0 ? y[static_cast<std::size_t>(line_energy_)] : 0.0;
}

double NetworkDae::esr_loss_energy_j(std::span<const double> y) const {
  return esr_energy_ >= 0 ? y[static_cast<std::size_t>(esr_energy_)] : 0.0;
}

std::int64_t NetworkDae::fault_current_unknown(std::size_t fault) const {
  return faults_.at(fault).current;
}

}  // namespace g2g::dynamic
