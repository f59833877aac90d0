#include "g2g/sweep/parts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "g2g/core/error.hpp"
#include "g2g/io/files.hpp"

namespace g2g::sweep {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view part_prefix = "part-";
constexpr std::string_view part_suffix = ".csv";

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

void append_line(std::string& out, std::span<const std::string> fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += csv_field(fields[i]);
  }
  out += '\n';
}

// The result fields of a row (result_columns' order).
std::vector<std::string> result_fields(const Plan& plan, const Row& row) {
  const Scenario& s = plan.scenarios().at(row.index);
  std::vector<std::string> f;
  f.push_back(std::to_string(row.index));
  f.push_back(row.id);
  f.push_back(std::to_string(s.architecture));
  for (const double v : s.values) f.push_back(format_number(v));
  for (const double v : row.outputs) f.push_back(format_number(v));
  f.push_back(row.error_kind);
  f.push_back(row.error_message);
  f.push_back(row.error_location);
  return f;
}

// The part numbers and paths in DIR/parts, in number order.
std::map<std::size_t, fs::path> parts_in(const fs::path& dir) {
  std::map<std::size_t, fs::path> parts;
  const fs::path folder = dir / "parts";
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return parts;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(part_prefix) || !name.ends_with(part_suffix)) continue;
    const std::string_view digits(name.data() + part_prefix.size(),
                                  name.size() - part_prefix.size() - part_suffix.size());
    std::size_t number = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (error == std::errc() && end == digits.data() + digits.size())
      parts.emplace(number, entry.path());
  }
  if (ec) throw io::FileError(folder, "list", ec.message());
  return parts;
}

// A part's rows, checked against the plan: its header, and each row's index and id.
std::vector<std::vector<std::string>> read_part(const fs::path& path, const Plan& plan) {
  auto records = read_csv(io::read_text_file(path, 0, io::max_model_file_bytes), path.string());
  std::vector<std::string> header = result_columns(plan);
  header.emplace_back("seconds");
  header.emplace_back("thread");
  if (records.empty() || records.front() != header)
    throw InvalidInput(
        "parts", fmt::format("{} is not a part of this sweep (its columns differ)", path.string()),
        "remove the output directory's parts/ or choose another --out");
  records.erase(records.begin());
  for (const auto& r : records) {
    std::size_t index = 0;
    const auto [end, error] = std::from_chars(r[0].data(), r[0].data() + r[0].size(), index);
    if (r.size() != header.size() || error != std::errc() || end != r[0].data() + r[0].size() ||
        index >= plan.scenarios().size() || plan.scenarios()[index].id != r[1])
      throw InvalidInput(
          "parts",
          fmt::format("{} holds a row that is no scenario of this sweep (index "
                      "'{}', id '{}')",
                      path.string(), r.empty() ? "" : r[0], r.size() > 1 ? r[1] : ""),
          "the sweep file or its models changed: remove parts/ or choose another "
          "--out");
  }
  return records;
}

}  // namespace

std::vector<std::string> result_columns(const Plan& plan) {
  std::vector<std::string> columns{"index", "id", "architecture"};
  for (auto& c : plan.parameter_columns()) columns.push_back(std::move(c));
  for (const auto& o : plan.output_names()) columns.push_back(o);
  columns.insert(columns.end(), {"error_kind", "error_message", "error_location"});
  return columns;
}

std::string format_number(double value) {
  if (std::isnan(value)) return {};
  return fmt::format("{}", value);
}

void write_part(const fs::path& dir, std::size_t part_number, const Plan& plan,
                std::span<const Row> rows, std::size_t thread) {
  std::string text;
  std::vector<std::string> header = result_columns(plan);
  header.emplace_back("seconds");
  header.emplace_back("thread");
  append_line(text, header);
  for (const Row& row : rows) {
    std::vector<std::string> fields = result_fields(plan, row);
    fields.push_back(format_number(row.seconds));
    fields.push_back(std::to_string(thread));
    append_line(text, fields);
  }
  io::write_file_atomic(
      dir / "parts" / fmt::format("{}{:06}{}", part_prefix, part_number, part_suffix), text);
}

std::optional<std::size_t> last_part_number(const fs::path& dir) {
  const auto parts = parts_in(dir);
  if (parts.empty()) return std::nullopt;
  return parts.rbegin()->first;
}

std::set<std::string> prepare_output(const fs::path& dir, const Plan& plan, bool resume) {
  const std::vector<fs::path> inputs = plan.input_paths();
  for (const char* file : {"results.csv", "timing.csv"})
    io::check_output_is_not_input(dir / file, inputs);
  if (!resume) {
    if (last_part_number(dir))
      throw InvalidInput("--out",
                         fmt::format("{} holds parts of an earlier run", (dir / "parts").string()),
                         "resume the sweep to continue it (--resume; resume=True in Python), or "
                         "choose another output directory");
    return {};
  }
  return completed_ids(dir, plan);
}

std::set<std::string> completed_ids(const fs::path& dir, const Plan& plan) {
  std::set<std::string> ids;
  for (const auto& [number, path] : parts_in(dir))
    for (const auto& r : read_part(path, plan)) ids.insert(r[1]);
  return ids;
}

void merge(const fs::path& dir, const Plan& plan) {
  const std::size_t n = plan.scenarios().size();
  const std::size_t result_width = result_columns(plan).size();
  std::vector<std::vector<std::string>> rows(n);
  std::vector<std::size_t> part_of(n, 0);
  std::map<std::string, std::size_t> by_id;  // a row of each id
  for (const auto& [number, path] : parts_in(dir)) {
    for (auto& r : read_part(path, plan)) {
      const auto index = static_cast<std::size_t>(std::stoull(r[0]));
      by_id.emplace(r[1], index);
      part_of[index] = number;
      rows[index] = std::move(r);
    }
  }
  std::string results;
  std::string timing;
  append_line(results, result_columns(plan));
  append_line(timing, std::vector<std::string>{"index", "id", "part", "thread", "seconds"});
  for (std::size_t i = 0; i < n; ++i) {
    const Scenario& s = plan.scenarios()[i];
    std::vector<std::string> fields = rows[i];
    if (fields.empty()) {
      const auto twin = by_id.find(s.id);
      if (twin == by_id.end())
        throw InvalidInput("parts",
                           fmt::format("scenario {} (id {}) has no row in {}: the sweep is not "
                                       "finished",
                                       i, s.id, (dir / "parts").string()),
                           "run the sweep again with --resume");
      fields = rows[twin->second];
      fields[0] = std::to_string(i);
      timing += fmt::format("{},{},,,\n", i, s.id);  // computed once, under the twin's index
    } else {
      timing += fmt::format("{},{},{},{},{}\n", i, s.id, part_of[i], fields[result_width + 1],
                            fields[result_width]);
    }
    fields.resize(result_width);
    append_line(results, fields);
  }
  io::write_file_atomic(dir / "results.csv", results);
  io::write_file_atomic(dir / "timing.csv", timing);
}

std::vector<std::vector<std::string>> read_csv(std::string_view text, const std::string& file) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  bool any = false;  // the record has begun
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n') {
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
      any = false;
    } else if (c != '\r') {
      field += c;
      any = true;
    }
  }
  if (quoted)
    throw InvalidInput("parts", fmt::format("{}: a quoted field is not closed", file),
                       "the file was cut short: remove it and resume the sweep");
  if (any) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace g2g::sweep
