// The network in time: the DAE F(x) + d/dt Q(x) = 0 of a model, built on the power flow's
// network (steady::Network: its nodes, roles and admittance matrix) and starting from its
// solution (steady::State). docs/algorithms/dae.md § Network equations.
//
// The AC side stays the power flow's quasi-static phasor network: the same power balances, with
// the same unknowns (angle and |V| per node, the power of a converter that sets an AC island's
// voltage), all algebraic. The DC side is dynamic, element by element (not the power flow's
// shortcuts of a converter as an ideal voltage source and loads lumped per node):
//   - a DC node's KCL, with its buses' capacitance and the ideal DC-link capacitors there;
//   - a DC cable or busbar's loop R-L (components/dc_line_dynamics.hpp);
//   - a converter with `control: voltage` and a DC output: a PI voltage loop over a current
//     limit with anti-windup and droop (components/converter_control.hpp) and its DC-link
//     capacitor with ESR (components/capacitor.hpp); its input draws output power plus the loss
//     of the efficiency curve the power flow uses, as a current from a DC input (at most the
//     input current of its output limit at nominal voltages, which then bounds its output:
//     components/input_current_limit.hpp) or as P and Q from an AC one;
//   - a load draws its power at nominal voltage (a function of time for a driven GPU rack) with
//     its ZIP voltage dependence.
//   - a converter with `undervoltage_off` turns off when its DC input falls below it and
//     restarts when the input has stayed above `undervoltage_on` for `restart_delay` (state
//     events, components/ride_through.hpp); while it is off, what it alone feeds is off too;
//   - a PI loop's current limit is a state event (located, changing no value);
//   - a utility with `short_circuit_power` is a constant EMF behind its Thevenin impedance, its
//     node's angle and |V| unknowns; with `inertia` it has a frequency (swing equation with a
//     governor droop) that its delivered power drives (components/utility_source.hpp);
//   - storage with a `technology` or a scenario's control: its cell behind an ideal converter,
//     controlled by grid smoothing or voltage support (a battery backup unit: idle until its bus
//     falls to a trigger), its SOC bounds and its command's clamp as state events;
//   - a converter's input lost for a while (lose_input): timed state events;
//   - pole-to-pole DC faults (FaultSpec) at a bus or along a line, present from construction
//     and switched on and off by timed state events, with quadratures of their energy, their
//     I^2 t and the lines' and ESRs' losses (components/fault.hpp).
// Not yet simulated (the constructor refuses them with a located message): more than one
// utility with `inertia`, converters with `ramp_rate`, undervoltage turn-off of a converter
// whose input is AC or whose downstream network is fed from elsewhere too, and more than one
// grid-smoothing item.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "g2g/components/ride_through.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/dynamic/dae.hpp"
#include "g2g/dynamic/piecewise_linear.hpp"
#include "g2g/model/spec.hpp"
#include "g2g/steady/equations.hpp"
#include "g2g/steady/network.hpp"

namespace g2g::dynamic {

// What drives the loads in time: the power drawn at nominal voltage in W as functions of time,
// each shared by the loads that follow it (a thousand racks of one synchronized job hold one
// function, evaluated once per residual). Outside a function's breakpoints its end values hold.
struct LoadPowers {
  std::vector<PiecewiseLinear> functions;
  // Per model load (ModelSpec::loads order): its function's index, or -1 for its steady power.
  // Empty: every load keeps its steady power.
  std::vector<std::int32_t> function_of_load;

