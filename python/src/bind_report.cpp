// grid2gpu.report: the HTML report of a comparison (report::render_html), when the report
// library is built (G2G_BUILD_REPORT); otherwise report_html raises InvalidInput saying so.
#include <fmt/format.h>

#include <memory>

#include "bindings.hpp"
#include "g2g/api/compare.hpp"
#include "g2g/core/error.hpp"
#ifdef G2G_PYTHON_WITH_REPORT
#include "g2g/report/report.hpp"
#endif

namespace g2g::python {

void register_report(py::module_& m) {
  m.attr("has_report") = py::bool_(
#ifdef G2G_PYTHON_WITH_REPORT
      true
#else
      false
#endif
  );
  m.def(
      "report_html",
      [](const std::shared_ptr<api::CompareResult>& result) -> std::string {
#ifdef G2G_PYTHON_WITH_REPORT
        const py::gil_scoped_release unlocked;
        return report::render_html(result->comparison, result->options, result->provenance);
#else
        (void)result;
        throw InvalidInput("report", "this grid2gpu was built without the report layer",
                           "configure with -DG2G_BUILD_REPORT=ON (the release preset)");
#endif
      },
      py::arg("comparison"),
      "The HTML report of a comparison (report::render_html, as `grid2gpu compare --html`).");
}

}  // namespace g2g::python
