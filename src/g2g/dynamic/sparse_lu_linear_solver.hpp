// A SUNDIALS linear solver (SUNLinearSolver, direct) over the project's steady::SparseLu: KLU's
// int32 interface with the ordering the steady solver chooses (leaves first on a tree-like
// pattern, else leaves then AMD), instead of SUNDIALS' own KLU module (klu_l, 64-bit indices,
// COLAMD and block triangular form). IntegratorOptions::linear_solver chooses between the two;
// which is faster and why: docs/benchmarks.md § Time domain.
#pragma once

#include <sundials/sundials_context.h>
#include <sundials/sundials_linearsolver.h>

#include <cstdint>

#include "g2g/dynamic/dae.hpp"

namespace g2g::dynamic {

// A solver for the CSR SUNSparseMatrix of J = dF/dy + cj dF/dy' with this fixed pattern: the CSR
// arrays are the compressed columns of Jᵀ, which SparseLu factors; J x = b is then its transposed
// solve. The pattern is analysed once, here; every setup after the first refactors with the last
// pivots while they stay sound (SparseLu::factor). Throws InvalidInput when the pattern does not
// fit 32-bit indices. The caller frees it with SUNLinSolFree.
[[nodiscard]] SUNLinearSolver make_sparse_lu_linear_solver(SUNContext context,
                                                           const CsrPattern& pattern);

// The row of J (the unknown whose equation it is) where the last setup found J singular, or -1.
[[nodiscard]] std::int64_t sparse_lu_singular_row(SUNLinearSolver solver) noexcept;

}  // namespace g2g::dynamic
