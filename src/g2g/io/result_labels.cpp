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

}  // namespace

std::string_view bus_kind_name(model::BusKind kind) noexcept {
  return model::name(kind);
}

ElementLabel element_label(const model::ModelSpec& model, const steady::ElementResult& element) {
  ElementLabel label;
  label.type = steady::element_type_name(element.type);
  const auto index = element.index;
  switch (element.type) {
    case steady::ElementType::source: {
      const auto& e = element_at(model.sources, index, element.type);
      label.id = e.id;
      label.kind = model::name(e.type);
      label.from_bus = bus_at(model, e.bus);
      break;
    }
    case steady::ElementType::line: {
      const auto& e = element_at(model.lines, index, element.type);
      label.id = e.id;
      label.kind = model::name(e.type);
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
      label.kind = model::name(e.type);
      label.subtype = model::name(e.subtype);
      label.from_bus = bus_at(model, e.input);
      label.to_bus = bus_at(model, e.output);
      break;
    }
    case steady::ElementType::load: {
      const auto& e = element_at(model.loads, index, element.type);
      label.id = e.id;
      label.kind = model::name(e.model);
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
