#include "g2g/dynamic/selectivity.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

namespace g2g::dynamic {

namespace {

std::string kind_text(model::TripKind kind) {
  switch (kind) {
    case model::TripKind::solid_state:
      return "solid_state";
    case model::TripKind::hybrid:
      return "hybrid";
    case model::TripKind::fuse:
      return "fuse";
    case model::TripKind::thermal_magnetic:
      return "thermal_magnetic";
  }
  return "";
}

std::optional<double> when(double t_s) {
  return t_s >= 0.0 ? std::optional<double>(t_s) : std::nullopt;
}

}  // namespace

void summarise_protection(const model::ModelSpec& model, const NetworkDae& dae,
                          std::span<const double> y, SimulationSummary& summary) {
  const auto records = dae.protection_records(y);
  for (const auto& r : records) {
    const auto& line = model.lines[r.line];
    ProtectionSummary s;
    s.element = line.id;
    const model::Trip& trip = *model::trip_of(model, line);
    s.kind = kind_text(trip.kind);
    s.cause = r.cause;
    s.pickup_s = when(r.pickup_t_s);
    s.open_s = when(r.open_t_s);
    s.cleared_s = when(r.cleared_t_s);
    s.reclose_s = when(r.reclose_t_s);
    s.peak_a = r.peak_a;
    s.peak_t_s = r.peak_t_s;
    s.peak_over_pickup = r.peak_over_pickup;
    s.integral_over_limit = r.integral_over_limit;
    s.clamp_energy_j = r.clamp_energy_j;
    s.let_through_a2s = r.let_through_a2s;
    if (trip.kind == model::TripKind::fuse) s.clearing_i2t_a2s = trip.clearing_i2t_a2s;
    summary.protection.push_back(std::move(s));
  }
  // Converters that protected themselves (undervoltage turn-off) during the run.
  std::vector<std::string> converters_off;
  for (const auto& change : dae.mode_changes())
    if (!change.load && change.undervoltage && !change.on) {
      const auto& id = model.converters[change.element].id;
      if (std::find(converters_off.begin(), converters_off.end(), id) == converters_off.end())
        converters_off.push_back(id);
    }
  // One row per interruption: the devices that opened, earliest pickup first; a device that
  // opened while an earlier one had not cleared yet belongs to that one's row.
  std::vector<const ProtectionSummary*> opened;
  for (const auto& s : summary.protection)
    if (s.open_s) opened.push_back(&s);
  std::sort(opened.begin(), opened.end(),
            [](const auto* a, const auto* b) { return *a->pickup_s < *b->pickup_s; });
  std::vector<bool> used(opened.size(), false);
  for (std::size_t k = 0; k < opened.size(); ++k) {
    if (used[k]) continue;
    used[k] = true;
    // Its window: until the first of the group's devices cleared (or the run's end).
    double end_s = opened[k]->cleared_s.value_or(summary.t_end_s);
    std::vector<const ProtectionSummary*> group{opened[k]};
    for (std::size_t j = k + 1; j < opened.size(); ++j)
      if (!used[j] && *opened[j]->pickup_s <= end_s) {
        used[j] = true;
        group.push_back(opened[j]);
      }
    // The one that cleared: the first whose current fell to its knee.
    const auto* cleared = group.front();
    for (const auto* g : group)
      if (g->cleared_s && (!cleared->cleared_s || *g->cleared_s < *cleared->cleared_s)) cleared = g;
    SelectivityRow row;
    row.cleared_by = cleared->element;
    row.pickup_s = *cleared->pickup_s;
    row.clearing_time_s = cleared->cleared_s ? *cleared->cleared_s - *cleared->pickup_s
                                             : summary.t_end_s - *cleared->pickup_s;
    row.clamp_energy_j = cleared->clamp_energy_j;
    for (const auto* g : group)
      if (g != cleared) row.also_tripped.push_back(g->element);
    for (const auto& s : summary.protection) {
      if (s.open_s) continue;
      const double ratio = std::max(s.peak_over_pickup, s.integral_over_limit);
      if (ratio >= selectivity_near_trip)
        row.near_trip.push_back(fmt::format(
            "{} ({:.0f} % of {})", s.element, 100.0 * ratio,
            s.peak_over_pickup >= s.integral_over_limit ? "pickup" : "its I2t or thermal limit"));
    }
    row.converters_off = converters_off;
    row.selective = row.also_tripped.empty();
    summary.selectivity.push_back(std::move(row));
  }
}

}  // namespace g2g::dynamic
