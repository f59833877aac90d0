#include "g2g/study/sweep_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "g2g/core/error.hpp"

namespace g2g::study {

namespace {

using Json = nlohmann::json;

// The q-quantile of sorted values, interpolated linearly between the closest ranks (Hyndman and
// Fan's definition 7, numpy's and R's default), so that a reader can reproduce it from the CSV.
double quantile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double weight = position - static_cast<double>(below);
  return sorted[below] + weight * (sorted[above] - sorted[below]);
}

void check_table(const SweepTable& table) {
  auto output_index = [&](std::size_t index, const char* what) {
    if (index >= table.outputs.size())
      throw InvalidInput("sweep table", fmt::format("{} names output {} of {}", what, index,
                                                    table.outputs.size()));
  };
  if (table.efficiency) output_index(*table.efficiency, "efficiency");
  if (table.copper) output_index(*table.copper, "copper");
  for (const std::size_t claim : table.claims) output_index(claim, "a claim");
  for (std::size_t i = 0; i < table.scenarios.size(); ++i) {
    const SweepScenario& s = table.scenarios[i];
    if (s.architecture >= table.architectures.size() ||
        s.values.size() != table.parameters.size() || s.outputs.size() != table.outputs.size())
      throw InvalidInput("sweep table",
                         fmt::format("scenario {} does not match the table's architectures, "
                                     "parameters or outputs",
                                     i));
  }
}

// The outputs the page draws against the parameters and as distributions.
std::vector<std::size_t> drawn_outputs(const SweepTable& table) {
  std::vector<std::size_t> drawn;
  if (table.efficiency) drawn.push_back(*table.efficiency);
  if (table.copper) drawn.push_back(*table.copper);
  return drawn;
}

SweepDependence dependence(const SweepTable& table, std::size_t parameter, std::size_t output,
                           const SweepSummaryOptions& options) {
  SweepDependence d;
  d.parameter = parameter;
  d.output = output;
  std::vector<double> distinct;
  for (const auto& s : table.scenarios) distinct.push_back(s.values[parameter]);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  d.sampled =
      table.combine == SweepCombine::monte_carlo || distinct.size() > options.max_distinct_values;
  for (std::size_t a = 0; a < table.architectures.size(); ++a) {
    SweepSeries series;
    series.architecture = a;
    std::vector<std::pair<double, double>> xy;
    for (const auto& s : table.scenarios)
      if (s.architecture == a && std::isfinite(s.outputs[output]))
        xy.emplace_back(s.values[parameter], s.outputs[output]);
    if (d.sampled) {
      const std::size_t step =
          std::max<std::size_t>(1, (xy.size() + options.max_scatter_points - 1) /
                                       std::max<std::size_t>(1, options.max_scatter_points));
      for (std::size_t i = 0; i < xy.size(); i += step) series.scatter.push_back(xy[i]);
    } else {
      std::map<double, SweepPoint> at;
      for (const auto& [x, y] : xy) {
        auto [it, fresh] = at.try_emplace(x, SweepPoint{x, y, 0.0, y, 0});
        SweepPoint& p = it->second;
        p.min = std::min(p.min, y);
        p.max = std::max(p.max, y);
        p.mean += y;
        ++p.count;
      }
      for (auto& [x, p] : at) {
        p.mean /= static_cast<double>(p.count);
        series.points.push_back(p);
      }
    }
    d.series.push_back(std::move(series));
  }
  return d;
}

std::optional<SweepDistribution> distribution(const SweepTable& table, std::size_t architecture,
                                              std::size_t output,
                                              const SweepSummaryOptions& options) {
  std::vector<double> values;
  for (const auto& s : table.scenarios)
    if (s.architecture == architecture && std::isfinite(s.outputs[output]))
      values.push_back(s.outputs[output]);
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  SweepDistribution d;
  d.architecture = architecture;
  d.output = output;
  d.count = values.size();
  d.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(d.count);
  d.p05 = quantile(values, 0.05);
  d.p50 = quantile(values, 0.50);
  d.p95 = quantile(values, 0.95);
  d.min = values.front();
  d.max = values.back();
  const std::size_t bins = std::max<std::size_t>(1, options.histogram_bins);
  d.bins.assign(bins, 0);
  d.bin_low = d.min;
  // One bin holds everything when the metric does not vary.
  d.bin_width = d.max > d.min ? (d.max - d.min) / static_cast<double>(bins) : 0.0;
  for (const double v : values) {
    std::size_t bin = 0;
    if (d.bin_width > 0.0)
      bin = std::min(bins - 1, static_cast<std::size_t>((v - d.min) / d.bin_width));
    ++d.bins[bin];
  }
  const std::size_t step =
      std::max<std::size_t>(1, (values.size() + options.max_ecdf_points - 1) /
                                   std::max<std::size_t>(1, options.max_ecdf_points));
  const auto n = static_cast<double>(values.size());
  for (std::size_t i = step - 1; i < values.size(); i += step)
    d.ecdf.emplace_back(values[i], static_cast<double>(i + 1) / n);
  if (d.ecdf.empty() || d.ecdf.back().second < 1.0) d.ecdf.emplace_back(values.back(), 1.0);
  return d;
}

Json number_or_null(double v) {
  return std::isfinite(v) ? Json(v) : Json(nullptr);
}

}  // namespace

