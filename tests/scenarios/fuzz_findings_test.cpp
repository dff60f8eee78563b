// Inputs the libFuzzer targets (tests/fuzz, docs/fuzzing.md) flagged, kept in tests/reliability:
// each parses to its diagnostics without the parser giving up, and the parser's work stays
// within the bound the fuzz targets check (tests/fuzz/fuzz_support.hpp), also when the
// input's shape is repeated a thousand times.
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "scenarios/frontend.hpp"

using namespace tasklab;
namespace fs = std::filesystem;

namespace {

/// The bound of tests/fuzz/fuzz_support.hpp: tokens the parser may read per input byte.
constexpr std::uint64_t k_fuzz_work_per_byte = 1024;

std::string read_reliability_file(const std::string& name) {
    std::ifstream in(fs::path(TASKLAB_SOURCE_DIR) / "tests" / "reliability" / name, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "missing tests/reliability/" << name);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Parsed {
    std::string rendered;
    std::uint64_t work_per_byte = 0;
    bool gave_up = false;
};

Parsed parse_text(const std::string& name, const std::string& text) {
    auto file = std::make_shared<SourceFile>(name, text);
    const ParseResult r = parse_scenario(file);
    Parsed p;
    p.rendered = render_all(*file, r.diagnostics);
    p.work_per_byte = r.parser_work / (text.size() + 1);
    for (const Diagnostic& d : r.diagnostics.items())
        if (d.message.rfind("the parser gave up", 0) == 0) p.gave_up = true;
    return p;
}

std::string repeat(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

}  // namespace

TEST_CASE("a hundred open braces after a bad declaration end with the nesting limit and a missing brace") {
    const std::string name = "fuzz_swift_parse_nested_open_braces.swift";
    const Parsed p = parse_text(name, read_reliability_file(name));
    CHECK_FALSE(p.gave_up);
    CHECK(p.rendered.find(name + ":1:94: error: expression too deeply nested (limit 256)") != std::string::npos);
    CHECK(p.rendered.find(name + ":1:123: error: expected `}`, found end of file") != std::string::npos);
    CHECK(p.work_per_byte <= k_fuzz_work_per_byte);
    // Eight thousand braces: the work per byte stays where a hundred put it.
    const Parsed big = parse_text("big.swift", "vhi==asy" + std::string(8000, '{') + "ncAfter(deadline: .no");
    CHECK_FALSE(big.gave_up);
    CHECK(big.work_per_byte <= 400);
}

TEST_CASE("lines of unterminated nested interpolations and open braces are reported line by line") {
    const std::string name = "fuzz_swift_parse_nested_interpolations.swift";
    const Parsed p = parse_text(name, read_reliability_file(name));
    CHECK_FALSE(p.gave_up);
    CHECK(p.rendered.find(name + ":1:7: error: unterminated string literal") != std::string::npos);
    CHECK(p.work_per_byte <= k_fuzz_work_per_byte);
}

TEST_CASE("brackets nested to the limit cost bounded lookahead per bracket, in both languages") {
    // Each `[` first looks for a typed empty collection (`[[Int]]()`), a scan that stops at 64
    // levels of type: linear, with a constant the nesting caps bound.
    for (int depth : {50, 200, 250}) {
        CAPTURE(depth);
        const Parsed swift = parse_text("a.swift", "let x = " + std::string(depth, '[') + "1" + std::string(depth, ']') + "\n");
        CHECK_FALSE(swift.gave_up);
        CHECK(swift.rendered.empty());
        CHECK(swift.work_per_byte <= 400);
    }
    const Parsed many = parse_text("b.swift", repeat("let x = " + std::string(100, '[') + "1" + std::string(100, ']') + "\n", 200));
    CHECK(many.rendered.empty());
    CHECK(many.work_per_byte <= 400);
    const Parsed py = parse_text("c.py", "x = " + std::string(150, '[') + "1" + std::string(150, ']') + "\n");
    CHECK(py.rendered.empty());
    CHECK(py.work_per_byte <= 400);
}
