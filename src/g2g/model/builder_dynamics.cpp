// The builder's readers of the time-domain keys (docs/dynamic.md, "Model keys for
// simulation"). The steady state reads none of them; each is checked here for its sign and for
// making sense beside the element's other keys, and model::simulation_requirements says which
// ones a simulation still needs.
#include <fmt/format.h>

#include <array>

#include "g2g/model/builder_impl.hpp"

namespace g2g::model::detail {
namespace {

// An error at `key` when it is given although `needed` is not: "{what}: x_r_ratio is used only
// with short_circuit_power".
void needs_key(Builder& b, const Fields& f, std::string_view key, std::string_view needed,
               std::string_view fix) {
  if (f.has(key) && !f.has(needed))
    b.error_at(f.find(key), fmt::format("{}: {} is used only with {}", f.what(), key, needed),
               std::string(fix));
}

}  // namespace

void read_source_dynamics(Builder& b, Fields& f, Source& s) {
  if (!f.knows("short_circuit_power")) return;  // a generator or a DC source
  needs_key(b, f, "x_r_ratio", "short_circuit_power",
            "add 'short_circuit_power: 250 MVA' (from the utility), or remove x_r_ratio");
  needs_key(b, f, "frequency_droop", "inertia",
            "add 'inertia: 5 s' for a frequency model, or remove frequency_droop");
  if (auto v = b.quantity(f, "short_circuit_power", Check::positive)) s.short_circuit_power_va = *v;
  if (auto v = b.quantity(f, "x_r_ratio", Check::positive)) s.x_r_ratio = *v;
  if (auto v = b.quantity(f, "inertia", Check::positive)) s.inertia_s = *v;
  if (auto v = b.quantity(f, "frequency_droop", Check::positive)) s.frequency_droop_pu = *v;
}

void read_converter_dynamics(Builder& b, Fields& f, Converter& c) {
  ConverterDynamics& d = c.dynamics;
  if (c.control == ConverterControl::power)
    for (const std::string_view key : {"voltage_bandwidth", "damping", "current_limit", "droop"})
      if (f.has(key))
        b.error_at(f.find(key),
                   fmt::format("{}: {} belongs to the voltage loop of control: voltage, but this "
                               "converter has control: power",
                               f.what(), key),
                   fmt::format("remove {}; a power-controlled converter follows its set-point, "
                               "limited by ramp_rate",
                               key));
  needs_key(b, f, "output_esr", "output_capacitance",
            "add 'output_capacitance: 4.7 mF', the capacitor the ESR belongs to");
  needs_key(b, f, "input_esr", "input_capacitance",
            "add 'input_capacitance: 1 mF', the capacitor the ESR belongs to");
  needs_key(b, f, "undervoltage_on", "undervoltage_off",
            "add 'undervoltage_off: ...', the input voltage it turns off below");
  needs_key(b, f, "restart_delay", "undervoltage_off",
            "add 'undervoltage_off: ...', the input voltage it turns off below");
  if (auto v = b.quantity(f, "output_capacitance", Check::positive)) d.output_capacitance_f = *v;
  if (auto v = b.quantity(f, "output_esr", Check::non_negative)) d.output_esr_ohm = *v;
  if (auto v = b.quantity(f, "input_capacitance", Check::positive)) d.input_capacitance_f = *v;
  if (auto v = b.quantity(f, "input_esr", Check::non_negative)) d.input_esr_ohm = *v;
  if (auto v = b.quantity(f, "voltage_bandwidth", Check::positive)) d.voltage_bandwidth_hz = *v;
  if (auto v = b.quantity(f, "damping", Check::positive)) d.damping = *v;
  if (auto v = b.rated(f, "current_limit")) d.current_limit = *v;
  if (auto v = b.quantity(f, "ramp_rate", Check::positive)) d.ramp_rate_w_per_s = *v;
  if (auto v = b.quantity(f, "droop", Check::unit_interval)) d.droop_pu = *v;
  const auto off = b.quantity(f, "undervoltage_off", Check::positive);
  const auto on = b.quantity(f, "undervoltage_on", Check::positive);
  if (off) d.undervoltage_off_v = *off;
  if (on) d.undervoltage_on_v = *on;
  if (off && on && !(*on > *off))
    b.error_at(f.find("undervoltage_on"),
               fmt::format("{}: undervoltage_on {} V is not above undervoltage_off {} V", f.what(),
                           *on, *off),
               "restart above the turn-off voltage (hysteresis), e.g. off at 40 V, on at 44 V");
  if (auto v = b.quantity(f, "restart_delay", Check::non_negative)) d.restart_delay_s = *v;
}

void read_storage_dynamics(Builder& b, Fields& f, Storage& s) {
  constexpr std::array battery_keys{"ocv", "internal_resistance", "rc_pair", "capacity"};
  constexpr std::array supercapacitor_keys{"capacitance", "esr"};
  const auto technology = b.choice(f, "technology");
  if (technology)
    s.technology =
        *technology == 0 ? StorageTechnology::battery : StorageTechnology::supercapacitor;
  // A misspelt technology is reported already; its keys are not reported again.
  const bool unreadable = f.has("technology") && !technology;
  auto only_with = [&](auto keys, StorageTechnology wanted) {
    for (const std::string_view key : keys) {
      if (!f.has(key) || s.technology == wanted || unreadable) continue;
      b.error_at(f.find(key),
                 s.technology == StorageTechnology::unset
                     ? fmt::format("{}: {} is used only with technology: {}, which is not given",
                                   f.what(), key, name(wanted))
                     : fmt::format("{}: {} is used only with technology: {}, but this storage "
                                   "is a {}",
                                   f.what(), key, name(wanted), name(s.technology)),
                 fmt::format("add 'technology: {}', or remove {}", name(wanted), key));
    }
  };
  only_with(battery_keys, StorageTechnology::battery);
  only_with(supercapacitor_keys, StorageTechnology::supercapacitor);
  if (auto v = b.ocv(f, "ocv")) s.ocv = std::move(*v);
  if (auto v = b.quantity(f, "internal_resistance", Check::positive))
    s.internal_resistance_ohm = *v;
  if (auto v = b.rc_pair(f, "rc_pair")) s.rc_pair = *v;
  if (auto v = b.quantity(f, "capacity", Check::positive)) s.capacity_c = *v;
  if (auto v = b.quantity(f, "capacitance", Check::positive)) s.capacitance_f = *v;
  if (auto v = b.quantity(f, "esr", Check::positive)) s.esr_ohm = *v;
  const auto soc_min = b.quantity(f, "soc_min", Check::unit_interval);
  const auto soc_max = b.quantity(f, "soc_max", Check::unit_interval);
  const auto soc_initial = b.quantity(f, "soc_initial", Check::unit_interval);
  if (soc_min) s.soc_min = *soc_min;
  if (soc_max) s.soc_max = *soc_max;
  if ((soc_min || soc_max) && !(s.soc_min < s.soc_max))
    b.error_at(f.find(soc_max ? "soc_max" : "soc_min"),
               fmt::format("{}: soc_max {:g} % is not above soc_min {:g} %", f.what(),
                           s.soc_max * 100.0, s.soc_min * 100.0),
               "give the usable window, e.g. soc_min: 10 %, soc_max: 90 %");
  if (soc_initial) {
    s.soc_initial = *soc_initial;
    if (*soc_initial < s.soc_min || *soc_initial > s.soc_max)
      b.error_at(f.find("soc_initial"),
                 fmt::format("{}: soc_initial {:g} % is outside the window {:g} % to {:g} %",
                             f.what(), *soc_initial * 100.0, s.soc_min * 100.0, s.soc_max * 100.0),
                 "start within soc_min and soc_max");
  }
  if (auto v = b.quantity(f, "max_power", Check::positive)) s.max_power_w = *v;
  if (auto v = b.quantity(f, "max_current", Check::positive)) s.max_current_a = *v;
  if (auto v = b.quantity(f, "bus_current_limit", Check::positive)) s.bus_current_limit_a = *v;
}

}  // namespace g2g::model::detail
