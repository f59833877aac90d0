// dynamic::Integrator: SUNDIALS IDA (variable-order BDF for DAEs) with the KLU sparse direct
// solver, over a DaeSystem. Every SUNDIALS handle is owned, every return code checked and thrown
// as an IntegrationError naming the function and IDA's flag; the caller sees every integrator
// step (IDA_ONE_STEP), stops exactly at the edges it names (IDASetStopTime), and state events are
// located by IDA's root finding, markers (DaeSystem::marker_roots) by the Integrator on IDA's
// interpolating polynomial. docs/algorithms/dae.md, docs/dynamic.md § Integrator.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "g2g/core/error.hpp"
#include "g2g/dynamic/dae.hpp"

namespace g2g::dynamic {

// The sparse direct solver of IDA's Newton iterations: SUNDIALS' KLU module (klu_l, 64-bit
// indices, COLAMD ordering, block triangular form, a fresh analysis at every re-initialisation)
// or steady::SparseLu (KLU's int32 interface, the steady solver's leaves-first ordering, the
// analysis kept for the Integrator's life). Both factor the same matrix with partial pivoting;
// measured against each other in docs/benchmarks.md § Time domain.
enum class LinearSolverKind : std::uint8_t { klu, sparse_lu };

// Every field without a value here must be given (checked by the Integrator's constructor):
// tolerances and time scales belong to the study, not to the library.
struct IntegratorOptions {
  double relative_tolerance = 0.0;          // > 0, e.g. 1e-4
  double absolute_tolerance = 0.0;          // > 0, in each unknown's own unit ...
  std::vector<double> absolute_tolerances;  // ... or one per unknown (replaces the scalar)
  double max_step_s = 0.0;                  // 0: unlimited (IDA's default)
  double initial_step_s = 0.0;              // 0: IDA estimates it (IDA's default)
  // Steps over the Integrator's life before advance_to gives up with an IntegrationError
  // ("too many steps"); 0: no limit. A guard against an undamped or Zeno-like run.
  long max_steps = 0;
  // tout1 - t for the consistent initial conditions after a state event that changed the
  // equations (IDACalcIC takes its direction and step scale from it): the scenario's shortest
  // time scale, e.g. an edge's rise time. Required when the system has root functions.
  double event_horizon_s = 0.0;
  // The faster of the two on the hall benchmarks (docs/benchmarks.md § Time domain): its
  // leaves-first order fills the hall's iteration matrix 2.4x less than the KLU module's COLAMD.
  LinearSolverKind linear_solver = LinearSolverKind::sparse_lu;
  // IDA's step-size control (SUNDIALS 6.4 IDA guide, "Optional input for IDA": IDASetMaxOrd,
  // IDASetEtaFixedStepBounds); the defaults are IDA's own. After a successful step IDA keeps its
  // step while the ratio eta it could change it by lies in [keep_step_from, keep_step_below),
  // which spares a refactorisation of the iteration matrix.
  int max_order = 5;  // of the BDF formulas, 1..5
  double keep_step_from = 1.0;
  double keep_step_below = 2.0;
};

// Counters over the Integrator's whole life (IDA's own restart at zero at every
// re-initialisation; these are summed).
struct IntegratorStats {
  long steps = 0;
  long residual_evaluations = 0;  // by the integrator and the initial-condition solver
  long jacobian_evaluations = 0;
  long factorizations = 0;  // KLU numeric factorisations: one per linear-solver setup
  long error_test_failures = 0;
  long nonlinear_iterations = 0;
  long nonlinear_convergence_failures = 0;
  long events = 0;              // located roots, markers included
  long initial_conditions = 0;  // IDACalcIC runs
};

enum class StepKind : std::uint8_t {
  step,       // an ordinary integrator step
  stop,       // the stop time of advance_to, reached exactly
  event,      // a located root, before the system handled it, or a marker
  restarted,  // the same time after a discontinuity, with consistent y and y'
};

struct Step {
  StepKind kind = StepKind::step;
  double t_s = 0.0;  // y and y' are at this time (a marker's event lies inside IDA's step)
  std::span<const double> y;
  std::span<const double> yp;
  std::span<const int> roots;  // for an event: +1/-1 for each root function that crossed, else 0
};

// Called for every step and event; returns false to stop (cancel) the integration there.
using StepCallback = std::function<bool(const Step&)>;

enum class AdvanceOutcome : std::uint8_t { reached, cancelled };

// What the residual and the Jacobian look like at the point where IDA failed. Rows of F are
// named by the unknown they determine (DaeSystem::names).
struct FailureDiagnostics {
  struct Entry {
    std::int64_t index = 0;
    std::string name;
    double residual = 0.0;
  };
  double t_s = 0.0;
  double algebraic_residual_norm = 0.0;     // 2-norm of F over the algebraic unknowns' rows
  double differential_residual_norm = 0.0;  // ... and over the differential ones
  std::vector<Entry> worst;                 // up to 5, largest |F_k| first
  std::vector<std::string> empty_rows;      // no entry in the pattern, or all zero here
  std::vector<std::string> empty_columns;
  std::vector<std::string> zero_diagonals;  // dF_k/dy_k + cj dF_k/dy'_k absent or zero here
  std::string singular_row;                 // KLU's first singular pivot, when it found one
};

// The integration failed (exit 4 in the CLI): the SUNDIALS function, IDA's flag name (e.g.
// "IDA_CONV_FAIL"), IDA's own message, and the diagnostics when the failure is at a point.
class IntegrationError : public Error {
 public:
  IntegrationError(std::string function, int flag, std::string flag_name,
                   std::string sundials_message, std::optional<FailureDiagnostics> diagnostics);
  [[nodiscard]] const std::string& function() const noexcept { return function_; }
  [[nodiscard]] int flag() const noexcept { return flag_; }
  [[nodiscard]] const std::string& flag_name() const noexcept { return flag_name_; }
  [[nodiscard]] const std::string& sundials_message() const noexcept { return sundials_message_; }
  [[nodiscard]] const std::optional<FailureDiagnostics>& diagnostics() const noexcept {
    return diagnostics_;
  }

