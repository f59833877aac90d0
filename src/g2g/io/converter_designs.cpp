#include "g2g/io/converter_designs.hpp"

#include <fmt/format.h>

#include <map>

#include "g2g/converters/spec_loader.hpp"
#include "g2g/converters/tabulate.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/io/files.hpp"
#include "g2g/magnetics/library.hpp"

namespace g2g::io {

void resolve_converter_designs(model::ModelSpec& m, const std::filesystem::path& model_dir) {
  const converters::Library library{&devices::default_devices(), &magnetics::default_materials()};
  std::map<std::filesystem::path, converters::ConverterDesign> designs;  // each SPEC read once
  core::DiagnosticList problems;
  for (auto& c : m.converters) {
    if (c.design_file.empty() || !c.efficiency.empty()) continue;
    const auto where = model::location(m, c.where);
    const std::filesystem::path path = model_dir / c.design_file;
    auto found = designs.find(path);
    if (found == designs.end()) {
      try {
        const std::string text = read_text_file(path);
        found = designs.emplace(path, converters::parse_converter_spec(text, path.string())).first;
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
    try {
      c.efficiency = converters::efficiency_curve(
          found->second, library, c.modules, c.rating_w, bus_in.nominal_voltage_v,
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
