// The compiled vector operations (dynamic/vector_operations.hpp) against SUNDIALS' own serial
// vector: a plain N_VNew_Serial vector runs SUNDIALS' operations, and for the fused ones its
// generic fallbacks (fused operations are off by default), so each result here must be the same
// bits as SUNDIALS' (the weighted norms, summed in another order, to the last few bits). On a
// CPU with AVX2 the AVX2 clones of the loops run; elsewhere the baseline ones.
#include <gtest/gtest.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>

#include <bit>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "g2g/dynamic/vector_operations.hpp"

namespace g2g::dynamic {
namespace {

// An odd length, so that every vector loop also runs its scalar tail.
constexpr sunindextype length = 57;

class VectorOperations : public ::testing::Test {
 protected:
  VectorOperations() { EXPECT_EQ(SUNContext_Create(nullptr, &context_), 0); }
  ~VectorOperations() override {
    for (N_Vector v : vectors_) N_VDestroy(v);
    SUNContext_Free(&context_);
  }
  VectorOperations(const VectorOperations&) = delete;
  VectorOperations& operator=(const VectorOperations&) = delete;

  // A pair of vectors with the same random values: SUNDIALS' operations, then ours.
  struct Pair {
    N_Vector sundials = nullptr;
    N_Vector ours = nullptr;
  };
  Pair random_pair() {
    Pair p{make(), make()};
    use_compiled_operations(p.ours);
    std::uniform_real_distribution<double> draw(-2.0, 2.0);
    for (sunindextype i = 0; i < length; ++i)
      NV_Ith_S(p.sundials, i) = NV_Ith_S(p.ours, i) = draw(engine_);
    return p;
  }

  static void expect_same_bits(const Pair& p) {
    for (sunindextype i = 0; i < length; ++i)
      EXPECT_EQ(std::bit_cast<std::uint64_t>(NV_Ith_S(p.sundials, i)),
                std::bit_cast<std::uint64_t>(NV_Ith_S(p.ours, i)))
          << "element " << i << ": " << NV_Ith_S(p.sundials, i) << " vs " << NV_Ith_S(p.ours, i);
  }

 private:
  N_Vector make() {
    N_Vector v = N_VNew_Serial(length, context_);
    EXPECT_NE(v, nullptr);
    vectors_.push_back(v);
    return v;
  }

