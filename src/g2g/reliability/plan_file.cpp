// The qualification plan reader (docs/reliability.md, "Plan file"). Keys, units, ranges, "did you
// mean" and located messages come from the configuration toolkit (core/yaml_fields.hpp); only
// the plan's own rules are written here: which keys each test needs, the accept number against
// the sample, the confidence strictly inside (0, 1). Every problem is reported at once.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <cstdlib>
#include <span>
#include <string>

#include "g2g/core/yaml_fields.hpp"
#include "g2g/reliability/data.hpp"
#include "g2g/reliability/qualification.hpp"

namespace g2g::reliability {
namespace {

using core::Check;
using core::Dimension;
using core::key;
using core::quantity_key;
using core::YamlFile;
using core::YamlMap;

constexpr std::array top_fields{
    key("grid2gpu_qualification", true, "the format version", "1"),
    key("name", false, "what the plan is"),
    quantity_key("confidence", Dimension::dimensionless, true, Check::none,
                 "the confidence of the FIT and MTTF bounds, strictly between 0 and 1", "60 %"),
    quantity_key("consumer_risk", Dimension::dimensionless, false, Check::none,
                 "the acceptance probability that defines LTPD (default 10 %)", "10 %"),
    quantity_key("producer_risk", Dimension::dimensionless, false, Check::none,
                 "the rejection probability of the producer's point (default 5 %)", "5 %"),
    quantity_key("aql", Dimension::dimensionless, false, Check::unit_interval,
                 "a defect fraction whose producer's risk is reported", "0.1 %"),
    key("use", true, "the field conditions the stresses are accelerated to", "{temperature: 55 C}"),
    key("stresses", true, "the stress tests, one map each",
        "[{name: HTOL, test: life, temperature: 125 C, hours: 1000 h, samples: 77, lots: 3, "
        "accept: 0}]"),
};
constexpr std::array use_fields{
    quantity_key("temperature", Dimension::temperature, true, Check::none,
                 "the field junction temperature", "55 C"),
    quantity_key("humidity", Dimension::dimensionless, false, Check::fraction,
                 "the field relative humidity (humidity tests)", "60 %"),
    quantity_key("temperature_low", Dimension::temperature, false, Check::none,
                 "the low end of a field temperature cycle (cycling tests)", "25 C"),
    quantity_key("temperature_high", Dimension::temperature, false, Check::none,
                 "the high end of a field temperature cycle (cycling tests)", "65 C"),
    quantity_key("cycles_per_year", Dimension::dimensionless, false, Check::positive,
                 "field temperature cycles a year (cycling tests)", "1000"),
};
constexpr std::array stress_fields{
    key("name", true, "the stress's name", "HTOL"),
    key("test", true, "life, humidity or cycling", "life"),
    quantity_key("temperature", Dimension::temperature, false, Check::none,
                 "the stress temperature (life and humidity tests)", "125 C"),
    quantity_key("humidity", Dimension::dimensionless, false, Check::fraction,
                 "the stress relative humidity (humidity tests)", "85 %"),
    quantity_key("temperature_low", Dimension::temperature, false, Check::none,
                 "the cold end of a test cycle (cycling tests)", "-40 C"),
    quantity_key("temperature_high", Dimension::temperature, false, Check::none,
                 "the hot end of a test cycle (cycling tests)", "150 C"),
    quantity_key("hours", Dimension::time, false, Check::positive,
                 "the test time of each unit (life and humidity tests)", "1000 h"),
    quantity_key("cycles", Dimension::dimensionless, false, Check::positive,
                 "the test cycles of each unit (cycling tests)", "1000"),
    key("samples", true, "units tested per lot", "77"),
    key("lots", true, "lots tested", "3"),
    key("accept", true, "the accept number c per lot (0: reject the lot on one failure)", "0"),
    key("failures", false, "failures observed in all lots (default: the plan's worst pass)", "0"),
    key("lot_size", false, "units per lot, for a small lot's hypergeometric OC curve", "200"),
    quantity_key("activation_energy_ev", Dimension::dimensionless, false, Check::positive,
                 "Ea in eV (default: data/reliability/acceleration.yaml)", "0.7"),
    quantity_key("humidity_exponent", Dimension::dimensionless, false, Check::positive,
                 "Peck's humidity exponent n (default: data/reliability/acceleration.yaml)",
                 "2.66"),
    quantity_key("coffin_manson_exponent", Dimension::dimensionless, false, Check::positive,
                 "the Coffin-Manson exponent (default: data/reliability/acceleration.yaml)", "2"),
};
constexpr std::array<std::string_view, 3> test_names{"life", "humidity", "cycling"};

// The keys each test needs, and those that belong to another test only.
struct TestKeys {
  std::span<const std::string_view> needs;
  std::span<const std::string_view> foreign;
  std::span<const std::string_view> use_needs;
};
constexpr std::array<std::string_view, 2> life_needs{"temperature", "hours"};
constexpr std::array<std::string_view, 5> life_foreign{
    "humidity", "temperature_low", "temperature_high", "cycles", "coffin_manson_exponent"};
constexpr std::array<std::string_view, 1> life_use{"temperature"};
constexpr std::array<std::string_view, 3> humidity_needs{"temperature", "humidity", "hours"};
constexpr std::array<std::string_view, 4> humidity_foreign{"temperature_low", "temperature_high",
                                                           "cycles", "coffin_manson_exponent"};
constexpr std::array<std::string_view, 2> humidity_use{"temperature", "humidity"};
constexpr std::array<std::string_view, 3> cycling_needs{"temperature_low", "temperature_high",
                                                        "cycles"};
constexpr std::array<std::string_view, 5> cycling_foreign{
    "temperature", "humidity", "hours", "activation_energy_ev", "humidity_exponent"};
constexpr std::array<std::string_view, 3> cycling_use{"temperature_low", "temperature_high",
                                                      "cycles_per_year"};
constexpr std::array test_keys{TestKeys{life_needs, life_foreign, life_use},
                               TestKeys{humidity_needs, humidity_foreign, humidity_use},
                               TestKeys{cycling_needs, cycling_foreign, cycling_use}};

// Whether a written quantity carries a unit after its number ("1000 h", not "1000").
bool unit_given(const std::string& written) {
  if (written.find_first_not_of("+-.0123456789eE \t") != std::string::npos) return true;
  return std::strtod(written.c_str(), nullptr) == 0.0;
}

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
  YamlFile& file() { return file_; }

