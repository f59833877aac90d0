// Streamed waveform CSV: rows read back to the exact doubles, a non-finite value is an empty
// field, and a writer abandoned before commit() leaves no file and an existing target intact.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "g2g/core/error.hpp"
#include "g2g/io/files.hpp"
#include "g2g/io/waveform_csv.hpp"
#include "support/test_support.hpp"

namespace g2g::io {
namespace {

namespace fs = std::filesystem;

std::vector<std::vector<std::string>> read_csv(const fs::path& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream text(read_text_file(path));
  for (std::string line; std::getline(text, line);) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
      fields.push_back(line.substr(start, comma - start));
    fields.push_back(line.substr(start));
    rows.push_back(std::move(fields));
  }
  return rows;
}

double parsed(const std::string& field) {
  double value = 0.0;
  const auto result = std::from_chars(field.data(), field.data() + field.size(), value);
  EXPECT_EQ(result.ec, std::errc()) << field;
  EXPECT_EQ(result.ptr, field.data() + field.size()) << field;
  return value;
}

std::size_t entries(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++n;
  return n;
}

TEST(WaveformCsv, RowsReadBackExactly) {
  const fs::path dir = test::scratch_dir("io-waveform-rows");
  const fs::path path = dir / "waveforms.csv";
  std::vector<std::vector<double>> written;
  {
    WaveformCsvWriter writer(path, {"grid_power_w", "bus 'dc,1' voltage_v"});
    // Enough rows to pass the 1 MiB buffer several times.
    for (int i = 0; i < 60'000; ++i) {
      const double t = 1e-3 * i + 1e-4 / 3.0;
      written.push_back({t, 1e6 + 0.1 * std::sin(t), 800.0 / 3.0 + t});
      writer.add_row(t, std::span<const double>(written.back()).subspan(1));
    }
    EXPECT_EQ(writer.rows(), 60'000u);
    writer.commit();
  }
  const auto rows = read_csv(path);
  ASSERT_EQ(rows.size(), written.size() + 1);
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"t_s", "grid_power_w", "\"bus 'dc", "1' voltage_v\""}));
  for (std::size_t i = 0; i < written.size(); ++i) {
    ASSERT_EQ(rows[i + 1].size(), 3u);
    for (std::size_t c = 0; c < 3; ++c) EXPECT_EQ(parsed(rows[i + 1][c]), written[i][c]);
  }
  EXPECT_EQ(entries(dir), 1u);  // no temporary file left
}

TEST(WaveformCsv, NonFiniteValuesAreEmptyFields) {
  const fs::path path = test::scratch_dir("io-waveform-nan") / "w.csv";
  WaveformCsvWriter writer(path, {"a", "b"});
  const std::vector<double> values{std::nan(""), std::numeric_limits<double>::infinity()};
  writer.add_row(0.5, values);
  writer.commit();
  EXPECT_EQ(read_text_file(path), "t_s,a,b\n0.5,,\n");
}

TEST(WaveformCsv, AnAbandonedWriterLeavesNoFileAndTheOldTargetIntact) {
  const fs::path dir = test::scratch_dir("io-waveform-abandon");
  const fs::path fresh = dir / "fresh.csv";
  const fs::path existing = dir / "existing.csv";
  write_file_atomic(existing, "old content\n");
  {
    WaveformCsvWriter a(fresh, {"p_w"});
    WaveformCsvWriter b(existing, {"p_w"});
    const double value = 1.0;
    for (int i = 0; i < 300'000; ++i) {  // past the buffer: part of it is on disk already
      a.add_row(i, {&value, 1});
      b.add_row(i, {&value, 1});
    }
    EXPECT_EQ(entries(dir), 3u);  // existing.csv and two temporary files
  }
  EXPECT_FALSE(fs::exists(fresh));
  EXPECT_EQ(read_text_file(existing), "old content\n");
  EXPECT_EQ(entries(dir), 1u);

  // An exception while writing rows abandons the file the same way.
  try {
    WaveformCsvWriter writer(existing, {"p_w"});
    const double value = 1.0;
    writer.add_row(1.0, {&value, 1});
    writer.add_row(0.5, {&value, 1});  // before the last row: throws
    writer.commit();
    FAIL() << "a row out of time order was accepted";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.subject(), "row");
  }
  EXPECT_EQ(read_text_file(existing), "old content\n");
  EXPECT_EQ(entries(dir), 1u);
}

TEST(WaveformCsv, RejectsBadColumnsAndRows) {
  const fs::path dir = test::scratch_dir("io-waveform-bad");
  EXPECT_THROW(WaveformCsvWriter(dir / "a.csv", {}), InvalidInput);
  EXPECT_THROW(WaveformCsvWriter(dir / "b.csv", {"p_w", "p_w"}), InvalidInput);
  EXPECT_THROW(WaveformCsvWriter(dir / "c.csv", {"t_s"}), InvalidInput);
  EXPECT_THROW(WaveformCsvWriter(dir / "d.csv", {""}), InvalidInput);
  WaveformCsvWriter writer(dir / "e.csv", {"p_w", "v_v"});
  const double one = 1.0;
  EXPECT_THROW(writer.add_row(0.0, {&one, 1}), InvalidInput);
  EXPECT_EQ(entries(dir), 1u);  // only e.csv's temporary file
}

}  // namespace
}  // namespace g2g::io
