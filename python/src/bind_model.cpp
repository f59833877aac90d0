// Models from Python: a Model keeps what it was read from (text, format, base directory) with
// the caller's parameter overrides and element edits, and re-reads itself through the API when
// either changes, so that templates re-expand and every check runs again (docs/python.md).
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "bindings.hpp"
#include "g2g/api/solve.hpp"
#include "g2g/core/error.hpp"
#include "g2g/core/fields.hpp"
#include "g2g/io/files.hpp"
#include "g2g/sizing/tables.hpp"

namespace g2g::python {

namespace {

namespace fs = std::filesystem;

api::ModelFormat parse_format(const std::string& format) {
  if (format == "yaml") return api::ModelFormat::yaml;
  if (format == "json") return api::ModelFormat::json;
  if (format == "matpower") return api::ModelFormat::matpower;
  throw InvalidInput("format", fmt::format("format: '{}' is not a model format", format),
                     "give \"yaml\", \"json\" or \"matpower\"");
}

std::string_view format_name(api::ModelFormat format) {
  switch (format) {
    case api::ModelFormat::yaml:
      return "yaml";
    case api::ModelFormat::json:
      return "json";
    case api::ModelFormat::matpower:
      return "matpower";
  }
  return "yaml";
}

class Model {
 public:
  Model(std::string text, api::ModelFormat format, std::string name,
        std::optional<fs::path> base_dir, std::vector<model::ParameterOverride> overrides)
      : text_(std::move(text)),
        format_(format),
        name_(std::move(name)),
        base_dir_(std::move(base_dir)),
        overrides_(std::move(overrides)) {
    model_ = read(overrides_, edits_);
  }

  // Replaces (or adds) one override and reads the model again; unchanged when that fails.
  void set(const std::string& name, const py::handle& value) {
    std::vector<model::ParameterOverride> overrides = overrides_;
    const std::string text = value_text(value, name);
    auto same = std::find_if(overrides.begin(), overrides.end(),
                             [&](const auto& o) { return o.name == name; });
    if (same != overrides.end())
      same->value = text;
    else
      overrides.push_back({name, text});
    model_ = read(overrides, edits_);
    overrides_ = std::move(overrides);
  }

  void edit(const std::string& id, const py::kwargs& values) {
    if (values.empty())
      throw InvalidInput("edit", fmt::format("edit('{}'): give at least one key=value", id),
                         fmt::format("e.g. model.edit(\"{}\", efficiency=\"98.5 %\")", id));
    std::vector<model::ElementEdit> edits = edits_;
    for (const auto& [key, value] : values) {
      const auto key_text = key.cast<std::string>();
      edits.push_back({id, key_text, value_text(value, key_text)});
    }
    model_ = read(overrides_, edits);
    edits_ = std::move(edits);
  }

  [[nodiscard]] const std::shared_ptr<const api::ValidatedModel>& validated() const {
    return model_;
  }
  // A file's stem, else the model's name: its id in a comparison.
  [[nodiscard]] api::ModelText compare_source() const {
    api::ModelText out;
    out.id = from_file_ ? fs::path(name_).stem().string() : model_->spec().name;
    out.text = text_;
    out.format = format_;
    out.name = name_;
    out.base_dir = base_dir_;
    out.overrides = overrides_;
    out.edits = edits_;
    return out;
  }
  void mark_from_file() { from_file_ = true; }

  [[nodiscard]] const std::string& text() const { return text_; }
  [[nodiscard]] std::string_view format() const { return format_name(format_); }
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] std::optional<std::string> base_dir() const {
    if (!base_dir_) return std::nullopt;
    return base_dir_->string();
  }
  [[nodiscard]] py::dict overrides() const {
    py::dict out;
    for (const auto& o : overrides_) out[py::str(o.name)] = o.value;
    return out;
  }
  [[nodiscard]] std::vector<std::tuple<std::string, std::string, std::string>> edits() const {
    std::vector<std::tuple<std::string, std::string, std::string>> out;
    for (const auto& e : edits_) out.emplace_back(e.id, e.key, e.value);
    return out;
  }

