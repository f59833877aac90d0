// Load-side power smoothing with NVIDIA's knobs (NVML "Power Smoothing Information",
// https://docs.nvidia.com/deploy/nvml-api/group__nvmlPowerSmoothing.html), applied as a causal
// filter to a rack's requested power (docs/dynamic.md, "Smoothing").
//
// The target is T(t) = max(P_req(t), floor), floor = max(floor % · rated power, secondary floor).
// The drawn power P follows T, but
//   - rises at most at ramp_up_w_per_s (the work is held back: deferred energy);
//   - when T drops below P, P holds for the ramp-down hysteresis, then falls at most at
//     ramp_down_w_per_s until it meets T again (the energy burnt: floor burn).
// NVML documents the knobs' names and units, not the controller, so this is our model of them.
// For a PWL request the follower is PWL: every breakpoint is computed in closed form.
#pragma once

#include "g2g/dynamic/piecewise_linear.hpp"

namespace g2g::dynamic {

// One device's settings, in NVML's units. For a rack of n GPUs with one setting each, scale
// rated power, rates and secondary floor by n (percentages and times stay). An infinite rate
// means "not limited". No value has a default (NVIDIA publishes no preset values): every field
// must be set, a 0 floor or hysteresis included.
struct SmoothingSettings {
  double rated_power_w = not_given;        // the power the floor percentage refers to (> 0)
  double power_floor_percent = not_given;  // NVML_POWER_SMOOTHING_PROFILE_PARAM_PERCENT_TMP_FLOOR
  double ramp_up_w_per_s = not_given;      // ..._RAMP_UP_RATE (W/s, > 0)
  double ramp_down_w_per_s = not_given;    // ..._RAMP_DOWN_RATE (W/s, > 0)
  double ramp_down_hysteresis_ms = not_given;  // ..._RAMP_DOWN_HYSTERESIS (ms, >= 0)
  double secondary_floor_w = not_given;        // ..._SECONDARY_POWER_FLOOR (W, >= 0)
};

struct SmoothedPower {
  PiecewiseLinear drawn_power_w;     // P(t), exact
  double floor_burn_energy_j = 0.0;  // ∫ max(0, P - P_req) dt: burnt to hold the floor or
                                     // slow the ramp down
  double deferred_energy_j = 0.0;    // ∫ max(0, P_req - P) dt: demand the ramp-up limit delayed
};

// Throws InvalidInput (subject: the setting's name) for a value not given or out of range.
void check_smoothing_settings(const SmoothingSettings& settings);

// P(t) over the span of `requested_power_w`'s breakpoints, starting settled (P = T at the first
// breakpoint). Throws InvalidInput for bad settings or an empty request.
[[nodiscard]] SmoothedPower smooth_power(const PiecewiseLinear& requested_power_w,
                                         const SmoothingSettings& settings);

}  // namespace g2g::dynamic
