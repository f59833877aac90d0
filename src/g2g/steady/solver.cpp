#include "g2g/steady/solver.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "g2g/model/element_kinds.hpp"
#include "g2g/steady/kinds.hpp"
#include "g2g/steady/network.hpp"
#include "g2g/steady/newton.hpp"
#include "g2g/steady/output.hpp"
#include "g2g/steady/verify.hpp"

namespace g2g::steady {

NonConvergenceError::NonConvergenceError(std::string message, std::string worst_bus_id,
                                         int iterations, double max_mismatch_pu)
    : Error(ErrorKind::no_solution, std::move(message)),
      worst_bus_id_(std::move(worst_bus_id)),
      iterations_(iterations),
      max_mismatch_pu_(max_mismatch_pu) {}

namespace {

std::string bus_id(const model::ModelSpec& model, const Network& network, std::int32_t node) {
  if (node < 0) return {};
  return model.buses[static_cast<std::size_t>(network.nodes[static_cast<std::size_t>(node)].bus)]
      .id;
}

// The energised node with the lowest voltage: where a collapse shows first.
std::int32_t weakest_node(const Network& network, const State& state) {
  std::int32_t weakest = -1;
  for (std::size_t i = 0; i < network.nodes.size(); ++i) {
    if (network.nodes[i].role == NodeRole::dead) continue;
    if (weakest < 0 || state.v_pu[i] < state.v_pu[static_cast<std::size_t>(weakest)])
      weakest = static_cast<std::int32_t>(i);
  }
  return weakest;
}

// Load continuation: raise the load from zero in adaptive steps, each solved from the last.
// Returns the largest load scale reached (1 when the case is solved); `failing_node` is where
// the last step that failed left its largest mismatch.
double continuation(NewtonSolver& newton, const Network& network, State& state,
                    NewtonOptions options, int& iterations, std::int32_t& failing_node) {
  double reached = 0.0;
  State last = flat_start(network);
  options.load_scale = 0.0;
  auto outcome = newton.run(last, options);
  iterations += outcome.iterations;
  if (!outcome.converged) return -1.0;  // not even the unloaded network solves
  double step = 0.25;
  while (reached < 1.0 && step > 1e-4) {
    State trial = last;
    options.load_scale = std::min(1.0, reached + step);
    outcome = newton.run(trial, options);
    iterations += outcome.iterations;
    if (outcome.converged) {
      reached = options.load_scale;
      last = std::move(trial);
      step *= 1.5;
    } else {
      failing_node = outcome.worst_node;
      step *= 0.5;
    }
  }
  state = std::move(last);
  return reached;
}

// Linearised start for a radial AC network (the Newton solver took the tree LU): the voltages
// that the specified injections at flat voltage, drawn as constant currents I = conj(S), give
// through Y. One complex tree solve (a backward and a forward sweep, no fill), about the cost of
// evaluating F once; it starts the Newton closer than flat and saves an iteration on large
// networks (docs/steady.md). Returns false, `state` unchanged, unless every node with unknowns is
// AC PQ, Y among them is a tree numbered root-first, and the result is plausible.
bool linear_start(const Network& network, State& state) {
  const std::size_t n = network.nodes.size();
  const auto& y = network.y;
  std::vector<std::int32_t> parent(n, -1);
  std::vector<std::int32_t> up_at(n, -1);    // Y(i, parent) in y.value
  std::vector<std::int32_t> down_at(n, -1);  // Y(parent, i)
  std::vector<Complex> diagonal(n);
  std::vector<Complex> rhs(n);
  auto is_pq = [&](std::size_t i) { return network.nodes[i].role == NodeRole::pq; };
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_pq(i)) continue;
    if (network.nodes[i].kind != model::BusKind::ac) return false;
    rhs[i] = Complex(network.p_fixed_pu[i] - network.p_load_pu[i],
                     -(network.q_fixed_pu[i] - network.q_load_pu[i]));
    for (auto k = y.row_start[i]; k < y.row_start[i + 1]; ++k) {
      const auto j = static_cast<std::size_t>(y.column[static_cast<std::size_t>(k)]);
      const Complex y_ij = y.value[static_cast<std::size_t>(k)];
      const NodeRole role = network.nodes[j].role;
      if (j == i) {
        diagonal[i] = y_ij;
      } else if (role == NodeRole::slack) {
        rhs[i] -= y_ij * std::polar(network.nodes[j].v_set_pu, network.nodes[j].angle_set_rad);
      } else if (role != NodeRole::pq) {
        if (role != NodeRole::dead) return false;
      } else if (j < i) {
        if (parent[i] >= 0) return false;  // two lower neighbours: no tree
        parent[i] = static_cast<std::int32_t>(j);
        up_at[i] = k;
      }
    }
  }
  // Y(parent, i), found from the parent's row.
  for (std::size_t p = 0; p < n; ++p) {
    if (!is_pq(p)) continue;
    for (auto k = y.row_start[p]; k < y.row_start[p + 1]; ++k) {
      const auto j = static_cast<std::size_t>(y.column[static_cast<std::size_t>(k)]);
      if (j > p && is_pq(j) && parent[j] == static_cast<std::int32_t>(p)) down_at[j] = k;
    }
  }
  for (const auto& load : network.loads) {  // voltage-dependent loads draw their nominal at 1 pu
    const auto i = static_cast<std::size_t>(load.node);
    rhs[i] -= Complex(load.p_pu, -load.q_pu);
  }
  // Leaves first: fold each node into its parent; then root first: V_i = (r_i - Y_ip V_p) / d_i.
  for (std::size_t i = n; i-- > 0;) {
    if (!is_pq(i) || parent[i] < 0) continue;
    if (down_at[i] < 0 || diagonal[i] == Complex{}) return false;
    const auto p = static_cast<std::size_t>(parent[i]);
    const Complex factor = y.value[static_cast<std::size_t>(down_at[i])] / diagonal[i];
    diagonal[p] -= factor * y.value[static_cast<std::size_t>(up_at[i])];
    rhs[p] -= factor * rhs[i];
  }
  std::vector<Complex> voltage(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_pq(i)) continue;
    Complex r = rhs[i];
    if (parent[i] >= 0)
      r -= y.value[static_cast<std::size_t>(up_at[i])] *
           voltage[static_cast<std::size_t>(parent[i])];
    voltage[i] = r / diagonal[i];
    // Implausible (a near-collapse case): leave the Newton its flat start.
    if (!std::isfinite(std::abs(voltage[i])) || std::abs(voltage[i]) < 0.5) return false;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_pq(i)) continue;
    state.v_pu[i] = std::abs(voltage[i]);
    state.angle_rad[i] = std::arg(voltage[i]);
  }
  return true;
}

