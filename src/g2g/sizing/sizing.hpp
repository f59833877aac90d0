// Conductor sizing: for every cable and busbar of a solved model, the smallest standard
// cross-section and number of parallel runs that carries the solved current after derating and
// keeps the voltage drop within a limit, with the conductor count and mass that follow.
// Rules, tables and assumptions: docs/sizing.md. No I/O; tables come from sizing/tables.hpp.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "g2g/core/error.hpp"
#include "g2g/model/spec.hpp"
#include "g2g/sizing/tables.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::sizing {

// Neutral conductor of LV three-phase circuits.
enum class NeutralRule : std::uint8_t {
  none,  // three-wire circuit
  full,  // full-size neutral (same cross-section as the phase conductors)
};

// Protective earth (PE) conductor.
enum class PeRule : std::uint8_t {
  none,
  // IEC 60364-5-54 Table 54.2, simplified, same material as the line conductor of size S:
  // S <= 16 mm2: S; 16 < S <= 35 mm2: 16 mm2; S > 35 mm2: S / 2 (rounded up to the next
  // standard cross-section for cables).
  iec_60364_5_54,
};

// Which of the cable candidates that fit is chosen. Busbars always take the fewest runs (a run
// is a separate busway), then the least copper (bar size x bars per pole).
enum class Preference : std::uint8_t {
  fewest_runs,   // fewest parallel runs; then the smallest size (the default)
  least_copper,  // least conductor cross-section in total (size x runs); ties: fewer runs
};

// Which DIN 43671 column rates DC busbars (data/busbar_copper_din43671.csv).
enum class DcBusbarRating : std::uint8_t {
  dc_column,  // the DC column (default): no skin or proximity effect, so several bars per pole
              // carry up to 44 % more than on AC; sizes without a DC rating are not candidates
  ac_column,  // the AC (<= 60 Hz) column, as for AC busbars: the bound used before the DC
              // column was sourced, kept as a sensitivity (lower for 1-3 bars, not for 4)
};

[[nodiscard]] std::string_view name(DcBusbarRating rating) noexcept;
[[nodiscard]] std::optional<DcBusbarRating> parse_dc_busbar_rating(std::string_view text) noexcept;
[[nodiscard]] std::string_view name(NeutralRule rule) noexcept;
[[nodiscard]] std::string_view name(PeRule rule) noexcept;
[[nodiscard]] std::string_view name(Preference preference) noexcept;

// Feeders of a data-center hall share cable trays: by default a cable is one of 6 circuits laid
// in a single layer on a perforated tray (IEC 60364-5-52 Table B.52.17, k = 0.73 for methods E
// and F). An assumption, not a surveyed tray fill; the factor is 0.72-0.73 for any 6 to 20
// circuits, so the exact count hardly matters. 1 = a cable alone (no grouping). docs/sizing.md.
inline constexpr int default_grouped_circuits = 6;

// Economic sizing (IEC 60287-3-2's idea: the total cost CT = CI + CJ of a conductor, its
// first cost plus the present value of its Joule losses): of the sizes that meet ampacity and
// the drop limit, the one with the least copper cost + present value of I2R loss is chosen.
// The first cost here is the copper's metal price only (installed cable costs more per size,
// which would favour smaller sizes). docs/sizing.md ("Economic sizing").
struct EconomicSizing {
  double copper_price_per_kg = 9.15;  // per kg of copper, in the energy price's currency
  double energy_price_per_mwh = 80.0;
  double years = 15.0;            // evaluation period
  double discount_rate = 0.07;    // per year
  double loss_load_factor = 1.0;  // mean(I^2) / I_max^2 over the year (1 = full load always)
  // Present value of 1 a year for `years` at `discount_rate`.
  [[nodiscard]] double present_value_factor() const noexcept;
};

struct SizingOptions {
  Method method = Method::e;  // installation method of cables
  Insulation insulation = Insulation::xlpe;
  double ambient_c = 30.0;                          // ambient air temperature
  int grouped_circuits = default_grouped_circuits;  // circuits in the group, this one included,
                                                    // each parallel run one more
  std::optional<Arrangement> arrangement;           // grouping row; default C: single_layer_wall,
                                                    // E and F: single_layer_perforated_tray
  double max_voltage_drop_pct = 3.0;                // per line, % of the bus nominal voltage
  int max_parallel_runs = 4;
  double max_cable_cross_section_m2 = 0.0;  // largest cable size allowed; 0 = largest in table
  Preference preference = Preference::fewest_runs;  // least_copper tends to many thin runs
  NeutralRule ac_neutral = NeutralRule::full;       // LV AC cables and busbars
  PeRule ac_pe = PeRule::iec_60364_5_54;            // LV AC cables
  PeRule dc_pe = PeRule::iec_60364_5_54;            // LV DC cables
  BusbarFinish busbar_finish = BusbarFinish::painted;
  DcBusbarRating dc_busbar_rating = DcBusbarRating::dc_column;
  std::optional<EconomicSizing> economic;  // set: least lifetime cost instead of least copper
  bool busbar_pe = false;  // add a PE bar (Table 54.2 rule on the phase bars); default: the
                           // busway enclosure or rack frame is the protective conductor
  // IEC 60364 (low voltage) scope: lines above these nominal voltages are not sized.
  double lv_limit_ac_v = 1000.0;
  double lv_limit_dc_v = 1500.0;
};

