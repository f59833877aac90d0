#include "g2g/model/spec.hpp"

namespace g2g::model {

const Origin* origin_of(const ModelSpec& model, std::int32_t origin) noexcept {
  if (origin < 0 || static_cast<std::size_t>(origin) >= model.origins.size()) return nullptr;
  return &model.origins[static_cast<std::size_t>(origin)];
}

core::SourceLocation location(const ModelSpec& model, Where where) {
  return {model.source_file, where.line, where.column};
}

double nominal_load_power_w(const Load& load) noexcept {
  if (load.model == LoadModel::gpu_rack)
    return load.it_power_w * (load.idle_fraction + (1.0 - load.idle_fraction) * load.utilisation);
  return load.p_w;
}

}  // namespace g2g::model
