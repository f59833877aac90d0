#include <fmt/format.h>

#include "bindings.hpp"
#include "g2g/core/error.hpp"
#include "g2g/io/result_labels.hpp"

namespace g2g::python {

double quantity(const py::handle& value, core::Dimension dimension, const std::string& name) {
  if (py::isinstance<py::str>(value)) {
    const auto text = value.cast<std::string>();
    const core::ParsedQuantity parsed = core::parse_quantity(text, dimension);
    if (!parsed.ok)
      throw InvalidInput(name, fmt::format("{}: {}", name, parsed.error.message), parsed.error.fix);
    return parsed.value;
  }
  if (py::isinstance<py::float_>(value) || py::isinstance<py::int_>(value))
    return value.cast<double>();
  throw InvalidInput(name, fmt::format("{}: give a number in SI units or text with a unit", name),
                     fmt::format("e.g. {}=\"{}\"", name, core::dimension_example(dimension)));
}

std::string value_text(const py::handle& value, const std::string& name) {
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>() ? "true" : "false";
  if (py::isinstance<py::float_>(value) || py::isinstance<py::int_>(value)) {
    std::string text;
    if (!io::append_shortest(text, value.cast<double>()))
      throw InvalidInput(name, fmt::format("{}: the value must be finite", name));
    return text;
  }
  throw InvalidInput(name,
                     fmt::format("{}: give text as the model file would write it, or a number "
                                 "in SI units",
                                 name),
                     "e.g. \"1 MW\" or 1e6");
}

}  // namespace g2g::python
