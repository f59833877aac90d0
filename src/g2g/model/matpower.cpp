// MATPOWER case format version 2 -> ModelSpec.
//
// The reader understands the subset of MATLAB that case files are written in: a `function` line,
// `<out>.<field> = <value>;` assignments, numeric matrices in brackets (rows ended by ';' or a
// new line, values separated by blanks or commas), '%' and '#' comments, '...' continuations,
// and strings. Fields other than baseMVA, version, bus, gen and branch (gencost, bus_name, areas,
// user fields) are skipped bracket by bracket, so strings and comments inside them are harmless.
// The mapping to grid2gpu elements is documented in docs/matpower-import.md.
#include "g2g/model/matpower.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace g2g::model {
namespace {

// One number read from a matrix, with where it was written.
struct Cell {
  double value = 0.0;
  int line = 0;
  int column = 0;
};

struct Row {
  std::vector<Cell> cells;
};

struct Matrix {
  bool present = false;
  int line = 0;  // of the field name
  int column = 0;
  std::vector<Row> rows;
};

// What the reader found in the file, before any mapping.
struct CaseData {
  std::string function_name;
  std::optional<Cell> base_mva;
  std::optional<std::string> version;
  Cell version_at;
  Matrix bus;
  Matrix gen;
  Matrix branch;
};

// Columns used, 0-based (MATPOWER documents them 1-based in caseformat).
namespace bus_col {
constexpr std::size_t number = 0, type = 1, pd = 2, qd = 3, gs = 4, bs = 5, vm = 7, va = 8,
                      base_kv = 9, v_max = 11, v_min = 12, count = 13;
}
namespace gen_col {
constexpr std::size_t bus = 0, pg = 1, qg = 2, q_max = 3, q_min = 4, vg = 5, status = 7, count = 8;
}
namespace branch_col {
constexpr std::size_t from = 0, to = 1, r = 2, x = 3, b = 4, rate_a = 5, ratio = 8, angle = 9,
                      status = 10, count = 11;
}

bool is_identifier_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_identifier_char(char c) {
  return is_identifier_start(c) || (c >= '0' && c <= '9');
}
bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// Character reader with line/column tracking and the lexical rules of MATLAB that case files use.
class Reader {
 public:
  Reader(std::string_view text, const std::string& file, core::DiagnosticList& diagnostics)
      : text_(text), file_(file), diagnostics_(diagnostics) {}

  CaseData read() {
    CaseData data;
    while (true) {
      skip_blanks_and_newlines();
      if (at_end()) break;
      const char c = peek();
      if (c == ';' || c == ',') {
        advance();
        continue;
      }
      if (!is_identifier_start(c)) {
        error_here(fmt::format("unexpected character '{}' at the start of a statement", c),
                   "case files hold only `mpc.<field> = <value>;` assignments");
        skip_statement();
        continue;
      }
      const int line = line_, column = column_;
      const std::string word = read_identifier();
      if (word == "function") {
        read_function_line(data);
        continue;
      }
      if (word == "end" || word == "endfunction") continue;
      skip_blanks();
      if (word != output_name_ || peek() != '.') {
        // Another statement (a helper variable, a call): not part of the case data.
        skip_statement();
        continue;
      }
      advance();  // '.'
      skip_blanks();
      const std::string field = read_identifier();
      skip_blanks();
      const bool is_case_field = field == "baseMVA" || field == "version" || field == "bus" ||
                                 field == "gen" || field == "branch";
      if (peek() != '=' || peek(1) == '=') {
        if (is_case_field)
          error(line, column,
                fmt::format("unsupported statement on {}.{}: only a plain assignment is read",
                            output_name_, field),
                "write the whole matrix in one `" + output_name_ + "." + field +
                    " = [ ... ];` assignment");
        skip_statement();
        continue;
      }
      advance();  // '='
      skip_blanks();
      if (field == "baseMVA") {
        data.base_mva = read_scalar();
      } else if (field == "version") {
        data.version_at = Cell{0.0, line_, column_};
        data.version = read_string_value();
      } else if (field == "bus" || field == "gen" || field == "branch") {
        Matrix& matrix = field == "bus" ? data.bus : field == "gen" ? data.gen : data.branch;
        if (matrix.present)
          error(line, column, fmt::format("{}.{} is assigned twice", output_name_, field),
                "keep one assignment");
        matrix = read_matrix();
        matrix.present = true;
        matrix.line = line;
        matrix.column = column;
      } else if (field == "dcline") {
        // MATPOWER's DC line extension changes the power flow: refuse rather than ignore it.
        const Matrix dcline = read_matrix();
        if (!dcline.rows.empty())
          error(line, column, "DC lines (" + output_name_ + ".dcline) are not supported",
                "model the DC link with grid2gpu converters in YAML, or remove the dcline rows");
      } else {
        skip_statement();
      }
    }
    return data;
  }

