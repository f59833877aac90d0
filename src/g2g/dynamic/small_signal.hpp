// Small-signal check of a DaeSystem at a point: linearise, eliminate the algebraic unknowns
// (Schur complement), and find the modes of the state matrix with their frequency, damping and
// the unknowns that take part (participation factors). docs/algorithms/dae.md § Small signal.
#pragma once

#include <complex>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "g2g/core/error.hpp"
#include "g2g/dynamic/dae.hpp"

namespace g2g::dynamic {

// Modes below this damping ratio are flagged: the 5 % that issue 14 asks for ("warn below 5 %
// damping"). A requirement of this project, not a physical constant.
inline constexpr double minimum_damping_ratio = 0.05;

struct Participant {
  std::int64_t index = 0;  // the unknown
  std::string name;        // DaeSystem::names(index)
  // |w_k v_k| (left and right eigenvector entries; Pérez-Arriaga, Verghese and Schweppe,
  // "Selective modal analysis", IEEE Trans. PAS 101(9), 1982), normalised to sum to 1 per mode.
  double factor = 0.0;
};

struct Mode {
  std::complex<double> eigenvalue_per_s;  // one of a complex pair: the one with Im >= 0
  double frequency_hz = 0.0;              // Im / 2π; 0 for a real mode
  // -Re / |λ|: 1 for a decaying real mode, -1 for a growing one, 0 for λ = 0 (a pure
  // integrator, such as a state of charge).
  double damping_ratio = 0.0;
  std::vector<Participant> participants;  // the top 5 by factor
  bool poorly_damped = false;  // oscillatory (frequency > 0) and below minimum_damping_ratio
  bool unstable = false;       // Re > 0
};

struct SmallSignalResult {
  std::vector<Mode> modes;  // least damped first
  std::int64_t states = 0;  // differential unknowns: the state matrix's size
  std::int64_t algebraic = 0;
  bool any_poorly_damped = false;
  bool any_unstable = false;
};

// The linearisation cannot be reduced to a state matrix: an algebraic block or the derivative
// block is singular at the point, or the system is not semi-explicit (the equations with
// derivatives are not as many as the differential unknowns). Names the unknown when it can.
class LinearisationError : public Error {
 public:
  LinearisationError(std::string message, std::string unknown, std::string fix);
  [[nodiscard]] const std::string& unknown() const noexcept { return unknown_; }

 private:
  std::string unknown_;
};

// Linearises F(t, y, y') = 0 at the point: A = dF/dy (jacobian with cj = 0) and
// E = dF/dy' (cj = 1 minus cj = 0); rows with derivatives d, the others a:
//   E_dd Δy_d' + A_dd Δy_d + A_da Δy_a = 0,   A_ad Δy_d + A_aa Δy_a = 0
//   ⇒ Δy_d' = -E_dd⁻¹ (A_dd - A_da A_aa⁻¹ A_ad) Δy_d.
// A_aa by sparse LU, the rest dense (Eigen): meant for aggregated models up to ~2,000 states.
[[nodiscard]] SmallSignalResult small_signal(DaeSystem& system, double t_s,
                                             std::span<const double> y, std::span<const double> yp);

}  // namespace g2g::dynamic
