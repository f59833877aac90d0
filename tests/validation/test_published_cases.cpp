// Published MATPOWER cases (IEEE 14-bus, IEEE 118-bus, PEGASE 9241-bus) imported and solved by
// grid2gpu, checked two ways:
//   1. PowerFlowEquationsHold: the solved voltages satisfy MATPOWER's bus equations (branch
//      model, loads, shunts, set-points) evaluated here from the imported model, independently
//      of the solver's assembly. Needs only the case file.
//   2. MatchesMatpowerSolution: Vm and Va (relative to the slack) agree with MATPOWER's own
//      runpf solution to the precision it was printed with (<case>.pf.txt).
// The Vm/Va stored in the case files are not compared as a pass/fail reference: they are not a
// power-flow solution of the case data to their printed precision (IEEE 14/118: the original
// CDF solutions, which MATPOWER itself misses by up to 1.3e-3/1.7e-2 pu; PEGASE: an OPF
// operating point with set-points that differ from the file's). Their distance is printed for
// the record. See tests/cases/README.md and docs/matpower-import.md.
//
// The files are in tests/data/matpower (README.md there: source, licences, how the .pf.txt were
// made); $G2G_MATPOWER_DATA points the tests at another directory, e.g. after regenerating them
// with tests/cases/matpower_data.sh. A missing file fails the test.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/io/files.hpp"
#include "g2g/model/matpower.hpp"
#include "g2g/steady/solver.hpp"
#include "support/test_support.hpp"

namespace g2g {
namespace {

using Complex = std::complex<double>;
constexpr double epsilon = std::numeric_limits<double>::epsilon();

std::filesystem::path matpower_data_dir() {
  if (const char* dir = std::getenv("G2G_MATPOWER_DATA"); dir != nullptr && *dir != '\0')
    return dir;
  return test::source_dir() / "tests" / "data" / "matpower";
}

std::string missing_message(const std::filesystem::path& file) {
  return file.string() +
         " not found: the case files and their <case>.pf.txt solutions are in "
         "tests/data/matpower; G2G_MATPOWER_DATA, when set, names another directory that must "
         "hold them (tests/cases/matpower_data.sh writes one).";
}

// A number as printed in a file, with the precision printing gave it: half a
// unit of its last decimal (values printed as integers are exact to 0.5).
struct Printed {
  double value = 0.0;
  double half_unit = 0.0;
};

Printed parse_printed(const std::string& token) {
  Printed printed;
  printed.value = std::stod(token);
  const auto exponent = token.find_first_of("eE");
  const std::string mantissa = token.substr(0, exponent);
  const auto point = mantissa.find('.');
  const int decimals =
      point == std::string::npos ? 0 : static_cast<int>(mantissa.size() - point - 1);
  const int power = exponent == std::string::npos ? 0 : std::stoi(token.substr(exponent + 1));
  printed.half_unit = 0.5 * std::pow(10.0, power - decimals);
  return printed;
}

// One solution value per bus row, in the order of the case's bus matrix.
struct BusSolution {
  long long number = 0;
  Printed vm_pu;
  Printed va_deg;
};

// Bus number, Vm and Va of the case file's own bus matrix (columns 1, 8, 9), as
// printed.
std::vector<BusSolution> read_stored_solution(const std::string& text) {
  std::vector<BusSolution> rows;
  auto start = text.find("mpc.bus = [");
  if (start == std::string::npos) return rows;
  std::istringstream lines(text.substr(text.find('\n', start) + 1));
  std::string line;
  while (std::getline(lines, line)) {
    line = line.substr(0, line.find('%'));
    if (line.find("];") != std::string::npos) break;
    for (char& c : line)
      if (c == ';' || c == ',') c = ' ';
    std::istringstream fields(line);
    std::vector<std::string> tokens;
    for (std::string token; fields >> token;) tokens.push_back(token);
    if (tokens.size() < 9) continue;
    rows.push_back({std::stoll(tokens[0]), parse_printed(tokens[7]), parse_printed(tokens[8])});
  }
  return rows;
}

// <case>.pf.txt: '#' comments, then "bus Vm Va" per line.
std::vector<BusSolution> read_reference_solution(const std::filesystem::path& path) {
  std::vector<BusSolution> rows;
  std::ifstream file(path);
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty() || line.front() == '#') continue;
    std::istringstream fields(line);
    std::string number, vm, va;
    if (!(fields >> number >> vm >> va)) continue;
    rows.push_back({std::stoll(number), parse_printed(vm), parse_printed(va)});
  }
  return rows;
}

// A case imported, checked and solved once, shared by the tests of that case.
struct SolvedCase {
  std::string text;
  model::ModelSpec model;
  core::DiagnosticList checks;  // api::check on the imported model
  steady::SolveResult result;
};