  const std::string& output_name() const { return output_name_; }

 private:
  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  void advance() {
    if (at_end()) return;
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
    previous_significant_ = text_[pos_ - 1];
  }

  void error(int line, int column, std::string message, std::string fix = {}) {
    diagnostics_.error({file_, line, column}, std::move(message), std::move(fix));
  }
  void error_here(std::string message, std::string fix = {}) {
    error(line_, column_, std::move(message), std::move(fix));
  }

  void skip_to_end_of_line() {
    while (!at_end() && peek() != '\n') advance();
  }

  // Blanks, comments and continuations; stops at a new line (which may end a matrix row).
  void skip_blanks() {
    while (!at_end()) {
      const char c = peek();
      if (is_blank(c)) {
        advance();
      } else if (c == '%' || c == '#') {
        if (line_holds_only(pos_, "%{") || line_holds_only(pos_, "#{"))
          skip_block_comment();
        else
          skip_to_end_of_line();
      } else if (c == '.' && peek(1) == '.' && peek(2) == '.') {
        skip_to_end_of_line();  // continuation: the new line does not count
        if (!at_end()) advance();
      } else {
        break;
      }
    }
  }

  // Whether the line containing `at` holds `marker` and blanks only.
  [[nodiscard]] bool line_holds_only(std::size_t at, std::string_view marker) const {
    std::size_t begin = text_.rfind('\n', at == 0 ? 0 : at - 1);
    begin = (begin == std::string_view::npos || at == 0) ? 0 : begin + 1;
    std::size_t end = text_.find('\n', at);
    if (end == std::string_view::npos) end = text_.size();
    std::string_view line = text_.substr(begin, end - begin);
    while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
    while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
    return line == marker;
  }

  // From a line holding only %{ to the line holding only the matching %} (they nest).
  void skip_block_comment() {
    const int line = line_, column = column_;
    int depth = 0;
    while (!at_end()) {
      if (line_holds_only(pos_, "%{") || line_holds_only(pos_, "#{")) ++depth;
      if (line_holds_only(pos_, "%}") || line_holds_only(pos_, "#}")) --depth;
      skip_to_end_of_line();
      if (depth == 0) return;
      advance();  // the new line
    }
    error(line, column, "block comment is never closed", "add a line holding only %}");
  }

  void skip_blanks_and_newlines() {
    while (true) {
      skip_blanks();
      if (peek() != '\n') break;
      advance();
    }
  }

  std::string read_identifier() {
    std::string word;
    while (!at_end() && is_identifier_char(peek())) {
      word += peek();
      advance();
    }
    return word;
  }

  // `function mpc = case14`: remembers the output variable and the function name.
  void read_function_line(CaseData& data) {
    skip_blanks();
    std::string first = read_identifier();
    skip_blanks();
    if (peek() == '=') {
      advance();
      skip_blanks();
      if (!first.empty()) output_name_ = first;
      data.function_name = read_identifier();
    } else {
      data.function_name = first;
    }
    skip_statement();
  }

  // A quote starts a string unless it follows something it could transpose.
  [[nodiscard]] bool quote_starts_string() const {
    const char p = previous_significant_;
    return !(is_identifier_char(p) || p == ')' || p == ']' || p == '}' || p == '\'' || p == '.');
  }

