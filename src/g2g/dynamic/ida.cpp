#include "g2g/dynamic/ida.hpp"

#include <ida/ida.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_klu.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <numeric>
#include <type_traits>
#include <utility>

#include "g2g/dynamic/crossing.hpp"
#include "g2g/dynamic/sparse_lu_linear_solver.hpp"
#include "g2g/dynamic/vector_operations.hpp"

namespace g2g::dynamic {

static_assert(std::is_same_v<sunindextype, std::int64_t>,
              "CsrPattern holds 64-bit indices, as Debian's SUNDIALS uses (DaeSystem::pattern)");
static_assert(std::is_same_v<realtype, double>);

namespace {

// The stall check of advance_to: this many steps within this much simulated time.
constexpr long stall_steps = 10'000;
constexpr double stall_window_s = 1e-9;

// The first names of a list that may be long (a system with thousands of unknowns): the
// message stays readable, the full lists are in FailureDiagnostics.
std::string join_names(const std::vector<std::string>& names) {
  constexpr std::size_t shown = 10;
  if (names.size() <= shown) return fmt::format("{}", fmt::join(names, ", "));
  return fmt::format("{} and {} more", fmt::join(names.begin(), names.begin() + shown, ", "),
                     names.size() - shown);
}

std::string describe(const std::string& function, const std::string& flag_name,
                     const std::string& sundials_message,
                     const std::optional<FailureDiagnostics>& d) {
  std::string text = fmt::format("{} failed ({})", function, flag_name);
  if (d) text += fmt::format(" at t = {:.9g} s", d->t_s);
  if (!sundials_message.empty()) {
    // IDA's sentences end with a full stop; the fields follow after a semicolon.
    const auto end = sundials_message.find_last_not_of(". \n");
    text += ": " + sundials_message.substr(0, end == std::string::npos ? 0 : end + 1);
  }
  if (!d) return text;
  text += fmt::format("; residual 2-norm over algebraic unknowns {:.3g}, over differential {:.3g}",
                      d->algebraic_residual_norm, d->differential_residual_norm);
  if (!d->worst.empty()) {
    std::vector<std::string> worst;
    for (const auto& entry : d->worst)
      worst.push_back(fmt::format("{} ({:.3g})", entry.name, entry.residual));
    text += "; largest residuals: " + join_names(worst);
  }
  if (!d->empty_rows.empty())
    text += "; equations with no Jacobian entry: " + join_names(d->empty_rows);
  if (!d->empty_columns.empty())
    text += "; unknowns no equation depends on: " + join_names(d->empty_columns);
  if (!d->zero_diagonals.empty())
    text += "; zero Jacobian diagonals: " + join_names(d->zero_diagonals);
  if (!d->singular_row.empty())
    text += "; KLU's first singular pivot: the equation of " + d->singular_row;
  return text;
}

std::string fix_for(const std::optional<FailureDiagnostics>& d) {
  if (!d) return {};
  if (!d->empty_rows.empty() || !d->empty_columns.empty() || !d->singular_row.empty())
    return "give each unknown named above an equation that depends on it (a structurally "
           "singular system: a floating node, or a state no element sets)";
  return "check the equations of the unknowns with the largest residuals; a discontinuity "
         "needs initial_conditions() after it, a stiff oscillation a smaller max_step_s";
}

// IDA's name for its flag (IDAGetReturnFlagName allocates it with malloc).
std::string ida_flag_name(int flag) {
  char* name = IDAGetReturnFlagName(flag);
  std::string text = name != nullptr ? name : fmt::format("flag {}", flag);
  std::free(name);  // NOLINT(cppcoreguidelines-no-malloc): SUNDIALS' allocation
  return text;
}

// The same for IDA's linear-solver interface (IDASetLinearSolver, IDASetJacFn).
std::string ida_ls_flag_name(int flag) {
  char* name = IDAGetLinReturnFlagName(flag);
  std::string text = name != nullptr ? name : fmt::format("flag {}", flag);
  std::free(name);  // NOLINT(cppcoreguidelines-no-malloc)
  return text;
}

// A SUNDIALS object that should exist but does not (a constructor returned NULL).
[[noreturn]] void throw_null(const char* function) {
  throw IntegrationError(function, 0, "NULL", "returned no object (out of memory or bad size)",
                         std::nullopt);
}

struct ContextDeleter {
  void operator()(SUNContext context) const noexcept { SUNContext_Free(&context); }
};
struct VectorDeleter {
  void operator()(N_Vector vector) const noexcept { N_VDestroy(vector); }
};
struct MatrixDeleter {
  void operator()(SUNMatrix matrix) const noexcept { SUNMatDestroy(matrix); }
};
struct LinearSolverDeleter {
  void operator()(SUNLinearSolver solver) const noexcept { SUNLinSolFree(solver); }
};
struct IdaDeleter {
  void operator()(void* memory) const noexcept { IDAFree(&memory); }
};

using ContextHandle = std::unique_ptr<std::remove_pointer_t<SUNContext>, ContextDeleter>;
using VectorHandle = std::unique_ptr<std::remove_pointer_t<N_Vector>, VectorDeleter>;
using MatrixHandle = std::unique_ptr<std::remove_pointer_t<SUNMatrix>, MatrixDeleter>;
using LinearSolverHandle =
    std::unique_ptr<std::remove_pointer_t<SUNLinearSolver>, LinearSolverDeleter>;
using IdaHandle = std::unique_ptr<void, IdaDeleter>;

// Every vector here is a serial one (ours, or IDA's clones of them): its fields directly, not
// through the unoptimised generic accessors.
std::span<double> view(N_Vector vector) {
  return {NV_DATA_S(vector), static_cast<std::size_t>(NV_LENGTH_S(vector))};
}

// SUNMatZero_Sparse's work (values, column indices and row pointers to zero), compiled: IDA
// zeroes the matrix before every Jacobian evaluation.
int zero_sparse_matrix(SUNMatrix matrix) {
  std::fill_n(SM_DATA_S(matrix), SM_NNZ_S(matrix), 0.0);
  std::fill_n(SM_INDEXVALS_S(matrix), SM_NNZ_S(matrix), sunindextype{0});
  std::fill_n(SM_INDEXPTRS_S(matrix), SM_NP_S(matrix) + 1, sunindextype{0});
  return SUNMAT_SUCCESS;
}

void check_pattern(const CsrPattern& pattern, std::int64_t size) {
  const auto fail = [](const std::string& what) {
    throw Error(ErrorKind::internal, "DaeSystem::pattern(): " + what);
  };
  if (pattern.size != size) fail(fmt::format("size {} for a system of {}", pattern.size, size));
  if (pattern.row_start.size() != static_cast<std::size_t>(size) + 1 || pattern.row_start[0] != 0)
    fail("row_start must have size() + 1 entries starting at 0");
  if (pattern.row_start.back() != static_cast<std::int64_t>(pattern.column.size()))
    fail("row_start's last entry must equal the number of columns");
  for (std::int64_t row = 0; row < size; ++row) {
    const auto begin = pattern.row_start[row];
    const auto end = pattern.row_start[row + 1];
    if (end < begin) fail(fmt::format("row_start decreases at row {}", row));
    for (auto e = begin; e < end; ++e) {
      const auto column = pattern.column[e];
      if (column < 0 || column >= size || (e > begin && column <= pattern.column[e - 1]))
        fail(fmt::format("row {}: columns must lie in [0, size) and ascend", row));
    }
  }
}

void check_options(const IntegratorOptions& options, std::int64_t size, int roots) {
  const auto positive = [](double value) { return std::isfinite(value) && value > 0.0; };
  const auto non_negative = [](double value) { return std::isfinite(value) && value >= 0.0; };
  if (!positive(options.relative_tolerance))
    throw InvalidInput("relative_tolerance", "must be given and > 0", "e.g. 1e-4");
  if (options.absolute_tolerances.empty()) {
    if (!positive(options.absolute_tolerance))
      throw InvalidInput("absolute_tolerance", "must be given and > 0 (or one per unknown)",
                         "e.g. 1e-6 of the unknowns' typical size");
  } else {
    if (options.absolute_tolerances.size() != static_cast<std::size_t>(size))
      throw InvalidInput(
          "absolute_tolerances",
          fmt::format("has {} entries for {} unknowns", options.absolute_tolerances.size(), size));
    if (!std::all_of(options.absolute_tolerances.begin(), options.absolute_tolerances.end(),
                     positive))
      throw InvalidInput("absolute_tolerances", "every entry must be > 0");
  }
  if (!non_negative(options.max_step_s))
    throw InvalidInput("max_step_s", "must be >= 0 (0: unlimited)");
  if (options.max_steps < 0) throw InvalidInput("max_steps", "must be >= 0 (0: no limit)");
  if (!non_negative(options.initial_step_s))
    throw InvalidInput("initial_step_s", "must be >= 0 (0: IDA estimates it)");
  if (options.linear_solver != LinearSolverKind::klu &&
      options.linear_solver != LinearSolverKind::sparse_lu)
    throw InvalidInput("linear_solver", "must be klu or sparse_lu");
  if (options.max_order < 1 || options.max_order > 5)
    throw InvalidInput("max_order", fmt::format("is {}, must be 1 to 5", options.max_order));
  if (!(options.keep_step_from >= 0.0 && options.keep_step_from <= 1.0 &&
        options.keep_step_below >= 1.0 && std::isfinite(options.keep_step_below)))
    throw InvalidInput("keep_step_from", "the step is kept for eta in [from, below)",
                       "give 0 <= keep_step_from <= 1 <= keep_step_below (IDA: 1 and 2)");
  if (roots > 0 && !positive(options.event_horizon_s))
    throw InvalidInput("event_horizon_s", "must be > 0 for a system with root functions",
                       "the scenario's shortest time scale, e.g. an edge's rise time");
}

}  // namespace

IntegrationError::IntegrationError(std::string function, int flag, std::string flag_name,
                                   std::string sundials_message,
                                   std::optional<FailureDiagnostics> diagnostics)
    : Error(ErrorKind::integration, describe(function, flag_name, sundials_message, diagnostics),
            fix_for(diagnostics)),
      function_(std::move(function)),
      flag_(flag),
      flag_name_(std::move(flag_name)),
      sundials_message_(std::move(sundials_message)),
      diagnostics_(std::move(diagnostics)) {}

FailureDiagnostics diagnose(DaeSystem& system, double t_s, std::span<const double> y,
                            std::span<const double> yp, double cj) {
  const std::int64_t size = system.size();
  const auto n = static_cast<std::size_t>(size);
  FailureDiagnostics d;
  d.t_s = t_s;
  const auto name = [&](std::int64_t k) { return to_string(system.names(k)); };

  std::vector<double> residual(n);
  system.residual(t_s, y, yp, residual);
  const std::vector<bool> differential = system.differential();
  double algebraic_squares = 0.0;
  double differential_squares = 0.0;
  for (std::size_t k = 0; k < n; ++k)
    (differential[k] ? differential_squares : algebraic_squares) += residual[k] * residual[k];
  d.algebraic_residual_norm = std::sqrt(algebraic_squares);
  d.differential_residual_norm = std::sqrt(differential_squares);
  std::vector<std::int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  const auto worst_count = std::min<std::size_t>(5, n);
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(worst_count),
                    order.end(), [&](std::int64_t a, std::int64_t b) {
                      return std::abs(residual[a]) > std::abs(residual[b]);
                    });
  for (std::size_t i = 0; i < worst_count; ++i)
    d.worst.push_back({order[i], name(order[i]), residual[static_cast<std::size_t>(order[i])]});

