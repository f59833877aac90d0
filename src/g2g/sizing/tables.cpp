#include "g2g/sizing/tables.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/error.hpp"

namespace g2g::sizing {

std::string_view name(Method method) noexcept {
  switch (method) {
    case Method::c:
      return "C";
    case Method::e:
      return "E";
    case Method::f:
      return "F";
  }
  return "?";
}

std::string_view name(Insulation insulation) noexcept {
  return insulation == Insulation::pvc ? "pvc" : "xlpe";
}

std::string_view name(Arrangement arrangement) noexcept {
  switch (arrangement) {
    case Arrangement::bunched:
      return "bunched";
    case Arrangement::single_layer_wall:
      return "single_layer_wall";
    case Arrangement::single_layer_ceiling:
      return "single_layer_ceiling";
    case Arrangement::single_layer_perforated_tray:
      return "single_layer_perforated_tray";
    case Arrangement::single_layer_ladder:
      return "single_layer_ladder";
  }
  return "?";
}

std::string_view name(BusbarFinish finish) noexcept {
  return finish == BusbarFinish::bare ? "bare" : "painted";
}

std::optional<Method> parse_method(std::string_view text) noexcept {
  if (text.size() != 1) return std::nullopt;
  switch (std::toupper(static_cast<unsigned char>(text[0]))) {
    case 'C':
      return Method::c;
    case 'E':
      return Method::e;
    case 'F':
      return Method::f;
    default:
      return std::nullopt;
  }
}

std::optional<Insulation> parse_insulation(std::string_view text) noexcept {
  if (text == "xlpe" || text == "XLPE" || text == "epr" || text == "EPR") return Insulation::xlpe;
  if (text == "pvc" || text == "PVC") return Insulation::pvc;
  return std::nullopt;
}

std::optional<Arrangement> parse_arrangement(std::string_view text) noexcept {
  for (const Arrangement a :
       {Arrangement::bunched, Arrangement::single_layer_wall, Arrangement::single_layer_ceiling,
        Arrangement::single_layer_perforated_tray, Arrangement::single_layer_ladder}) {
    if (text == name(a)) return a;
  }
  return std::nullopt;
}

std::optional<BusbarFinish> parse_busbar_finish(std::string_view text) noexcept {
  if (text == "painted") return BusbarFinish::painted;
  if (text == "bare") return BusbarFinish::bare;
  return std::nullopt;
}

// ---- Lookups ------------------------------------------------------------------------------

const AmpacityColumn* Tables::cable_column(model::Material material, Method method,
                                           Insulation insulation,
                                           int loaded_conductors) const noexcept {
  for (const auto& column : cable_ampacity) {
    if (column.material == material && column.method == method && column.insulation == insulation &&
        column.loaded_conductors == loaded_conductors && !column.entries.empty())
      return &column;
  }
  return nullptr;
}

std::optional<double> Tables::ambient_factor(Insulation insulation,
                                             double ambient_c) const noexcept {
  for (const auto& column : ambient) {
    if (column.insulation != insulation) continue;
    for (const auto& point : column.points) {
      if (ambient_c <= point.ambient_c + 1e-9) return point.factor;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<double> Tables::grouping_factor(Arrangement arrangement,
                                              int circuits) const noexcept {
  if (circuits < 1) return std::nullopt;
  for (const auto& row : grouping) {
    if (row.arrangement != arrangement) continue;
    for (const auto& point : row.points) {
      if (circuits <= point.circuits) return point.factor;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

double Tables::density_kg_m3(model::Material material) const {
  for (const auto& d : densities) {
    if (d.material == material) return d.density_kg_m3;
  }
  throw InvalidInput("materials.csv",
                     fmt::format("sizing tables: no density for {}",
                                 material == model::Material::copper ? "copper" : "aluminium"),
                     "add the material's row to materials.csv of the tables directory");
}

std::optional<double> Tables::next_standard_cross_section_m2(
    double cross_section_m2) const noexcept {
  for (const auto& size : cross_sections) {
    if (size.cross_section_m2 >= cross_section_m2 * (1.0 - 1e-9)) return size.cross_section_m2;
  }
  return std::nullopt;
}

// ---- CSV parsing --------------------------------------------------------------------------

namespace {

constexpr double mm2 = 1e-6;
constexpr double mm = 1e-3;

struct Cell {
  std::string_view text;
  int column = 1;  // 1-based character column of the cell in its line
};

struct Row {
  int line = 0;
  std::vector<Cell> cells;
};

struct Csv {
  std::vector<std::string> header;
  int header_line = 0;
  std::vector<Row> rows;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<Cell> split(std::string_view line) {
  std::vector<Cell> cells;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    const std::string_view raw = line.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    const std::string_view cell = trim(raw);
    const std::size_t lead = cell.empty() ? 0 : static_cast<std::size_t>(cell.data() - raw.data());
    cells.push_back({cell, static_cast<int>(start + lead) + 1});
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return cells;
}

// Parses one file: '#' comments and blank lines skipped, the first other line is the header.
class Parser {
 public:
  Parser(const TableFile& file, core::DiagnosticList& diagnostics)
      : file_(file), diagnostics_(diagnostics) {}

  Csv read() {
    Csv csv;
    std::string_view text = file_.text;
    int line_number = 0;
    while (!text.empty()) {
      const std::size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      ++line_number;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      const std::string_view content = trim(line);
      if (content.empty() || content.front() == '#') continue;
      auto cells = split(line);
      if (csv.header.empty()) {
        csv.header_line = line_number;
        for (const auto& cell : cells) csv.header.emplace_back(cell.text);
        continue;
      }
      if (cells.size() != csv.header.size()) {
        error(line_number, 1,
              fmt::format("{} cells, the header has {}", cells.size(), csv.header.size()),
              "give every row one cell per header column (leave gaps empty)");
        continue;
      }
      csv.rows.push_back({line_number, std::move(cells)});
    }
    if (csv.header.empty()) error(0, 0, "no header line", "start the table with a header line");
    return csv;
  }

  // A number, or nullopt for an empty cell (a gap). Reports non-numbers and values <= 0.
  std::optional<double> number(const Row& row, std::size_t index, bool allow_gap = true) {
    const Cell& cell = row.cells[index];
    if (cell.text.empty()) {
      if (!allow_gap) error(row.line, cell.column, "empty cell", "give a value");
      return std::nullopt;
    }
    double value = 0.0;
    const char* first = cell.text.data();
    const char* last = first + cell.text.size();
    const auto [end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || end != last || !std::isfinite(value) || value <= 0.0) {
      error(row.line, cell.column, fmt::format("'{}' is not a positive number", cell.text),
            "write a plain positive number, or leave the cell empty for a gap");
      return std::nullopt;
    }
    return value;
  }

  void error(int line, int column, std::string message, std::string fix = {}) {
    diagnostics_.error({file_.name, line, column}, std::move(message), std::move(fix));
  }

  [[nodiscard]] const std::string& name() const { return file_.name; }

 private:
  const TableFile& file_;
  core::DiagnosticList& diagnostics_;
};

// Index of a header column, or reports it missing.
std::optional<std::size_t> column_index(Parser& parser, const Csv& csv, std::string_view name) {
  const auto it = std::find(csv.header.begin(), csv.header.end(), name);
  if (it == csv.header.end()) {
    parser.error(csv.header_line, 1, fmt::format("no column '{}'", name),
                 fmt::format("add a '{}' column", name));
    return std::nullopt;
  }
  return static_cast<std::size_t>(it - csv.header.begin());
}

void parse_cable_ampacity(Parser& parser, Tables& tables) {
  const Csv csv = parser.read();
  if (csv.header.empty()) return;
  const auto size_col = column_index(parser, csv, "cross_section_mm2");
  if (!size_col) return;
  // Every other column is <method>_<insulation>_<loaded conductors>.
  for (std::size_t c = 0; c < csv.header.size(); ++c) {
    if (c == *size_col) continue;
    const std::string& head = csv.header[c];
    const std::size_t a = head.find('_');
    const std::size_t b = a == std::string::npos ? a : head.find('_', a + 1);
    std::optional<Method> method;
    std::optional<Insulation> insulation;
    int loaded = 0;
    if (b != std::string::npos) {
      method = parse_method(std::string_view(head).substr(0, a));
      insulation = parse_insulation(std::string_view(head).substr(a + 1, b - a - 1));
      const std::string_view n = std::string_view(head).substr(b + 1);
      if (n == "2") loaded = 2;
      if (n == "3") loaded = 3;
    }
    if (!method || !insulation || loaded == 0) {
      parser.error(
          csv.header_line, 1,
          fmt::format("column '{}' is not <method>_<insulation>_<loaded>", head),
          "name it like E_xlpe_3 (method C, E or F; xlpe or pvc; 2 or 3 loaded conductors)");
      continue;
    }
    AmpacityColumn column{model::Material::copper, *method, *insulation, loaded, {}};
    for (const Row& row : csv.rows) {
      const auto size = parser.number(row, *size_col, false);
      const auto amps = parser.number(row, c);
      if (!size || !amps) continue;
      if (!column.entries.empty() && *size * mm2 <= column.entries.back().cross_section_m2) {
        parser.error(row.line, row.cells[*size_col].column, "cross-sections must ascend");
        continue;
      }
      column.entries.push_back({*size * mm2, *amps});
    }
    tables.cable_ampacity.push_back(std::move(column));
  }
}

void parse_ambient(Parser& parser, Tables& tables) {
  const Csv csv = parser.read();
  if (csv.header.empty()) return;
  const auto t_col = column_index(parser, csv, "ambient_c");
  if (!t_col) return;
  for (const Insulation insulation : {Insulation::pvc, Insulation::xlpe}) {
    const auto c = column_index(parser, csv, name(insulation));
    if (!c) continue;
    AmbientColumn column{insulation, {}};
    for (const Row& row : csv.rows) {
      const auto t = parser.number(row, *t_col, false);
      const auto k = parser.number(row, *c);
      if (!t || !k) continue;
      if (!column.points.empty() && *t <= column.points.back().ambient_c)
        parser.error(row.line, 1, "ambient temperatures must ascend");
      column.points.push_back({*t, *k});
    }
    tables.ambient.push_back(std::move(column));
  }
}

void parse_grouping(Parser& parser, Tables& tables) {
  const Csv csv = parser.read();
  if (csv.header.empty()) return;
  const auto a_col = column_index(parser, csv, "arrangement");
  if (!a_col) return;
  std::vector<std::pair<std::size_t, int>> counts;
  for (std::size_t c = 0; c < csv.header.size(); ++c) {
    if (c == *a_col) continue;
    int n = 0;
    const std::string& head = csv.header[c];
    const auto [end, ec] = std::from_chars(head.data(), head.data() + head.size(), n);
    if (ec != std::errc() || end != head.data() + head.size() || n < 1 ||
        (!counts.empty() && n <= counts.back().second)) {
      parser.error(csv.header_line, 1,
                   fmt::format("column '{}' is not an ascending number of circuits", head));
      continue;
    }
    counts.emplace_back(c, n);
  }
  for (const Row& row : csv.rows) {
    const auto arrangement = parse_arrangement(row.cells[*a_col].text);
    if (!arrangement) {
      parser.error(row.line, row.cells[*a_col].column,
                   fmt::format("unknown arrangement '{}'", row.cells[*a_col].text),
                   "use bunched, single_layer_wall, single_layer_ceiling, "
                   "single_layer_perforated_tray or single_layer_ladder");
      continue;
    }
    GroupingRow grouping{*arrangement, {}};
    for (const auto& [c, n] : counts) {
      const auto k = parser.number(row, c, false);
      if (k) grouping.points.push_back({n, *k});
    }
    tables.grouping.push_back(std::move(grouping));
  }
}

void parse_busbars(Parser& parser, Tables& tables) {
  const Csv csv = parser.read();
  if (csv.header.empty()) return;
  const auto w = column_index(parser, csv, "width_mm");
  const auto t = column_index(parser, csv, "thickness_mm");
  const auto s = column_index(parser, csv, "cross_section_mm2");
  // Rating columns, AC then DC: <finish>_<bars> and dc_<finish>_<bars>.
  using Columns = std::array<std::optional<std::size_t>, 4>;
  Columns painted, bare, dc_painted, dc_bare;
  for (std::size_t n = 0; n < 4; ++n) {
    painted[n] = column_index(parser, csv, fmt::format("painted_{}", n + 1));
    bare[n] = column_index(parser, csv, fmt::format("bare_{}", n + 1));
    dc_painted[n] = column_index(parser, csv, fmt::format("dc_painted_{}", n + 1));
    dc_bare[n] = column_index(parser, csv, fmt::format("dc_bare_{}", n + 1));
  }
  if (!w || !t || !s) return;
  for (const Row& row : csv.rows) {
    const auto width = parser.number(row, *w, false);
    const auto thickness = parser.number(row, *t, false);
    const auto area = parser.number(row, *s, false);
    if (!width || !thickness || !area) continue;
    BusbarSize size;
    size.width_m = *width * mm;
    size.thickness_m = *thickness * mm;
    size.cross_section_m2 = *area * mm2;
    auto read = [&](const Columns& columns, std::array<double, 4>& ratings) {
      for (std::size_t n = 0; n < 4; ++n)
        if (columns[n]) ratings[n] = parser.number(row, *columns[n]).value_or(0.0);
    };
    read(painted, size.painted_a);
    read(bare, size.bare_a);
    read(dc_painted, size.dc_painted_a);
    read(dc_bare, size.dc_bare_a);
    tables.busbars.push_back(size);
  }
}

void parse_cross_sections(Parser& parser, Tables& tables) {
  const Csv csv = parser.read();
  if (csv.header.empty()) return;
  const auto s = column_index(parser, csv, "cross_section_mm2");
  const auto cu = column_index(parser, csv, "r20_copper_ohm_per_km");
  const auto al = column_index(parser, csv, "r20_aluminium_ohm_per_km");
  if (!s || !cu || !al) return;
  for (const Row& row : csv.rows) {
    const auto area = parser.number(row, *s, false);
    if (!area) continue;
    if (!tables.cross_sections.empty() &&
        *area * mm2 <= tables.cross_sections.back().cross_section_m2)
      parser.error(row.line, 1, "cross-sections must ascend");
    StandardSize size{*area * mm2, {}, {}};
    if (const auto r = parser.number(row, *cu)) size.r20_copper_ohm_per_m = *r * 1e-3;
    if (const auto r = parser.number(row, *al)) size.r20_aluminium_ohm_per_m = *r * 1e-3;
    tables.cross_sections.push_back(size);
  }
}

void parse_materials(Parser& parser, Tables& tables) {
  const Csv csv = parser.read();
  if (csv.header.empty()) return;
  const auto m = column_index(parser, csv, "material");
  const auto d = column_index(parser, csv, "density_kg_m3");
  if (!m || !d) return;
  for (const Row& row : csv.rows) {
    const std::string_view text = row.cells[*m].text;
    std::optional<model::Material> material;
    if (text == "copper") material = model::Material::copper;
    if (text == "aluminium") material = model::Material::aluminium;
    if (!material) {
      parser.error(row.line, row.cells[*m].column, fmt::format("unknown material '{}'", text),
                   "use copper or aluminium");
      continue;
    }
    if (const auto density = parser.number(row, *d, false))
      tables.densities.push_back({*material, *density});
  }
}

// A file named `base`, or a path ending in /base.
bool names_table(std::string_view name, std::string_view base) {
  if (name == base) return true;
  return name.size() > base.size() && name.ends_with(base) &&
         (name[name.size() - base.size() - 1] == '/' ||
          name[name.size() - base.size() - 1] == '\\');
}

}  // namespace

Tables parse_tables(std::span<const TableFile> files) {
  core::DiagnosticList diagnostics;
  Tables tables;
  using ParseFunction = void (*)(Parser&, Tables&);
  const std::array<ParseFunction, table_file_names.size()> parsers = {
      parse_cable_ampacity, parse_ambient,        parse_grouping,
      parse_busbars,        parse_cross_sections, parse_materials,
  };
  for (std::size_t i = 0; i < table_file_names.size(); ++i) {
    const auto count = std::count_if(files.begin(), files.end(), [&](const TableFile& file) {
      return names_table(file.name, table_file_names[i]);
    });
    if (count != 1) {
      diagnostics.error({std::string(table_file_names[i]), 0, 0},
                        count == 0 ? "sizing table missing" : "sizing table given twice",
                        "give each table file once");
      continue;
    }
    const auto file = std::find_if(files.begin(), files.end(), [&](const TableFile& f) {
      return names_table(f.name, table_file_names[i]);
    });
    Parser parser(*file, diagnostics);
    parsers[i](parser, tables);
  }
  for (const auto& f : files) {
    if (std::none_of(table_file_names.begin(), table_file_names.end(),
                     [&](std::string_view base) { return names_table(f.name, base); }))
      diagnostics.error({f.name, 0, 0}, "not a sizing table",
                        fmt::format("the tables are: {}", fmt::join(table_file_names, ", ")));
  }
  if (!diagnostics.has_errors()) {
    if (tables.densities.empty() || std::none_of(tables.densities.begin(), tables.densities.end(),
                                                 [](const MaterialDensity& d) {
                                                   return d.material == model::Material::copper;
                                                 }))
      diagnostics.error({"materials.csv", 0, 0}, "no copper density", "add a copper row");
    if (tables.cross_sections.empty())
      diagnostics.error({"cross_sections_iec60228.csv", 0, 0}, "no cross-sections");
  }
  if (diagnostics.has_errors()) throw core::ModelError(std::move(diagnostics));
  return tables;
}

const Tables& default_tables() {
  static const Tables tables = parse_tables(default_table_files());
  return tables;
}

}  // namespace g2g::sizing
