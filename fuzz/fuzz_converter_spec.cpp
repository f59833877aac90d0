// libFuzzer target for converter SPEC files (docs/converters.md): any byte string fed to
// converters::parse_converter_spec_file must give a SPEC or throw core::ModelError; a single
// design that parses is then evaluated at its nominal point with the shipped parts, which may
// refuse it only with converters::DesignError. Anything else (another exception, a crash, a
// sanitizer report, a hang) is a bug. Corpus: fuzz/corpus-spec (the shipped SPECs).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "g2g/converters/converter.hpp"
#include "g2g/converters/spec_loader.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/magnetics/library.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const g2g::converters::ConverterSpec spec =
        g2g::converters::parse_converter_spec_file(text, "fuzz-spec.yaml");
    if (!spec.is_chain) {
      const g2g::converters::Library library{&g2g::devices::default_devices(),
                                             &g2g::magnetics::default_materials()};
      try {
        const g2g::converters::OperatingPoint nominal{
            spec.design.v_in_nominal_v, spec.design.v_out_nominal_v, spec.design.rating_w};
        (void)g2g::converters::evaluate(spec.design, library, nominal);
      } catch (const g2g::converters::DesignError&) {
        // A design the physics cannot run at that point: refused with a message.
      }
    }
  } catch (const g2g::core::ModelError&) {
    // The expected outcome for almost every input.
  }
  return 0;
}