  // Structure and values together: an entry that is in the pattern but zero at this point
  // counts as missing, as it does to the factorisation.
  const CsrPattern pattern = system.pattern();
  std::vector<double> values(pattern.column.size());
  system.jacobian(t_s, y, yp, cj, values);
  std::vector<int> column_entries(n, 0);
  for (std::int64_t row = 0; row < size; ++row) {
    bool row_has_entry = false;
    bool diagonal = false;
    for (auto e = pattern.row_start[row]; e < pattern.row_start[row + 1]; ++e) {
      if (values[static_cast<std::size_t>(e)] == 0.0) continue;
      row_has_entry = true;
      ++column_entries[static_cast<std::size_t>(pattern.column[e])];
      diagonal = diagonal || pattern.column[e] == row;
    }
    if (!row_has_entry) d.empty_rows.push_back(name(row));
    if (!diagonal) d.zero_diagonals.push_back(name(row));
  }
  for (std::int64_t k = 0; k < size; ++k)
    if (column_entries[static_cast<std::size_t>(k)] == 0) d.empty_columns.push_back(name(k));
  return d;
}

struct Integrator::Impl {
  DaeSystem& system;
  IntegratorOptions options;
  std::int64_t size;
  int roots;
  CsrPattern pattern;
  double t_s;
  IntegratorStats totals;  // of the IDA runs before the last re-initialisation
  long events = 0;
  long initial_conditions = 0;
  long steps_taken = 0;  // IDASolve returns in advance_to, for max_steps
  // Progress, for the stall check: the time the last stretch began and its steps so far.
  double stretch_start_s = 0.0;
  long stretch_steps = 0;
  // The root functions (DaeSystem::marker_roots): IDA locates the ones that may change the
  // equations; the markers are located here after each step (report_markers), on IDA's
  // interpolating polynomial, because IDA's root finding runs unoptimised in Debian's SUNDIALS.
  std::vector<std::size_t> ida_roots;  // the system's index of IDA's root function k
  std::vector<std::size_t> markers;    // the system's indices of the markers
  std::vector<double> root_values;     // every root function: IDA's callback's scratch
  std::vector<int> ida_found;          // IDAGetRootInfo's answer, per IDA root function
  std::vector<int> found;              // per root function: its crossing at an event, else 0
  // The markers' values at the last accepted point (time marker_t_s), at the present one, and
  // the search's scratch; y and y' where a marker crossed.
  double marker_t_s = 0.0;
  bool inside_step = false;  // cancelled at a marker's event, before the end of IDA's step
  std::vector<double> marker_low, marker_high, marker_end, marker_trial;
  VectorHandle marker_y;
  VectorHandle marker_yp;
  std::exception_ptr pending;    // thrown inside a callback, rethrown once IDA has returned
  std::string sundials_message;  // IDA's last error text (its handler: the library never prints)
  std::string outside_domain;    // the last OutsideDomain since the last successful step

