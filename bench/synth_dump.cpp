// g2g_synth: writes a synthetic network (g2g::synth) as a model JSON file for `grid2gpu solve`
// and, for DC networks, as an ngspice netlist of the same circuit, for the whole-process
// comparison in docs/benchmarks.md.
//
//   g2g_synth dc|hybrid|ac-radial BUSES [--seed N] [--far-ties N] [--json FILE] [--spice FILE]
//             [--pgm FILE]
//
// --pgm writes an ac-radial network in the plain interchange text that bench/pgm's harness reads
// (format: write_interchange below), so both tools solve the same numbers.
// --far-ties adds N ties between random buses anywhere in a DC network's tree
// (synth::DcNetworkParams::far_tie_count).
//
// The JSON writer covers what the generators produce (docs/model-format.md has the format):
// plain numbers are SI, percentages carry "%", and numbers are written in shortest round-trip
// form so the loaded model equals the generated one bit for bit.
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <string>
#include <string_view>

#include "g2g/model/spec.hpp"
#include "g2g/synth/networks.hpp"
#include "validation/spice_netlist.hpp"

namespace {

using namespace g2g;

// Ids come from the generator ("b12", "l7"): no characters that need JSON escaping.
std::string model_json(const model::ModelSpec& m) {
  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  auto bus = [&m](model::BusIndex b) -> const std::string& {
    return m.buses[static_cast<std::size_t>(b)].id;
  };
  fmt::format_to(it, "{{\n\"grid2gpu\": 1,\n\"name\": \"{}\",\n\"frequency\": {},\n", m.name,
                 m.frequency_hz);
  fmt::format_to(it, "\"buses\": [\n");
  for (std::size_t b = 0; b < m.buses.size(); ++b) {
    const auto& x = m.buses[b];
    fmt::format_to(it,
                   "{}{{\"id\": \"{}\", \"kind\": \"{}\", \"voltage\": {}, \"v_min\": {}, "
                   "\"v_max\": {}}}",
                   b == 0 ? "" : ",\n", x.id, x.kind == model::BusKind::ac ? "ac" : "dc",
                   x.nominal_voltage_v, x.v_min_pu, x.v_max_pu);
  }
  fmt::format_to(it, "\n],\n\"components\": [\n");
  const char* sep = "";
  for (const auto& s : m.sources) {
    fmt::format_to(it, "{}{{\"id\": \"{}\", \"type\": \"{}\", \"bus\": \"{}\", \"voltage\": {}}}",
                   sep, s.id, model::name(s.type), bus(s.bus), s.v_set_pu);
    sep = ",\n";
  }
  for (const auto& l : m.lines) {
    fmt::format_to(it,
                   "{}{{\"id\": \"{}\", \"type\": \"{}\", \"from\": \"{}\", \"to\": \"{}\", "
                   "\"resistance\": {}",
                   sep, l.id, model::name(l.type), bus(l.from), bus(l.to), l.r_ohm.value());
    if (l.x_ohm) fmt::format_to(it, ", \"reactance\": {}", *l.x_ohm);
    fmt::format_to(it, "}}");
    sep = ",\n";
  }
  for (const auto& t : m.transformers) {
    fmt::format_to(it,
                   "{}{{\"id\": \"{}\", \"type\": \"transformer\", \"hv\": \"{}\", "
                   "\"lv\": \"{}\", \"rating\": {}, \"hv_voltage\": {}, \"lv_voltage\": {}, "
                   "\"impedance\": \"{} %\", \"resistance\": \"{} %\"}}",
                   sep, t.id, bus(t.hv), bus(t.lv), t.rating_va, t.v_hv_rated_v, t.v_lv_rated_v,
                   t.z_pct, t.r_pct.value_or(0.0));
    sep = ",\n";
  }
  for (const auto& c : m.converters) {
    fmt::format_to(it,
                   "{}{{\"id\": \"{}\", \"type\": \"{}\", \"subtype\": \"{}\", "
                   "\"input\": \"{}\", \"output\": \"{}\", \"rating\": {}, \"efficiency\": [",
                   sep, c.id, model::name(c.type), model::name(c.subtype), bus(c.input),
                   bus(c.output), c.rating_w);
    for (std::size_t k = 0; k < c.efficiency.size(); ++k)
      fmt::format_to(it, "{}[{}, {}]", k == 0 ? "" : ", ", c.efficiency[k].load_fraction,
                     c.efficiency[k].efficiency);
    fmt::format_to(it, "], \"control\": \"voltage\", \"voltage\": {}", c.v_set_pu);
    if (c.type == model::ConverterType::rectifier)
      fmt::format_to(it, ", \"power_factor\": {}", c.input_power_factor);
    fmt::format_to(it, "}}");
    sep = ",\n";
  }
  for (const auto& d : m.loads) {
    if (d.model == model::LoadModel::gpu_rack) {
      fmt::format_to(it,
                     "{}{{\"id\": \"{}\", \"type\": \"gpu_rack\", \"bus\": \"{}\", "
                     "\"it_power\": {}, \"idle_fraction\": {}, \"utilisation\": {}}}",
                     sep, d.id, bus(d.bus), d.it_power_w, d.idle_fraction, d.utilisation);
    } else {
      fmt::format_to(it,
                     "{}{{\"id\": \"{}\", \"type\": \"load\", \"bus\": \"{}\", "
                     "\"model\": \"{}\", \"power\": {}",
                     sep, d.id, bus(d.bus), model::name(d.model), d.p_w);
      if (d.q_var != 0.0) fmt::format_to(it, ", \"reactive_power\": {}", d.q_var);
      fmt::format_to(it, "}}");
    }
    sep = ",\n";
  }
  fmt::format_to(it, "\n]\n}}\n");
  return fmt::to_string(out);
}

// Interchange text for bench/pgm/pgm_bench.cpp: whitespace-separated, buses by index, numbers in
// shortest round-trip form.
//   g2g-ac-radial 1
//   frequency_hz F
//   nodes N U_RATED_V
//   source BUS U_REF_PU
//   lines M            then M rows: FROM TO R_OHM X_OHM
//   loads K            then K rows: BUS P_W Q_VAR
std::string write_interchange(const model::ModelSpec& m) {
  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "g2g-ac-radial 1\nfrequency_hz {}\nnodes {} {}\n", m.frequency_hz,
                 m.buses.size(), m.buses.front().nominal_voltage_v);
  const auto& s = m.sources.front();
  fmt::format_to(it, "source {} {}\nlines {}\n", s.bus, s.v_set_pu, m.lines.size());
  for (const auto& l : m.lines)
    fmt::format_to(it, "{} {} {} {}\n", l.from, l.to, l.r_ohm.value(), l.x_ohm.value_or(0.0));
  fmt::format_to(it, "loads {}\n", m.loads.size());
  for (const auto& d : m.loads) fmt::format_to(it, "{} {} {}\n", d.bus, d.p_w, d.q_var);
  return fmt::to_string(out);
}

