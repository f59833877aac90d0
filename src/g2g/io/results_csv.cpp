#include "g2g/io/results_csv.hpp"

#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

#include "g2g/io/files.hpp"
#include "g2g/io/result_labels.hpp"

namespace g2g::io {

namespace {

class CsvWriter {
 public:
  void header(std::string_view line) {
    append(line);
    out_.push_back('\n');
  }

  // RFC 4180: a field with a comma, quote or line break is quoted, inner quotes doubled.
  void text(std::string_view value) {
    separator();
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
      append(value);
      return;
    }
    out_.push_back('"');
    for (const char c : value) {
      if (c == '"') out_.push_back('"');
      out_.push_back(c);
    }
    out_.push_back('"');
  }

  // Shortest round-trip form; non-finite values become an empty field (missing), as pandas and
  // spreadsheets expect.
  void number(double value) {
    separator();
    append_shortest(out_, value);
  }

  void end_row() {
    out_.push_back('\n');
    first_in_row_ = true;
  }

  void reserve(std::size_t bytes) { out_.reserve(bytes); }
  std::string take() { return std::move(out_); }

 private:
  void append(std::string_view text) { out_.append(text); }
  void separator() {
    if (!first_in_row_) out_.push_back(',');
    first_in_row_ = false;
  }

  std::string out_;
  bool first_in_row_ = true;
};

}  // namespace

std::string format_buses_csv(const model::ModelSpec& model, const steady::SolveResult& result) {
  CsvWriter csv;
  csv.reserve(64 + 96 * result.buses.size());
  csv.header("id,kind,voltage_v,v_pu,angle_deg,nominal_voltage_v,energised");
  for (const auto& bus : result.buses) {
    if (bus.bus < 0 || static_cast<std::size_t>(bus.bus) >= model.buses.size()) {
      throw std::out_of_range(fmt::format("result refers to bus #{} but the model has {}", bus.bus,
                                          model.buses.size()));
    }
    const model::Bus& spec = model.buses[static_cast<std::size_t>(bus.bus)];
    csv.text(spec.id);
    csv.text(bus_kind_name(spec.kind));
    csv.number(bus.voltage_v);
    csv.number(bus.v_pu);
    csv.number(bus.angle_deg);
    csv.number(spec.nominal_voltage_v);
    csv.text(bus.energised ? "true" : "false");
    csv.end_row();
  }
  return csv.take();
}

std::string format_elements_csv(const model::ModelSpec& model, const steady::SolveResult& result) {
  CsvWriter csv;
  csv.reserve(160 + 224 * result.elements.size());
  csv.header(
      "id,type,kind,subtype,from_bus,to_bus,p_in_w,p_out_w,q_in_var,q_out_var,loss_w,current_a,"
      "current_out_a,loading_pct");
  for (const auto& element : result.elements) {
    const ElementLabel label = element_label(model, element);
    csv.text(label.id);
    csv.text(label.type);
    csv.text(label.kind);
    csv.text(label.subtype);
    // One-port elements (sources, loads, storage) put their bus in from_bus and leave to_bus empty.
    csv.text(label.from_bus != nullptr ? std::string_view(label.from_bus->id) : std::string_view());
    csv.text(label.to_bus != nullptr ? std::string_view(label.to_bus->id) : std::string_view());
    csv.number(element.p_in_w);
    csv.number(element.p_out_w);
    csv.number(element.q_in_var);
    csv.number(element.q_out_var);
    csv.number(element.loss_w);
    csv.number(element.current_a);
    csv.number(element.current_out_a);
    csv.number(element.loading_pct);
    csv.end_row();
  }
  return csv.take();
}

void for_each_total(const steady::Totals& totals,
                    const std::function<void(std::string_view, std::string_view, double)>& row) {
  row("total", "source_w", totals.source_w);
  row("total", "load_w", totals.load_w);
  row("total", "loss_w", totals.loss_w);
  row("total", "efficiency", totals.efficiency);
  row("total", "balance_error_w", totals.balance_error_w);
  for (const auto& group : totals.loss_by_type) row("loss_by_type", group.name, group.loss_w);
  for (const auto& group : totals.loss_by_stage) row("loss_by_stage", group.name, group.loss_w);
}

std::string format_totals_csv(const steady::SolveResult& result) {
  CsvWriter csv;
  csv.header("category,name,value");
  const auto& totals = result.totals;
  auto row = [&](std::string_view category, std::string_view name, double value) {
    csv.text(category);
    csv.text(name);
    csv.number(value);
    csv.end_row();
  };
  for_each_total(totals, row);
  return csv.take();
}

std::string format_violations_csv(const steady::SolveResult& result) {
  CsvWriter csv;
  csv.header("kind,element_id,value,limit,unit");
  for (const auto& violation : result.violations) {
    csv.text(steady::violation_kind_name(violation.kind));
    csv.text(violation.element_id);
    csv.number(violation.value);
    csv.number(violation.limit);
    csv.text(steady::violation_unit(violation.kind));
    csv.end_row();
  }
  return csv.take();
}

void write_results_csv(const std::filesystem::path& dir, const model::ModelSpec& model,
                       const steady::SolveResult& result) {
  const std::string buses = format_buses_csv(model, result);
  const std::string elements = format_elements_csv(model, result);
  const std::string totals = format_totals_csv(result);
  const std::string violations = format_violations_csv(result);
  write_file_atomic(dir / "buses.csv", buses);
  write_file_atomic(dir / "elements.csv", elements);
  write_file_atomic(dir / "totals.csv", totals);
  write_file_atomic(dir / "violations.csv", violations);
}

}  // namespace g2g::io
