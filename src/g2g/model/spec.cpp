#include "g2g/model/spec.hpp"

namespace g2g::model {

double nominal_load_power_w(const Load& load) noexcept {
  if (load.model == LoadModel::gpu_rack)
    return load.it_power_w * (load.idle_fraction + (1.0 - load.idle_fraction) * load.utilisation);
  return load.p_w;
}

}  // namespace g2g::model
