#include <doctest/doctest.h>

#include "scenarios/diagnostics.hpp"
#include "scenarios/source.hpp"

using namespace tasklab;

TEST_CASE("columns count code points so Korean text keeps carets aligned") {
    SourceFile f("k.swift", "print(\"한글\") oops\n");
    const auto oops = static_cast<std::uint32_t>(std::string("print(\"한글\") ").size());
    const auto at = f.locate(oops);
    CHECK(at.line == 1);
    CHECK(at.column == 13);  // 12 code points precede "oops"
    DiagnosticList list;
    list.error(DiagnosticKind::expected_token, Span{oops, oops + 4}, "expected `;`");
    const std::string text = render(f, list.items()[0]);
    CHECK(text.find("k.swift:1:13: error: expected `;`") == 0);
    // 'print("' = 7 cells, two wide Hangul = 4 cells, '") ' = 3 cells: caret at cell 14.
    CHECK(text.find("  | " + std::string(14, ' ') + "^~~~\n") != std::string::npos);
}
