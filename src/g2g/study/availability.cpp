#include "g2g/study/availability.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "g2g/core/error.hpp"
#include "g2g/study/stages.hpp"

namespace g2g::study {
namespace {

using reliability::ElementFailureRate;

// One element of a stage: the data it needs and its k-out-of-n group.
struct ElementOutage {
  const Stage* stage = nullptr;
  std::string type;
  const ElementFailureRate* data = nullptr;
  int units = 1;          // n
  int needed = 1;         // k
  double route_km = 0.0;  // conductors
  double throughput_w = 0.0;
};

// The k-out-of-n group of an element with data: a converter's or transformer's units each fail
// at the entry's FIT; a conductor is one unit failing along its route and at its two ends.
// Every failed unit has its own repair (crews = 0).
reliability::KOutOfN group(const ElementOutage& e) {
  const ElementFailureRate& d = *e.data;
  const double fit = e.route_km > 0.0 || d.fit_per_km > 0.0
                         ? d.fit_per_km * e.route_km + 2.0 * d.termination_fit + d.fit
                         : d.fit;
  reliability::KOutOfN g;
  g.n = e.units;
  g.k = e.needed;
  g.failure_rate_per_h = fit / reliability::hours_per_fit;
  g.repair_rate_per_h = 1.0 / d.mttr_h;
  g.repair_crews = 0;
  return g;
}

}  // namespace

ArchitectureAvailability architecture_availability(const model::ModelSpec& model,
                                                   const steady::SolveResult& result,
                                                   double it_mwh_per_year,
                                                   bool include_point_of_load,
                                                   std::span<const ElementFailureRate> table) {
  ArchitectureAvailability out;
  out.computed = true;
  out.it_mwh_per_year = it_mwh_per_year;
  const StageIndex index(model);

  std::vector<ElementOutage> elements;
  for (const auto& r : result.elements) {
    const auto i = static_cast<std::size_t>(r.index);
    const Stage* stage = index.stage_of(r.type, i);
    if (stage == nullptr) continue;
    ElementOutage e;
    e.stage = stage;
    // The power it passes on, the way it flows (as chain_stages counts it).
    const bool reversed = r.p_in_w < 0.0 && r.p_out_w < 0.0;
    e.throughput_w = std::max(0.0, reversed ? -r.p_in_w : r.p_out_w);
    if (r.type == steady::ElementType::line) {
      const model::Line& line = model.lines[i];
      const model::Trip* trip = model::trip_of(model, line);
      e.type = trip != nullptr && trip->kind == model::TripKind::fuse ? "fuse" : stage->label;
      if (line.type != model::LineType::breaker) e.route_km = line.length_m / 1e3;
    } else if (r.type == steady::ElementType::transformer) {
      const model::Transformer& t = model.transformers[i];
      e.type = stage->label;
      e.units = t.redundancy.installed;
      e.needed = t.redundancy.modules;
    } else {
      const model::Converter& c = model.converters[i];
      if (c.subtype == model::ConverterSubtype::vrm && !include_point_of_load) continue;
      // Storage hangs off the chain: its converter's failure matters only in a utility outage,
      // which is not modelled (docs/reliability.md).
      if (c.subtype == model::ConverterSubtype::battery_converter) continue;
      e.type = stage->label;
      e.units = c.redundancy.installed;
      e.needed = c.redundancy.modules;
    }
    // Units without a spare serve independent shares: one that fails loses its 1/N of the
    // element's load and does not take the others down. So the element counts as N 1-of-1
    // units, and a figure does not depend on whether a model lumps identical units into one
    // element of N modules or writes N elements. Units with spares share one output (k-of-n).
    if (e.needed >= e.units) e.units = e.needed = 1;
    e.data = reliability::find_failure_rate(table, e.type);
    elements.push_back(std::move(e));
  }

  // Stages grid to GPU (chain_stages' order), each with the power through all its elements.
  std::map<const Stage*, double> stage_throughput;
  for (const auto& e : elements) stage_throughput[e.stage] += e.throughput_w;
  double largest_w = 0.0;
  for (const auto& [stage, w] : stage_throughput) largest_w = std::max(largest_w, w);
  std::vector<const Stage*> order;
  for (const auto& [stage, w] : stage_throughput)
    // A stage no power flows through (a battery converter on float) hangs off the chain.
    if (w > 1e-9 * largest_w) order.push_back(stage);
  std::sort(order.begin(), order.end(), [](const Stage* a, const Stage* b) {
    return std::tie(a->depth, a->name) < std::tie(b->depth, b->name);
  });

  double path_up = 1.0;
  double largest_mwh = -1.0;
  for (const Stage* stage : order) {
    StageOutage s;
    s.stage = stage->name;
    s.has_data = true;
    bool first = true;
    const double total_w = stage_throughput[stage];
    for (const auto& e : elements) {
      if (e.stage != stage) continue;
      ++s.elements;
      if (first) s.element_type = e.type;
      if (e.data == nullptr) {
        s.has_data = false;
        if (std::find(out.no_data.begin(), out.no_data.end(), e.type) == out.no_data.end())
          out.no_data.push_back(e.type);
        first = false;
        continue;
      }
      const reliability::KOutOfN g = group(e);
      if (first) s.unit = g;
      first = false;
      // A group that cannot fail (a conductor of zero length with no termination data).
      const double down =
          g.failure_rate_per_h > 0.0 ? 1.0 - reliability::k_out_of_n(g).availability : 0.0;
      const double share = e.throughput_w / total_w;
      s.unavailability += share * down;
      s.unserved_mwh_per_year += share * down * it_mwh_per_year;
    }
    if (s.has_data) {
      path_up *= 1.0 - s.unavailability;
      out.unserved_mwh_per_year += s.unserved_mwh_per_year;
      if (s.unserved_mwh_per_year > largest_mwh) {
        largest_mwh = s.unserved_mwh_per_year;
        out.largest_stage = s.stage;
      }
    } else {
      s.unavailability = 0.0;
      s.unserved_mwh_per_year = 0.0;
      s.unit = {};
    }
    out.stages.push_back(std::move(s));
  }
  out.path_availability = path_up;
  return out;
}

namespace {

using Json = nlohmann::json;

template <typename T>
Json number_or_null(bool known, T value) {
  return known ? Json(value) : Json(nullptr);
}

constexpr const char* availability_member = "architectures[].availability";

// Members of a document: missing or null reads as empty; another type is an error naming it.
double number_of(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return 0.0;
  if (!it->is_number())
    throw InvalidInput(fmt::format("{}.{}", availability_member, key), "expected a number or null");
  return it->get<double>();
}

std::string text_of(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_string())
    throw InvalidInput(fmt::format("{}.{}", availability_member, key), "expected a string or null");
  return it->get<std::string>();
}

bool flag_of(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return false;
  if (!it->is_boolean())
    throw InvalidInput(fmt::format("{}.{}", availability_member, key), "expected a boolean");
  return it->get<bool>();
}

// A count from a document, which may hold any number: clamped before the conversion to int.
int count_of(const Json& j, const char* key) {
  const double v = number_of(j, key);
  return std::isfinite(v) ? static_cast<int>(std::clamp(v, 0.0, 1e9)) : 0;
}

}  // namespace

