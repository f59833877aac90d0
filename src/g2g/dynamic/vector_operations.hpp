// The serial vector operations IDA uses, compiled with the project's flags (Debian builds
// SUNDIALS without optimisation): installed in a vector's ops, and so in every clone of it.
// docs/dynamic.md, "Integrator"; figures in docs/benchmarks.md, "The lumped hall's step, again".
#pragma once

#include <sundials/sundials_nvector.h>

namespace g2g::dynamic {

// Replaces the serial vector's single operations (weighted norms, linear sum, constant, scale,
// absolute value, inverse, add-constant, product, division) and the fused ones IDA calls (linear
// combination, linear sums and scalings of vector arrays, scale-add-multi). Every element is
// rounded as by SUNDIALS' own serial operations and generic fallbacks; only the weighted sums
// add in another order (four partial sums), which moves a norm in its last bits. `vector` must
// be a serial vector (N_VNew_Serial).
void use_compiled_operations(N_Vector vector);

}  // namespace g2g::dynamic
