#include "validation/spice_netlist.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "g2g/core/error.hpp"
#include "support/test_support.hpp"

namespace g2g::test {
namespace {

using model::BusIndex;

// Adds one load's SPICE elements at `node`; `p_w` is its power at nominal voltage.
void write_load(fmt::memory_buffer& out, std::size_t index, const std::string& node,
                model::LoadModel load_model, double p_w, double z, double i, double p,
                double v_nominal_v, double v_floor_v) {
  switch (load_model) {
    case model::LoadModel::constant_power:
    case model::LoadModel::gpu_rack:
      z = 0.0;
      i = 0.0;
      p = 1.0;
      break;
    case model::LoadModel::constant_current:
      z = 0.0;
      i = 1.0;
      p = 0.0;
      break;
    case model::LoadModel::constant_impedance:
      z = 1.0;
      i = 0.0;
      p = 0.0;
      break;
    case model::LoadModel::zip:
      break;
  }
  if (z != 0.0 && p_w != 0.0)
    fmt::format_to(std::back_inserter(out), "RL{} {} 0 {}\n", index, node,
                   v_nominal_v * v_nominal_v / (z * p_w));
  if (i != 0.0)
    fmt::format_to(std::back_inserter(out), "IL{} {} 0 DC {}\n", index, node,
                   i * p_w / v_nominal_v);
  if (p != 0.0)
    fmt::format_to(std::back_inserter(out), "BL{} {} 0 I={}/max(V({}),{})\n", index, node, p * p_w,
                   node, v_floor_v);
}

}  // namespace

std::string spice_node(BusIndex bus) {
  return fmt::format("n{}", bus);
}

std::string write_spice_dc_netlist(const model::ModelSpec& model, const SpiceOptions& options) {
  for (const auto& bus : model.buses)
    if (bus.kind != model::BusKind::dc)
      throw std::invalid_argument("spice netlist: AC bus " + bus.id + " (DC models only)");
  if (!model.transformers.empty() || !model.converters.empty())
    throw std::invalid_argument("spice netlist: transformers and converters are not supported");

  std::vector<std::string> nodes;
  nodes.reserve(model.buses.size());
  for (std::size_t b = 0; b < model.buses.size(); ++b)
    nodes.push_back(spice_node(static_cast<BusIndex>(b)));
  auto node = [&nodes](BusIndex bus) -> const std::string& {
    return nodes.at(static_cast<std::size_t>(bus));
  };
  auto v_nominal = [&model](BusIndex bus) {
    return model.buses.at(static_cast<std::size_t>(bus)).nominal_voltage_v;
  };

  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "* grid2gpu model '{}' as a DC operating point\n", model.name);
  fmt::format_to(it, ".options reltol={} abstol={} vntol={}\n", options.reltol, options.abstol_a,
                 options.vntol_v);
  for (std::size_t s = 0; s < model.sources.size(); ++s) {
    const auto& source = model.sources[s];
    if (!source.in_service) continue;
    if (source.type != model::SourceType::dc_source)
      throw std::invalid_argument("spice netlist: source " + source.id + " is not a dc_source");
    fmt::format_to(it, "VS{} {} 0 DC {}\n", s, node(source.bus),
                   source.v_set_pu * v_nominal(source.bus));
  }
  for (std::size_t l = 0; l < model.lines.size(); ++l) {
    const auto& line = model.lines[l];
    if (!line.in_service) continue;
    if (!line.r_ohm)
      throw std::invalid_argument("spice netlist: line " + line.id + " has no explicit r_ohm");
    fmt::format_to(it, "R{} {} {} {}\n", l, node(line.from), node(line.to), *line.r_ohm);
  }
  for (std::size_t k = 0; k < model.switches.size(); ++k) {
    const auto& sw = model.switches[k];
    if (sw.closed) fmt::format_to(it, "VW{} {} {} DC 0\n", k, node(sw.from), node(sw.to));
  }
  for (std::size_t d = 0; d < model.loads.size(); ++d) {
    const auto& load = model.loads[d];
    if (!load.in_service) continue;
    const double v_nom = v_nominal(load.bus);
    write_load(out, d, node(load.bus), load.model, model::nominal_load_power_w(load), load.zip_z,
               load.zip_i, load.zip_p, v_nom, options.constant_power_floor_pu * v_nom);
  }
  for (std::size_t k = 0; k < model.storage.size(); ++k) {
    const auto& st = model.storage[k];
    if (!st.in_service || st.p_set_w == 0.0) continue;
    const double v_nom = v_nominal(st.bus);
    fmt::format_to(it, "BST{} {} 0 I={}/max(V({}),{})\n", k, node(st.bus), -st.p_set_w,
                   node(st.bus), options.constant_power_floor_pu * v_nom);
  }
  // numdgt=16 makes `print` show 17 significant digits, enough to round-trip a double; `quit 0`
  // because batch mode otherwise exits 1 when the deck itself has no analysis line.
  fmt::format_to(it, ".control\nset numdgt=16\nop\nprint all\nquit 0\n.endc\n.end\n");
  return fmt::to_string(out);
}

