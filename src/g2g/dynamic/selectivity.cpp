#include "g2g/dynamic/selectivity.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <algorithm>
#include <cmath>
#include <optional>

#include "g2g/model/protection_parts.hpp"

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

// A fuse from a part file against its catalogue's DC breaking capacity: a simulated peak above
// it is a current the fuse is not proven to interrupt. An aggregated group of k fuses carries k
// times one fuse's current and rating (dynamic/aggregate.cpp), so one fuse's peak is peak / k.
void check_breaking_capacity(const model::Trip& trip, const ProtectionSummary& s,
                             std::vector<std::string>& warnings) {
  if (trip.kind != model::TripKind::fuse || trip.part.empty()) return;
  const model::ProtectionPart* part = model::find_protection_part(trip.part);
  if (part == nullptr || !(part->rated_current_a > 0.0)) return;
  const double k = trip.rated_current_a / part->rated_current_a;
  const double peak_a = s.peak_a / k;
  if (part->breaking_capacity_dc_a) {
    if (peak_a > *part->breaking_capacity_dc_a)
      warnings.push_back(fmt::format(
          "fuse '{}' (part {}): simulated peak current {:.4g} A is above its DC breaking "
          "capacity {:g} A ({}:{}): it is not proven to interrupt it; choose a part with a "
          "larger DC breaking capacity or limit the fault current",
          s.element, part->part, peak_a, *part->breaking_capacity_dc_a, part->file, part->line));
  } else if (s.open_s) {
    warnings.push_back(fmt::format(
        "fuse '{}' (part {}) melted at a peak of {:.4g} A, but its catalogue row gives no DC "
        "breaking capacity ({}:{}): whether it interrupts that current is not checked",
        s.element, part->part, peak_a, part->file, part->line));
  }
}

}  // namespace

void summarise_protection(const model::ModelSpec& model, const NetworkDae& dae,
                          std::span<const double> y, SimulationSummary& summary) {
  for (const auto& row : converter_limit_rows(model)) {
    ConverterLimitSummary s;
    s.device = model.lines[row.line].id;
    s.trip_threshold_a = row.trip_threshold_a;
    for (const auto c : row.converters) {
      s.converters.push_back(model.converters[c].id);
      s.converter_limits_a.push_back(
          model::current_limit_a(model, model.converters[c]).value_or(0.0));
    }
    s.limit_a = row.limit_a;
    s.unlimited = row.unlimited;
    s.never_tripped = row.never_tripped;
    summary.converter_limits.push_back(std::move(s));
  }
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
    s.reopen_s = when(r.reopen_t_s);
    s.peak_a = r.peak_a;
    s.peak_t_s = r.peak_t_s;
    s.peak_over_pickup = r.peak_over_pickup;
    s.integral_over_limit = r.integral_over_limit;
    s.clamp_energy_j = r.clamp_energy_j;
    s.let_through_a2s = r.let_through_a2s;
    if (trip.kind == model::TripKind::fuse) s.clearing_i2t_a2s = trip.clearing_i2t_a2s;
    check_breaking_capacity(trip, s, summary.warnings);
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

std::vector<ConverterLimitRow> converter_limit_rows(const model::ModelSpec& model) {
  const std::size_t bus_count = model.buses.size();
  const auto dc = [&](model::BusIndex b) {
    return b >= 0 && static_cast<std::size_t>(b) < bus_count &&
           model.buses[static_cast<std::size_t>(b)].kind == model::BusKind::dc;
  };
  // DC lines at each bus.
  std::vector<std::vector<std::size_t>> lines_at(bus_count);
  for (std::size_t l = 0; l < model.lines.size(); ++l) {
    const auto& line = model.lines[l];
    if (!line.in_service || !dc(line.from) || !dc(line.to)) continue;
    lines_at[static_cast<std::size_t>(line.from)].push_back(l);
    lines_at[static_cast<std::size_t>(line.to)].push_back(l);
  }
  std::vector<ConverterLimitRow> rows;
  std::vector<char> seen(bus_count, 0);
  std::vector<model::BusIndex> queue;
  for (std::size_t l = 0; l < model.lines.size(); ++l) {
    const auto& line = model.lines[l];
    const model::Trip* trip = model::trip_of(model, line);
    if (trip == nullptr || !line.in_service || !dc(line.from) || !dc(line.to)) continue;
    ConverterLimitRow row;
    row.line = l;
    switch (trip->kind) {
      case model::TripKind::solid_state:
      case model::TripKind::hybrid:
        row.trip_threshold_a = trip->pickup_a;
        break;
      case model::TripKind::fuse:
        row.trip_threshold_a = trip->rated_current_a;
        break;
      case model::TripKind::thermal_magnetic: {
        const double thermal_a = trip->thermal_pickup * trip->rated_current_a;
        row.trip_threshold_a =
            trip->pickup_a > 0.0 ? std::min(trip->pickup_a, thermal_a) : thermal_a;
        break;
      }
    }
    // The buses on its `from` side.
    std::fill(seen.begin(), seen.end(), 0);
    queue.assign(1, line.from);
    seen[static_cast<std::size_t>(line.from)] = 1;
    for (std::size_t q = 0; q < queue.size(); ++q)
      for (const auto k : lines_at[static_cast<std::size_t>(queue[q])]) {
        if (k == l) continue;
        for (const auto b : {model.lines[k].from, model.lines[k].to})
          if (!seen[static_cast<std::size_t>(b)]) {
            seen[static_cast<std::size_t>(b)] = 1;
            queue.push_back(b);
          }
      }
    const auto on_side = [&](model::BusIndex b) {
      return dc(b) && seen[static_cast<std::size_t>(b)] != 0;
    };
    std::vector<std::string> unlimited;
    for (std::size_t c = 0; c < model.converters.size(); ++c) {
      const auto& conv = model.converters[c];
      if (!conv.in_service || !on_side(conv.output)) continue;
      const auto limit_a = conv.control == model::ConverterControl::voltage
                               ? model::current_limit_a(model, conv)
                               : std::nullopt;
      if (!limit_a) {
        unlimited.push_back(fmt::format("converter {}", conv.id));
        continue;
      }
      row.converters.push_back(c);
      row.limit_a += *limit_a;
    }
    for (const auto& source : model.sources)
      if (source.in_service && on_side(source.bus))
        unlimited.push_back(fmt::format("source {}", source.id));
    for (const auto& storage : model.storage)
      if (storage.in_service && on_side(storage.bus))
        unlimited.push_back(fmt::format("storage {}", storage.id));
    row.unlimited = fmt::format("{}", fmt::join(unlimited, ", "));
    row.never_tripped =
        unlimited.empty() && !row.converters.empty() && row.limit_a < row.trip_threshold_a;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace g2g::dynamic
