// The configuration toolkit (core/fields.hpp) over yaml-cpp, for the small hand-written files:
// device parts, ferrite materials, converter SPECs, study files. yaml-cpp keeps every node's
// mark, so each problem is reported at its key or value as file:line:col. The model builder reads
// its own faster tree with the same messages (model/builder_values.cpp).
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/fields.hpp"

namespace g2g::core {

// One file being read: its name and every problem found in it.
class YamlFile {
 public:
  explicit YamlFile(std::string file) : file_(std::move(file)) {}

  // Parses `text`; a syntax error becomes a diagnostic and the result is a null node.
  YAML::Node parse(std::string_view text);

  [[nodiscard]] SourceLocation where(const YAML::Node& node) const;
  [[nodiscard]] SourceLocation where(const YAML::Mark& mark) const;
  void error(const YAML::Node& node, std::string message, std::string fix = {});
  void report(const YAML::Node& node, Problem problem);

  // A scalar `value` (of key `key` in `what`) as a quantity, whole number or flag; nullopt when
  // it is not one, with the problem reported at the value.
  std::optional<double> quantity(const YAML::Node& value, std::string_view what,
                                 std::string_view key, Dimension dimension,
                                 Check check = Check::none);
  std::optional<std::int64_t> integer(const YAML::Node& value, std::string_view what,
                                      std::string_view key, std::int64_t min);
  std::optional<bool> boolean(const YAML::Node& value, std::string_view what, std::string_view key);
  std::optional<std::string> text(const YAML::Node& value, std::string_view what,
                                  std::string_view key);

  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] DiagnosticList& diagnostics() noexcept { return diagnostics_; }
  [[nodiscard]] bool has_errors() const noexcept { return diagnostics_.has_errors(); }
  // Throws core::ModelError with every diagnostic when there is an error.
  void throw_if_errors();

 private:
  std::string file_;
  DiagnosticList diagnostics_;
};

// One map of a file, checked against its keys when made: a node that is not a map, unknown keys
// (with a "did you mean") and repeated keys are reported once, here; the getters then read a key
// by its Field (unit, range, required, example). An absent optional key is nullopt; an absent
// required one is reported at the map.
class YamlMap {
 public:
  // `what` names the map in messages ("converter", "inductor"); when `name_key` is given and the
  // map has that key, its value is added ("part 'EPC2218'"). `map_name` names the kind of map in
  // the list of keys an unknown key gets ("a part"); empty: "the keys are: ...".
  YamlMap(YamlFile& file, const YAML::Node& node, std::string what, std::span<const Field> fields,
          std::string_view name_key = {}, std::string_view map_name = {});
  // Keys without types: quantities then name their dimension at the call.
  YamlMap(YamlFile& file, const YAML::Node& node, std::string what,
          std::span<const std::string_view> keys);

  [[nodiscard]] bool is_map() const noexcept { return is_map_; }
  [[nodiscard]] bool has(std::string_view key) const { return static_cast<bool>(node(key)); }
  // The value of `key`, or a null node (also for an unknown key).
  [[nodiscard]] YAML::Node node(std::string_view key) const;
  [[nodiscard]] const YAML::Node& self() const noexcept { return node_; }
  [[nodiscard]] const std::string& what() const noexcept { return what_; }
  [[nodiscard]] YamlFile& file() noexcept { return file_; }

  // Reports every required key that is absent; true when none is. `advice` is added to each
  // fix (a format's own rule, such as where an assumed value goes).
  bool require_all(std::string_view advice = {});
  // Reports `key` as missing when it is absent; true when present.
  bool require(std::string_view key, std::string_view advice = {});

  std::optional<std::string> text(std::string_view key);
  // By the key's Field: its dimension and check.
  std::optional<double> quantity(std::string_view key);
  std::optional<double> quantity(std::string_view key, Dimension dimension,
                                 Check check = Check::none);
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min);
  std::optional<bool> boolean(std::string_view key);
  // The index of the value in `choices`.
  std::optional<std::size_t> choice(std::string_view key,
                                    std::span<const std::string_view> choices);
  // A list of lines of text (`assumptions:`); empty when absent.
  std::vector<std::string> texts(std::string_view key);

  // Sets `out` when the key is present and valid; a default is whatever `out` holds already.
  template <typename T>
  void read(std::string_view key, T& out) {
    if constexpr (std::is_same_v<T, std::string>) {
      if (auto v = text(key)) out = std::move(*v);
    } else if constexpr (std::is_same_v<T, bool>) {
      if (auto v = boolean(key)) out = *v;
    } else if constexpr (std::is_same_v<T, double>) {
      if (auto v = quantity(key)) out = *v;
    }
  }
  void read(std::string_view key, int& out, int min) {
    if (auto v = integer(key, min)) out = static_cast<int>(*v);
  }

 private:
  [[nodiscard]] const Field* field(std::string_view key) const;
  void check_keys(std::string_view name_key, std::string_view map_name);

  YamlFile& file_;
  YAML::Node node_;
  std::string what_;
  std::vector<Field> fields_;
  std::vector<std::pair<std::string, YAML::Node>> entries_;  // known keys, first of each
  bool is_map_ = false;
};

}  // namespace g2g::core
