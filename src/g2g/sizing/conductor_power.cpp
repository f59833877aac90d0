#include "g2g/sizing/conductor_power.hpp"

#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include <fmt/format.h>

#include "g2g/core/error.hpp"

namespace g2g::sizing {

namespace {

using std::numbers::sqrt3;

constexpr std::array<ArchitectureSpec, 5> architecture_table = {{
    {Architecture::ac_415v, "415 V AC 3-phase", model::BusKind::ac, 415.0},
    {Architecture::ac_480v, "480 V AC 3-phase", model::BusKind::ac, 480.0},
    {Architecture::dc_800v, "800 V DC", model::BusKind::dc, 800.0},
    {Architecture::dc_pm400v, "+/-400 V DC", model::BusKind::dc, 800.0},
    {Architecture::dc_54v, "54 V DC", model::BusKind::dc, 54.0},
}};

}  // namespace

std::span<const ArchitectureSpec> architectures() noexcept {
  return architecture_table;
}

ConductorPower conductor_power(const Tables& tables, Architecture architecture,
                               double cross_section_m2, const SizingOptions& options,
                               const ConductorPowerOptions& power_options) {
  const ArchitectureSpec& spec = architecture_table.at(static_cast<std::size_t>(architecture));
  const bool ac = spec.kind == model::BusKind::ac;
  // Three-phase AC: 3 loaded conductors (balanced, the neutral carries no current). DC, and
  // ±400 V with a balanced mid-point: 2 loaded conductors.
  const int loaded = ac ? 3 : 2;
  const AmpacityColumn* column =
      tables.cable_column(model::Material::copper, options.method, options.insulation, loaded);
  const AmpacityEntry* entry = nullptr;
  if (column) {
    for (const auto& e : column->entries) {
      if (std::abs(e.cross_section_m2 - cross_section_m2) <= 1e-9 * cross_section_m2) entry = &e;
    }
  }
  if (!entry) {
    throw InvalidInput(
        "conductor",
        fmt::format("no ampacity for {:g} mm2 copper, method {}, {}, {} loaded "
                    "conductors",
                    cross_section_m2 * 1e6, name(options.method), name(options.insulation), loaded),
        "choose a standard cross-section of data/cable_ampacity_copper.csv");
  }
  const auto ambient = tables.ambient_factor(options.insulation, options.ambient_c);
  const auto grouping = tables.grouping_factor(arrangement_for(options), options.grouped_circuits);
  if (!ambient || !grouping)
    throw InvalidInput("ambient", "ambient or grouping outside the correction tables");

  ConductorPower out;
  out.architecture = architecture;
  out.label = spec.label;
  out.voltage_v = spec.voltage_v;
  out.loaded_conductors = loaded;
  out.derating_factor = *ambient * *grouping;
  out.ampacity_a = entry->ampacity_a * out.derating_factor;
  out.conductors = circuit_conductors(model::LineType::cable, spec.kind, true, cross_section_m2, 1,
                                      1, tables, options);
  if (architecture == Architecture::dc_pm400v && power_options.pm400_midpoint) {
    out.conductors.neutral = 1;
    out.conductors.neutral_cross_section_m2 = cross_section_m2;
  }
  out.power_w = ac ? sqrt3 * spec.voltage_v * out.ampacity_a * power_options.power_factor
                   : spec.voltage_v * out.ampacity_a;
  out.power_per_current_carrying_conductor_w = out.power_w / out.conductors.current_carrying;
  out.mass_kg_per_m =
      conductor_mass_kg(out.conductors, 1.0, tables.density_kg_m3(model::Material::copper));
  out.power_per_mass_w_m_per_kg = out.power_w / out.mass_kg_per_m;
  return out;
}

std::vector<ConductorPower> power_per_conductor(const Tables& tables, double cross_section_m2,
                                                const SizingOptions& options,
                                                const ConductorPowerOptions& power_options) {
  std::vector<ConductorPower> out;
  out.reserve(architecture_table.size());
  for (const auto& spec : architecture_table)
    out.push_back(
        conductor_power(tables, spec.architecture, cross_section_m2, options, power_options));
  return out;
}

}  // namespace g2g::sizing
