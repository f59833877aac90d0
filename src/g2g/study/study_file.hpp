// Study files (`grid2gpu_study: 1`): what a comparison compares and under which conditions —
// the architectures (model files, the first is the baseline), the assumption sets, the
// utilisation profile of a year, the cooling overhead, the tariff and the parameter values.
// `grid2gpu compare STUDY.yaml` reads one (docs/compare.md, "Study files"). No I/O: parsed
// from text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/model/spec.hpp"
#include "g2g/study/assumptions.hpp"
#include "g2g/study/compare.hpp"

namespace g2g::study {

struct StudySpec {
  std::string name;
  std::string file;
  std::vector<std::string> architectures;  // model paths as written, relative to the study file
  std::vector<std::string> assumptions;    // set names; empty = every shipped set
  std::vector<std::string> default_assumptions;  // sets of the default scenario
  std::optional<UtilisationProfile> utilisation;
  std::optional<CoolingOptions> cooling;
  std::optional<double> tariff_per_mwh;
  std::optional<std::string> currency;
  std::optional<Provenance> tariff_provenance;
  std::optional<double> it_load_tolerance;
  // Scale every architecture's loads to the baseline's IT load (like --normalise, which can
  // only turn it on).
  bool normalise_it_load = false;
  std::vector<model::ParameterOverride> parameters;  // like --set, applied to every model
  // A time-domain scenario for the rack-storage claim (like --scenario), relative to the study
  // file as written; io::read_study resolves it.
  std::optional<std::string> scenario;
};

// Parses a study file. Throws core::ModelError with every problem (file:line:column).
StudySpec parse_study(std::string_view yaml, const std::string& file);

// True when `yaml` is a study file (its top level has `grid2gpu_study`), not a model.
[[nodiscard]] bool looks_like_study(std::string_view yaml);

}  // namespace g2g::study