// The imported model must pass the checks every model gets before it is solved. Reported as a
// failure of its own, so the comparison below still runs and shows its figures.
void expect_model_checks_pass(const SolvedCase& solved_case) {
  if (!solved_case.checks.has_errors()) return;
  std::string first;
  int shown = 0;
  for (const auto& item : solved_case.checks.items())
    if (item.severity == core::Severity::error && shown++ < 5)
      first += core::format_diagnostic(item) + "\n";
  ADD_FAILURE() << "the imported model fails " << solved_case.checks.error_count()
                << " model checks; the first:\n"
                << first;
}

const SolvedCase& solved(const std::string& name) {
  static std::map<std::string, std::unique_ptr<SolvedCase>> cache;
  auto& entry = cache[name];
  if (!entry) {
    auto solved_case = std::make_unique<SolvedCase>();
    const auto path = matpower_data_dir() / (name + ".m");
    std::ifstream file(path, std::ios::binary);
    solved_case->text.assign(std::istreambuf_iterator<char>(file), {});
    solved_case->model = model::import_matpower(solved_case->text, path.string());
    solved_case->checks = api::check(solved_case->model);
    solved_case->result = steady::solve(solved_case->model);
    entry = std::move(solved_case);
  }
  return *entry;
}

std::string slack_bus_id(const model::ModelSpec& model) {
  for (const auto& source : model.sources)
    if (source.in_service && source.type == model::SourceType::utility)
      return model.buses[static_cast<std::size_t>(source.bus)].id;
  return {};
}

struct Agreement {
  double max_dvm_pu = 0.0;
  double max_dva_deg = 0.0;
  std::string worst_vm_bus;
  std::string worst_va_bus;
  int outside_precision = 0;  // values further than the reference's printed precision
  std::string first_outside;
};

// Compares solved Vm and Va (relative to the slack) with a reference printed to
// some precision.
Agreement compare(const SolvedCase& solved_case, const std::vector<BusSolution>& reference) {
  Agreement agreement;
  const auto& model = solved_case.model;
  const auto& buses = solved_case.result.buses;
  EXPECT_EQ(reference.size(), model.buses.size());
  if (reference.size() != model.buses.size()) return agreement;
  const std::string slack_id = slack_bus_id(model);
  std::size_t slack = 0;
  for (std::size_t i = 0; i < model.buses.size(); ++i)
    if (model.buses[i].id == slack_id) slack = i;
  for (std::size_t i = 0; i < model.buses.size(); ++i) {
    EXPECT_EQ(model.buses[i].id, "bus" + std::to_string(reference[i].number));
    const auto& ref = reference[i];
    const double dvm = std::abs(buses[i].v_pu - ref.vm_pu.value);
    // Both solvers stop at a 1e-10 pu mismatch, which leaves each solution about that far from
    // the exact one; on top of the reference's printing, allow that much.
    constexpr double convergence_pu = 1e-10;
    constexpr double convergence_deg = convergence_pu * 180.0 / 3.141592653589793;
    const double tol_vm =
        ref.vm_pu.half_unit + convergence_pu + 4.0 * epsilon * std::abs(ref.vm_pu.value);
    const double solved_rel = buses[i].angle_deg - buses[slack].angle_deg;
    const double ref_rel = ref.va_deg.value - reference[slack].va_deg.value;
    const double dva = std::abs(solved_rel - ref_rel);
    const double tol_va = ref.va_deg.half_unit + reference[slack].va_deg.half_unit +
                          convergence_deg + 8.0 * epsilon * (std::abs(ref.va_deg.value) + 360.0);
    if (dvm > agreement.max_dvm_pu) {
      agreement.max_dvm_pu = dvm;
      agreement.worst_vm_bus = model.buses[i].id;
    }
    if (dva > agreement.max_dva_deg) {
      agreement.max_dva_deg = dva;
      agreement.worst_va_bus = model.buses[i].id;
    }
    if (dvm > tol_vm || dva > tol_va) {
      if (agreement.outside_precision++ == 0) {
        std::ostringstream text;
        text << model.buses[i].id << ": Vm " << buses[i].v_pu << " vs " << ref.vm_pu.value
             << " (tol " << tol_vm << "), Va-Va_slack " << solved_rel << " vs " << ref_rel
             << " (tol " << tol_va << ")";
        agreement.first_outside = text.str();
      }
    }
  }
  return agreement;
}

std::string describe(const Agreement& agreement) {
  std::ostringstream text;
  text << "max |dVm| = " << agreement.max_dvm_pu << " pu (" << agreement.worst_vm_bus
       << "), max |dVa| = " << agreement.max_dva_deg << " deg (" << agreement.worst_va_bus << ")";
  return text.str();
}

