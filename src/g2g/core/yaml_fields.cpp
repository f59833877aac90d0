#include "g2g/core/yaml_fields.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace g2g::core {
namespace {

std::string_view kind_of(const YAML::Node& node) {
  if (!node || node.IsNull()) return "empty";
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  return "a value";
}

// A key's text; a map or list used as a key gets a text that matches no key.
std::string key_text(const YAML::Node& key) {
  return key.IsScalar() ? key.Scalar() : std::string("(a map or list)");
}

}  // namespace

// ---- YamlFile -----------------------------------------------------------------------------

YAML::Node YamlFile::parse(std::string_view text) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    diagnostics_.error(where(e.mark), fmt::format("not valid YAML: {}", e.msg),
                       "check the indentation, quoting and brackets at this place");
    return YAML::Node();
  }
}

SourceLocation YamlFile::where(const YAML::Mark& mark) const {
  // yaml-cpp marks are 0-based; diagnostics are 1-based (0 = unknown).
  if (mark.is_null() || mark.line < 0) return {file_, 0, 0};
  return {file_, mark.line + 1, mark.column + 1};
}

SourceLocation YamlFile::where(const YAML::Node& node) const {
  return where(node.Mark());
}

void YamlFile::error(const YAML::Node& node, std::string message, std::string fix) {
  diagnostics_.error(where(node), std::move(message), std::move(fix));
}

void YamlFile::report(const YAML::Node& node, Problem problem) {
  error(node, std::move(problem.message), std::move(problem.fix));
}

std::optional<std::string> YamlFile::text(const YAML::Node& value, std::string_view what,
                                          std::string_view key) {
  if (value.IsScalar()) return value.Scalar();
  report(value, not_a_value(what, key, kind_of(value), {}));
  return std::nullopt;
}

std::optional<double> YamlFile::quantity(const YAML::Node& value, std::string_view what,
                                         std::string_view key, Dimension dimension, Check check) {
  if (!value.IsScalar()) {
    const std::string example(dimension_example(dimension));
    report(value, not_a_value(what, key, kind_of(value), example.substr(0, example.find(" or "))));
    return std::nullopt;
  }
  Problem problem;
  const auto result = read_quantity(value.Scalar(), dimension, check, what, key, problem);
  if (!result) report(value, std::move(problem));
  return result;
}

std::optional<std::int64_t> YamlFile::integer(const YAML::Node& value, std::string_view what,
                                              std::string_view key, std::int64_t min) {
  const auto written = text(value, what, key);
  if (!written) return std::nullopt;
  Problem problem;
  const auto result = read_integer(*written, min, what, key, problem);
  if (!result) report(value, std::move(problem));
  return result;
}

std::optional<bool> YamlFile::boolean(const YAML::Node& value, std::string_view what,
                                      std::string_view key) {
  const auto written = text(value, what, key);
  if (!written) return std::nullopt;
  if (*written == "true") return true;
  if (*written == "false") return false;
  report(value, bad_boolean(what, key, *written));
  return std::nullopt;
}

void YamlFile::throw_if_errors() {
  if (diagnostics_.has_errors()) throw ModelError(std::move(diagnostics_));
}

// ---- YamlMap ------------------------------------------------------------------------------

YamlMap::YamlMap(YamlFile& file, const YAML::Node& node, std::string what,
                 std::span<const Field> fields, std::string_view name_key,
                 std::string_view map_name)
    : file_(file), node_(node), what_(std::move(what)), fields_(fields.begin(), fields.end()) {
  check_keys(name_key, map_name);
}

YamlMap::YamlMap(YamlFile& file, const YAML::Node& node, std::string what,
                 std::span<const std::string_view> keys)
    : file_(file), node_(node), what_(std::move(what)) {
  fields_.reserve(keys.size());
  for (const std::string_view k : keys) fields_.push_back(key(k));
  check_keys({}, {});
}