  void read(const YAML::Node& root, QualificationPlan& plan) {
    YamlMap top(file_, root, "", top_fields, {}, "a qualification plan");
    if (!top.is_map()) return;
    top.require_all("docs/reliability.md, 'Plan file'");
    if (top.has("grid2gpu_qualification") && (!top.node("grid2gpu_qualification").IsScalar() ||
                                              top.node("grid2gpu_qualification").Scalar() != "1"))
      file_.error(top.node("grid2gpu_qualification"), "not a qualification plan of format 1",
                  "start it with 'grid2gpu_qualification: 1'");
    top.read("name", plan.name);
    probability(top, "confidence", plan.confidence);
    probability(top, "consumer_risk", plan.consumer_risk);
    probability(top, "producer_risk", plan.producer_risk);
    if (const auto aql = top.quantity("aql")) plan.aql = *aql;
    UseMarks use_marks;
    if (top.has("use")) use(top.node("use"), plan.use, use_marks);
    if (!top.has("stresses")) return;
    const YAML::Node list = top.node("stresses");
    if (!list.IsSequence() || list.size() == 0) {
      file_.error(list, "'stresses' must be a list of one or more maps",
                  "write one '- name: ..., test: ...' map per stress (docs/reliability.md)");
      return;
    }
    for (const auto& item : list) stress(item, plan, use_marks);
  }

 private:
  // Which use keys were given, and the use map's node, to report what a test needs there.
  struct UseMarks {
    YAML::Node node;
    std::array<bool, 5> given{};
  };

  // A probability strictly inside (0, 1): 0 and 1 make every bound infinite or empty.
  void probability(YamlMap& m, std::string_view key, double& out) {
    const auto v = m.quantity(key);
    if (!v) return;
    if (!(*v > 0.0 && *v < 1.0)) {
      file_.error(
          m.node(key),
          fmt::format("{} must be strictly between 0 and 1, got '{}'", key, m.node(key).Scalar()),
          fmt::format("write a percentage below 100 %, e.g. '{}: {}'", key,
                      key == "confidence" ? "60 %" : "10 %"));
      return;
    }
    out = *v;
  }

  void require_units(const YamlMap& m, std::span<const core::Field> fields) {
    for (const core::Field& f : fields) {
      if (f.dimension != Dimension::time) continue;
      const YAML::Node value = m.node(f.key);
      if (value && value.IsScalar() && !unit_given(value.Scalar()))
        file_.error(
            value,
            core::qualify(m.what(), fmt::format("{} '{}' has no unit", f.key, value.Scalar())),
            fmt::format("write it with its unit, e.g. '{}: {}'", f.key, f.example));
    }
  }

  void use(const YAML::Node& node, UseConditions& u, UseMarks& marks) {
    YamlMap m(file_, node, "use", use_fields);
    marks.node = node;
    if (!m.is_map()) return;
    m.require_all();
    for (std::size_t k = 0; k < use_fields.size(); ++k) marks.given[k] = m.has(use_fields[k].key);
    m.read("temperature", u.temperature_c);
    if (const auto v = m.quantity("humidity")) u.humidity = *v;
    if (const auto v = m.quantity("cycles_per_year")) u.cycles_per_year = *v;
    const auto low = m.quantity("temperature_low");
    const auto high = m.quantity("temperature_high");
    if (low && high) {
      if (*high <= *low)
        file_.error(m.node("temperature_high"),
                    fmt::format("use: temperature_high ({:g} C) must be above temperature_low "
                                "({:g} C)",
                                *high, *low),
                    "give the hot end of the field cycle in temperature_high");
      else
        u.temperature_swing_k = *high - *low;
    }
  }

