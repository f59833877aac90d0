// File reading, atomic writing and the model-file front door (extension dispatch + validation).
//
// Atomic write: the content goes to a uniquely named temporary file in the target's own directory
// (rename(2) is atomic only within one file system), is fsync'ed, and is renamed over the target.
// A reader therefore sees either the old file or the complete new one, never a prefix, and a
// failure at any step (disk full, read-only directory, killed process) leaves no partial target.
// A crash between open and rename can leave a hidden ".name.tmp-*" file behind; it never has the
// target's name, so nothing mistakes it for output.
#include "g2g/io/files.hpp"

#include "g2g/study/study_file.hpp"

#include "g2g/io/converter_designs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>
#include <vector>

#include <fmt/format.h>

#include "g2g/model/loader.hpp"
#include "g2g/model/matpower.hpp"
#include "g2g/model/validate.hpp"
#include "g2g/topology/islands.hpp"

namespace g2g::io {

namespace fs = std::filesystem;

namespace {

std::string errno_text(int error_number) {
  return std::strerror(error_number);
}

// Throws FileError with the current errno, read before anything else can overwrite it.
[[noreturn]] void throw_errno(const fs::path& path, const char* operation) {
  const int error_number = errno;
  throw FileError(path, operation, errno_text(error_number));
}

// Closes a POSIX descriptor on scope exit unless released.
class FdGuard {
 public:
  explicit FdGuard(int fd) noexcept : fd_(fd) {}
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;
  ~FdGuard() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const noexcept { return fd_; }

 private:
  int fd_;
};

// A name no other writer (thread or process) will pick: pid, a process-wide counter and the
// clock. O_EXCL still guards against the unlikely collision.
fs::path temp_path_for(const fs::path& target, int attempt) {
  static std::atomic<unsigned> counter{0};
  const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
  // The target's name is cut so the temporary name stays within NAME_MAX (255) for any target.
  const std::string stem = target.filename().string().substr(0, 160);
  const std::string name =
      fmt::format(".{}.tmp-{}-{}-{:x}-{}", stem, static_cast<long>(::getpid()),
                  counter.fetch_add(1), static_cast<unsigned long long>(ticks), attempt);
  return target.parent_path() / name;
}

void write_all(int fd, std::string_view content, const fs::path& path) {
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw_errno(path, "write");
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
}

std::string lower_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool bus_in_range(model::BusIndex bus, std::size_t bus_count) {
  return bus >= 0 && static_cast<std::size_t>(bus) < bus_count;
}

// True when every bus reference of every element points at an existing bus. The loaders resolve
// ids to indices, so this only fails for hand-built or corrupted specs; topology code indexes
// arrays by these values and must not see them.
bool bus_references_valid(const model::ModelSpec& model) {
  const std::size_t n = model.buses.size();
  auto ok = [n](model::BusIndex bus) { return bus_in_range(bus, n); };
  return std::all_of(model.sources.begin(), model.sources.end(),
                     [&](const auto& e) { return ok(e.bus); }) &&
         std::all_of(model.lines.begin(), model.lines.end(),
                     [&](const auto& e) { return ok(e.from) && ok(e.to); }) &&
         std::all_of(model.transformers.begin(), model.transformers.end(),
                     [&](const auto& e) { return ok(e.hv) && ok(e.lv); }) &&
         std::all_of(model.switches.begin(), model.switches.end(),
                     [&](const auto& e) { return ok(e.from) && ok(e.to); }) &&
         std::all_of(model.converters.begin(), model.converters.end(),
                     [&](const auto& e) { return ok(e.input) && ok(e.output); }) &&
         std::all_of(model.loads.begin(), model.loads.end(),
                     [&](const auto& e) { return ok(e.bus); }) &&
         std::all_of(model.storage.begin(), model.storage.end(),
                     [&](const auto& e) { return ok(e.bus); });
}

}  // namespace

FileError::FileError(fs::path path, std::string operation, std::string reason)
    : Error(ErrorKind::file, fmt::format("cannot {} '{}': {}", operation, path.string(), reason)),
      path_(std::move(path)),
      operation_(std::move(operation)),
      reason_(std::move(reason)) {}

std::string read_text_file(const fs::path& path, std::size_t spare_capacity) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno(path, "read");
  FdGuard guard(fd);

  struct stat info {};
  if (::fstat(fd, &info) != 0) throw_errno(path, "read");
  if (S_ISDIR(info.st_mode)) throw FileError(path, "read", "is a directory");

  std::string text;
  // Regular files: one allocation of the right size. Pipes and /proc files report 0 and grow.
  if (S_ISREG(info.st_mode) && info.st_size > 0)
    text.reserve(static_cast<std::size_t>(info.st_size) + spare_capacity);
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw_errno(path, "read");
    }
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
  }
  if (text.capacity() - text.size() < spare_capacity) text.reserve(text.size() + spare_capacity);
  return text;
}

AtomicFileWriter::AtomicFileWriter(const fs::path& path) {
  if (!path.has_filename())
    throw FileError(path, "write", "the path names a directory, not a file");
  dir_ = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  target_ = dir_ / path.filename();

  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw FileError(dir_, "create directory", ec.message());
  if (fs::is_directory(target_, ec))
    throw FileError(target_, "write", "a directory of that name exists");

  // 0666 so the process umask decides the final mode, as for any ordinary file it creates.
  for (int attempt = 0; attempt < 16 && fd_ < 0; ++attempt) {
    temp_ = temp_path_for(target_, attempt);
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0 && errno != EEXIST) break;
  }
  if (fd_ < 0) throw_errno(target_, "write");
}

AtomicFileWriter::~AtomicFileWriter() {
  if (committed_) return;
  if (fd_ >= 0) ::close(fd_);
  ::unlink(temp_.c_str());
}

