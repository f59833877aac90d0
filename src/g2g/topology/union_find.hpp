// Disjoint sets with path halving and union by size: near-linear grouping of buses.
#pragma once

#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace g2g::topology {

class UnionFind {
 public:
  explicit UnionFind(std::size_t count) : parent_(count), size_(count, 1) {
    std::iota(parent_.begin(), parent_.end(), 0);
  }

  std::int32_t find(std::int32_t item) noexcept {
    while (parent_[static_cast<std::size_t>(item)] != item) {
      auto& parent = parent_[static_cast<std::size_t>(item)];
      parent = parent_[static_cast<std::size_t>(parent)];
      item = parent;
    }
    return item;
  }

  void unite(std::int32_t a, std::int32_t b) noexcept {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (size_[static_cast<std::size_t>(a)] < size_[static_cast<std::size_t>(b)]) std::swap(a, b);
    parent_[static_cast<std::size_t>(b)] = a;
    size_[static_cast<std::size_t>(a)] += size_[static_cast<std::size_t>(b)];
  }

  // Dense labels 0..count-1, one per set, in order of first appearance.
  std::vector<std::int32_t> labels(std::int32_t& count) {
    std::vector<std::int32_t> label_of_root(parent_.size(), -1);
    std::vector<std::int32_t> labels(parent_.size());
    count = 0;
    for (std::size_t i = 0; i < parent_.size(); ++i) {
      const auto root = static_cast<std::size_t>(find(static_cast<std::int32_t>(i)));
      if (label_of_root[root] < 0) label_of_root[root] = count++;
      labels[i] = label_of_root[root];
    }
    return labels;
  }

 private:
  std::vector<std::int32_t> parent_;
  std::vector<std::int32_t> size_;
};

}  // namespace g2g::topology
