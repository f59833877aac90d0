// The sweep file (`grid2gpu_sweep: 1`, docs/sweep.md): the base models (architectures), the
// swept parameters with their values, ranges or distributions, how they combine, the options of
// every scenario and the outputs to record. Read through the configuration toolkit
// (core/yaml_fields.hpp): units on every value, "did you mean" on unknown keys and names, every
// problem at once with file:line:column in one core::ModelError. No I/O: it reads text.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/core/units.hpp"

namespace g2g::sweep {

enum class DistributionKind : std::uint8_t { uniform, normal, lognormal, triangular };
[[nodiscard]] std::string_view name(DistributionKind kind) noexcept;

// A distribution of one parameter, its values in SI (sigma_log is a plain number).
struct Distribution {
  DistributionKind kind = DistributionKind::uniform;
  double min = 0.0;        // uniform, triangular
  double max = 0.0;        // uniform, triangular
  double mode = 0.0;       // triangular
  double mean = 0.0;       // normal
  double sd = 0.0;         // normal
  double median = 0.0;     // lognormal: exp of the log's mean
  double sigma_log = 0.0;  // lognormal: standard deviation of the natural log
};

// One swept parameter: a list of values (a list or a range), or a distribution.
struct SweptParameter {
  std::string name;
  core::Dimension dimension = core::Dimension::dimensionless;
  std::vector<double> values;  // SI; empty for a distribution
  std::optional<Distribution> distribution;
};

enum class Combine : std::uint8_t {
  grid,         // cartesian product, the first parameter varying slowest
  zip,          // the i-th value of every parameter together; equal lengths
  monte_carlo,  // `samples` draws of the distributions, crossed with the lists
};
[[nodiscard]] std::string_view name(Combine combine) noexcept;

// What every scenario is run with (a subset of study::CompareOptions).
struct SweepOptions {
  bool size_conductors = false;  // size the LV conductors (slow: docs/sizing.md)
  bool check_claims = false;     // add a verdict column per claim
  bool include_point_of_load = false;
  double tariff_per_mwh = 80.0;
  double hours_per_year = 8760.0;
  double cooling_kw_per_kw = 0.0;  // cooling power per kW of loss (cooling_w); 0: not counted
};

struct SweepSpec {
  std::string file;
  std::string name;
  std::vector<std::string> models;  // as written, relative to the sweep file; [0] the baseline
  std::vector<SweptParameter> parameters;
  Combine combine = Combine::grid;
  std::uint64_t samples = 0;  // monte_carlo: n
  std::uint64_t seed = 0;     // monte_carlo: seed of std::mt19937_64
  SweepOptions options;
  std::vector<std::string> outputs;  // metric names (outputs.hpp); default_outputs() when absent
};

// A parameter some base model declares, and the dimension of its written value.
struct DeclaredParameter {
  std::string name;
  core::Dimension dimension = core::Dimension::dimensionless;
};

// The `models:` list only, for reading the model files before the whole file is checked.
// Throws core::ModelError when the file is not YAML or the list is malformed; empty when there
// is no list (parse_sweep reports that with every other problem).
std::vector<std::string> sweep_models(std::string_view text, const std::string& file);

// The whole sweep file. `declared`: every parameter the base models declare (swept names must be
// among them; values are read in their dimension). Throws core::ModelError with every problem.
SweepSpec parse_sweep(std::string_view text, const std::string& file,
                      std::span<const DeclaredParameter> declared);

// The JSON Schema of the sweep file (docs/sweep.schema.json), from the readers' key tables.
std::string sweep_json_schema();

}  // namespace g2g::sweep