  // Declared in the order they are made; destroyed in reverse (IDA before what it uses).
  ContextHandle context;
  VectorHandle y;
  VectorHandle yp;
  VectorHandle id;
  VectorHandle absolute_tolerances;
  MatrixHandle matrix;
  LinearSolverHandle linear_solver;
  IdaHandle ida;

  Impl(DaeSystem& system_in, double t0_s, const IntegratorOptions& options_in)
      : system(system_in),
        options(options_in),
        size(system_in.size()),
        roots(system_in.roots()),
        t_s(t0_s),
        stretch_start_s(t0_s) {}

  static Impl& of(void* user_data) noexcept { return *static_cast<Impl*>(user_data); }

  // A callback's exception: OutsideDomain asks IDA for a smaller step (recoverable, > 0);
  // anything else stops IDA (fatal, < 0) and is rethrown when IDA returns.
  int caught() noexcept {
    try {
      throw;
    } catch (const OutsideDomain& e) {
      try {
        outside_domain = e.message();
      } catch (...) {  // no memory for the text: IDA's flag still says what failed
      }
      return 1;
    } catch (...) {
      if (!pending) pending = std::current_exception();
      return -1;
    }
  }

  static int residual(realtype t, N_Vector yy, N_Vector ypv, N_Vector rr,
                      void* user_data) noexcept {
    Impl& self = of(user_data);
    try {
      self.system.residual(t, view(yy), view(ypv), view(rr));
      return 0;
    } catch (...) {
      return self.caught();
    }
  }

