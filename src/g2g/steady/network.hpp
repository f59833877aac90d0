// The math model of the power flow: nodes with per-unit bases, a sparse nodal admittance matrix
// over all AC and DC nodes, fixed injections and loads, and the converters that couple islands.
// Built once from a ModelSpec by the element kinds' stamps (steady/kinds.hpp); the network
// equations work on this alone.
#pragma once

#include <array>
#include <complex>
#include <cstdint>
#include <vector>

#include "g2g/components/branch.hpp"
#include "g2g/components/converter_loss.hpp"
#include "g2g/components/load.hpp"
#include "g2g/model/spec.hpp"
#include "g2g/steady/results.hpp"
#include "g2g/topology/islands.hpp"

namespace g2g::steady {

using Complex = std::complex<double>;

enum class NodeRole : std::uint8_t {
  slack,            // V (and angle) fixed by a source; no equations
  converter_slack,  // V (and angle) fixed by a converter; its P equation solves the converter power
  pv,               // AC: P and |V| fixed by generators; unknown angle
  pq,               // AC: unknown angle and |V|
  dc,               // DC: unknown V
  dead,             // not energised: excluded
};

struct Node {
  model::BusKind kind = model::BusKind::dc;
  NodeRole role = NodeRole::pq;
  double base_voltage_v = 1.0;
  double v_set_pu = 1.0;  // slack / pv / converter_slack set-point
  double angle_set_rad = 0.0;
  model::BusIndex bus = model::no_bus;  // representative bus
  std::int32_t converter = -1;          // converter_slack: the converter whose power is solved here
};

// A load lumped per node: nominal power (pu) with ZIP behaviour.
struct NodeLoad {
  std::int32_t node = 0;
  double p_pu = 0.0;
  double q_pu = 0.0;
  components::ZipFractions zip;
};

struct ConverterLink {
  std::int32_t input_node = 0;
  std::int32_t output_node = 0;
  bool voltage_control = true;
  double p_set_pu = 0.0;     // power control: output power
  double q_out_per_p = 0.0;  // power control with AC output: q_out = p_out * this
  double q_in_per_p = 0.0;   // AC input: q_in = p_in * tan(acos(pf))
  components::EfficiencyCurveLoss loss;
};

// Nodal admittance matrix in compressed sparse row form; every row holds its diagonal.
struct AdmittanceMatrix {
  std::vector<std::int32_t> row_start;  // size nodes + 1
  std::vector<std::int32_t> column;
  std::vector<Complex> value;
  std::vector<std::int32_t> diagonal;  // index of (i, i) in column/value
};

// What the stamps of one element kind left in the network, per element of that kind: whether
// it takes part (in service, energised, not shorted by switches) and, for branch kinds, its
// two-port admittance (kept for the branch flows in the results).
struct KindStamps {
  std::vector<bool> active;
  std::vector<components::BranchAdmittance> admittance;
};

inline constexpr std::size_t element_type_count = model::model_kind_count;  // ElementType values

struct Network {
  double base_power_va = 1e6;
  std::vector<Node> nodes;
  AdmittanceMatrix y;
  std::vector<double> p_fixed_pu;  // per node: generation and storage injections
  std::vector<double> q_fixed_pu;
  std::vector<double> p_load_pu;  // per node: constant-power loads (drawn, positive)
  std::vector<double> q_load_pu;
  std::vector<NodeLoad> loads;            // voltage-dependent loads, in node order
  std::vector<ConverterLink> converters;  // one per ModelSpec converter (inactive: unused)
  std::array<KindStamps, element_type_count> stamps;  // by ElementType
  topology::Topology topology;

  [[nodiscard]] const KindStamps& stamps_of(ElementType type) const {
    return stamps[static_cast<std::size_t>(type)];
  }
  [[nodiscard]] bool active(ElementType type, std::size_t element) const {
    return stamps_of(type).active[element];
  }
};

// The stamping side of the element contract (element_kind.hpp): what a kind's `stamp` may do to
// the network under construction.
class NetworkBuilder {
 public:
  NetworkBuilder(const model::ModelSpec& model, Network& network);

  [[nodiscard]] Network& network() noexcept { return network_; }
  [[nodiscard]] double base_power_va() const noexcept { return network_.base_power_va; }
  [[nodiscard]] std::int32_t node_of(model::BusIndex bus) const {
    return network_.topology.nodes.node_of_bus[static_cast<std::size_t>(bus)];
  }
  // Whether a node is energised (a compact byte array: the element loops reach nodes in no
  // particular order).
  [[nodiscard]] bool alive(std::int32_t node) const {
    return node_alive_[static_cast<std::size_t>(node)] != 0;
  }
  [[nodiscard]] KindStamps& stamps(ElementType type) {
    return network_.stamps[static_cast<std::size_t>(type)];
  }
  // A two-port between two nodes of the admittance matrix. `admittance` is read when the matrix
  // is built, after every kind has stamped: it must not move until then (a kind sizes its
  // KindStamps::admittance once, before adding its branches).
  void add_branch(std::int32_t from, std::int32_t to,
                  const components::BranchAdmittance* admittance);
  // An admittance from a node to ground (a shunt bank), per unit.
  void add_shunt(std::int32_t node, Complex admittance_pu) {
    shunts_.push_back({node, admittance_pu});
  }
  // Builds the admittance matrix from the branches added.
  void finish();

 private:
  struct BranchEnds {
    std::int32_t from;
    std::int32_t to;
  };
  Network& network_;
  std::vector<std::uint8_t> node_alive_;
  std::size_t branch_capacity_ = 0;  // lines and transformers: at most this many branches
  std::vector<BranchEnds> ends_;
  std::vector<const components::BranchAdmittance*> branch_values_;
  struct Shunt {
    std::int32_t node;
    Complex admittance_pu;
  };
  std::vector<Shunt> shunts_;
};

// Builds the network: node roles from the topology, then every element kind's stamp
// (steady/kinds.hpp), then the admittance matrix.
Network assemble(const model::ModelSpec& model);

// Stamps `model` again into `network`, assembled from a model of the same shape that differs only
// in values (model::ModelSource::patch_values: the same elements on the same buses, in service
// alike, the same controls): the reference nodes' set-points, the injections, the loads, the
// converters and the admittance matrix's values, without the topology analysis. Kinds with
// KindInfo::own_stamps none of whose elements is in `changed` keep their stamps. Throws
// std::logic_error when the shape turns out to differ (which elements take part, the
// admittance matrix's pattern): the caller broke the precondition.
void restamp(const model::ModelSpec& model, Network& network, const model::ElementKindSet& changed);

// Starts loading `address` into the cache: for loops that gather from arrays larger than the cache
// at indices known a few iterations ahead (the element loops at 1e6 buses), where the processor
// alone would wait on each miss in turn.
inline void prefetch(const void* address) {
  __builtin_prefetch(address);
}

// How many iterations ahead those loops prefetch: enough to cover a memory access, few enough
// that the lines are still in cache when used.
inline constexpr std::size_t prefetch_distance = 16;

// Node of a bus.
inline std::int32_t node_of(const Network& network, model::BusIndex bus) {
  return network.topology.nodes.node_of_bus[static_cast<std::size_t>(bus)];
}

}  // namespace g2g::steady
