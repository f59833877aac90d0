#include "g2g/api/solve.hpp"

namespace g2g::api {

steady::SolveResult solve(const ValidatedModel& model) {
  return steady::solve(model.spec());
}

sizing::IterativeSizing size(const ValidatedModel& model, const sizing::Tables& tables,
                             const sizing::SizingOptions& options, int passes) {
  return sizing::size_until_stable(model.spec(), tables, options, passes);
}

}  // namespace g2g::api
