// Gross die per wafer: the published closed-form estimate and an exact count of a placed grid.
// Pure functions over plain structs (docs/fab.md § Gross die). Lengths in metres.
#pragma once

namespace g2g::fab {

struct WaferGeometry {
  double diameter_m = 0.0;
  double edge_exclusion_m = 0.0;  // ring at the rim where no die may lie
  [[nodiscard]] double usable_diameter_m() const noexcept {
    return diameter_m - 2.0 * edge_exclusion_m;
  }
};

struct DieGeometry {
  double width_m = 0.0;
  double height_m = 0.0;
  double scribe_m = 0.0;  // street between neighbouring dies (the saw kerf and its margin)
  [[nodiscard]] double area_m2() const noexcept { return width_m * height_m; }
  // The area one die takes on the grid: die plus one street in each direction.
  [[nodiscard]] double step_area_m2() const noexcept {
    return (width_m + scribe_m) * (height_m + scribe_m);
  }
};

// pi d^2 / (4 A) - pi d / sqrt(2 A), with d the usable diameter and A the step area (Hennessy &
// Patterson, "Computer Architecture: A Quantitative Approach", § "Cost of an integrated
// circuit"; de Vries, IEEE Trans. Semicond. Manuf. 18(1), 2005). Not rounded; may be < 0 for a
// die comparable with the wafer, where the formula does not hold.
double gross_die_formula(const WaferGeometry& wafer, const DieGeometry& die) noexcept;

// A grid placement: the lower-left corner of the die at column 0, row 0 sits at
// (offset_x_m, offset_y_m) from the wafer centre; offsets lie in [0, step).
struct Placement {
  double offset_x_m = 0.0;
  double offset_y_m = 0.0;
};

// Dies of the grid whose whole rectangle (not its street) lies inside the usable circle.
long count_dies(const WaferGeometry& wafer, const DieGeometry& die, Placement placement) noexcept;

struct DieCount {
  long best = 0;  // most dies over the searched offsets
  Placement best_placement;
  long die_centred = 0;     // a die centred on the wafer centre
  long corner_centred = 0;  // four dies meeting (street crossing centred) at the wafer centre
  int offsets_searched = 0;
};

// Exact counts of the symmetric layouts and the best of a `steps` x `steps` grid of offsets over
// one step in x and y (steps >= 1; fewer when steps^2 x columns would pass about 2e7, for a tiny
// die on a large wafer: offsets_searched says how many). A search, not a proof of the optimum.
DieCount count_dies_best(const WaferGeometry& wafer, const DieGeometry& die, int steps) noexcept;

}  // namespace g2g::fab