  // Adds a function and returns its index.
  std::int32_t add(PiecewiseLinear power_w) {
    functions.push_back(std::move(power_w));
    return static_cast<std::int32_t>(functions.size() - 1);
  }
};

// How storage elements are controlled in time (from a scenario's `storage:` items). Storage
// with a `technology` that no group names is simulated at its set-point (its state of charge
// moves); storage without one and in no group is a constant injection, as in the power flow.
// docs/algorithms/dae.md § Storage.
struct StorageGroup {
  enum class Mode : std::uint8_t {
    // The grid power follows a reference, ramp-limited or low-pass, of the demand (grid power
    // plus what the group delivers); the members cover the rest, shared by their power limits.
    grid_smoothing,
    // Each member injects by droop on its bus voltage.
    voltage_support,
  };
  Mode mode = Mode::grid_smoothing;
  std::vector<std::size_t> members;               // indices into ModelSpec::storage
  double bandwidth_hz = 0.0;                      // grid_smoothing: the members' power loop (> 0)
  std::optional<double> grid_ramp_limit_w_per_s;  // grid_smoothing: one of these two
  std::optional<double> grid_time_constant_s;
  std::optional<double> soc_target;  // the slow state-of-charge restoring loop, both or neither
  std::optional<double> soc_restore_time_s;
  double droop_pu = 0.0;  // voltage_support: per-unit voltage change at the member's max power
  // voltage_support as a battery backup unit (BBU, on a DC bus): idle (at its set-point) until
  // its bus falls to trigger_v, then regulating toward set_voltage_v by the droop through its
  // power loop (bandwidth_hz); back to idle when its bus rises above set_voltage_v (something
  // else, the PSUs back on, holds the bus there). All three or none.
  std::optional<double> trigger_v;
  std::optional<double> set_voltage_v;
};

// A pole-to-pole DC fault placed on the model (docs/algorithms/dae.md § Faults): at a DC bus,
// or at `at` (strictly between 0 and 1) along a DC line from its `from` end, which splits the
// line's R-L loop there; through resistance_ohm (0: bolted) from time_s, extinguished at clear_s.
struct FaultSpec {
  std::string id;
  std::optional<std::size_t> bus;   // ModelSpec::buses; or
  std::optional<std::size_t> line;  // ModelSpec::lines
  double at = 0.5;
  double resistance_ohm = 0.0;
  double time_s = 0.0;
  std::optional<double> clear_s;
  core::SourceLocation where;  // where it was given (a scenario's item), for messages
};

// A battery backup unit turning on (its bus fell to its trigger) or back to idle.
struct BackupSwitch {
  std::size_t storage = 0;  // its index in ModelSpec::storage
  double t_s = 0.0;
  bool on = false;
};

// Power and energy bookkeeping at one point, in W (docs/algorithms/dae.md § Energy balance).
struct PowerBalance {
  // Delivered by the sources (utility, generators, DC sources); a Thevenin utility's at its
  // terminal (its impedance's loss is its own, outside the boundary).
  double source_w = 0.0;
  double load_w = 0.0;     // drawn by the loads
  double storage_w = 0.0;  // injected by storage at its bus (negative: charging)
  double loss_w = 0.0;     // lines, transformers, converters, capacitor ESRs
};

// A load or converter that turned off or on again (ride-through), in the order they happened.
struct ModeChange {
  bool load = false;        // a load (else a converter)
  std::size_t element = 0;  // its index in the model's list of its kind
  double t_s = 0.0;
  bool on = false;
  // Its own undervoltage turn-off or restart (else a tripped converter upstream, or its restart).
  bool undervoltage = false;
};

// What a protection device (a breaker with `trip:`) did in a run: when it picked up and opened
// (negative: never), when its current fell to its clamp's knee after opening (cleared), why it
// opened, and how close it came to tripping: its peak |i| over its pickup and its integral's
// peak over its limit (a fuse's melting integral over its pre-arcing I2t, a thermal replica's
// state; 0 when it has neither).
struct ProtectionRecord {
  std::size_t line = 0;  // in the model's lines
  double pickup_t_s = -1.0;
  double open_t_s = -1.0;
  double cleared_t_s = -1.0;
  double reclose_t_s = -1.0;
  double reopen_t_s = -1.0;  // opened again after the reclosure; pickup/open/cleared: the first
  double peak_a = 0.0;
  double peak_t_s = 0.0;
  double peak_over_pickup = 0.0;
  double integral_over_limit = 0.0;
  double clamp_energy_j = 0.0;   // filled by protection_records(y)
  double let_through_a2s = 0.0;  // breakers: integral of i^2 over the run
  std::string cause;             // "current", "di/dt", "melted", "magnetic", "thermal"
};

// Root functions per protection device: +-pickup, +-di/dt, the integral's limit, the timer,
// the clamp's knee and the melting threshold.
inline constexpr int protection_roots = 8;

class NetworkDae final : public DaeSystem {
 public:
  // `network` and `state` are the power flow's (steady::Solver::network(), state() after a
  // solve of `model`); all three must outlive this object. Throws core::ModelError with every
  // missing dynamic key (model::simulation_requirements) and every element it cannot simulate
  // yet, each at its element; InvalidInput (subject "loads") when `loads` has the wrong size or
  // an index out of range.
  NetworkDae(const model::ModelSpec& model, const steady::Network& network,
             const steady::State& state, LoadPowers loads = {},
             std::vector<StorageGroup> storage = {}, std::vector<FaultSpec> faults = {});
  ~NetworkDae() override;
  NetworkDae(NetworkDae&&) noexcept;
  NetworkDae& operator=(NetworkDae&&) = delete;  // it refers to its model and network

