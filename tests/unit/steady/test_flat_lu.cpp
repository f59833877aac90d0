// FlatLu: KLU's factors copied out and refactored and solved by plain loops. Held to KLU itself
// (klu_refactor with scale < 0, klu_rcond, klu_solve, klu_tsolve) bit for bit, on random sparse
// matrices that need pivoting, with and without KLU's block triangular form (off-diagonal
// blocks), and through SparseLu::use_flat_factors against a SparseLu without it.
#include <gtest/gtest.h>
#include <klu.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <span>
#include <utility>
#include <vector>

#include "g2g/steady/flat_lu.hpp"
#include "g2g/steady/sparse_lu.hpp"

namespace g2g::steady {
namespace {

struct Matrix {
  CscPattern pattern;
  std::vector<double> values;
};

// A random n x n matrix: block upper triangular in a hidden order (blocks of 1 to 4), rows and
// columns then shuffled, so that KLU's BTF finds blocks and entries off them. Its diagonal is
// weak against the rest, so that partial pivoting leaves the diagonal.
Matrix random_matrix(int n, std::mt19937& rng) {
  std::uniform_real_distribution<double> value(-1.0, 1.0);
  std::uniform_int_distribution<int> block_size(1, 4);
  std::vector<int> block_of(static_cast<std::size_t>(n));
  for (int k = 0, b = 0; k < n; ++b) {
    const int size = std::min(block_size(rng), n - k);
    for (int i = 0; i < size; ++i) block_of[static_cast<std::size_t>(k++)] = b;
  }
  std::vector<int> row_shuffle(static_cast<std::size_t>(n));
  std::vector<int> column_shuffle(static_cast<std::size_t>(n));
  std::iota(row_shuffle.begin(), row_shuffle.end(), 0);
  std::iota(column_shuffle.begin(), column_shuffle.end(), 0);
  std::shuffle(row_shuffle.begin(), row_shuffle.end(), rng);
  std::shuffle(column_shuffle.begin(), column_shuffle.end(), rng);
  std::bernoulli_distribution in_block(0.7);
  std::bernoulli_distribution above(0.15);
  std::vector<std::vector<double>> dense(static_cast<std::size_t>(n),
                                         std::vector<double>(static_cast<std::size_t>(n), 0.0));
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      const auto br = block_of[static_cast<std::size_t>(r)];
      const auto bc = block_of[static_cast<std::size_t>(c)];
      const bool entry = r == c || (br == bc && in_block(rng)) || (br < bc && above(rng));
      if (entry)
        dense[static_cast<std::size_t>(row_shuffle[static_cast<std::size_t>(r)])]
             [static_cast<std::size_t>(column_shuffle[static_cast<std::size_t>(c)])] =
                 r == c ? 0.05 + 0.1 * value(rng) : value(rng);
    }
  Matrix m;
  m.pattern.size = n;
  m.pattern.column_start.push_back(0);
  for (int c = 0; c < n; ++c) {
    for (int r = 0; r < n; ++r)
      if (dense[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] != 0.0) {
        m.pattern.row.push_back(r);
        m.values.push_back(dense[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)]);
      }
    m.pattern.column_start.push_back(static_cast<std::int32_t>(m.pattern.row.size()));
  }
  return m;
}

// New values on the same pattern.
std::vector<double> other_values(const Matrix& m, std::mt19937& rng) {
  std::uniform_real_distribution<double> factor(0.8, 1.25);
  std::vector<double> v = m.values;
  for (double& x : v) x *= factor(rng);
  return v;
}

std::vector<double> random_vector(int n, std::mt19937& rng) {
  std::uniform_real_distribution<double> value(-10.0, 10.0);
  std::vector<double> b(static_cast<std::size_t>(n));
  for (double& x : b) x = value(rng);
  return b;
}

// KLU on one matrix, with its block triangular form on or off, and the copy of its factors.
class Klu {
 public:
  Klu(Matrix& m, bool btf) : m_(m) {
    klu_defaults(&common_);
    common_.btf = btf ? 1 : 0;
    symbolic_ =
        klu_analyze(m.pattern.size, m.pattern.column_start.data(), m.pattern.row.data(), &common_);
    numeric_ = klu_factor(m.pattern.column_start.data(), m.pattern.row.data(), m.values.data(),
                          symbolic_, &common_);
  }
  ~Klu() {
    if (numeric_ != nullptr) klu_free_numeric(&numeric_, &common_);
    if (symbolic_ != nullptr) klu_free_symbolic(&symbolic_, &common_);
  }
  Klu(const Klu&) = delete;
  Klu& operator=(const Klu&) = delete;

