// Utilisation profiles: training steps against their closed-form mean and edge times, phase and
// seeded jitter (reproducible, with the stated spread), checkpoints, job ramps, Poisson dips
// against the covered fraction 1 - exp(-rate · duration), and measured traces with located
// errors.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/error.hpp"
#include "g2g/dynamic/profile.hpp"

namespace g2g::dynamic {
namespace {

TrainingSteps steps() {
  TrainingSteps s;
  s.period_s = 2.0;
  s.duty = 0.6;
  s.high = 0.9;
  s.low = 0.3;
  s.rise_s = 0.1;
  s.fall_s = 0.2;
  return s;
}

ProfileSpec training(TrainingSteps s = steps()) {
  ProfileSpec spec;
  spec.pattern = s;
  return spec;
}

TEST(Profile, TrainingStepsHaveTheClosedFormMeanAndEdges) {
  const Profile p = make_profile(training(), 0.0, 20.0);
  // Pulse k: rise centred on 2k, fall centred on 2k + 1.2 (duty · period).
  EXPECT_DOUBLE_EQ(p.value(0.05), 0.9);
  EXPECT_DOUBLE_EQ(p.value(1.0), 0.9);
  EXPECT_DOUBLE_EQ(p.value(1.2), 0.6);  // half-way down the fall
  EXPECT_DOUBLE_EQ(p.value(1.5), 0.3);
  EXPECT_DOUBLE_EQ(p.value(1.95), 0.3);
  EXPECT_NEAR(p.value(2.0), 0.6, 1e-12);  // half-way up the rise
  // Mean over whole periods = low + duty (high - low) = 0.66, whatever the edges.
  EXPECT_NEAR(p.integral(0.0, 20.0) / 20.0, 0.66, 1e-12);
  const std::vector<double> edges = p.edges(2.5, 4.5);
  const std::vector<double> expected{3.1, 3.3, 3.95, 4.05};
  ASSERT_EQ(edges.size(), expected.size());
  for (std::size_t i = 0; i < edges.size(); ++i) EXPECT_NEAR(edges[i], expected[i], 1e-12);
}

TEST(Profile, ZeroEdgeTimesAreJumps) {
  TrainingSteps s = steps();
  s.rise_s = 0.0;
  s.fall_s = 0.0;
  const Profile p = make_profile(training(s), 0.0, 10.0);
  EXPECT_DOUBLE_EQ(p.utilisation().left_value(4.0), 0.3);
  EXPECT_DOUBLE_EQ(p.value(4.0), 0.9);
  EXPECT_DOUBLE_EQ(p.utilisation().left_value(5.2), 0.9);
  EXPECT_DOUBLE_EQ(p.value(5.2), 0.3);
  EXPECT_NEAR(p.integral(0.0, 10.0), 6.6, 1e-12);
}

TEST(Profile, GroupPhaseShiftsThePattern) {
  const Profile base = make_profile(training(), 0.0, 20.0);
  const Profile shifted = make_profile(training(), 0.0, 20.0, {.phase_s = 0.7, .stream = 0});
  for (double t = 1.0; t < 19.0; t += 0.013) {
    EXPECT_NEAR(shifted.value(t + 0.7), base.value(t), 1e-12) << t;
  }
}

// Offsets of the rise jumps from their nominal times 2k (period 2 s, phase 0).
std::vector<double> jitter_offsets(const Profile& p) {
  std::vector<double> offsets;
  const auto& points = p.utilisation().points();
  for (std::size_t k = 1; k < points.size(); ++k) {
    if (points[k].t_s == points[k - 1].t_s && points[k].value > points[k - 1].value) {
      offsets.push_back(points[k].t_s - 2.0 * std::round(points[k].t_s / 2.0));
    }
  }
  return offsets;
}

double sd(const std::vector<double>& x) {
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  double sum = 0.0;
  for (const double v : x) sum += (v - mean) * (v - mean);
  return std::sqrt(sum / static_cast<double>(x.size() - 1));
}

TEST(Profile, SeededJitterIsReproducibleWithTheStatedSpread) {
  for (const Jitter kind : {Jitter::uniform, Jitter::normal}) {
    TrainingSteps s = steps();
    s.rise_s = 0.0;
    s.fall_s = 0.0;
    s.jitter = kind;
    s.jitter_sd_s = 0.02;
    ProfileSpec spec = training(s);
    spec.seed = 42;
    const Profile a = make_profile(spec, 0.0, 8000.0);
    const Profile b = make_profile(spec, 0.0, 8000.0);
    const Profile other = make_profile(spec, 0.0, 8000.0, {.phase_s = 0.0, .stream = 1});
    ASSERT_EQ(a.utilisation().points().size(), b.utilisation().points().size());
    for (std::size_t k = 0; k < a.utilisation().points().size(); ++k) {
      EXPECT_EQ(a.utilisation().points()[k].t_s, b.utilisation().points()[k].t_s);
    }
    const std::vector<double> offsets = jitter_offsets(a);
    ASSERT_GT(offsets.size(), 3900U);
    EXPECT_NEAR(sd(offsets), 0.02, 0.02 * 0.05);  // 4,000 draws: the sd within 5 %
    if (kind == Jitter::uniform) {
      for (const double x : offsets) EXPECT_LE(std::abs(x), std::sqrt(3.0) * 0.02 + 1e-12);
    }
    EXPECT_NE(jitter_offsets(other).front(), offsets.front());
  }
}

TEST(Profile, NormalQuantileAndUniformDrawsMatchReferenceValues) {
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-14);
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-15);
  EXPECT_DOUBLE_EQ(uniform_open(0), 0.5 / 4503599627370496.0);
  EXPECT_LT(uniform_open(~std::uint64_t{0}), 1.0);
  EXPECT_NE(mix_seed(1, 0, 1), mix_seed(1, 0, 2));
  EXPECT_NE(mix_seed(1, 0, 1), mix_seed(1, 1, 1));
}