  [[nodiscard]] std::int64_t size() const override { return unknowns_; }
  [[nodiscard]] std::vector<bool> differential() const override { return differential_; }
  void residual(double t_s, std::span<const double> y, std::span<const double> yp,
                std::span<double> out) override;
  [[nodiscard]] CsrPattern pattern() const override { return pattern_; }
  void jacobian(double t_s, std::span<const double> y, std::span<const double> yp, double cj,
                std::span<double> values) override;
  [[nodiscard]] UnknownName names(std::int64_t k) const override;
  // State events: per PI loop, its unlimited current crossing +-i_max and, with a DC input,
  // its input current limit starting or stopping to bound it (located, changing no value); per
  // converter with undervoltage_off, components::undervoltage_root_functions; per simulated
  // storage, its state of charge reaching soc_min and soc_max (its power is then held to charging
  // or discharging only, until the state of charge is back) and its command reaching its clamp's
  // upper and lower bound (located, changing no value); per battery backup unit, its bus falling to
  // its trigger and rising above its set voltage; per lost input, its start and end.
  [[nodiscard]] int roots() const override { return static_cast<int>(root_names_.size()); }
  void root_functions(double t_s, std::span<const double> y, std::span<const double> yp,
                      std::span<double> out) override;
  // The markers among them: the PI loops' +-i_max and input limits and the storage commands'
  // clamp bounds, which change no value (docs/dynamic.md § Integrator).
  [[nodiscard]] std::vector<bool> marker_roots() const override;
  bool handle_event(double t_s, std::span<double> y, std::span<double> yp,
                    std::span<const int> which_roots) override;
  bool check_modes(double t_s, std::span<double> y, std::span<double> yp) override;
  // Root function r's element and event ("i_max", "-i_max", "input_limit", "undervoltage_off",
  // "undervoltage_on", "restart", "soc_min", "soc_max", a storage command's "power_limit" and
  // "-power_limit", a BBU's "trigger" and "release", a lost input's "input_lost" and
  // "input_back").
  [[nodiscard]] UnknownName root_name(int r) const {
    return root_names_.at(static_cast<std::size_t>(r));
  }
  // Every turn-off and restart so far.
  [[nodiscard]] const std::vector<ModeChange>& mode_changes() const noexcept {
    return mode_changes_;
  }
  // Every battery backup unit's turn-on and return to idle so far.
  [[nodiscard]] const std::vector<BackupSwitch>& backup_switches() const noexcept {
    return backup_switches_;
  }
  // A converter's input is lost (an AC outage upstream of a rack PSU, say) from from_s until
  // to_s: it carries no current, as when tripped, but what it feeds stays on (a BBU or another
  // converter may carry it). Timed state events; call before integrating. InvalidInput for a
  // converter that is not simulated or for times not 0 < from_s < to_s.
  void lose_input(std::size_t converter, double from_s, double to_s);
  // A converter's DC input voltage in V (0 for one out of service or with an AC input), and
  // whether it runs now (on, and no converter upstream of it tripped).
  [[nodiscard]] double converter_input_v(std::size_t converter, std::span<const double> y) const;
  [[nodiscard]] bool converter_running(std::size_t converter) const;