std::vector<double> parse_ngspice_voltages(std::string_view output, std::size_t bus_count) {
  std::vector<double> volts(bus_count, 0.0);
  std::vector<bool> seen(bus_count, false);
  std::size_t pos = 0;
  while (pos < output.size()) {
    std::size_t end = output.find('\n', pos);
    if (end == std::string_view::npos) end = output.size();
    std::string_view line = output.substr(pos, end - pos);
    pos = end + 1;
    // Accept exactly "n<digits> = <number>", ignoring branch currents and notes.
    if (line.size() < 5 || line[0] != 'n') continue;
    const std::size_t eq = line.find(" = ");
    if (eq == std::string_view::npos) continue;
    std::size_t index = 0;
    const auto [name_end, name_err] = std::from_chars(line.data() + 1, line.data() + eq, index);
    if (name_err != std::errc() || name_end != line.data() + eq || index >= bus_count) continue;
    // strtod rather than from_chars<double>: its locale handling is what ngspice's printf uses.
    const std::string number(line.substr(eq + 3));
    char* number_end = nullptr;
    const double value = std::strtod(number.c_str(), &number_end);
    if (number_end == number.c_str()) continue;
    volts[index] = value;
    seen[index] = true;
  }
  for (std::size_t b = 0; b < bus_count; ++b)
    if (!seen[b])
      throw std::runtime_error("ngspice printed no voltage for " +
                               spice_node(static_cast<BusIndex>(b)));
  return volts;
}

NgspiceRun run_ngspice(const std::filesystem::path& netlist, std::size_t bus_count) {
  NgspiceRun run;
  const auto result = run_command("ngspice -b '" + netlist.string() + "'");
  run.output = result.output;
  if (result.exit_code != 0)
    throw std::runtime_error("ngspice failed (exit " + std::to_string(result.exit_code) + "):\n" +
                             run.output.substr(0, 4000));
  try {
    run.voltages_v = parse_ngspice_voltages(run.output, bus_count);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string(e.what()) + "\nngspice output:\n" +
                             run.output.substr(0, 4000));
  }
  return run;
}

// ---- Transient harness ----------------------------------------------------------------------

