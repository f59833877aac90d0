#include "g2g/components/ride_through.hpp"

#include <cstddef>
#include <limits>

namespace g2g::components {

namespace {

// Arms the timer at t_s, or restarts at once when there is no delay.
Switching arm(const UndervoltageSettings& settings, UndervoltageState& state, double t_s) {
  if (settings.restart_delay_s <= 0.0) {
    state = {};
    return Switching::restarted;
  }
  state.armed = true;
  state.armed_at_s = t_s;
  return Switching::none;
}

int crossing(std::span<const int> crossed, std::size_t r) {
  return r < crossed.size() ? crossed[r] : 0;
}

}  // namespace

std::array<double, undervoltage_roots> undervoltage_root_functions(
    const UndervoltageSettings& settings, const UndervoltageState& state, double t_s,
    double v_in_v) noexcept {
  return {v_in_v - settings.off_v, v_in_v - settings.on_v,
          state.armed ? t_s - (state.armed_at_s + settings.restart_delay_s) : -1.0};
}

Switching undervoltage_event(const UndervoltageSettings& settings, UndervoltageState& state,
                             double t_s, double v_in_v, std::span<const int> crossed) noexcept {
  (void)v_in_v;
  if (state.on) {
    if (crossing(crossed, 0) < 0) {
      state = {false, false, 0.0};
      return Switching::turned_off;
    }
    return Switching::none;
  }
  if (state.armed && crossing(crossed, 2) > 0) {
    state = {};
    return Switching::restarted;
  }
  if (crossing(crossed, 1) > 0 && !state.armed) return arm(settings, state, t_s);
  if (crossing(crossed, 1) < 0) state.armed = false;
  return Switching::none;
}

Switching undervoltage_check(const UndervoltageSettings& settings, UndervoltageState& state,
                             double t_s, double v_in_v) noexcept {
  if (state.on) {
    if (v_in_v < settings.off_v) {
      state = {false, false, 0.0};
      return Switching::turned_off;
    }
    return Switching::none;
  }
  if (!state.armed) return v_in_v > settings.on_v ? arm(settings, state, t_s) : Switching::none;
  if (v_in_v < settings.on_v) {
    state.armed = false;
    return Switching::none;
  }
  if (t_s >= state.armed_at_s + settings.restart_delay_s) {
    state = {};
    return Switching::restarted;
  }
  return Switching::none;
}

double hold_up_energy_j(double capacitance_f, double v0_v, double v_off_v) noexcept {
  if (!(v0_v > v_off_v)) return 0.0;
  return 0.5 * capacitance_f * (v0_v * v0_v - v_off_v * v_off_v);
}

double hold_up_time_s(double energy_j, double power_w) noexcept {
  return power_w > 0.0 ? energy_j / power_w : std::numeric_limits<double>::infinity();
}

}  // namespace g2g::components