std::string_view to_string(SweepCombine combine) noexcept {
  switch (combine) {
    case SweepCombine::grid:
      return "grid";
    case SweepCombine::zip:
      return "zip";
    case SweepCombine::monte_carlo:
      return "monte_carlo";
  }
  return "grid";
}

SweepSummary summarise_sweep(const SweepTable& table, const SweepSummaryOptions& options) {
  check_table(table);
  SweepSummary summary;
  summary.name = table.name;
  summary.combine = table.combine;
  summary.architectures = table.architectures;
  summary.parameters = table.parameters;
  summary.outputs = table.outputs;
  summary.scenarios = table.scenarios.size();
  summary.failed.assign(table.architectures.size(), 0);
  for (const auto& s : table.scenarios)
    if (s.failed) ++summary.failed[s.architecture];

  const std::vector<std::size_t> drawn = drawn_outputs(table);
  for (std::size_t p = 0; p < table.parameters.size(); ++p)
    for (const std::size_t output : drawn)
      summary.dependences.push_back(dependence(table, p, output, options));
  if (table.combine == SweepCombine::monte_carlo)
    for (const std::size_t output : drawn)
      for (std::size_t a = 0; a < table.architectures.size(); ++a)
        if (auto d = distribution(table, a, output, options))
          summary.distributions.push_back(std::move(*d));
  for (const std::size_t claim : table.claims)
    for (std::size_t a = 0; a < table.architectures.size(); ++a) {
      SweepClaimShare share;
      share.output = claim;
      share.architecture = a;
      for (const auto& s : table.scenarios) {
        if (s.architecture != a || !std::isfinite(s.outputs[claim])) continue;
        ++share.applicable;
        if (s.outputs[claim] > 0.5) ++share.holds;
      }
      if (share.applicable > 0) summary.claims.push_back(share);
    }
  return summary;
}

Json sweep_summary_json(const SweepSummary& summary) {
  Json j;
  j["name"] = summary.name;
  j["combine"] = to_string(summary.combine);
  j["architectures"] = summary.architectures;
  j["scenarios"] = summary.scenarios;
  j["failed"] = summary.failed;
  Json parameters = Json::array();
  for (const auto& p : summary.parameters)
    parameters.push_back({{"name", p.name}, {"unit", p.unit}});
  j["parameters"] = std::move(parameters);
  Json outputs = Json::array();
  for (const auto& o : summary.outputs) outputs.push_back({{"name", o.name}, {"unit", o.unit}});
  j["outputs"] = std::move(outputs);
  Json dependences = Json::array();
  for (const auto& d : summary.dependences) {
    Json series = Json::array();
    for (const auto& s : d.series) {
      Json points = Json::array();
      for (const auto& p : s.points) points.push_back({p.x, p.min, p.mean, p.max});
      Json scatter = Json::array();
      for (const auto& [x, y] : s.scatter) scatter.push_back({x, y});
      series.push_back(
          {{"architecture", s.architecture}, {"points", points}, {"scatter", scatter}});
    }
    dependences.push_back({{"parameter", d.parameter},
                           {"output", d.output},
                           {"sampled", d.sampled},
                           {"series", series}});
  }
  j["dependences"] = std::move(dependences);
  Json distributions = Json::array();
  for (const auto& d : summary.distributions) {
    Json ecdf = Json::array();
    for (const auto& [x, f] : d.ecdf) ecdf.push_back({x, f});
    distributions.push_back({{"architecture", d.architecture},
                             {"output", d.output},
                             {"count", d.count},
                             {"mean", number_or_null(d.mean)},
                             {"p05", number_or_null(d.p05)},
                             {"p50", number_or_null(d.p50)},
                             {"p95", number_or_null(d.p95)},
                             {"bin_low", d.bin_low},
                             {"bin_width", d.bin_width},
                             {"bins", d.bins},
                             {"ecdf", ecdf}});
  }
  j["distributions"] = std::move(distributions);
  Json claims = Json::array();
  for (const auto& c : summary.claims)
    claims.push_back({{"output", c.output},
                      {"architecture", c.architecture},
                      {"holds", c.holds},
                      {"applicable", c.applicable}});
  j["claims"] = std::move(claims);
  if (summary.provenance) j["provenance"] = run_provenance_json(*summary.provenance);
  return j;
}

}  // namespace g2g::study
