// Marker roots (DaeSystem::marker_roots): the crossing search on its own against closed forms,
// and the Integrator locating markers itself against the closed form of a series RLC and against
// IDA's own root finding on the same system, which must take the same steps.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <span>
#include <vector>

#include "g2g/dynamic/crossing.hpp"
#include "g2g/dynamic/ida.hpp"
#include "unit/dynamic/circuits.hpp"

namespace g2g::dynamic {
namespace {

using fixtures::SeriesRlc;

constexpr double epsilon = std::numeric_limits<double>::epsilon();

struct Search {
  std::vector<double> low, high, trial;
  int evaluations = 0;
};

// sin t on [3, 3.5] crosses at pi: the returned time lies past it by at most the tolerance.
TEST(LocateFirstCrossing, NarrowsOntoASimpleCrossing) {
  Search s{{std::sin(3.0)}, {std::sin(3.5)}, {0.0}};
  const std::vector<std::size_t> watched = {0};
  const double t = locate_first_crossing(3.0, s.low, 3.5, s.high, watched, s.trial,
                                         [&](double t_s, std::span<double> out) {
                                           ++s.evaluations;
                                           out[0] = std::sin(t_s);
                                         });
  const double tolerance = 100.0 * epsilon * (3.5 + 0.5);
  EXPECT_GE(t, std::numbers::pi - tolerance);
  EXPECT_LE(t, std::numbers::pi + tolerance);
  EXPECT_TRUE(crosses(s.low[0], s.high[0]));
  EXPECT_DOUBLE_EQ(s.high[0], std::sin(t));
  EXPECT_LT(s.evaluations, 12);  // superlinear: bisection would need about 40
}

// Two functions crossing at 1.2 and 1.3 within [1, 2]: the first is found, and only it has
// crossed between the narrowed ends; the one watched but zero at the start never counts.
TEST(LocateFirstCrossing, FindsTheFirstOfSeveral) {
  const auto g = [](double t_s, std::span<double> out) {
    out[0] = t_s - 1.3;
    out[1] = 1.2 - t_s;
    out[2] = t_s - 1.0;  // zero at the start: out of the search until it leaves zero
  };
  Search s{std::vector<double>(3), std::vector<double>(3), std::vector<double>(3)};
  g(1.0, s.low);
  g(2.0, s.high);
  const std::vector<std::size_t> watched = {0, 1, 2};
  const double t = locate_first_crossing(1.0, s.low, 2.0, s.high, watched, s.trial, g);
  EXPECT_NEAR(t, 1.2, 100.0 * epsilon * 3.0);
  EXPECT_GE(t, 1.2);
  EXPECT_FALSE(crosses(s.low[0], s.high[0]));
  EXPECT_TRUE(crosses(s.low[1], s.high[1]));
  EXPECT_LE(s.high[1], 0.0);  // the secant lands on a line's zero exactly
}

// A crossing plain regula falsi approaches from one side only (t^9 - 1e-3 on [0, 1], at
// t = 0.4642): Illinois moves the other end too, in a few dozen evaluations at most.
TEST(LocateFirstCrossing, ConvergesWhereRegulaFalsiStalls) {
  int evaluations = 0;
  const auto g = [&](double t_s, std::span<double> out) {
    ++evaluations;
    out[0] = std::pow(t_s, 9) - 1e-3;
  };
  Search s{{-1e-3}, {1.0 - 1e-3}, {0.0}};
  const std::vector<std::size_t> watched = {0};
  const double t = locate_first_crossing(0.0, s.low, 1.0, s.high, watched, s.trial, g);
  EXPECT_NEAR(t, std::pow(1e-3, 1.0 / 9.0), 100.0 * epsilon * 2.0);
  EXPECT_LT(evaluations, 40);
}

// A function exactly zero at the upper end crossed there.
TEST(LocateFirstCrossing, ZeroAtTheUpperEnd) {
  Search s{{-1.0}, {0.0}, {0.0}};
  const std::vector<std::size_t> watched = {0};
  const double t =
      locate_first_crossing(0.0, s.low, 1.0, s.high, watched, s.trial,
                            [](double t_s, std::span<double> out) { out[0] = t_s - 1.0; });
  EXPECT_NEAR(t, 1.0, 100.0 * epsilon * 2.0);
  EXPECT_TRUE(crosses(s.low[0], s.high[0]));
}

TEST(Crosses, ZeroOnlyAsTheEnd) {
  EXPECT_TRUE(crosses(-1.0, 1.0));
  EXPECT_TRUE(crosses(1.0, -1.0));
  EXPECT_TRUE(crosses(1.0, 0.0));
  EXPECT_FALSE(crosses(0.0, 1.0));
  EXPECT_FALSE(crosses(1.0, 2.0));
  EXPECT_FALSE(crosses(-1.0, -2.0));
}

// The underdamped series RLC with v_c - V as its root function, given to IDA or kept as a
// marker. v_c = V where cos(wd t) + (alpha / wd) sin(wd t) = 0:
//   t_k = (pi - atan(wd / alpha) + k pi) / wd.
class MarkedRlc : public SeriesRlc {
 public:
  static constexpr double source_v = 100.0;
  static constexpr double r_ohm = 1.0;
  static constexpr double l_h = 1e-3;
  static constexpr double c_f = 100e-6;
  explicit MarkedRlc(bool marker) : SeriesRlc(source_v, r_ohm, l_h, c_f), marker_(marker) {}
  [[nodiscard]] int roots() const override { return 1; }
  void root_functions(double, std::span<const double> y, std::span<const double>,
                      std::span<double> out) override {
    out[0] = y[1] - source_v;
  }
  [[nodiscard]] std::vector<bool> marker_roots() const override { return {marker_}; }
  bool handle_event(double, std::span<double>, std::span<double>, std::span<const int>) override {
    ++handled;
    return false;
  }
  int handled = 0;

