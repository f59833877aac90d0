// A solve's tables as columns (numpy arrays of numbers, lists of text) with exactly the columns
// and labels of the CSV writer (io/results_csv.cpp, io::element_label), which grid2gpu.Result
// turns into pandas DataFrames equal to pd.read_csv of the CSV files (docs/python.md).
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "bindings.hpp"
#include "g2g/core/error.hpp"
#include "g2g/io/result_labels.hpp"
#include "g2g/io/results_csv.hpp"

namespace g2g::python {

namespace {

// Empty text is a missing value, as pandas reads an empty CSV field.
py::object text_or_missing(std::string_view text) {
  if (text.empty()) return py::float_(std::numeric_limits<double>::quiet_NaN());
  return py::str(text.data(), text.size());
}

class NumberColumn {
 public:
  explicit NumberColumn(std::size_t n)
      : array_(static_cast<py::ssize_t>(n)), at_(array_.mutable_data()) {}
  double& operator[](std::size_t i) { return at_[i]; }
  py::array_t<double> take() { return std::move(array_); }

 private:
  py::array_t<double> array_;
  double* at_;
};

py::dict bus_columns(const Solved& s) {
  const model::ModelSpec& spec = s.model->spec();
  const auto& buses = s.result.buses;
  const std::size_t n = buses.size();
  py::list id(n), kind(n);
  NumberColumn voltage_v(n), v_pu(n), angle_deg(n), nominal_voltage_v(n);
  py::array_t<bool> energised(static_cast<py::ssize_t>(n));
  bool* energised_at = energised.mutable_data();
  for (std::size_t i = 0; i < n; ++i) {
    const steady::BusResult& bus = buses[i];
    const model::Bus& b = spec.buses.at(static_cast<std::size_t>(bus.bus));
    id[i] = text_or_missing(b.id);
    kind[i] = text_or_missing(io::bus_kind_name(b.kind));
    voltage_v[i] = bus.voltage_v;
    v_pu[i] = bus.v_pu;
    angle_deg[i] = bus.angle_deg;
    nominal_voltage_v[i] = b.nominal_voltage_v;
    energised_at[i] = bus.energised;
  }
  py::dict out;
  out["id"] = id;
  out["kind"] = kind;
  out["voltage_v"] = voltage_v.take();
  out["v_pu"] = v_pu.take();
  out["angle_deg"] = angle_deg.take();
  out["nominal_voltage_v"] = nominal_voltage_v.take();
  out["energised"] = energised;
  return out;
}

py::dict element_columns(const Solved& s) {
  const model::ModelSpec& spec = s.model->spec();
  const auto& elements = s.result.elements;
  const std::size_t n = elements.size();
  py::list id(n), type(n), kind(n), subtype(n), from_bus(n), to_bus(n);
  NumberColumn p_in_w(n), p_out_w(n), q_in_var(n), q_out_var(n), loss_w(n), current_a(n),
      current_out_a(n), loading_pct(n);
  for (std::size_t i = 0; i < n; ++i) {
    const steady::ElementResult& e = elements[i];
    const io::ElementLabel label = io::element_label(spec, e);
    id[i] = text_or_missing(label.id);
    type[i] = text_or_missing(label.type);
    kind[i] = text_or_missing(label.kind);
    subtype[i] = text_or_missing(label.subtype);
    from_bus[i] = text_or_missing(label.from_bus != nullptr ? label.from_bus->id : "");
    to_bus[i] = text_or_missing(label.to_bus != nullptr ? label.to_bus->id : "");
    p_in_w[i] = e.p_in_w;
    p_out_w[i] = e.p_out_w;
    q_in_var[i] = e.q_in_var;
    q_out_var[i] = e.q_out_var;
    loss_w[i] = e.loss_w;
    current_a[i] = e.current_a;
    current_out_a[i] = e.current_out_a;
    loading_pct[i] = e.loading_pct;
  }
  py::dict out;
  out["id"] = id;
  out["type"] = type;
  out["kind"] = kind;
  out["subtype"] = subtype;
  out["from_bus"] = from_bus;
  out["to_bus"] = to_bus;
  out["p_in_w"] = p_in_w.take();
  out["p_out_w"] = p_out_w.take();
  out["q_in_var"] = q_in_var.take();
  out["q_out_var"] = q_out_var.take();
  out["loss_w"] = loss_w.take();
  out["current_a"] = current_a.take();
  out["current_out_a"] = current_out_a.take();
  out["loading_pct"] = loading_pct.take();
  return out;
}

py::dict total_columns(const Solved& s) {
  const steady::Totals& totals = s.result.totals;
  py::list category, name;
  std::vector<double> values;
  const auto row = [&](std::string_view c, std::string_view n, double value) {
    category.append(text_or_missing(c));
    name.append(text_or_missing(n));
    values.push_back(value);
  };
  io::for_each_total(totals, row);
  py::dict out;
  out["category"] = category;
  out["name"] = name;
  out["value"] = py::array_t<double>(static_cast<py::ssize_t>(values.size()), values.data());
  return out;
}

py::dict violation_columns(const Solved& s) {
  const auto& violations = s.result.violations;
  const std::size_t n = violations.size();
  py::list kind(n), element_id(n), unit(n);
  NumberColumn value(n), limit(n);
  for (std::size_t i = 0; i < n; ++i) {
    const steady::Violation& v = violations[i];
    kind[i] = text_or_missing(steady::violation_kind_name(v.kind));
    element_id[i] = text_or_missing(v.element_id);
    value[i] = v.value;
    limit[i] = v.limit;
    unit[i] = text_or_missing(steady::violation_unit(v.kind));
  }
  py::dict out;
  out["kind"] = kind;
  out["element_id"] = element_id;
  out["value"] = value.take();
  out["limit"] = limit.take();
  out["unit"] = unit;
  return out;
}

}  // namespace

void register_results(py::module_& m) {
  py::class_<steady::SolveStats>(m, "SolveStats", "How a solve went.")
      .def_readonly("iterations", &steady::SolveStats::iterations, "Newton iterations.")
      .def_readonly("max_mismatch_pu", &steady::SolveStats::max_mismatch_pu,
                    "Largest power mismatch at the solution, per unit.")
      .def_readonly("unknowns", &steady::SolveStats::unknowns, "Unknowns of the Newton system.")
      .def_readonly("jacobian_nonzeros", &steady::SolveStats::jacobian_nonzeros,
                    "Non-zeros of the Jacobian.")
      .def_readonly("solve_seconds", &steady::SolveStats::solve_seconds, "Wall time of the solve.")
      .def_readonly("used_fallback", &steady::SolveStats::used_fallback,
                    "Whether damping or load continuation was needed.")
      .def("__repr__", [](const steady::SolveStats& s) {
        return "SolveStats(iterations=" + std::to_string(s.iterations) +
               ", max_mismatch_pu=" + py::repr(py::float_(s.max_mismatch_pu)).cast<std::string>() +
               ")";
      });

  py::class_<Solved>(m, "SolveResult",
                     "A steady-state solution with the model it belongs to. grid2gpu.Result "
                     "wraps it with DataFrames.")
      .def_property_readonly(
          "converged", [](const Solved& s) { return s.result.converged; },
          "Whether the solve converged (a solve that did not raises instead).")
      .def_property_readonly(
          "stats", [](const Solved& s) { return s.result.stats; }, "Iterations and mismatch.")
      .def(
          "columns",
          [](const Solved& s, const std::string& table) {
            if (table == "buses") return bus_columns(s);
            if (table == "elements") return element_columns(s);
            if (table == "totals") return total_columns(s);
            if (table == "violations") return violation_columns(s);
            throw InvalidInput("table", "table: '" + table + "' is not a result table",
                               "give buses, elements, totals or violations");
          },
          py::arg("table"),
          "The columns of one table (buses, elements, totals, violations), named as in the CSV "
          "files: numbers as float64 arrays, text as lists (missing text is NaN).")
      .def(
          "write_csv",
          [](const Solved& s, const std::filesystem::path& directory) {
            const py::gil_scoped_release unlocked;
            io::write_results_csv(directory, s.model->spec(), s.result);
          },
          py::arg("directory"),
          "Writes buses.csv, elements.csv, totals.csv and violations.csv into `directory` "
          "(io::write_results_csv, as `grid2gpu solve --csv`).");
}

}  // namespace g2g::python
