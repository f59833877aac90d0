// Aggregation by phase groups: identical instances lumped into one scaled instance give the same
// power flow exactly, and a 1,000-rack hall in eight phase groups gives, lumped, the same peak,
// ramps and band shares as in full detail (issue 14: within 1 %).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "g2g/dynamic/aggregate.hpp"
#include "g2g/dynamic/simulate.hpp"
#include "g2g/steady/solver.hpp"
#include "g2g/synth/gpu_hall.hpp"

namespace g2g::dynamic {
namespace {

Scenario swings(double duration_s, Aggregation aggregate, std::int64_t groups) {
  Scenario s;
  s.file = "swings.yaml";
  s.name = "swings";
  s.duration_s = duration_s;
  s.aggregate = aggregate;
  ProfileAssignment a;
  a.loads = {ElementPattern{"row[*]/rack[*]/gpus", {}}};
  a.profile.pattern = TrainingSteps{
      .period_s = 1.0, .duty = 0.6, .high = 1.0, .low = 0.3, .rise_s = 5e-3, .fall_s = 5e-3};
  a.profile.phase_s = 0.2;
  a.phase_groups = PhaseGrouping{ElementPattern{"row[*]", {}}, groups, 1.0, {}};
  s.profiles.push_back(std::move(a));
  s.metrics.ramp_window_s = 0.5;
  // The largest ramp lands on the busways' ringing after an edge (177 Hz, 6 % damping), which
  // IDA resolves only as well as its tolerance: at rtol 1e-4 the ramp of this hall comes out
  // 17 % above its value at 1e-5 in both runs (6 s runs, 2026-12-05), and at 1e-5 the full
  // run's ramp down still moved by 1.6 % when the error norm's order of summation changed
  // (-3.851 against -3.789 MW/s at 1e-6). The comparison is of the lumping, not of the
  // integration error, so it is made at 1e-6, where full and lumped agree to 0.03 %.
  s.solver.relative_tolerance = 1e-6;
  return s;
}

// Three rows of four racks, every rack at its steady power by one shared function.
model::ModelSpec small_hall() {
  synth::GpuHallParams params;
  params.rows = 3;
  params.racks_per_row = 4;
  return synth::gpu_hall(params);
}
LoadPowers steady_powers(const model::ModelSpec& hall) {
  LoadPowers powers;
  powers.function_of_load.assign(hall.loads.size(), powers.add(PiecewiseLinear::constant(
                                                        hall.loads.front().it_power_w, 0, 1)));
  return powers;
}

TEST(Aggregate, IdenticalInstancesLumpIntoOneWithTheSamePowerFlow) {
  const model::ModelSpec hall = small_hall();
  const LoadPowers powers = steady_powers(hall);
  const AggregatedModel lumped = aggregate_identical_instances(hall, powers);
  EXPECT_EQ(lumped.instances_before, 15u);  // 3 rows and 12 racks
  EXPECT_EQ(lumped.instances_after, 2u);    // one row, one rack
  ASSERT_EQ(lumped.model.loads.size(), 1u);
  EXPECT_EQ(lumped.load_multiplicity.front(), 12u);
  EXPECT_DOUBLE_EQ(lumped.model.loads.front().it_power_w, 12 * hall.loads.front().it_power_w);
  EXPECT_DOUBLE_EQ(
      lumped.powers.functions[static_cast<std::size_t>(lumped.powers.function_of_load.front())]
          .value(0.5),
      12 * hall.loads.front().it_power_w);
  const auto full = steady::solve(hall);
  const auto small = steady::solve(lumped.model);
  EXPECT_NEAR(small.totals.source_w, full.totals.source_w, 1e-9 * full.totals.source_w);
  EXPECT_NEAR(small.totals.loss_w, full.totals.loss_w, 1e-9 * full.totals.loss_w);
}

// An instance named distinct (a fault in it, say) stays apart with its ids, and so does the row
// holding it; its siblings still lump among themselves, and the power flow is unchanged.
TEST(Aggregate, ADistinctInstanceStaysApartWithItsRow) {
  const model::ModelSpec hall = small_hall();
  const LoadPowers powers = steady_powers(hall);
  // The last rack of the second row.
  std::int32_t distinct = -1;
  std::string row_path;
  int racks_seen = 0;
  for (std::size_t o = 0; o < hall.origins.size(); ++o) {
    const std::string& path = hall.origins[o].instance_path;
    if (path.find('/') == std::string::npos) continue;
    if (++racks_seen == 8) {
      distinct = static_cast<std::int32_t>(o);
      row_path = path.substr(0, path.find('/'));
    }
  }
  ASSERT_GE(distinct, 0);
  const std::string rack_path = hall.origins[static_cast<std::size_t>(distinct)].instance_path;
  const std::int32_t list[] = {distinct};
  const AggregatedModel lumped = aggregate_identical_instances(hall, powers, list);
  // Rows: the distinct one and the other two lumped; racks: the distinct one and its three
  // siblings lumped, and one for the lumped rows.
  EXPECT_EQ(lumped.instances_after, 5u);
  ASSERT_EQ(lumped.model.loads.size(), 3u);
  std::size_t racks = 0;
  bool kept = false;
  for (std::size_t k = 0; k < lumped.model.loads.size(); ++k) {
    racks += lumped.load_multiplicity[k];
    const auto& origin =
        lumped.model.origins[static_cast<std::size_t>(lumped.model.loads[k].origin)];
    if (origin.instance_path == rack_path) {
      kept = true;
      EXPECT_EQ(lumped.load_multiplicity[k], 1u);
    }
  }
  EXPECT_TRUE(kept) << rack_path;
  EXPECT_EQ(racks, 12u);
  const bool row_kept =
      std::any_of(lumped.model.buses.begin(), lumped.model.buses.end(), [&](const model::Bus& b) {
        return b.origin >= 0 &&
               lumped.model.origins[static_cast<std::size_t>(b.origin)].instance_path == row_path;
      });
  EXPECT_TRUE(row_kept) << row_path;
  const auto full = steady::solve(hall);
  const auto small = steady::solve(lumped.model);
  EXPECT_NEAR(small.totals.source_w, full.totals.source_w, 1e-9 * full.totals.source_w);
  EXPECT_NEAR(small.totals.loss_w, full.totals.loss_w, 1e-9 * full.totals.loss_w);
}

TEST(Aggregate, PhaseGroupsOfAThousandRacksMatchFullDetail) {
  synth::GpuHallParams params;
  params.rows = 125;
  params.racks_per_row = 8;
  const model::ModelSpec hall = synth::gpu_hall(params);
  const SimulationRun full = simulate(hall, swings(3.0, Aggregation::none, 8));
  const SimulationRun lumped = simulate(hall, swings(3.0, Aggregation::phase_groups, 8));
  EXPECT_EQ(full.summary.aggregation, "none");
  EXPECT_NE(lumped.summary.aggregation.find("lumped into"), std::string::npos);
  EXPECT_LT(lumped.summary.unknowns, full.summary.unknowns / 50);
  const auto& a = full.summary.grid_power;
  const auto& b = lumped.summary.grid_power;
  EXPECT_NEAR(b.peak_w, a.peak_w, 0.01 * a.peak_w);
  ASSERT_TRUE(a.largest_ramp_up && b.largest_ramp_up && a.largest_ramp_down && b.largest_ramp_down);
  EXPECT_NEAR(b.largest_ramp_up->rate_w_per_s, a.largest_ramp_up->rate_w_per_s,
              0.01 * std::fabs(a.largest_ramp_up->rate_w_per_s));
  EXPECT_NEAR(b.largest_ramp_down->rate_w_per_s, a.largest_ramp_down->rate_w_per_s,
              0.01 * std::fabs(a.largest_ramp_down->rate_w_per_s));
  ASSERT_EQ(a.bands.size(), b.bands.size());
  for (std::size_t k = 0; k < a.bands.size(); ++k)
    EXPECT_NEAR(b.bands[k].share, a.bands[k].share, 0.01) << a.bands[k].band.low_hz << " Hz";
  RecordProperty("peak_full_w", std::to_string(a.peak_w));
  RecordProperty("peak_lumped_w", std::to_string(b.peak_w));
  RecordProperty("ramp_up_full_w_per_s", std::to_string(a.largest_ramp_up->rate_w_per_s));
  RecordProperty("ramp_up_lumped_w_per_s", std::to_string(b.largest_ramp_up->rate_w_per_s));
  RecordProperty("ramp_down_full_w_per_s", std::to_string(a.largest_ramp_down->rate_w_per_s));
  RecordProperty("ramp_down_lumped_w_per_s", std::to_string(b.largest_ramp_down->rate_w_per_s));
  RecordProperty("unknowns", std::to_string(full.summary.unknowns) + " -> " +
                                 std::to_string(lumped.summary.unknowns));
}

}  // namespace
}  // namespace g2g::dynamic