class PublishedCase : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    case_file_ = matpower_data_dir() / (GetParam() + ".m");
    ASSERT_TRUE(std::filesystem::exists(case_file_)) << missing_message(case_file_);
  }
  std::filesystem::path case_file_;
};

TEST_P(PublishedCase, MatchesMatpowerSolution) {
  const auto reference_file = matpower_data_dir() / (GetParam() + ".pf.txt");
  ASSERT_TRUE(std::filesystem::exists(reference_file)) << missing_message(reference_file);
  const auto& solved_case = solved(GetParam());
  expect_model_checks_pass(solved_case);
  ASSERT_TRUE(solved_case.result.converged);

  const auto agreement = compare(solved_case, read_reference_solution(reference_file));
  std::cout << "[ measured ] " << GetParam() << " vs MATPOWER runpf: " << describe(agreement)
            << "; " << solved_case.result.stats.iterations << " iterations, "
            << solved_case.result.stats.solve_seconds << " s\n";
  RecordProperty("max_dvm_pu", std::to_string(agreement.max_dvm_pu));
  RecordProperty("max_dva_deg", std::to_string(agreement.max_dva_deg));
  EXPECT_EQ(agreement.outside_precision, 0)
      << agreement.outside_precision
      << " buses differ by more than the printed precision; first: " << agreement.first_outside;

  // For the record: distance to the solution stored in the case file (not a PF
  // solution of the case to its printed precision; see the header of this
  // file).
  const auto stored = compare(solved_case, read_stored_solution(solved_case.text));
  std::cout << "[ measured ] " << GetParam()
            << " vs Vm/Va stored in the case file: " << describe(stored) << " ("
            << stored.outside_precision << " buses outside the printed precision)\n";
}

// The same case with MATPOWER's bus shunts (Gs, Bs: MW and Mvar at 1 pu) given as shunt banks
// (type: shunt) instead of the constant-impedance loads the importer writes: the shunt kind must
// reproduce MATPOWER's solution to the same precision.
TEST_P(PublishedCase, BusShuntsAsShuntBanksMatchMatpower) {
  const auto reference_file = matpower_data_dir() / (GetParam() + ".pf.txt");
  ASSERT_TRUE(std::filesystem::exists(reference_file)) << missing_message(reference_file);
  SolvedCase banks;
  banks.model = solved(GetParam()).model;
  std::size_t moved = 0;
  std::erase_if(banks.model.loads, [&](const model::Load& load) {
    if (load.model != model::LoadModel::constant_impedance || !load.id.starts_with("shunt"))
      return false;
    model::Shunt bank;
    bank.id = load.id;
    bank.bus = load.bus;
    bank.q_rated_var = -load.q_var;  // the load drew -Bs; the bank supplies Bs
    bank.loss_w = load.p_w;
    bank.in_service = load.in_service;
    bank.where = load.where;
    banks.model.shunts.push_back(bank);
    ++moved;
    return true;
  });
  ASSERT_GT(moved, 0U) << GetParam() << " has no bus shunt to move";
  banks.checks = api::check(banks.model);
  expect_model_checks_pass(banks);
  banks.result = steady::solve(banks.model);
  ASSERT_TRUE(banks.result.converged);
  const auto agreement = compare(banks, read_reference_solution(reference_file));
  std::cout << "[ measured ] " << GetParam() << " with " << moved
            << " shunt banks vs MATPOWER runpf: " << describe(agreement) << "\n";
  EXPECT_EQ(agreement.outside_precision, 0)
      << agreement.outside_precision
      << " buses differ by more than the printed precision; first: " << agreement.first_outside;
}

