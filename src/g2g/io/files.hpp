// File access for the CLI and the Python module. The library proper (model/, steady/) never
// touches files; this module is where paths become text and text becomes files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "g2g/core/error.hpp"

namespace g2g::io {

// A file could not be read or written. Carries the path and the operating system's reason, so
// callers can tell "your file" problems from internal errors without parsing the message.
class FileError : public Error {
 public:
  FileError(std::filesystem::path path, std::string operation, std::string reason);
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  [[nodiscard]] const std::string& operation() const noexcept { return operation_; }
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  std::filesystem::path path_;
  std::string operation_;  // "read", "write", "create directory", ...
  std::string reason_;     // strerror text, e.g. "No such file or directory"
};

// How much one read may take (docs/security.md): a model file, and every other file grid2gpu
// reads (SPEC, part, material, study, assumption set, claims, table files), which are small.
inline constexpr std::uint64_t max_model_file_bytes = std::uint64_t{2} << 30;  // 2 GiB
inline constexpr std::uint64_t max_data_file_bytes = std::uint64_t{64} << 20;  // 64 MiB

// Reads a whole regular file; throws FileError naming the path and the reason. Only regular
// files are read: a FIFO, a device, a socket or a directory is refused without blocking (the
// file is opened O_NONBLOCK and checked with fstat before any read), and a file larger than
// `max_bytes` is refused before it is read. The string's capacity leaves at least
// `spare_capacity` bytes after the text (see model::LoadOptions::readable_after_text).
std::string read_text_file(const std::filesystem::path& path, std::size_t spare_capacity = 0,
                           std::uint64_t max_bytes = max_data_file_bytes);

// True when `inside`, with symbolic links resolved, lies in `dir` (also resolved): the check a
// file named by another file must pass, since a lexical check cannot see a link that points
// elsewhere. False when either cannot be resolved.
bool resolves_inside(const std::filesystem::path& dir, const std::filesystem::path& inside);

// The policy for a file that another file names (docs/model-format.md, "Files a model refers
// to"): `written` is relative to `dir`, the referring file's directory, and must resolve
// (symbolic links followed) inside `dir` or inside one of `allowed` (the user's --allow-path
// directories). Returns why not, or an empty string when the file may be read.
std::string reference_problem(const std::filesystem::path& dir,
                              const std::filesystem::path& written,
                              std::span<const std::filesystem::path> allowed);

// Throws FileError when `output` is the same file as one of `inputs` (by device and inode,
// whatever the paths say), so that no command writes its results over what it read.
void check_output_is_not_input(const std::filesystem::path& output,
                               std::span<const std::filesystem::path> inputs);

// Writes `content` to `path` completely or not at all: a temporary file in the same directory is
// written, flushed and renamed over the target. Creates missing parent directories. On failure
// the temporary file is removed, an existing target is left untouched, and FileError is thrown.
// Only a new path, a regular file or a symbolic link (the link, not what it points to) is
// replaced; a directory, device node, FIFO or socket of that name is refused.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);
// The same for content held in consecutive pieces (large outputs formatted in chunks), which
// spares joining them into one string first.
void write_file_atomic(const std::filesystem::path& path, std::span<const std::string> pieces);

// A file written completely or not at all, in pieces: write_file_atomic's guarantees for content
// produced as it is written (large results formatted block by block), so that it is never held
// whole in memory. The constructor creates the temporary file (and missing parent directories);
// commit() flushes it to disk and renames it over the target. Destroyed without commit() (an
// exception while writing), it removes the temporary file and leaves the target untouched. Every
// failure throws FileError.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(const std::filesystem::path& path);
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  ~AtomicFileWriter();

  void write(std::string_view piece);
  void commit();

 private:
  std::filesystem::path dir_;
  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  std::uint64_t written_ = 0;
  std::uint64_t flush_started_ = 0;  // bytes handed to the disk ahead of commit()
  bool committed_ = false;
};

}  // namespace g2g::io
