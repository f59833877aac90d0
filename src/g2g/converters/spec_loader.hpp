// Converter SPEC files: one ConverterDesign in YAML, every value with its unit ("500 kHz",
// "2.2 uH", "120 mm2"), plus optional published operating points for validation. Every problem is
// collected with file:line:col before one core::ModelError is thrown, like the model loader.
// Format: docs/converters.md § SPEC files; examples in examples/converters/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "g2g/converters/converter.hpp"

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

struct ConverterSpec {
  ConverterDesign design;
  std::vector<PublishedPoint> published;
  // `device_library:` a directory of the user's own part files (data/devices/README.md format),
  // relative to the SPEC file; its parts add to or replace the built-in ones by name. Empty: the
  // built-in library only.
  std::string device_library;
};

// Parses a SPEC file. Throws core::ModelError with every diagnostic found.
ConverterSpec parse_converter_spec_file(std::string_view yaml, const std::string& file);
// The design alone.
ConverterDesign parse_converter_spec(std::string_view yaml, const std::string& file);

}  // namespace g2g::converters
