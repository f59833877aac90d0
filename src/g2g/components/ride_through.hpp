// Undervoltage turn-off and restart of a converter (ride-through of a bus dip), as state events
// for the integrator: the root functions that locate each switching and the switching itself,
// pure functions of the input voltage and time. The converter holds up from its DC-link energy
// until its input falls below undervoltage_off (no fixed hold-up time: the physics decides);
// once off, it restarts when the input has stayed above undervoltage_on for restart_delay.
// docs/algorithms/dae.md § Events.
#pragma once

#include <array>
#include <span>

namespace g2g::components {

struct UndervoltageSettings {
  double off_v = 0.0;            // turns off when the input falls below it
  double on_v = 0.0;             // may restart above it (> off_v: hysteresis)
  double restart_delay_s = 0.0;  // the input must stay above on_v this long
};

// The converter's own switching state (an upstream converter's trip is the caller's business).
struct UndervoltageState {
  bool on = true;
  // Off and the input above on_v since armed_at_s: restarts at armed_at_s + restart_delay_s.
  bool armed = false;
  double armed_at_s = 0.0;
};

// The three root functions, in this order:
//   0  v_in - off_v                      on: crossing down turns it off
//   1  v_in - on_v                       off: crossing up arms the restart timer, down disarms it
//   2  t - (armed_at + restart_delay)    armed: crossing up restarts it; -1 when not armed
// Each keeps its sign while nothing switches, so a switch that changes a function's definition
// (arming, disarming) never shows IDA a false crossing: root 2 is negative both before and
// after it is armed.
inline constexpr int undervoltage_roots = 3;
[[nodiscard]] std::array<double, undervoltage_roots> undervoltage_root_functions(
    const UndervoltageSettings& settings, const UndervoltageState& state, double t_s,
    double v_in_v) noexcept;

enum class Switching : unsigned char { none, turned_off, restarted };

// The state after a located root: crossed[r] is IDA's direction (+1 up, -1 down, 0 none) of
// root function r at t_s. Arming and disarming change no equation; turning off and restarting do.
[[nodiscard]] Switching undervoltage_event(const UndervoltageSettings& settings,
                                           UndervoltageState& state, double t_s, double v_in_v,
                                           std::span<const int> crossed) noexcept;

// The same decisions at a point where no root crossed zero but a threshold may lie behind
// (consistent initial conditions after a jump: an algebraic input voltage moves with its loads
// at once). Turns off below off_v; arms or disarms the timer about on_v; restarts when the
// timer has run out.
[[nodiscard]] Switching undervoltage_check(const UndervoltageSettings& settings,
                                           UndervoltageState& state, double t_s,
                                           double v_in_v) noexcept;

// Hold-up from a DC-link capacitor: the energy it gives between v0 and v_off,
// E = C (v0^2 - v_off^2) / 2 (0 when v0 <= v_off), and how long that carries a constant power,
// t = E / P.
[[nodiscard]] double hold_up_energy_j(double capacitance_f, double v0_v, double v_off_v) noexcept;
[[nodiscard]] double hold_up_time_s(double energy_j, double power_w) noexcept;

}  // namespace g2g::components