 private:
  std::string function_;
  int flag_;
  std::string flag_name_;
  std::string sundials_message_;
  std::optional<FailureDiagnostics> diagnostics_;
};

// The diagnostics at a point, as IntegrationError reports them (also for a caller that wants
// them without a failure). cj weights dF/dy' in the Jacobian checked for zero diagonals.
[[nodiscard]] FailureDiagnostics diagnose(DaeSystem& system, double t_s, std::span<const double> y,
                                          std::span<const double> yp, double cj);

class Integrator {
 public:
  // Sets IDA up at (t0, y0, y0'); the system must outlive the integrator. y0' need not be
  // consistent if initial_conditions() is called before advancing.
  Integrator(DaeSystem& system, double t0_s, std::span<const double> y0,
             std::span<const double> yp0, const IntegratorOptions& options);
  ~Integrator();
  Integrator(const Integrator&) = delete;
  Integrator& operator=(const Integrator&) = delete;

  // Restarts IDA at the present point (IDAReInit: order 1, history dropped, as a discontinuity
  // needs) and makes it consistent (IDACalcIC with IDA_YA_YDP_INIT): the algebraic unknowns and
  // the derivatives of the differential ones are solved for, the differential unknowns kept.
  // tout1_s > time_s() is the first time a solution is wanted: IDA takes the direction and the
  // scale of its trial step from it (GridKit #314: never a fixed absolute time).
  void initial_conditions(double tout1_s);
  // Integrates to t_stop_s, never past it, calling on_step after every step, event and restart.
  // After a cancellation at a marker's event the point is the event's, inside IDA's step: call
  // initial_conditions before advancing again (InvalidInput otherwise).
  // At a root the system's handle_event decides; if it changed the equations, initial_conditions
  // runs at once with tout1 = t + event_horizon_s (GridKit #226). At a known edge (a profile
  // step), stop there with advance_to, change the system, and call initial_conditions yourself.
  AdvanceOutcome advance_to(double t_stop_s, const StepCallback& on_step);

  [[nodiscard]] double time_s() const noexcept;
  [[nodiscard]] std::span<const double> y() const noexcept;
  [[nodiscard]] std::span<const double> yp() const noexcept;
  [[nodiscard]] IntegratorStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace g2g::dynamic
