# Every third-party library comes from a Debian package installed by scripts/setup. Graphviz and
# the report's JavaScript are found in src/g2g/report/report.cmake, only with G2G_BUILD_REPORT.
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt REQUIRED)
if(G2G_BUILD_REPORT)
  find_package(CLI11 REQUIRED)  # the CLI, built with the report
endif()
find_package(simdjson REQUIRED)
find_package(muparser REQUIRED)  # model parameter expressions
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)  # header-only Boost.Math: the sweeps' normal quantile
# Boost.Math's distributions (header-only; Debian libboost-math-dev, with libboost-dev): the
# qualification planner's chi-squared, binomial and hypergeometric quantiles (reliability/).
find_path(G2G_BOOST_MATH_DISTRIBUTIONS boost/math/distributions/hypergeometric.hpp
  HINTS ${Boost_INCLUDE_DIRS} REQUIRED)
# Time-domain simulation (dynamic/): IDA with the KLU linear solver, Debian's 6.4.1 (6.x API,
# 64-bit indices).
find_package(SUNDIALS 6.4 REQUIRED CONFIG)

# SuiteSparse 5.x in Debian ships no CMake package: find KLU and its ordering libraries by hand,
# and CHOLMOD (same package), whose simplicial LDL' factorizes symmetric Jacobians
# (steady/sparse_ldl.cpp).
find_path(KLU_INCLUDE_DIR klu.h PATH_SUFFIXES suitesparse REQUIRED)
foreach(lib klu cholmod amd colamd btf suitesparseconfig)
  find_library(SUITESPARSE_${lib}_LIBRARY ${lib} REQUIRED)
  list(APPEND KLU_LIBRARIES ${SUITESPARSE_${lib}_LIBRARY})
endforeach()
add_library(g2g_klu INTERFACE)
target_include_directories(g2g_klu SYSTEM INTERFACE ${KLU_INCLUDE_DIR})
target_link_libraries(g2g_klu INTERFACE ${KLU_LIBRARIES})

if(G2G_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(G2G_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
