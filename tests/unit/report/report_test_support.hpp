// What the report tests share: solving an example, counting and finding text.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

#include "g2g/model/spec.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::report::testing {

struct Solved {
  model::ModelSpec model;
  steady::SolveResult result;
};
Solved solve_file(const std::filesystem::path& path);

// Occurrences of `what` in `text`, not overlapping.
std::size_t count(const std::string& text, const std::string& what);

// Start tags `<name ...>` in `html` whose attributes hold every one of `parts`. The helpers
// search by hand: std::regex trips a false -Wmaybe-uninitialized in GCC 12's <regex>.
std::size_t count_tags(const std::string& html, const std::string& name,
                       std::initializer_list<std::string_view> parts);

inline constexpr const char* hostile = "<script>alert('x')</script>&\"";

}  // namespace g2g::report::testing