  [[nodiscard]] static double crossing_s(int k) {
    const double alpha = r_ohm / (2.0 * l_h);
    const double omega_d = std::sqrt(1.0 / (l_h * c_f) - alpha * alpha);
    return (std::numbers::pi - std::atan(omega_d / alpha) + k * std::numbers::pi) / omega_d;
  }

 private:
  bool marker_;
};

IntegratorOptions tight_options() {
  IntegratorOptions options;
  options.relative_tolerance = 1e-6;
  options.absolute_tolerance = 1e-8;
  options.event_horizon_s = 1e-5;
  return options;
}

struct RlcRun {
  std::vector<double> event_s;
  std::vector<int> direction;
  std::vector<double> event_v;
  std::vector<double> step_s;  // the other steps' times
  std::vector<double> end;
  IntegratorStats stats;
  int handled = 0;
};

RlcRun run_rlc(bool marker) {
  MarkedRlc circuit(marker);
  const IntegratorOptions options = tight_options();
  const std::vector<double> rest = {0.0, 0.0};
  Integrator integrator(circuit, 0.0, rest, rest, options);
  integrator.initial_conditions(1e-5);
  RlcRun run;
  integrator.advance_to(0.01, [&](const Step& step) {
    if (step.kind == StepKind::event) {
      run.event_s.push_back(step.t_s);
      run.direction.push_back(step.roots[0]);
      run.event_v.push_back(step.y[1]);
    } else {
      run.step_s.push_back(step.t_s);
    }
    return true;
  });
  run.end.assign(integrator.y().begin(), integrator.y().end());
  run.stats = integrator.stats();
  run.handled = circuit.handled;
  return run;
}

TEST(MarkerRoots, LocatedAtTheClosedFormAndAsIdaLocatesThem) {
  const RlcRun ida = run_rlc(false);
  const RlcRun marked = run_rlc(true);
  // 10 ms at a 2.0 ms ringing period: v_c passes V ten times, alternately up and down.
  ASSERT_EQ(marked.event_s.size(), 10U);
  for (std::size_t k = 0; k < marked.event_s.size(); ++k) {
    EXPECT_NEAR(marked.event_s[k], MarkedRlc::crossing_s(static_cast<int>(k)), 1e-7) << k;
    EXPECT_EQ(marked.direction[k], k % 2 == 0 ? 1 : -1) << k;
    EXPECT_NEAR(marked.event_v[k], MarkedRlc::source_v, 1e-9) << k;
  }
  // IDA's root finding on the same interpolating polynomials: the same crossings to round-off.
  ASSERT_EQ(ida.event_s.size(), marked.event_s.size());
  for (std::size_t k = 0; k < ida.event_s.size(); ++k) {
    EXPECT_NEAR(marked.event_s[k], ida.event_s[k], 1e-15) << k;
    EXPECT_EQ(marked.direction[k], ida.direction[k]) << k;
  }
  // A marker changes nothing: the same steps, to the bit, and handle_event never sees it.
  EXPECT_EQ(marked.step_s, ida.step_s);
  EXPECT_EQ(marked.end, ida.end);
  EXPECT_EQ(marked.stats.steps, ida.stats.steps);
  EXPECT_EQ(marked.stats.events, ida.stats.events);
  EXPECT_EQ(ida.handled, 10);
  EXPECT_EQ(marked.handled, 0);
}

// The charging R–C (towards 10 V) with two root functions: v_c - 5 V for IDA (the source steps
// to 20 V there, a discontinuity) and v_c - 3 V as a marker. The marker is reported first, at
// its closed-form time; the restart after IDA's event moves no marker; on the way down after a
// known edge, both are located again.
class TwoThresholdRc : public fixtures::ChargingRc {
 public:
  [[nodiscard]] int roots() const override { return 2; }
  void root_functions(double, std::span<const double> y, std::span<const double>,
                      std::span<double> out) override {
    out[0] = y[0] - 5.0;
    out[1] = y[0] - 3.0;
  }
  [[nodiscard]] std::vector<bool> marker_roots() const override { return {false, true}; }
  bool handle_event(double, std::span<double>, std::span<double>,
                    std::span<const int> which) override {
    EXPECT_EQ(which[1], 0) << "a marker reached handle_event";
    if (which[0] != 1) return false;
    source_v = 20.0;
    return true;
  }
};

TEST(MarkerRoots, BesideIdaRootsAndRestarts) {
  TwoThresholdRc circuit;
  constexpr double tau_s = TwoThresholdRc::r_ohm * TwoThresholdRc::c_f;
  const IntegratorOptions options = tight_options();
  const std::vector<double> y0 = {0.0, 0.0};
  Integrator integrator(circuit, 0.0, y0, y0, options);
  integrator.initial_conditions(1e-5);
  struct Event {
    double t_s;
    int ida;
    int marker;
  };
  std::vector<Event> events;
  const auto record = [&](const Step& step) {
    if (step.kind == StepKind::event) events.push_back({step.t_s, step.roots[0], step.roots[1]});
    return true;
  };
  integrator.advance_to(3e-3, record);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_NEAR(events[0].t_s, -tau_s * std::log(1.0 - 3.0 / 10.0), 1e-8);
  EXPECT_EQ(events[0].ida, 0);
  EXPECT_EQ(events[0].marker, 1);
  EXPECT_NEAR(events[1].t_s, -tau_s * std::log(1.0 - 5.0 / 10.0), 1e-8);
  EXPECT_EQ(events[1].ida, 1);
  EXPECT_EQ(events[1].marker, 0);

  // Source off at a known edge: v_c falls from v_edge through 5 V (IDA) and 3 V (marker).
  const double v_edge = integrator.y()[0];
  circuit.source_v = 0.0;
  integrator.initial_conditions(3e-3 + 1e-5);
  events.clear();
  integrator.advance_to(6e-3, record);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_NEAR(events[0].t_s, 3e-3 + tau_s * std::log(v_edge / 5.0), 1e-8);
  EXPECT_EQ(events[0].ida, -1);
  EXPECT_NEAR(events[1].t_s, 3e-3 + tau_s * std::log(v_edge / 3.0), 1e-8);
  EXPECT_EQ(events[1].marker, -1);
  EXPECT_EQ(integrator.stats().events, 4);
}

// Cancelling at a marker's event stops the integration there, inside IDA's step: the point is
// the event's, and only a restart there may follow.
TEST(MarkerRoots, CancelAtAMarker) {
  MarkedRlc circuit(true);
  const IntegratorOptions options = tight_options();
  const std::vector<double> rest = {0.0, 0.0};
  Integrator integrator(circuit, 0.0, rest, rest, options);
  integrator.initial_conditions(1e-5);
  int events = 0;
  const auto outcome = integrator.advance_to(0.01, [&](const Step& step) {
    events += step.kind == StepKind::event ? 1 : 0;
    return step.kind != StepKind::event;
  });
  EXPECT_EQ(outcome, AdvanceOutcome::cancelled);
  EXPECT_EQ(events, 1);
  EXPECT_NEAR(integrator.time_s(), MarkedRlc::crossing_s(0), 1e-7);
  EXPECT_NEAR(integrator.y()[1], MarkedRlc::source_v, 1e-9);
  EXPECT_THROW(integrator.advance_to(0.01, nullptr), InvalidInput);
  integrator.initial_conditions(integrator.time_s() + 1e-5);
  events = 0;
  EXPECT_EQ(integrator.advance_to(0.01,
                                  [&](const Step& step) {
                                    events += step.kind == StepKind::event ? 1 : 0;
                                    return true;
                                  }),
            AdvanceOutcome::reached);
  EXPECT_EQ(events, 9);  // the other nine crossings, none twice
}

}  // namespace
}  // namespace g2g::dynamic