Json availability_json(const ArchitectureAvailability& a) {
  if (!a.computed) return Json(nullptr);
  Json stages = Json::array();
  for (const auto& s : a.stages)
    stages.push_back(
        Json{{"stage", s.stage},
             {"element_type", s.element_type},
             {"elements", s.elements},
             {"data", s.has_data},
             {"units", number_or_null(s.has_data, s.unit.n)},
             {"needed", number_or_null(s.has_data, s.unit.k)},
             {"unit_fit",
              number_or_null(s.has_data, s.unit.failure_rate_per_h * reliability::hours_per_fit)},
             {"mttr_h", s.has_data && s.unit.repair_rate_per_h > 0.0
                            ? Json(1.0 / s.unit.repair_rate_per_h)
                            : Json(nullptr)},
             {"unavailability", number_or_null(s.has_data, s.unavailability)},
             {"unserved_mwh_per_year", number_or_null(s.has_data, s.unserved_mwh_per_year)}});
  const bool complete = a.complete();
  return Json{{"path_availability", number_or_null(complete, a.path_availability)},
              {"unserved_mwh_per_year", number_or_null(complete, a.unserved_mwh_per_year)},
              {"largest_stage", complete ? Json(a.largest_stage) : Json(nullptr)},
              {"it_mwh_per_year", a.it_mwh_per_year},
              {"no_data", a.no_data},
              {"stages", stages}};
}

ArchitectureAvailability availability_from_json(const Json& j) {
  ArchitectureAvailability a;
  if (j.is_null()) return a;
  if (!j.is_object()) throw InvalidInput(availability_member, "expected an object or null");
  a.computed = true;
  a.path_availability = number_of(j, "path_availability");
  a.unserved_mwh_per_year = number_of(j, "unserved_mwh_per_year");
  a.it_mwh_per_year = number_of(j, "it_mwh_per_year");
  a.largest_stage = text_of(j, "largest_stage");
  if (const auto it = j.find("no_data"); it != j.end() && !it->is_null()) {
    if (!it->is_array())
      throw InvalidInput(fmt::format("{}.no_data", availability_member), "expected an array");
    for (const auto& t : *it) {
      if (!t.is_string())
        throw InvalidInput(fmt::format("{}.no_data[]", availability_member), "expected a string");
      a.no_data.push_back(t.get<std::string>());
    }
  }
  // A document whose figures are null lacks data even if it does not say which.
  const auto path = j.find("path_availability");
  if (a.no_data.empty() && (path == j.end() || !path->is_number()))
    a.no_data.emplace_back("unknown");
  if (const auto it = j.find("stages"); it != j.end() && !it->is_null()) {
    if (!it->is_array())
      throw InvalidInput(fmt::format("{}.stages", availability_member), "expected an array");
    for (const auto& e : *it) {
      if (!e.is_object())
        throw InvalidInput(fmt::format("{}.stages[]", availability_member), "expected an object");
      StageOutage s;
      s.stage = text_of(e, "stage");
      s.element_type = text_of(e, "element_type");
      s.elements = count_of(e, "elements");
      s.has_data = flag_of(e, "data");
      s.unit.n = std::max(1, count_of(e, "units"));
      s.unit.k = std::max(1, count_of(e, "needed"));
      s.unit.failure_rate_per_h = number_of(e, "unit_fit") / reliability::hours_per_fit;
      const double mttr_h = number_of(e, "mttr_h");
      s.unit.repair_rate_per_h = mttr_h > 0.0 ? 1.0 / mttr_h : 0.0;
      s.unavailability = number_of(e, "unavailability");
      s.unserved_mwh_per_year = number_of(e, "unserved_mwh_per_year");
      a.stages.push_back(std::move(s));
    }
  }
  return a;
}

}  // namespace g2g::study
