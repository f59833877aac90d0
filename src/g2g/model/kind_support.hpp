// What an element kind's model-side functions (element_kinds.hpp) are written with: the schema
// helpers its `sections` use, the builder its `read` uses (builder_impl.hpp), the Checker of its
// `check` and the Writer of its `write`. Internal to model/: include element_kinds.hpp or
// loader.hpp from outside.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/builder_impl.hpp"
#include "g2g/model/element_kinds.hpp"

namespace g2g::model::detail {

// ---- Schema (schema.cpp) ------------------------------------------------------------------

// A key; required unless it has a default (or is a section).
KeyInfo key(std::string_view name, ValueKind kind, std::string_view description,
            std::string_view default_text = {});
// A number with a unit of `dimension`.
KeyInfo quantity(std::string_view name, core::Dimension dimension, std::string_view description,
                 std::string_view default_text = {});
// One of `choices`.
KeyInfo choice(std::string_view name, std::vector<std::string_view> choices,
               std::string_view description, std::string_view default_text = {});
// A number with a unit of `dimension`, or a percentage of the element's rated value.
KeyInfo rated(std::string_view name, core::Dimension dimension, std::string_view description,
              std::string_view default_text = {});
// A key needed in some forms of a component and not in others; the description says when.
KeyInfo conditional(KeyInfo info);
// A component section `type: name`: id, type, in_service (unless `in_service` is false) and
// origin, then `keys`.
SectionInfo component(std::string_view name, std::string_view description,
                      std::vector<KeyInfo> keys, bool in_service = true);

// ---- Checking (validate.cpp) --------------------------------------------------------------

// Model-level checks of one element; messages name the element ("shunt 'c1': ...") and point at
// where it was written.
class Checker {
 public:
  Checker(const ModelSpec& model, core::DiagnosticList& diagnostics) : m_(model), d_(diagnostics) {}

  [[nodiscard]] const ModelSpec& model() const noexcept { return m_; }
  // The bus at `index`, or nullptr.
  [[nodiscard]] const Bus* bus(BusIndex index) const;
  // The bus at `index`, or an error naming the port; nullptr when there is none.
  template <typename E>
  const Bus* port(const E& e, std::string_view what, std::string_view port_name, BusIndex index) {
    const Bus* b = bus(index);
    if (b == nullptr) missing_port(e.where, what, e.id, port_name, index);
    return b;
  }
  // Call sites test first, so the message is only built for a real problem.
  template <typename E>
  void fail(const E& e, std::string_view what, std::string_view message, std::string fix) {
    error(e.where, what, e.id, message, std::move(fix));
  }
  // An error when a finite `value` of `key` is outside core::plausible_range (a non-finite one
  // is the caller's finite() check's to report).
  template <typename E>
  void plausible(const E& e, std::string_view what, std::string_view key, double value,
                 core::Dimension dimension) {
    if (finite(value) && !core::plausible(value, dimension))
      implausible(e.where, what, e.id, key, value, dimension);
  }
  template <typename E>
  void warn(const E& e, std::string_view what, std::string_view message, std::string fix) {
    warning(e.where, what, e.id, message, std::move(fix));
  }
  [[nodiscard]] core::SourceLocation at(Where where) const { return location(m_, where); }
  [[nodiscard]] core::DiagnosticList& diagnostics() noexcept { return d_; }

  static bool finite(double v);
  // Equal nominal voltages, to the rounding of a value written in kV.
  static bool same_nominal_voltage(const Bus& a, const Bus& b);
  static std::string_view kind_name(BusKind kind) { return kind == BusKind::ac ? "AC" : "DC"; }

 private:
  void implausible(Where where, std::string_view what, const std::string& id, std::string_view key,
                   double value, core::Dimension dimension);
  void missing_port(Where where, std::string_view what, const std::string& id,
                    std::string_view port_name, BusIndex index);
  void error(Where where, std::string_view what, const std::string& id, std::string_view message,
             std::string fix);
  void warning(Where where, std::string_view what, const std::string& id, std::string_view message,
               std::string fix);

  const ModelSpec& m_;
  core::DiagnosticList& d_;
};

// Checks of the time-domain keys (validate_dynamics.cpp), called from the kinds' checks; the
// buses are the element's ports, nullptr when missing.
void check_bus_dynamics(Checker& c, const Bus& b);
void check_source_dynamics(Checker& c, const Source& s, std::string_view what);
void check_line_dynamics(Checker& c, const Line& l, std::string_view what, const Bus* from);
void check_converter_dynamics(Checker& c, const Converter& conv, std::string_view what,
                              const Bus* in, const Bus* out);
void check_storage_dynamics(Checker& c, const Storage& s);

// ---- Writing (yaml_writer.cpp) ------------------------------------------------------------

// A scalar that YAML reads back as the same text: plain when that is safe, else double-quoted.
std::string yaml_text(std::string_view s);
// The shortest text of a double that reads back to it.
std::string yaml_number(double value);

// One flow map: {key: value, ...}.
class Entry {
 public:
  Entry& add(std::string_view key, const std::string& value);
  // With an engineering prefix when that reads back exactly ("13.8 kV"), else plain SI.
  Entry& quantity(std::string_view key, double value, std::string_view unit);
  // A unit that takes no prefix (m, m2, °C, deg, ohm/m).
  Entry& plain(std::string_view key, double value, std::string_view unit);
  // A unit written with a fixed scale ("mm2", "mohm/m"), falling back to SI when not exact.
  Entry& scaled(std::string_view key, double value, std::string_view unit, double factor,
                std::string_view si);
  Entry& ratio(std::string_view key, double value);
  Entry& flag(std::string_view key, bool value);
  [[nodiscard]] std::string str() const { return body_ + "}"; }

 private:
  std::string body_;
};

// Writes a model as YAML, one element per line.
class Writer {
 public:
  explicit Writer(const ModelSpec& model) : m_(model) {}

  std::string run();

  [[nodiscard]] const ModelSpec& model() const noexcept { return m_; }
  // A bus reference as written.
  [[nodiscard]] std::string bus(BusIndex index) const;
  // {id: ..., type: ...}: the start of every component's line.
  static void head(Entry& e, const std::string& id, std::string_view type);
  // Ends a component's line with in_service and origin, and writes it.
  void finish(Entry& e, bool in_service, std::int32_t origin);

 private:
  void line(const Entry& e);

  const ModelSpec& m_;
  std::string out_;
};

}  // namespace g2g::model::detail
