#include <pybind11/pybind11.h>

#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() =
      "grid2gpu's C++ core: models, solves, sizing, comparisons, simulations and converters "
      "through the library's API (src/g2g/api). Use the package `grid2gpu`, which wraps this "
      "module.";
  g2g::python::register_errors(m);
  g2g::python::register_model(m);
  g2g::python::register_results(m);
  g2g::python::register_compare(m);
  g2g::python::register_converter(m);
  g2g::python::register_report(m);
  g2g::python::register_sweep(m);
  g2g::python::register_simulate(m);
}
