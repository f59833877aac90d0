// From utilisation to power: what a GPU rack draws at nominal voltage while its utilisation
// follows a profile, by the model's own rack formula (model::nominal_load_power_w), so the
// steady state and the simulation share it. docs/dynamic.md § Profiles.
#pragma once

#include "g2g/dynamic/profile.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::dynamic {

// P(t) = it_power (idle + (1 - idle) u(t)), exactly piecewise linear with the profile's
// breakpoints (the formula is affine in u). Throws InvalidInput (subject "load") unless `rack`
// is a gpu_rack load.
[[nodiscard]] PiecewiseLinear gpu_rack_power_w(const model::Load& rack, const Profile& profile);

}  // namespace g2g::dynamic
