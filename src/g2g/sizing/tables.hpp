// Standard tables for conductor sizing, parsed from the CSV files in data/ (docs/sizing.md):
// IEC 60364-5-52 cable ampacities, ambient and grouping factors, DIN 43671 busbar ratings, the
// IEC 60228 cross-section series and material densities. No I/O here: parse_tables() takes the
// text of each file (io::read_sizing_tables reads them from a directory), and default_tables()
// returns the copies of data/*.csv compiled into the library.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/model/spec.hpp"

namespace g2g::sizing {

// IEC 60364-5-52 reference installation methods with tabulated ampacities in data/:
// C clipped direct to a wall; E multicore cable in free air or on a perforated tray;
// F single-core cables touching, in free air or on a perforated tray.
enum class Method : std::uint8_t { c, e, f };

// Insulation sets the maximum conductor temperature: PVC 70 °C, XLPE/EPR 90 °C.
enum class Insulation : std::uint8_t { pvc, xlpe };

// Rows of IEC 60364-5-52 Table B.52.17 (grouping of circuits or multicore cables).
enum class Arrangement : std::uint8_t {
  bunched,                       // in air, on a surface, embedded or enclosed
  single_layer_wall,             // on wall, floor or unperforated tray
  single_layer_ceiling,          // fixed directly under a wooden ceiling
  single_layer_perforated_tray,  // on perforated horizontal or vertical tray
  single_layer_ladder,           // on ladder support or cleats
};

enum class BusbarFinish : std::uint8_t { painted, bare };

// Spellings used in data files, options and output ("E", "xlpe", "single_layer_ladder", ...).
[[nodiscard]] std::string_view name(Method method) noexcept;
[[nodiscard]] std::string_view name(Insulation insulation) noexcept;
[[nodiscard]] std::string_view name(Arrangement arrangement) noexcept;
[[nodiscard]] std::string_view name(BusbarFinish finish) noexcept;
// Inverse of name(); case-insensitive for the method letter. nullopt when unknown.
[[nodiscard]] std::optional<Method> parse_method(std::string_view text) noexcept;
[[nodiscard]] std::optional<Insulation> parse_insulation(std::string_view text) noexcept;
[[nodiscard]] std::optional<Arrangement> parse_arrangement(std::string_view text) noexcept;
[[nodiscard]] std::optional<BusbarFinish> parse_busbar_finish(std::string_view text) noexcept;

struct AmpacityEntry {
  double cross_section_m2 = 0.0;
  double ampacity_a = 0.0;
};

// One column of an ampacity table: one material, method, insulation and number of loaded
// conductors (3 for a three-phase circuit, 2 for single-phase or two-wire DC), at 30 °C air.
struct AmpacityColumn {
  model::Material material = model::Material::copper;
  Method method = Method::e;
  Insulation insulation = Insulation::xlpe;
  int loaded_conductors = 3;
  std::vector<AmpacityEntry> entries;  // ascending cross-section; gaps left out
};

struct AmbientPoint {
  double ambient_c = 30.0;
  double factor = 1.0;
};

struct AmbientColumn {
  Insulation insulation = Insulation::xlpe;
  std::vector<AmbientPoint> points;  // ascending ambient; gaps left out
};

struct GroupingPoint {
  int circuits = 1;
  double factor = 1.0;
};

struct GroupingRow {
  Arrangement arrangement = Arrangement::bunched;
  std::vector<GroupingPoint> points;  // ascending number of circuits
};

// One rectangular copper bar size of the DIN 43671 table (data/busbar_copper_din43671.csv).
// Ratings are per phase (or pole) for 1-4 bars in parallel; 0 = not given.
struct BusbarSize {
  double width_m = 0.0;
  double thickness_m = 0.0;
  double cross_section_m2 = 0.0;      // per bar
  std::array<double, 4> painted_a{};  // AC up to 60 Hz
  std::array<double, 4> bare_a{};
  std::array<double, 4> dc_painted_a{};  // DC (the standard's "DC and AC 16 2/3 Hz" column)
  std::array<double, 4> dc_bare_a{};

  [[nodiscard]] const std::array<double, 4>& ac_ratings_a(BusbarFinish finish) const noexcept {
    return finish == BusbarFinish::bare ? bare_a : painted_a;
  }
  [[nodiscard]] const std::array<double, 4>& dc_ratings_a(BusbarFinish finish) const noexcept {
    return finish == BusbarFinish::bare ? dc_bare_a : dc_painted_a;
  }
};

// Conditions of the DIN 43671 ratings (conductors.md §5.1): 35 °C ambient, 65 °C bar.
inline constexpr double busbar_table_ambient_c = 35.0;
inline constexpr double busbar_table_bar_temperature_c = 65.0;

struct StandardSize {
  double cross_section_m2 = 0.0;
  std::optional<double> r20_copper_ohm_per_m;  // IEC 60228 class 2 maximum, reference only
  std::optional<double> r20_aluminium_ohm_per_m;
};

struct MaterialDensity {
  model::Material material = model::Material::copper;
  double density_kg_m3 = 0.0;
};

struct Tables {
  std::vector<AmpacityColumn> cable_ampacity;
  std::vector<AmbientColumn> ambient;
  std::vector<GroupingRow> grouping;
  std::vector<BusbarSize> busbars;           // copper only
  std::vector<StandardSize> cross_sections;  // ascending
  std::vector<MaterialDensity> densities;

  // The column for these conditions, or nullptr when the tables have none (e.g. aluminium).
  [[nodiscard]] const AmpacityColumn* cable_column(model::Material material, Method method,
                                                   Insulation insulation,
                                                   int loaded_conductors) const noexcept;
  // Factor of the next higher tabulated ambient (conservative); below the first point, the first
  // factor; nullopt above the last point of the column.
  [[nodiscard]] std::optional<double> ambient_factor(Insulation insulation,
                                                     double ambient_c) const noexcept;
  // Factor for the next higher tabulated number of circuits; nullopt beyond the table (or < 1).
  [[nodiscard]] std::optional<double> grouping_factor(Arrangement arrangement,
                                                      int circuits) const noexcept;
  // Throws std::out_of_range when the material has no density in the tables.
  [[nodiscard]] double density_kg_m3(model::Material material) const;
  // The smallest standard cross-section >= `cross_section_m2` (relative tolerance 1e-9), or
  // nullopt above the largest.
  [[nodiscard]] std::optional<double> next_standard_cross_section_m2(
      double cross_section_m2) const noexcept;
};

// The data files, by name, as parse_tables() expects them.
inline constexpr std::array<std::string_view, 6> table_file_names = {
    "cable_ampacity_copper.csv",  "ambient_correction.csv",      "grouping_factors.csv",
    "busbar_copper_din43671.csv", "cross_sections_iec60228.csv", "materials.csv",
};

struct TableFile {
  std::string name;  // one of table_file_names, or a path ending in one; used in diagnostics
  std::string text;  // CSV: '#' comment lines, one header line, rows; empty cell = gap
};

// Parses the six files (every name of table_file_names once). Throws core::ModelError listing
// every problem (file:line:column), e.g. a missing file, an unknown column or a bad number.
[[nodiscard]] Tables parse_tables(std::span<const TableFile> files);

// The files of data/ as they were when the library was built.
[[nodiscard]] std::vector<TableFile> default_table_files();
// parse_tables(default_table_files()), parsed once.
[[nodiscard]] const Tables& default_tables();

}  // namespace g2g::sizing
