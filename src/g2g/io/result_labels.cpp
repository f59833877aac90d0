#include "g2g/io/result_labels.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace g2g::io {

namespace {

const model::Bus* bus_at(const model::ModelSpec& model, model::BusIndex bus) {
  if (bus < 0 || static_cast<std::size_t>(bus) >= model.buses.size()) return nullptr;
  return &model.buses[static_cast<std::size_t>(bus)];
}

}  // namespace

std::string_view bus_kind_name(model::BusKind kind) noexcept {
  return model::name(kind);
}

ElementLabel element_label(const model::ModelSpec& model, const steady::ElementResult& element) {
  model::ElementIdentity identity;
  if (element.index < 0 ||
      !model::identify(model, element.type, static_cast<std::size_t>(element.index), identity))
    throw std::out_of_range(fmt::format("result refers to {} #{}, which the model does not have",
                                        steady::element_type_name(element.type), element.index));
  ElementLabel label;
  label.type = steady::element_type_name(element.type);
  label.id = *identity.id;
  label.kind = identity.label;
  label.from_bus = bus_at(model, identity.first_bus);
  label.to_bus = bus_at(model, identity.second_bus);
  if (element.type == steady::ElementType::converter)
    label.subtype = model::name(model.converters[static_cast<std::size_t>(element.index)].subtype);
  return label;
}

}  // namespace g2g::io
