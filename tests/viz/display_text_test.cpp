// Text as the visualizer draws it: emoji into the Private Use Area, plain symbols left alone.
#include <doctest/doctest.h>

#include "viz/model/display_text.hpp"

using namespace tasklab::viz;

namespace {
std::uint32_t only_code_point(const std::string& s) {
    const auto cps = decode_utf8(s);
    REQUIRE(cps.size() == 1);
    return cps[0];
}
}  // namespace

TEST_CASE("plain text and Korean are drawn as they are") {
    CHECK(display_text("downloadImage #3") == "downloadImage #3");
    CHECK(display_text("\uC791\uC5C5\uC774 \uCDE8\uC18C") == "\uC791\uC5C5\uC774 \uCDE8\uC18C");
}

TEST_CASE("emoji above U+FFFF get a private-use id that leads back to them") {
    for (std::uint32_t emoji : {0x1F7E1u, 0x1F6D1u, 0x1F9F9u, 0x1F680u}) {  // 🟡 🛑 🧹 🚀
        std::string in;
        in += static_cast<char>(0xF0 | (emoji >> 18));
        in += static_cast<char>(0x80 | ((emoji >> 12) & 0x3F));
        in += static_cast<char>(0x80 | ((emoji >> 6) & 0x3F));
        in += static_cast<char>(0x80 | (emoji & 0x3F));
        const std::uint32_t id = only_code_point(display_text(in));
        CHECK(id >= 0xE000);
        CHECK(id <= 0xF8FF);
        std::uint32_t back = 0;
        CHECK(pua_emoji(id, back));
        CHECK(back == emoji);
    }
}

TEST_CASE("a symbol is an emoji when it looks like one by default or U+FE0F asks for it") {
    std::uint32_t back = 0;
    // ✅ and ✨ look like emoji by default.
    CHECK(pua_emoji(only_code_point(display_text("\u2705")), back));
    CHECK(back == 0x2705);
    CHECK(pua_emoji(only_code_point(display_text("\u2728")), back));
    // ⚠ alone is the timeline's warning mark; ⚠️ (with U+FE0F) is the emoji.
    CHECK(display_text("\u26A0") == "\u26A0");
    CHECK(pua_emoji(only_code_point(display_text("\u26A0\uFE0F")), back));
    CHECK(back == 0x26A0);
    // U+FE0E asks for the plain symbol; the UI's media keys stay symbols.
    CHECK(only_code_point(display_text("\u2705\uFE0E")) == 0x2705);
    CHECK(display_text("\u23E9") == "\u23E9");
    CHECK_FALSE(emoji_by_default(0x2713));  // ✓
    CHECK(emoji_by_default(0x274C));        // ❌
}

TEST_CASE("keycaps become circled digits and joiners disappear") {
    CHECK(display_text("1\uFE0F\u20E3") == "\u278A");
    CHECK(display_text("0\u20E3") == "\u24FF");
    CHECK(decode_utf8(display_text("\U0001F469\u200D\U0001F4BB")).size() == 2);  // 👩‍💻: two glyphs, no joiner
    std::uint32_t unused = 0;
    CHECK(pua_emoji(0xE000, unused));
    CHECK_FALSE(pua_emoji(0xDFFF, unused));
    CHECK_FALSE(pua_emoji('A', unused));
}