  void skip_string() {
    const char quote = peek();
    const int line = line_, column = column_;
    advance();
    while (!at_end() && peek() != '\n') {
      if (peek() == quote) {
        advance();
        if (peek() != quote) return;  // doubled quote is an escaped quote
      }
      advance();
    }
    error(line, column, "string is not closed on its line", "add the closing quote");
  }

  // Skips to the end of the statement: ';' or a new line outside brackets, honouring strings,
  // comments and continuations.
  void skip_statement() {
    int depth = 0;
    const int line = line_, column = column_;
    while (!at_end()) {
      skip_blanks();
      if (at_end()) break;
      const char c = peek();
      if ((c == '\'' && quote_starts_string()) || c == '"') {
        skip_string();
        continue;
      }
      if (c == '[' || c == '{' || c == '(') ++depth;
      if (c == ']' || c == '}' || c == ')') --depth;
      if (depth <= 0 && (c == ';' || c == '\n' || c == ',')) {
        advance();
        return;
      }
      if (depth < 0) depth = 0;
      advance();
    }
    if (depth > 0) error(line, column, "bracket opened here is never closed", "close it");
  }

  // A number token: digits, sign, point, exponent, or Inf/NaN. Returns nullopt (with an error)
  // when the characters do not form a number.
  std::optional<Cell> read_number() {
    const int line = line_, column = column_;
    const std::size_t start = pos_;
    if (peek() == '+' || peek() == '-') advance();
    while (!at_end()) {
      const char c = peek();
      const bool exponent_sign =
          (c == '+' || c == '-') && (previous_significant_ == 'e' || previous_significant_ == 'E');
      if (is_identifier_char(c) || c == '.' || exponent_sign) {
        if (c == '.' && peek(1) == '.' && peek(2) == '.') break;  // continuation
        advance();
      } else {
        break;
      }
    }
    std::string token(text_.substr(start, pos_ - start));
    double value = 0.0;
    std::string_view digits = token;
    bool negative = false;
    if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
      negative = digits.front() == '-';
      digits.remove_prefix(1);
    }
    if (digits == "Inf" || digits == "inf") {
      value = std::numeric_limits<double>::infinity();
    } else if (digits == "NaN" || digits == "nan") {
      value = std::numeric_limits<double>::quiet_NaN();
    } else {
      // from_chars rejects a leading '+' and accepts a bare ".5" only in some versions: normalise.
      std::string normal(digits);
      if (!normal.empty() && normal.front() == '.') normal.insert(normal.begin(), '0');
      const auto* first = normal.data();
      const auto* last = normal.data() + normal.size();
      const auto [end, code] = std::from_chars(first, last, value);
      if (normal.empty() || code != std::errc() || end != last) {
        error(line, column,
              fmt::format("'{}' is not a number", token.empty() ? std::string(1, peek()) : token),
              "case matrices hold plain numbers only (no expressions or variables)");
        return std::nullopt;
      }
    }
    return Cell{negative ? -value : value, line, column};
  }

  Cell read_scalar() {
    const int line = line_, column = column_;
    std::optional<Cell> cell;
    if (peek() == '[') {  // `mpc.baseMVA = [100];` is legal MATLAB
      advance();
      skip_blanks();
      cell = read_number();
      skip_blanks();
      if (peek() == ']') advance();
    } else {
      cell = read_number();
    }
    skip_statement();
    if (!cell) return Cell{std::numeric_limits<double>::quiet_NaN(), line, column};
    return *cell;
  }

  std::optional<std::string> read_string_value() {
    const char quote = peek();
    if (quote != '\'' && quote != '"') {
      error_here("expected a quoted string", "write e.g. mpc.version = '2';");
      skip_statement();
      return std::nullopt;
    }
    advance();
    std::string value;
    while (!at_end() && peek() != '\n' && peek() != quote) {
      value += peek();
      advance();
    }
    if (peek() == quote) advance();
    skip_statement();
    return value;
  }

