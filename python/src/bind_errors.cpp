// Every g2g::Error reaches Python as a typed exception of grid2gpu.errors with the C++ fields
// (docs/python.md, "Errors"); anything else as InternalError with the CLI's "please report"
// wording. Python's own errors (pybind11's casts, KeyboardInterrupt) pass through unchanged.
#include <pybind11/stl.h>

#include <new>

#include "bindings.hpp"
#include "g2g/converters/converter.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/io/files.hpp"
#include "g2g/sizing/sizing.hpp"
#include "g2g/steady/solver.hpp"
#include "g2g/study/comparison.hpp"

namespace g2g::python {

namespace {

// Raises grid2gpu.errors.<name>(*args) as the pending Python exception.
template <typename... Args>
void raise(const char* name, Args&&... args) {
  const py::object type = py::module_::import("grid2gpu.errors").attr(name);
  const py::object instance = type(std::forward<Args>(args)...);
  PyErr_SetObject(type.ptr(), instance.ptr());
}

py::object diagnostic(const core::Diagnostic& d) {
  const py::object type = py::module_::import("grid2gpu.errors").attr("Diagnostic");
  return type(d.severity == core::Severity::error ? "error" : "warning", d.where.file, d.where.line,
              d.where.column, d.where.path, d.message, d.fix);
}

void translate(std::exception_ptr pending) {
  try {
    std::rethrow_exception(pending);
  } catch (const py::error_already_set&) {
    throw;  // a Python exception (KeyboardInterrupt from a cancelled call): pybind11 restores it
  } catch (const py::builtin_exception&) {
    throw;  // pybind11's own (cast_error, index_error, ...)
  } catch (const core::ModelError& e) {
    py::list items;
    for (const auto& d : e.diagnostics().items()) items.append(diagnostic(d));
    raise("ModelError", e.what(), items);
  } catch (const steady::NonConvergenceError& e) {
    raise("NonConvergenceError", e.what(), e.worst_bus_id(), e.iterations(), e.max_mismatch_pu());
  } catch (const io::FileError& e) {
    raise("FileError", e.what(), e.path().string(), e.operation(), e.reason());
  } catch (const converters::DesignError& e) {
    raise("DesignError", e.what(), e.design(), e.field(), e.fix());
  } catch (const sizing::SizingOptionsError& e) {
    raise("SizingOptionsError", e.what(), e.option(), e.value(), e.fix());
  } catch (const InvalidInput& e) {
    raise("InvalidInput", e.what(), e.subject(), e.fix());
  } catch (const dynamic::IntegrationError& e) {
    raise("IntegrationError", e.what(), e.function(), e.flag(), e.flag_name(),
          e.sundials_message());
  } catch (const study::ItLoadMismatch& e) {
    raise("InvalidInput", e.what(), "it_load_tolerance", e.fix());
  } catch (const Error& e) {
    switch (e.kind()) {
      case ErrorKind::invalid_input:
        raise("InvalidInput", e.what(), "", e.fix());
        return;
      case ErrorKind::file:
        raise("FileError", e.what(), "", "", e.message());
        return;
      case ErrorKind::no_solution:
        raise("NonConvergenceError", e.what(), "", 0, 0.0);
        return;
      case ErrorKind::integration:  // not a dynamic::IntegrationError: no IDA fields
        raise("IntegrationError", e.what());
        return;
      case ErrorKind::internal:
        break;
    }
    raise("InternalError", std::string(e.what()) + " (this is a bug; please report it)");
  } catch (const std::bad_alloc&) {
    PyErr_SetString(PyExc_MemoryError, "grid2gpu: out of memory");
  } catch (const std::exception& e) {
    raise("InternalError",
          std::string(e.what()) + " (this is a bug; please report it with the input file)");
  }
}

}  // namespace

void register_errors(py::module_& m) {
  py::register_exception_translator(translate);
  m.def(
      "_raise_internal_error_for_test", [] { throw std::logic_error("a broken invariant"); },
      "Throws a C++ std::logic_error, which reaches Python as InternalError (for the tests).");
}

}  // namespace g2g::python
