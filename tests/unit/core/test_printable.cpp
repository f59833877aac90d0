// core::printable: model text on its way to a terminal.
#include <gtest/gtest.h>

#include <string>

#include "g2g/core/printable.hpp"

namespace g2g::core {
namespace {

TEST(Printable, ControlCharactersAreEscapedAndOtherTextKept) {
  EXPECT_EQ(printable("rack-1 (800 V) µ Ω"), "rack-1 (800 V) µ Ω");
  EXPECT_EQ(printable("a\x1b[31mb\n\t\x7f"), "a\\x1b[31mb\\n\\t\\x7f");
  // C1 controls (CSI is U+009B) are escapes on some terminals; U+00A0 is not a control.
  EXPECT_EQ(printable("x\xc2\x9b"
                      "2Jy\xc2\xa0z"),
            "x\\u009b2Jy\xc2\xa0z");
  EXPECT_TRUE(has_control_characters("a\x1b"));
  EXPECT_TRUE(has_control_characters("\xc2\x85"));
  EXPECT_FALSE(has_control_characters("Ω µ ü"));
}

TEST(Printable, LongTextIsCutAtACharacterBoundary) {
  EXPECT_EQ(printable(std::string(10, 'x'), 4), "xxxx… (6 more bytes)");
  // "Ω" is two bytes: a cut after 3 bytes of "ΩΩ" keeps one Ω whole.
  EXPECT_EQ(printable("ΩΩ", 3), "Ω… (2 more bytes)");
  EXPECT_EQ(printable(std::string(3'000'000, 'y')).size(),
            max_printed_bytes + std::string("… (2998000 more bytes)").size());
}

// Tables keep their lines; what a model put inside a line is escaped, and nothing is cut.
TEST(Printable, TerminalTextKeepsLineBreaksOnly) {
  EXPECT_EQ(terminal_text("a\tb\nc\x1b[2Jd\n"), "a\tb\nc\\x1b[2Jd\n");
  const std::string long_table(10000, 'x');
  EXPECT_EQ(terminal_text(long_table), long_table);
}

}  // namespace
}  // namespace g2g::core
