// Element edits (model/edits.hpp): a caller's value for one key of one element, read through the
// builder's key table; and the JSON path of a diagnostic (SourceLocation::path).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::model {
namespace {

const std::string feeder = R"yaml(grid2gpu: 1
parameters:
  load_power: 100 kW
buses:
  - {id: b, kind: dc, voltage: 800 V}
  - {id: c, kind: dc, voltage: 800 V}
components:
  - {id: src, type: dc_source, bus: b}
  - {id: feed, type: cable, from: b, to: c, cross_section: 50 mm2, length: 100 m}
  - {id: it, type: load, bus: c, power: $load_power}
templates:
  rack:
    ports: [feed]
    components:
      - {id: fans, type: load, bus: feed, power: 2 kW}
instances:
  - {template: rack, id: r, count: 2, connect: {feed: c}}
)yaml";

LoadOptions with_edits(std::vector<ElementEdit> edits) {
  LoadOptions options;
  options.edits = std::move(edits);
  return options;
}

core::DiagnosticList edit_errors(const std::string& text, const LoadOptions& options,
                                 bool json = false) {
  try {
    if (json)
      (void)load_json(text, "model.json", options);
    else
      (void)load_yaml(text, "feeder.yaml", options);
  } catch (const core::ModelError& error) {
    return error.diagnostics();
  }
  ADD_FAILURE() << "expected a ModelError";
  return {};
}

TEST(ElementEdits, ReplaceAndAddKeysWithTheFileUnits) {
  const ModelSpec m = load_yaml(feeder, "feeder.yaml",
                                with_edits({{"feed", "cross_section", "25 mm2"},
                                            {"feed", "ampacity", "127 A"},
                                            {"feed", "length", "0.2 km"}}));
  ASSERT_EQ(m.lines.size(), 1u);
  EXPECT_DOUBLE_EQ(m.lines[0].cross_section_m2, 25e-6);
  EXPECT_DOUBLE_EQ(m.lines[0].length_m, 200.0);
  EXPECT_DOUBLE_EQ(m.lines[0].ampacity_a, 127.0);  // a key the file did not write
  // Edits are read after the parameters: an expression in an edit is text, not resolved.
  EXPECT_EQ(edit_errors(feeder, with_edits({{"it", "power", "$(2 * load_power)"}})).error_count(),
            1u);
}

TEST(ElementEdits, ALaterEditOfTheSameKeyWinsAndParametersStillApply) {
  LoadOptions options = with_edits({{"feed", "length", "3 m"}, {"feed", "length", "7 m"}});
  options.parameters = {{"load_power", "50 kW"}};
  const ModelSpec m = load_yaml(feeder, "feeder.yaml", options);
  EXPECT_DOUBLE_EQ(m.lines[0].length_m, 7.0);
  EXPECT_DOUBLE_EQ(m.loads[0].p_w, 50e3);
}

TEST(ElementEdits, UnknownIdsAndKeysSuggestTheClosest) {
  const auto unknown_key = edit_errors(feeder, with_edits({{"feed", "lenght", "3 m"}}));
  ASSERT_EQ(unknown_key.error_count(), 1u);
  EXPECT_NE(unknown_key.items()[0].message.find("unknown key 'lenght'"), std::string::npos);
  EXPECT_EQ(unknown_key.items()[0].fix, "did you mean 'length'?");
  EXPECT_EQ(unknown_key.items()[0].where.line, 9);  // the line of the element edited

  const auto unknown_id = edit_errors(feeder, with_edits({{"fed", "length", "3 m"}}));
  ASSERT_EQ(unknown_id.error_count(), 1u);
  EXPECT_EQ(unknown_id.items()[0].fix, "did you mean 'feed'?");

  const auto templated = edit_errors(feeder, with_edits({{"r[1]/fans", "power", "1 kW"}}));
  ASSERT_EQ(templated.error_count(), 1u);
  EXPECT_NE(templated.items()[0].fix.find("template"), std::string::npos);

  EXPECT_EQ(edit_errors(feeder, with_edits({{"feed", "type", "busbar"}})).error_count(), 1u);
}

TEST(ElementEdits, ValuesAreCheckedLikeTheFiles) {
  const auto negative = edit_errors(feeder, with_edits({{"feed", "length", "-3 m"}}));
  ASSERT_EQ(negative.error_count(), 1u);
  EXPECT_NE(negative.items()[0].message.find("cable 'feed'"), std::string::npos);
  EXPECT_NE(negative.items()[0].message.find("length"), std::string::npos);
  const auto wrong_unit = edit_errors(feeder, with_edits({{"feed", "length", "3 V"}}));
  EXPECT_EQ(wrong_unit.error_count(), 1u);
}

TEST(DiagnosticPath, JsonDiagnosticsNameTheirPlaceInTheTree) {
  const std::string json = R"({"grid2gpu": 1, "buses": [{"id": "b", "kind": "dc",
    "voltage": "800 V"}], "components": [{"id": "s", "type": "dc_source", "bus": "b"},
    {"id": "l", "type": "load", "bus": "b", "power": "-5 kW", "model": "constant_powr"}]})";
  const auto problems = edit_errors(json, {}, true);
  std::vector<std::string> paths;
  for (const auto& d : problems.items()) paths.push_back(d.where.path);
  EXPECT_NE(std::find(paths.begin(), paths.end(), "components[1].model"), paths.end());
  // YAML has lines and columns, and no path.
  const auto yaml = edit_errors(feeder, with_edits({{"feed", "length", "-3 m"}}));
  EXPECT_TRUE(yaml.items()[0].where.path.empty());
  EXPECT_EQ(core::format_diagnostic(problems.items()[0]).find("components["), std::string::npos);
}

}  // namespace
}  // namespace g2g::model