TEST(Profile, CheckpointsOverrideAndTheJobEnvelopeCaps) {
  ProfileSpec spec = training();
  spec.checkpoints =
      CheckpointPauses{.first_s = 10.0, .interval_s = 20.0, .duration_s = 3.0, .level = 0.1};
  spec.job = JobRamps{.start_s = 1.0, .start_ramp_s = 4.0, .stop_s = 45.0, .stop_ramp_s = 2.0};
  const Profile p = make_profile(spec, 0.0, 60.0);
  EXPECT_DOUBLE_EQ(p.value(0.5), 0.0);     // before the job
  EXPECT_NEAR(p.value(2.0), 0.25, 1e-12);  // ceiling (2 - 1)/4 below 0.9
  EXPECT_NEAR(p.value(4.5), std::min(0.875, 0.9), 1e-12);
  EXPECT_DOUBLE_EQ(p.value(11.0), 0.1);  // pause 10-13 s
  EXPECT_DOUBLE_EQ(p.value(31.0), 0.1);  // pause 30-33 s
  EXPECT_DOUBLE_EQ(p.value(14.5), 0.9);
  EXPECT_NEAR(p.value(46.0), 0.5, 1e-12);                     // stop ramp 45-47 s caps 0.9
  EXPECT_DOUBLE_EQ(p.value(50.5), 0.0);                       // a pause after the stop stays 0
  EXPECT_NEAR(p.utilisation().left_value(10.0), 0.6, 1e-12);  // mid-rise, then the pause
  EXPECT_DOUBLE_EQ(p.value(10.0), 0.1);
}

