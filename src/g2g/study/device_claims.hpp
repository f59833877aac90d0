// The public device claims — GaN "switches 10x faster, 50 % lower loss, 70 % smaller" than
// silicon — evaluated for one converter design with one part per technology (GaN, SiC, Si) put
// in the same switch positions. For each technology: the switching transition times and dv/dt of
// the charge-based model at the operating point, the loss and its breakdown at the design
// frequency, the frequency at which its loss equals the reference's (silicon's) loss at the design
// frequency, and the magnetics (area product) and heatsink volumes at both frequencies. Each claim
// is judged with study::judge (claims.hpp: "holds" at >= 85 % of the claimed improvement) and
// recomputed with one assumption changed at a time (frequency, gate resistance, load, the silicon
// part, the core-loss limit). Inputs are never tuned. Pure functions, no I/O.
// docs/device-claims.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "g2g/converters/converter.hpp"
#include "g2g/study/claims.hpp"

namespace g2g::study {

// One technology's parts in the design's switch positions. Empty / negative fields keep the
// design's value.
struct DeviceAlternative {
  std::string label;             // "GaN", "SiC", "Si"
  std::string primary_device;    // replaces design.primary_device (control switch, primary)
  std::string secondary_device;  // replaces design.secondary_device (rectifier, low side)
  int parallel = 0;              // devices per primary position (0 = design.parallel)
  int secondary_parallel = -1;   // devices per secondary position (-1 = design's)
  double r_g_ext_ohm = -1.0;     // external gate resistance (< 0 = design.gate)
  double t_dead_s = -1.0;        // dead time (< 0 = design.t_dead_s)
};

// What the equal-loss frequency equalises: the semiconductor loss (conduction, switching, dead
// time, gate) or the whole converter loss (same efficiency).
enum class LossBasis : std::uint8_t { devices, converter };
std::string_view loss_basis_name(LossBasis basis) noexcept;

struct DeviceClaimOptions {
  LossBasis basis = LossBasis::devices;
  // Alternative whose loss at the design frequency is the budget and against which the claims
  // are judged; npos = the first silicon alternative (si_lv_mosfet or si_superjunction).
  std::size_t reference = static_cast<std::size_t>(-1);
  // Search range of the equal-loss frequency (0 = f_design / 20 and 50 f_design).
  double f_min_hz = 0.0;
  double f_max_hz = 0.0;
  // Area product A_p (magnetics/volume.cpp): flux density, current density, window fill.
  double b_max_t = 0.1;
  double j_a_per_m2 = 5e6;
  double k_u = 0.4;
  // > 0: the flux density is lowered where the sine core loss density of the design's core
  // material at f would exceed this (B = (P_v / (k f^alpha))^(1/beta)), so A_p falls slower
  // than 1/f; 0 = B_max fixed (A_p ∝ 1/f).
  double core_loss_limit_w_per_m3 = 0.0;
  // Heatsink volume = device heat / (delta_t cspi) (Drofenik et al., PCIM 2005).
  double heatsink_delta_t_k = 40.0;
  double heatsink_cspi_w_per_k_m3 = 0.0;  // 0 = design's, or 20 W/(K dm3) when it has none
  // Sensitivity: each value recomputes every claim with that one change.
  std::vector<double> sensitivity_f_sw_hz;
  std::vector<double> sensitivity_r_g_ext_ohm;  // applied to every technology
  std::vector<double> sensitivity_p_out_w;
  std::vector<DeviceAlternative> sensitivity_silicon;  // in place of the reference
  std::vector<double> sensitivity_core_loss_limit_w_per_m3;
};

// Transition times of the hard-switched position (the design's first switch position) at its
// voltage and current at the operating point (devices::switching_times).
struct SwitchingSpeed {
  std::string device;
  double v_v = 0.0;
  double i_a = 0.0;
  devices::SwitchingTimes times;
  double t_on_s = 0.0;             // t_ri + t_fv
  double t_off_s = 0.0;            // t_rv + t_fi
  double dv_dt_on_v_per_s = 0.0;   // V / t_fv
  double dv_dt_off_v_per_s = 0.0;  // V / t_rv
};

// One technology at one switching frequency.
struct TechnologyPoint {
  double f_sw_hz = 0.0;
  converters::ConverterResult result;
  double device_loss_w = 0.0;  // conduction + switching + dead time + gate
  double budget_loss_w = 0.0;  // the loss the basis compares (device or converter)
  double b_max_t = 0.0;
  double area_product_m4 = 0.0;  // all magnetic parts of the converter
  double magnetics_volume_m3 = 0.0;
  double heatsink_volume_m3 = 0.0;
  [[nodiscard]] double volume_m3() const noexcept {
    return magnetics_volume_m3 + heatsink_volume_m3;
  }
};

struct TechnologyResult {
  DeviceAlternative alternative;
  devices::Technology technology = devices::Technology::si_lv_mosfet;  // of the primary part
  SwitchingSpeed speed;
  TechnologyPoint at_design_f;
  TechnologyPoint at_equal_loss_f;  // where budget_loss_w = the reference's at the design f
  bool equal_loss_in_range = true;  // false: the search range ended first (f is its end)
};

struct DeviceClaimsResult {
  std::string converter;
  converters::OperatingPoint point;
  double f_design_hz = 0.0;
  LossBasis basis = LossBasis::devices;
  std::size_t reference = 0;   // index into technologies
  double loss_budget_w = 0.0;  // the reference's budget_loss_w at the design frequency
  std::vector<TechnologyResult> technologies;
  // Against the reference, for the first GaN alternative: "speed", "loss_devices",
  // "loss_converter", "size_equal_loss", "size_same_f"; not_applicable without GaN or silicon.
  std::vector<Claim> claims;
};

// The design with the alternative's parts, counts, gate resistance and dead time.
converters::ConverterDesign with_alternative(const converters::ConverterDesign& design,
                                             const DeviceAlternative& alternative);

// The design moved to f_sw_hz with the same currents: every inductance and the resonant
// capacitance scaled by f_design/f (same ripple, same resonant impedance and phase shift), cores
// and windings unchanged, the dead time capped at 5 % of the period.
converters::ConverterDesign at_frequency(const converters::ConverterDesign& design, double f_sw_hz);

// The highest frequency of the first stretch of [f_lo, f_hi] where loss_at(f) <= budget: a
// 64-point log-spaced scan finds the first point within the budget and the first point after it
// above the budget, then bisection (in log f) narrows that bracket to rel. 1e-9. A loss that is
// U-shaped in f (fixed cores: core loss falls with f, switching loss rises) is handled.
// *in_range = false when the budget is exceeded everywhere (f_lo returned) or nowhere after the
// first point within it (f_hi returned).
double frequency_for_loss_budget(const std::function<double(double)>& loss_at, double budget_w,
                                 double f_lo_hz, double f_hi_hz, bool* in_range);

// Area product of every magnetic part at f_sw_hz and flux density b_max_t (McLyman): buck
// phases x L I_pk I_rms / (K_u B J) with L scaled as at_frequency; LLC/DAB the transformer,
// P_t = 2 P_out, K_f = 4; PFC/AFE the boost inductors at the line current.
double magnetics_area_product_m4(const converters::ConverterDesign& design,
                                 const converters::OperatingPoint& point, double f_sw_hz,
                                 double b_max_t, const DeviceClaimOptions& options) noexcept;

// Flux density for the area product at f: options.b_max_t, lowered to the core-loss limit when
// one is set and the material is known (nullptr: b_max_t).
double flux_density_at_t(const magnetics::CoreMaterial* material, double f_hz,
                         const DeviceClaimOptions& options) noexcept;

// Transition times of a device at (v, i) with a gate drive.
SwitchingSpeed switching_speed(const devices::Device& device, double v_v, double i_a,
                               const devices::GateDrive& gate) noexcept;

// The whole study. Throws converters::DesignError for an unknown part or a design that cannot be
// evaluated; g2g::InvalidInput for an empty list of alternatives.
DeviceClaimsResult evaluate_device_claims(const converters::ConverterDesign& design,
                                          const converters::Library& library,
                                          const converters::OperatingPoint& point,
                                          const std::vector<DeviceAlternative>& alternatives,
                                          const DeviceClaimOptions& options = {});

}  // namespace g2g::study
