#include "g2g/components/load.hpp"

namespace g2g::components {

ZipFractions zip_fractions(const model::Load& load) noexcept {
  switch (load.model) {
    case model::LoadModel::constant_current:
      return {0.0, 1.0, 0.0};
    case model::LoadModel::constant_impedance:
      return {1.0, 0.0, 0.0};
    case model::LoadModel::zip:
      return {load.zip_z, load.zip_i, load.zip_p};
    case model::LoadModel::constant_power:
    case model::LoadModel::gpu_rack:
      break;
  }
  return {0.0, 0.0, 1.0};
}

}  // namespace g2g::components