namespace {

bool spice_identifier(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void require_pwl(const std::string& name, const std::vector<PwlPoint>& points) {
  if (points.empty())
    throw InvalidInput(name, "element '" + name + "' has an empty waveform",
                       "give at least one point {t_s, value}");
  for (std::size_t k = 1; k < points.size(); ++k)
    if (!(points[k].t_s > points[k - 1].t_s))
      throw InvalidInput(name,
                         fmt::format("element '{}': waveform time does not ascend at point "
                                     "{} ({} s after {} s)",
                                     name, k, points[k].t_s, points[k - 1].t_s),
                         "list the points in strictly ascending time");
}

void require_positive(const std::string& name, double value, const char* what) {
  if (!(value > 0.0) || !std::isfinite(value))
    throw InvalidInput(name,
                       fmt::format("element '{}': {} must be positive, got {}", name, what, value));
}

// PWL(t1 v1 t2 v2 ...) for a source, which ngspice holds at its end values outside the points.
// A single point is a constant.
std::string pwl_source(const std::vector<PwlPoint>& points) {
  if (points.size() == 1) return fmt::format("DC {:.17g}", points[0].value);
  std::string out = "PWL(";
  for (const auto& p : points) out += fmt::format(" {:.17g} {:.17g}", p.t_s, p.value);
  return out + " )";
}
// "pwl(time, t1, v1, ...)" in a B-source expression. Unlike the source, ngspice 39's B-source
// pwl() extends its first and last segments linearly (a ramp from 0 at 1 ms to P at 2 ms gives
// -P at t = 0), so a flat segment is added at each end: 1 s before and 1e6 s after.
std::string pwl_expression(const std::vector<PwlPoint>& points) {
  if (points.size() == 1) return fmt::format("{:.17g}", points[0].value);
  std::string out =
      fmt::format("pwl(time, {:.17g}, {:.17g}", points.front().t_s - 1.0, points.front().value);
  for (const auto& p : points) out += fmt::format(", {:.17g}, {:.17g}", p.t_s, p.value);
  return out + fmt::format(", {:.17g}, {:.17g})", points.back().t_s + 1e6, points.back().value);
}

struct Signal {
  char kind;  // 'v' or 'i'
  std::string target;
};
Signal parse_signal(const std::string& signal) {
  const std::string s = lower(signal);
  if (s.size() > 3 && (s[0] == 'v' || s[0] == 'i') && s[1] == '(' && s.back() == ')') {
    std::string target = s.substr(2, s.size() - 3);
    if (spice_identifier(target)) return {s[0], std::move(target)};
  }
  throw InvalidInput(signal, "signal '" + signal + "' is neither v(node) nor i(element)",
                     "record node voltages as v(name) and element currents as i(name)");
}

}  // namespace

TranCircuit::Element& TranCircuit::add(char kind, const std::string& name, const std::string& a,
                                       const std::string& b) {
  for (const auto& part : {name, a, b})
    if (!spice_identifier(part))
      throw InvalidInput(name, fmt::format("element '{}': '{}' is not a SPICE name (letters, "
                                           "digits, '_')",
                                           name, part));
  for (const auto& e : elements_)
    if (lower(e.name) == lower(name))  // SPICE is case-blind
      throw InvalidInput(name, "element '" + name + "' is defined twice",
                         "give every element its own name");
  Element& e = elements_.emplace_back();
  e.kind = kind;
  e.name = name;
  e.a = a;
  e.b = b;
  return e;
}

void TranCircuit::resistor(const std::string& name, const std::string& a, const std::string& b,
                           double r_ohm) {
  require_positive(name, r_ohm, "resistance");
  add('R', name, a, b).value = r_ohm;
}

void TranCircuit::capacitor(const std::string& name, const std::string& a, const std::string& b,
                            double c_f, double esr_ohm, std::optional<double> v0_v) {
  require_positive(name, c_f, "capacitance");
  if (esr_ohm != 0.0) require_positive(name, esr_ohm, "ESR");
  Element& e = add('C', name, a, b);
  e.value = c_f;
  e.series_r_ohm = esr_ohm;
  e.initial = v0_v;
}

void TranCircuit::inductor(const std::string& name, const std::string& a, const std::string& b,
                           double l_h, double r_ohm, std::optional<double> i0_a) {
  require_positive(name, l_h, "inductance");
  if (r_ohm != 0.0) require_positive(name, r_ohm, "series resistance");
  Element& e = add('L', name, a, b);
  e.value = l_h;
  e.series_r_ohm = r_ohm;
  e.initial = i0_a;
}

void TranCircuit::voltage_source(const std::string& name, const std::string& a,
                                 const std::string& b, std::vector<PwlPoint> v) {
  require_pwl(name, v);
  add('V', name, a, b).pwl = std::move(v);
}

void TranCircuit::current_source(const std::string& name, const std::string& a,
                                 const std::string& b, std::vector<PwlPoint> i) {
  require_pwl(name, i);
  add('I', name, a, b).pwl = std::move(i);
}

void TranCircuit::constant_power_load(const std::string& name, const std::string& a,
                                      const std::string& b, std::vector<PwlPoint> p_w,
                                      double v_floor_v) {
  require_pwl(name, p_w);
  require_positive(name, v_floor_v, "v_floor");
  Element& e = add('B', name, a, b);
  e.pwl = std::move(p_w);
  e.v_floor_v = v_floor_v;
}

void TranCircuit::voltage_controlled_switch(const std::string& name, const std::string& a,
                                            const std::string& b, std::vector<PwlPoint> control,
                                            double r_on_ohm, double r_off_ohm) {
  require_pwl(name, control);
  require_positive(name, r_on_ohm, "r_on");
  require_positive(name, r_off_ohm, "r_off");
  Element& e = add('S', name, a, b);
  e.pwl = std::move(control);
  e.value = r_on_ohm;
  e.r_off_ohm = r_off_ohm;
}

void TranCircuit::clamp(const std::string& name, const std::string& a, const std::string& b,
                        double v_clamp_v, double r_dyn_ohm) {
  require_positive(name, v_clamp_v, "v_clamp");
  require_positive(name, r_dyn_ohm, "r_dyn");
  Element& e = add('Z', name, a, b);
  e.value = v_clamp_v;
  e.series_r_ohm = r_dyn_ohm;
}

void TranCircuit::conductance(const std::string& name, const std::string& a, const std::string& b,
                              std::vector<PwlPoint> g_s) {
  require_pwl(name, g_s);
  add('G', name, a, b).pwl = std::move(g_s);
}

std::string write_spice_tran_netlist(const TranCircuit& circuit, const TranOptions& options,
                                     const std::filesystem::path& waveform_file) {
  if (!(options.stop_s > 0.0) || !(options.print_step_s > 0.0))
    throw InvalidInput("TranOptions", "stop_s and print_step_s must be positive");
  const std::string file = waveform_file.string();
  if (file.find_first_of(" \t\n\"'") != std::string::npos)
    throw InvalidInput("waveform_file", "ngspice's wrdata cannot take the path '" + file + "'",
                       "use a directory without spaces or quotes");

  // Which elements need an ammeter: recorded currents of R, C, I and B elements.
  std::vector<Signal> signals;
  for (const auto& name : options.signals) signals.push_back(parse_signal(name));
  auto find = [&](const std::string& name) -> const TranCircuit::Element& {
    for (const auto& e : circuit.elements())
      if (lower(e.name) == name) return e;
    throw InvalidInput(name, "no element '" + name + "' to record the current of");
  };
  auto ammeter = [](const TranCircuit::Element& e) { return e.kind != 'V' && e.kind != 'L'; };
  std::vector<std::string> metered;
  for (const auto& s : signals)
    if (s.kind == 'i' && ammeter(find(s.target))) metered.push_back(s.target);
  auto is_metered = [&](const std::string& name) {
    return std::find(metered.begin(), metered.end(), lower(name)) != metered.end();
  };

  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "* {} (grid2gpu transient harness)\n", circuit.title());
  fmt::format_to(it, ".options reltol={} abstol={} vntol={}\n", options.reltol, options.abstol_a,
                 options.vntol_v);
  for (const auto& e : circuit.elements()) {
    // A recorded element's terminal a moves to an ammeter node "<name>_am".
    std::string a = e.a;
    if (is_metered(e.name)) {
      a = e.name + "_am";
      fmt::format_to(it, "VAM_{} {} {} DC 0\n", e.name, e.a, a);
    }
    switch (e.kind) {
      case 'R':
        fmt::format_to(it, "R{} {} {} {:.17g}\n", e.name, a, e.b, e.value);
        break;
      case 'C': {
        const std::string inner = e.series_r_ohm != 0.0 ? e.name + "_esr" : e.b;
        if (e.series_r_ohm != 0.0)
          fmt::format_to(it, "RESR_{} {} {} {:.17g}\n", e.name, inner, e.b, e.series_r_ohm);
        fmt::format_to(it, "C{} {} {} {:.17g}{}\n", e.name, a, inner, e.value,
                       e.initial ? fmt::format(" IC={:.17g}", *e.initial) : std::string());
        break;
      }
      case 'L': {
        const std::string inner = e.series_r_ohm != 0.0 ? e.name + "_r" : e.b;
        if (e.series_r_ohm != 0.0)
          fmt::format_to(it, "RSER_{} {} {} {:.17g}\n", e.name, inner, e.b, e.series_r_ohm);
        fmt::format_to(it, "L{} {} {} {:.17g}{}\n", e.name, a, inner, e.value,
                       e.initial ? fmt::format(" IC={:.17g}", *e.initial) : std::string());
        break;
      }
      case 'V':
      case 'I':
        fmt::format_to(it, "{}{} {} {} {}\n", e.kind, e.name, a, e.b, pwl_source(e.pwl));
        break;
      case 'B':
        fmt::format_to(it, "B{} {} {} I={}/max(V({},{}),{:.17g})\n", e.name, a, e.b,
                       pwl_expression(e.pwl), a, e.b, e.v_floor_v);
        break;
      case 'S':
        fmt::format_to(it,
                       "V{0}_ctl {0}_ctl 0 {1}\nS{0} {2} {3} {0}_ctl 0 sw_{0}\n"
                       ".model sw_{0} sw vt=0.5 vh=0 ron={4:.17g} roff={5:.17g}\n",
                       e.name, pwl_source(e.pwl), a, e.b, e.value, e.r_off_ohm);
        break;
      case 'Z': {
        const std::string v = fmt::format("V({},{})", a, e.b);
        fmt::format_to(it,
                       "B{0} {1} {2} I=({3} > {4:.17g}) ? (({3} - {4:.17g}) / {5:.17g}) : "
                       "(({3} < -{4:.17g}) ? (({3} + {4:.17g}) / {5:.17g}) : 0)\n",
                       e.name, a, e.b, v, e.value, e.series_r_ohm);
        break;
      }
      case 'G':
        fmt::format_to(it, "B{} {} {} I={}*V({},{})\n", e.name, a, e.b, pwl_expression(e.pwl), a,
                       e.b);
        break;
      default:
        throw Error(ErrorKind::internal, fmt::format("element kind '{}' unknown", e.kind));
    }
  }
  std::string vectors;
  for (const auto& s : signals) {
    if (s.kind == 'v') {
      vectors += " v(" + s.target + ")";
      continue;
    }
    const auto& e = find(s.target);
    vectors += ammeter(e)
                   ? " i(vam_" + s.target + ")"
                   : fmt::format(" i({}{})", static_cast<char>(std::tolower(e.kind)), s.target);
  }
  // One time column and a header (wr_singlescale, wr_vecnames), 16 digits after the point;
  // `quit 0` because batch mode otherwise exits 1 for a deck without an analysis line.
  fmt::format_to(it, ".control\nset wr_singlescale\nset wr_vecnames\noption numdgt=16\n");
  fmt::format_to(it, "tran {:.17g} {:.17g} 0 {}{}\n", options.print_step_s, options.stop_s,
                 options.max_step_s > 0.0 ? fmt::format("{:.17g}", options.max_step_s)
                                          : fmt::format("{:.17g}", options.stop_s / 50.0),
                 options.use_initial_conditions ? " uic" : "");
  fmt::format_to(it, "wrdata {}{}\nquit 0\n.endc\n.end\n", file, vectors);
  return fmt::to_string(out);
}