 private:
  std::shared_ptr<const api::ValidatedModel> read(
      const std::vector<model::ParameterOverride>& overrides,
      const std::vector<model::ElementEdit>& edits) const {
    api::ModelOptions options;
    options.parameters = overrides;
    options.edits = edits;
    std::optional<api::DesignFiles> designs;
    if (base_dir_) {
      designs.emplace(*base_dir_);
      options.designs = &*designs;
    }
    const py::gil_scoped_release unlocked;
    return std::make_shared<const api::ValidatedModel>(
        api::load_model_text(text_, format_, name_, options));
  }

  std::string text_;
  api::ModelFormat format_;
  std::string name_;
  std::optional<fs::path> base_dir_;
  std::vector<model::ParameterOverride> overrides_;
  std::vector<model::ElementEdit> edits_;
  std::shared_ptr<const api::ValidatedModel> model_;
  bool from_file_ = false;
};

std::vector<model::ParameterOverride> overrides_of(const std::optional<py::dict>& set) {
  std::vector<model::ParameterOverride> out;
  if (!set) return out;
  for (const auto& [name, value] : *set) {
    const auto text = py::str(name).cast<std::string>();
    out.push_back({text, value_text(value, text)});
  }
  return out;
}

// A Solver keeps the models it was made or updated with alive (api::Solver needs them).
class Solver {
 public:
  explicit Solver(const Model& model) : model_(model.validated()), solver_(*model_) {}
  Solved solve() {
    const py::gil_scoped_release unlocked;
    return {model_, solver_.solve()};
  }
  bool update(const Model& model) {
    std::shared_ptr<const api::ValidatedModel> next = model.validated();
    if (!solver_.update(*next)) return false;
    model_ = std::move(next);
    return true;
  }
  bool update_loads(const Model& model) {
    std::shared_ptr<const api::ValidatedModel> next = model.validated();
    if (!solver_.update_loads(*next)) return false;
    model_ = std::move(next);
    return true;
  }

 private:
  std::shared_ptr<const api::ValidatedModel> model_;
  api::Solver solver_;
};

py::dict element_counts(const model::ModelSpec& spec) {
  py::dict out;
  out["buses"] = spec.buses.size();
  out["sources"] = spec.sources.size();
  out["lines"] = spec.lines.size();
  out["transformers"] = spec.transformers.size();
  out["switches"] = spec.switches.size();
  out["converters"] = spec.converters.size();
  out["loads"] = spec.loads.size();
  out["storage"] = spec.storage.size();
  return out;
}

sizing::SizingOptions sizing_options(const py::kwargs& options) {
  sizing::SizingOptions out;
  for (const auto& [key, value] : options) {
    const auto name = key.cast<std::string>();
    if (name == "method") {
      const auto text = py::str(value).cast<std::string>();
      const auto method = sizing::parse_method(text);
      if (!method)
        throw sizing::SizingOptionsError("method", text,
                                         fmt::format("method: '{}' is not an installation "
                                                     "method",
                                                     text),
                                         "give C, E or F (IEC 60364-5-52)");
      out.method = *method;
    } else if (name == "insulation") {
      const auto text = py::str(value).cast<std::string>();
      const auto insulation = sizing::parse_insulation(text);
      if (!insulation)
        throw sizing::SizingOptionsError("insulation", text,
                                         fmt::format("insulation: '{}' is not an insulation", text),
                                         "give xlpe or pvc");
      out.insulation = *insulation;
    } else if (name == "ambient") {
      out.ambient_c = quantity(value, core::Dimension::temperature, name);
    } else if (name == "grouped_circuits") {
      out.grouped_circuits = value.cast<int>();
    } else if (name == "max_voltage_drop") {
      out.max_voltage_drop_pct = 100.0 * quantity(value, core::Dimension::dimensionless, name);
    } else if (name == "max_parallel_runs") {
      out.max_parallel_runs = value.cast<int>();
    } else {
      static const std::vector<std::string_view> known{"method",           "insulation",
                                                       "ambient",          "grouped_circuits",
                                                       "max_voltage_drop", "max_parallel_runs"};
      throw InvalidInput(name, fmt::format("size(): unknown option '{}'", name),
                         core::did_you_mean(name, known, "see help(grid2gpu.size)"));
    }
  }
  return out;
}

py::dict sizing_lines(const sizing::SizingResult& sizing) {
  const std::size_t n = sizing.lines.size();
  py::list id(n), status(n), size_label(n), note(n);
  py::array_t<double> length_m(n), current_a(n), cross_section_m2(n), ampacity_a(n), loading_pct(n),
      voltage_drop_pct(n);
  py::array_t<int> parallel_runs(n);
  for (std::size_t i = 0; i < n; ++i) {
    const sizing::LineSizing& line = sizing.lines[i];
    id[i] = sizing.sized_model.lines.at(static_cast<std::size_t>(line.line)).id;
    status[i] = std::string(sizing::name(line.status));
    size_label[i] = sizing::size_label(line);
    note[i] = sizing::note(line, sizing.options);
    length_m.mutable_at(i) = line.length_m;
    current_a.mutable_at(i) = line.current_a;
    cross_section_m2.mutable_at(i) = line.cross_section_m2;
    parallel_runs.mutable_at(i) = line.parallel_runs;
    ampacity_a.mutable_at(i) = line.ampacity_a;
    loading_pct.mutable_at(i) = line.loading_pct;
    voltage_drop_pct.mutable_at(i) = line.voltage_drop_pct;
  }
  py::dict out;
  out["id"] = id;
  out["status"] = status;
  out["size"] = size_label;
  out["length_m"] = length_m;
  out["current_a"] = current_a;
  out["cross_section_m2"] = cross_section_m2;
  out["parallel_runs"] = parallel_runs;
  out["ampacity_a"] = ampacity_a;
  out["loading_pct"] = loading_pct;
  out["voltage_drop_pct"] = voltage_drop_pct;
  out["note"] = note;
  return out;
}

}  // namespace

