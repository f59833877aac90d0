#include "g2g/io/converter_tables.hpp"

#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "g2g/core/units.hpp"

namespace g2g::io {

namespace {

std::string watts(double w) {
  return w == 0.0 ? std::string("0 W") : core::format_quantity(w, core::Dimension::active_power, 4);
}

}  // namespace

std::string format_converter_point(const converters::ConverterResult& r) {
  std::string out = fmt::format(
      "Operating point: V_in {}, V_out {}, P_out {}\n  P_in {}, efficiency {:.3f} %, loss {}\n",
      core::format_quantity(r.point.v_in_v, core::Dimension::voltage),
      core::format_quantity(r.point.v_out_v, core::Dimension::voltage), watts(r.point.p_out_w),
      watts(r.p_in_w), 100.0 * r.efficiency, watts(r.loss.total_w()));
  out += "\nLoss breakdown\n";
  const std::pair<const char*, double> parts[] = {{"conduction", r.loss.conduction_w},
                                                  {"switching", r.loss.switching_w},
                                                  {"dead time", r.loss.dead_time_w},
                                                  {"gate", r.loss.gate_w},
                                                  {"core", r.loss.core_w},
                                                  {"winding", r.loss.winding_w},
                                                  {"capacitor", r.loss.capacitor_w},
                                                  {"other", r.loss.other_w}};
  const double total = r.loss.total_w();
  for (const auto& [name, w] : parts)
    out += fmt::format("  {:<11} {:>10}  {:5.1f} %\n", name, watts(w),
                       total > 0.0 ? 100.0 * w / total : 0.0);
  out += "\nSwitch positions (loss per device)\n";
  out += fmt::format("  {:<26} {:<14} {:>3} {:>10} {:>10} {:>10} {:>8}  {}\n", "position", "device",
                     "n", "cond.", "switch.", "total", "T_j", "ZVS");
  for (const auto& s : r.switches)
    out += fmt::format("  {:<26} {:<14} {:>3} {:>10} {:>10} {:>10} {:>6.1f} C  {}{}\n", s.position,
                       s.device, s.count, watts(s.loss.conduction_w), watts(s.loss.switching_w()),
                       watts(s.loss.total_w()), s.thermal.t_j_c, s.zvs ? "yes" : "no",
                       s.thermal.over_limit ? "  ABOVE T_j max" : "");
  if (std::isfinite(r.t_sink_c))
    out += fmt::format("Devices' ambient (shared heatsink, or the air): {:.1f} C\n", r.t_sink_c);
  for (const auto& w : r.warnings) out += fmt::format("warning: {}\n", w);
  return out;
}

std::string format_efficiency_map(const converters::EfficiencyMap& map) {
  std::string out = "\nEfficiency map (%), rows: V_in, columns: load (% of rating)\n  V_in \\ load";
  for (const double f : map.load_fractions) out += fmt::format(" {:>6.0f}", 100.0 * f);
  out += '\n';
  const std::size_t loads = map.load_fractions.size();
  for (std::size_t r = 0; r < map.v_in_v.size(); ++r) {
    out += fmt::format("  {:>9}  ", core::format_quantity(map.v_in_v[r], core::Dimension::voltage));
    for (std::size_t c = 0; c < loads; ++c) {
      const double e = map.points[r * loads + c].efficiency;
      out += std::isfinite(e) ? fmt::format(" {:6.2f}", 100.0 * e) : std::string("      -");
    }
    out += '\n';
  }
  return out;
}

std::string efficiency_map_csv(const converters::EfficiencyMap& map) {
  std::string out =
      "v_in_v,load_fraction,p_out_w,p_in_w,efficiency,conduction_w,switching_w,dead_time_w,"
      "gate_w,core_w,winding_w,capacitor_w,other_w,curve_w,zvs_all,thermal_ok\n";
  const std::size_t loads = map.load_fractions.size();
  for (std::size_t i = 0; i < map.points.size(); ++i) {
    const auto& p = map.points[i];
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", p.point.v_in_v,
                       loads > 0 ? map.load_fractions[i % loads] : 0.0, p.point.p_out_w, p.p_in_w,
                       p.efficiency, p.loss.conduction_w, p.loss.switching_w, p.loss.dead_time_w,
                       p.loss.gate_w, p.loss.core_w, p.loss.winding_w, p.loss.capacitor_w,
                       p.loss.other_w, p.loss.curve_w, p.zvs_all ? 1 : 0, p.thermal_ok ? 1 : 0);
  }
  return out;
}

std::string format_converter_stages(const converters::AssemblyResult& r) {
  std::string out = fmt::format(
      "Operating point: V_in {}, V_out {}, P_out {}\n  P_in {}, efficiency {:.3f} %, loss {}\n",
      core::format_quantity(r.total.point.v_in_v, core::Dimension::voltage),
      core::format_quantity(r.total.point.v_out_v, core::Dimension::voltage),
      watts(r.total.point.p_out_w), watts(r.total.p_in_w), 100.0 * r.total.efficiency,
      watts(r.total.loss.total_w()));
  out += "\nStages (input first; losses of all the stage's modules)\n";
  out += fmt::format("  {:<44} {:>5} {:>10} {:>10} {:>10} {:>9} {:>10}\n", "stage", "units", "V_in",
                     "V_out", "P_out", "eff.", "loss");
  for (const auto& s : r.stages) {
    const std::string label = std::string(2 * static_cast<std::size_t>(s.depth), ' ') + s.label +
                              (s.kind == converters::Assembly::Kind::curve ? " (curve)" : "");
    out += fmt::format("  {:<44} {:>5} {:>10} {:>10} {:>10} {:>8.3f}% {:>10}\n", label, s.units,
                       core::format_quantity(s.point.v_in_v, core::Dimension::voltage),
                       core::format_quantity(s.point.v_out_v, core::Dimension::voltage),
                       watts(s.point.p_out_w), 100.0 * s.efficiency, watts(s.loss.total_w()));
  }
  out += "\nLoss breakdown of the whole chain\n";
  const std::pair<const char*, double> parts[] = {{"conduction", r.total.loss.conduction_w},
                                                  {"switching", r.total.loss.switching_w},
                                                  {"dead time", r.total.loss.dead_time_w},
                                                  {"gate", r.total.loss.gate_w},
                                                  {"core", r.total.loss.core_w},
                                                  {"winding", r.total.loss.winding_w},
                                                  {"capacitor", r.total.loss.capacitor_w},
                                                  {"other", r.total.loss.other_w},
                                                  {"curve", r.total.loss.curve_w}};
  const double total = r.total.loss.total_w();
  for (const auto& [name, w] : parts)
    out += fmt::format("  {:<11} {:>10}  {:5.1f} %\n", name, watts(w),
                       total > 0.0 ? 100.0 * w / total : 0.0);
  for (const auto& w : r.total.warnings) out += fmt::format("warning: {}\n", w);
  return out;
}

}  // namespace g2g::io