  // Faults (in FaultSpec order): the current into each (A, positive pole to negative) and its
  // rate (A/s, from y'), the voltage across it, whether it is active now, and its integrals from
  // t = 0 (quadrature unknowns, exact to the integrator's tolerance): the energy into it (J,
  // with what an interruption of a line fault dissipates) and its I^2 t (A^2 s). With faults
  // the DAE also integrates every line's and every capacitor ESR's loss (J, from t = 0).
  [[nodiscard]] std::size_t fault_count() const noexcept;
  [[nodiscard]] double fault_current_a(std::size_t fault, std::span<const double> y) const;
  [[nodiscard]] double fault_current_rate_a_per_s(std::size_t fault,
                                                  std::span<const double> yp) const;
  [[nodiscard]] double fault_voltage_v(std::size_t fault, std::span<const double> y) const;
  [[nodiscard]] bool fault_active(std::size_t fault) const;
  [[nodiscard]] double fault_energy_j(std::size_t fault, std::span<const double> y) const;
  [[nodiscard]] double fault_i2t_a2s(std::size_t fault, std::span<const double> y) const;
  [[nodiscard]] double line_loss_energy_j(std::span<const double> y) const;
  [[nodiscard]] double esr_loss_energy_j(std::span<const double> y) const;
  // The fault current's unknown (for recording and tests).
  [[nodiscard]] std::int64_t fault_current_unknown(std::size_t fault) const;

  // The power flow's solution as a point of the DAE, with y' = 0: consistent when the loads'
  // powers at t0 are their steady ones (IDACalcIC polishes the rest).
  [[nodiscard]] const std::vector<double>& initial_y() const noexcept { return y0_; }
  // With faults, the loss integrals' rates are the losses at t = 0 (nonzero at rest).
  [[nodiscard]] std::vector<double> initial_yp() const {
    return yp0_.empty() ? std::vector<double>(y0_.size()) : yp0_;
  }
  // A scale per unknown (its nominal magnitude: V, A, W or per unit) for absolute tolerances:
  // atol_k = relative_tolerance * scale_k makes every unknown's error test relative to its own
  // size, never to an arbitrary unit.
  [[nodiscard]] std::vector<double> absolute_tolerances(double relative_tolerance) const;
  // The times in [t0_s, t1_s] where a load's power has a kink or a jump: where the integrator
  // must stop rather than step across.
  [[nodiscard]] std::vector<double> load_edges(double t0_s, double t1_s) const;
  // Whether a load's power jumps at t_s (an edge of zero rise time, a dip): a discontinuity,
  // after which the integrator needs consistent initial conditions again.
  [[nodiscard]] bool load_jumps_at(double t_s) const;

