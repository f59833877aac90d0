#include "g2g/model/spec.hpp"

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

double nominal_load_power_w(const Load& load) noexcept {
  if (load.model == LoadModel::gpu_rack)
    return load.it_power_w * (load.idle_fraction + (1.0 - load.idle_fraction) * load.utilisation);
  return load.p_w;
}

}  // namespace g2g::model