// Whether two networks differ only in values: the same nodes with the same roles, the same
// admittance pattern, the same active elements and converter controls. Then a solver's
// numbering, Jacobian pattern and symbolic factorisation serve both.
bool same_structure(const Network& a, const Network& b) {
  if (a.nodes.size() != b.nodes.size() || a.converters.size() != b.converters.size()) return false;
  for (std::size_t i = 0; i < a.nodes.size(); ++i) {
    const Node& x = a.nodes[i];
    const Node& y = b.nodes[i];
    if (x.kind != y.kind || x.role != y.role || x.converter != y.converter || x.bus != y.bus)
      return false;
  }
  for (std::size_t c = 0; c < a.converters.size(); ++c) {
    const ConverterLink& x = a.converters[c];
    const ConverterLink& y = b.converters[c];
    if (x.input_node != y.input_node || x.output_node != y.output_node ||
        x.voltage_control != y.voltage_control)
      return false;
  }
  for (std::size_t t = 0; t < a.stamps.size(); ++t)
    if (a.stamps[t].active != b.stamps[t].active) return false;
  return a.y.row_start == b.y.row_start && a.y.column == b.y.column;
}

// A converged result that fails the a-posteriori check (verify.hpp) is no answer: exit 3 with
// what failed, never "converged".
void check_converged_result(const model::ModelSpec& model, const SolveResult& result) {
  if (!result.converged) return;
  const auto failed = check_solution(model, result);
  if (!failed) return;
  const std::string bus = failed->bus == model::no_bus
                              ? std::string()
                              : model.buses[static_cast<std::size_t>(failed->bus)].id;
  throw NonConvergenceError(
      fmt::format("the solver converged, but its solution fails the check every solution must "
                  "pass: {}; the model is probably degenerate (check impedances and ratings)",
                  failed->what),
      bus, result.stats.iterations, result.stats.max_mismatch_pu);
}

}  // namespace

Solver::Solver(const model::ModelSpec& model)
    : model_(&model),
      network_(assemble(model)),
      newton_(std::make_unique<NewtonSolver>(network_)),
      state_(flat_start(network_)) {}

Solver::~Solver() = default;

