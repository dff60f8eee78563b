// Fitting labels into a width: cut at code points, marked with "…".
#include <doctest/doctest.h>

#include "viz/model/text_fit.hpp"

using namespace tasklab::viz;

namespace {
// One pixel per code point: easy to reason about, and wide characters count once like narrow.
float code_points(std::string_view s) {
    float n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) n += 1;
    return n;
}
}  // namespace

TEST_CASE("a label that fits is left whole") {
    const FittedText f = fit_text("downloadImage #3", 16, code_points);
    CHECK(f.text == "downloadImage #3");
    CHECK_FALSE(f.cut);
}

TEST_CASE("a label too wide is cut and ends with an ellipsis inside the width") {
    const FittedText f = fit_text("WebSocketServer().start", 10, code_points);
    CHECK(f.cut);
    CHECK(f.text == "WebSocket\u2026");
    CHECK(code_points(f.text) <= 10);
}

TEST_CASE("cutting never splits a code point and drops the spaces before the ellipsis") {
    const FittedText k = fit_text("\uC791\uC5C5\uC774 \uCDE8\uC18C", 4, code_points);  // 작업이 취소
    CHECK(k.text == "\uC791\uC5C5\uC774\u2026");
    const FittedText e = fit_text("\U0001F7E1\U0001F7E1\U0001F7E1", 2, code_points);
    CHECK(e.text == "\U0001F7E1\u2026");
}

TEST_CASE("a width too small for one character leaves just the ellipsis") {
    CHECK(fit_text("main", 1, code_points).text == "\u2026");
    CHECK(fit_text("main", 0.5f, code_points).cut);
    CHECK(fit_text("", 0, code_points).text.empty());
}

TEST_CASE("a cut lane name keeps the number that tells it from its siblings") {
    const FittedText f = fit_text("downloadImage(from: url) #3", 20, code_points);
    CHECK(f.cut);
    CHECK(f.text == "downloadImage(fr\u2026 #3");
    CHECK(code_points(f.text) <= 20);
    // Without a " #N" suffix the end goes as usual; a suffix wider than half the room goes too.
    CHECK(fit_text("downloadImage(from: url)", 10, code_points).text == "downloadI\u2026");
    CHECK(fit_text("abcdefgh #1234", 8, code_points).text == "abcdefg\u2026");
}
