#include "g2g/io/converter_designs.hpp"

#include <fmt/format.h>

#include <map>

#include "g2g/converters/spec_loader.hpp"
#include "g2g/converters/tabulate.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/io/device_library.hpp"
#include "g2g/io/files.hpp"
#include "g2g/magnetics/library.hpp"

namespace g2g::io {

namespace {

// A SPEC and the parts it may use: the built-in library, or it with the SPEC's own
// device_library directory over it.
struct LoadedDesign {
  converters::ConverterDesign design;
  std::vector<devices::Device> parts;
};

LoadedDesign load_design(const std::filesystem::path& path) {
  const std::string text = read_text_file(path);
  converters::ConverterSpec spec = converters::parse_converter_spec_file(text, path.string());
  LoadedDesign loaded{std::move(spec.design), {}};
  loaded.parts = spec.device_library.empty()
                     ? devices::default_devices()
                     : read_device_library_over_defaults(path.parent_path() / spec.device_library);
  return loaded;
}

}  // namespace

void resolve_converter_designs(model::ModelSpec& m, const std::filesystem::path& model_dir) {
  std::map<std::filesystem::path, LoadedDesign> designs;  // each SPEC read once
  core::DiagnosticList problems;
  for (auto& c : m.converters) {
    if (c.design_file.empty() || !c.efficiency.empty()) continue;
    const auto where = model::location(m, c.where);
    const std::filesystem::path path = model_dir / c.design_file;
    auto found = designs.find(path);
    if (found == designs.end()) {
      try {
        found = designs.emplace(path, load_design(path)).first;
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
    const converters::Library library{&found->second.parts, &magnetics::default_materials()};
    try {
      c.efficiency = converters::efficiency_curve(
          found->second.design, library, c.redundancy.installed, model::installed_rating_w(c),
          bus_in.nominal_voltage_v,
          bus_out.nominal_voltage_v, converters::default_load_fractions());
    } catch (const converters::DesignError& error) {
      problems.error(where,
                     fmt::format("converter '{}': design '{}' cannot run at {} V -> {} V: {}", c.id,
                                 c.design_file, bus_in.nominal_voltage_v, bus_out.nominal_voltage_v,
                                 error.what()),
                     "use a design for these voltages, or change modules/rating");
    }
  }
  if (problems.has_errors()) throw core::ModelError(std::move(problems));
}

}  // namespace g2g::io
