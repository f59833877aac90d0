// What the element kinds' `output` and `close_balance` (element_kind.hpp) share while results
// are made: the solved state per bus, the nodes whose balance a source or converter closes, the
// injections known so far, and the loss tallies. Internal to the steady module.
#pragma once

#include <complex>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "g2g/model/spec.hpp"
#include "g2g/steady/equations.hpp"
#include "g2g/steady/network.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::steady {

// A voltage level: the system and nominal voltage shared by every bus of a node. Loss stages
// of lines and transformers are named after it.
struct Level {
  model::BusKind kind;
  double nominal_voltage_v;
};

// What the element loops need of a bus's node, packed in 32 bytes so that each element end costs
// one cache line. Kept per bus, in model order, not per node: elements tend to come in the order
// of their buses (a load after its bus, a line after its far end), while nodes are numbered
// breadth-first, so at 1e6 buses this turns most of the elements' lookups from misses into a
// stream.
struct BusAt {
  Complex voltage_pu;         // rectangular
  double v_pu = 0.0;          // magnitude, exactly as solved
  std::int32_t balance = -1;  // slot of a node whose balance a source or converter closes
  std::int32_t level = -1;    // index into OutputContext::levels; -1 when not energised
};

struct OutputContext {
  OutputContext(const model::ModelSpec& model_, const Network& network_, const State& state_,
                SolveResult& result_)
      : model(model_),
        network(network_),
        state(state_),
        result(result_),
        s_base(network_.base_power_va) {}

  const model::ModelSpec& model;
  const Network& network;
  const State& state;
  SolveResult& result;
  double s_base = 1.0;
  std::vector<Level> levels;
  std::vector<BusAt> buses;
  // Per node: its balance slot, or -1. Per balance slot: the node, what elements with a set
  // power inject there (pu), and, once every flow is known, the network injection V conj(Y V).
  std::vector<std::int32_t> balance_of_node;
  std::vector<std::int32_t> balance_node;
  std::vector<Complex> known_injection;
  std::vector<Complex> network_injection;
  std::vector<Complex> bus_injection;  // per bus: all element injections, pu (for switches)
  // Losses by element type ("line") and by stage ("converter:psu", "dc 800 V busbar").
  std::map<std::string, double> loss_by_type;
  std::map<std::string, double> loss_by_stage;

  [[nodiscard]] const BusAt& bus_at(model::BusIndex bus) const {
    return buses[static_cast<std::size_t>(bus)];
  }
  // Marks the node of `bus` as one whose balance an element closes (mark_balance).
  void needs_balance(model::BusIndex bus);
  // Magnitude of the terminal current in A for a complex power (pu) at a bus.
  [[nodiscard]] double terminal_current_a(const BusAt& at, Complex s_pu) const;
  // Records an element's injection: per bus when switch flows are wanted, and, when the
  // element's power is set (`known`), at a node whose balance a source or converter closes.
  void inject(model::BusIndex bus, const BusAt& at, Complex s_pu, bool known) {
    if (!bus_injection.empty()) bus_injection[static_cast<std::size_t>(bus)] += s_pu;
    if (known && at.balance >= 0) known_injection[static_cast<std::size_t>(at.balance)] += s_pu;
  }
};

// Flows of a two-port branch (line, transformer) from the voltages at its ends, written into `r`
// and injected at both buses. Returns the level of the from bus.
std::int32_t branch_flows(OutputContext& ctx, ElementResult& r, model::BusIndex from,
                          model::BusIndex to, const components::BranchAdmittance& y);

inline double loading_pct(double value, double rating) {
  return rating > 0.0 ? 100.0 * value / rating : 0.0;
}

// Whether a converter's output power is solved (it sets its island's voltage).
inline bool converter_solved(const Network& network, std::size_t converter) {
  return network.nodes[static_cast<std::size_t>(network.converters[converter].output_node)]
             .converter == static_cast<std::int32_t>(converter);
}

}  // namespace g2g::steady