  SourcedValue parameter(YamlMap& m, std::string_view key, std::string_view data_key) {
    if (const auto v = m.quantity(key)) return {*v, "plan", "plan"};
    return default_parameter(data_key);
  }

  void stress(const YAML::Node& node, QualificationPlan& plan, const UseMarks& use_marks) {
    YamlMap m(file_, node, "stress", stress_fields, "name");
    if (!m.is_map()) return;
    require_units(m, stress_fields);
    m.require_all();
    StressPlan s;
    m.read("name", s.name);
    const auto test = m.choice("test", test_names);
    if (!test) return;
    s.kind = static_cast<StressKind>(*test);
    const TestKeys& keys = test_keys[*test];
    const std::string_view test_name = test_names[*test];
    for (const std::string_view k : keys.needs)
      m.require(k, fmt::format("a {} test needs it", test_name));
    for (const std::string_view k : keys.foreign)
      if (m.has(k))
        file_.error(m.node(k).IsNull() ? node : m.node(k),
                    fmt::format("{}: '{}' does not apply to a {} test", m.what(), k, test_name),
                    fmt::format("remove it, or set 'test:' to the test it belongs to"));
    for (const std::string_view k : keys.use_needs) {
      std::size_t index = 0;
      while (use_fields[index].key != k) ++index;
      if (!use_marks.given[index] && use_marks.node.IsMap())
        file_.error(
            use_marks.node,
            fmt::format("use has no '{}', which {} (a {} test) needs", k, m.what(), test_name),
            fmt::format("add '{}: {}' under use:", k, core::example_of(use_fields[index])));
    }

    m.read("temperature", s.temperature_c);
    m.read("humidity", s.humidity);
    m.read("hours", s.test_time_s);
    m.read("cycles", s.cycles);
    const auto low = m.quantity("temperature_low");
    const auto high = m.quantity("temperature_high");
    if (low) s.temperature_low_c = *low;
    if (high) s.temperature_high_c = *high;
    if (low && high && *high <= *low)
      file_.error(m.node("temperature_high"),
                  fmt::format("{}: temperature_high ({:g} C) must be above temperature_low "
                              "({:g} C)",
                              m.what(), *high, *low),
                  "give the hot end of the test cycle in temperature_high");
    if (const auto v = m.integer("samples", 1)) s.samples = *v;
    if (const auto v = m.integer("lots", 1)) s.lots = *v;
    if (const auto v = m.integer("accept", 0)) {
      s.accept = *v;
      if (s.samples > 0 && *v >= s.samples)
        file_.error(m.node("accept"),
                    fmt::format("{}: accept number {} is not below the {} samples per lot, so "
                                "no result would reject a lot",
                                m.what(), *v, s.samples),
                    "give an accept number below 'samples' (0 rejects a lot on one failure)");
    }
    if (const auto v = m.integer("failures", 0)) {
      s.failures = *v;
      if (s.samples > 0 && *v > s.samples * s.lots)
        file_.error(
            m.node("failures"),
            fmt::format("{}: {} failures in {} units tested", m.what(), *v, s.samples * s.lots),
            "count the failures of every lot, at most samples x lots");
    }
    if (const auto v = m.integer("lot_size", 1)) {
      s.lot_size = *v;
      if (*v < s.samples)
        file_.error(m.node("lot_size"),
                    fmt::format("{}: lot_size {} is smaller than the {} samples drawn from it",
                                m.what(), *v, s.samples),
                    "give the number of units in each lot, at least 'samples'");
    }
    switch (s.kind) {
      case StressKind::life:
        s.activation_energy_ev =
            parameter(m, "activation_energy_ev", "arrhenius.activation_energy_ev");
        break;
      case StressKind::humidity:
        s.activation_energy_ev = parameter(m, "activation_energy_ev", "peck.activation_energy_ev");
        s.humidity_exponent = parameter(m, "humidity_exponent", "peck.humidity_exponent");
        break;
      case StressKind::cycling:
        s.coffin_manson_exponent = parameter(m, "coffin_manson_exponent", "coffin_manson.exponent");
        break;
    }
    // A stress milder than the use conditions decelerates: legal, but worth a word.
    if (s.kind != StressKind::cycling && m.has("temperature") &&
        s.temperature_c <= plan.use.temperature_c)
      file_.diagnostics().warning(
          file_.where(m.node("temperature")),
          fmt::format("{}: the stress temperature ({:g} C) is not above the use temperature "
                      "({:g} C), so its acceleration factor is at most 1",
                      m.what(), s.temperature_c, plan.use.temperature_c));
    plan.stresses.push_back(std::move(s));
  }

  YamlFile file_;
};

}  // namespace

QualificationPlan parse_plan(std::string_view text, std::string file) {
  Reader reader(file);
  QualificationPlan plan;
  plan.file = std::move(file);
  const YAML::Node root = reader.file().parse(text);
  if (!reader.file().has_errors()) reader.read(root, plan);
  reader.file().throw_if_errors();
  for (const auto& d : reader.file().diagnostics().items())
    if (d.severity == core::Severity::warning) plan.warnings.push_back(d);
  return plan;
}

}  // namespace g2g::reliability
