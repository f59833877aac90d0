#include "g2g/dynamic/dae.hpp"

#include <utility>

namespace g2g::dynamic {

std::string to_string(const UnknownName& name) {
  return name.element.empty() ? name.state : name.element + "." + name.state;
}

OutsideDomain::OutsideDomain(std::string message)
    : Error(ErrorKind::integration, std::move(message)) {}

}  // namespace g2g::dynamic