// A sizing option outside what the tables or the method allow: `option` is the SizingOptions
// field (subject()), `value` the value given, as written in the message.
class SizingOptionsError : public InvalidInput {
 public:
  SizingOptionsError(std::string option, std::string value, std::string message,
                     std::string fix = {})
      : InvalidInput(std::move(option), std::move(message), std::move(fix)),
        value_(std::move(value)) {}
  [[nodiscard]] const std::string& option() const noexcept { return subject(); }
  [[nodiscard]] const std::string& value() const noexcept { return value_; }

 private:
  std::string value_;
};

// The derating arrangement actually used: options.arrangement, or the method's default.
[[nodiscard]] Arrangement arrangement_for(const SizingOptions& options) noexcept;

// IEC 60364-5-54 Table 54.2 (simplified) minimum PE cross-section for a line conductor of
// `line_m2`, not rounded: S <= 16 mm2 -> S; <= 35 mm2 -> 16 mm2; above -> S / 2.
[[nodiscard]] double pe_rule_cross_section_m2(double line_m2) noexcept;

enum class LineStatus : std::uint8_t {
  sized,      // a size from the tables was chosen
  no_fit,     // nothing in the tables meets the current and drop: left as modelled
  not_sized,  // out of scope (overhead line, no geometry, above LV, no table for the
              // material, out of service): left as modelled
};
[[nodiscard]] std::string_view name(LineStatus status) noexcept;

// Conductors of one line (all runs): counts and cross-sections, for mass.
struct ConductorSet {
  int current_carrying = 0;       // phases (3) or poles (2) x conductors_per_pole x runs
  int neutral = 0;                // AC neutral (or DC mid-point) conductors
  int pe = 0;                     // protective conductors
  double cross_section_m2 = 0.0;  // each current-carrying and neutral conductor
  double neutral_cross_section_m2 = 0.0;
  double pe_cross_section_m2 = 0.0;
  // Total conductor cross-section, i.e. conductor volume per metre of route.
  [[nodiscard]] double total_area_m2() const noexcept {
    return current_carrying * cross_section_m2 + neutral * neutral_cross_section_m2 +
           pe * pe_cross_section_m2;
  }
};

// The conductors of one line or circuit of this geometry: phases (3, AC) or poles (2, DC) x
// per_pole x runs; for low-voltage cables and busbars also the neutral and one PE per run
// (options.ac_pe / dc_pe for cables, rounded up to the standard series; options.busbar_pe for
// busbars, not rounded). The neutral (AC) or mid-point conductor (DC, e.g. ±400 V) is full size,
// one per phase conductor set: `neutral` when given (model::Line::neutral_conductor), else
// options.ac_neutral for AC and none for DC. Overhead lines and non-LV lines: current-carrying
// conductors only.
[[nodiscard]] ConductorSet circuit_conductors(model::LineType type, model::BusKind kind,
                                              bool low_voltage, double cross_section_m2,
                                              int per_pole, int runs, const Tables& tables,
                                              const SizingOptions& options,
                                              std::optional<bool> neutral = std::nullopt);

// Why a line was left as modelled (not_sized) or what kept it from fitting (no_fit); note()
// turns it into text. A number, so that sizing builds no per-line text a sweep does not read.
enum class SizingNote : std::uint8_t {
  none,  // sized
  // not_sized:
  out_of_service,
  overhead,           // no ampacity table for overhead lines
  impedance_given,    // r_ohm given: no conductor geometry
  above_low_voltage,  // above options.lv_limit_ac_v / lv_limit_dc_v
  aluminium,          // no sourced aluminium table
  no_solved_current,  // the solution has no result for the line
  // no_fit:
  nothing_fits,    // LineSizing::nearest, when set, is the largest candidate tried
  busbar_too_hot,  // ambient at or above the busbar table's 65 °C bar temperature
};

// The largest candidate tried for a line nothing fits (by total cross-section, then rating).
struct NearestCandidate {
  double cross_section_m2 = 0.0;
  int conductors_per_pole = 1;
  int parallel_runs = 1;
  double bar_width_m = 0.0;  // busbars; 0 for cables
  double bar_thickness_m = 0.0;
  double ampacity_a = 0.0;  // all runs, after derating
  double voltage_drop_pct = 0.0;
};

