// Shared by the result writers (JSON, CSV, terminal table). A SolveResult refers to buses and
// elements by index; reports and files show them by id. One place maps (ElementResult.type,
// index) back to the ModelSpec so the writers cannot disagree.
#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "g2g/model/spec.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::io {

struct ElementLabel {
  std::string_view id;
  std::string_view type;     // "source", "line", ... (steady::element_type_name)
  std::string_view kind;     // source/line/converter type or load model; empty when none
  std::string_view subtype;  // converter free label ("psu", "vrm"); empty otherwise
  const model::Bus* from_bus = nullptr;  // input/"from"/HV side, or the one bus of a one-port
  const model::Bus* to_bus = nullptr;    // output/"to"/LV side; null for one-port elements
};

// Throws std::out_of_range when the result does not belong to `model` (index past the end).
ElementLabel element_label(const model::ModelSpec& model, const steady::ElementResult& element);

std::string_view bus_kind_name(model::BusKind kind) noexcept;

// Appends the shortest decimal form that parses back to exactly `value` (std::to_chars with no
// precision; several times faster than a format string, which matters for 1e6 numbers) and
// returns true; returns false and appends nothing for NaN and infinities, which each format
// spells its own way.
// Round values that the shortest form would write in exponent notation ("2e+05") are written out
// ("200000") up to 1e16, where people read them more easily; -0 is written as 0.
inline bool append_shortest(std::string& out, double value) {
  if (!std::isfinite(value)) return false;
  if (value == 0.0) value = 0.0;  // drops the sign of -0
  std::array<char, 32> buffer{};
  char* const first = buffer.data();
  char* const last = buffer.data() + buffer.size();
  char* end = std::to_chars(first, last, value).ptr;
  const double magnitude = std::fabs(value);
  if (magnitude >= 1.0 && magnitude < 1e16 && std::find(first, end, 'e') != end)
    end = std::to_chars(first, last, value, std::chars_format::fixed).ptr;
  out.append(first, end);
  return true;
}

}  // namespace g2g::io
