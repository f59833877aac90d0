// Streamed waveform CSV: see waveform_csv.hpp.
#include "g2g/io/waveform_csv.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "g2g/core/error.hpp"
#include "g2g/io/result_labels.hpp"

namespace g2g::io {

namespace {

// Rows are gathered into blocks of about this size before a write(2): large enough that the
// system call's cost vanishes, small enough to be nothing beside the run's own memory.
constexpr std::size_t buffer_bytes = std::size_t{1} << 20;

// RFC 4180: a field with a comma, quote or line break is quoted, inner quotes doubled.
void append_csv_text(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (const char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::vector<std::string> checked_columns(std::vector<std::string> columns) {
  if (columns.empty())
    throw InvalidInput("columns", "no signal to record", "name at least one signal");
  std::vector<std::string> sorted = columns;
  sorted.push_back("t_s");
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i].empty()) throw InvalidInput("columns", "a column has no name");
    if (i > 0 && sorted[i] == sorted[i - 1])
      throw InvalidInput("columns", fmt::format("column '{}' is named twice", sorted[i]),
                         "record each signal once (t_s is the first column already)");
  }
  return columns;
}

}  // namespace

WaveformCsvWriter::WaveformCsvWriter(const std::filesystem::path& path,
                                     std::vector<std::string> columns)
    : file_(path), columns_(checked_columns(std::move(columns))) {
  buffer_.reserve(buffer_bytes + 4096);
  buffer_ += "t_s";
  for (const std::string& column : columns_) {
    buffer_.push_back(',');
    append_csv_text(buffer_, column);
  }
  buffer_.push_back('\n');
}

void WaveformCsvWriter::add_row(double t_s, std::span<const double> values) {
  if (values.size() != columns_.size())
    throw InvalidInput(
        "row",
        fmt::format("{} values for {} columns at t = {} s", values.size(), columns_.size(), t_s),
        "give one value per recorded signal");
  if (!std::isfinite(t_s) || (rows_ > 0 && t_s < last_t_s_))
    throw InvalidInput(
        "row",
        fmt::format("t = {} s is not finite or comes before the last row's {} s", t_s, last_t_s_),
        "add rows in time order");
  append_shortest(buffer_, t_s);
  for (const double value : values) {
    buffer_.push_back(',');
    append_shortest(buffer_, value);  // appends nothing for NaN or infinity: an empty field
  }
  buffer_.push_back('\n');
  ++rows_;
  last_t_s_ = t_s;
  if (buffer_.size() >= buffer_bytes) flush_buffer();
}

void WaveformCsvWriter::flush_buffer() {
  file_.write(buffer_);
  buffer_.clear();
}

void WaveformCsvWriter::commit() {
  flush_buffer();
  file_.commit();
}

}  // namespace g2g::io
