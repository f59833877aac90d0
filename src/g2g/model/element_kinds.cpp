#include "g2g/model/element_kinds.hpp"

namespace g2g::model {

std::string_view element_kind_name(ElementKind kind) noexcept {
  std::string_view found = "element";
  for_each_model_kind([&]<typename K>() {
    if (K::kind == kind) found = K::name;
  });
  return found;
}

std::size_t element_count(const ModelSpec& model) noexcept {
  std::size_t count = 0;
  for_each_model_kind([&]<typename K>() { count += K::elements(model).size(); });
  return count;
}

bool identify(const ModelSpec& model, ElementKind kind, std::size_t index, ElementIdentity& out) {
  bool found = false;
  for_each_model_kind([&]<typename K>() {
    if (K::kind != kind) return;
    const auto& elements = K::elements(model);
    if (index >= elements.size()) return;
    const auto& e = elements[index];
    out.id = &e.id;
    out.label = K::label(e);
    out.where = &e.where;
    out.origin = e.origin;
    if constexpr (requires { e.in_service; }) out.in_service = e.in_service;
    const auto ports = K::ports(e);
    out.first_bus = *ports[0];
    out.second_bus = ports.size() > 1 ? *ports[1] : no_bus;
    found = true;
  });
  return found;
}

}  // namespace g2g::model
