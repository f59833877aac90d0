// Device losses averaged over a line (fundamental) period, for the AC->DC topologies (pfc.cpp,
// afe.cpp): the switching-period stress of a commutation cell at each line-cycle sample through
// devices::device_loss, averaged, and the junction temperature of the average loss. Internal to
// converters/ (docs/converters.md § Totem-pole PFC).
#pragma once

#include <string_view>

#include "g2g/converters/converter.hpp"
#include "g2g/converters/pfc_waveforms.hpp"

namespace g2g::converters::detail {

// A device position's line-cycle average: current mean square and the temperature-independent
// losses (switching, dead time, gate: the device model's conduction loss alone depends on T_j).
struct LineCycleSwitch {
  double f_sw_hz = 0.0;
  double v_block_v = 0.0;
  double ms_a2 = 0.0;         // mean square of the device current over the line period
  devices::DeviceLoss loss;   // averaged; conduction_w left 0 (added at T_j)
  double i_on_max_a = 0.0;    // largest hard turn-on current over the line period
  double i_off_max_a = 0.0;   // largest turn-off current
  bool hard_on_seen = false;  // some turn-on over the line period was hard
};

// The two switches of a commutation cell at one sample: the active one (its on time raises
// the current magnitude) and the passive one (synchronous rectifier). `parallel` devices share
// each position. Same rules as the buck (docs/converters.md § Buck): active turn-on hard at the
// valley current with the partner's Q_OSS, and its Q_RR when its reverse conduction carried the
// current in the dead time (valley > 0); ZVS when the valley is negative and swings the node
// (2 Q_OSS, devices::zvs_check) within the dead time; turn-off at the peak. Passive: ZVS on,
// third-quadrant conduction in the dead times, turn-off with current only when the valley is
// negative. The voltage-dependent parts (partner charges, ZVS charge) are computed once per
// cell voltage by CellContext.
struct CellStresses {
  devices::SwitchStress active;
  devices::SwitchStress passive;
};
class CellContext {
 public:
  CellContext(double v_step_v, const devices::Device& active, const devices::Device& passive,
              double f_sw_hz, double t_dead_s, int parallel) noexcept;
  [[nodiscard]] CellStresses at(const waveforms::BoostCell& cell) const noexcept;

 private:
  devices::SwitchStress active_;  // partner fields, voltage and frequency set
  devices::SwitchStress passive_;
  double t_dead_s_ = 0.0;
  double parallel_ = 1.0;
  double zvs_charge_active_c_ = 0.0;  // 2 Q_OSS(v) of the active device's half-bridge swing
  double zvs_charge_passive_c_ = 0.0;
};

// Adds the loss of `stress` (at 25 °C, conduction excluded) times `weight` to `into`.
void accumulate(LineCycleSwitch& into, const devices::Device& device,
                const devices::SwitchStress& stress, const devices::GateDrive& gate,
                double weight) noexcept;

// One position (count devices) from its line-cycle average: conduction ms R_DS(on)(T_j) with T_j
// solved against the cooling, the rest as averaged; added to the result like add_switch.
void add_line_cycle_switch(ConverterResult& result, const ConverterDesign& design,
                           std::string_view position, const devices::Device& device, int count,
                           const LineCycleSwitch& averaged);

// Loss of the design's inductor (one of `count`): iGSE per switching period (the asymmetric
// triangle of each cell) averaged over the line period, and the winding loss of the
// line-frequency RMS plus the ripple harmonics (Dowell at k f_sw).
struct InductorLoss {
  double core_w = 0.0;
  double winding_w = 0.0;
};
InductorLoss inductor_loss(const ConverterDesign& design, const magnetics::CoreMaterial* material,
                           std::span<const waveforms::BoostCell> cells, double v_step_v,
                           double i_line_rms_a,
                           std::span<const double> ripple_harmonic_rms_a) noexcept;

// Adds a warning when the boost inductor's peak flux, L i_peak / (N A_e), exceeds the material's
// saturation flux density (when the library gives one).
void warn_if_inductor_saturates(ConverterResult& result, const ConverterDesign& design,
                                const magnetics::CoreMaterial* material, double i_peak_a);

}  // namespace g2g::converters::detail
