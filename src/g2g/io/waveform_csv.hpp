// Recorded waveforms as CSV, streamed: `grid2gpu simulate --record SIGNALS --every STEP` writes
// one row per output time as the run goes, so memory stays bounded by one buffer whatever the
// run's length. The file is written completely or not at all (AtomicFileWriter).
// docs/dynamic.md, "Outputs".
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "g2g/io/files.hpp"

namespace g2g::io {

// Columns: t_s, then one per recorded signal (named with its unit, e.g. "grid_power_w"). Numbers
// in their shortest round-trip form (std::to_chars); a non-finite value is an empty field.
class WaveformCsvWriter {
 public:
  // Creates the temporary file beside `path` and writes the header. Throws FileError, or
  // InvalidInput (subject "columns") when there is no column or a name is empty or repeated.
  WaveformCsvWriter(const std::filesystem::path& path, std::vector<std::string> columns);

  // One row. Throws InvalidInput (subject "row") when values do not match the columns or t_s is
  // not finite or comes before the last row's; FileError when the disk refuses it.
  void add_row(double t_s, std::span<const double> values);

  // Writes what is buffered, flushes the file to disk and renames it over `path`. Without it
  // (an exception, or the writer destroyed early), the temporary file is removed and an existing
  // file at `path` stays as it was.
  void commit();

  [[nodiscard]] std::size_t rows() const noexcept { return rows_; }
  [[nodiscard]] const std::vector<std::string>& columns() const noexcept { return columns_; }

 private:
  void flush_buffer();

  AtomicFileWriter file_;
  std::vector<std::string> columns_;
  std::string buffer_;  // rows not yet written, up to about buffer_bytes
  std::size_t rows_ = 0;
  double last_t_s_ = 0.0;
};

}  // namespace g2g::io