  // `[ rows ]`: rows end at ';' or a new line; values are separated by blanks or commas.
  Matrix read_matrix() {
    Matrix matrix;
    if (peek() != '[') {
      error_here("expected '[' to start a matrix", "write the field as [ ... ];");
      skip_statement();
      return matrix;
    }
    const int open_line = line_, open_column = column_;
    advance();
    Row row;
    auto finish_row = [&] {
      if (!row.cells.empty()) matrix.rows.push_back(std::move(row));
      row = Row{};
    };
    while (true) {
      skip_blanks();
      if (at_end()) {
        error(open_line, open_column, "matrix is never closed", "add '];' after its last row");
        return matrix;
      }
      const char c = peek();
      if (c == ']') {
        advance();
        finish_row();
        break;
      }
      if (c == ';' || c == '\n') {
        advance();
        finish_row();
        continue;
      }
      if (c == ',') {
        advance();
        continue;
      }
      const bool starts_number = (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-' ||
                                 c == 'I' || c == 'N' || c == 'i' || c == 'n';
      if (!starts_number) {
        error_here(fmt::format("unexpected character '{}' in a matrix", c),
                   "case matrices hold plain numbers only");
        skip_rest_of_matrix();
        return matrix;
      }
      auto cell = read_number();
      if (!cell) {
        skip_rest_of_matrix();
        return matrix;
      }
      row.cells.push_back(*cell);
    }
    skip_blanks();
    if (peek() == '\'') {
      error_here("transposed matrices are not supported", "write one row per element");
    }
    skip_statement();
    return matrix;
  }

  void skip_rest_of_matrix() {
    int depth = 1;
    while (!at_end() && depth > 0) {
      skip_blanks();
      if (at_end()) break;
      const char c = peek();
      if (c == '[') ++depth;
      if (c == ']') --depth;
      advance();
    }
    skip_statement();
  }

  std::string_view text_;
  const std::string& file_;
  core::DiagnosticList& diagnostics_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  char previous_significant_ = '\n';
  std::string output_name_ = "mpc";
};

// ---- Mapping ------------------------------------------------------------------------------

class Mapper {
 public:
  Mapper(const CaseData& data, const std::string& file, const std::string& output_name,
         core::DiagnosticList& diagnostics)
      : data_(data), file_(file), output_name_(output_name), diagnostics_(diagnostics) {}

  ModelSpec map() {
    ModelSpec model;
    model.source_file = file_;
    model.name = data_.function_name.empty() ? stem(file_) : data_.function_name;

    if (data_.version && *data_.version != "2")
      error(data_.version_at,
            fmt::format("MATPOWER case format version '{}' is not supported", *data_.version),
            "convert the case to version 2 (MATPOWER's loadcase/savecase do this)");
    if (!data_.base_mva) {
      diagnostics_.error({file_, 0, 0}, fmt::format("{}.baseMVA is missing", output_name_),
                         "add `" + output_name_ +
                             ".baseMVA = 100;` (version 1 case files, without the mpc struct, "
                             "are not read: convert them with MATPOWER's savecase)");
    } else if (!(data_.base_mva->value > 0.0) || !std::isfinite(data_.base_mva->value)) {
      error(*data_.base_mva, "baseMVA must be a positive number");
    } else {
      base_mva_ = data_.base_mva->value;
    }
    model.solver.base_power_va = base_mva_ * 1e6;
    if (!require(data_.bus, "bus", bus_col::count) || !require(data_.gen, "gen", gen_col::count) ||
        !require(data_.branch, "branch", branch_col::count))
      return model;

    if (data_.bus.rows.empty()) {
      diagnostics_.error({file_, data_.bus.line, data_.bus.column},
                         fmt::format("{}.bus has no rows", output_name_), "add the buses");
      return model;
    }
    map_buses(model);
    map_generators(model);
    map_branches(model);
    return model;
  }

 private:
  static std::string stem(const std::string& path) {
    const auto slash = path.find_last_of("/\\");
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const auto dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(0, dot);
  }

  void error(const Cell& at, std::string message, std::string fix = {}) {
    diagnostics_.error({file_, at.line, at.column}, std::move(message), std::move(fix));
  }

