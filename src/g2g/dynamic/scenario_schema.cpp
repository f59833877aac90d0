// The JSON Schema of the scenario file (docs/scenario.schema.json), generated from the reader's
// key tables (scenario_keys.hpp); unit test ScenarioFile.SchemaIsUpToDate keeps the file current.
#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "g2g/dynamic/scenario.hpp"
#include "g2g/dynamic/scenario_keys.hpp"

namespace g2g::dynamic {
namespace {

using namespace scenario_keys;

nlohmann::json object_schema(std::span<const core::Field> fields, const nlohmann::json& types) {
  nlohmann::json properties = nlohmann::json::object();
  nlohmann::json required = nlohmann::json::array();
  for (const auto& f : fields) {
    const std::string k(f.key);
    nlohmann::json p = types.contains(k)
                           ? types[k]
                           : nlohmann::json{{"type", nlohmann::json::array({"string", "number"})}};
    p["description"] = std::string(f.help);
    properties[k] = p;
    if (f.required) required.push_back(k);
  }
  nlohmann::json o = {
      {"type", "object"}, {"additionalProperties", false}, {"properties", properties}};
  if (!required.empty()) o["required"] = required;
  return o;
}

nlohmann::json enum_of(std::span<const std::string_view> names) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto n : names) out.push_back(std::string(n));
  return {{"enum", out}};
}

}  // namespace

std::string scenario_schema_json() {
  using nlohmann::json;
  const json text = {{"type", "string"}};
  const json whole = {{"type", "integer"}, {"minimum", 0}};
  const json patterns = {
      {"oneOf", json::array({text, {{"type", "array"}, {"minItems", 1}, {"items", text}}})}};
  auto list_of = [](const char* def) {
    return json{{"type", "array"}, {"minItems", 1}, {"items", {{"$ref", def}}}};
  };
  json top = object_schema(top_fields, {{"grid2gpu_scenario", {{"const", 1}}},
                                        {"name", text},
                                        {"solver", {{"$ref", "#/$defs/solver"}}},
                                        {"aggregate", enum_of(aggregation_names)},
                                        {"profiles", list_of("#/$defs/profile")},
                                        {"smoothing", list_of("#/$defs/smoothing")},
                                        {"storage", list_of("#/$defs/storage")},
                                        {"input_loss", list_of("#/$defs/input_loss")},
                                        {"faults", list_of("#/$defs/fault")},
                                        {"metrics", {{"$ref", "#/$defs/metrics"}}},
                                        {"limits", {{"$ref", "#/$defs/limits"}}},
                                        {"record", {{"$ref", "#/$defs/record"}}}});
  json schema = {
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"$id", "https://grid2gpu.dev/scenario.schema.json"},
      {"title", "grid2gpu scenario file (grid2gpu_scenario: 1), docs/scenario-format.md"}};
  schema.update(top);
  json profile =
      object_schema(profile_fields, {{"loads", patterns},
                                     {"training", {{"$ref", "#/$defs/training"}}},
                                     {"trace", {{"$ref", "#/$defs/trace"}}},
                                     {"checkpoints", {{"$ref", "#/$defs/checkpoints"}}},
                                     {"dips", {{"$ref", "#/$defs/dips"}}},
                                     {"job", {{"$ref", "#/$defs/job"}}},
                                     {"seed", whole},
                                     {"phase_groups", {{"$ref", "#/$defs/phase_groups"}}}});
  json exactly_one = json::array();
  for (const auto k : pattern_keys) exactly_one.push_back({{"required", {std::string(k)}}});
  profile["oneOf"] = exactly_one;
  schema["$defs"] = {
      {"solver", object_schema(solver_fields, {})},
      {"profile", profile},
      {"training", object_schema(training_fields, {{"jitter", enum_of(jitter_names)}})},
      {"trace", object_schema(trace_fields, {{"file", text}, {"column", text}})},
      {"checkpoints", object_schema(checkpoint_fields, {})},
      {"dips", object_schema(dips_fields, {})},
      {"job", object_schema(job_fields, {})},
      {"phase_groups",
       object_schema(phase_group_fields,
                     {{"by", text}, {"count", {{"type", "integer"}, {"minimum", 1}}}})},
      {"smoothing",
       object_schema(smoothing_fields, {{"loads", patterns},
                                        {"gpus_per_rack", {{"type", "integer"}, {"minimum", 1}}}})},
      {"storage", object_schema(storage_fields,
                                {{"elements", patterns}, {"control", enum_of(control_names)}})},
      {"input_loss", object_schema(input_loss_fields, {{"converters", patterns}})},
      {"fault",
       object_schema(
           fault_fields,
           {{"id", text}, {"bus", text}, {"line", text}, {"kind", {{"const", "pole_to_pole"}}}})},
      {"metrics", object_schema(metrics_fields, {{"bands", list_of("#/$defs/band")}})},
      {"band", object_schema(band_fields, {})},
      {"limits", object_schema(limit_fields, {})},
      {"record",
       object_schema(record_fields,
                     {{"signals", {{"type", "array"}, {"minItems", 1}, {"items", text}}}})},
  };
  return schema.dump(2) + "\n";
}

}  // namespace g2g::dynamic
