#include "g2g/io/result_labels.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace g2g::io {

namespace {

template <typename T>
const T& element_at(const std::vector<T>& items, std::int32_t index, steady::ElementType type) {
  if (index < 0 || static_cast<std::size_t>(index) >= items.size()) {
    throw std::out_of_range(fmt::format("result refers to {} #{} but the model has {}",
                                        steady::element_type_name(type), index, items.size()));
  }
  return items[static_cast<std::size_t>(index)];
}

const model::Bus* bus_at(const model::ModelSpec& model, model::BusIndex bus) {
  if (bus < 0 || static_cast<std::size_t>(bus) >= model.buses.size()) return nullptr;
  return &model.buses[static_cast<std::size_t>(bus)];
}

std::string_view source_kind(model::SourceType type) {
  switch (type) {
    case model::SourceType::utility:
      return "utility";
    case model::SourceType::generator:
      return "generator";
    case model::SourceType::dc_source:
      return "dc_source";
  }
  return {};
}

std::string_view line_kind(model::LineType type) {
  switch (type) {
    case model::LineType::cable:
      return "cable";
    case model::LineType::busbar:
      return "busbar";
    case model::LineType::overhead:
      return "overhead";
  }
  return {};
}

std::string_view converter_kind(model::ConverterType type) {
  switch (type) {
    case model::ConverterType::rectifier:
      return "rectifier";
    case model::ConverterType::dcdc:
      return "dcdc";
    case model::ConverterType::inverter:
      return "inverter";
    case model::ConverterType::ups:
      return "ups";
  }
  return {};
}

std::string_view load_kind(model::LoadModel type) {
  switch (type) {
    case model::LoadModel::constant_power:
      return "constant_power";
    case model::LoadModel::constant_current:
      return "constant_current";
    case model::LoadModel::constant_impedance:
      return "constant_impedance";
    case model::LoadModel::zip:
      return "zip";
    case model::LoadModel::gpu_rack:
      return "gpu_rack";
  }
  return {};
}

}  // namespace

std::string_view bus_kind_name(model::BusKind kind) noexcept {
  return kind == model::BusKind::ac ? "ac" : "dc";
}

std::string_view violation_unit(steady::ViolationKind kind) noexcept {
  switch (kind) {
    case steady::ViolationKind::under_voltage:
    case steady::ViolationKind::over_voltage:
      return "pu";
    case steady::ViolationKind::overload:
    case steady::ViolationKind::ampacity:
      return "pct";
    case steady::ViolationKind::reactive_limit:
      return "var";
  }
  return {};
}

ElementLabel element_label(const model::ModelSpec& model, const steady::ElementResult& element) {
  ElementLabel label;
  label.type = steady::element_type_name(element.type);
  const auto index = element.index;
  switch (element.type) {
    case steady::ElementType::source: {
      const auto& e = element_at(model.sources, index, element.type);
      label.id = e.id;
      label.kind = source_kind(e.type);
      label.from_bus = bus_at(model, e.bus);
      break;
    }
    case steady::ElementType::line: {
      const auto& e = element_at(model.lines, index, element.type);
      label.id = e.id;
      label.kind = line_kind(e.type);
      label.from_bus = bus_at(model, e.from);
      label.to_bus = bus_at(model, e.to);
      break;
    }
    case steady::ElementType::transformer: {
      const auto& e = element_at(model.transformers, index, element.type);
      label.id = e.id;
      label.from_bus = bus_at(model, e.hv);
      label.to_bus = bus_at(model, e.lv);
      break;
    }
    case steady::ElementType::switch_: {
      const auto& e = element_at(model.switches, index, element.type);
      label.id = e.id;
      label.from_bus = bus_at(model, e.from);
      label.to_bus = bus_at(model, e.to);
      break;
    }
    case steady::ElementType::converter: {
      const auto& e = element_at(model.converters, index, element.type);
      label.id = e.id;
      label.kind = converter_kind(e.type);
      label.subtype = e.subtype;
      label.from_bus = bus_at(model, e.input);
      label.to_bus = bus_at(model, e.output);
      break;
    }
    case steady::ElementType::load: {
      const auto& e = element_at(model.loads, index, element.type);
      label.id = e.id;
      label.kind = load_kind(e.model);
      label.from_bus = bus_at(model, e.bus);
      break;
    }
    case steady::ElementType::storage: {
      const auto& e = element_at(model.storage, index, element.type);
      label.id = e.id;
      label.from_bus = bus_at(model, e.bus);
      break;
    }
  }
  return label;
}

}  // namespace g2g::io