  // Signals at a point (y, y') of the solution. The power all sources deliver (the grid
  // power: slacks' balances and generators' set-points), for every step: a residual pass over
  // the elements at fixed nodes only (residual_pass).
  [[nodiscard]] double grid_power_w(double t_s, std::span<const double> y,
                                    std::span<const double> yp);
  [[nodiscard]] PowerBalance balance(double t_s, std::span<const double> y,
                                     std::span<const double> yp);
  // Energy stored in the capacitors and inductors, in J, and its rate of change in W.
  [[nodiscard]] double stored_energy_j(std::span<const double> y) const;
  [[nodiscard]] double stored_power_w(std::span<const double> y, std::span<const double> yp) const;
  // The voltage of a bus, in per unit of its nominal voltage (its node's; a fixed node's
  // set-point; 0 for a dead bus).
  [[nodiscard]] double bus_voltage_pu(model::BusIndex bus, std::span<const double> y) const;
  // The lowest bus voltage above 0 in per unit (as bus_voltage_pu), and its bus: the first in
  // the model's order among equals; bus -1 when no bus has a voltage. Read at every step.
  struct LowestBus {
    model::BusIndex bus = -1;
    double v_pu = 0.0;
  };
  [[nodiscard]] LowestBus lowest_bus_voltage_pu(std::span<const double> y) const;
  // An element's signals at a point, by its index in the model's list of its kind; 0 for an
  // element out of service. A load's drawn power (its function of time and its voltage
  // dependence), a converter's output power, a DC line's current (AC lines: 0).
  [[nodiscard]] double load_power_w(std::size_t load, double t_s, std::span<const double> y);
  [[nodiscard]] double converter_output_w(std::size_t converter, std::span<const double> y) const;
  // A converter's input power: its output power plus its efficiency curve's loss (0 off).
  [[nodiscard]] double converter_input_w(std::size_t converter, std::span<const double> y) const;
  [[nodiscard]] double line_current_a(std::size_t line, std::span<const double> y) const;
  // A source's power: the slack's balance at the point (residual_pass), or a generator's
  // set-point.
  [[nodiscard]] double source_power_w(std::size_t source, double t_s, std::span<const double> y,
                                      std::span<const double> yp);

  // A storage element's signals, by its index in ModelSpec::storage: the power it injects at
  // its bus (W, negative charging), its state of charge (0 to 1; a supercapacitor's is its
  // stored energy over C V^2 / 2 at its bus's nominal voltage; 0 for storage not simulated
  // dynamically), and the power its internal resistances dissipate.
  [[nodiscard]] double storage_power_w(std::size_t storage, std::span<const double> y) const;
  [[nodiscard]] double storage_soc(std::size_t storage, std::span<const double> y) const;
  [[nodiscard]] double storage_loss_w(std::size_t storage, std::span<const double> y) const;
  // Whether a storage element has a state of charge in this DAE.
  [[nodiscard]] bool storage_simulated(std::size_t storage) const;
  // A utility's frequency in Hz: the model's nominal frequency plus its deviation when it has
  // `inertia`, the nominal frequency when not (fixed frequency).
  [[nodiscard]] double source_frequency_hz(std::size_t source, std::span<const double> y) const;
  // Protection devices (breakers with `trip:`): what each did so far, with its clamp energy and
  // let-through at the point y.
  [[nodiscard]] std::vector<ProtectionRecord> protection_records(std::span<const double> y) const;
  // Keeps each protection device's peak current and integral for protection_records: call at
  // every accepted point (step ends and located events; a root search's trial points may lie
  // beyond an event, on the equations before it).
  void observe_protection(double t_s, std::span<const double> y);
  // Whether any line is a protection device.
  [[nodiscard]] bool has_protection() const noexcept { return !protections_.empty(); }
  // Whether any utility has a frequency model (`inertia`).
  [[nodiscard]] bool has_frequency_dynamics() const noexcept;

  // The index of a DC node's voltage unknown, -1 when the node has none (fixed or AC).
  [[nodiscard]] std::int64_t dc_voltage_unknown(std::int32_t node) const {
    return network_.nodes[static_cast<std::size_t>(node)].kind == model::BusKind::dc
               ? voltage_column_[static_cast<std::size_t>(node)]
               : -1;
  }

