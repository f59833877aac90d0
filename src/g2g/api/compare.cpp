#include "g2g/api/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <optional>

#include "g2g/api/model.hpp"
#include "g2g/api/storage_claim.hpp"
#include "g2g/core/error.hpp"
#include "g2g/io/files.hpp"
#include "g2g/io/scenario_files.hpp"
#include "g2g/io/study_files.hpp"

namespace g2g::api {
namespace {

namespace fs = std::filesystem;

// Names as given, a comma-separated list allowed in each.
std::vector<std::string> split_names(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    std::size_t start = 0;
    while (start <= item.size()) {
      const std::size_t comma = item.find(',', start);
      std::string name = item.substr(start, comma == std::string::npos ? comma : comma - start);
      name.erase(0, name.find_first_not_of(' '));
      name.erase(name.find_last_not_of(' ') + 1);
      if (!name.empty()) out.push_back(name);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

// The study's conditions under the request's overrides, each default with its source.
study::CompareOptions compare_options(const CompareRequest& r, const study::StudySpec& s) {
  const RequestNames& n = r.names;
  const auto given = [&](const std::string& name) {
    return fmt::format("{} on {}", name, n.given_on);
  };
  study::CompareOptions options;
  options.include_point_of_load = r.include_point_of_load;
  options.size_conductors = r.size_conductors;
  options.sizing = r.sizing;
  options.currency = r.currency.value_or(s.currency.value_or("USD"));
  // Default tariff: the US industrial average of 2023, 8.06 cents/kWh (EIA).
  options.tariff_per_mwh = s.tariff_per_mwh.value_or(80.0);
  options.tariff_provenance = s.tariff_provenance.value_or(study::Provenance{
      "US industrial average 8.06 cents/kWh in 2023 (EIA, via "
      "https://www.statista.com/statistics/190680/"
      "us-industrial-consumer-price-estimates-for-retail-electricity-since-1970/)",
      study::SourceKind::measurement});
  if (r.tariff_per_mwh) {
    options.tariff_per_mwh = *r.tariff_per_mwh;
    options.tariff_provenance = {given(n.tariff), study::SourceKind::assumption};
  }
  if (!(options.tariff_per_mwh >= 0.0))
    throw InvalidInput(n.tariff, fmt::format("{}: the tariff must not be negative", n.tariff),
                       fmt::format("e.g. {} 80", n.tariff));
  if (r.hours_per_year) options.hours_per_year = *r.hours_per_year;
  if (!(options.hours_per_year > 0.0 && options.hours_per_year <= 8784.0))
    throw InvalidInput(n.hours,
                       fmt::format("{}: hours per year must be above 0 and at most 8784", n.hours),
                       "e.g. 8760");
  if (s.utilisation) options.profile = *s.utilisation;
  // Default cooling: 0.1 kW per kW of heat, the whole non-IT overhead of a fleet PUE of 1.10
  // (Google 2024 Environmental Report), an upper bound for cooling alone (docs/compare.md).
  options.cooling = s.cooling.value_or(study::CoolingOptions{
      0.1,
      {"fleet PUE 1.10 (Google, 'Our 2024 Environmental Report', "
       "https://blog.google/outreach-initiatives/sustainability/2024-environmental-report): all "
       "non-IT overhead, an upper bound for cooling alone",
       study::SourceKind::vendor_claim}});
  if (r.cooling_kw_per_kw) {
    options.cooling.overhead_kw_per_kw = *r.cooling_kw_per_kw;
    options.cooling.provenance = {given(n.cooling), study::SourceKind::assumption};
    if (!(options.cooling.overhead_kw_per_kw >= 0.0 && options.cooling.overhead_kw_per_kw < 5.0))
      throw InvalidInput(n.cooling,
                         fmt::format("{}: give kW of cooling per kW of heat, e.g. 0.1", n.cooling));
  }
  options.it_load_tolerance = r.it_load_tolerance.value_or(s.it_load_tolerance.value_or(0.01));
  options.normalise_it_load = r.normalise_it_load || s.normalise_it_load;
  return options;
}

// The request's sets, else the study's, else every set; common sets always.
std::vector<const study::AssumptionSet*> select_sets(const std::vector<study::AssumptionSet>& sets,
                                                     std::vector<std::string> wanted,
                                                     const std::string& option) {
  std::vector<const study::AssumptionSet*> selected;
  for (const auto& s : sets)
    if (wanted.empty() || s.side == study::Side::common ||
        std::find(wanted.begin(), wanted.end(), s.name) != wanted.end())
      selected.push_back(&s);
  for (const auto& name : wanted)
    if (std::none_of(sets.begin(), sets.end(), [&](const auto& s) { return s.name == name; })) {
      std::string known;
      for (const auto& s : sets) known += fmt::format("{}{}", known.empty() ? "" : ", ", s.name);
      throw InvalidInput(option, fmt::format("{}: no assumption set '{}'", option, name),
                         fmt::format("use one of {}", known));
    }
  return selected;
}

}  // namespace

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

nlohmann::json CompareResult::document() const {
  return study::comparison_json(comparison, options, provenance);
}

std::vector<study::AssumptionSet> assumption_sets(const std::filesystem::path& dir) {
  std::vector<study::AssumptionSet> sets = study::default_assumption_sets();
  if (!dir.empty())
    for (auto& s : io::read_assumption_sets(dir)) {
      std::erase_if(sets, [&](const auto& x) { return x.name == s.name; });
      sets.push_back(std::move(s));
    }
  return sets;
}

namespace {

// Reads model i of the request with `parameters`: from its file, or from its text.
ValidatedModel read_model(const CompareRequest& request, const std::vector<fs::path>& paths,
                          std::size_t i, ModelOptions options) {
  if (request.models.empty()) return load_model(paths[i], options);
  const ModelText& m = request.models[i];
  options.parameters = study::layered_parameters(m.overrides, {}, options.parameters);
  options.edits = m.edits;
  std::optional<DesignFiles> designs;
  if (m.base_dir) {
    designs.emplace(*m.base_dir, options.allowed_paths);
    options.designs = &*designs;
  }
  return load_model_text(m.text, m.format, m.name, options);
}

}  // namespace

CompareResult compare(const CompareRequest& request) {
  if (request.inputs.empty() && request.models.size() < 2)
    throw InvalidInput("compare", "compare: give a study file or two or more model files",
                       "e.g. grid2gpu compare examples/study-100mw.yaml");
  if (!request.inputs.empty() && !request.models.empty())
    throw InvalidInput("compare", "compare: give files or models given by their text, not both",
                       "read the files as models too");
  CompareResult out;
  out.sets = assumption_sets(request.assumptions_dir);

  // A study file, or models given directly.
  std::vector<fs::path> paths = request.inputs;
  if (request.inputs.size() == 1) {
    const std::string text = io::read_text_file(request.inputs[0], 0, io::max_model_file_bytes);
    if (!study::looks_like_study(text))
      throw InvalidInput("compare",
                         fmt::format("compare: {} is a single model; compare needs a study file "
                                     "or two or more models",
                                     request.inputs[0].string()),
                         "add the models to compare it with");
    out.study = io::read_study(request.inputs[0]);
    paths.assign(out.study.architectures.begin(), out.study.architectures.end());
  }
  const study::StudySpec& study = out.study;
  out.options = compare_options(request, study);
  std::vector<std::string> wanted = split_names(request.assumptions);
  if (wanted.empty()) wanted = study.assumptions;
  const std::vector<const study::AssumptionSet*> selected =
      select_sets(out.sets, wanted, request.names.assumptions);

  // Parameters: the study's, under the assumption sets', under the request's.
  ModelOptions base_load;
  base_load.parameters = study::layered_parameters(study.parameters, {}, request.parameters);
  base_load.allowed_paths = request.allowed_paths;
  base_load.memory_limit_bytes = request.memory_limit_bytes;

  study::ComparisonInput input;
  for (const auto& p : paths) input.ids.push_back(p.stem().string());
  for (const auto& m : request.models) input.ids.push_back(m.id);
  input.read = [&](std::size_t i, const std::vector<model::ParameterOverride>& overrides) {
    ModelOptions load = base_load;
    load.parameters = study::layered_parameters(study.parameters, overrides, request.parameters);
    return read_model(request, paths, i, load).take_spec();
  };
  input.sets = selected;
  input.default_sets = study.default_assumptions;
  if (request.check_claims)
    input.claims = request.claims_file.empty() ? study::default_claims()
                                               : io::read_claims(request.claims_file);
  // The request's scenario, else the study's (the rack-storage claim's time-domain case).
  const fs::path scenario_file = !request.scenario_file.empty()
                                     ? request.scenario_file
                                     : fs::path(study.scenario.value_or(std::string()));
  if (request.check_claims && !scenario_file.empty())
    input.storage_peak = storage_peak(io::read_scenario(scenario_file, request.allowed_paths));
  input.options = out.options;
  input.threads = request.threads;
  input.progress = request.progress;

  // Each model read once up front: its errors before any run, its warnings once.
  for (std::size_t i = 0; i < input.ids.size(); ++i) {
    const ValidatedModel model = read_model(request, paths, i, base_load);
    if (request.warnings) request.warnings(model.warnings());
  }

  out.comparison = study::run_comparison(input);
  out.provenance = study::RunProvenance{request.program, request.version,      request.commit,
                                        utc_now(),       request.command_line, study.file};
  return out;
}

}  // namespace g2g::api
