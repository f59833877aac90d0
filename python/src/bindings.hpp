// The `_core` extension of the grid2gpu Python package (docs/python.md). It binds the API layer
// (src/g2g/api/) and the report, nothing below them where avoidable, so that the CLI and the
// module cannot disagree. One file per concern, each with a register_* function that module.cpp
// calls in order (errors first: every other binding raises them).
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <optional>
#include <string>

#include "g2g/api/compare.hpp"
#include "g2g/api/model.hpp"
#include "g2g/core/units.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::python {

namespace py = pybind11;

void register_errors(py::module_& m);     // bind_errors.cpp: translators to grid2gpu.errors
void register_model(py::module_& m);      // bind_model.cpp: load, Model, Solver, size
void register_results(py::module_& m);    // bind_results.cpp: SolveResult columns, CSV writer
void register_compare(py::module_& m);    // bind_compare.cpp: api::compare
void register_converter(py::module_& m);  // bind_converter.cpp: api/converter.hpp
void register_report(py::module_& m);     // bind_report.cpp: report::render_html
void register_sweep(py::module_& m);      // bind_sweep.cpp: plans, batches, parts, back-end
void register_simulate(py::module_& m);   // bind_simulate.cpp: api::simulate

// A solve and the model it belongs to (a result refers to buses and elements by index), shared
// with the Model or Solver that made it so that either may be dropped first.
struct Solved {
  std::shared_ptr<const api::ValidatedModel> model;
  steady::SolveResult result;
};

// What api::compare needs to read a grid2gpu.Model again (its text, overrides and edits), or
// nothing when `object` is not a Model (bind_model.cpp).
std::optional<api::ModelText> model_text(const py::handle& object);

// The validated model of a grid2gpu.Model (shared: it lives as long as a run needs it). Throws
// g2g::InvalidInput (subject "model") when `object` is not one (bind_model.cpp).
std::shared_ptr<const api::ValidatedModel> validated_model(const py::handle& object);

// A quantity given from Python: a number in SI units, or text with a unit ("400 V") read by
// core::parse_quantity. Throws g2g::InvalidInput naming `name` otherwise.
double quantity(const py::handle& value, core::Dimension dimension, const std::string& name);

// The text a model file would hold for `value`: a str as given, a number in its shortest
// round-trip form (SI, no unit), a bool as true/false. Throws g2g::InvalidInput naming `name`.
std::string value_text(const py::handle& value, const std::string& name);

}  // namespace g2g::python
