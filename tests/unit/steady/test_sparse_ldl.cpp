// SparseLdl: CHOLMOD's LDL' of a symmetric matrix in a given order, the leading columns with at
// most one later neighbour (leaves peeled first) factorized by the wrapper itself. Its solutions
// must be those of the matrix whatever the split: all peeled, none, or some.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "g2g/steady/sparse_ldl.hpp"

namespace g2g::steady {
namespace {

struct Symmetric {
  CscPattern pattern;
  std::vector<double> values;
  std::vector<std::vector<double>> dense;
};

// Diagonal first in each column, then its neighbours, as the Jacobian is laid out.
Symmetric make(std::int32_t size, const std::vector<std::pair<int, int>>& edges) {
  Symmetric m;
  m.dense.assign(static_cast<std::size_t>(size), std::vector<double>(size, 0.0));
  for (std::size_t e = 0; e < edges.size(); ++e) {
    const auto [a, b] = edges[e];
    const double g = 1.0 + 0.25 * static_cast<double>(e);
    m.dense[a][b] = m.dense[b][a] = -g;
    m.dense[a][a] += g;
    m.dense[b][b] += g;
  }
  m.pattern.size = size;
  m.pattern.column_start.push_back(0);
  for (int c = 0; c < size; ++c) {
    m.dense[c][c] += 0.5 + 0.1 * c;  // a shunt each: positive definite
    m.pattern.row.push_back(c);
    m.values.push_back(m.dense[c][c]);
    for (int r = size; r-- > 0;)
      if (r != c && m.dense[r][c] != 0.0) {
        m.pattern.row.push_back(r);
        m.values.push_back(m.dense[r][c]);
      }
    m.pattern.column_start.push_back(static_cast<std::int32_t>(m.pattern.row.size()));
  }
  return m;
}

// Largest |A x - b| over the rows.
double residual(const Symmetric& m, const std::vector<double>& x, const std::vector<double>& b) {
  double largest = 0.0;
  for (std::size_t r = 0; r < b.size(); ++r) {
    double sum = -b[r];
    for (std::size_t c = 0; c < x.size(); ++c) sum += m.dense[r][c] * x[c];
    largest = std::max(largest, std::abs(sum));
  }
  return largest;
}

void expect_solves(const Symmetric& m, const std::vector<int>& order) {
  SparseLdl ldl(m.pattern, order);
  ASSERT_TRUE(ldl.factor(m.values));
  std::vector<double> b;
  b.reserve(static_cast<std::size_t>(m.pattern.size));
  for (int i = 0; i < m.pattern.size; ++i) b.push_back(1.0 + 0.5 * i * (i % 3 == 0 ? -1 : 1));
  auto x = b;
  ldl.solve(x);
  EXPECT_LE(residual(m, x, b), 1e-12);
}

// A cycle 3-4-5-6 with a chain 0-1-3 and a leaf 2 on 5.
const std::vector<std::pair<int, int>> cycle_with_leaves{{0, 1}, {1, 3}, {3, 4}, {4, 5},
                                                         {5, 6}, {6, 3}, {2, 5}};

TEST(SparseLdl, LeavesPeeledThenCore) {
  expect_solves(make(7, cycle_with_leaves), {0, 1, 2, 3, 4, 5, 6});
  expect_solves(make(7, cycle_with_leaves), {2, 0, 1, 6, 4, 3, 5});
}

TEST(SparseLdl, CoreFirstPeelsNothing) {
  expect_solves(make(7, cycle_with_leaves), {3, 4, 5, 6, 0, 1, 2});
}

TEST(SparseLdl, TreeIsAllPeeled) {
  expect_solves(make(6, {{0, 1}, {1, 2}, {1, 3}, {3, 4}, {3, 5}}), {5, 4, 3, 2, 0, 1});
}

TEST(SparseLdl, ZeroPivotInAPeeledColumnIsRefused) {
  auto m = make(7, cycle_with_leaves);
  m.values[static_cast<std::size_t>(m.pattern.column_start[0])] = 0.0;  // A(0, 0)
  SparseLdl ldl(m.pattern, std::vector<int>{0, 1, 2, 3, 4, 5, 6});
  EXPECT_FALSE(ldl.factor(m.values));
}

}  // namespace
}  // namespace g2g::steady
