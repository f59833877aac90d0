// The keys of the scenario file (docs/scenario-format.md), one table per map: the reader
// (scenario_file.cpp) checks and reads each map by them, and the JSON Schema
// (scenario_schema.cpp, docs/scenario.schema.json) is generated from them, so the two cannot
// drift. Internal to the dynamic layer.
#pragma once

#include <array>
#include <string_view>

#include "g2g/core/fields.hpp"

namespace g2g::dynamic::scenario_keys {

using core::Check;
using core::Dimension;
using core::key;
using core::quantity_key;

inline constexpr std::array top_fields{
    key("grid2gpu_scenario", true, "the format version", "1"),
    key("name", false, "what the scenario is"),
    quantity_key("duration", Dimension::time, true, Check::positive, "the simulated time", "60 s"),
    key("solver", false, "the integrator's tolerances and steps", "{relative_tolerance: 1e-4}"),
    key("aggregate", false, "none (the default) or phase_groups", "none"),
    key("profiles", false, "which gpu_rack loads follow which utilisation(t)"),
    key("smoothing", false, "NVML power smoothing of the GPUs of named racks"),
    key("storage", false, "how each named storage element is controlled"),
    key("input_loss", false, "converters whose input is lost for a while (an AC outage)",
        "[{converters: psu, at: 1 s, duration: 100 ms}]"),
    key("faults", false, "pole-to-pole DC faults at a bus or along a line",
        "[{id: f1, bus: row1, resistance: 10 mohm, time: 20 ms}]"),
    key("metrics", true, "the ramp window and frequency bands of the grid-power metrics",
        "{ramp_window: 1 s}"),
    key("limits", false, "grid limits for the storage sizing study", "{peak: 4 MW, ramp: 2 MW/s}"),
    key("record", false, "the signals streamed to CSV and their output step",
        "{signals: [dc800.v], every: 1 ms}"),
};
inline constexpr std::array solver_fields{
    quantity_key("relative_tolerance", Dimension::dimensionless, false, Check::positive,
                 "IDA's relative tolerance (default 1e-4)", "1e-4"),
    quantity_key("absolute_tolerance", Dimension::dimensionless, false, Check::positive,
                 "IDA's absolute tolerance, in each unknown's unit (default: the simulator's "
                 "scaling per unknown)",
                 "1e-6"),
    quantity_key("max_step", Dimension::time, false, Check::positive,
                 "the longest integrator step (default: unlimited)", "10 ms"),
    quantity_key("initial_step", Dimension::time, false, Check::positive,
                 "the first integrator step (default: IDA estimates it)", "1 us"),
};
inline constexpr std::array profile_fields{
    key("loads", true, "the gpu_rack loads: an id, a pattern or a list of them",
        "\"row[*]/rack[*]/gpus\""),
    quantity_key("constant", Dimension::dimensionless, false, Check::unit_interval,
                 "a constant utilisation, 0 to 1", "0.8"),
    key("training", false, "training steps: trapezoidal pulses every period",
        "{period: 1 s, duty: 0.7, high: 1.0, low: 0.3, rise: 5 ms, fall: 5 ms}"),
    key("trace", false, "a measured utilisation or power trace (CSV)", "{file: trace.csv}"),
    key("checkpoints", false, "checkpoint pauses",
        "{first: 30 s, interval: 600 s, duration: 20 s, level: 0.1}"),
    key("dips", false, "brief random dips", "{rate: 0.1 /s, depth: 0.5, duration: 50 ms}"),
    key("job", false, "the job's start and stop ramps", "{start: 0 s, start_ramp: 10 s}"),
    quantity_key("phase", Dimension::time, false, Check::none, "shift of the pattern (default 0 s)",
                 "0 s"),
    key("seed", false, "seed of the jitter and dips (default 0)", "1"),
    key("phase_groups", false, "phase groups by template instance",
        "{by: \"row[*]\", count: 4, spread: 1 s}"),
};
inline constexpr std::array training_fields{
    quantity_key("period", Dimension::time, true, Check::positive,
                 "the iteration period (production: 1-10 s)", "1 s"),
    quantity_key("duty", Dimension::dimensionless, true, Check::fraction,
                 "the fraction of the period at high utilisation, in (0, 1)", "0.7"),
    quantity_key("high", Dimension::dimensionless, true, Check::unit_interval,
                 "utilisation while computing", "1.0"),
    quantity_key("low", Dimension::dimensionless, true, Check::unit_interval,
                 "utilisation while communicating", "0.3"),
    quantity_key("rise", Dimension::time, true, Check::non_negative,
                 "the linear edge low to high (0 s: a jump)", "5 ms"),
    quantity_key("fall", Dimension::time, true, Check::non_negative,
                 "the linear edge high to low (0 s: a jump)", "5 ms"),
    key("jitter", false, "none (the default), uniform or normal", "normal"),
    quantity_key("jitter_sd", Dimension::time, false, Check::positive,
                 "the standard deviation of each pulse's start (with jitter)", "2 ms"),
};
inline constexpr std::array trace_fields{
    key("file", true, "the CSV file, relative to the scenario file", "trace.csv"),
    quantity_key("rated_power", Dimension::active_power, false, Check::positive,
                 "the power a time_s,power_w trace (or a power column) is divided by", "130 kW"),
    key("column", false,
        "a signal of a grid2gpu simulate CSV (t_s, then 'NAME [UNIT]' columns): its power (W) "
        "or utilisation",
        "row[1]/rack[1]/dcdc800.p"),
};
inline constexpr std::array checkpoint_fields{
    quantity_key("first", Dimension::time, true, Check::none, "start of the first pause", "30 s"),
    quantity_key("interval", Dimension::time, true, Check::positive, "start to start", "600 s"),
    quantity_key("duration", Dimension::time, true, Check::positive, "length of a pause", "20 s"),
    quantity_key("level", Dimension::dimensionless, true, Check::unit_interval,
                 "utilisation during a pause", "0.1"),
};
inline constexpr std::array dips_fields{
    quantity_key("rate", Dimension::frequency, true, Check::positive,
                 "mean arrivals per second (Poisson)", "0.1 /s"),
    quantity_key("depth", Dimension::dimensionless, true, Check::fraction,
                 "the fraction of utilisation lost in a dip, (0, 1]", "0.5"),
    quantity_key("duration", Dimension::time, true, Check::positive, "length of a dip", "50 ms"),
};
inline constexpr std::array job_fields{
    quantity_key("start", Dimension::time, true, Check::none, "the job's start", "0 s"),
    quantity_key("start_ramp", Dimension::time, true, Check::non_negative,
                 "the linear ramp from 0 to full", "10 s"),
    quantity_key("stop", Dimension::time, false, Check::none, "the job's stop (default: none)",
                 "50 s"),
    quantity_key("stop_ramp", Dimension::time, false, Check::non_negative,
                 "the linear ramp down from stop (with stop)", "5 s"),
};
inline constexpr std::array phase_group_fields{
    key("by", true, "a pattern over template instance paths", "\"row[*]\""),
    key("count", true, "the number of phase groups", "4"),
    quantity_key("spread", Dimension::time, true, Check::non_negative,
                 "group g is shifted by g * spread / count", "1 s"),
};
inline constexpr std::array smoothing_fields{
    key("loads", true, "the gpu_rack loads: an id, a pattern or a list of them",
        "\"row[*]/rack[*]/gpus\""),
    key("gpus_per_rack", true, "GPUs per rack, each with these settings", "72"),
    quantity_key("rated_power", Dimension::active_power, true, Check::positive,
                 "per GPU: the power the floor percentage refers to", "1.4 kW"),
    quantity_key("power_floor", Dimension::dimensionless, true, Check::unit_interval,
                 "NVML PERCENT_TMP_FLOOR, % of rated power", "60 %"),
    quantity_key("ramp_up", Dimension::power_rate, true, Check::positive,
                 "per GPU: NVML RAMP_UP_RATE", "100 W/s"),
    quantity_key("ramp_down", Dimension::power_rate, true, Check::positive,
                 "per GPU: NVML RAMP_DOWN_RATE", "100 W/s"),
    quantity_key("ramp_down_hysteresis", Dimension::time, true, Check::non_negative,
                 "NVML RAMP_DOWN_HYSTERESIS", "200 ms"),
    quantity_key("secondary_floor", Dimension::active_power, true, Check::non_negative,
                 "per GPU: NVML SECONDARY_POWER_FLOOR", "0 W"),
};
inline constexpr std::array storage_fields{
    key("elements", true, "the storage elements: an id, a pattern or a list of them", "bess"),
    key("control", true, "grid_smoothing or voltage_support", "grid_smoothing"),
    quantity_key("grid_ramp_limit", Dimension::power_rate, false, Check::positive,
                 "grid_smoothing: the grid reference's ramp limit (or grid_time_constant)",
                 "1 MW/s"),
    quantity_key("grid_time_constant", Dimension::time, false, Check::positive,
                 "grid_smoothing: the grid reference's low-pass time constant (or "
                 "grid_ramp_limit)",
                 "2 s"),
    quantity_key("bandwidth", Dimension::frequency, false, Check::positive,
                 "grid_smoothing: the bandwidth of the storage's power loop (how fast it covers "
                 "the grid's deficit); a battery backup unit's (voltage_support with trigger)",
                 "10 Hz"),
    quantity_key("soc_target", Dimension::dimensionless, false, Check::unit_interval,
                 "the state of charge the slow loop restores", "50 %"),
    quantity_key("soc_restore_time", Dimension::time, false, Check::positive,
                 "the time constant of the SOC-restoring loop", "120 s"),
    quantity_key("droop", Dimension::dimensionless, false, Check::positive,
                 "voltage_support: per-unit voltage change at rated power", "2 %"),
    quantity_key("trigger", Dimension::voltage, false, Check::positive,
                 "voltage_support as a battery backup unit: the bus voltage at which it turns "
                 "on (ORv3 HPR: 48.5 V); with set_voltage and bandwidth",
                 "48.5 V"),
    quantity_key("set_voltage", Dimension::voltage, false, Check::positive,
                 "battery backup unit: the voltage its droop regulates toward once on, above "
                 "trigger; it returns to idle when its bus rises above it",
                 "50 V"),
};
inline constexpr std::array input_loss_fields{
    key("converters", true, "the converters: an id, a pattern or a list of them", "psu"),
    quantity_key("at", Dimension::time, true, Check::positive, "when their input is lost", "1 s"),
    quantity_key("duration", Dimension::time, true, Check::positive, "how long it stays lost",
                 "100 ms"),
};
inline constexpr std::array fault_fields{
    key("id", true, "the fault's name in the outputs", "f1"),
    key("bus", false, "the faulted DC bus (or line)", "row1"),
    key("line", false, "the faulted DC line (or bus)", "row1_busway"),
    quantity_key("at", Dimension::dimensionless, false, Check::unit_interval,
                 "with line: the fault's place, a fraction of the line from its `from` end", "0.3"),
    quantity_key("resistance", Dimension::resistance, true, Check::non_negative,
                 "the fault's resistance, pole to pole (0 ohm: bolted, where the faulted point "
                 "has no ideal capacitance)",
                 "10 mohm"),
    quantity_key("time", Dimension::time, true, Check::positive, "its inception", "20 ms"),
    quantity_key("clear", Dimension::time, false, Check::positive,
                 "when it extinguishes (default: it stays)", "35 ms"),
    key("kind", false, "pole_to_pole (the default); pole_to_ground is not modelled",
        "pole_to_pole"),
    quantity_key("dip_threshold", Dimension::dimensionless, false, Check::fraction,
                 "a bus is in a dip below this share of its voltage at inception (default 90 %, "
                 "IEC 61000-4-30)",
                 "90 %"),
};
inline constexpr std::array metrics_fields{
    quantity_key("ramp_window", Dimension::time, true, Check::positive,
                 "ramps are (P(t + w) - P(t)) / w over this window", "1 s"),
    key("bands", false,
        "frequency bands of the grid-power spectrum (default < 1, 1-2.5, 2.5-7, "
        "7-20 Hz)"),
    quantity_key("resample_factor", Dimension::dimensionless, false, Check::positive,
                 "the spectrum's rate over the highest band edge (default 20)", "20"),
};
inline constexpr std::array band_fields{
    quantity_key("low", Dimension::frequency, true, Check::non_negative, "the band's lower edge",
                 "1 Hz"),
    quantity_key("high", Dimension::frequency, true, Check::positive, "the band's upper edge",
                 "2.5 Hz"),
    quantity_key("max_share", Dimension::dimensionless, false, Check::unit_interval,
                 "the mask: at most this share of the AC energy", "20 %"),
};
inline constexpr std::array limit_fields{
    quantity_key("peak", Dimension::active_power, false, Check::positive, "peak grid power",
                 "4 MW"),
    quantity_key("ramp", Dimension::power_rate, false, Check::positive,
                 "largest grid ramp over metrics.ramp_window", "2 MW/s"),
    quantity_key("peak_reduction", Dimension::dimensionless, false, Check::unit_interval,
                 "peak grid power at most (1 - this) times the peak of the same run with the "
                 "storage held at its set-point",
                 "30 %"),
};
inline constexpr std::array record_fields{
    key("signals", true, "<element or pattern>.<quantity>, quantity v, p, i, soc, u or f",
        "[dc800.v, utility.p]"),
    quantity_key("every", Dimension::time, true, Check::positive, "the output step", "1 ms"),
};

inline constexpr std::array<std::string_view, 2> aggregation_names{"none", "phase_groups"};
inline constexpr std::array<std::string_view, 3> jitter_names{"none", "uniform", "normal"};
inline constexpr std::array<std::string_view, 2> control_names{"grid_smoothing", "voltage_support"};
inline constexpr std::array<std::string_view, 2> fault_kind_names{"pole_to_pole", "pole_to_ground"};
inline constexpr std::array<std::string_view, 3> pattern_keys{"constant", "training", "trace"};

}  // namespace g2g::dynamic::scenario_keys
