// `grid2gpu wafer` as text for the terminal (fab::WaferStudy): gross die, yield and cost, the
// inverse D0, the stack's stress and bow, the GaN/Si CTE claim. docs/fab.md.
#pragma once

#include <string>

#include "g2g/fab/wafer_study.hpp"

namespace g2g::io {

[[nodiscard]] std::string format_wafer_study(const fab::WaferStudy& study);

}  // namespace g2g::io