  static Where where(const Row& row) { return {row.cells.front().line, row.cells.front().column}; }

  // The matrix exists and every row has the same number of columns, at least `needed`.
  bool require(const Matrix& matrix, const char* name, std::size_t needed) {
    if (!matrix.present) {
      diagnostics_.error({file_, 0, 0}, fmt::format("{}.{} is missing", output_name_, name),
                         fmt::format("add the {} matrix", name));
      return false;
    }
    bool ok = true;
    const std::size_t width = matrix.rows.empty() ? 0 : matrix.rows.front().cells.size();
    for (std::size_t r = 0; r < matrix.rows.size(); ++r) {
      const auto& row = matrix.rows[r];
      if (row.cells.size() != width) {
        error(row.cells.front(),
              fmt::format("{} row {} has {} columns but row 1 has {}", name, r + 1,
                          row.cells.size(), width),
              "every row of a matrix needs the same number of columns");
        ok = false;
      } else if (row.cells.size() < needed) {
        error(row.cells.front(),
              fmt::format("{} row {} has {} columns; MATPOWER format version 2 needs at least {}",
                          name, r + 1, row.cells.size(), needed),
              "see MATPOWER's caseformat for the column order");
        ok = false;
      }
    }
    return ok;
  }

  // A finite number that must be a whole number (bus numbers, types, status).
  std::optional<long long> whole(const Cell& cell, const char* what) {
    if (!std::isfinite(cell.value) || cell.value != std::floor(cell.value) ||
        std::abs(cell.value) > 1e15) {
      error(cell, fmt::format("{} must be a whole number, found {}", what, cell.value));
      return std::nullopt;
    }
    return static_cast<long long>(cell.value);
  }

  bool finite(const Cell& cell, const char* what) {
    if (std::isfinite(cell.value)) return true;
    error(cell, fmt::format("{} must be a finite number, found {}", what, cell.value));
    return false;
  }

  // Index of the bus a gen or branch names, or no_bus after an error.
  BusIndex bus_ref(const Cell& cell, const char* what) {
    const auto number = whole(cell, what);
    if (!number) return no_bus;
    const auto it = bus_index_.find(*number);
    if (it == bus_index_.end()) {
      error(cell, fmt::format("{} {} is not in the bus matrix", what, *number),
            "add the bus or correct the number");
      return no_bus;
    }
    return it->second;
  }

  void map_buses(ModelSpec& model) {
    for (const auto& row : data_.bus.rows) {
      const auto& c = row.cells;
      const auto number = whole(c[bus_col::number], "bus number");
      const auto type = whole(c[bus_col::type], "bus type");
      bool ok = number && type;
      if (number && *number <= 0) {
        error(c[bus_col::number], fmt::format("bus number {} must be positive", *number));
        ok = false;
      }
      if (type && (*type < 1 || *type > 4)) {
        error(c[bus_col::type],
              fmt::format("bus type {} is not 1 (PQ), 2 (PV), 3 (slack) or 4 (isolated)", *type));
        ok = false;
      }
      for (std::size_t col : {bus_col::pd, bus_col::qd, bus_col::gs, bus_col::bs, bus_col::vm,
                              bus_col::va, bus_col::base_kv, bus_col::v_max, bus_col::v_min})
        ok = finite(c[col], "bus data") && ok;
      if (ok && c[bus_col::base_kv].value < 0.0) {
        error(c[bus_col::base_kv], "baseKV must not be negative");
        ok = false;
      }
      if (!ok) continue;  // the model is rejected; later references to it report too
      if (!bus_index_.emplace(*number, static_cast<BusIndex>(model.buses.size())).second)
        error(c[bus_col::number], fmt::format("bus number {} appears twice", *number),
              "bus numbers must be unique");

      Bus bus;
      bus.id = fmt::format("bus{}", *number);
      bus.kind = BusKind::ac;
      const double base_kv = c[bus_col::base_kv].value;
      bus.nominal_voltage_v = base_kv > 0.0 ? base_kv * 1e3 : 1e3;
      bus.v_max_pu = c[bus_col::v_max].value;
      bus.v_min_pu = c[bus_col::v_min].value;
      bus.where = where(row);
      bus_type_.push_back(static_cast<int>(*type));
      bus_angle_deg_.push_back(c[bus_col::va].value);
      const BusIndex index = static_cast<BusIndex>(model.buses.size());
      const bool isolated = *type == 4;
      model.buses.push_back(std::move(bus));

      const double pd = c[bus_col::pd].value, qd = c[bus_col::qd].value;
      if (pd != 0.0 || qd != 0.0) {
        Load load;
        load.id = fmt::format("load{}", *number);
        load.model = LoadModel::constant_power;
        load.bus = index;
        load.p_w = pd * 1e6;
        load.q_var = qd * 1e6;
        load.in_service = !isolated;
        load.where = where(row);
        model.loads.push_back(std::move(load));
      }
      const double gs = c[bus_col::gs].value, bs = c[bus_col::bs].value;
      if (gs != 0.0 || bs != 0.0) {
        Load shunt;
        shunt.id = fmt::format("shunt{}", *number);
        shunt.model = LoadModel::constant_impedance;
        shunt.bus = index;
        shunt.p_w = gs * 1e6;     // MW consumed at 1 pu
        shunt.q_var = -bs * 1e6;  // Bs is Mvar injected at 1 pu
        shunt.in_service = !isolated;
        shunt.where = where(row);
        model.loads.push_back(std::move(shunt));
      }
    }
  }

