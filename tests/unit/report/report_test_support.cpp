#include "unit/report/report_test_support.hpp"

#include <algorithm>

#include "g2g/api/model.hpp"
#include "g2g/io/files.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::report::testing {

Solved solve_file(const std::filesystem::path& path) {
  Solved s;
  s.model = api::load_model(path).take_spec();
  s.result = steady::solve(s.model);
  return s;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size()))
    ++n;
  return n;
}

std::size_t count_tags(const std::string& html, const std::string& name,
                       std::initializer_list<std::string_view> parts) {
  std::size_t n = 0;
  const std::string open = "<" + name;
  for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    const auto end = html.find('>', at);
    if (end == std::string::npos) break;
    const std::string_view tag(html.data() + at, end - at);
    if (tag.size() > open.size() && tag[open.size()] != ' ') continue;  // <svgfoo
    if (std::all_of(parts.begin(), parts.end(),
                    [&](std::string_view part) { return tag.find(part) != std::string::npos; }))
      ++n;
  }
  return n;
}

}  // namespace g2g::report::testing