void write(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  file << text;
  if (!file) throw std::runtime_error("cannot write " + path);
}

int usage() {
  std::fputs(
      "usage: g2g_synth dc|hybrid|ac-radial BUSES [--seed N] [--far-ties N] [--json FILE] "
      "[--spice FILE] [--pgm FILE]\n",
      stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  const std::string kind = argv[1];
  const std::int64_t buses = std::atoll(argv[2]);
  std::uint64_t seed = 1;
  std::int64_t far_ties = 0;
  std::string json_path;
  std::string spice_path;
  std::string pgm_path;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--seed")
      seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (flag == "--far-ties")
      far_ties = std::atoll(argv[i + 1]);
    else if (flag == "--json")
      json_path = argv[i + 1];
    else if (flag == "--spice")
      spice_path = argv[i + 1];
    else if (flag == "--pgm")
      pgm_path = argv[i + 1];
    else
      return usage();
  }
  if ((argc - 3) % 2 != 0 || (kind != "dc" && kind != "hybrid" && kind != "ac-radial"))
    return usage();
  if (far_ties != 0 && kind != "dc") return usage();
  if (!pgm_path.empty() && kind != "ac-radial") return usage();
  try {
    model::ModelSpec m;
    if (kind == "dc") {
      synth::DcNetworkParams params;
      params.bus_count = buses;
      params.seed = seed;
      params.far_tie_count = far_ties;
      m = synth::random_dc_network(params);
    } else if (kind == "ac-radial") {
      synth::AcRadialParams params;
      params.bus_count = buses;
      params.seed = seed;
      m = synth::random_ac_radial_network(params);
    } else {
      synth::HybridNetworkParams params;
      params.bus_count = buses;
      params.seed = seed;
      m = synth::random_hybrid_network(params);
    }
    if (!json_path.empty()) write(json_path, model_json(m));
    if (!spice_path.empty()) write(spice_path, test::write_spice_dc_netlist(m));
    if (!pgm_path.empty()) write(pgm_path, write_interchange(m));
    std::printf("%s: %zu buses, %zu lines, %zu loads\n", m.name.c_str(), m.buses.size(),
                m.lines.size(), m.loads.size());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "g2g_synth: %s\n", e.what());
    return 1;
  }
  return 0;
}
