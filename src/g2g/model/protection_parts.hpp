// The protection part library, data/protection/*.csv compiled in: a fuse's ratings and I2t
// from its cited catalogue page, read by `trip: {part: ...}` (docs/model-format.md, "Protection
// devices"; data/protection/README.md). Pure data and look-ups; the loader fills a Trip from a
// part, the time-domain run checks its breaking capacity.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::model {

// One row of a part file. A value the catalogue does not give is absent.
struct ProtectionPart {
  std::string part;  // the catalogue number, e.g. "FWP-30A14F"
  TripKind kind = TripKind::fuse;
  std::string manufacturer;
  double rated_current_a = 0.0;
  double rated_voltage_dc_v = 0.0;
  double pre_arcing_i2t_a2s = 0.0;
  double clearing_i2t_a2s = 0.0;
  double clearing_i2t_voltage_v = 0.0;  // the voltage the clearing I2t is given at
  std::optional<double> breaking_capacity_dc_a;
  std::optional<double> time_constant_max_s;  // the largest L/R the breaking capacity holds for
  std::string source;
  std::string file;  // "data/protection/fuses.csv"
  int line = 0;      // 1-based, in file
};

struct EmbeddedPartFile {
  const char* name;  // "data/protection/fuses.csv"
  const char* text;
};
// The files of data/protection/ compiled into the library (generated source).
std::span<const EmbeddedPartFile> embedded_protection_files();

// Reads one part file (CSV: a header row, then one part per row; '#' lines are comments).
// Problems (a missing column, an unreadable number, a value out of range, a repeated part) go to
// `problems`, located at file:line.
std::vector<ProtectionPart> parse_protection_parts(std::string_view text, std::string_view file,
                                                   core::DiagnosticList& problems);

// Every embedded part, read once. The embedded files are checked by the unit tests; a row that
// does not read is left out.
const std::vector<ProtectionPart>& protection_parts();
// The part by its catalogue number (exact), or nullptr.
const ProtectionPart* find_protection_part(std::string_view part);
// "did you mean 'X'?" for an unknown name, else the parts there are.
std::string protection_part_hint(std::string_view part);

}  // namespace g2g::model