// MATPOWER's bus equations, evaluated from the imported model: S_i = V_i
// conj(sum_j Y_ij V_j) must equal generation minus load at every non-slack bus
// (P) and every bus without voltage control (Q), and |V| must equal the
// set-point at PV and slack buses. The tolerance is the solver's mismatch
// tolerance plus the rounding of this evaluation.
TEST_P(PublishedCase, PowerFlowEquationsHold) {
  const auto& solved_case = solved(GetParam());
  expect_model_checks_pass(solved_case);
  ASSERT_TRUE(solved_case.result.converged);
  const auto& model = solved_case.model;
  const std::size_t n = model.buses.size();
  const double s_base = model.solver.base_power_va;

  std::vector<Complex> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& bus = solved_case.result.buses[i];
    v[i] = std::polar(bus.v_pu, bus.angle_deg * std::numbers::pi / 180.0);
  }
  std::vector<Complex> current(n);   // sum_j Y_ij V_j
  std::vector<double> magnitude(n);  // sum_j |Y_ij V_j|, for the rounding bound
  auto stamp = [&](std::size_t f, std::size_t t, Complex yff, Complex yft, Complex ytf,
                   Complex ytt) {
    current[f] += yff * v[f] + yft * v[t];
    current[t] += ytf * v[f] + ytt * v[t];
    magnitude[f] += std::abs(yff * v[f]) + std::abs(yft * v[t]);
    magnitude[t] += std::abs(ytf * v[f]) + std::abs(ytt * v[t]);
  };
  for (const auto& line : model.lines) {
    if (!line.in_service) continue;
    const auto f = static_cast<std::size_t>(line.from), t = static_cast<std::size_t>(line.to);
    const double z_base = std::pow(model.buses[f].nominal_voltage_v, 2) / s_base;
    const Complex y = 1.0 / Complex(*line.r_ohm / z_base, *line.x_ohm / z_base);
    const Complex half_b(0.0, line.b_total_s * z_base / 2.0);
    stamp(f, t, y + half_b, -y, -y, y + half_b);
  }
  for (const auto& transformer : model.transformers) {
    if (!transformer.in_service) continue;
    const auto f = static_cast<std::size_t>(transformer.hv);
    const auto t = static_cast<std::size_t>(transformer.lv);
    const Complex y = 1.0 / Complex(*transformer.r_system_pu, *transformer.x_system_pu);
    const Complex half_b(0.0, transformer.b_system_pu / 2.0);
    const Complex tap =
        std::polar(transformer.tap_ratio, transformer.phase_shift_deg * std::numbers::pi / 180.0);
    stamp(f, t, (y + half_b) / std::norm(tap), -y / std::conj(tap), -y / tap, y + half_b);
  }

  std::vector<Complex> scheduled(n);  // generation - load, pu
  std::vector<bool> p_free(n, false), q_free(n, false);
  std::vector<double> v_set(n, 0.0);
  for (const auto& source : model.sources) {
    if (!source.in_service) continue;
    const auto b = static_cast<std::size_t>(source.bus);
    if (source.type == model::SourceType::utility) {
      p_free[b] = q_free[b] = true;
      v_set[b] = source.v_set_pu;
      EXPECT_NEAR(solved_case.result.buses[b].angle_deg, source.angle_deg, 1e-12);
    } else {
      scheduled[b] += source.p_set_w / s_base;
      q_free[b] = true;
      if (v_set[b] == 0.0) v_set[b] = source.v_set_pu;
    }
  }
  for (const auto& injection : model.storage)
    if (injection.in_service)
      scheduled[static_cast<std::size_t>(injection.bus)] +=
          Complex(injection.p_set_w, injection.q_set_var) / s_base;
  for (const auto& load : model.loads) {
    if (!load.in_service) continue;
    const auto b = static_cast<std::size_t>(load.bus);
    const double scale = load.model == model::LoadModel::constant_impedance ? std::norm(v[b]) : 1.0;
    ASSERT_TRUE(load.model == model::LoadModel::constant_power ||
                load.model == model::LoadModel::constant_impedance);
    scheduled[b] -= Complex(load.p_w, load.q_var) / s_base * scale;
  }

  const double tolerance_pu = model.solver.tolerance_pu;
  double max_dp = 0.0, max_dq = 0.0, max_dv = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!solved_case.result.buses[i].energised) continue;
    const Complex mismatch = v[i] * std::conj(current[i]) - scheduled[i];
    const double rounding =
        16.0 * epsilon * (std::abs(v[i]) * magnitude[i] + std::abs(scheduled[i]));
    if (!p_free[i]) {
      EXPECT_LE(std::abs(mismatch.real()), tolerance_pu + rounding) << model.buses[i].id;
      max_dp = std::max(max_dp, std::abs(mismatch.real()));
    }
    if (!q_free[i]) {
      EXPECT_LE(std::abs(mismatch.imag()), tolerance_pu + rounding) << model.buses[i].id;
      max_dq = std::max(max_dq, std::abs(mismatch.imag()));
    }
    if (v_set[i] != 0.0) {
      EXPECT_NEAR(std::abs(v[i]), v_set[i], 4.0 * epsilon) << model.buses[i].id;
      max_dv = std::max(max_dv, std::abs(std::abs(v[i]) - v_set[i]));
    }
  }
  std::cout << "[ measured ] " << GetParam() << " bus equations: max |dP| = " << max_dp
            << " pu, max |dQ| = " << max_dq << " pu, max ||V| - set-point| = " << max_dv << " pu\n";
}

INSTANTIATE_TEST_SUITE_P(Matpower, PublishedCase,
                         ::testing::Values("case14", "case118", "case9241pegase"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace g2g
