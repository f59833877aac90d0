#include "g2g/io/converter_designs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <system_error>
#include <tuple>

#include "g2g/converters/tabulate.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/io/device_library.hpp"
#include "g2g/io/files.hpp"
#include "g2g/magnetics/library.hpp"

namespace g2g::io {

namespace {

namespace fs = std::filesystem;

// Adjacent stages must meet at one bus voltage (upstream nominal output, downstream nominal
// input) to this relative tolerance.
constexpr double bus_tolerance = 0.01;

fs::path directory_of(const fs::path& file) {
  const fs::path dir = file.parent_path();
  return dir.empty() ? fs::path(".") : dir;
}

// Reads SPEC files recursively, each once per chain path; parts directories once.
class SpecReader {
 public:
  explicit SpecReader(fs::path devices_override) : devices_override_(std::move(devices_override)) {}

  LoadedConverterSpec load(const fs::path& path) {
    const std::string text = read_text_file(path);
    converters::ConverterSpec spec = converters::parse_converter_spec_file(text, path.string());
    LoadedConverterSpec out;
    out.published = std::move(spec.published);
    core::DiagnosticList problems;
    if (!spec.is_chain) {
      out.assembly.kind = converters::Assembly::Kind::physics;
      out.assembly.name = spec.design.name;
      out.assembly.design = std::move(spec.design);
      out.assembly.parts = parts_for(path, spec, problems);
    } else {
      stack_.push_back(fs::weakly_canonical(path));
      load_chain(path, spec, out.assembly, problems);
      stack_.pop_back();
    }
    if (problems.has_errors()) throw core::ModelError(std::move(problems));
    return out;
  }

 private:
  std::shared_ptr<const std::vector<devices::Device>> parts_for(
      const fs::path& path, const converters::ConverterSpec& spec, core::DiagnosticList& problems) {
    fs::path dir = devices_override_;
    if (dir.empty()) {
      if (spec.device_library.empty()) return nullptr;
      dir = directory_of(path) / spec.device_library;
      if (!resolves_inside(directory_of(path), dir)) {
        problems.error(spec.device_library_at,
                       fmt::format("device_library '{}' resolves outside the SPEC's directory "
                                   "(a symbolic link?)",
                                   spec.device_library),
                       "copy the part files into a folder below this SPEC");
        return nullptr;
      }
    }
    auto found = parts_.find(dir);
    if (found != parts_.end()) return found->second;
    try {
      auto parts = std::make_shared<const std::vector<devices::Device>>(
          read_device_library_over_defaults(dir));
      parts_.emplace(dir, parts);
      return parts;
    } catch (const FileError& error) {
      problems.error(spec.device_library_at,
                     fmt::format("cannot read the parts in '{}': {}", dir.string(), error.reason()),
                     "give a directory of part files relative to this SPEC");
    } catch (const core::ModelError& error) {
      problems.append(error.diagnostics());
    }
    return nullptr;
  }

  void load_chain(const fs::path& path, converters::ConverterSpec& spec, converters::Assembly& a,
                  core::DiagnosticList& problems) {
    a.kind = converters::Assembly::Kind::chain;
    a.name = spec.chain.name.empty() ? path.filename().string() : spec.chain.name;
    a.rating_w = spec.chain.rating_w;
    a.assumptions = std::move(spec.chain.assumptions);
    for (std::size_t j = 0; j < spec.chain.stages.size(); ++j) {
      converters::StageSpec& s = spec.chain.stages[j];
      converters::Stage& stage = a.stages.emplace_back();
      stage.input_series = s.input_series;
      stage.modules = s.modules;
      if (s.design_file.empty()) {
        stage.label = s.curve.name.empty() ? fmt::format("curve {}", j + 1) : s.curve.name;
        stage.module.kind = converters::Assembly::Kind::curve;
        stage.module.name = stage.label;
        stage.module.curve = std::move(s.curve);
        continue;
      }
      stage.label = s.design_file;
      if (!load_stage(path, s, stage, j, problems)) continue;
      if (!s.primary_device.empty()) {
        if (stage.module.kind != converters::Assembly::Kind::physics)
          problems.error(s.where,
                         fmt::format("stage {}: primary_device replaces a design's part, but "
                                     "'{}' is not one design",
                                     j + 1, s.design_file),
                         "drop primary_device, or name the stage's single-design SPEC");
        else
          stage.module.design.primary_device = s.primary_device;
      }
    }
    if (problems.has_errors()) return;
    for (std::size_t j = 1; j < a.stages.size(); ++j) {
      const double up_v = converters::nominal(a.stages[j - 1]).v_out_v;
      const double down_v = converters::nominal(a.stages[j]).v_in_v;
      if (!(std::abs(up_v - down_v) <= bus_tolerance * std::max(up_v, down_v)))
        problems.error(
            spec.chain.stages[j].where,
            fmt::format("stage {} takes {:g} V in (input_series {} x its nominal input) but "
                        "stage {} gives {:g} V out",
                        j + 1, down_v, a.stages[j].input_series, j, up_v),
            "choose input_series and the stage designs so that the bus voltages agree within 1 %");
    }
  }

