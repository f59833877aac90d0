// NetworkDae's protection devices (breakers with `trip:`): the element's record, shared by
// network_dae.cpp (assembly) and network_protection.cpp (its events and signals). Internal to
// dynamic/. docs/dynamic.md § Protection devices.
#pragma once

#include <cstdint>
#include <limits>

#include "g2g/components/protection.hpp"
#include "g2g/dynamic/network_dae.hpp"

namespace g2g::dynamic {

struct NetworkDae::Protection {
  std::size_t line = 0;  // in the model's lines
  const model::Trip* trip = nullptr;
  std::int32_t from = 0;  // nodes
  std::int32_t to = 0;
  components::ProtectionElement element;
  std::int64_t current = -1;    // the line's current unknown
  std::int64_t energy = -1;     // energy absorbed while open (clamp or arc), J
  std::int64_t integral = -1;   // let-through I2t, melting integral or thermal replica
  double pickup_a = 0.0;        // 0: none
  double di_dt_a_per_s = 0.0;   // 0: none
  double integral_limit = 0.0;  // melting: pre-arcing I2t; thermal: 1; let-through: none (0)
  double open_delay_s = 0.0;    // from pickup to interruption
  // Its state: conducting (closed) or interrupting into its clamp (open), and what happens at
  // the timer: nothing, open, or close again (a reclosure).
  bool open = false;
  enum class Pending : std::uint8_t { none, open, close } pending = Pending::none;
  double timer_s = std::numeric_limits<double>::infinity();
  bool reclosed = false;
  std::int32_t root = -1;  // its first of protection_roots root functions
  ProtectionRecord record;
};

}  // namespace g2g::dynamic