 private:
  struct Line;
  struct Converter;
  struct Capacitor;
  struct Load;
  struct Injection;
  struct StorageUnit;
  struct StorageControl;
  struct StorageCommand;
  struct Utility;
  struct Protection;
  struct Fault;
  class Assembly;

  void build(const steady::State& state);
  // Faults: their unknowns and checks (build), their equations and loss integrals.
  void build_faults(core::DiagnosticList& problems);
  void evaluate_faults(Assembly& a, std::span<const double> y);
  void evaluate(Assembly& a, double t_s, std::span<const double> y, std::span<const double> yp);
  // evaluate's element loops (nodes to injections), for a residual pass or another, and for a
  // residual pass of the fixed nodes' balances alone (sources_only).
  template <bool ResidualPass, bool SourcesOnly>
  void evaluate_elements(Assembly& a, std::span<const double> y);
  // A residual into `out` and the fixed nodes' balances (shadow_); with sources_only, the
  // balances alone (the same sums in the same order) from the elements at fixed nodes only.
  void residual_pass(double t_s, std::span<const double> y, std::span<const double> yp,
                     std::span<double> out, bool sources_only);
  // Per kind of element that evaluate_elements walks, the ones that add to a fixed node's
  // balance, listed once when the DAE is built: a sources_only pass walks only these (each
  // list in its kind's order), as the others add to no fixed node.
  void list_elements_at_fixed_nodes();
  void evaluate_ac(Assembly& a, std::span<const double> y) const;
  // A DC node's voltage in V, or an AC node's |V| in per unit.
  // Inline: read for every element in every evaluation.
  [[nodiscard]] double node_voltage(std::int32_t node, std::span<const double> y) const {
    const auto n = static_cast<std::size_t>(node);
    const auto column = voltage_column_[n];
    return column >= 0 ? y[static_cast<std::size_t>(column)] : fixed_voltage_[n];
  }
  [[nodiscard]] double node_angle(std::int32_t node, std::span<const double> y) const;
  // A live node's voltage in per unit of its base (an AC node's |V| is already).
  [[nodiscard]] double node_voltage_pu(std::int32_t node, std::span<const double> y) const {
    const auto& n = network_.nodes[static_cast<std::size_t>(node)];
    const double v = node_voltage(node, y);
    return n.kind == model::BusKind::dc ? v / n.base_voltage_v : v;
  }
  // Every load function's value at t_s (once per time, however many loads share one).
  void update_drives(double t_s);
  [[nodiscard]] double nominal_power_w(const Load& load) const;
  [[nodiscard]] double drawn_power_w(const Load& load, std::span<const double> y) const;
  [[nodiscard]] double output_power_w(const Converter& converter, std::span<const double> y) const;
  // A PI loop's output current, within its limits (the input's too), and a converter's input
  // power (its input current times its input voltage; 0 off).
  [[nodiscard]] double loop_current_a(const Converter& converter, std::span<const double> y) const;
  [[nodiscard]] double input_power_w(const Converter& converter, std::span<const double> y) const;
  // What each converter with undervoltage_off alone feeds (refusing what cannot be simulated
  // yet), and the root functions' layout.
  void build_ride_through(core::DiagnosticList& problems);
  // A converter or load stops or starts running: blocks or unblocks what the converter feeds;
  // a PI loop stops with its integrator held and restarts bumpless, at the current it carried
  // when it stopped.
  void set_running(std::size_t slot, bool running, double t_s, std::span<double> y,
                   bool undervoltage);
  void apply(std::size_t slot, components::Switching switching, double t_s, std::span<double> y,
             bool& changed);
  // Utilities with a Thevenin impedance or a frequency model: their unknowns (build), their
  // EMF and t = 0 power from the power flow (after every other element), their equations.
  void add_utilities(const steady::State& state);
  void match_utilities_to_power_flow();
  void evaluate_utilities(Assembly& a, std::span<const double> y) const;
  // A utility's delivered power in W and its derivatives with respect to (up to) two unknowns.
  struct DeliveredPower {
    double p_w = 0.0;
    std::array<std::int64_t, 2> columns{-1, -1};
    std::array<double, 2> dp_w{0.0, 0.0};
  };
  [[nodiscard]] DeliveredPower delivered_power(const Utility& utility,
                                               std::span<const double> y) const;
  [[nodiscard]] double utility_power_w(const Utility& utility, std::span<const double> y) const;
  [[nodiscard]] std::int64_t add_unknown(std::string element, std::string state, bool is_diff,
                                         double scale, double value);
  // A battery backup unit's trigger and release: its bus voltage in V.
  [[nodiscard]] double backup_bus_v(const StorageUnit& unit, std::span<const double> y) const;
  // Storage: its unknowns at t = 0 (build_storage), its equations (evaluate_storage, after every
  // other element, when the sources' balances are complete), its limits now.
  void build_storage(const steady::State& state, core::DiagnosticList& problems);
  void evaluate_storage(Assembly& a, std::span<const double> y);
  [[nodiscard]] double unit_soc(const StorageUnit& unit, std::span<const double> y) const;
  // What a storage unit's control asks for and its clamp's bounds now, given its open-circuit
  // voltage (OCV or v_c) and that voltage's derivative by its charge state.
  [[nodiscard]] StorageCommand storage_command(const StorageUnit& unit, std::span<const double> y,
                                               double open_v, double dopen_dx) const;

