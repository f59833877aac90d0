// Power per conductor: what one conductor size carries at each distribution voltage, per
// current-carrying conductor and per kilogram of conductor material. The basis of the "same
// conductor, about twice the power at 800 V DC" comparison, computed from the ampacity tables
// with no tuning (docs/sizing.md).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "g2g/sizing/sizing.hpp"
#include "g2g/sizing/tables.hpp"

namespace g2g::sizing {

enum class Architecture : std::uint8_t {
  ac_415v,    // 415 V three-phase AC (line to line)
  ac_480v,    // 480 V three-phase AC (line to line)
  dc_800v,    // 800 V DC, two-wire
  dc_pm400v,  // ±400 V DC: 800 V pole to pole, with an optional mid-point conductor
  dc_54v,     // 54 V DC, two-wire (rack bus)
};

struct ArchitectureSpec {
  Architecture architecture = Architecture::dc_800v;
  std::string_view label;  // "415 V AC 3-phase", "800 V DC", ...
  model::BusKind kind = model::BusKind::dc;
  double voltage_v = 0.0;  // AC line to line (RMS); DC pole to pole
};

// The five architectures, in the order above.
[[nodiscard]] std::span<const ArchitectureSpec> architectures() noexcept;

struct ConductorPowerOptions {
  double power_factor = 0.95;  // AC displacement power factor: P = sqrt(3) V I pf
  bool pm400_midpoint = true;  // ±400 V: carry a full-size mid-point conductor (3 wires)
};

struct ConductorPower {
  Architecture architecture = Architecture::dc_800v;
  std::string_view label;
  double voltage_v = 0.0;
  int loaded_conductors = 2;  // the ampacity column: 3 (three-phase AC) or 2 (DC)
  ConductorSet conductors;    // one circuit: current-carrying + neutral/mid-point + PE
  double derating_factor = 1.0;
  double ampacity_a = 0.0;  // per conductor, after derating (options.ambient_c, grouping)
  double power_w = 0.0;     // AC: sqrt(3) V I pf; DC: V I (pole to pole)
  double power_per_current_carrying_conductor_w = 0.0;
  double mass_kg_per_m = 0.0;              // all conductors of the circuit, per metre of route
  double power_per_mass_w_m_per_kg = 0.0;  // power_w / mass_kg_per_m
};

// One copper conductor of `cross_section_m2` (a size of the ampacity table for options.method
// and options.insulation), installed per `options` (ambient, grouping; one run), at each
// architecture. Neutral and PE follow options.ac_neutral, ac_pe and dc_pe. Throws
// g2g::InvalidInput when the tables have no ampacity for this size and conditions.
[[nodiscard]] ConductorPower conductor_power(const Tables& tables, Architecture architecture,
                                             double cross_section_m2, const SizingOptions& options,
                                             const ConductorPowerOptions& power_options = {});
[[nodiscard]] std::vector<ConductorPower> power_per_conductor(
    const Tables& tables, double cross_section_m2, const SizingOptions& options,
    const ConductorPowerOptions& power_options = {});

}  // namespace g2g::sizing
