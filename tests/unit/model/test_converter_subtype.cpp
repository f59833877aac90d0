// Converter subtypes: an enum read from the model file's `subtype:` (one spelling each), written
// back the same, and an unknown one refused at its line and column with a "did you mean".
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <set>
#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::model {
namespace {

std::string model_with(std::string_view subtype) {
  return std::string(R"(grid2gpu: 1
buses:
  - {id: dc1, kind: dc, voltage: 800 V}
  - {id: dc2, kind: dc, voltage: 54 V}
components:
  - {id: src, type: dc_source, bus: dc1}
  - {id: k, type: dcdc, subtype: )") +
         std::string(subtype) + R"(, input: dc1, output: dc2, rating: 10 kW, efficiency: 98 %}
  - {id: load, type: load, bus: dc2, power: 5 kW}
)";
}

TEST(ConverterSubtype, EveryNameIsDistinctAndNoneHasNone) {
  std::set<std::string_view> names;
  for (const auto s : converter_subtypes) {
    EXPECT_FALSE(name(s).empty());
    EXPECT_TRUE(names.insert(name(s)).second) << name(s);
  }
  EXPECT_EQ(name(ConverterSubtype::none), "");
  EXPECT_EQ(name(ConverterSubtype::vrm), "vrm");
  EXPECT_EQ(name(ConverterSubtype::dc_transformer), "dc_transformer");
}

TEST(ConverterSubtype, ReadAndWrittenWithTheSameSpelling) {
  for (const auto s : converter_subtypes) {
    SCOPED_TRACE(std::string(name(s)));
    const ModelSpec m = load_yaml(model_with(name(s)), "model.yaml");
    ASSERT_EQ(m.converters.size(), 1u);
    EXPECT_EQ(m.converters[0].subtype, s);
    const std::string written = write_yaml(m);
    EXPECT_NE(written.find(fmt::format("subtype: {}", name(s))), std::string::npos) << written;
    const ModelSpec again = load_yaml(written, "again.yaml");
    ASSERT_EQ(again.converters.size(), 1u);
    EXPECT_EQ(again.converters[0].subtype, s);
  }
}

TEST(ConverterSubtype, TypesPsuAndSstSetIt) {
  const ModelSpec m = load_yaml(R"(grid2gpu: 1
buses:
  - {id: ac1, kind: ac, voltage: 415 V}
  - {id: dc1, kind: dc, voltage: 54 V}
  - {id: dc2, kind: dc, voltage: 54 V}
components:
  - {id: src, type: utility, bus: ac1}
  - {id: p, type: psu, input: ac1, output: dc1, rating: 10 kW, efficiency: 96 %}
  - {id: s, type: sst, input: ac1, output: dc2, rating: 10 kW, efficiency: 98 %}
  - {id: r, type: rectifier, input: ac1, output: dc2, rating: 10 kW, efficiency: 97 %,
     control: power, power: 1 kW}
  - {id: l1, type: load, bus: dc1, power: 1 kW}
  - {id: l2, type: load, bus: dc2, power: 1 kW}
)",
                                "model.yaml");
  ASSERT_EQ(m.converters.size(), 3u);
  EXPECT_EQ(m.converters[0].subtype, ConverterSubtype::psu);
  EXPECT_EQ(m.converters[1].subtype, ConverterSubtype::sst);
  EXPECT_EQ(m.converters[2].subtype, ConverterSubtype::none);
}

TEST(ConverterSubtype, UnknownIsALocatedErrorWithDidYouMean) {
  const std::string text = model_with("vmr");
  try {
    (void)load_yaml(text, "model.yaml");
    FAIL() << "an unknown subtype was accepted";
  } catch (const core::ModelError& error) {
    const core::Diagnostic* found = nullptr;
    for (const auto& d : error.diagnostics().items())
      if (d.message.find("subtype 'vmr' is not one of") != std::string::npos) found = &d;
    ASSERT_NE(found, nullptr) << error.diagnostics().to_string();
    EXPECT_EQ(found->where.file, "model.yaml");
    EXPECT_EQ(found->where.line, 7);
    EXPECT_EQ(found->where.column,
              static_cast<int>(text.find("vmr") - text.rfind('\n', text.find("vmr"))));
    EXPECT_NE(found->fix.find("did you mean 'vrm'?"), std::string::npos) << found->fix;
  }
}

}  // namespace
}  // namespace g2g::model