  const model::ModelSpec& model_;
  const steady::Network& network_;
  LoadPowers loads_in_;
  double s_base_va_ = 1.0;

  std::int64_t unknowns_ = 0;
  std::vector<bool> differential_;
  std::vector<double> scale_;
  std::vector<double> y0_;
  std::vector<double> yp0_;  // empty: all zero
  std::vector<UnknownName> names_;

  // Per node: the row of its first balance (a DC node's KCL, an AC node's P balance) and of its
  // second (an AC PQ node's Q balance), and the columns of its voltage unknowns (a DC node's
  // voltage in V, an AC node's angle and |V| in per unit); -1 for none. Rows are numbered as the
  // unknowns they determine: a DC node's KCL is its voltage's row, an AC node's P balance its
  // angle's, and at an AC node whose island a converter sets, the converter's power's. A fixed
  // node (a source's) has a shadow P row instead, encoded -2 - k, where its balance is gathered
  // for the source's power.
  std::vector<std::int64_t> p_row_;
  std::vector<std::int64_t> q_row_;
  std::vector<std::int64_t> angle_column_;
  std::vector<std::int64_t> voltage_column_;
  std::vector<double> node_capacitance_f_;
  // The DC nodes with a voltage unknown (its column and the node's capacitance), and the live
  // AC nodes, in node order (build).
  std::vector<std::pair<std::int64_t, double>> dc_voltage_nodes_;
  std::vector<std::int32_t> ac_nodes_;
  std::vector<std::pair<model::BusIndex, std::int32_t>> live_buses_;  // (bus, its live node)
  std::vector<double> fixed_voltage_;  // per node: a fixed DC node's V, a fixed AC node's |V| pu
  std::vector<double> shadow_;         // per shadow row: its balance at the last evaluation
  std::vector<double> scratch_;        // a residual for the signals, allocated once
  std::vector<std::int32_t> shadow_node_;

