#include "g2g/reliability/data.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <vector>

#include "g2g/core/error.hpp"
#include "g2g/reliability/damage.hpp"

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

CyclingModel cycling_model(const std::string& name) {
  if (name == "coffin_manson") return CyclingModel::coffin_manson;
  if (name == "norris_landzberg") return CyclingModel::norris_landzberg;
  if (name == "cips2008") return CyclingModel::cips2008;
  throw Error(ErrorKind::internal,
              fmt::format("data/reliability/power_cycling.yaml: unknown model '{}'", name));
}

// Read once, as the acceleration defaults: a problem in our own file is a bug.
const std::vector<CyclingFamily>& cycling_families() {
  static const auto families =
      read_cycling_families(file_text("data/reliability/power_cycling.yaml"));
  return families;
}

}  // namespace

std::vector<CyclingFamily> read_cycling_families(std::string_view text) {
  std::vector<CyclingFamily> out;
  const YAML::Node root = YAML::Load(std::string(text));
  for (const auto& entry : root["families"]) {
    CyclingFamily f;
    f.name = entry["name"].as<std::string>();
    f.description = entry["description"].as<std::string>();
    f.source = entry["source"].as<std::string>();
    f.tag = entry["tag"].as<std::string>();
    const auto bad = [&f](std::string_view why) {
      return Error(ErrorKind::internal, fmt::format("power_cycling.yaml: {} {}", f.name, why));
    };
    CyclingLaw& law = f.law;
    law.model = cycling_model(entry["model"].as<std::string>());
    law.absolute = entry["absolute"].as<bool>();
    law.scale = entry["scale"] ? entry["scale"].as<double>() : 1.0;
    if (law.absolute && !entry["scale"]) throw bad("is absolute without a scale");
    if (entry["swing_exponent"]) law.swing_exponent = entry["swing_exponent"].as<double>();
    if (entry["activation_k"]) law.activation_k = entry["activation_k"].as<double>();
    if (entry["frequency_exponent"])
      law.frequency_exponent = entry["frequency_exponent"].as<double>();
    // CIPS 2008's six exponents and the module's three values they apply to: all or none, and
    // only with that model (a law evaluated with zero exponents would look valid).
    constexpr const char* cips_keys[] = {"beta", "current_per_wire_a", "voltage_class_v",
                                         "wire_diameter_um"};
    for (const char* key : cips_keys) {
      if (law.model == CyclingModel::cips2008 && !entry[key])
        throw bad(fmt::format("uses model cips2008 without '{}'", key));
      if (law.model != CyclingModel::cips2008 && entry[key])
        throw bad(fmt::format("gives '{}', which only model cips2008 uses", key));
    }
    if (law.model == CyclingModel::cips2008) {
      const YAML::Node beta = entry["beta"];
      if (!beta.IsSequence() || beta.size() != 6)
        throw bad("needs 'beta' as six numbers, beta1 to beta6");
      for (std::size_t i = 0; i < 6; ++i) law.beta[i] = beta[i].as<double>();
      law.current_per_wire_a = entry["current_per_wire_a"].as<double>();
      law.voltage_class = entry["voltage_class_v"].as<double>();
      law.wire_diameter_um = entry["wire_diameter_um"].as<double>();
      if (!(law.current_per_wire_a > 0.0 && law.voltage_class > 0.0 && law.wire_diameter_um > 0.0))
        throw bad("needs positive current_per_wire_a, voltage_class_v and wire_diameter_um");
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::span<const CyclingFamily> power_cycling_families() {
  return cycling_families();
}

const CyclingFamily& power_cycling_family(std::string_view name) {
  for (const CyclingFamily& f : cycling_families())
    if (f.name == name) return f;
  std::string known;
  for (const CyclingFamily& f : cycling_families()) known += (known.empty() ? "" : ", ") + f.name;
  throw Error(ErrorKind::invalid_input,
              fmt::format("no power-cycling family '{}' (data/reliability/power_cycling.yaml has "
                          "{})",
                          name, known));
}

SourcedValue default_parameter(std::string_view key) {
  const auto& table = acceleration_defaults();
  const auto at = table.find(key);
  if (at == table.end())
    throw Error(ErrorKind::internal,
                fmt::format("data/reliability/acceleration.yaml has no '{}'", key));
  return at->second;
}

}  // namespace g2g::reliability