  static int jacobian(realtype t, realtype cj, N_Vector yy, N_Vector ypv, N_Vector /*rr*/,
                      SUNMatrix matrix, void* user_data, N_Vector /*tmp1*/, N_Vector /*tmp2*/,
                      N_Vector /*tmp3*/) noexcept {
    Impl& self = of(user_data);
    try {
      // IDA zeroes the matrix (SUNMatZero clears its row pointers too) before every call, so
      // the fixed pattern is written back each time: a copy of O(nnz), like the values.
      std::copy(self.pattern.row_start.begin(), self.pattern.row_start.end(),
                SUNSparseMatrix_IndexPointers(matrix));
      std::copy(self.pattern.column.begin(), self.pattern.column.end(),
                SUNSparseMatrix_IndexValues(matrix));
      const std::span<double> values(SUNSparseMatrix_Data(matrix), self.pattern.column.size());
      self.system.jacobian(t, view(yy), view(ypv), cj, values);
      return 0;
    } catch (...) {
      return self.caught();
    }
  }

  static int root_functions(realtype t, N_Vector yy, N_Vector ypv, realtype* gout,
                            void* user_data) noexcept {
    Impl& self = of(user_data);
    try {
      if (self.markers.empty()) {
        self.system.root_functions(t, view(yy), view(ypv),
                                   {gout, static_cast<std::size_t>(self.roots)});
        return 0;
      }
      self.system.root_functions(t, view(yy), view(ypv), self.root_values);
      for (std::size_t k = 0; k < self.ida_roots.size(); ++k)
        gout[k] = self.root_values[self.ida_roots[k]];
      return 0;
    } catch (...) {
      return self.caught();
    }
  }

  static void error_handler(int error_code, const char* /*module*/, const char* /*function*/,
                            char* message, void* user_data) noexcept {
    if (error_code == IDA_WARNING) return;  // e.g. "t + h = t": IDA copes; so do we
    Impl& self = of(user_data);
    try {
      self.sundials_message = message != nullptr ? message : "";
    } catch (...) {  // no memory for the text: the flag still says what failed
    }
  }

  void rethrow_pending() {
    if (!pending) return;
    std::exception_ptr exception = std::exchange(pending, nullptr);
    std::rethrow_exception(exception);
  }

  // A setup call's flag: anything negative is thrown with its name.
  void check(int flag, const char* function) {
    rethrow_pending();
    if (flag < 0)
      throw IntegrationError(function, flag, ida_flag_name(flag),
                             std::exchange(sundials_message, {}), std::nullopt);
  }
  void check_ls(int flag, const char* function) {
    if (flag < 0)
      throw IntegrationError(function, flag, ida_ls_flag_name(flag),
                             std::exchange(sundials_message, {}), std::nullopt);
  }