  SUNContext context_ = nullptr;
  std::vector<N_Vector> vectors_;
  std::mt19937_64 engine_{17};
};

TEST_F(VectorOperations, LinearSumInEachOfTheSerialVectorsCases) {
  const double a = 0.37;
  const double b = -1.9;
  for (const auto& [ca, cb] : {std::pair{1.0, 1.0},
                               {1.0, -1.0},
                               {-1.0, 1.0},
                               {1.0, b},
                               {a, 1.0},
                               {-1.0, b},
                               {a, -1.0},
                               {a, a},
                               {a, -a},
                               {a, b}}) {
    SCOPED_TRACE(testing::Message() << "a = " << ca << ", b = " << cb);
    const Pair x = random_pair();
    const Pair y = random_pair();
    const Pair z = random_pair();
    N_VLinearSum(ca, x.sundials, cb, y.sundials, z.sundials);
    N_VLinearSum(ca, x.ours, cb, y.ours, z.ours);
    expect_same_bits(z);
    N_VLinearSum(ca, x.sundials, cb, y.sundials, y.sundials);  // in place
    N_VLinearSum(ca, x.ours, cb, y.ours, y.ours);
    expect_same_bits(y);
  }
}

TEST_F(VectorOperations, ElementwiseOperations) {
  for (const double c : {1.0, -1.0, 0.3}) {
    const Pair x = random_pair();
    const Pair z = random_pair();
    N_VScale(c, x.sundials, z.sundials);
    N_VScale(c, x.ours, z.ours);
    expect_same_bits(z);
  }
  const Pair x = random_pair();
  const Pair y = random_pair();
  const Pair z = random_pair();
  N_VAbs(x.sundials, z.sundials);
  N_VAbs(x.ours, z.ours);
  expect_same_bits(z);
  N_VInv(x.sundials, z.sundials);
  N_VInv(x.ours, z.ours);
  expect_same_bits(z);
  N_VAddConst(x.sundials, 0.7, z.sundials);
  N_VAddConst(x.ours, 0.7, z.ours);
  expect_same_bits(z);
  N_VProd(x.sundials, y.sundials, z.sundials);
  N_VProd(x.ours, y.ours, z.ours);
  expect_same_bits(z);
  N_VDiv(x.sundials, y.sundials, z.sundials);
  N_VDiv(x.ours, y.ours, z.ours);
  expect_same_bits(z);
  N_VConst(-0.25, z.sundials);
  N_VConst(-0.25, z.ours);
  expect_same_bits(z);
}

TEST_F(VectorOperations, LinearCombinationAsTheGenericFallback) {
  // Coefficients with the fallback's special cases among them (+1 and -1).
  const std::vector<double> c{0.5, 1.0, -1.0, 2.25, -0.125, 1.0, 3.5, -1.0};
  for (int count = 1; count <= 8; ++count) {
    for (const int output : {-1, 0, 2}) {  // a vector of its own, the first term, a later term
      if (output >= count) continue;
      SCOPED_TRACE(testing::Message() << count << " terms, output " << output);
      std::vector<Pair> terms(static_cast<std::size_t>(count));
      for (Pair& term : terms) term = random_pair();
      const Pair z = output < 0 ? random_pair() : terms[static_cast<std::size_t>(output)];
      std::vector<N_Vector> theirs, ours;
      for (const Pair& p : terms) {
        theirs.push_back(p.sundials);
        ours.push_back(p.ours);
      }
      std::vector<double> coefficients(c.begin(), c.begin() + count);
      ASSERT_EQ(N_VLinearCombination(count, coefficients.data(), theirs.data(), z.sundials), 0);
      ASSERT_EQ(N_VLinearCombination(count, coefficients.data(), ours.data(), z.ours), 0);
      expect_same_bits(z);
    }
  }
}

TEST_F(VectorOperations, VectorArraysAsTheGenericFallbacks) {
  constexpr int count = 3;
  std::vector<Pair> x, y, z;
  for (int i = 0; i < count; ++i) {
    x.push_back(random_pair());
    y.push_back(random_pair());
    z.push_back(random_pair());
  }
  const auto side = [](const std::vector<Pair>& pairs, bool ours) {
    std::vector<N_Vector> out(pairs.size());
    for (std::size_t i = 0; i < pairs.size(); ++i)
      out[i] = ours ? pairs[i].ours : pairs[i].sundials;
    return out;
  };
  std::vector<double> a{0.5, -1.0, 1.75};
  for (const bool ours : {false, true}) {
    auto xs = side(x, ours);
    auto ys = side(y, ours);
    auto zs = side(z, ours);
    ASSERT_EQ(N_VLinearSumVectorArray(count, 0.3, xs.data(), -1.0, ys.data(), zs.data()), 0);
    ASSERT_EQ(N_VScaleAddMulti(count, a.data(), xs[0], ys.data(), ys.data()), 0);
    ASSERT_EQ(N_VScaleVectorArray(count, a.data(), zs.data(), xs.data()), 0);
  }
  for (int i = 0; i < count; ++i) {
    expect_same_bits(x[static_cast<std::size_t>(i)]);
    expect_same_bits(y[static_cast<std::size_t>(i)]);
    expect_same_bits(z[static_cast<std::size_t>(i)]);
  }
}

TEST_F(VectorOperations, WeightedNormsToTheirLastBits) {
  const Pair x = random_pair();
  const Pair w = random_pair();
  const Pair id = random_pair();
  for (sunindextype i = 0; i < length; ++i)  // a mask of 0s and 1s
    NV_Ith_S(id.sundials, i) = NV_Ith_S(id.ours, i) = i % 3 == 0 ? 0.0 : 1.0;
  const double norm = N_VWrmsNorm(x.sundials, w.sundials);
  EXPECT_NEAR(N_VWrmsNorm(x.ours, w.ours), norm, 4e-16 * norm);
  const double masked = N_VWrmsNormMask(x.sundials, w.sundials, id.sundials);
  EXPECT_NEAR(N_VWrmsNormMask(x.ours, w.ours, id.ours), masked, 4e-16 * masked);
  EXPECT_LT(masked, norm);  // the mask took terms out
}

}  // namespace
}  // namespace g2g::dynamic
