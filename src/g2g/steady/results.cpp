#include "g2g/steady/results.hpp"

namespace g2g::steady {

std::string_view element_type_name(ElementType type) {
  return model::element_kind_name(type);
}

std::optional<ViolationKind> violation_kind_from_name(std::string_view name) {
  for (const auto kind :
       {ViolationKind::under_voltage, ViolationKind::over_voltage, ViolationKind::overload,
        ViolationKind::ampacity, ViolationKind::reactive_limit})
    if (violation_kind_name(kind) == name) return kind;
  return std::nullopt;
}

std::string_view violation_unit(ViolationKind kind) noexcept {
  switch (kind) {
    case ViolationKind::under_voltage:
    case ViolationKind::over_voltage:
      return "pu";
    case ViolationKind::overload:
    case ViolationKind::ampacity:
      return "pct";
    case ViolationKind::reactive_limit:
      return "var";
  }
  return {};
}

std::string_view violation_kind_name(ViolationKind kind) {
  switch (kind) {
    case ViolationKind::under_voltage:
      return "under_voltage";
    case ViolationKind::over_voltage:
      return "over_voltage";
    case ViolationKind::overload:
      return "overload";
    case ViolationKind::ampacity:
      return "ampacity";
    case ViolationKind::reactive_limit:
      return "reactive_limit";
  }
  return "violation";
}

}  // namespace g2g::steady
