// The report's JavaScript and CSS, compiled into the library at build time (embed_assets.cmake):
// the vendored libraries (d3-sankey and its d3 dependencies, hammerjs and chartjs-plugin-zoom from
// web/node_modules, Chart.js from Debian) with their licence texts, and the report's own script and
// style sheet.
#pragma once

#include <span>
#include <string_view>

namespace g2g::report::assets {

struct Library {
  std::string_view name;
  std::string_view version;
  std::string_view license;  // SPDX identifier
  std::string_view origin;   // where the build took it from
};

// The vendored libraries, concatenated in load order, each preceded by its licence in a comment.
std::string_view vendor_js() noexcept;
// src/g2g/report/report.js (the comparison's charts), sweep.js (a sweep's), dynamic.js (a
// simulation's time-domain charts) and report.css.
std::string_view report_js() noexcept;
std::string_view sweep_js() noexcept;
std::string_view dynamic_js() noexcept;
std::string_view lifetime_js() noexcept;  // lifetime.js: the lifetime study's charts
std::string_view report_css() noexcept;
// What vendor_js() holds, for the report's colophon and docs/report.md.
std::span<const Library> libraries() noexcept;

}  // namespace g2g::report::assets
