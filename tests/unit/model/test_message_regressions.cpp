// Messages that once named the wrong problem or the wrong place: each input kept here with the
// message and position it must get.
#include <gtest/gtest.h>

#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/loader.hpp"

namespace g2g::model {
namespace {

core::Diagnostic first_error(const std::string& text, bool json = false) {
  try {
    if (json)
      (void)load_json(text, "m.json", LoadOptions{});
    else
      (void)load_yaml(text, "m.yaml", LoadOptions{});
  } catch (const core::ModelError& error) {
    return error.diagnostics().items().front();
  }
  ADD_FAILURE() << "no error";
  return {};
}

constexpr const char* two_buses_and_a_cable = R"(grid2gpu: 1
buses:
  - {id: src, kind: dc, voltage: 800 V}
  - {id: rack, kind: dc, voltage: 800 V}
components:
  - {id: s, type: dc_source, bus: src}
)";

// "1e400 kV" overflows the number, not the unit.
TEST(MessageRegressions, OverflowAfterAUnitPrefix) {
  const auto d = first_error("grid2gpu: 1\nbuses:\n  - {id: a, kind: ac, voltage: 1e400 kV}\n");
  EXPECT_EQ(d.where.line, 3);
  EXPECT_EQ(d.where.column, 32);
  EXPECT_NE(d.message.find("the number in \"1e400 kV\" is out of range"), std::string::npos)
      << d.message;
}

// A cross-section written with its unit gets no "write '... mm2 mm2'".
TEST(MessageRegressions, HugeCrossSectionWithAUnit) {
  std::string text = two_buses_and_a_cable;
  text += "  - {id: c1, type: cable, from: src, to: rack, cross_section: 1e300 mm2, length: 5 m}\n";
  const auto d = first_error(text);
  EXPECT_EQ(d.where.line, 7);
  EXPECT_EQ(d.fix.find("mm2 mm2"), std::string::npos) << d.fix;
  text = two_buses_and_a_cable;
  text += "  - {id: c1, type: cable, from: src, to: rack, cross_section: 240, length: 5 m}\n";
  EXPECT_NE(first_error(text).fix.find("write '240 mm2'"), std::string::npos);
}

// An unterminated quote is reported where it opens, not as a missing 'buses' at 1:1.
TEST(MessageRegressions, UnterminatedQuoteSwallowingTheBuses) {
  const auto d = first_error(
      "grid2gpu: 1\nname: \"unterminated\nbuses:\n  - {id: a, kind: dc, voltage: 800 V}\n");
  EXPECT_EQ(d.where.line, 2);
  EXPECT_NE(d.message.find("'buses' seems to be inside this quoted text"), std::string::npos)
      << d.message;
}

// A lone surrogate escape is reported at the escape, not at 1:1.
TEST(MessageRegressions, LoneSurrogateInJson) {
  auto d = first_error(
      R"({"grid2gpu": 1, "buses": [{"id": "a\ud800", "kind": "dc", "voltage": "800 V"}]})", true);
  EXPECT_EQ(d.where.line, 1);
  EXPECT_EQ(d.where.column, 36);
  EXPECT_NE(d.message.find("lone high surrogate '\\ud800'"), std::string::npos) << d.message;
  d = first_error(R"({"grid2gpu": 1, "buses": [{"id": "\udc00", "kind": "dc", "voltage": "8 V"}]})",
                  true);
  EXPECT_NE(d.message.find("lone low surrogate"), std::string::npos) << d.message;
}

}  // namespace
}  // namespace g2g::model