void YamlMap::check_keys(std::string_view name_key, std::string_view map_name) {
  is_map_ = node_.IsMap();
  if (!is_map_) {
    file_.error(node_,
                fmt::format("{} must be a map of keys to values, not {}",
                            what_.empty() ? std::string("the file") : what_, kind_of(node_)),
                "write 'key: value' lines (or {key: value, ...})");
    return;
  }
  // Name the map in messages about its keys too.
  if (!name_key.empty())
    for (const auto& entry : node_)
      if (entry.first.IsScalar() && entry.first.Scalar() == name_key && entry.second.IsScalar())
        what_ = fmt::format("{} '{}'", what_, entry.second.Scalar());
  std::vector<std::string_view> names;
  names.reserve(fields_.size());
  for (const Field& f : fields_) names.push_back(f.key);
  for (const auto& entry : node_) {
    const std::string name = key_text(entry.first);
    if (field(name) == nullptr) {
      file_.report(entry.first, unknown_key(what_, name, names, map_name));
      continue;
    }
    const bool repeated = std::any_of(entries_.begin(), entries_.end(),
                                      [&](const auto& e) { return e.first == name; });
    if (repeated) {
      file_.report(entry.first, duplicate_key(what_, name));
      continue;
    }
    entries_.emplace_back(name, entry.second);
  }
}

const Field* YamlMap::field(std::string_view key) const {
  const auto at =
      std::find_if(fields_.begin(), fields_.end(), [&](const Field& f) { return f.key == key; });
  return at == fields_.end() ? nullptr : &*at;
}

YAML::Node YamlMap::node(std::string_view key) const {
  for (const auto& [name, value] : entries_)
    if (name == key) return value;
  return YAML::Node(YAML::NodeType::Undefined);
}

bool YamlMap::require(std::string_view key, std::string_view advice) {
  if (!is_map_ || has(key)) return true;
  const Field* f = field(key);
  Problem problem = f != nullptr ? missing_key(what_, *f) : missing_key(what_, key, {}, {});
  if (!advice.empty()) problem.fix += fmt::format("; {}", advice);
  file_.report(node_, std::move(problem));
  return false;
}

bool YamlMap::require_all(std::string_view advice) {
  bool all = true;
  for (const Field& f : fields_)
    if (f.required && !require(f.key, advice)) all = false;
  return all;
}

std::optional<std::string> YamlMap::text(std::string_view key) {
  const YAML::Node value = node(key);
  if (!value) return std::nullopt;
  return file_.text(value, what_, key);
}

std::optional<double> YamlMap::quantity(std::string_view key) {
  const Field* f = field(key);
  return quantity(key, f != nullptr ? f->dimension : Dimension::dimensionless,
                  f != nullptr ? f->check : Check::none);
}

std::optional<double> YamlMap::quantity(std::string_view key, Dimension dimension, Check check) {
  const YAML::Node value = node(key);
  if (!value) return std::nullopt;
  return file_.quantity(value, what_, key, dimension, check);
}

std::optional<std::int64_t> YamlMap::integer(std::string_view key, std::int64_t min) {
  const YAML::Node value = node(key);
  if (!value) return std::nullopt;
  return file_.integer(value, what_, key, min);
}

std::optional<bool> YamlMap::boolean(std::string_view key) {
  const YAML::Node value = node(key);
  if (!value) return std::nullopt;
  return file_.boolean(value, what_, key);
}

std::optional<std::size_t> YamlMap::choice(std::string_view key,
                                           std::span<const std::string_view> choices) {
  const auto written = text(key);
  if (!written) return std::nullopt;
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (choices[i] == *written) return i;
  file_.report(node(key), bad_choice(what_, key, *written, choices));
  return std::nullopt;
}

std::vector<std::string> YamlMap::texts(std::string_view key) {
  std::vector<std::string> out;
  const YAML::Node value = node(key);
  if (!value) return out;
  if (!value.IsSequence()) {
    file_.error(value, qualify(what_, fmt::format("'{}' must be a list", key)),
                "write one '- text' line per entry");
    return out;
  }
  for (const auto& item : value) {
    if (item.IsScalar())
      out.push_back(item.Scalar());
    else
      file_.error(item, qualify(what_, fmt::format("each entry of '{}' must be text", key)));
  }
  return out;
}

}  // namespace g2g::core