  // A failure at a point (IDACalcIC, IDASolve): the flag and the diagnostics at (t, y, y').
  [[noreturn]] void fail_at(int flag, const char* function, double t_at_s) {
    std::optional<FailureDiagnostics> diagnostics;
    try {
      realtype cj = 1.0;
      if (IDAGetCurrentCj(ida.get(), &cj) != IDA_SUCCESS || !(cj > 0.0)) cj = 1.0;
      diagnostics = diagnose(system, t_at_s, view(y.get()), view(yp.get()), cj);
      // Both solvers factor the CSR arrays as the CSC form of the transpose, so KLU's
      // singular column is a row of F's Jacobian.
      std::int64_t singular = -1;
      if (options.linear_solver == LinearSolverKind::sparse_lu) {
        singular = sparse_lu_singular_row(linear_solver.get());
      } else if (const sun_klu_common* common = SUNLinSol_KLUGetCommon(linear_solver.get());
                 common != nullptr && common->status == KLU_SINGULAR) {
        singular = common->singular_col;
      }
      if (singular >= 0 && singular < size)
        diagnostics->singular_row = to_string(system.names(singular));
    } catch (...) {  // the system cannot even be evaluated here: report IDA's failure alone
      diagnostics.reset();
    }
    std::string message = std::exchange(sundials_message, {});
    if (!outside_domain.empty())  // why the residual kept failing (IDA_REP_RES_ERR and the like)
      message += (message.empty() ? "" : "; ") + std::string("the system reported: ") +
                 std::exchange(outside_domain, {});
    throw IntegrationError(function, flag, ida_flag_name(flag), std::move(message),
                           std::move(diagnostics));
  }

  [[nodiscard]] IntegratorStats counters() const {
    IntegratorStats s;
    void* memory = ida.get();
    long jacobians = 0;
    if (IDAGetNumSteps(memory, &s.steps) != IDA_SUCCESS ||
        IDAGetNumResEvals(memory, &s.residual_evaluations) != IDA_SUCCESS ||
        IDAGetNumJacEvals(memory, &jacobians) != IDALS_SUCCESS ||
        IDAGetNumLinSolvSetups(memory, &s.factorizations) != IDA_SUCCESS ||
        IDAGetNumErrTestFails(memory, &s.error_test_failures) != IDA_SUCCESS ||
        IDAGetNumNonlinSolvIters(memory, &s.nonlinear_iterations) != IDA_SUCCESS ||
        IDAGetNumNonlinSolvConvFails(memory, &s.nonlinear_convergence_failures) != IDA_SUCCESS)
      throw IntegrationError("IDAGetNum*", IDA_MEM_NULL, "IDA_MEM_NULL", "no IDA memory",
                             std::nullopt);
    s.jacobian_evaluations = jacobians;
    return s;
  }

  // The markers' values at the present point: where the next search for a crossing begins
  // (after construction and after every consistent initialisation, which may move y).
  void reset_markers() {
    if (markers.empty()) return;
    system.root_functions(t_s, view(y.get()), view(yp.get()), marker_low);
    marker_t_s = t_s;
  }

  // y and y' at t on IDA's interpolating polynomial of its last step, [tn - h_used, tn].
  void interpolate(double t, N_Vector y_at, N_Vector yp_at) {
    void* memory = ida.get();
    realtype tn = t;
    realtype h_used = 0.0;
    check(IDAGetCurrentTime(memory, &tn), "IDAGetCurrentTime");
    check(IDAGetLastStep(memory, &h_used), "IDAGetLastStep");
    t = std::clamp(t, tn - std::fabs(h_used), tn);  // the ends may differ from tn by round-off
    check(IDAGetDky(memory, t, 0, y_at), "IDAGetDky");
    check(IDAGetDky(memory, t, 1, yp_at), "IDAGetDky");
  }

  // Every marker that crossed zero between the last accepted point and the present one (t_s,
  // y, y'), located and reported in time order as an event (handle_event is not called: a
  // marker changes nothing); the present point is then the last accepted one. False when
  // on_step cancelled the integration at an event.
  bool report_markers(const StepCallback& on_step) {
    if (markers.empty()) return true;
    system.root_functions(t_s, view(y.get()), view(yp.get()), marker_end);
    const auto any_crossed = [&] {
      bool any = false;  // no early exit: almost always none crossed
      for (const std::size_t r : markers) any |= crosses(marker_low[r], marker_end[r]);
      return any;
    };
    const auto evaluate = [&](double t, std::span<double> out) {
      interpolate(t, marker_y.get(), marker_yp.get());
      system.root_functions(t, view(marker_y.get()), view(marker_yp.get()), out);
    };
    while (any_crossed()) {
      marker_high = marker_end;
      const double t_event = locate_first_crossing(marker_t_s, marker_low, t_s, marker_high,
                                                   markers, marker_trial, evaluate);
      std::fill(found.begin(), found.end(), 0);
      for (const std::size_t r : markers)
        if (crosses(marker_low[r], marker_high[r])) found[r] = marker_low[r] < 0.0 ? 1 : -1;
      if (t_event == t_s) {
        std::copy_n(NV_DATA_S(y.get()), size, NV_DATA_S(marker_y.get()));
        std::copy_n(NV_DATA_S(yp.get()), size, NV_DATA_S(marker_yp.get()));
      } else {
        interpolate(t_event, marker_y.get(), marker_yp.get());
      }
      ++events;
      marker_t_s = t_event;
      std::swap(marker_low, marker_high);  // the values at the event
      if (on_step && !on_step(Step{StepKind::event, t_event, view(marker_y.get()),
                                   view(marker_yp.get()), found})) {
        // Stopped at the event, inside IDA's step: the point is the event's, and only a
        // restart there (initial_conditions) may follow.
        t_s = t_event;
        std::copy_n(NV_DATA_S(marker_y.get()), size, NV_DATA_S(y.get()));
        std::copy_n(NV_DATA_S(marker_yp.get()), size, NV_DATA_S(yp.get()));
        inside_step = true;
        return false;
      }
    }
    marker_t_s = t_s;
    std::swap(marker_low, marker_end);
    return true;
  }

