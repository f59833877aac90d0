// Electrical islands: groups of buses joined by lines, transformers and closed switches.
// Converters separate islands (each island has its own voltage reference).
#pragma once

#include <cstdint>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::topology {

// Buses joined by closed switches form one electrical node.
struct Nodes {
  std::vector<std::int32_t> node_of_bus;     // per ModelSpec bus
  std::vector<model::BusIndex> bus_of_node;  // a representative bus (the first) per node
  std::int32_t count = 0;
};

struct Islands {
  std::vector<std::int32_t> island_of_node;
  std::int32_t count = 0;
};

// What holds an island's voltage: a slack source or a voltage-controlled converter output.
struct Reference {
  enum class Kind : std::uint8_t { none, source, converter };
  Kind kind = Kind::none;
  std::int32_t index = -1;  // into ModelSpec::sources or ::converters
};

struct Topology {
  Nodes nodes;
  Islands islands;
  std::vector<Reference> reference_of_island;
  std::vector<bool> island_energised;  // has a reference
};

Nodes find_nodes(const model::ModelSpec& model);
// In-service lines and transformers join nodes into islands; converters do not.
Islands find_islands(const model::ModelSpec& model, const Nodes& nodes);
// Nodes, islands and each island's reference. When an island has several references the first
// is kept (check_topology reports it).
Topology analyse(const model::ModelSpec& model);

// Islands with no voltage reference (slack source or voltage-controlled converter output), or
// with more than one; each diagnostic names the island's buses and the fix.
core::DiagnosticList check_topology(const model::ModelSpec& model);

}  // namespace g2g::topology
