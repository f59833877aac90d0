#include "g2g/steady/verify.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "g2g/model/element_kinds.hpp"

namespace g2g::steady {
namespace {

// Sums, per bus, the power each element puts into it: at an element's first port p_out - p_in
// for a one-port element (a source delivers p_out, a load or shunt draws p_in) and -p_in for a
// two-port one, at its second port +p_out (results.hpp's sign convention).
struct BusSums {
  std::vector<double> p_w, q_var, through_w;
};

template <typename K>
void add_kind(const model::ModelSpec& model, const ElementResult& r, BusSums& sums) {
  const auto& element = K::elements(model)[static_cast<std::size_t>(r.index)];
  const auto ports = K::ports(element);
  const auto add = [&](model::BusIndex bus, double p, double q) {
    if (bus < 0) return;
    const auto b = static_cast<std::size_t>(bus);
    sums.p_w[b] += p;
    sums.q_var[b] += q;
    sums.through_w[b] += std::fabs(p) + std::fabs(q);
  };
  if (ports.size() == 1) {
    add(*ports[0], r.p_out_w - r.p_in_w, r.q_out_var - r.q_in_var);
  } else if (ports.size() >= 2) {
    add(*ports[0], -r.p_in_w, -r.q_in_var);
    add(*ports[1], r.p_out_w, r.q_out_var);
  }
}

bool finite_element(const ElementResult& r) {
  return std::isfinite(r.p_in_w) && std::isfinite(r.p_out_w) && std::isfinite(r.q_in_var) &&
         std::isfinite(r.q_out_var) && std::isfinite(r.loss_w) && std::isfinite(r.current_a) &&
         std::isfinite(r.current_out_a) && std::isfinite(r.loading_pct);
}

}  // namespace

std::optional<SolutionCheck> check_solution(const model::ModelSpec& model,
                                            const SolveResult& result) {
  for (const BusResult& b : result.buses)
    if (!(std::isfinite(b.v_pu) && std::isfinite(b.voltage_v) && std::isfinite(b.angle_deg)))
      return SolutionCheck{"a bus voltage is not a finite number", b.bus};

  const std::size_t n = model.buses.size();
  BusSums sums{std::vector<double>(n, 0.0), std::vector<double>(n, 0.0),
               std::vector<double>(n, 0.0)};
  for (const ElementResult& r : result.elements) {
    if (!finite_element(r)) {
      std::string id;
      model::for_each_model_kind([&]<typename K>() {
        if (K::kind == r.type) id = K::elements(model)[static_cast<std::size_t>(r.index)].id;
      });
      return SolutionCheck{fmt::format("the results of {} '{}' are not finite numbers",
                                       model::element_kind_name(r.type), id),
                           model::no_bus};
    }
    model::for_each_model_kind([&]<typename K>() {
      if (K::kind == r.type) add_kind<K>(model, r, sums);
    });
  }

  // Each bus equation: the solver leaves at most its tolerance (on the base power) unbalanced.
  const double allowed_w = 10.0 * model.solver.tolerance_pu * model.solver.base_power_va;
  double worst_excess = 0.0;
  model::BusIndex worst = model::no_bus;
  for (std::size_t b = 0; b < n; ++b) {
    const double limit = allowed_w + balance_relative_tolerance * sums.through_w[b];
    const double imbalance = std::max(std::fabs(sums.p_w[b]), std::fabs(sums.q_var[b]));
    if (!(imbalance <= limit) && imbalance - limit > worst_excess) {
      worst_excess = imbalance - limit;
      worst = static_cast<model::BusIndex>(b);
    }
  }
  if (worst != model::no_bus) {
    const auto b = static_cast<std::size_t>(worst);
    return SolutionCheck{
        fmt::format("bus '{}' is out of balance by {:.6g} W and {:.6g} var in the results "
                    "(allowed {:.3g})",
                    model.buses[b].id, sums.p_w[b], sums.q_var[b],
                    allowed_w + balance_relative_tolerance * sums.through_w[b]),
        worst};
  }

  const Totals& t = result.totals;
  if (!(std::isfinite(t.source_w) && std::isfinite(t.load_w) && std::isfinite(t.loss_w)))
    return SolutionCheck{"the totals are not finite numbers", model::no_bus};
  const double scale = std::max({std::fabs(t.source_w), std::fabs(t.load_w), std::fabs(t.loss_w)});
  const double allowed_total =
      allowed_w * static_cast<double>(n) + balance_relative_tolerance * scale;
  if (!(std::fabs(t.balance_error_w) <= allowed_total))
    return SolutionCheck{fmt::format("energy is not conserved: sources {:.6g} W, loads {:.6g} W, "
                                     "losses {:.6g} W leave {:.6g} W unaccounted for",
                                     t.source_w, t.load_w, t.loss_w, t.balance_error_w),
                         model::no_bus};
  return std::nullopt;
}

}  // namespace g2g::steady