  void add_to_totals() {
    const IntegratorStats s = counters();
    totals.steps += s.steps;
    totals.residual_evaluations += s.residual_evaluations;
    totals.jacobian_evaluations += s.jacobian_evaluations;
    totals.factorizations += s.factorizations;
    totals.error_test_failures += s.error_test_failures;
    totals.nonlinear_iterations += s.nonlinear_iterations;
    totals.nonlinear_convergence_failures += s.nonlinear_convergence_failures;
  }
};

Integrator::Integrator(DaeSystem& system, double t0_s, std::span<const double> y0,
                       std::span<const double> yp0, const IntegratorOptions& options)
    : impl_(std::make_unique<Impl>(system, t0_s, options)) {
  Impl& m = *impl_;
  if (m.size <= 0) throw InvalidInput("system", "has no unknowns");
  if (y0.size() != static_cast<std::size_t>(m.size) || yp0.size() != y0.size())
    throw InvalidInput("y0", fmt::format("y0 has {} and y0' {} entries for {} unknowns", y0.size(),
                                         yp0.size(), m.size));
  if (!std::isfinite(t0_s)) throw InvalidInput("t0_s", "must be finite");
  check_options(options, m.size, m.roots);
  m.pattern = system.pattern();
  check_pattern(m.pattern, m.size);
  const std::vector<bool> differential = system.differential();
  if (differential.size() != static_cast<std::size_t>(m.size))
    throw Error(ErrorKind::internal, "DaeSystem::differential() has the wrong size");

  SUNContext context = nullptr;
  // SUNContext_Create's result is checked (sundials::Context, the bundled C++ wrapper, ignores it).
  if (const int flag = SUNContext_Create(nullptr, &context); flag != 0 || context == nullptr)
    throw IntegrationError("SUNContext_Create", flag, fmt::format("flag {}", flag), "",
                           std::nullopt);
  m.context.reset(context);

  const auto new_vector = [&](std::span<const double> values) {
    VectorHandle vector(N_VNew_Serial(m.size, m.context.get()));
    if (!vector) throw_null("N_VNew_Serial");
    use_compiled_operations(vector.get());
    std::copy(values.begin(), values.end(), N_VGetArrayPointer(vector.get()));
    return vector;
  };
  m.y = new_vector(y0);
  m.yp = new_vector(yp0);
  std::vector<double> id_values(differential.begin(), differential.end());
  m.id = new_vector(id_values);

  m.ida.reset(IDACreate(m.context.get()));
  if (!m.ida) throw_null("IDACreate");
  void* ida = m.ida.get();
  m.check(IDASetErrHandlerFn(ida, &Impl::error_handler, &m), "IDASetErrHandlerFn");
  m.check(IDAInit(ida, &Impl::residual, t0_s, m.y.get(), m.yp.get()), "IDAInit");
  m.check(IDASetUserData(ida, &m), "IDASetUserData");
  if (options.absolute_tolerances.empty()) {
    m.check(IDASStolerances(ida, options.relative_tolerance, options.absolute_tolerance),
            "IDASStolerances");
  } else {
    m.absolute_tolerances = new_vector(options.absolute_tolerances);
    m.check(IDASVtolerances(ida, options.relative_tolerance, m.absolute_tolerances.get()),
            "IDASVtolerances");
  }
  m.check(IDASetId(ida, m.id.get()), "IDASetId");
  if (options.max_order != 5) m.check(IDASetMaxOrd(ida, options.max_order), "IDASetMaxOrd");
  if (options.keep_step_from != 1.0 || options.keep_step_below != 2.0)
    m.check(IDASetEtaFixedStepBounds(ida, options.keep_step_from, options.keep_step_below),
            "IDASetEtaFixedStepBounds");
  if (options.max_step_s > 0.0) m.check(IDASetMaxStep(ida, options.max_step_s), "IDASetMaxStep");
  if (options.initial_step_s > 0.0)
    m.check(IDASetInitStep(ida, options.initial_step_s), "IDASetInitStep");

  const auto nonzeros = static_cast<sunindextype>(m.pattern.column.size());
  m.matrix.reset(SUNSparseMatrix(m.size, m.size, std::max<sunindextype>(nonzeros, 1), CSR_MAT,
                                 m.context.get()));
  if (!m.matrix) throw_null("SUNSparseMatrix");
  m.matrix->ops->zero = zero_sparse_matrix;
  if (options.linear_solver == LinearSolverKind::sparse_lu) {
    m.linear_solver.reset(make_sparse_lu_linear_solver(m.context.get(), m.pattern));
  } else {
    m.linear_solver.reset(SUNLinSol_KLU(m.y.get(), m.matrix.get(), m.context.get()));
    if (!m.linear_solver) throw_null("SUNLinSol_KLU");
  }
  m.check_ls(IDASetLinearSolver(ida, m.linear_solver.get(), m.matrix.get()), "IDASetLinearSolver");
  m.check_ls(IDASetJacFn(ida, &Impl::jacobian), "IDASetJacFn");
  const std::vector<bool> marker = system.marker_roots();
  if (!marker.empty() && marker.size() != static_cast<std::size_t>(m.roots))
    throw Error(ErrorKind::internal, "DaeSystem::marker_roots() has the wrong size");
  for (std::size_t r = 0; r < static_cast<std::size_t>(m.roots); ++r)
    (!marker.empty() && marker[r] ? m.markers : m.ida_roots).push_back(r);
  m.found.assign(static_cast<std::size_t>(m.roots), 0);
  if (!m.ida_roots.empty()) {
    m.check(IDARootInit(ida, static_cast<int>(m.ida_roots.size()), &Impl::root_functions),
            "IDARootInit");
    // A root function that is zero where IDA (re)starts, as after an event, is not an error.
    m.check(IDASetNoInactiveRootWarn(ida), "IDASetNoInactiveRootWarn");
    m.ida_found.assign(m.ida_roots.size(), 0);
  }
  if (!m.markers.empty()) {
    const std::vector<double> zeros(static_cast<std::size_t>(m.size), 0.0);
    m.marker_y = new_vector(zeros);
    m.marker_yp = new_vector(zeros);
    for (auto* values :
         {&m.root_values, &m.marker_low, &m.marker_high, &m.marker_end, &m.marker_trial})
      values->assign(static_cast<std::size_t>(m.roots), 0.0);
    m.reset_markers();
  }
}