  [[nodiscard]] bool factored() const { return numeric_ != nullptr; }
  [[nodiscard]] int blocks() const { return symbolic_->nblocks; }
  [[nodiscard]] int off_entries() const { return numeric_->nzoff; }

  [[nodiscard]] KluFactors extract() { return copy_factors(*symbolic_, *numeric_, common_); }

  // klu_refactor without scaling (as SparseLu calls it), then klu_rcond.
  bool refactor(std::vector<double>& values, double& rcond) {
    common_.scale = -1;
    const bool ok = klu_refactor(m_.pattern.column_start.data(), m_.pattern.row.data(),
                                 values.data(), symbolic_, numeric_, &common_) == 1;
    EXPECT_EQ(klu_rcond(symbolic_, numeric_, &common_), 1);
    rcond = common_.rcond;
    return ok;
  }
  void solve(std::vector<double>& b) {
    ASSERT_EQ(klu_solve(symbolic_, numeric_, m_.pattern.size, 1, b.data(), &common_), 1);
  }
  void solve_transposed(std::vector<double>& b) {
    ASSERT_EQ(klu_tsolve(symbolic_, numeric_, m_.pattern.size, 1, b.data(), &common_), 1);
  }

 private:
  Matrix& m_;
  klu_common common_{};
  klu_symbolic* symbolic_ = nullptr;
  klu_numeric* numeric_ = nullptr;
};

// The same bits from two solvers of one matrix: EXPECT_EQ on doubles, not a tolerance.
template <class A, class B>
void expect_same_solves(A& a, B& b, int n, std::mt19937& rng) {
  for (int rhs = 0; rhs < 3; ++rhs) {
    const std::vector<double> right = random_vector(n, rng);
    std::vector<double> by_a = right;
    std::vector<double> by_b = right;
    a.solve(by_a);
    b.solve(by_b);
    EXPECT_EQ(by_a, by_b);
    by_a = right;
    by_b = right;
    a.solve_transposed(by_a);
    b.solve_transposed(by_b);
    EXPECT_EQ(by_a, by_b);
  }
}

TEST(FlatLu, SolvesAndRefactorsAsKluBitForBit) {
  std::mt19937 rng(20261206);
  int with_off_blocks = 0;
  for (const bool btf : {false, true}) {
    for (int trial = 0; trial < 40; ++trial) {
      const int n = 1 + trial * 3 % 61;
      Matrix m = random_matrix(n, rng);
      Klu klu(m, btf);
      ASSERT_TRUE(klu.factored()) << "n " << n;
      if (klu.off_entries() > 0) ++with_off_blocks;
      FlatLu flat(m.pattern, klu.extract());
      // After the full (scaled) factorization.
      expect_same_solves(klu, flat, n, rng);
      // Refactored with new values, twice.
      for (int round = 0; round < 2; ++round) {
        std::vector<double> values = other_values(m, rng);
        double rcond = 0.0;
        const bool klu_ok = klu.refactor(values, rcond);
        ASSERT_EQ(flat.refactor(values), klu_ok) << "n " << n;
        EXPECT_EQ(flat.reciprocal_condition(), rcond);
        if (klu_ok) expect_same_solves(klu, flat, n, rng);
      }
    }
  }
  EXPECT_GT(with_off_blocks, 10);  // the block triangular form was exercised
}

TEST(FlatLu, SolvesTheSystem) {
  // Independent of KLU's arithmetic: A x = b and Aᵀ x = b hold, row by row, to a backward error
  // (|A x - b| over |A| |x| + |b|) at rounding level; a wrong solve leaves one of order 1. The
  // refactor keeps the first values' pivots, which the new values make less than ideal: the
  // bound allows for that growth.
  std::mt19937 rng(7);
  Matrix m = random_matrix(30, rng);
  Klu klu(m, true);
  FlatLu flat(m.pattern, klu.extract());
  std::vector<double> values = other_values(m, rng);
  ASSERT_TRUE(flat.refactor(values));
  const std::vector<double> b = random_vector(30, rng);
  for (const bool transposed : {false, true}) {
    std::vector<double> x = b;
    if (transposed)
      flat.solve_transposed(x);
    else
      flat.solve(x);
    std::vector<double> ax(30, 0.0);
    std::vector<double> size(30, 0.0);
    for (int c = 0; c < 30; ++c)
      for (int p = m.pattern.column_start[static_cast<std::size_t>(c)];
           p < m.pattern.column_start[static_cast<std::size_t>(c) + 1]; ++p) {
        const auto r = static_cast<std::size_t>(m.pattern.row[static_cast<std::size_t>(p)]);
        const auto cc = static_cast<std::size_t>(c);
        const double a = values[static_cast<std::size_t>(p)];
        const auto [row, column] = transposed ? std::pair{cc, r} : std::pair{r, cc};
        ax[row] += a * x[column];
        size[row] += std::fabs(a * x[column]);
      }
    for (std::size_t i = 0; i < ax.size(); ++i)
      EXPECT_LT(std::fabs(ax[i] - b[i]) / (size[i] + std::fabs(b[i])), 1e-10) << i;
  }
}

