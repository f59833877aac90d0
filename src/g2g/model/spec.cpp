#include "g2g/model/spec.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace g2g::model {

std::string_view name(BusKind kind) noexcept {
  return kind == BusKind::ac ? "ac" : "dc";
}

std::string_view name(SourceType type) noexcept {
  switch (type) {
    case SourceType::utility:
      return "utility";
    case SourceType::generator:
      return "generator";
    case SourceType::dc_source:
      return "dc_source";
  }
  return "source";
}

std::string_view name(LineType type) noexcept {
  switch (type) {
    case LineType::cable:
      return "cable";
    case LineType::busbar:
      return "busbar";
    case LineType::overhead:
      return "line";
    case LineType::breaker:
      return "breaker";
  }
  return "line";
}

std::string_view name(ConverterType type) noexcept {
  switch (type) {
    case ConverterType::rectifier:
      return "rectifier";
    case ConverterType::dcdc:
      return "dcdc";
    case ConverterType::inverter:
      return "inverter";
    case ConverterType::ups:
      return "ups";
  }
  return "converter";
}

std::string_view name(ConverterSubtype subtype) noexcept {
  switch (subtype) {
    case ConverterSubtype::none:
      return "";
    case ConverterSubtype::psu:
      return "psu";
    case ConverterSubtype::sst:
      return "sst";
    case ConverterSubtype::rectifier:
      return "rectifier";
    case ConverterSubtype::sidecar:
      return "sidecar";
    case ConverterSubtype::dcdc:
      return "dcdc";
    case ConverterSubtype::dc_transformer:
      return "dc_transformer";
    case ConverterSubtype::ibc:
      return "ibc";
    case ConverterSubtype::tray_dcdc:
      return "tray_dcdc";
    case ConverterSubtype::vrm:
      return "vrm";
    case ConverterSubtype::battery_converter:
      return "battery_converter";
  }
  return "";
}

std::string_view name(LoadModel model) noexcept {
  switch (model) {
    case LoadModel::constant_power:
      return "constant_power";
    case LoadModel::constant_current:
      return "constant_current";
    case LoadModel::constant_impedance:
      return "constant_impedance";
    case LoadModel::zip:
      return "zip";
    case LoadModel::gpu_rack:
      return "gpu_rack";
  }
  return "load";
}

const Origin* origin_of(const ModelSpec& model, std::int32_t origin) noexcept {
  if (origin < 0 || static_cast<std::size_t>(origin) >= model.origins.size()) return nullptr;
  return &model.origins[static_cast<std::size_t>(origin)];
}

core::SourceLocation location(const ModelSpec& model, Where where) {
  return {model.source_file, where.line, where.column};
}

double installed_rating_w(const Converter& converter) noexcept {
  const Redundancy& r = converter.redundancy;
  return r.modules > 0 ? converter.rating_w * r.installed / r.modules : converter.rating_w;
}

std::string_view name(StorageTechnology technology) noexcept {
  switch (technology) {
    case StorageTechnology::unset:
      return "";
    case StorageTechnology::battery:
      return "battery";
    case StorageTechnology::supercapacitor:
      return "supercapacitor";
  }
  return "";
}

std::optional<double> current_limit_a(const ModelSpec& model, const Converter& converter) {
  const auto& limit = converter.dynamics.current_limit;
  if (!limit) return std::nullopt;
  if (!limit->of_rated) return limit->value;
  if (converter.output < 0 || static_cast<std::size_t>(converter.output) >= model.buses.size())
    return std::nullopt;
  const Bus& out = model.buses[static_cast<std::size_t>(converter.output)];
  // Rated current at nominal voltage: P / V on DC, P / (sqrt(3) V_LL) on AC at unity power
  // factor.
  const double v_v =
      out.kind == BusKind::dc ? out.nominal_voltage_v : std::sqrt(3.0) * out.nominal_voltage_v;
  if (!(v_v > 0.0)) return std::nullopt;
  return limit->value * installed_rating_w(converter) / v_v;
}

namespace {

// A small reader for the redundancy grammar: N, N+k, 2N, 2N+k, 2(N+k), xN/y.
class RuleReader {
 public:
  explicit RuleReader(std::string_view text) {
    for (const char c : text)
      if (std::isspace(static_cast<unsigned char>(c)) == 0)
        text_ += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  bool eat(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  // A positive integer below one million, or 0 when there is none here.
  int number() {
    int value = 0;
    const char* begin = text_.data() + pos_;
    const char* end = text_.data() + text_.size();
    const auto [next, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || value <= 0 || value >= 1'000'000) return 0;
    pos_ += static_cast<std::size_t>(next - begin);
    return value;
  }
  [[nodiscard]] bool done() const { return pos_ == text_.size(); }
  [[nodiscard]] bool empty() const { return text_.empty(); }

 private:
  std::string text_;
  std::size_t pos_ = 0;
};

}  // namespace

int installed_units(std::string_view rule, int modules, std::string* problem) {
  auto fail = [&](std::string why) {
    if (problem != nullptr) *problem = std::move(why);
    return 0;
  };
  if (modules < 1) return fail("modules must be at least 1");
  RuleReader r(rule);
  if (r.empty()) return modules;
  constexpr auto grammar = "write N, N+1, 2N, 2N+1, 2(N+1) or a distributed rule such as 4N/3";
  long long installed = 0;
  int multiplier = 1;
  const bool bracket_form = [&] {
    const int x = r.number();
    if (x != 0) multiplier = x;
    return r.eat('(');
  }();
  if (!r.eat('N')) return fail(fmt::format("'{}' is not a redundancy rule: {}", rule, grammar));
  long long spares = 0;
  if (r.eat('+')) {
    spares = r.number();
    if (spares == 0) return fail(fmt::format("'{}': a number must follow '+'", rule));
  }
  if (bracket_form) {
    if (!r.eat(')')) return fail(fmt::format("'{}': ')' is missing", rule));
    installed = static_cast<long long>(multiplier) * (modules + spares);
    if (r.eat('+')) return fail(fmt::format("'{}': {}", rule, grammar));
  } else if (r.eat('/')) {
    const int divisor = r.number();
    if (divisor == 0 || spares != 0)
      return fail(fmt::format("'{}': a distributed rule is xN/y, e.g. 4N/3", rule));
    if (multiplier <= divisor)
      return fail(fmt::format("'{}': {}N/{} installs fewer units than it needs", rule, multiplier,
                              divisor));
    if (modules % divisor != 0)
      return fail(
          fmt::format("'{}' needs modules to be a multiple of {} (now {}): {} units each "
                      "carry 1/{} of the rating",
                      rule, divisor, modules, multiplier * modules / divisor, divisor));
    installed = static_cast<long long>(modules) / divisor * multiplier;
  } else {
    installed = static_cast<long long>(multiplier) * modules + spares;
  }
  if (!r.done()) return fail(fmt::format("'{}' is not a redundancy rule: {}", rule, grammar));
  if (installed > 1'000'000) return fail(fmt::format("'{}' installs too many units", rule));
  return static_cast<int>(installed);
}

double nominal_load_power_w(const Load& load) noexcept {
  if (load.model == LoadModel::gpu_rack)
    return load.it_power_w * (load.idle_fraction + (1.0 - load.idle_fraction) * load.utilisation);
  return load.p_w;
}

}  // namespace g2g::model