TEST(Profile, PoissonDipsCoverTheClosedFormFractionOfTime) {
  ProfileSpec spec;
  spec.pattern = ConstantUtilisation{1.0};
  spec.dips = RandomDips{.rate_per_s = 0.5, .depth = 1.0, .duration_s = 0.2};
  spec.seed = 7;
  const double run_s = 40000.0;
  const Profile p = make_profile(spec, 0.0, run_s);
  // A point is outside every dip iff no arrival in the duration before it: exp(-rate · d).
  EXPECT_NEAR(p.integral(0.0, run_s) / run_s, std::exp(-0.1), 0.004);
  EXPECT_DOUBLE_EQ(p.utilisation().min_value(), 0.0);
}

TEST(Profile, DipsMultiplyTheTrainingPattern) {
  ProfileSpec spec = training();
  spec.dips = RandomDips{.rate_per_s = 0.2, .depth = 0.5, .duration_s = 0.05};
  const Profile p = make_profile(spec, 0.0, 200.0);
  const Profile plain = make_profile(training(), 0.0, 200.0);
  int dipped = 0;
  for (double t = 0.001; t < 200.0; t += 0.01) {
    const double ratio = p.value(t) / plain.value(t);
    EXPECT_TRUE(std::abs(ratio - 1.0) < 1e-9 || std::abs(ratio - 0.5) < 1e-9) << t;
    dipped += std::abs(ratio - 0.5) < 1e-9 ? 1 : 0;
  }
  EXPECT_GT(dipped, 0);
}

TEST(Profile, ReportsEveryBadFieldAtOnce) {
  TrainingSteps s = steps();
  s.duty = 1.5;
  s.period_s = 0.0;
  s.high = std::numeric_limits<double>::quiet_NaN();
  try {
    (void)make_profile(training(s), 0.0, 1.0);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("training.duty"), std::string::npos) << what;
    EXPECT_NE(what.find("training.period_s"), std::string::npos) << what;
    EXPECT_NE(what.find("training.high is not given"), std::string::npos) << what;
  }
}

TEST(Profile, TraceIsInterpolatedShiftedAndMustCoverTheRun) {
  const std::string csv = "# measured\ntime_s,power_w\n0,500\n1,1000\n3, 0\n";
  ProfileSpec spec;
  spec.pattern = MeasuredTrace{read_utilisation_csv(csv, "rack.csv", 1000.0), "rack.csv"};
  const Profile p = make_profile(spec, 0.0, 3.0);
  EXPECT_DOUBLE_EQ(p.value(0.5), 0.75);
  EXPECT_DOUBLE_EQ(p.value(2.0), 0.5);
  EXPECT_DOUBLE_EQ(p.integral(0.0, 3.0), 0.75 + 1.0);
  const Profile later = make_profile(spec, 1.0, 3.5, {.phase_s = 0.5, .stream = 0});
  EXPECT_DOUBLE_EQ(later.value(1.5), 1.0);
  EXPECT_THROW((void)make_profile(spec, 0.0, 4.0), InvalidInput);
}