  std::vector<Line> lines_;
  std::vector<Converter> converters_;
  std::vector<Capacitor> capacitors_;
  std::vector<Load> loads_;
  std::vector<Injection> injections_;  // storage and generators at their set-points
  std::vector<StorageGroup> storage_in_;
  std::vector<StorageUnit> storage_units_;
  std::vector<StorageControl> storage_controls_;  // per storage_in_ group
  std::vector<std::int32_t> storage_slot_;        // per model storage: its unit (-1: none)
  std::size_t storage_root_ = 0;                  // the first storage root function
  std::size_t backup_root_ = 0;  // the first BBU root function (trigger, release per BBU)
  std::vector<BackupSwitch> backup_switches_;
  // Inputs lost in time (lose_input): converter slot, from, to; two root functions each from
  // outage_root_.
  struct Outage {
    std::size_t slot = 0;
    double from_s = 0.0;
    double to_s = 0.0;
  };
  std::vector<Outage> outages_;
  std::size_t outage_root_ = 0;
  std::vector<Fault> faults_;
  std::size_t fault_root_ = 0;  // inception and clearing per fault
  // With faults: the integrals of the lines' and the ESRs' losses (-1: none).
  std::int64_t line_energy_ = -1, esr_energy_ = -1;
  // Per shadow row: the demand unknown of the grid-smoothing group whose equation gathers the
  // sources' power (-1: none) and the factor from the row's balance to W (its node's voltage, or
  // the base power); the Jacobian entries of a shadow row are copied there.
  std::vector<std::pair<std::int64_t, double>> shadow_measure_;
  std::vector<Utility> utilities_;          // Thevenin or inertial utilities
  std::vector<std::int32_t> utility_slot_;  // per model source: its index in utilities_, or -1
  // Per model element: its index in lines_, converters_, loads_ (-1: not simulated).
  std::vector<std::int32_t> line_slot_, converter_slot_, load_slot_;
  std::vector<double> drive_w_;            // per load function: its value at drive_t_s_
  std::vector<std::size_t> drive_cursor_;  // per load function: where its search starts
  // The load functions some active load reads, ascending, the only ones update_drives
  // evaluates: an aggregated model keeps the functions of the copies it lumped, unread, beside
  // their scaled ones.
  std::vector<std::int32_t> live_drives_;
  // Per kind, the elements that add to a fixed node's balance (list_elements_at_fixed_nodes).
  struct AtFixedNodes {
    std::vector<std::int32_t> lines, capacitors, converters, loads, injections, protections;
  } at_fixed_nodes_;
  double drive_t_s_ = -1.0;

  // Ride-through: per converter with undervoltage_off, the slots it alone feeds
  // (downstream_[begin, end) of its record: a converter slot, or -1 - k for load slot k).
  std::vector<std::int32_t> downstream_;
  std::vector<UnknownName> root_names_;
  std::vector<ModeChange> mode_changes_;

  // Protection devices: built from the DC lines with a trip (their line's current is theirs),
  // refused where they cannot be simulated; their root functions from protection_root_.
  void add_protection(std::size_t line, std::int32_t from, std::int32_t to, std::int64_t current,
                      core::DiagnosticList& problems);
  void build_protection();
  template <bool SourcesOnly>
  void evaluate_protection(Assembly& a, std::span<const double> y) const;
  void protection_root_functions(double t_s, std::span<const double> y, std::span<const double> yp,
                                 std::span<double> out);
  bool protection_events(double t_s, std::span<double> y, std::span<const int> which_roots);
  bool protection_check(double t_s, std::span<double> y, std::span<const double> yp);
  // A device without inductance that opens: its algebraic current set to what its clamp passes
  // at the present node voltages, so that the consistent restart starts beside the solution
  // rather than across the clamp's knee; below the knee it is cleared at once, at t_s.
  void start_interrupting(Protection& p, double t_s, std::span<double> y) const;
  static void record_pickup(Protection& p, double t_s, const char* cause);
  static void record_open(Protection& p, double t_s);
  [[nodiscard]] double protection_loss_w(std::span<const double> y) const;
  std::vector<Protection> protections_;
  std::vector<std::int32_t> protection_of_line_;  // per lines_ slot: its device, -1 none
  std::size_t protection_root_ = 0;

  CsrPattern pattern_;
  std::vector<std::int64_t> slot_;  // the Jacobian entries' positions, in evaluation order
};

}  // namespace g2g::dynamic
