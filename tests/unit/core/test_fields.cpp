// The configuration toolkit (core/fields.hpp, core/yaml_fields.hpp): typo suggestions, typed
// keys with units, required keys and defaults, and every message located at file:line:col with a
// fix. The device, material, SPEC and study readers and the model builder all report through it.
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/fields.hpp"
#include "g2g/core/yaml_fields.hpp"

namespace g2g::core {
namespace {

constexpr std::array fields{
    key("name", true, "the part's name", "X1"),
    quantity_key("inductance", Dimension::inductance, true, Check::positive, "main inductance"),
    quantity_key("f_sw", Dimension::frequency, false, Check::positive),
    key("turns"),
    key("enabled"),
};

// The first diagnostic of reading `text` as one map of `fields`, formatted.
std::string first_problem(YamlFile& file) {
  if (file.diagnostics().items().empty()) return {};
  return format_diagnostic(file.diagnostics().items().front());
}

TEST(Fields, DidYouMeanFindsCloseWordsOnly) {
  const std::array<std::string_view, 3> keys{"length", "resistance", "reactance"};
  EXPECT_EQ(closest_match("lenght", keys), "length");
  EXPECT_EQ(closest_match("reactanse", keys), "reactance");
  EXPECT_EQ(closest_match("colour", keys), "");
  EXPECT_EQ(did_you_mean("lenght", keys, "no"), "did you mean 'length'?");
  EXPECT_EQ(did_you_mean("zzz", keys, "the keys are: ..."), "the keys are: ...");
  EXPECT_EQ(join_names(keys), "length, resistance, reactance");
}

TEST(Fields, UnknownKeyIsLocatedWithASuggestion) {
  YamlFile file("part.yaml");
  const YAML::Node root = file.parse("name: L1\ninductnace: 2.2 uH\n");
  YamlMap map(file, root, "inductor", fields, "name", "an inductor");
  ASSERT_TRUE(map.is_map());
  EXPECT_EQ(first_problem(file),
            "part.yaml:2:1: error: inductor 'L1': unknown key 'inductnace' "
            "(fix: did you mean 'inductance'?)");
  // Far from every key: the list of keys instead.
  YamlFile other("part.yaml");
  YamlMap far(other, other.parse("colour: red\n"), "inductor", fields, {}, "an inductor");
  EXPECT_NE(first_problem(other).find("the keys of an inductor are: name, inductance, f_sw"),
            std::string::npos)
      << first_problem(other);
}

TEST(Fields, RepeatedKeyIsReportedOnce) {
  YamlFile file("p.yaml");
  YamlMap map(file, file.parse("name: a\nname: b\n"), "part", fields);
  ASSERT_EQ(file.diagnostics().error_count(), 1u);
  EXPECT_EQ(first_problem(file),
            "p.yaml:2:1: error: part: key 'name' is given twice "
            "(fix: keep one of them)");
  EXPECT_EQ(map.text("name"), "a");  // the first one counts
}

TEST(Fields, WrongDimensionNamesBothAndTheFix) {
  YamlFile file("p.yaml");
  YamlMap map(file, file.parse("name: L1\ninductance: 22 uF\n"), "inductor", fields);
  EXPECT_FALSE(map.quantity("inductance").has_value());
  const std::string problem = first_problem(file);
  EXPECT_NE(problem.find("p.yaml:2:13: error: inductor: inductance: \"22 uF\" is a capacitance, "
                         "but an inductance is expected here"),
            std::string::npos)
      << problem;
  EXPECT_NE(problem.find("2.2 uH"), std::string::npos) << problem;
}

TEST(Fields, RangeIsCheckedAfterTheUnit) {
  YamlFile file("p.yaml");
  YamlMap map(file, file.parse("name: L1\ninductance: -2 uH\n"), "inductor", fields);
  EXPECT_FALSE(map.quantity("inductance").has_value());
  EXPECT_NE(first_problem(file).find("inductor: inductance must be greater than zero, got -2 uH"),
            std::string::npos)
      << first_problem(file);
}

TEST(Fields, MissingRequiredKeyIsReportedAtTheMap) {
  YamlFile file("p.yaml");
  YamlMap map(file, file.parse("\n  name: L1\n  f_sw: 100 kHz\n"), "inductor", fields, "name");
  EXPECT_FALSE(map.require_all());
  ASSERT_EQ(file.diagnostics().error_count(), 1u);
  EXPECT_EQ(first_problem(file),
            "p.yaml:2:3: error: inductor 'L1' has no 'inductance' "
            "(fix: add 'inductance: 2.2 uH' (main inductance))");
}

TEST(Fields, AbsentOptionalKeyKeepsItsDefault) {
  YamlFile file("p.yaml");
  YamlMap map(file, file.parse("name: L1\ninductance: 2.2 uH\n"), "inductor", fields);
  double f_sw_hz = 100e3;  // the default
  int turns = 4;
  bool enabled = true;
  map.read("f_sw", f_sw_hz);
  map.read("turns", turns, 1);
  map.read("enabled", enabled);
  EXPECT_EQ(f_sw_hz, 100e3);
  EXPECT_EQ(turns, 4);
  EXPECT_TRUE(enabled);
  double inductance_h = 0.0;
  map.read("inductance", inductance_h);
  EXPECT_DOUBLE_EQ(inductance_h, 2.2e-6);
  EXPECT_FALSE(file.has_errors());
}

TEST(Fields, WholeNumbersAndFlags) {
  YamlFile file("p.yaml");
  YamlMap map(file, file.parse("turns: 0\nenabled: yes\n"), "inductor", fields);
  EXPECT_FALSE(map.integer("turns", 1).has_value());
  EXPECT_FALSE(map.boolean("enabled").has_value());
  const std::string all = file.diagnostics().to_string();
  EXPECT_NE(all.find("p.yaml:1:8: error: inductor: turns must be at least 1, got 0"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("p.yaml:2:10: error: inductor: enabled must be true or false, got 'yes'"),
            std::string::npos)
      << all;
}

TEST(Fields, NotAMapAndSyntaxErrorsAreLocated) {
  YamlFile file("p.yaml");
  YamlMap map(file, file.parse("- a\n- b\n"), "inductor", fields);
  EXPECT_FALSE(map.is_map());
  EXPECT_NE(first_problem(file).find("p.yaml:1:1: error: inductor must be a map"),
            std::string::npos)
      << first_problem(file);
  YamlFile broken("b.yaml");
  EXPECT_TRUE(broken.parse("a: [1, 2\n").IsNull());
  EXPECT_NE(first_problem(broken).find("b.yaml:"), std::string::npos);
  EXPECT_NE(first_problem(broken).find("not valid YAML"), std::string::npos);
  EXPECT_THROW(broken.throw_if_errors(), ModelError);
}

TEST(Fields, MessagesWithoutATree) {
  const auto range = check_range("cable 'c1'", "length", -1.0, "-1 m", Check::positive);
  ASSERT_TRUE(range.has_value());
  EXPECT_EQ(range->message, "cable 'c1': length must be greater than zero, got -1 m");
  EXPECT_FALSE(check_range("x", "ratio", 1.0, "100 %", Check::fraction).has_value());
  EXPECT_TRUE(check_range("x", "ratio", 1.01, "101 %", Check::fraction).has_value());
  EXPECT_EQ(missing_key("", "source", "a test").message, "missing 'source'");
  Problem problem;
  EXPECT_FALSE(read_quantity("3 kg", Dimension::volume, Check::none, "core", "volume", problem));
  EXPECT_NE(problem.message.find("core: volume: unknown unit \"kg\""), std::string::npos)
      << problem.message;
  EXPECT_EQ(read_integer(" 12 ", 1, "x", "n", problem), 12);
}

}  // namespace
}  // namespace g2g::core
