// Shared pieces of the topology files (buck.cpp, llc.cpp, dab.cpp, and pfc.cpp/afe.cpp when they
// come): part look-up with the design's error messages, one switch position through the device
// and thermal models, magnetics losses without allocation, and the totals. Internal to
// converters/.
#pragma once

#include <span>
#include <string_view>

#include "g2g/converters/converter.hpp"
#include "g2g/converters/waveforms.hpp"

namespace g2g::converters::detail {

// Copper at 20 °C (IEC 60028 annealed copper, 1/58 ohm mm2/m), for skin depth in Dowell's factor;
// winding DC resistances come from the design.
inline constexpr double copper_resistivity_ohm_m = 1.7241e-8;
// Harmonics summed for winding losses (odd and even; the 15th of a triangle carries 1/225 of the
// fundamental amplitude).
inline constexpr int winding_harmonics = 15;

// The named device, or DesignError naming the design, the field and the library.
const devices::Device& require_device(const ConverterDesign& design, const Library& library,
                                      const std::string& part, std::string_view field);
// The secondary/synchronous device: secondary_device, or primary_device when that is empty.
const devices::Device& secondary_device(const ConverterDesign& design, const Library& library);
// Devices in parallel in the secondary/synchronous position: secondary_parallel, or parallel
// when that is 0.
int secondary_parallel(const ConverterDesign& design) noexcept;
// DesignError unless the design has a positive turns ratio (isolated topologies).
void require_turns_ratio(const ConverterDesign& design);
// What an isolated stage (LLC, DAB) looks up, after checking the turns ratio, with the design's
// error messages: the primary and secondary devices, the transformer's and the series
// inductor's cores (nullptr when none), and the secondary's device count.
struct IsolatedParts {
  const devices::Device& primary;
  const devices::Device& secondary;
  const magnetics::CoreMaterial* transformer_core;
  const magnetics::CoreMaterial* inductor_core;
  int secondary_parallel;
};
IsolatedParts isolated_parts(const ConverterDesign& design, const Library& library);
// DesignError unless `inductance_h`, the design's `field`, is positive; `fix` says what to give.
void require_inductance(const ConverterDesign& design, double inductance_h, std::string_view field,
                        std::string_view fix);
// The core material of a magnetic part, nullptr when the part names none (losses then 0),
// DesignError when it names one the library lacks.
const magnetics::CoreMaterial* material_of(const ConverterDesign& design, const Library& library,
                                           const MagneticSpec& part, std::string_view field);

// Checks shared by every topology: f_sw, voltages, power, counts.
void check_design_and_point(const ConverterDesign& design, const OperatingPoint& point);

// Starts a result: the point, zvs_all = true, switches reserved.
ConverterResult start_result(const OperatingPoint& point, std::size_t switch_positions);

// One switch position (count devices in the converter, each with `stress`): loss at its own
// junction temperature, added to the breakdown. `soft_position` marks positions meant to switch
// at zero voltage (their loss of ZVS clears zvs_all and adds a warning).
void add_switch(ConverterResult& result, const ConverterDesign& design, std::string_view position,
                const devices::Device& device, int count, const devices::SwitchStress& stress,
                bool soft_position);

// Residual third-quadrant conduction in a dead time: what remains of t_dead after the current
// i_a has swung the node (charge 2 Q_OSS(v)), per edge.
double residual_dead_time_s(const devices::Device& device, double v_v, double i_a,
                            double t_dead_s) noexcept;

// Winding loss of a current given by its DC part and harmonic RMS values (k f, k = 1..),
// Dowell's factor from the part's geometry (factor 1 when no layer thickness is given).
double winding_loss_w(const MagneticSpec& part, double r_dc_ohm, double i_dc_a,
                      std::span<const double> harmonic_rms_a, double f_hz) noexcept;

// Core loss (W) of the part's core for a piecewise-linear flux over one period (iGSE), or 0 when
// the part has no material.
double core_loss_w(const magnetics::CoreMaterial* material, const MagneticSpec& part,
                   std::span<const magnetics::FluxPoint> flux, double period_s) noexcept;

// Totals: other = other_loss_fraction P_out, p_in, efficiency, heatsink volume.
void finish(ConverterResult& result, const ConverterDesign& design);

}  // namespace g2g::converters::detail