Integrator::~Integrator() = default;

void Integrator::initial_conditions(double tout1_s) {
  Impl& m = *impl_;
  if (!(std::isfinite(tout1_s) && tout1_s > m.t_s))
    throw InvalidInput(
        "tout1_s",
        fmt::format("must lie after the present time {:.9g} s (got {:.9g} s)", m.t_s, tout1_s),
        "the present time plus the scenario's shortest time scale");
  // A switch the system finds at the consistent point changes its equations: once more. Each
  // pass switches at least one mode, and a mode switches back only after time passes, so a
  // few passes settle; the bound only guards against a system that never does.
  constexpr int max_passes = 100;
  m.inside_step = false;
  for (int pass = 0;; ++pass) {
    m.add_to_totals();
    m.check(IDAReInit(m.ida.get(), m.t_s, m.y.get(), m.yp.get()), "IDAReInit");
    ++m.initial_conditions;
    const int flag = IDACalcIC(m.ida.get(), IDA_YA_YDP_INIT, tout1_s);
    m.rethrow_pending();
    if (flag < 0) m.fail_at(flag, "IDACalcIC", m.t_s);
    m.check(IDAGetConsistentIC(m.ida.get(), m.y.get(), m.yp.get()), "IDAGetConsistentIC");
    if (!m.system.check_modes(m.t_s, view(m.y.get()), view(m.yp.get()))) {
      m.reset_markers();
      return;
    }
    if (pass == max_passes)
      throw IntegrationError("IDACalcIC", 0, "modes do not settle",
                             fmt::format("the system kept switching its equations after {} "
                                         "consistent initialisations at t = {:.9g} s",
                                         max_passes, m.t_s),
                             diagnose(m.system, m.t_s, view(m.y.get()), view(m.yp.get()), 1.0));
  }
}

