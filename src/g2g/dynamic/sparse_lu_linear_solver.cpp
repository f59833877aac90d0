#include "g2g/dynamic/sparse_lu_linear_solver.hpp"

#include <nvector/nvector_serial.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include <fmt/format.h>
#include <algorithm>
#include <limits>
#include <memory>
#include <span>

#include "g2g/core/error.hpp"
#include "g2g/steady/sparse_lu.hpp"

namespace g2g::dynamic {

namespace {

struct Content {
  // Declared before the factorisation, which keeps a reference to it.
  steady::CscPattern transpose;  // J's CSR arrays, read as the compressed columns of Jᵀ
  std::unique_ptr<steady::SparseLu> lu;
  std::size_t nonzeros = 0;
  std::int64_t singular_row = -1;
  sunindextype last_flag = SUNLS_SUCCESS;
};

Content& content(SUNLinearSolver solver) noexcept {
  return *static_cast<Content*>(solver->content);
}

SUNLinearSolver_Type get_type(SUNLinearSolver /*solver*/) noexcept {
  return SUNLINEARSOLVER_DIRECT;
}

SUNLinearSolver_ID get_id(SUNLinearSolver /*solver*/) noexcept {
  return SUNLINEARSOLVER_CUSTOM;
}

// IDA calls this at every (re)initialisation. The analysis and the last factors are kept: the
// pattern never changes, and the next setup refactors (SparseLu drops the pivots if they became
// poor). SUNDIALS' KLU module analyses the pattern afresh here instead.
int initialize(SUNLinearSolver solver) noexcept {
  content(solver).last_flag = SUNLS_SUCCESS;
  return SUNLS_SUCCESS;
}

int setup(SUNLinearSolver solver, SUNMatrix matrix) noexcept {
  Content& c = content(solver);
  try {
    const std::span<const double> values(SUNSparseMatrix_Data(matrix), c.nonzeros);
    if (c.lu->factor(values)) {
      c.singular_row = -1;
      c.last_flag = SUNLS_SUCCESS;
    } else {
      // As SUNDIALS' KLU module: a singular Jacobian is not recoverable by a smaller step. The
      // Integrator names the row from sparse_lu_singular_row.
      c.singular_row = c.lu->singular_column();
      c.last_flag = SUNLS_PACKAGE_FAIL_UNREC;
    }
  } catch (...) {  // KLU's analysis failed or no memory: a failure IDA reports with its flag
    c.last_flag = SUNLS_PACKAGE_FAIL_UNREC;
  }
  return static_cast<int>(c.last_flag);
}

int solve(SUNLinearSolver solver, SUNMatrix /*matrix*/, N_Vector x, N_Vector b,
          realtype /*tolerance*/) noexcept {
  Content& c = content(solver);
  try {
    const std::span<double> solution(NV_DATA_S(x), static_cast<std::size_t>(NV_LENGTH_S(x)));
    const double* rhs = NV_DATA_S(b);
    if (rhs != solution.data()) std::copy_n(rhs, solution.size(), solution.data());
    c.lu->solve_transposed(solution);  // Jᵀ is factored: J x = b
    c.last_flag = SUNLS_SUCCESS;
  } catch (...) {
    c.last_flag = SUNLS_PACKAGE_FAIL_UNREC;
  }
  return static_cast<int>(c.last_flag);
}

sunindextype last_flag(SUNLinearSolver solver) noexcept {
  return content(solver).last_flag;
}

int free_solver(SUNLinearSolver solver) noexcept {
  if (solver == nullptr) return SUNLS_SUCCESS;
  delete static_cast<Content*>(solver->content);  // NOLINT(cppcoreguidelines-owning-memory)
  solver->content = nullptr;
  SUNLinSolFreeEmpty(solver);
  return SUNLS_SUCCESS;
}

}  // namespace

SUNLinearSolver make_sparse_lu_linear_solver(SUNContext context, const CsrPattern& pattern) {
  constexpr auto int32_max = static_cast<std::int64_t>(std::numeric_limits<std::int32_t>::max());
  const auto nonzeros = static_cast<std::int64_t>(pattern.column.size());
  if (pattern.size > int32_max || nonzeros > int32_max)
    throw InvalidInput("linear_solver",
                       fmt::format("sparse_lu takes 32-bit indices: {} unknowns and {} Jacobian "
                                   "entries do not fit",
                                   pattern.size, nonzeros),
                       "use linear_solver: klu (64-bit indices)");
  auto c = std::make_unique<Content>();
  c->transpose.size = static_cast<std::int32_t>(pattern.size);
  c->transpose.column_start.assign(pattern.row_start.begin(), pattern.row_start.end());
  c->transpose.row.assign(pattern.column.begin(), pattern.column.end());
  c->nonzeros = pattern.column.size();
  c->lu = std::make_unique<steady::SparseLu>(c->transpose);
  // Refactored now and then and solved once or twice a step: KLU's arithmetic without its
  // bookkeeping per column, a third of each solve on a lumped model of a few dozen unknowns
  // (docs/benchmarks.md, "The lumped hall's linear solves, and the residual's walk").
  c->lu->use_flat_factors();

  SUNLinearSolver solver = SUNLinSolNewEmpty(context);
  if (solver == nullptr)
    throw Error(ErrorKind::internal, "SUNLinSolNewEmpty returned no object (out of memory)");
  solver->ops->gettype = get_type;
  solver->ops->getid = get_id;
  solver->ops->initialize = initialize;
  solver->ops->setup = setup;
  solver->ops->solve = solve;
  solver->ops->lastflag = last_flag;
  solver->ops->free = free_solver;
  solver->content = c.release();
  return solver;
}

std::int64_t sparse_lu_singular_row(SUNLinearSolver solver) noexcept {
  return solver != nullptr && solver->content != nullptr ? content(solver).singular_row : -1;
}

}  // namespace g2g::dynamic