  bool load_stage(const fs::path& chain_path, const converters::StageSpec& s,
                  converters::Stage& stage, std::size_t j, core::DiagnosticList& problems) {
    const fs::path dir = directory_of(chain_path);
    const fs::path file = dir / s.design_file;
    if (!resolves_inside(dir, file)) {
      problems.error(s.design_file_at,
                     fmt::format("stage design '{}' resolves outside the SPEC's directory (a "
                                 "symbolic link?)",
                                 s.design_file),
                     "copy the stage's SPEC into this SPEC's directory or a folder below it");
      return false;
    }
    const fs::path resolved = fs::weakly_canonical(file);
    if (std::find(stack_.begin(), stack_.end(), resolved) != stack_.end()) {
      problems.error(s.design_file_at,
                     fmt::format("stage {}: '{}' contains this chain (a chain cannot contain "
                                 "itself)",
                                 j + 1, s.design_file),
                     "name the stage's own SPEC, not a chain that leads back here");
      return false;
    }
    try {
      LoadedConverterSpec loaded = load(file);
      stage.module = std::move(loaded.assembly);
      return true;
    } catch (const FileError& error) {
      problems.error(
          s.design_file_at,
          fmt::format("stage {}: cannot read '{}': {}", j + 1, s.design_file, error.reason()),
          "give the stage's SPEC file relative to this SPEC");
    } catch (const core::ModelError& error) {
      problems.append(error.diagnostics());
      problems.error(s.design_file_at,
                     fmt::format("stage {}: '{}' has errors (above)", j + 1, s.design_file),
                     "fix the stage's SPEC file");
    }
    return false;
  }

  fs::path devices_override_;
  std::vector<fs::path> stack_;  // chains being read (resolved paths), to refuse cycles
  std::map<fs::path, std::shared_ptr<const std::vector<devices::Device>>> parts_;
};

}  // namespace

LoadedConverterSpec load_converter_spec(const std::filesystem::path& path,
                                        const std::filesystem::path& devices_override) {
  return SpecReader(devices_override).load(path);
}

void resolve_converter_designs(model::ModelSpec& m, const std::filesystem::path& model_dir,
                               std::span<const std::filesystem::path> allowed) {
  ConverterDesignCache cache;  // each SPEC read once, each curve evaluated once
  resolve_converter_designs(m, model_dir, allowed, cache);
}

void resolve_converter_designs(model::ModelSpec& m, const std::filesystem::path& model_dir,
                               std::span<const std::filesystem::path> allowed,
                               ConverterDesignCache& cache) {
  auto& designs = cache.designs;
  using CurveKey = ConverterDesignCache::CurveKey;
  auto& curves = cache.curves;
  // SPECs that could not be had: reported for the first converter naming each, not once per
  // rack stamped from the same template.
  std::set<std::filesystem::path> failed;
  core::DiagnosticList problems;
  for (auto& c : m.converters) {
    if (c.design_file.empty() || !c.efficiency.empty()) continue;
    const auto where = model::location(m, c.where);
    const std::filesystem::path path = model_dir / c.design_file;
    auto found = designs.find(path);
    if (found == designs.end()) {
      if (!failed.insert(path).second) continue;
      // Checked before anything is opened: a model from someone else must not make grid2gpu
      // read, and echo in diagnostics, a file outside what it may reference.
      if (const std::string problem = reference_problem(model_dir, c.design_file, allowed);
          !problem.empty()) {
        problems.error(
            where, fmt::format("converter '{}': design '{}' {}", c.id, c.design_file, problem),
            "put the SPEC file in the model's directory or a folder below it, or "
            "allow its directory (--allow-path DIR; in the API, ModelOptions::allowed_paths)");
        continue;
      }
      try {
        found = designs.emplace(path, load_converter_spec(path).assembly).first;
      } catch (const FileError& error) {
        problems.error(
            where, fmt::format("converter '{}': cannot read its design: {}", c.id, error.reason()),
            "give the SPEC file's path relative to the model file");
        continue;
      } catch (const core::ModelError& error) {
        problems.append(error.diagnostics());
        problems.error(where, fmt::format("converter '{}': its design has errors (above)", c.id),
                       "fix the SPEC file");
        continue;
      }
    }
    const auto& bus_in = m.buses[static_cast<std::size_t>(c.input)];
    const auto& bus_out = m.buses[static_cast<std::size_t>(c.output)];
    // A single-phase design (a PFC) on a three-phase bus is connected line to neutral.
    const double v_in =
        bus_in.kind == model::BusKind::ac && converters::single_phase_input(found->second)
            ? bus_in.nominal_voltage_v / std::sqrt(3.0)
            : bus_in.nominal_voltage_v;
    const double v_out = bus_out.nominal_voltage_v;
    // Racks stamped from one template share their converters' designs: evaluate each once.
    const CurveKey key{path, c.redundancy.installed, model::installed_rating_w(c), v_in, v_out};
    if (const auto cached = curves.find(key); cached != curves.end()) {
      c.efficiency = cached->second;
      continue;
    }
    const converters::Library library{&devices::default_devices(), &magnetics::default_materials()};
    try {
      c.efficiency = converters::efficiency_curve(found->second, library, c.redundancy.installed,
                                                  model::installed_rating_w(c), v_in, v_out,
                                                  converters::default_load_fractions());
      curves.emplace(key, c.efficiency);
    } catch (const converters::DesignError& error) {
      problems.error(where,
                     fmt::format("converter '{}': design '{}' cannot run at {} V -> {} V: {}", c.id,
                                 c.design_file, v_in, v_out, error.what()),
                     "use a design for these voltages, or change modules/rating");
    }
  }
  if (problems.has_errors()) throw core::ModelError(std::move(problems));
}

}  // namespace g2g::io
