#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

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

TEST_CASE("a scenario is read whole up to 8 MiB and refused beyond, as is a folder") {
    const auto dir = std::filesystem::temp_directory_path() / "tasklab_source_test";
    std::filesystem::create_directories(dir);
    const std::string small = (dir / "small.py").string(), big = (dir / "big.py").string();
    std::ofstream(small, std::ios::binary) << "print('안녕')\n";
    {
        std::ofstream out(big, std::ios::binary);
        const std::string line(1023, '#');
        for (std::size_t i = 0; i <= k_max_source_bytes / 1024; ++i) out << line << '\n';
    }
    std::string text, error;
    CHECK(read_scenario_text(small, text, error));
    CHECK(text == "print('안녕')\n");
    CHECK_FALSE(read_scenario_text(big, text, error));
    CHECK(error == "larger than 8 MiB, the most tasklab reads of a scenario");
    CHECK(text.empty());
    CHECK_FALSE(read_scenario_text(dir.string(), text, error));
    CHECK(error == "is a directory");
    CHECK_FALSE(read_scenario_text((dir / "missing.py").string(), text, error));
    CHECK_FALSE(error.empty());
    std::filesystem::remove_all(dir);
}