  void map_generators(ModelSpec& model) {
    std::vector<bool> slack_taken(model.buses.size(), false);
    for (std::size_t g = 0; g < data_.gen.rows.size(); ++g) {
      const auto& row = data_.gen.rows[g];
      const auto& c = row.cells;
      const BusIndex bus = bus_ref(c[gen_col::bus], "generator bus");
      bool ok = bus != no_bus;
      for (std::size_t col : {gen_col::pg, gen_col::qg, gen_col::vg, gen_col::status})
        ok = finite(c[col], "generator data") && ok;
      if (!ok) continue;
      const auto b = static_cast<std::size_t>(bus);
      const int type = bus_type_[b];
      const bool in_service = c[gen_col::status].value > 0.0 && type != 4;
      const std::string id = fmt::format("gen{}", g + 1);

      if (type == 1) {
        // A generator on a PQ bus does not control voltage: MATPOWER injects Pg + jQg.
        Storage injection;
        injection.id = id;
        injection.bus = bus;
        injection.p_set_w = c[gen_col::pg].value * 1e6;
        injection.q_set_var = c[gen_col::qg].value * 1e6;
        injection.in_service = in_service;
        injection.where = where(row);
        model.storage.push_back(std::move(injection));
        continue;
      }
      Source source;
      source.id = id;
      source.bus = bus;
      source.v_set_pu = c[gen_col::vg].value;
      source.q_max_var =
          std::isfinite(c[gen_col::q_max].value) ? c[gen_col::q_max].value * 1e6 : source.q_max_var;
      source.q_min_var =
          std::isfinite(c[gen_col::q_min].value) ? c[gen_col::q_min].value * 1e6 : source.q_min_var;
      source.in_service = in_service;
      source.where = where(row);
      if (type == 3 && in_service && !slack_taken[b]) {
        // The first in-service generator at the slack bus holds its voltage and angle.
        source.type = SourceType::utility;
        source.angle_deg = bus_angle_deg_[b];
        slack_taken[b] = true;
      } else {
        // Further generators at the slack bus keep their Pg, as in MATPOWER.
        source.type = SourceType::generator;
        source.p_set_w = c[gen_col::pg].value * 1e6;
      }
      model.sources.push_back(std::move(source));
    }
    for (std::size_t b = 0; b < model.buses.size(); ++b) {
      if (bus_type_[b] == 3 && !slack_taken[b])
        diagnostics_.error(
            location(model, model.buses[b].where),
            fmt::format("slack bus {} has no in-service generator", model.buses[b].id.substr(3)),
            "add a generator with status 1 at the slack bus, or make another "
            "generator bus type 3");
    }
  }