TranWaveforms parse_wrdata(std::string_view text, const std::vector<std::string>& signals) {
  TranWaveforms w;
  w.names = signals;
  w.values.assign(signals.size(), {});
  const std::size_t columns = signals.size() + 1;
  std::istringstream in{std::string(text)};
  std::string line;
  std::getline(in, line);  // the header
  std::size_t row = 0;
  while (std::getline(in, line)) {
    ++row;
    std::istringstream fields(line);
    std::vector<double> numbers;
    std::string field;
    while (fields >> field) {
      char* end = nullptr;
      const double value = std::strtod(field.c_str(), &end);
      if (end == field.c_str() || *end != '\0')
        throw Error(ErrorKind::internal,
                    fmt::format("wrdata row {}: '{}' is not a number", row, field));
      numbers.push_back(value);
    }
    if (numbers.empty()) continue;
    if (numbers.size() != columns)
      throw Error(ErrorKind::internal, fmt::format("wrdata row {} has {} columns, expected {}", row,
                                                   numbers.size(), columns));
    w.time_s.push_back(numbers[0]);
    for (std::size_t k = 0; k < signals.size(); ++k) w.values[k].push_back(numbers[k + 1]);
  }
  if (w.time_s.empty()) throw Error(ErrorKind::internal, "wrdata wrote no rows");
  return w;
}

