// The differential-algebraic system that dynamic::Integrator (IDA) integrates and
// dynamic::small_signal linearises: F(t, y, y') = 0, one equation per unknown. How the caller
// builds it (the network's F(x) + d/dt Q(x) = 0) is its own business; this is only what the
// integrator needs. docs/algorithms/dae.md.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "g2g/core/error.hpp"

namespace g2g::dynamic {

// A fixed sparsity pattern in compressed-row form: row k's entries are
// column[row_start[k]] .. column[row_start[k + 1] - 1], columns ascending within a row. 64-bit
// indices because Debian builds SUNDIALS with them, so the pattern is copied into IDA's
// matrix without conversion.
struct CsrPattern {
  std::int64_t size = 0;
  std::vector<std::int64_t> row_start;  // size + 1
  std::vector<std::int64_t> column;     // row_start[size] entries
};

// Who unknown k is, for diagnostics and participation factors: "element 'bus3' state 'v'".
struct UnknownName {
  std::string element;  // element id, e.g. "row[2]/rack[5]/dcdc"
  std::string state;    // state name within the element, e.g. "v_link" or "i_l"
};

// "element.state" (or just the state when the element is empty).
[[nodiscard]] std::string to_string(const UnknownName& name);

// Thrown by a DaeSystem callback when the point it is given lies outside its model's domain (a
// trial Newton iterate with a negative voltage under a constant-power load, say). Inside IDA it
// is a recoverable failure: IDA retries with a smaller step; only if that keeps failing does it
// reach the caller, wrapped in an IntegrationError.
class OutsideDomain : public Error {
 public:
  explicit OutsideDomain(std::string message);
};

// Row k of F is the equation that determines unknown k (the equation numbering follows the
// unknowns); differential() says whether y'_k appears anywhere in F.
class DaeSystem {
 public:
  virtual ~DaeSystem() = default;

  [[nodiscard]] virtual std::int64_t size() const = 0;
  // Per unknown: true when its derivative appears in F (IDA's id vector: 1.0 differential,
  // 0.0 algebraic).
  [[nodiscard]] virtual std::vector<bool> differential() const = 0;
  // out = F(t, y, y'); all spans have size().
  virtual void residual(double t_s, std::span<const double> y, std::span<const double> yp,
                        std::span<double> out) = 0;
  // The pattern of dF/dy + cj dF/dy', fixed for the system's lifetime (breakers, limits and
  // events change values, never the pattern). The Integrator asks once; the diagnostics and
  // small_signal ask again.
  [[nodiscard]] virtual CsrPattern pattern() const = 0;
  // values[e] = (dF/dy + cj dF/dy') at the pattern's entry e; every entry must be written.
  virtual void jacobian(double t_s, std::span<const double> y, std::span<const double> yp,
                        double cj, std::span<double> values) = 0;
  // State events: the number of root functions and their values g(t, y, y'); IDA locates the
  // time where one changes sign.
  [[nodiscard]] virtual int roots() const { return 0; }
  virtual void root_functions(double /*t_s*/, std::span<const double> /*y*/,
                              std::span<const double> /*yp*/, std::span<double> /*out*/) {}
  // Per root function, whether it only marks a moment: its crossing changes no equation and no
  // value (a PI loop's unlimited current passing the clamp its residual already has). The
  // Integrator locates markers itself, after each step on IDA's interpolating polynomial, and
  // reports them as events without calling handle_event; IDA's root finding sees the others.
  // Empty (the default): none is a marker.
  [[nodiscard]] virtual std::vector<bool> marker_roots() const { return {}; }
  // Called at a located root; which_roots[r] is +1 or -1 (the direction g_r crossed zero) for
  // every root function r that crossed, 0 for the others. The system may change its equations
  // (a converter trips) and y (a reset state). Returns true when it did: a discontinuity, after
  // which the integrator computes consistent initial conditions again.
  virtual bool handle_event(double /*t_s*/, std::span<double> /*y*/, std::span<double> /*yp*/,
                            std::span<const int> /*which_roots*/) {
    return false;
  }
  // Called after every consistent initialisation (Integrator::initial_conditions): a threshold
  // may lie behind the new point without any root function having crossed zero (an algebraic
  // voltage jumps with its loads at a discontinuity). The system switches what it would have
  // switched at a root. Returns true when that changed its equations: the integrator makes the
  // point consistent again.
  virtual bool check_modes(double /*t_s*/, std::span<double> /*y*/, std::span<double> /*yp*/) {
    return false;
  }
  [[nodiscard]] virtual UnknownName names(std::int64_t k) const = 0;
};

}  // namespace g2g::dynamic
