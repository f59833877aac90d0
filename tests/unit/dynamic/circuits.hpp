// Small circuits as DaeSystems for the integrator's and the small-signal tests, each with a
// closed-form answer. Row k of F is the equation of unknown k (KCL for a node voltage's
// neighbour, the branch law for a current), as DaeSystem asks.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "g2g/dynamic/dae.hpp"

namespace g2g::dynamic::fixtures {

// A DAE of a few unknowns with a dense pattern (every entry, zero or not): each circuit writes
// its Jacobian dF/dy + cj dF/dy' as a dense matrix.
class DenseDae : public DaeSystem {
 public:
  struct Unknown {
    std::string state;
    bool differential;
  };
  explicit DenseDae(std::vector<Unknown> unknowns) : unknowns_(std::move(unknowns)) {}

  [[nodiscard]] std::int64_t size() const override {
    return static_cast<std::int64_t>(unknowns_.size());
  }
  [[nodiscard]] std::vector<bool> differential() const override {
    std::vector<bool> flags;
    for (const auto& u : unknowns_) flags.push_back(u.differential);
    return flags;
  }
  [[nodiscard]] CsrPattern pattern() const override {
    CsrPattern p;
    p.size = size();
    p.row_start.push_back(0);
    for (std::int64_t r = 0; r < p.size; ++r) {
      for (std::int64_t c = 0; c < p.size; ++c) p.column.push_back(c);
      p.row_start.push_back(static_cast<std::int64_t>(p.column.size()));
    }
    return p;
  }
  void jacobian(double t_s, std::span<const double> y, std::span<const double> yp, double cj,
                std::span<double> values) override {
    const auto n = unknowns_.size();
    std::vector<std::vector<double>> dense(n, std::vector<double>(n, 0.0));
    dense_jacobian(t_s, y, yp, cj, dense);
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t c = 0; c < n; ++c) values[r * n + c] = dense[r][c];
  }
  [[nodiscard]] UnknownName names(std::int64_t k) const override {
    return {"circuit", unknowns_[static_cast<std::size_t>(k)].state};
  }

 protected:
  virtual void dense_jacobian(double t_s, std::span<const double> y, std::span<const double> yp,
                              double cj, std::vector<std::vector<double>>& j) = 0;

 private:
  std::vector<Unknown> unknowns_;
};

// Series R–L–C across a source switched on at t = 0: unknowns i (inductor current) and v_c.
//   L i' + R i + v_c - V = 0,   C v_c' - i = 0.
class SeriesRlc : public DenseDae {
 public:
  SeriesRlc(double source_v, double r_ohm, double l_h, double c_f)
      : DenseDae({{"i_l", true}, {"v_c", true}}), v_(source_v), r_(r_ohm), l_(l_h), c_(c_f) {}
  void residual(double /*t_s*/, std::span<const double> y, std::span<const double> yp,
                std::span<double> out) override {
    out[0] = l_ * yp[0] + r_ * y[0] + y[1] - v_;
    out[1] = c_ * yp[1] - y[0];
  }

  // The closed-form response from rest (i = v_c = 0 at t = 0).
  [[nodiscard]] std::pair<double, double> exact(double t_s) const {
    const double alpha = r_ / (2.0 * l_);
    const double omega0_squared = 1.0 / (l_ * c_);
    if (alpha * alpha < omega0_squared) {
      const double omega_d = std::sqrt(omega0_squared - alpha * alpha);
      const double decay = std::exp(-alpha * t_s);
      return {v_ / (l_ * omega_d) * decay * std::sin(omega_d * t_s),
              v_ * (1.0 -
                    decay * (std::cos(omega_d * t_s) + alpha / omega_d * std::sin(omega_d * t_s)))};
    }
    const double root = std::sqrt(alpha * alpha - omega0_squared);
    const double s1 = -alpha + root;
    const double s2 = -alpha - root;
    const double e1 = std::exp(s1 * t_s);
    const double e2 = std::exp(s2 * t_s);
    return {v_ / (l_ * (s1 - s2)) * (e1 - e2), v_ * (1.0 + (s2 * e1 - s1 * e2) / (s1 - s2))};
  }

 protected:
  void dense_jacobian(double, std::span<const double>, std::span<const double>, double cj,
                      std::vector<std::vector<double>>& j) override {
    j = {{r_ + cj * l_, 1.0}, {-1.0, cj * c_}};
  }

 private:
  double v_, r_, l_, c_;
};

// R–C charged from a source through R, its current i_s an algebraic unknown (tau = 1 ms):
//   C v_c' - i_s = 0,   R i_s - (V_source - v_c) = 0.
// v_c(t) = V (1 - exp(-t / tau)) from rest; tests add root functions and events.
class ChargingRc : public DenseDae {
 public:
  static constexpr double r_ohm = 1e3;
  static constexpr double c_f = 1e-6;
  double source_v = 10.0;

  ChargingRc() : DenseDae({{"v_c", true}, {"i_s", false}}) {}
  void residual(double /*t_s*/, std::span<const double> y, std::span<const double> yp,
                std::span<double> out) override {
    out[0] = c_f * yp[0] - y[1];
    out[1] = r_ohm * y[1] - (source_v - y[0]);
  }

 protected:
  void dense_jacobian(double, std::span<const double>, std::span<const double>, double cj,
                      std::vector<std::vector<double>>& j) override {
    j = {{cj * c_f, -1.0}, {1.0, r_ohm}};
  }
};

}  // namespace g2g::dynamic::fixtures