const std::vector<double>& TranWaveforms::operator[](std::string_view name) const {
  for (std::size_t k = 0; k < names.size(); ++k)
    if (lower(names[k]) == lower(name)) return values[k];
  throw InvalidInput(std::string(name), "signal '" + std::string(name) + "' was not recorded",
                     "add it to TranOptions::signals");
}

double TranWaveforms::at(std::string_view name, double t_s) const {
  const auto& v = (*this)[name];
  if (t_s <= time_s.front()) return v.front();
  if (t_s >= time_s.back()) return v.back();
  const auto hi = static_cast<std::size_t>(std::upper_bound(time_s.begin(), time_s.end(), t_s) -
                                           time_s.begin());
  const double f = (t_s - time_s[hi - 1]) / (time_s[hi] - time_s[hi - 1]);
  return v[hi - 1] + f * (v[hi] - v[hi - 1]);
}

TranWaveforms run_ngspice_tran(const TranCircuit& circuit, const TranOptions& options,
                               const std::filesystem::path& dir) {
  const auto netlist = dir / "tran.cir";
  const auto waveform = dir / "tran.dat";
  std::filesystem::remove(waveform);
  {
    std::ofstream file(netlist);
    file << write_spice_tran_netlist(circuit, options, waveform);
    if (!file) throw Error(ErrorKind::file, "cannot write " + netlist.string());
  }
  const auto result = run_command("ngspice -b '" + netlist.string() + "'");
  auto failure = [&](const std::string& what) {
    return Error(ErrorKind::internal, what + "\nngspice output:\n" + result.output.substr(0, 4000),
                 "read " + netlist.string());
  };
  if (result.exit_code != 0)
    throw failure(fmt::format("ngspice failed (exit {})", result.exit_code));
  std::ifstream file(waveform);
  if (!file) throw failure("ngspice wrote no waveform " + waveform.string());
  std::stringstream text;
  text << file.rdbuf();
  try {
    TranWaveforms w = parse_wrdata(text.str(), options.signals);
    w.output = result.output;
    return w;
  } catch (const Error& e) {
    throw failure(e.message());
  }
}

}  // namespace g2g::test
