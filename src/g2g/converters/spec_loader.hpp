// Converter SPEC files: one ConverterDesign in YAML, every value with its unit ("500 kHz",
// "2.2 uH", "120 mm2"), plus optional published operating points for validation. Every problem is
// collected with file:line:col before one core::ModelError is thrown, like the model loader.
// Format: docs/converters.md § SPEC files; examples in examples/converters/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "g2g/converters/chain.hpp"
#include "g2g/converters/converter.hpp"
#include "g2g/core/diagnostics.hpp"

namespace g2g::converters {

// A measured or published point of the design, for validation (`published:` in a SPEC file).
struct PublishedPoint {
  OperatingPoint point;
  double efficiency = 0.0;  // as a fraction
  // The figure is a peak over load (`peak: true`, load not published): compare it with the
  // model's maximum over the load; point.p_out_w is then only where the search starts.
  bool peak = false;
  std::string source;  // where the figure was published
};

// A chain stage as written (`chain: stages:`): a SPEC file or an inline curve, and its stacking.
struct StageSpec {
  std::string design_file;  // relative to the SPEC file, confined (check_spec_path); or empty
  SourcedCurve curve;       // when design_file is empty
  int input_series = 1;
  int modules = 1;
  std::string primary_device;  // replaces the module's primary_device (a one-line variant)
  core::SourceLocation where;  // of the stage entry
  core::SourceLocation design_file_at;
};

// `chain:` instead of `converter:` (docs/converters.md § Chains).
struct ChainSpec {
  std::string name;
  double rating_w = 0.0;  // 0 = the last stage's rating
  std::vector<StageSpec> stages;
  std::vector<std::string> assumptions;
};

struct ConverterSpec {
  ConverterDesign design;  // when `converter:`
  bool is_chain = false;
  ChainSpec chain;  // when `chain:`
  std::vector<PublishedPoint> published;
  // `device_library:` a directory of the user's own part files (data/devices/README.md format),
  // relative to the SPEC file and confined like every path of a SPEC; its parts add to or replace
  // the built-in ones by name. Empty: the built-in library only.
  std::string device_library;
  core::SourceLocation device_library_at;
};

// Why `path`, written in a SPEC, may not be followed, or empty when it may: a SPEC may come from
// someone else, so the files it names must stay inside its own directory. Refused: an empty path,
// an absolute path (or one with a root or drive), and any '..' component. Lexical only;
// io::load_converter_spec also checks the resolved path (symbolic links).
std::string check_spec_path(std::string_view path);

// Parses a SPEC file. Throws core::ModelError with every diagnostic found.
ConverterSpec parse_converter_spec_file(std::string_view yaml, const std::string& file);
// The design alone; a chain SPEC is refused (it needs io::load_converter_spec to read its stages).
ConverterDesign parse_converter_spec(std::string_view yaml, const std::string& file);

}  // namespace g2g::converters