TEST(FlatLu, ZeroPivotFailsTheRefactor) {
  // [[2, 1], [1, 3]]: KLU pivots on the diagonal; new values with a zero first pivot.
  Matrix m;
  m.pattern = {2, {0, 2, 4}, {0, 1, 0, 1}};
  m.values = {2.0, 1.0, 1.0, 3.0};
  Klu klu(m, false);
  FlatLu flat(m.pattern, klu.extract());
  const std::vector<double> zero_pivot = {0.0, 1.0, 1.0, 3.0};
  EXPECT_FALSE(flat.refactor(zero_pivot));
  const std::vector<double> fine = {4.0, 1.0, 1.0, 3.0};
  ASSERT_TRUE(flat.refactor(fine));
  std::vector<double> x = {5.0, 4.0};  // 4 x0 + x1 = 5, x0 + 3 x1 = 4: x = (1, 1)
  flat.solve(x);
  EXPECT_DOUBLE_EQ(x[0], 1.0);
  EXPECT_DOUBLE_EQ(x[1], 1.0);
}

TEST(FlatLu, RefusesFactorsOfAnotherMatrix) {
  std::mt19937 rng(3);
  Matrix m = random_matrix(10, rng);
  Matrix other = random_matrix(12, rng);
  Klu klu(m, false);
  EXPECT_THROW(FlatLu(other.pattern, klu.extract()), std::invalid_argument);
}

TEST(SparseLu, FlatFactorsGiveKlusResultsThroughEveryRefactor) {
  // The same sequence of factorizations, one SparseLu with flat factors and one without.
  std::mt19937 rng(11);
  Matrix m = random_matrix(40, rng);
  SparseLu plain(m.pattern, Ordering::amd);
  SparseLu flat(m.pattern, Ordering::amd);
  flat.use_flat_factors();
  const std::vector<std::vector<double>> sequence = {m.values, other_values(m, rng),
                                                     other_values(m, rng), other_values(m, rng)};
  for (const auto& values : sequence) {
    ASSERT_EQ(plain.factor(values), flat.factor(values));
    expect_same_solves(plain, flat, 40, rng);
    EXPECT_EQ(plain.factor_nonzeros(), flat.factor_nonzeros());
  }
}

TEST(SparseLu, FlatFactorsFallBackToFreshPivotsWhenTheOldOnesArePoor) {
  // [[2, 1], [1, 3]] pivots on its diagonal; [[1e-30, 1], [1, 3]] would then pivot on 1e-30
  // (reciprocal condition 1e-60): a fresh factorization swaps the rows instead, and the
  // solution is accurate only with it.
  const CscPattern pattern{2, {0, 2, 4}, {0, 1, 0, 1}};
  SparseLu lu(pattern, Ordering::amd);
  lu.use_flat_factors();
  ASSERT_TRUE(lu.factor(std::vector<double>{2.0, 1.0, 1.0, 3.0}));
  // The premise: column 0 first, so its pivot is the entry that becomes 1e-30 (with the old
  // pivots the solution below comes out as (0, 1)).
  ASSERT_EQ(lu.column_order(), (std::vector<int>{0, 1}));
  ASSERT_TRUE(lu.factor(std::vector<double>{1e-30, 1.0, 1.0, 3.0}));
  std::vector<double> x = {1.0, 4.0};  // 1e-30 x0 + x1 = 1, x0 + 3 x1 = 4: x = (1, 1)
  lu.solve(x);
  EXPECT_DOUBLE_EQ(x[0], 1.0);
  EXPECT_DOUBLE_EQ(x[1], 1.0);
}

}  // namespace
}  // namespace g2g::steady