void Solver::run() {
  const model::ModelSpec& model = *model_;
  NewtonOptions options;
  options.tolerance_pu = model.solver.tolerance_pu;
  options.max_iterations = model.solver.max_iterations;
  stats_ = {};
  converged_ = false;

  if (flat_ && newton_->radial()) linear_start(network_, state_);
  flat_ = false;
  NewtonOutcome outcome = newton_->run(state_, options);
  int iterations = outcome.iterations;
  if (!outcome.converged) {
    stats_.used_fallback = true;
    std::int32_t failing = -1;
    const double reached = continuation(*newton_, network_, state_, options, iterations, failing);
    if (reached < 1.0) {
      std::int32_t weakest = weakest_node(network_, state_);
      // Where the voltage has not sagged at all (the network carries next to none of the load:
      // an open or absurdly long cable), the lowest voltage names no bus in particular, often
      // the source; the bus where the next load step failed does.
      const bool sagged =
          weakest >= 0 && state_.v_pu[static_cast<std::size_t>(weakest)] < 1.0 - 1e-6;
      if (!sagged && failing >= 0) weakest = failing;
      const std::string weakest_id = bus_id(model, network_, weakest);
      const double weakest_v_pu =
          weakest >= 0 ? state_.v_pu[static_cast<std::size_t>(weakest)] : 0.0;
      state_ = flat_start(network_);  // no solution to start the next solve from
      flat_ = true;
      if (reached < 0.0) {
        throw NonConvergenceError(
            fmt::format("no operating point found, even with all loads removed (largest "
                        "mismatch {:.3g} pu at bus '{}'); check impedances and set-points",
                        outcome.max_mismatch_pu, bus_id(model, network_, outcome.worst_node)),
            bus_id(model, network_, outcome.worst_node), iterations, outcome.max_mismatch_pu);
      }
      if (!sagged)
        throw NonConvergenceError(
            fmt::format("the case is beyond its maximum loadability: the network carries "
                        "{:.1f} % of the specified load at most, and the supply to bus '{}' "
                        "fails first; check the conductors that feed it (an open, very thin or "
                        "very long one) and the load there",
                        100.0 * reached, weakest_id),
            weakest_id, iterations, outcome.max_mismatch_pu);
      throw NonConvergenceError(
          fmt::format("the case is beyond its maximum loadability: the network carries at most "
                      "{:.1f} % of the specified load. At that point the voltage has collapsed "
                      "to {:.3f} pu at bus '{}'; reduce the load there or strengthen the supply "
                      "to it (shorter or thicker conductors, a higher voltage)",
                      100.0 * reached, weakest_v_pu, weakest_id),
          weakest_id, iterations, outcome.max_mismatch_pu);
    }
    // Finish at full load from the continuation's last point.
    options.load_scale = 1.0;
    outcome = newton_->run(state_, options);
    iterations += outcome.iterations;
  }
  stats_.iterations = iterations;
  stats_.unknowns = newton_->unknowns();
  stats_.jacobian_nonzeros = newton_->nonzeros();
  stats_.max_mismatch_pu = outcome.max_mismatch_pu;
  converged_ = outcome.converged;
}

SolveResult Solver::solve() {
  const auto start = std::chrono::steady_clock::now();
  run();
  SolveResult result = make_results(*model_, network_, state_, newton_->voltages());
  result.converged = converged_;
  result.stats = stats_;
  check_converged_result(*model_, result);
  result.stats.solve_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

bool Solver::update(const model::ModelSpec& model) {
  Network fresh = assemble(model);
  if (!same_structure(network_, fresh)) return false;
  // The equations refer to network_, which keeps its place: only its values change.
  network_ = std::move(fresh);
  newton_->refresh();
  model_ = &model;
  return true;
}

bool Solver::update_loads(const model::ModelSpec& model) {
  const model::ModelSpec& old = *model_;
  // As many elements of every kind (a kind added to the contract is counted too) ...
  bool same = model.buses.size() == old.buses.size() &&
              model.solver.base_power_va == old.solver.base_power_va;
  model::for_each_model_kind(
      [&]<typename K>() { same = same && K::elements(model).size() == K::elements(old).size(); });
  if (!same) return false;
  // ... and every load where it was.
  for (std::size_t l = 0; l < model.loads.size(); ++l)
    if (model.loads[l].bus != old.loads[l].bus ||
        model.loads[l].in_service != old.loads[l].in_service)
      return false;
  // Only the load kind writes the load arrays (kind_load.cpp): clear them and stamp it again.
  std::fill(network_.p_load_pu.begin(), network_.p_load_pu.end(), 0.0);
  std::fill(network_.q_load_pu.begin(), network_.q_load_pu.end(), 0.0);
  network_.loads.clear();
  NetworkBuilder builder(model, network_);
  builder.stamps(LoadKind::info.type).active.assign(LoadKind::count(model), false);
  LoadKind::stamp(model, builder);
  model_ = &model;
  return true;
}

void Solver::update_values(const model::ModelSpec& model, const model::ElementKindSet& changed) {
  restamp(model, network_, changed);
  newton_->refresh();
  model_ = &model;
}

void Solver::restart() {
  state_ = flat_start(network_);
  flat_ = true;
  newton_->restart();
}

SolveResult solve(const model::ModelSpec& model) {
  const auto start = std::chrono::steady_clock::now();
  Solver solver(model);
  solver.run();
  // The Newton solver (Jacobian, LU factors) is released before the results are built, so the
  // two never take memory at the same time; only its voltages are kept for them.
  const std::vector<Complex> voltages = solver.newton_->take_voltages();
  solver.newton_.reset();
  SolveResult result = make_results(model, solver.network_, solver.state_, voltages);
  result.converged = solver.converged_;
  result.stats = solver.stats_;
  check_converged_result(model, result);
  result.stats.solve_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace g2g::steady