// Numbers only: the line's id is model.lines[line].id, and its size label and note are built on
// demand by size_label() and note(), so sizing in a sweep formats no text.
struct LineSizing {
  std::int32_t line = 0;  // index into ModelSpec::lines
  LineStatus status = LineStatus::not_sized;
  SizingNote reason = SizingNote::none;  // why not sized / what does not fit (note())
  model::LineType type = model::LineType::cable;
  model::BusKind kind = model::BusKind::dc;
  model::Material material = model::Material::copper;
  double nominal_voltage_v = 0.0;
  double length_m = 0.0;
  double current_a = 0.0;  // solved, per phase/pole, all runs together (larger end)
  // The chosen geometry (as modelled when not sized).
  double cross_section_m2 = 0.0;  // per conductor (cable) or per bar (busbar)
  int conductors_per_pole = 1;    // bars per phase/pole for busbars; 1 for sized cables
  int parallel_runs = 1;
  double bar_width_m = 0.0;  // the DIN 43671 bar of a sized busbar; 0 otherwise
  double bar_thickness_m = 0.0;
  bool impedance_given = false;   // the model gives r_ohm: no geometry ("r/x given")
  double table_ampacity_a = 0.0;  // one run, from the table, before derating (0 when not sized)
  double derating_factor = 1.0;   // ambient x grouping (busbars: ambient only)
  double ampacity_a = 0.0;        // all runs, after derating (not sized: the model's ampacity)
  // The same geometry rated from the AC (<= 60 Hz) column, derated, all runs: for DC busbars the
  // AC-column figure beside the DC rating; for every other sized line equal to ampacity_a (AC
  // lines, and DC cables, are rated from 50/60 Hz tables). 0 when not sized or not in the column.
  double ampacity_ac_bound_a = 0.0;
  double loading_pct = 0.0;       // current / ampacity; 0 without ampacity
  double voltage_drop_v = 0.0;    // DC: I * R_loop; AC: sqrt(3) I (R cos phi + X sin phi)
  double voltage_drop_pct = 0.0;  // of the bus nominal voltage
  double power_factor = 1.0;      // AC: |P| / S at the sending end, used for the drop
  ConductorSet conductors;
  double mass_kg = 0.0;                     // of `material`: total_area x length x density
  std::optional<NearestCandidate> nearest;  // no_fit (nothing_fits): what came nearest
};

// "240 mm2", "4 x 240 mm2" (conductors x runs), "2 bars 100x10 mm", "2 x (2 bars 100x10 mm)" (a
// sized busbar's runs); "r/x given" for a line without geometry.
[[nodiscard]] std::string size_label(const LineSizing& line);
// Why `line` was not sized, or what does not fit, quoting `options` (those it was sized with:
// SizingResult::options); "" when sized.
[[nodiscard]] std::string note(const LineSizing& line, const SizingOptions& options);

struct SizingTotals {
  double copper_kg = 0.0;
  double aluminium_kg = 0.0;
  double copper_kg_not_sized = 0.0;  // part of copper_kg in lines left as modelled
  int sized = 0;
  int no_fit = 0;
  int not_sized = 0;
};

struct SizingResult {
  std::vector<LineSizing> lines;  // one per ModelSpec line, same order
  SizingTotals totals;
  model::ModelSpec sized_model;  // the input with sized lines updated (geometry, ampacity_a)
  SizingOptions options;         // those it was sized with (note() quotes them)
};

// Sizes every line of `model` for the currents in `solved` (a solution of this same model).
// Throws g2g::InvalidInput for options outside the tables (e.g. an unknown
// method/insulation combination, max_parallel_runs < 1).
[[nodiscard]] SizingResult size_lines(const model::ModelSpec& model,
                                      const steady::SolveResult& solved, const Tables& tables,
                                      const SizingOptions& options);

// Mass (kg) of a conductor set over `length_m`: total cross-section x length x density.
[[nodiscard]] double conductor_mass_kg(const ConductorSet& conductors, double length_m,
                                       double density_kg_m3) noexcept;

using SolveFunction = std::function<steady::SolveResult(const model::ModelSpec&)>;

struct IterativeSizing {
  SizingResult sizing;           // the last pass
  steady::SolveResult solution;  // the solution the last pass was sized on
  int passes = 0;
  bool stable = false;  // the last pass chose the geometry it was solved with
};

// Solve -> size -> re-solve the sized model, until sizing chooses the geometry it was solved
// with (stable) or `max_passes` solves were made. Sizing changes resistance, hence voltages and
// the currents of constant-power loads. `solve` defaults to steady::solve; it may throw
// steady::NonConvergenceError, which propagates.
[[nodiscard]] IterativeSizing size_until_stable(const model::ModelSpec& model, const Tables& tables,
                                                const SizingOptions& options, int max_passes = 4,
                                                const SolveFunction& solve = {});

}  // namespace g2g::sizing