AdvanceOutcome Integrator::advance_to(double t_stop_s, const StepCallback& on_step) {
  Impl& m = *impl_;
  if (t_stop_s == m.t_s) return AdvanceOutcome::reached;
  if (!(std::isfinite(t_stop_s) && t_stop_s > m.t_s))
    throw InvalidInput(
        "t_stop_s", fmt::format("{:.9g} s lies before the present time {:.9g} s", t_stop_s, m.t_s));
  if (m.inside_step)
    throw InvalidInput(
        "advance_to",
        fmt::format("the integration was cancelled at t = {:.9g} s, inside a step", m.t_s),
        "call initial_conditions() to restart there first");
  void* ida = m.ida.get();
  m.check(IDASetStopTime(ida, t_stop_s), "IDASetStopTime");
  const auto report = [&](StepKind kind, std::span<const int> roots) {
    return !on_step || on_step(Step{kind, m.t_s, y(), yp(), roots});
  };
  while (true) {
    realtype t_reached = m.t_s;
    const int flag = IDASolve(ida, t_stop_s, &t_reached, m.y.get(), m.yp.get(), IDA_ONE_STEP);
    m.rethrow_pending();
    if (flag < 0) m.fail_at(flag, "IDASolve", t_reached);
    m.outside_domain.clear();  // IDA recovered from it with a smaller step
    m.t_s = t_reached;
    if (m.options.max_steps > 0 && ++m.steps_taken > m.options.max_steps)
      throw IntegrationError(
          "IDASolve", 0, "too many steps",
          fmt::format("{} steps reached at t = {:.9g} s, short of {:.9g} s (max_steps)",
                      m.options.max_steps, m.t_s, t_stop_s),
          diagnose(m.system, m.t_s, view(m.y.get()), view(m.yp.get()), 1.0));
    // A run whose solution has no way forward (voltages collapsing under constant-power loads,
    // events chattering at one instant) can go on taking steps of vanishing size: a failure, not
    // a run to wait for. No model here has a time scale near a nanosecond (the fastest steps
    // are tens of ns, at a fault's inception), so stall_steps steps within stall_window_s is one.
    if (m.t_s - m.stretch_start_s > stall_window_s) {
      m.stretch_start_s = m.t_s;
      m.stretch_steps = 0;
    } else if (++m.stretch_steps > stall_steps) {
      throw IntegrationError(
          "IDASolve", 0, "no progress",
          fmt::format("{} steps within {:g} s of t = {:.9g} s, short of {:.9g} s: the solution "
                      "has no way forward there (e.g. a voltage collapsing under constant-power "
                      "loads)",
                      stall_steps, stall_window_s, m.stretch_start_s, t_stop_s),
          diagnose(m.system, m.t_s, view(m.y.get()), view(m.yp.get()), 1.0));
    }
    if (!m.report_markers(on_step)) return AdvanceOutcome::cancelled;
    if (flag == IDA_ROOT_RETURN) {
      m.check(IDAGetRootInfo(ida, m.ida_found.data()), "IDAGetRootInfo");
      std::fill(m.found.begin(), m.found.end(), 0);
      for (std::size_t k = 0; k < m.ida_roots.size(); ++k) m.found[m.ida_roots[k]] = m.ida_found[k];
      ++m.events;
      if (!report(StepKind::event, m.found)) return AdvanceOutcome::cancelled;
      if (m.system.handle_event(m.t_s, view(m.y.get()), view(m.yp.get()), m.found)) {
        initial_conditions(m.t_s + m.options.event_horizon_s);
        // IDAReInit may clear the stop time with the history: set it again.
        m.check(IDASetStopTime(ida, t_stop_s), "IDASetStopTime");
        if (!report(StepKind::restarted, {})) return AdvanceOutcome::cancelled;
      }
      continue;
    }
    if (flag == IDA_TSTOP_RETURN) {
      m.t_s = t_stop_s;  // IDA returns tstop itself; make it exact for the caller's edge
      return report(StepKind::stop, {}) ? AdvanceOutcome::reached : AdvanceOutcome::cancelled;
    }
    if (!report(StepKind::step, {})) return AdvanceOutcome::cancelled;
  }
}

double Integrator::time_s() const noexcept {
  return impl_->t_s;
}

std::span<const double> Integrator::y() const noexcept {
  return view(impl_->y.get());
}

std::span<const double> Integrator::yp() const noexcept {
  return view(impl_->yp.get());
}

IntegratorStats Integrator::stats() const {
  const Impl& m = *impl_;
  IntegratorStats s = m.counters();
  s.steps += m.totals.steps;
  s.residual_evaluations += m.totals.residual_evaluations;
  s.jacobian_evaluations += m.totals.jacobian_evaluations;
  s.factorizations += m.totals.factorizations;
  s.error_test_failures += m.totals.error_test_failures;
  s.nonlinear_iterations += m.totals.nonlinear_iterations;
  s.nonlinear_convergence_failures += m.totals.nonlinear_convergence_failures;
  s.events = m.events;
  s.initial_conditions = m.initial_conditions;
  return s;
}

}  // namespace g2g::dynamic
