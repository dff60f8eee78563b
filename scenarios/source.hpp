// A scenario's text and the maths from byte offsets to lines and columns.
//
// Every AST node and every trace event points into a SourceFile through a Span (two byte
// offsets). Columns are counted in Unicode code points, as rustc and clang do, so a caret
// under Korean text or an emoji lands where a reader expects it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tasklab {

/// A half-open byte range [begin, end) in one SourceFile.
struct Span {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    [[nodiscard]] bool empty() const { return begin == end; }
    [[nodiscard]] static Span join(Span a, Span b) {
        return {a.begin < b.begin ? a.begin : b.begin, a.end > b.end ? a.end : b.end};
    }
};

/// Most bytes of a scenario file a front end is given: readers stop there and refuse the file
/// (a FIFO or /dev/zero would otherwise be read until memory runs out). Spans are 32-bit.
inline constexpr std::size_t k_max_source_bytes = 8 * 1024 * 1024;

/// Appends code point `cp` to `out` as UTF-8 (the lexers' escapes, the viz's glyph remapping).
void append_utf8(std::string& out, std::uint32_t cp);

/// Reads the scenario file at `path`: at most k_max_source_bytes, so a FIFO or a device that
/// never ends is refused too. On failure returns false and says why in `error` ("is a
/// directory", the system's message, "read error", or that the file is larger than the cap).
/// Both the `tasklab` command and the visualizer read scenarios through it.
bool read_scenario_text(const std::string& path, std::string& text, std::string& error);

/// A 1-based line and column (column in code points).
struct LineCol {
    std::uint32_t line = 1;
    std::uint32_t column = 1;
};

/// The text of one scenario file with its line index. Immutable once built.
class SourceFile {
public:
    /// A lone carriage return (old Mac line endings) becomes a line feed, as CPython's
    /// universal newlines and swiftc read it; a byte for a byte, so offsets do not move.
    /// CRLF stays as written (the lexers and line_text() handle it).
    SourceFile(std::string name, std::string text);

    [[nodiscard]] const std::string& name() const { return m_name; }
    [[nodiscard]] const std::string& text() const { return m_text; }
    /// Line and column of a byte offset (offsets past the end clamp to the end).
    [[nodiscard]] LineCol locate(std::uint32_t offset) const;
    /// The text of a 1-based line, without its line break.
    [[nodiscard]] std::string_view line_text(std::uint32_t line) const;
    [[nodiscard]] std::uint32_t line_count() const { return static_cast<std::uint32_t>(m_line_starts.size()); }
    [[nodiscard]] std::string_view slice(Span s) const;

private:
    std::string m_name;
    std::string m_text;
    std::vector<std::uint32_t> m_line_starts;
};

/// Number of terminal cells a UTF-8 string takes (East Asian wide and emoji count 2).
std::uint32_t display_width(std::string_view utf8);

/// `text` made safe to show on a terminal, as compilers show source lines: each C0 control
/// character but tab (ESC, BEL, CR, ...) becomes its Unicode control picture (U+2400 + code,
/// so ESC shows as `␛`), DEL becomes `␡` and each C1 control (U+0080..U+009F, which some
/// terminals obey too) becomes `�`. Each replacement takes one cell, like the character it
/// stands for in the caret line, so carets stay aligned. Everything else is kept.
std::string escape_control_characters(std::string_view text);

}  // namespace tasklab
