// pgm_bench: power-grid-model v1.10.56 (C++ core, in memory) on a network written by
// `g2g_synth ac-radial N --pgm FILE`: the peer in docs/benchmarks.md's side-by-side benchmark.
//
//   pgm_bench FILE [--warm N] [--voltages OUT]
//
// Prints one JSON line of wall-clock seconds: "read" (parse the interchange file), "build"
// (MainModel construction from the in-memory input), "first" (the first Newton-Raphson
// calculate, which also builds topology, Y-bus structure and the solver), "warm" (each of N
// later calculates on the same model: power-grid-model keeps topology, structure and solver,
// and starts each from its linear solution), and "cold" = build + first (the in-memory cold
// path). Every component's results are written (node, line, source, sym_load). --voltages writes
// "node u_pu u_angle_rad" rows for the agreement check.
//
// The utility is an ideal slack in grid2gpu; power-grid-model's source has an internal
// impedance u^2/sk, so sk is set to 1e20 VA (1e-14 pu at 1 MVA base): its drop, below 1e-12 pu
// at these loads, is within the agreement reported.
#include <power_grid_model/auxiliary/meta_data_gen.hpp>
#include <power_grid_model/main_model.hpp>

#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace pgm = power_grid_model;

namespace {

struct Network {
  double frequency_hz = 50.0;
  std::vector<pgm::NodeInput> node;
  std::vector<pgm::LineInput> line;
  std::vector<pgm::SourceInput> source;
  std::vector<pgm::SymLoadGenInput> sym_load;

