// Defect-limited die yield from the mean defect density D0 and the die area A, the inverse (D0
// from a stated yield) and the cost per good die. Pure functions (docs/fab.md § Yield).
// Densities in defects per m^2, areas in m^2; `ad` is the mean number of defects per die.
#pragma once

#include <array>
#include <string_view>

namespace g2g::fab {

enum class YieldModel { poisson, murphy, seeds, negative_binomial };
inline constexpr std::array every_yield_model{YieldModel::poisson, YieldModel::murphy,
                                              YieldModel::seeds, YieldModel::negative_binomial};
std::string_view name(YieldModel model) noexcept;

// Poisson: exp(-AD) (defects independent and uniform).
double yield_poisson(double ad) noexcept;
// Murphy (Proc. IEEE 52, 1964): ((1 - exp(-AD)) / AD)^2, D triangular across dies.
double yield_murphy(double ad) noexcept;
// Seeds (1967): 1 / (1 + AD), D exponential across dies (the negative binomial at alpha = 1).
double yield_seeds(double ad) noexcept;
// Negative binomial (Stapper, IEEE Trans. Electron Devices 20, 1973): (1 + AD/alpha)^-alpha;
// alpha > 0 is the clustering (small: strong clustering; infinite: Poisson).
double yield_negative_binomial(double ad, double alpha) noexcept;

double die_yield(YieldModel model, double d0_per_m2, double area_m2, double alpha) noexcept;

// The D0 at which `model` gives `yield` (0 < yield < 1) for a die of `area_m2`: closed form for
// Poisson, Seeds and the negative binomial, bisection on the monotone Murphy curve.
double defect_density_for_yield(YieldModel model, double yield, double area_m2,
                                double alpha) noexcept;

// Wafer cost spread over the good dies; infinite when no die is good.
double cost_per_good_die(double wafer_cost, double gross_die, double yield) noexcept;

}  // namespace g2g::fab
