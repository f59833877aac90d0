#include "g2g/reliability/failure_rates.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <vector>

#include "g2g/core/error.hpp"
#include "g2g/reliability/data.hpp"

namespace g2g::reliability {
namespace {

constexpr std::string_view file_name = "data/reliability/failure_rates.yaml";

double number_or_zero(const YAML::Node& entry, const char* key) {
  const YAML::Node n = entry[key];
  return n ? n.as<double>() : 0.0;
}

std::vector<ElementFailureRate> read_table() {
  std::string_view text;
  for (const auto& f : embedded_data_files())
    if (f.name == file_name) text = f.text;
  if (text.empty())
    throw Error(ErrorKind::internal, fmt::format("{} is not compiled in", file_name));
  std::vector<ElementFailureRate> table;
  const YAML::Node root = YAML::Load(std::string(text));
  for (const auto& entry : root["elements"]) {
    ElementFailureRate r;
    r.type = entry["type"].as<std::string>();
    r.fit = number_or_zero(entry, "fit");
    r.fit_per_km = number_or_zero(entry, "fit_per_km");
    r.termination_fit = number_or_zero(entry, "termination_fit");
    r.mttr_h = entry["mttr_h"].as<double>();
    r.tag = entry["tag"].as<std::string>();
    r.source = entry["source"].as<std::string>();
    table.push_back(std::move(r));
  }
  return table;
}

}  // namespace

std::span<const ElementFailureRate> failure_rates() {
  static const std::vector<ElementFailureRate> table = read_table();
  return table;
}

const ElementFailureRate* find_failure_rate(std::span<const ElementFailureRate> table,
                                            std::string_view type) noexcept {
  for (const auto& r : table)
    if (r.type == type) return &r;
  return nullptr;
}

}  // namespace g2g::reliability
