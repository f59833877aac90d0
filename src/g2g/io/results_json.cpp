// JSON results writer.
//
// Written straight into strings rather than through a JSON DOM: a 1e5-bus model has ~3e5 result
// rows, and building then serialising an nlohmann::json tree of that size takes several times
// longer than writing the text directly (figures in docs/results-format.md). The layout is fixed,
// so direct writing stays simple: one line per bus, element and violation, which keeps the file
// diffable and greppable without a pretty-printer. Numbers go through std::to_chars (shortest
// round trip), and large arrays are formatted in blocks on several threads and written to the
// file as they are finished.
#include "g2g/io/results_json.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <deque>
#include <functional>
#include <future>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "g2g/io/files.hpp"
#include "g2g/io/result_labels.hpp"

namespace g2g::io {

namespace {

// Length of the well-formed UTF-8 sequence starting at text[i] (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0 if there is none.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  auto continuation = [&](std::size_t k) { return k < text.size() && (byte(k) & 0xC0) == 0x80; };
  const unsigned char lead = byte(i);
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(i + 1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!continuation(i + 1) || !continuation(i + 2)) return 0;
    const unsigned char second = byte(i + 1);
    if (lead == 0xE0 && second < 0xA0) return 0;  // overlong
    if (lead == 0xED && second > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!continuation(i + 1) || !continuation(i + 2) || !continuation(i + 3)) return 0;
    const unsigned char second = byte(i + 1);
    if (lead == 0xF0 && second < 0x90) return 0;  // overlong
    if (lead == 0xF4 && second > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

class JsonWriter {
 public:
  JsonWriter() = default;
  // Appends to `buffer` after clearing it, keeping its memory.
  explicit JsonWriter(std::string buffer) : out_(std::move(buffer)) { out_.clear(); }

  void raw(std::string_view text) { out_.append(text); }

  // JSON has no NaN or infinity: those become null.
  void number(double value) {
    // Whole values (a third of a DC network's numbers: zero angles, zero reactive power, round
    // nominal voltages) as integers, which is what append_shortest writes for them below 1e16,
    // at a fraction of the cost of its shortest-form search.
    if (std::fabs(value) < 1e15 && value == std::trunc(value)) {
      integer(static_cast<long long>(value));  // -0 becomes 0, as append_shortest writes it
      return;
    }
    if (!append_shortest(out_, value)) raw("null");
  }
  void integer(long long value) {
    const fmt::format_int text(value);
    out_.append(text.data(), text.size());
  }
  void boolean(bool value) { raw(value ? "true" : "false"); }

  // Escapes what JSON requires; a byte that does not start a well-formed UTF-8 sequence (ids
  // come from user files) becomes U+FFFD, so the document always parses.
  void string(std::string_view text) {
    out_.push_back('"');
    std::size_t plain_start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c >= 0x80) {
        const std::size_t length = utf8_sequence_length(text, i);
        if (length > 0) {
          i += length - 1;
          continue;
        }
        raw(text.substr(plain_start, i - plain_start));
        plain_start = i + 1;
        raw("\\ufffd");
        continue;
      }
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      raw(text.substr(plain_start, i - plain_start));
      plain_start = i + 1;
      switch (c) {
        case '"':
          raw("\\\"");
          break;
        case '\\':
          raw("\\\\");
          break;
        case '\n':
          raw("\\n");
          break;
        case '\r':
          raw("\\r");
          break;
        case '\t':
          raw("\\t");
          break;
        default:
          out_ += fmt::format("\\u{:04x}", c);
          break;
      }
    }
    raw(text.substr(plain_start));
    out_.push_back('"');
  }

