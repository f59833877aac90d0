#include "g2g/dynamic/vector_operations.hpp"

#include <nvector/nvector_serial.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

namespace g2g::dynamic {

namespace {

// Debian builds SUNDIALS 6.4.1 without optimisation (objdump -d of N_VWSqrSumLocal_Serial keeps
// every local on the stack), and IDA spends much of a step in the serial vector's operations
// (the weighted norms alone 40 % of a step on a 2,000-unknown RLC chain: docs/dynamic.md,
// "Integrator"). These are the same loops, with the same arithmetic and order of summation,
// compiled with the project's flags; installed in the ops of the vectors IDA clones its work
// vectors from, so every clone has them.
//
// The weighted sums are the exception: one running sum waits for each addition to finish (a
// chain of n dependent adds), so they keep four interleaved partial sums, which the compiler can
// also vectorise. The order of summation differs from the serial vector's, so a norm can differ
// in its last bits; it only scales the error test and the Newton convergence test.
constexpr std::size_t partial_sums = 4;

// The loops compiled twice on x86-64, for the baseline (SSE2, two doubles at a time) and for
// AVX2 (four), the one for the running CPU chosen when the program loads (GCC's function
// multiversioning). AVX2 without FMA rounds every element as SSE2 does: the same results.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define G2G_VECTOR_LOOP [[gnu::target_clones("avx2", "default")]]
#else
#define G2G_VECTOR_LOOP
#endif

G2G_VECTOR_LOOP realtype weighted_square_sum(N_Vector x, N_Vector w) {
  const auto n = static_cast<std::size_t>(NV_LENGTH_S(x));
  const realtype* xd = NV_DATA_S(x);
  const realtype* wd = NV_DATA_S(w);
  std::array<realtype, partial_sums> sum{};
  std::size_t i = 0;
  for (; i + partial_sums <= n; i += partial_sums)
    for (std::size_t k = 0; k < partial_sums; ++k) {
      const realtype product = xd[i + k] * wd[i + k];
      sum[k] += product * product;
    }
  for (; i < n; ++i) sum[0] += (xd[i] * wd[i]) * (xd[i] * wd[i]);
  return (sum[0] + sum[1]) + (sum[2] + sum[3]);
}

G2G_VECTOR_LOOP realtype weighted_square_sum_masked(N_Vector x, N_Vector w, N_Vector id) {
  const auto n = static_cast<std::size_t>(NV_LENGTH_S(x));
  const realtype* xd = NV_DATA_S(x);
  const realtype* wd = NV_DATA_S(w);
  const realtype* idd = NV_DATA_S(id);
  std::array<realtype, partial_sums> sum{};
  for (std::size_t i = 0; i < n; ++i) {
    const realtype product = idd[i] > 0.0 ? xd[i] * wd[i] : 0.0;
    sum[i % partial_sums] += product * product;
  }
  return (sum[0] + sum[1]) + (sum[2] + sum[3]);
}

realtype root_mean(realtype sum, N_Vector x) {
  const realtype mean = sum / static_cast<realtype>(NV_LENGTH_S(x));
  return mean <= 0.0 ? 0.0 : std::sqrt(mean);  // as SUNRsqrt
}

realtype weighted_rms_norm(N_Vector x, N_Vector w) {
  return root_mean(weighted_square_sum(x, w), x);
}

realtype weighted_rms_norm_masked(N_Vector x, N_Vector w, N_Vector id) {
  return root_mean(weighted_square_sum_masked(x, w, id), x);
}

// z = f(x_i) or f(x_i, y_i) element by element.
template <typename F>
void each(N_Vector x, N_Vector z, F f) {
  const sunindextype n = NV_LENGTH_S(x);
  const realtype* xd = NV_DATA_S(x);
  realtype* zd = NV_DATA_S(z);
  for (sunindextype i = 0; i < n; ++i) zd[i] = f(xd[i]);
}
template <typename F>
void each(N_Vector x, N_Vector y, N_Vector z, F f) {
  const sunindextype n = NV_LENGTH_S(x);
  const realtype* xd = NV_DATA_S(x);
  const realtype* yd = NV_DATA_S(y);
  realtype* zd = NV_DATA_S(z);
  for (sunindextype i = 0; i < n; ++i) zd[i] = f(xd[i], yd[i]);
}

// z = a x + b y with the serial vector's own cases (a sum or difference scaled once when
// |a| = |b|, no multiplication by one), so that every element is rounded as there.
G2G_VECTOR_LOOP void linear_sum(realtype a, N_Vector x, realtype b, N_Vector y, N_Vector z) {
  if (a == 1.0 && b == 1.0) return each(x, y, z, [](realtype u, realtype v) { return u + v; });
  if (a == 1.0 && b == -1.0) return each(x, y, z, [](realtype u, realtype v) { return u - v; });
  if (a == -1.0 && b == 1.0) return each(x, y, z, [](realtype u, realtype v) { return v - u; });
  if (a == 1.0) return each(x, y, z, [b](realtype u, realtype v) { return b * v + u; });
  if (b == 1.0) return each(x, y, z, [a](realtype u, realtype v) { return a * u + v; });
  if (a == -1.0) return each(x, y, z, [b](realtype u, realtype v) { return b * v - u; });
  if (b == -1.0) return each(x, y, z, [a](realtype u, realtype v) { return a * u - v; });
  if (a == b) return each(x, y, z, [a](realtype u, realtype v) { return a * (u + v); });
  if (a == -b) return each(x, y, z, [a](realtype u, realtype v) { return a * (u - v); });
  each(x, y, z, [a, b](realtype u, realtype v) { return a * u + b * v; });
}

G2G_VECTOR_LOOP void scale(realtype c, N_Vector x, N_Vector z) {
  each(x, z, [c](realtype u) { return c * u; });
}

// The other single operations: IDA sets vectors to a constant about three times a step, and
// builds its error weights from |y| and 1/x at every step.
G2G_VECTOR_LOOP void constant(realtype c, N_Vector z) {
  std::fill_n(NV_DATA_S(z), NV_LENGTH_S(z), c);
}
G2G_VECTOR_LOOP void absolute(N_Vector x, N_Vector z) {
  each(x, z, [](realtype u) { return std::abs(u); });
}
G2G_VECTOR_LOOP void inverse(N_Vector x, N_Vector z) {
  each(x, z, [](realtype u) { return 1.0 / u; });
}
G2G_VECTOR_LOOP void add_constant(N_Vector x, realtype b, N_Vector z) {
  each(x, z, [b](realtype u) { return u + b; });
}
G2G_VECTOR_LOOP void product(N_Vector x, N_Vector y, N_Vector z) {
  each(x, y, z, [](realtype u, realtype w) { return u * w; });
}
G2G_VECTOR_LOOP void quotient(N_Vector x, N_Vector y, N_Vector z) {
  each(x, y, z, [](realtype u, realtype w) { return u / w; });
}

// The fused operations IDA calls for its predictor, its interpolation and its history
// (N_VLinearCombination, N_VLinearSumVectorArray, N_VScaleVectorArray, N_VScaleAddMulti).
// Without them SUNDIALS' generic wrappers loop over the single operations in unoptimised code;
// these are sundials_nvector.c's fallback loops, compiled, so every element is computed as there.

// z = c_0 X_0, then z = c_i X_i + z for each further term: linear_sum with b = 1, whose cases
// (u + v for a = 1, v - u for a = -1, else a u + v) all equal a u + v to the last bit, since a
// product by +-1 is exact. Terms known at compile time, so that the per-element sum unrolls.
template <std::size_t Count>
[[gnu::always_inline]] inline void combine(const realtype* c,
                                           const std::array<const realtype*, Count>& x, realtype* z,
                                           sunindextype n) {
  for (sunindextype k = 0; k < n; ++k) {
    realtype sum = c[0] * x[0][k];
    for (std::size_t i = 1; i < Count; ++i) sum = c[i] * x[i][k] + sum;
    z[k] = sum;
  }
}

template <std::size_t Count>
[[gnu::always_inline]] inline void combine(const realtype* c, const N_Vector* x, N_Vector z) {
  std::array<const realtype*, Count> data{};
  for (std::size_t i = 0; i < Count; ++i) data[i] = NV_DATA_S(x[i]);
  combine<Count>(c, data, NV_DATA_S(z), NV_LENGTH_S(z));
}

G2G_VECTOR_LOOP int linear_combination(int count, realtype* c, N_Vector* x, N_Vector z) {
  if (count < 1) return -1;
  // IDA combines at most max order + 1 = 6 of its history vectors, none of them z after the
  // first; otherwise a later term would read the partial sum: the fallback's loop.
  const bool later_term_is_z = std::find(x + 1, x + count, z) != x + count;
  if (count > 6 || later_term_is_z) {
    scale(c[0], x[0], z);
    for (int i = 1; i < count; ++i) linear_sum(c[i], x[i], 1.0, z, z);
    return 0;
  }
  switch (count) {
    case 1:
      combine<1>(c, x, z);
      break;
    case 2:
      combine<2>(c, x, z);
      break;
    case 3:
      combine<3>(c, x, z);
      break;
    case 4:
      combine<4>(c, x, z);
      break;
    case 5:
      combine<5>(c, x, z);
      break;
    default:
      combine<6>(c, x, z);
      break;
  }
  return 0;
}

int linear_sum_vector_array(int count, realtype a, N_Vector* x, realtype b, N_Vector* y,
                            N_Vector* z) {
  for (int i = 0; i < count; ++i) linear_sum(a, x[i], b, y[i], z[i]);
  return 0;
}

int scale_add_multi(int count, realtype* a, N_Vector x, N_Vector* y, N_Vector* z) {
  for (int i = 0; i < count; ++i) linear_sum(a[i], x, 1.0, y[i], z[i]);
  return 0;
}

int scale_vector_array(int count, realtype* c, N_Vector* x, N_Vector* z) {
  for (int i = 0; i < count; ++i) scale(c[i], x[i], z[i]);
  return 0;
}

}  // namespace

void use_compiled_operations(N_Vector v) {
  v->ops->nvwsqrsumlocal = weighted_square_sum;
  v->ops->nvwsqrsummasklocal = weighted_square_sum_masked;
  v->ops->nvwrmsnorm = weighted_rms_norm;
  v->ops->nvwrmsnormmask = weighted_rms_norm_masked;
  v->ops->nvlinearsum = linear_sum;
  v->ops->nvconst = constant;
  v->ops->nvscale = scale;
  v->ops->nvlinearcombination = linear_combination;
  v->ops->nvlinearsumvectorarray = linear_sum_vector_array;
  v->ops->nvscaleaddmulti = scale_add_multi;
  v->ops->nvscalevectorarray = scale_vector_array;
  v->ops->nvabs = absolute;
  v->ops->nvinv = inverse;
  v->ops->nvaddconst = add_constant;
  v->ops->nvprod = product;
  v->ops->nvdiv = quotient;
}

}  // namespace g2g::dynamic