  void map_branches(ModelSpec& model) {
    for (std::size_t k = 0; k < data_.branch.rows.size(); ++k) {
      const auto& row = data_.branch.rows[k];
      const auto& c = row.cells;
      const BusIndex from = bus_ref(c[branch_col::from], "branch from-bus");
      const BusIndex to = bus_ref(c[branch_col::to], "branch to-bus");
      bool ok = from != no_bus && to != no_bus;
      for (std::size_t col : {branch_col::r, branch_col::x, branch_col::b, branch_col::rate_a,
                              branch_col::ratio, branch_col::angle, branch_col::status})
        ok = finite(c[col], "branch data") && ok;
      if (!ok) continue;
      const double r = c[branch_col::r].value, x = c[branch_col::x].value,
                   b = c[branch_col::b].value;
      const double ratio = c[branch_col::ratio].value, angle = c[branch_col::angle].value;
      const double rate_mva = c[branch_col::rate_a].value;
      const bool touches_isolated = bus_type_[static_cast<std::size_t>(from)] == 4 ||
                                    bus_type_[static_cast<std::size_t>(to)] == 4;
      const bool in_service = c[branch_col::status].value != 0.0 && !touches_isolated;
      if (r == 0.0 && x == 0.0 && in_service) {
        error(c[branch_col::r], fmt::format("branch {} has zero impedance (r = x = 0)", k + 1),
              "give it a small reactance, or merge its two buses");
        continue;
      }
      const std::string id = fmt::format("branch{}", k + 1);
      const auto& from_bus = model.buses[static_cast<std::size_t>(from)];
      const auto& to_bus = model.buses[static_cast<std::size_t>(to)];
      const bool plain_line =
          ratio == 0.0 && angle == 0.0 && from_bus.nominal_voltage_v == to_bus.nominal_voltage_v;
      if (plain_line) {
        const double v_base = from_bus.nominal_voltage_v;
        const double z_base_ohm = v_base * v_base / model.solver.base_power_va;
        Line line;
        line.id = id;
        line.type = LineType::overhead;
        line.from = from;
        line.to = to;
        line.r_ohm = r * z_base_ohm;
        line.x_ohm = x * z_base_ohm;
        line.b_total_s = b / z_base_ohm;
        line.ampacity_a = rate_mva > 0.0 ? rate_mva * 1e6 / (std::sqrt(3.0) * v_base) : 0.0;
        line.in_service = in_service;
        line.where = where(row);
        model.lines.push_back(std::move(line));
      } else {
        Transformer transformer;
        transformer.id = id;
        transformer.hv = from;  // MATPOWER's tap is on the from side, as grid2gpu's on hv
        transformer.lv = to;
        transformer.rating_va = rate_mva > 0.0 ? rate_mva * 1e6 : 0.0;
        transformer.tap_ratio = ratio == 0.0 ? 1.0 : ratio;
        transformer.phase_shift_deg = angle;
        transformer.r_system_pu = r;
        transformer.x_system_pu = x;
        transformer.b_system_pu = b;
        transformer.in_service = in_service;
        transformer.where = where(row);
        model.transformers.push_back(std::move(transformer));
      }
    }
  }

  const CaseData& data_;
  const std::string& file_;
  const std::string& output_name_;
  core::DiagnosticList& diagnostics_;
  double base_mva_ = 100.0;
  std::unordered_map<long long, BusIndex> bus_index_;
  std::vector<int> bus_type_;          // per bus row
  std::vector<double> bus_angle_deg_;  // per bus row
};

}  // namespace

ModelSpec import_matpower(std::string_view text, const std::string& file_name) {
  core::DiagnosticList diagnostics;
  Reader reader(text, file_name, diagnostics);
  const CaseData data = reader.read();
  if (diagnostics.has_errors()) throw core::ModelError(std::move(diagnostics));
  Mapper mapper(data, file_name, reader.output_name(), diagnostics);
  ModelSpec model = mapper.map();
  if (diagnostics.has_errors()) throw core::ModelError(std::move(diagnostics));
  return model;
}

}  // namespace g2g::model
