// What each fault of a scenario did, gathered at every integrator step and event of a run:
// its current's peak and largest rate, the dip at every DC bus, and at the end its clearing time,
// its I^2 t and the energies (the DAE's quadratures), and which converters with undervoltage_off
// rode through. docs/dynamic.md, "Faults".
#pragma once

#include <span>
#include <vector>

#include "g2g/dynamic/network_dae.hpp"
#include "g2g/dynamic/scenario.hpp"
#include "g2g/dynamic/simulation_result.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::dynamic {

class FaultMonitor {
 public:
  // `dae` was built with the scenario's faults in order; all three must outlive this object.
  FaultMonitor(const Scenario& scenario, const model::ModelSpec& model, const NetworkDae& dae);

  // At every step and event, in time order.
  void add(double t_s, std::span<const double> y, std::span<const double> yp);
  // Fills summary.faults; summary.hold_up must be filled already (the hold-up per converter).
  void finish(SimulationSummary& summary, std::span<const double> y_end) const;

 private:
  struct Watch {
    bool begun = false;
    double inception_s = 0.0;
    double lines_j = 0.0, esr_j = 0.0;   // the loss integrals at inception
    std::vector<double> t_s, current_a;  // |i_f| at every sample from inception
    FaultSummary out;
  };
  void begin(Watch& w, double t_s, std::span<const double> y);

  const model::ModelSpec& model_;
  const NetworkDae& dae_;
  std::vector<model::BusIndex> dc_buses_;
  std::vector<double> last_v_;  // per dc_buses_: at the last sample
  double last_t_s_ = 0.0;
  std::vector<Watch> watches_;
};

}  // namespace g2g::dynamic
