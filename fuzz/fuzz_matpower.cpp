// libFuzzer target for MATPOWER case files (docs/matpower-import.md): any byte string fed to
// model::import_matpower must give a model or throw core::ModelError; an imported model then
// goes through api::check (validation and topology) and, when it passes, through write_yaml and
// the YAML loader, whose output is promised to load back. Anything else is a bug. Corpus:
// fuzz/corpus-matpower (small published cases).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "g2g/api/model.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/model/matpower.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const g2g::model::ModelSpec model = g2g::model::import_matpower(text, "fuzz.m");
    if (g2g::api::check(model).has_errors()) return 0;
    const std::string yaml = g2g::model::write_yaml(model);
    try {
      (void)g2g::model::load_yaml(yaml, "round-trip.yaml");
    } catch (const g2g::core::ModelError& error) {
      std::fprintf(stderr, "an imported case's YAML does not load back:\n%s\n",
                   error.diagnostics().to_string().c_str());
      std::abort();
    }
  } catch (const g2g::core::ModelError&) {
  }
  return 0;
}