  [[nodiscard]] pgm::ConstDataset dataset() const {
    pgm::ConstDataset data{false, 1, "input", pgm::meta_data::meta_data_gen::meta_data};
    data.add_buffer("node", node.size(), node.size(), nullptr, node.data());
    data.add_buffer("line", line.size(), line.size(), nullptr, line.data());
    data.add_buffer("source", source.size(), source.size(), nullptr, source.data());
    data.add_buffer("sym_load", sym_load.size(), sym_load.size(), nullptr, sym_load.data());
    return data;
  }
};

void expect(std::istream& in, const char* word) {
  std::string token;
  if (!(in >> token) || token != word)
    throw std::runtime_error(std::string("interchange file: expected '") + word + "'");
}

// Ids: nodes 0..N-1, then lines, the source and loads numbered on (pgm ids are unique per model).
Network read(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  Network net;
  int version = 0;
  expect(in, "g2g-ac-radial");
  in >> version;
  expect(in, "frequency_hz");
  in >> net.frequency_hz;
  std::size_t nodes = 0;
  double u_rated_v = 0.0;
  expect(in, "nodes");
  in >> nodes >> u_rated_v;
  pgm::ID next_id = 0;
  net.node.reserve(nodes);
  for (std::size_t i = 0; i < nodes; ++i)
    net.node.push_back(pgm::NodeInput{.id = next_id++, .u_rated = u_rated_v});
  pgm::ID source_node = 0;
  double u_ref_pu = 1.0;
  expect(in, "source");
  in >> source_node >> u_ref_pu;
  std::size_t lines = 0;
  expect(in, "lines");
  in >> lines;
  net.line.reserve(lines);
  for (std::size_t k = 0; k < lines; ++k) {
    pgm::LineInput l{};
    l.id = next_id++;
    in >> l.from_node >> l.to_node >> l.r1 >> l.x1;
    l.from_status = 1;
    l.to_status = 1;
    l.c1 = 0.0;
    l.tan1 = 0.0;
    l.r0 = l.r1;
    l.x0 = l.x1;
    l.c0 = 0.0;
    l.tan0 = 0.0;
    l.i_n = 1e3;
    net.line.push_back(l);
  }
  net.source.push_back(pgm::SourceInput{.id = next_id++,
                                        .node = source_node,
                                        .status = 1,
                                        .u_ref = u_ref_pu,
                                        .u_ref_angle = 0.0,
                                        .sk = 1e20,
                                        .rx_ratio = nan,
                                        .z01_ratio = nan});
  std::size_t loads = 0;
  expect(in, "loads");
  in >> loads;
  net.sym_load.reserve(loads);
  for (std::size_t k = 0; k < loads; ++k) {
    pgm::SymLoadGenInput d{};
    d.id = next_id++;
    in >> d.node >> d.p_specified >> d.q_specified;
    d.status = 1;
    d.type = pgm::LoadGenType::const_pq;
    net.sym_load.push_back(d);
  }
  if (!in) throw std::runtime_error("interchange file " + path + " is truncated");
  return net;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs("usage: pgm_bench FILE [--warm N] [--voltages OUT]\n", stderr);
    return 2;
  }
  int warm_count = 5;
  std::string voltages_path;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--warm")
      warm_count = std::atoi(argv[i + 1]);
    else if (flag == "--voltages")
      voltages_path = argv[i + 1];
  }
  // The allocator settings of grid2gpu's CLI (apps/cli/main.cpp), for both tools alike: freed
  // memory stays in the heap for the next solve instead of being faulted in again.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_ARENA_MAX, 1);
  try {
    auto start = std::chrono::steady_clock::now();
    const Network net = read(argv[1]);
    const double read_s = seconds_since(start);

    // Every component's results, as grid2gpu's solve produces every element's.
    std::vector<pgm::NodeOutput<pgm::symmetric_t>> node_out(net.node.size());
    std::vector<pgm::BranchOutput<pgm::symmetric_t>> line_out(net.line.size());
    std::vector<pgm::ApplianceOutput<pgm::symmetric_t>> source_out(net.source.size());
    std::vector<pgm::ApplianceOutput<pgm::symmetric_t>> load_out(net.sym_load.size());
    pgm::MutableDataset output{false, 1, "sym_output", pgm::meta_data::meta_data_gen::meta_data};
    output.add_buffer("node", node_out.size(), node_out.size(), nullptr, node_out.data());
    output.add_buffer("line", line_out.size(), line_out.size(), nullptr, line_out.data());
    output.add_buffer("source", source_out.size(), source_out.size(), nullptr, source_out.data());
    output.add_buffer("sym_load", load_out.size(), load_out.size(), nullptr, load_out.data());
    const pgm::MainModel::Options options{
        .calculation_type = pgm::CalculationType::power_flow,
        .calculation_symmetry = pgm::CalculationSymmetry::symmetric,
        .calculation_method = pgm::CalculationMethod::newton_raphson,
        .err_tol = 1e-8,
        .max_iter = 20};

    start = std::chrono::steady_clock::now();
    pgm::MainModel model{net.frequency_hz, net.dataset()};
    const double build_s = seconds_since(start);
    start = std::chrono::steady_clock::now();
    model.calculate(options, output);
    const double first_s = seconds_since(start);
    std::vector<double> warm_s;
    for (int k = 0; k < warm_count; ++k) {
      start = std::chrono::steady_clock::now();
      model.calculate(options, output);
      warm_s.push_back(seconds_since(start));
    }
    double iterations = -1.0;
    for (const auto& [key, value] : model.calculation_info())
      if (key.find("iterations") != std::string::npos) iterations = value;

    std::printf(
        "{\"nodes\": %zu, \"read\": %.9g, \"build\": %.9g, \"first\": %.9g, "
        "\"cold\": %.9g, \"iterations\": %g, \"warm\": [",
        net.node.size(), read_s, build_s, first_s, build_s + first_s, iterations);
    for (std::size_t k = 0; k < warm_s.size(); ++k)
      std::printf("%s%.9g", k == 0 ? "" : ", ", warm_s[k]);
    std::printf("]}\n");
    if (!voltages_path.empty()) {
      std::FILE* file = std::fopen(voltages_path.c_str(), "w");
      if (file == nullptr) throw std::runtime_error("cannot write " + voltages_path);
      for (const auto& n : node_out)
        std::fprintf(file, "%lld %.17g %.17g\n", static_cast<long long>(n.id), n.u_pu, n.u_angle);
      std::fclose(file);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pgm_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