void AtomicFileWriter::write(std::string_view piece) {
  write_all(fd_, piece, target_);
  written_ += piece.size();
#ifdef SYNC_FILE_RANGE_WRITE
  // Start writing the file out to disk while the rest is still being produced, so that the
  // fsync in commit() waits only for the tail. Only a head start: commit() still fsyncs all.
  constexpr std::uint64_t flush_every = 8u << 20;
  if (written_ - flush_started_ >= flush_every) {
    ::sync_file_range(fd_, static_cast<off_t>(flush_started_),
                      static_cast<off_t>(written_ - flush_started_), SYNC_FILE_RANGE_WRITE);
    flush_started_ = written_;
  }
#endif
}

void AtomicFileWriter::commit() {
  if (::fsync(fd_) != 0) throw_errno(target_, "write");
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw_errno(target_, "write");  // where a deferred write error surfaces
  if (::rename(temp_.c_str(), target_.c_str()) != 0) throw_errno(target_, "write");
  committed_ = true;

  // Make the rename itself durable. Best effort: some file systems refuse fsync on directories,
  // and by now the target is complete either way.
  const int dir_fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

void write_file_atomic(const fs::path& path, std::string_view content) {
  AtomicFileWriter file(path);
  file.write(content);
  file.commit();
}

void write_file_atomic(const fs::path& path, std::span<const std::string> pieces) {
  AtomicFileWriter file(path);
  for (const std::string& piece : pieces) file.write(piece);
  file.commit();
}

core::DiagnosticList check_model(const model::ModelSpec& model) {
  if (bus_references_valid(model)) {
    // The two checks only read the model; on a large one each takes milliseconds, so they run
    // side by side. The topology's diagnostics still follow validation's.
    constexpr std::size_t large_model = 10000;
    std::future<core::DiagnosticList> graph;
    if (model.buses.size() >= large_model)
      graph = std::async(std::launch::async, [&model] { return topology::check_topology(model); });
    core::DiagnosticList diagnostics = model::validate_model(model);
    diagnostics.append(graph.valid() ? graph.get() : topology::check_topology(model));
    return diagnostics;
  }
  core::DiagnosticList diagnostics = model::validate_model(model);
  if (!diagnostics.has_errors()) {
    // validate_model should have caught this; never let it through silently.
    diagnostics.error({model.source_file, 0, 0},
                      "an element refers to a bus index that does not exist",
                      "this is a bug in the loader that built the model; please report it");
  }
  return diagnostics;
}

model::ModelSpec read_model(const fs::path& path, core::DiagnosticList* warnings,
                            const model::LoadOptions& options) {
  const std::string file_name = path.string();
  const std::string ext = lower_extension(path);
  enum class Kind { yaml, json, matpower, unknown };
  const Kind kind = (ext == ".yaml" || ext == ".yml") ? Kind::yaml
                    : ext == ".json"                  ? Kind::json
                    : ext == ".m"                     ? Kind::matpower
                                                      : Kind::unknown;

  core::DiagnosticList problems;
  if (kind == Kind::unknown) {
    problems.error({file_name, 0, 0},
                   ext.empty()
                       ? std::string("model file has no extension, so its format is unknown")
                       : fmt::format("unknown model file extension '{}'", ext),
                   "name the file .yaml or .yml (YAML model), .json (JSON model) or .m (MATPOWER "
                   "case); `grid2gpu import CASE.m -o MODEL.yaml` converts a MATPOWER case");
  }
  std::string text;
  try {
    text = read_text_file(path, kind == Kind::json ? model::json_padding : 0);
  } catch (const FileError& error) {
    problems.error({file_name, 0, 0}, fmt::format("cannot read model file: {}", error.reason()),
                   "check the path and that the file is readable");
  }
  if (kind == Kind::matpower && !options.parameters.empty())
    problems.error({file_name, 0, 0}, "a MATPOWER case has no parameters to set",
                   "drop --set, or import the case to YAML and declare parameters there");
  if (kind == Kind::yaml && study::looks_like_study(text))
    problems.error(
        {file_name, 0, 0}, "this is a study file (grid2gpu_study), not a model",
        fmt::format("compare the models it names with `grid2gpu compare {}`", file_name));
  if (problems.has_errors()) throw core::ModelError(std::move(problems));

  model::ModelSpec spec;
  switch (kind) {
    case Kind::yaml:
      spec = model::load_yaml(text, file_name, options);
      break;
    case Kind::json: {
      model::LoadOptions in_place = options;
      in_place.readable_after_text = text.capacity() - text.size();
      spec = model::load_json(text, file_name, in_place);
      break;
    }
    case Kind::matpower:
      spec = model::import_matpower(text, file_name);
      break;
    case Kind::unknown:
      break;  // thrown above
  }
  if (spec.source_file.empty()) spec.source_file = file_name;
  // Converters given by a physics design get their efficiency curve from it (after loading,
  // which checked their other fields; before the topology checks, which need no efficiency).
  resolve_converter_designs(spec, path.parent_path());

  core::DiagnosticList diagnostics = check_model(spec);
  if (diagnostics.has_errors()) throw core::ModelError(std::move(diagnostics));
  if (warnings != nullptr) warnings->append(diagnostics);
  return spec;
}

bool resolves_inside(const std::filesystem::path& dir, const std::filesystem::path& inside) {
  std::error_code ec;
  const std::filesystem::path base = std::filesystem::weakly_canonical(dir, ec);
  if (ec) return false;
  const std::filesystem::path target = std::filesystem::weakly_canonical(inside, ec);
  if (ec) return false;
  auto t = target.begin();
  for (auto b = base.begin(); b != base.end(); ++b, ++t)
    if (t == target.end() || *b != *t) return false;
  return true;
}

}  // namespace g2g::io
