// File reading, atomic writing and the model-file front door (extension dispatch + validation).
//
// Atomic write: the content goes to a uniquely named temporary file in the target's own directory
// (rename(2) is atomic only within one file system), is fsync'ed, and is renamed over the target.
// A reader therefore sees either the old file or the complete new one, never a prefix, and a
// failure at any step (disk full, read-only directory, killed process) leaves no partial target.
// A crash between open and rename can leave a hidden ".name.tmp-*" file behind; it never has the
// target's name, so nothing mistakes it for output.
#include "g2g/io/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include <fmt/format.h>

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

// What a non-regular file is, for messages.
const char* file_type_name(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return "a directory";
  return "not a regular file";
}

std::string megabytes(std::uint64_t bytes) {
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

// `at_least`: the file grew while it was read, so its final size is not known.
std::string too_large(std::uint64_t bytes, std::uint64_t max_bytes, bool at_least) {
  return fmt::format("is {}{}, over the limit of {} for this kind of file", megabytes(bytes),
                     at_least ? " or more" : "", megabytes(max_bytes));
}

// An output replaces only a regular file (or a symbolic link, which rename replaces, never what
// it points to): renaming over a device node, a FIFO or a socket would destroy it (as root,
// `--json /dev/null` would replace the device).
void check_replaceable(const fs::path& target) {
  struct stat info {};
  if (::lstat(target.c_str(), &info) != 0) return;  // a new file
  if (S_ISDIR(info.st_mode)) throw FileError(target, "write", "a directory of that name exists");
  if (!S_ISREG(info.st_mode) && !S_ISLNK(info.st_mode))
    throw FileError(
        target, "write",
        fmt::format("it is {}; grid2gpu writes only regular files", file_type_name(info.st_mode)));
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

}  // namespace

FileError::FileError(fs::path path, std::string operation, std::string reason)
    : Error(ErrorKind::file, fmt::format("cannot {} '{}': {}", operation, path.string(), reason)),
      path_(std::move(path)),
      operation_(std::move(operation)),
      reason_(std::move(reason)) {}

std::string read_text_file(const fs::path& path, std::size_t spare_capacity,
                           std::uint64_t max_bytes) {
  // O_NONBLOCK: opening a FIFO with no writer must not wait; fstat then refuses it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) throw_errno(path, "read");
  FdGuard guard(fd);

  struct stat info {};
  if (::fstat(fd, &info) != 0) throw_errno(path, "read");
  if (S_ISDIR(info.st_mode)) throw FileError(path, "read", "is a directory");
  if (!S_ISREG(info.st_mode))
    throw FileError(path, "read",
                    fmt::format("is not a regular file but {}; grid2gpu reads only regular files",
                                file_type_name(info.st_mode)));
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (size > max_bytes) throw FileError(path, "read", too_large(size, max_bytes, false));

  std::string text;
  text.reserve(static_cast<std::size_t>(size) + spare_capacity);
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw_errno(path, "read");
    }
    if (got == 0) break;
    // A file that grows while it is read is held to the same limit.
    if (text.size() + static_cast<std::size_t>(got) > max_bytes)
      throw FileError(path, "read",
                      too_large(text.size() + static_cast<std::size_t>(got), max_bytes, true));
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
  check_replaceable(target_);

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
  check_replaceable(target_);  // again: something else may have been put there meanwhile
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

void check_output_is_not_input(const fs::path& output, std::span<const fs::path> inputs) {
  for (const fs::path& input : inputs) {
    std::error_code ec;
    if (fs::equivalent(output, input, ec))
      throw FileError(output, "write",
                      fmt::format("it is an input of this run ('{}'); name another output file",
                                  input.string()));
  }
}

std::string reference_problem(const fs::path& dir, const fs::path& written,
                              std::span<const fs::path> allowed) {
  const fs::path base = dir.empty() ? fs::path(".") : dir;
  const fs::path target = written.is_absolute() ? written : base / written;
  if (resolves_inside(base, target)) return {};
  for (const fs::path& root : allowed)
    if (resolves_inside(root, target)) return {};
  return fmt::format(
      "resolves outside '{}'{}", base.string(),
      allowed.empty() ? std::string() : std::string(" and outside every directory allowed"));
}

}  // namespace g2g::io
