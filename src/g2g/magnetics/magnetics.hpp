// Magnetic components and passives: ferrite core loss by the improved Steinmetz equation (iGSE)
// for any piecewise-linear flux waveform, winding AC resistance by Dowell's method, capacitor ESR
// loss, and volume estimates (area product, heatsink) for power-density comparisons. Pure
// functions over plain structs; materials are parsed from data/materials/ by library.hpp.
// Equations, sources and assumptions: docs/magnetics.md.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace g2g::magnetics {

// Ferrite with iGSE coefficients (W/m^3 with f in Hz and flux density in T).
struct CoreMaterial {
  std::string name;
  std::string maker;
  double k_i = 0.0;
  double alpha = 0.0;
  double beta = 0.0;
  double f_min_hz = 0.0;  // range of the fit
  double f_max_hz = 0.0;
  double b_sat_t = 0.0;  // saturation flux density (0 = not given), at 100 °C
  std::string source;
  std::vector<std::string> assumptions;
  // Added for the library (data/materials/README.md):
  double b_sat_25c_t = 0.0;         // saturation flux density at 25 °C (0 = not given)
  double fit_temperature_c = 25.0;  // core temperature of the measurements behind the fit
  // Loss temperature factor ct2 - ct1 T + ct0 T^2 (T in °C) multiplying the fitted loss; the
  // defaults make it 1 (no temperature dependence given, loss as at fit_temperature_c).
  double ct0 = 0.0;
  double ct1 = 0.0;
  double ct2 = 1.0;
};

// One vertex of a piecewise-linear flux-density waveform over one period; the last vertex
// closes back to the first at t = period.
struct FluxPoint {
  double t_s = 0.0;
  double b_t = 0.0;
};

// Time-averaged core loss density (W/m^3) of a periodic piecewise-linear waveform by iGSE:
// (1/T) sum over segments k_i |dB/dt|^alpha (dB_pp)^(beta - alpha) dt, with dB_pp the
// peak-to-peak of the whole waveform (major loop only; minor loops are not split).
double igse_loss_density_w_m3(const CoreMaterial& material, std::span<const FluxPoint> waveform,
                              double period_s) noexcept;
// The same for a sine of peak b_peak_t at f_hz (classical Steinmetz with k from k_i).
double sine_loss_density_w_m3(const CoreMaterial& material, double f_hz, double b_peak_t) noexcept;
// k of the classical Steinmetz equation equivalent to k_i (the standard conversion).
double steinmetz_k(const CoreMaterial& material) noexcept;
// The inverse: k_i of the iGSE from a classical Steinmetz k (for sources that publish k).
double k_i_from_steinmetz_k(double k, double alpha, double beta) noexcept;
// Multiplier of the fitted loss at core temperature temperature_c (1 when the material gives no
// temperature dependence): ct2 - ct1 T + ct0 T^2.
double core_loss_temperature_factor(const CoreMaterial& material, double temperature_c) noexcept;

// Symmetric triangle (duty 0.5) or asymmetric triangle (rising for duty*T) of peak-to-peak
// b_pp_t, centred on zero: the flux of a transformer or inductor with a square voltage.
std::vector<FluxPoint> triangle_flux(double period_s, double b_pp_t, double duty = 0.5);

// ---- Windings ----

// Skin depth of a conductor of resistivity rho_ohm_m at f_hz (non-magnetic).
double skin_depth_m(double rho_ohm_m, double f_hz) noexcept;

// Dowell's AC-to-DC resistance factor of a winding portion of `layers` layers of foil or
// (equivalent) round-wire layers of thickness h_m (porosity-corrected), at frequency f_hz.
double dowell_factor(double h_m, int layers, double rho_ohm_m, double f_hz,
                     double porosity = 1.0) noexcept;

// Round wire of diameter d_m as a Dowell layer (Ferreira 1994): the square of equal area,
// h = d sqrt(pi)/2, with porosity eta = turns_per_layer * h / layer_height_m (capped at 1).
struct DowellLayer {
  double h_m = 0.0;
  double porosity = 1.0;
};
DowellLayer round_wire_layer(double d_m, int turns_per_layer, double layer_height_m) noexcept;

// Winding loss for a current given by its DC part and harmonic RMS amplitudes (harmonic n at
// n * f_hz): sum over harmonics of I_n^2 R_dc F_R(n f).
double winding_loss_w(double r_dc_ohm, double i_dc_a, std::span<const double> harmonic_rms_a,
                      double f_hz, double h_m, int layers, double rho_ohm_m,
                      double porosity = 1.0) noexcept;

// RMS of the harmonics (n = 1..count) of a symmetric trapezoidal/triangular current, for
// winding_loss_w: Fourier series of a piecewise-linear periodic waveform.
std::vector<double> harmonic_rms_a(std::span<const FluxPoint> waveform, double period_s, int count);

// ---- Capacitors ----
double capacitor_loss_w(double i_rms_a, double esr_ohm) noexcept;

// ---- Volume estimates ----
// Area product A_p = A_e A_w (m^4) a transformer or inductor needs for `energy_or_va` handled per
// cycle: transformer A_p = P / (K_f K_u B_max J f) (K_f 4 square wave, 4.44 sine); inductor
// A_p = L I_pk I_rms / (K_u B_max J).
double transformer_area_product_m4(double power_va, double f_hz, double b_max_t, double j_a_m2,
                                   double k_u = 0.4, double k_f = 4.0) noexcept;
double inductor_area_product_m4(double l_h, double i_peak_a, double i_rms_a, double b_max_t,
                                double j_a_m2, double k_u = 0.4) noexcept;
// Boxed volume of a core with that area product (V ≈ k_v A_p^(3/4), k_v from standard core
// families; see docs/magnetics.md for the fit and its source or assumption).
double core_volume_m3(double area_product_m4) noexcept;
// Heatsink volume that removes loss_w with a rise of delta_t_k, for a cooling-system
// performance index cspi (W / (K m^3)): V = loss / (delta_t cspi).
double heatsink_volume_m3(double loss_w, double delta_t_k, double cspi_w_per_k_m3) noexcept;

}  // namespace g2g::magnetics