// The first diagnostic of a trace that must fail.
core::Diagnostic trace_error(const std::string& text, std::optional<double> rating = {}) {
  try {
    (void)read_utilisation_csv(text, "trace.csv", rating);
  } catch (const core::ModelError& e) {
    return e.diagnostics().items().front();
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

TEST(Profile, TraceErrorsAreLocatedWithAFix) {
  core::Diagnostic d = trace_error("time_s,utilisation\n0,0.5\n1, 85\n");
  EXPECT_EQ(d.where.file, "trace.csv");
  EXPECT_EQ(d.where.line, 3);
  EXPECT_EQ(d.where.column, 4);
  EXPECT_NE(d.fix.find("fraction"), std::string::npos);

  d = trace_error("time_s,utilisation\n0,0.5\n2,0.6\n2,0.7\n");
  EXPECT_EQ(d.where.line, 4);
  EXPECT_NE(d.message.find("does not increase"), std::string::npos);

  d = trace_error("time_s,utilization\n0,0.5\n1,0.6\n");
  EXPECT_EQ(d.where.column, 8);
  EXPECT_NE(d.fix.find("did you mean 'utilisation'"), std::string::npos) << d.fix;

  d = trace_error("time_s,power_w\n0,500\n1,600\n");
  EXPECT_NE(d.message.find("rated power"), std::string::npos);

  d = trace_error("time_s,power_w\n0,500\n1,1600\n", 1000.0);
  EXPECT_EQ(d.where.line, 3);

  d = trace_error("time_s,utilisation\n0,0.5\nabc,0.6\n");
  EXPECT_EQ(d.where.line, 3);
  EXPECT_EQ(d.where.column, 1);

  d = trace_error("time_s,utilisation\n0,0.5\n");
  EXPECT_NE(d.message.find("at least 2"), std::string::npos);
}

TEST(Profile, TraceReportsEveryBadRow) {
  try {
    (void)read_utilisation_csv("time_s,utilisation\n0,2\n1,x\n2,0.5,9\n3,0.5\n", "t.csv");
    FAIL() << "expected ModelError";
  } catch (const core::ModelError& e) {
    EXPECT_EQ(e.diagnostics().error_count(), 3U);
  }
}

// A recorded-signals CSV of grid2gpu simulate: the named column is read, a power divided by the
// rated power, a unitless column as a utilisation; the others are skipped.
TEST(Profile, TraceColumnOfASimulateCsv) {
  const std::string csv =
      "t_s,psu.p [W],a.v [V],rack.u\n0,30000,400,0.25\n0.5,60000,399.5,0.5\n1,45000,400,1\n";
  const PiecewiseLinear power = read_utilisation_csv(csv, "run.csv", 60000.0, "psu.p");
  EXPECT_DOUBLE_EQ(power.value(0.0), 0.5);
  EXPECT_DOUBLE_EQ(power.value(0.75), 0.875);
  const PiecewiseLinear utilisation = read_utilisation_csv(csv, "run.csv", {}, "rack.u");
  EXPECT_DOUBLE_EQ(utilisation.value(0.25), 0.375);

  core::Diagnostic d;
  try {
    (void)read_utilisation_csv(csv, "run.csv", 60000.0, "psu.P");
    ADD_FAILURE() << "no error for an unknown column";
  } catch (const core::ModelError& e) {
    d = e.diagnostics().items().front();
  }
  EXPECT_EQ(d.where.line, 1);
  EXPECT_NE(d.message.find("no column 'psu.P'"), std::string::npos) << d.message;
  EXPECT_NE(d.fix.find("psu.p"), std::string::npos) << d.fix;
  try {
    (void)read_utilisation_csv(csv, "run.csv", 60000.0, "a.v");
    ADD_FAILURE() << "no error for a voltage column";
  } catch (const core::ModelError& e) {
    d = e.diagnostics().items().front();
  }
  EXPECT_EQ(d.where.column, 15);
  EXPECT_NE(d.message.find("column 'a.v' is in V"), std::string::npos) << d.message;
  // A power column without a rated power, and a row short of a cell.
  try {
    (void)read_utilisation_csv(csv + "2,1000\n", "run.csv", {}, "psu.p");
    ADD_FAILURE() << "no error";
  } catch (const core::ModelError& e) {
    ASSERT_EQ(e.diagnostics().error_count(), 1U);
    EXPECT_NE(e.diagnostics().items().front().message.find("needs a rated power"),
              std::string::npos);
  }
  try {
    (void)read_utilisation_csv(csv + "2,1000\n", "run.csv", 60000.0, "psu.p");
    ADD_FAILURE() << "no error";
  } catch (const core::ModelError& e) {
    ASSERT_EQ(e.diagnostics().error_count(), 1U);
    EXPECT_EQ(e.diagnostics().items().front().where.line, 5);
    EXPECT_NE(e.diagnostics().items().front().message.find("2 cells, the header has 4"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace g2g::dynamic
