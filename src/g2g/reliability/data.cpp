#include "g2g/reliability/data.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <map>

#include "g2g/core/error.hpp"

namespace g2g::reliability {
namespace {

std::string_view file_text(std::string_view name) {
  for (const auto& f : embedded_data_files())
    if (f.name == name) return f.text;
  throw Error(ErrorKind::internal, fmt::format("{} is not compiled in", name));
}

// Read once: the file is ours and checked by tests, so a problem in it is a bug.
const std::map<std::string, SourcedValue, std::less<>>& acceleration_defaults() {
  static const auto table = [] {
    std::map<std::string, SourcedValue, std::less<>> t;
    const YAML::Node root =
        YAML::Load(std::string(file_text("data/reliability/acceleration.yaml")));
    for (const auto& entry : root["parameters"])
      t[entry["key"].as<std::string>()] = {entry["value"].as<double>(),
                                           entry["source"].as<std::string>(),
                                           entry["tag"].as<std::string>()};
    return t;
  }();
  return table;
}

}  // namespace

SourcedValue default_parameter(std::string_view key) {
  const auto& table = acceleration_defaults();
  const auto at = table.find(key);
  if (at == table.end())
    throw Error(ErrorKind::internal,
                fmt::format("data/reliability/acceleration.yaml has no '{}'", key));
  return at->second;
}

}  // namespace g2g::reliability