std::optional<api::ModelText> model_text(const py::handle& object) {
  if (!py::isinstance<Model>(object)) return std::nullopt;
  return object.cast<const Model&>().compare_source();
}

std::shared_ptr<const api::ValidatedModel> validated_model(const py::handle& object) {
  if (!py::isinstance<Model>(object))
    throw InvalidInput("model", "model: not a grid2gpu.Model",
                       "give a path or a model from grid2gpu.load()");
  return object.cast<const Model&>().validated();
}

void register_model(py::module_& m) {
  py::class_<Model>(m, "Model",
                    "A validated model with what it was read from: its text, format and base "
                    "directory, the parameter overrides and the element edits. set() and edit() "
                    "read it again from the text, so templates re-expand and every check runs.")
      .def("set", &Model::set, py::arg("name"), py::arg("value"),
           "Overrides parameter `name` (text with a unit as the file would write it, or a "
           "number in SI units) and reads the model again. Raises ModelError, leaving the "
           "model unchanged, when the result is not a valid model.")
      .def("edit", &Model::edit, py::arg("id"),
           "Sets keys of element `id` with the model file's own keys and units, e.g. "
           "edit(\"sst1\", efficiency=\"98.5 %\"), and reads the model again. Only elements "
           "written in the top-level component list can be edited. Raises ModelError (unknown "
           "id or key, a value out of range), leaving the model unchanged.")
      .def_property_readonly("text", &Model::text, "The source text the model is read from.")
      .def_property_readonly("format", &Model::format, "\"yaml\", \"json\" or \"matpower\".")
      .def_property_readonly("name", &Model::name,
                             "The file name (or given name) that diagnostics show.")
      .def_property_readonly("base_dir", &Model::base_dir,
                             "Where design: SPEC files resolve, or None (no designs).")
      .def_property_readonly("overrides", &Model::overrides,
                             "Parameter overrides in force, name -> value text.")
      .def_property_readonly("edits", &Model::edits,
                             "Element edits in force, as (id, key, value text), in order.")
      .def_property_readonly(
          "title", [](const Model& self) { return self.validated()->spec().name; },
          "The model's `name:`.")
      .def_property_readonly(
          "counts", [](const Model& self) { return element_counts(self.validated()->spec()); },
          "Buses and elements of each kind after template expansion.")
      .def_property_readonly(
          "parameters",
          [](const Model& self) {
            py::dict out;
            for (const auto& p : self.validated()->spec().parameters)
              out[py::str(p.name)] = p.value_si;
            return out;
          },
          "Every parameter with its final value in SI units.")
      .def_property_readonly(
          "warnings",
          [](const Model& self) {
            const py::object type = py::module_::import("grid2gpu.errors").attr("Diagnostic");
            py::list out;
            for (const auto& d : self.validated()->warnings().items())
              out.append(type("warning", d.where.file, d.where.line, d.where.column, d.where.path,
                              d.message, d.fix));
            return out;
          },
          "Warnings found by validation, as Diagnostic.")
      .def(
          "solve",
          [](const Model& self) {
            std::shared_ptr<const api::ValidatedModel> model = self.validated();
            const py::gil_scoped_release unlocked;
            steady::SolveResult result = api::solve(*model);
            return Solved{std::move(model), std::move(result)};
          },
          "One steady-state power flow (api::solve). Raises NonConvergenceError when the case "
          "has no operating point.");

  m.def(
      "load_file",
      [](const fs::path& path, std::optional<py::dict> set) {
        const api::ModelFormat format = api::format_of(path);
        std::string text;
        {
          const py::gil_scoped_release unlocked;
          text = io::read_text_file(path, 0, io::max_model_file_bytes);
        }
        Model model(std::move(text), format, path.string(), path.parent_path(), overrides_of(set));
        model.mark_from_file();
        return model;
      },
      py::arg("path"), py::arg("set") = py::none(),
      "Reads a model file (.yaml/.yml, .json or .m); design: files resolve beside it. Raises "
      "FileError when it cannot be read, ModelError when it is not a valid model.");
  m.def(
      "load_text",
      [](std::string text, const std::string& format, const std::string& name,
         std::optional<fs::path> base_dir, std::optional<py::dict> set) {
        return Model(std::move(text), parse_format(format), name, std::move(base_dir),
                     overrides_of(set));
      },
      py::arg("text"), py::arg("format"), py::arg("name"), py::arg("base_dir") = py::none(),
      py::arg("set") = py::none(),
      "Reads a model from text (format \"yaml\", \"json\" or \"matpower\"); `name` appears in "
      "diagnostics; design: files resolve in base_dir (None: a design is an error).");

  py::class_<Solver>(m, "Solver",
                     "A solver that keeps its network, ordering and symbolic factorisation and "
                     "starts each solve from the last solution (api::Solver): for many solves "
                     "of one structure. Use one Solver from one thread at a time.")
      .def(py::init<const Model&>(), py::arg("model"), "A solver for `model`'s structure.")
      .def("solve", &Solver::solve, "Solves from the last solution (NonConvergenceError).")
      .def("update", &Solver::update, py::arg("model"),
           "Takes a model of the same structure with new values; False (nothing changed) when "
           "the structure differs.")
      .def("update_loads", &Solver::update_loads, py::arg("model"),
           "Takes a model that differs only in its loads' values, re-stamping the loads alone; "
           "False when anything else differs in count or place.");

  m.def(
      "size",
      [](const Model& model, int passes, const py::kwargs& options) {
        const sizing::SizingOptions parsed = sizing_options(options);
        std::shared_ptr<const api::ValidatedModel> validated = model.validated();
        sizing::IterativeSizing sized;
        {
          const py::gil_scoped_release unlocked;
          sized = api::size(*validated, sizing::default_tables(), parsed, passes);
        }
        py::dict out;
        out["lines"] = sizing_lines(sized.sizing);
        out["passes"] = sized.passes;
        out["stable"] = sized.stable;
        out["copper_kg"] = sized.sizing.totals.copper_kg;
        return out;
      },
      py::arg("model"), py::arg("passes") = 4,
      "Sizes every low-voltage cable and busbar (api::size), re-solving until the sizes "
      "settle. Options: method (C/E/F), insulation (xlpe/pvc), ambient, grouped_circuits, "
      "max_voltage_drop, max_parallel_runs. Raises SizingOptionsError for an option outside "
      "the tables.");
}

}  // namespace g2g::python
