// The qualification planner (docs/reliability.md): what a stress-test plan (per stress: its
// conditions, samples per lot, lots, accept number) demonstrates. For each stress: the
// acceleration factor to the use conditions, the equivalent field time, the chi-squared upper
// bound on the failure rate (FIT) and the lower bound on MTTF at the plan's confidence, the
// operating-characteristic curve, LTPD, the producer's point and risk, and what passing with the
// accept number really shows. Pure functions over plain structs; the plan file is read by
// parse_plan (plan_file.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/core/diagnostics.hpp"

namespace g2g::reliability {

// Hours in a year of 365.25 days, for field time in years.
inline constexpr double hours_per_year = 8766.0;

enum class StressKind : std::uint8_t {
  life,      // steady temperature (HTOL, HTRB, HTGB, HTSL): Arrhenius
  humidity,  // temperature and humidity (THB, HAST): Peck
  cycling,   // temperature cycling (TC): Coffin-Manson
};
[[nodiscard]] std::string_view stress_kind_name(StressKind kind) noexcept;

// A model parameter and where its value comes from: the plan, or a data file's entry with its
// source and tag (standard, measurement, vendor claim, assumption).
struct SourcedValue {
  double value = 0.0;
  std::string source;  // "plan" or the data file's citation
  std::string tag;     // "plan" or the data file's tag
};

struct UseConditions {
  double temperature_c = 0.0;                 // field junction temperature
  std::optional<double> humidity;             // relative humidity, (0, 1]; humidity stresses
  std::optional<double> temperature_swing_k;  // field temperature swing per cycle; cycling
  std::optional<double> cycles_per_year;      // field cycles a year; cycling
};

struct StressPlan {
  std::string name;
  StressKind kind = StressKind::life;
  double temperature_c = 0.0;       // life, humidity: the stress temperature
  double humidity = 0.0;            // humidity: relative humidity, (0, 1]
  double temperature_low_c = 0.0;   // cycling
  double temperature_high_c = 0.0;  // cycling
  double test_time_s = 0.0;         // life, humidity: test duration per unit (the plan's `hours`)
  double cycles = 0.0;              // cycling: test cycles per unit
  std::int64_t samples = 0;         // per lot
  std::int64_t lots = 1;
  std::int64_t accept = 0;  // accept number c per lot
  // Failures observed; nullopt: the plan is evaluated at its worst passing result (c per lot).
  std::optional<std::int64_t> failures;
  std::optional<std::int64_t> lot_size;  // a finite lot: hypergeometric OC curve
  // The model's parameters (only those of `kind` are used).
  SourcedValue activation_energy_ev;
  SourcedValue humidity_exponent;
  SourcedValue coffin_manson_exponent;
};

struct QualificationPlan {
  std::string file;
  std::string name;
  double confidence = 0.0;      // of the FIT and MTTF bounds, (0, 1)
  double consumer_risk = 0.10;  // LTPD: the defect fraction accepted this often
  double producer_risk = 0.05;  // the producer's point: accepted with 1 - this
  std::optional<double> aql;    // a defect fraction whose producer's risk is reported
  UseConditions use;
  std::vector<StressPlan> stresses;
  std::vector<core::Diagnostic> warnings;
};

struct OcPoint {
  double defect_fraction = 0.0;
  double accept_lot = 0.0;  // one lot
  double accept_all = 0.0;  // every lot of the plan
};

struct StressResult {
  std::string name;
  StressKind kind = StressKind::life;
  std::int64_t units = 0;          // samples x lots
  std::int64_t failures = 0;       // used in the bounds
  bool failures_observed = false;  // false: the worst passing result (c per lot)
  double acceleration_factor = 0.0;
  double field_hours_per_unit = 0.0;     // equivalent field time of one unit's test
  double equivalent_device_hours = 0.0;  // units x field hours
  double failure_rate_upper_per_h = 0.0;
  double fit_upper = 0.0;
  double mttf_lower_h = 0.0;
  double failure_probability_upper = 0.0;  // per unit, over the equivalent field time, at CL
  std::string oc_model;                    // "binomial" or "hypergeometric"
  double ltpd = 0.0;                       // accepted with the consumer's risk
  double producer_point = 0.0;             // accepted with 1 - producer's risk
  std::optional<double> producer_risk_at_aql;
  std::vector<OcPoint> oc_curve;
  std::vector<std::string> findings;  // what the plan demonstrates, in words
};

struct QualificationResult {
  std::vector<StressResult> stresses;
};

// The acceleration factor of a stress to the plan's use conditions.
[[nodiscard]] double acceleration_factor(const StressPlan& stress, const UseConditions& use);

[[nodiscard]] StressResult evaluate_stress(const StressPlan& stress, const QualificationPlan& plan);
[[nodiscard]] QualificationResult evaluate_plan(const QualificationPlan& plan);

// Reads a plan file's text (docs/reliability.md, "Plan file"); `file` names it in diagnostics.
// Throws core::ModelError with every problem found, each at its key (file:line:col).
[[nodiscard]] QualificationPlan parse_plan(std::string_view text, std::string file);

}  // namespace g2g::reliability
