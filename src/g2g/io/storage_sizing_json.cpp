#include "g2g/io/storage_sizing_json.hpp"

#include "g2g/io/files.hpp"
#include "g2g/io/json_numbers.hpp"

namespace g2g::io {

nlohmann::json storage_sizing_json(const dynamic::SizingResult& result) {
  const double racks = static_cast<double>(result.racks);
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : result.points) {
    nlohmann::json limits = nlohmann::json::array();
    for (const auto& l : p.limits)
      limits.push_back({{"limit", l.limit},
                        {"unit", l.unit},
                        {"value", finite_or_null(l.value)},
                        {"limit_value", finite_or_null(l.limit_value)},
                        {"met", l.met}});
    const auto per_rack = [&](double v) {
      return racks > 0.0 ? finite_or_null(v / racks) : nlohmann::json(nullptr);
    };
    points.push_back({
        {"period_s", p.period_s ? nlohmann::json(*p.period_s) : nlohmann::json(nullptr)},
        {"baseline_peak_w", finite_or_null(p.baseline_peak_w)},
        {"baseline_meets_limits", p.baseline_meets},
        {"feasible", p.feasible},
        {"power_scale", p.feasible ? finite_or_null(p.power_scale) : nlohmann::json(nullptr)},
        {"energy_scale", p.feasible ? finite_or_null(p.energy_scale) : nlohmann::json(nullptr)},
        {"usable_energy_j", finite_or_null(p.usable_energy_j)},
        {"power_w", finite_or_null(p.power_w)},
        {"cycled_energy_j", finite_or_null(p.cycled_energy_j)},
        {"usable_energy_per_rack_j", per_rack(p.usable_energy_j)},
        {"power_per_rack_w", per_rack(p.power_w)},
        {"cycled_energy_per_rack_j", per_rack(p.cycled_energy_j)},
        {"sized_peak_w", finite_or_null(p.sized_peak_w)},
        {"limits", std::move(limits)},
        {"runs", p.runs},
    });
  }
  return {{"grid2gpu_storage_sizing", storage_sizing_format_version},
          {"storage", result.storage},
          {"racks", result.racks},
          {"points", std::move(points)}};
}

void write_storage_sizing_json(const std::filesystem::path& path,
                               const dynamic::SizingResult& result) {
  write_file_atomic(path, storage_sizing_json(result).dump(2) + "\n");
}

}  // namespace g2g::io
