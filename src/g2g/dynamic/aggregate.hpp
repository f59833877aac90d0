// Aggregation by phase groups (`aggregate: phase_groups` in a scenario): template instances that
// are identical (the same template, the same element values, attached to the same buses, their
// loads driven by the same power function) are lumped into one equivalent instance, k of them
// into one whose powers, ratings and capacitances are k times and whose resistances and
// inductances are 1/k times the instance's (k parallel copies of one circuit). Identical rows are
// lumped first, then the identical racks within each row left, and so on down the template tree
// (model::Origin::instance_path). docs/algorithms/dae.md § Aggregation.
//
// For instances that are truly identical and driven alike the equivalent is exact: the copies
// carry equal currents at equal voltages, so one scaled copy has the same node voltages and the
// same total powers. What it leaves out is every difference between the copies that the
// signature does not see (none, by construction), and its outputs name the kept instance's
// elements: every output says "aggregated".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "g2g/dynamic/network_dae.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::dynamic {

struct AggregatedModel {
  model::ModelSpec model;
  LoadPowers powers;  // for the aggregated model's loads (scaled functions where lumped)
  // Per aggregated-model load: how many of the original loads it stands for.
  std::vector<std::size_t> load_multiplicity;
  std::size_t instances_before = 0;  // template instances of the original model
  std::size_t instances_after = 0;
  std::string label;  // e.g. "phase groups: 32 template instances lumped into 4"
};

// k identical copies of a storage element in parallel, as one: powers, capacity, capacitance and
// current limit times k, resistances over k; its state-of-charge window unchanged.
void scale_in_parallel(model::Storage& storage, double k);

// `powers` must index `model.loads` (function_of_load of its size, or empty). The result's
// model is as valid as `model`: whole instances are removed, the others scaled. `distinct`
// lists instances (indices into model.origins) that must stay apart from their identical
// siblings, e.g. the one a fault is in: each keeps its own elements unscaled and its ids, and so
// does each of its ancestors (a row holding it is no longer identical to the other rows), while
// the siblings that are still identical lump among themselves.
[[nodiscard]] AggregatedModel aggregate_identical_instances(
    const model::ModelSpec& model, const LoadPowers& powers,
    std::span<const std::int32_t> distinct = {});

}  // namespace g2g::dynamic
