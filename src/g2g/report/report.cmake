# The report layer, g2g_report (src/g2g/report): the HTML report and single-line diagrams, above
# the study layer. Graphviz for the diagrams, and the JavaScript/CSS assets (web/node_modules,
# Debian's chart.js) compiled in at build time. Included from src/g2g/CMakeLists.txt only with
# G2G_BUILD_REPORT=ON: nothing else in the build needs Graphviz or npm.
g2g_layer(report FOLDERS report LAYERS study dynamic fab lifetime PUBLIC nlohmann_json::nlohmann_json)

find_package(PkgConfig REQUIRED)
pkg_check_modules(G2G_GRAPHVIZ REQUIRED IMPORTED_TARGET libgvc libcgraph)
# The dot layout and SVG renderer plugins are linked in and registered by hand
# (gvContextPlugins), so that no other plugin is loaded: text is measured by Graphviz's own font
# metrics (the same diagram on every machine), and the pango plugin, whose font cache in
# Graphviz 2.43 reads freed memory across graphs, stays out of the process.
pkg_get_variable(G2G_GRAPHVIZ_LIBDIR libgvc libdir)
foreach(plugin dot_layout core)
  find_library(G2G_GVPLUGIN_${plugin} gvplugin_${plugin}
    PATHS ${G2G_GRAPHVIZ_LIBDIR}/graphviz NO_DEFAULT_PATH REQUIRED)
endforeach()

set(G2G_WEB_DIR ${PROJECT_SOURCE_DIR}/web)
set(G2G_NODE_MODULES ${G2G_WEB_DIR}/node_modules)
set(G2G_CHARTJS /usr/share/javascript/chart.js/chart.min.js)
if(NOT EXISTS ${G2G_NODE_MODULES}/d3-sankey/dist/d3-sankey.min.js
   OR NOT EXISTS ${G2G_NODE_MODULES}/chartjs-plugin-zoom/dist/chartjs-plugin-zoom.min.js)
  message(FATAL_ERROR "web/node_modules is missing: run scripts/setup (it runs npm ci in web/), "
    "or configure with -DG2G_BUILD_REPORT=OFF to build the engine without the report and the CLI")
endif()
if(NOT EXISTS ${G2G_CHARTJS})
  message(FATAL_ERROR "${G2G_CHARTJS} is missing: run scripts/setup (Debian libjs-chart.js)")
endif()

set(report_dir ${CMAKE_CURRENT_SOURCE_DIR}/report)
set(report_assets_cpp ${CMAKE_CURRENT_BINARY_DIR}/report_assets.cpp)
file(GLOB report_vendor_inputs
  ${G2G_NODE_MODULES}/*/dist/*.min.js ${G2G_NODE_MODULES}/*/*.min.js
  ${G2G_NODE_MODULES}/*/package.json ${G2G_NODE_MODULES}/*/LICENSE ${G2G_NODE_MODULES}/*/LICENSE.md)
add_custom_command(
  OUTPUT ${report_assets_cpp}
  COMMAND ${CMAKE_COMMAND}
    -DNODE_MODULES=${G2G_NODE_MODULES}
    -DCHARTJS=${G2G_CHARTJS}
    -DCHARTJS_LICENSE=${G2G_WEB_DIR}/licenses/chart.js-LICENSE.md
    -DREPORT_JS=${report_dir}/report.js
    -DSWEEP_JS=${report_dir}/sweep.js
    -DDYNAMIC_JS=${report_dir}/dynamic.js
    -DLIFETIME_JS=${report_dir}/lifetime.js
    -DREPORT_CSS=${report_dir}/report.css
    -DOUTPUT=${report_assets_cpp}
    -P ${report_dir}/embed_assets.cmake
  DEPENDS ${report_dir}/embed_assets.cmake ${report_dir}/report.js ${report_dir}/sweep.js
    ${report_dir}/dynamic.js    ${report_dir}/lifetime.js ${report_dir}/report.css
    ${G2G_CHARTJS} ${G2G_WEB_DIR}/licenses/chart.js-LICENSE.md ${G2G_WEB_DIR}/package-lock.json
    ${report_vendor_inputs}
  COMMENT "Embedding the report's JavaScript and CSS"
  VERBATIM)
target_sources(g2g_report PRIVATE ${report_assets_cpp})
target_link_libraries(g2g_report PRIVATE PkgConfig::G2G_GRAPHVIZ ${G2G_GVPLUGIN_dot_layout}
  ${G2G_GVPLUGIN_core})
