// Where the time of one whole `grid2gpu solve MODEL.json --json OUT` goes: runs the same library
// calls as the CLI, in one fresh process as the CLI does, and prints each phase's wall and CPU
// time. Then, after those, it times the two halves of api::validate apart, and formats the
// results JSON again and writes it by plain write(2) and fsync(2), timed apart, to show how much
// of writing is fsync.
// Figures and the command line: docs/benchmarks.md.
//
//   g2g_process_phases MODEL.json OUT.json
#include <fcntl.h>
#include <fmt/format.h>
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <string>

#include "g2g/api/model.hpp"
#include "g2g/io/files.hpp"
#include "g2g/io/results_json.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/model/validate.hpp"
#include "g2g/steady/solver.hpp"
#include "g2g/topology/islands.hpp"

namespace {

double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

class Phases {
 public:
  void lap(const char* name) {
    const auto wall = std::chrono::steady_clock::now();
    const double cpu = cpu_seconds();
    fmt::print("{:<28} wall {:7.1f} ms   cpu {:7.1f} ms\n", name,
               1e3 * std::chrono::duration<double>(wall - wall_).count(), 1e3 * (cpu - cpu_));
    wall_ = wall;
    cpu_ = cpu;
  }

 private:
  std::chrono::steady_clock::time_point wall_ = std::chrono::steady_clock::now();
  double cpu_ = cpu_seconds();
};

}  // namespace

int main(int argc, char** argv) {
  using namespace g2g;
  if (argc < 3) {
    fmt::print(stderr, "usage: g2g_process_phases MODEL.json OUT.json\n");
    return 2;
  }
  // As the CLI's main() does.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_ARENA_MAX, 1);
  const std::string model_path = argv[1];
  const std::string out_path = argv[2];
  Phases phases;
  // As api::load_model does: room after the text, so that the parser reads it in place.
  const std::string text = io::read_text_file(model_path, model::json_padding);
  phases.lap("read file");
  model::LoadOptions in_place;
  in_place.readable_after_text = text.capacity() - text.size();
  model::ParsedModel parsed = model::parse_json(text, model_path, in_place);
  phases.lap("parse_json");
  const api::ValidatedModel validated = api::validate(std::move(parsed), api::ModelOptions{});
  phases.lap("api::validate");
  const model::ModelSpec& model = validated.spec();
  const steady::SolveResult result = steady::solve(model);
  phases.lap("steady::solve");
  io::write_results_json(out_path, model, result);
  phases.lap("write_results_json");

  // The two halves of api::validate apart (they run side by side there on large models), and
  // steady::solve repeats the analysis check_topology makes (docs/benchmarks.md).
  (void)model::validate_model(model);
  phases.lap("  of it validate_model");
  (void)topology::check_topology(model);
  phases.lap("  of it check_topology");

  const std::string document = io::format_results_json(model, result);
  phases.lap("format_results_json");
  const std::string plain_path = out_path + ".plain";
  const int fd = ::open(plain_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return 1;
  std::size_t done = 0;
  while (done < document.size()) {
    const ssize_t n = ::write(fd, document.data() + done, document.size() - done);
    if (n <= 0) return 1;
    done += static_cast<std::size_t>(n);
  }
  phases.lap(fmt::format("write(2) {} MB", document.size() >> 20).c_str());
  if (::fsync(fd) != 0) return 1;
  phases.lap("fsync(2)");
  ::close(fd);
  ::unlink(plain_path.c_str());
  return 0;
}
