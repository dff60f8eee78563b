#include "diagnostics.hpp"

#include <algorithm>

namespace tasklab {

namespace {
struct KindInfo {
    std::string_view name;
    std::string_view category;
};
constexpr KindInfo k_kinds[] = {
#define TASKLAB_X(name, category) {#name, category},
    TASKLAB_DIAGNOSTIC_KINDS(TASKLAB_X)
#undef TASKLAB_X
};
}  // namespace

std::string_view diagnostic_kind_name(DiagnosticKind kind) { return k_kinds[static_cast<int>(kind)].name; }
std::string_view diagnostic_kind_category(DiagnosticKind kind) { return k_kinds[static_cast<int>(kind)].category; }

const std::vector<DiagnosticKind>& all_diagnostic_kinds() {
    static const std::vector<DiagnosticKind> kinds = [] {
        std::vector<DiagnosticKind> v;
        for (int i = 0; i < static_cast<int>(std::size(k_kinds)); ++i) v.push_back(static_cast<DiagnosticKind>(i));
        return v;
    }();
    return kinds;
}

Diagnostic& DiagnosticList::error(DiagnosticKind kind, Span span, std::string message) {
    m_items.push_back(Diagnostic{kind, Severity::error, span, std::move(message), {}, {}});
    return m_items.back();
}

Diagnostic& DiagnosticList::warning(DiagnosticKind kind, Span span, std::string message) {
    m_items.push_back(Diagnostic{kind, Severity::warning, span, std::move(message), {}, {}});
    return m_items.back();
}

bool DiagnosticList::has_errors() const {
    return std::any_of(m_items.begin(), m_items.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
}

std::string render(const SourceFile& file, const Diagnostic& d) {
    const LineCol at = file.locate(d.span.begin);
    const char* sev = d.severity == Severity::error ? "error" : d.severity == Severity::warning ? "warning" : "note";
    // Control characters of the file (its name, its lines, text quoted in messages) are shown
    // as pictures: a terminal must not obey an escape sequence hidden in a scenario.
    std::string out = escape_control_characters(file.name()) + ":" + std::to_string(at.line) + ":" +
                      std::to_string(at.column) + ": " + sev + ": " + escape_control_characters(d.message) + "\n";
    const std::string_view line = file.line_text(at.line);
    const std::string number = std::to_string(at.line);
    const std::string gutter(number.size(), ' ');
    out += " " + number + " | " + escape_control_characters(line) + "\n";
    // Caret: pad by the display width of the text before the span, then mark the span's part on this line.
    const auto& text = file.text();
    const std::uint32_t begin = std::min<std::uint32_t>(d.span.begin, static_cast<std::uint32_t>(text.size()));
    std::uint32_t line_begin = begin;
    while (line_begin > 0 && text[line_begin - 1] != '\n') --line_begin;
    const std::uint32_t prefix_bytes = begin - line_begin;
    std::string pad;
    for (std::uint32_t i = 0; i < prefix_bytes && i < line.size(); ++i) pad += line[i] == '\t' ? '\t' : ' ';
    // Use display width for non-ASCII prefixes so the caret sits under the right cell.
    if (std::any_of(line.begin(), line.begin() + std::min<std::size_t>(prefix_bytes, line.size()),
                    [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
        pad.assign(display_width(line.substr(0, std::min<std::size_t>(prefix_bytes, line.size()))), ' ');
    std::uint32_t span_bytes = d.span.end > begin ? d.span.end - begin : 0;
    if (prefix_bytes + span_bytes > line.size())
        span_bytes = line.size() > prefix_bytes ? static_cast<std::uint32_t>(line.size()) - prefix_bytes : 0;
    std::uint32_t width = span_bytes ? display_width(line.substr(prefix_bytes, span_bytes)) : 1;
    if (width == 0) width = 1;
    out += " " + gutter + " | " + pad + "^" + std::string(width - 1, '~') + "\n";
    for (const auto& n : d.notes) out += "note: " + escape_control_characters(n) + "\n";
    for (const auto& h : d.help) out += "help: " + escape_control_characters(h) + "\n";
    return out;
}

std::string render_all(const SourceFile& file, const DiagnosticList& list) {
    std::string out;
    std::size_t errors = 0;
    for (const auto& d : list.items()) {
        out += render(file, d);
        if (d.severity == Severity::error) ++errors;
    }
    if (errors > 1) out += std::to_string(errors) + " errors generated.\n";
    return out;
}

}  // namespace tasklab