  [[nodiscard]] std::string_view text() const { return out_; }
  void clear() { out_.clear(); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Loss groups as an object keyed by group name. Duplicate names (not expected from the solver)
// are summed, so the object never has repeated keys.
void write_loss_groups(JsonWriter& json, const std::vector<steady::LossGroup>& groups) {
  std::vector<std::pair<std::string_view, double>> merged;
  merged.reserve(groups.size());
  for (const auto& group : groups) {
    bool found = false;
    for (auto& [name, loss_w] : merged) {
      if (name == group.name) {
        loss_w += group.loss_w;
        found = true;
        break;
      }
    }
    if (!found) merged.emplace_back(group.name, group.loss_w);
  }
  json.raw("{");
  for (std::size_t i = 0; i < merged.size(); ++i) {
    if (i > 0) json.raw(",");
    json.string(merged[i].first);  // group names come from the model and may need escaping
    json.raw(":");
    json.number(merged[i].second);
  }
  json.raw("}");
}

void write_bus(JsonWriter& json, const model::ModelSpec& model, const steady::BusResult& bus) {
  const bool known = bus.bus >= 0 && static_cast<std::size_t>(bus.bus) < model.buses.size();
  if (!known)
    throw std::out_of_range(
        fmt::format("result refers to bus #{} but the model has {}", bus.bus, model.buses.size()));
  const model::Bus& spec = model.buses[static_cast<std::size_t>(bus.bus)];
  json.raw("{\"id\":");
  json.string(spec.id);
  json.raw(spec.kind == model::BusKind::ac ? ",\"kind\":\"ac\",\"voltage_v\":"
                                           : ",\"kind\":\"dc\",\"voltage_v\":");
  json.number(bus.voltage_v);
  json.raw(",\"v_pu\":");
  json.number(bus.v_pu);
  json.raw(",\"angle_deg\":");
  json.number(bus.angle_deg);
  json.raw(",\"nominal_voltage_v\":");
  json.number(spec.nominal_voltage_v);
  json.raw(bus.energised ? ",\"energised\":true}" : ",\"energised\":false}");
}

void write_element(JsonWriter& json, const model::ModelSpec& model,
                   const steady::ElementResult& element) {
  const ElementLabel label = element_label(model, element);
  json.raw("{\"id\":");
  json.string(label.id);
  json.raw(",\"type\":");
  json.string(label.type);
  if (!label.kind.empty()) {
    json.raw(",\"kind\":");
    json.string(label.kind);
  }
  if (!label.subtype.empty()) {
    json.raw(",\"subtype\":");
    json.string(label.subtype);
  }
  if (label.to_bus != nullptr) {
    json.raw(",\"from_bus\":");
    json.string(label.from_bus != nullptr ? std::string_view(label.from_bus->id) : "");
    json.raw(",\"to_bus\":");
    json.string(label.to_bus->id);
  } else if (label.from_bus != nullptr) {
    json.raw(",\"bus\":");
    json.string(label.from_bus->id);
  }
  json.raw(",\"p_in_w\":");
  json.number(element.p_in_w);
  json.raw(",\"p_out_w\":");
  json.number(element.p_out_w);
  json.raw(",\"q_in_var\":");
  json.number(element.q_in_var);
  json.raw(",\"q_out_var\":");
  json.number(element.q_out_var);
  json.raw(",\"loss_w\":");
  json.number(element.loss_w);
  json.raw(",\"current_a\":");
  json.number(element.current_a);
  json.raw(",\"current_out_a\":");
  json.number(element.current_out_a);
  json.raw(",\"loading_pct\":");
  json.number(element.loading_pct);
  json.raw("}");
}

void write_violation(JsonWriter& json, const steady::Violation& violation) {
  json.raw("{\"kind\":");
  json.string(steady::violation_kind_name(violation.kind));
  json.raw(",\"element_id\":");
  json.string(violation.element_id);
  json.raw(",\"value\":");
  json.number(violation.value);
  json.raw(",\"limit\":");
  json.number(violation.limit);
  json.raw(",\"unit\":");
  json.string(steady::violation_unit(violation.kind));
  json.raw("}");
}

constexpr std::string_view row_separator = ",\n    ";

// The document is produced as a list of jobs, in order, each appending one part of the text:
// the head, and the rows of the large arrays in blocks. Blocks are independent, so they are
// formatted on worker threads (number formatting is the bulk of the cost) while the caller takes
// the finished ones in order, writing each to the file as it comes: the whole document is never
// in memory, and writing overlaps formatting. The text is the same as a serial run's.
using Job = std::function<void(JsonWriter&)>;

// Rows [begin, end) of `items` as part of the array "[\n    row,\n    row ... \n  ]".
template <typename Items, typename WriteOne>
void add_array(std::vector<Job>& jobs, const Items& items, WriteOne write_one) {
  const std::size_t count = items.size();
  if (count == 0) {
    jobs.emplace_back([](JsonWriter& json) { json.raw("[]"); });
    return;
  }
  // About a megabyte of text a block: big enough that starting a thread is a small cost, small
  // enough that the blocks in flight take little memory and the last one finishes soon.
  constexpr std::size_t rows_per_block = 8192;
  for (std::size_t begin = 0; begin < count; begin += rows_per_block) {
    const std::size_t end = std::min(count, begin + rows_per_block);
    jobs.emplace_back([&items, write_one, begin, end, count](JsonWriter& json) {
      for (std::size_t i = begin; i < end; ++i) {
        json.raw(i == 0 ? std::string_view("[\n    ") : row_separator);
        write_one(json, items[i]);
      }
      if (end == count) json.raw("\n  ]");
    });
  }
}

// Runs the jobs and hands their text to `sink` in order. Up to one job per hardware thread runs
// at a time; each finished buffer is reused for a later job.
void run_in_order(const std::vector<Job>& jobs, const std::function<void(std::string_view)>& sink) {
  const std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  if (threads == 1 || jobs.size() == 1) {
    JsonWriter json;
    for (const Job& job : jobs) {
      json.clear();
      job(json);
      sink(json.text());
    }
    return;
  }
  std::vector<std::string> spare;
  std::size_t next = 0;
  std::deque<std::future<std::string>> running;  // in job order
  auto start_next = [&] {
    std::string buffer;
    if (!spare.empty()) {
      buffer = std::move(spare.back());
      spare.pop_back();
    }
    running.push_back(
        std::async(std::launch::async, [&job = jobs[next], buffer = std::move(buffer)]() mutable {
          JsonWriter json(std::move(buffer));
          job(json);
          return json.take();
        }));
    ++next;
  };
  while (next < jobs.size() && running.size() < threads) start_next();
  while (!running.empty()) {
    std::string text = running.front().get();
    running.pop_front();
    if (next < jobs.size()) start_next();  // keep the workers busy while this one is written
    sink(text);
    text.clear();
    spare.push_back(std::move(text));
  }
}

std::vector<Job> document_jobs(const model::ModelSpec& model, const steady::SolveResult& result) {
  std::vector<Job> jobs;
  jobs.emplace_back([&model, &result](JsonWriter& json) {
    const auto& stats = result.stats;
    const auto& totals = result.totals;
    json.raw("{\n  \"format\":\"grid2gpu-results\",\n  \"format_version\":");
    json.integer(results_format_version);
    json.raw(",\n  \"model\":{\"name\":");
    json.string(model.name);
    json.raw(",\"file\":");
    json.string(model.source_file);
    json.raw(",\"frequency_hz\":");
    json.number(model.frequency_hz);
    json.raw("},\n  \"converged\":");
    json.boolean(result.converged);
    json.raw(",\n  \"iterations\":");
    json.integer(stats.iterations);
    json.raw(",\n  \"solver\":{\"iterations\":");
    json.integer(stats.iterations);
    json.raw(",\"max_mismatch_pu\":");
    json.number(stats.max_mismatch_pu);
    json.raw(",\"tolerance_pu\":");
    json.number(model.solver.tolerance_pu);
    json.raw(",\"unknowns\":");
    json.integer(stats.unknowns);
    json.raw(",\"jacobian_nonzeros\":");
    json.integer(stats.jacobian_nonzeros);
    json.raw(",\"solve_seconds\":");
    json.number(stats.solve_seconds);
    json.raw(",\"used_fallback\":");
    json.boolean(stats.used_fallback);
    json.raw("},\n  \"totals\":{\"source_w\":");
    json.number(totals.source_w);
    json.raw(",\"load_w\":");
    json.number(totals.load_w);
    json.raw(",\"loss_w\":");
    json.number(totals.loss_w);
    json.raw(",\"efficiency\":");
    json.number(totals.efficiency);
    json.raw(",\"balance_error_w\":");
    json.number(totals.balance_error_w);
    json.raw(",\n    \"loss_by_type\":");
    write_loss_groups(json, totals.loss_by_type);
    json.raw(",\n    \"loss_by_stage\":");
    write_loss_groups(json, totals.loss_by_stage);
    json.raw("},\n  \"violations\":");
  });
  add_array(jobs, result.violations,
            [](JsonWriter& out, const auto& v) { write_violation(out, v); });
  jobs.emplace_back([](JsonWriter& json) { json.raw(",\n  \"buses\":"); });
  add_array(jobs, result.buses,
            [&model](JsonWriter& out, const auto& b) { write_bus(out, model, b); });
  jobs.emplace_back([](JsonWriter& json) { json.raw(",\n  \"elements\":"); });
  add_array(jobs, result.elements,
            [&model](JsonWriter& out, const auto& e) { write_element(out, model, e); });
  jobs.emplace_back([](JsonWriter& json) { json.raw("\n}\n"); });
  return jobs;
}

}  // namespace

std::string format_results_json(const model::ModelSpec& model, const steady::SolveResult& result) {
  std::string document;
  document.reserve(4096 + 160 * (result.buses.size() + result.violations.size()) +
                   320 * result.elements.size());
  run_in_order(document_jobs(model, result),
               [&document](std::string_view text) { document.append(text); });
  return document;
}

void write_results_json(const std::filesystem::path& path, const model::ModelSpec& model,
                        const steady::SolveResult& result) {
  const std::vector<Job> jobs = document_jobs(model, result);
  AtomicFileWriter file(path);
  run_in_order(jobs, [&file](std::string_view text) { file.write(text); });
  file.commit();
}

}  // namespace g2g::io
