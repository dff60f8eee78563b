#include "source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace tasklab {

SourceFile::SourceFile(std::string name, std::string text) : m_name(std::move(name)), m_text(std::move(text)) {
    for (std::size_t i = 0; i < m_text.size(); ++i)
        if (m_text[i] == '\r' && (i + 1 == m_text.size() || m_text[i + 1] != '\n')) m_text[i] = '\n';
    m_line_starts.push_back(0);
    for (std::uint32_t i = 0; i < m_text.size(); ++i)
        if (m_text[i] == '\n') m_line_starts.push_back(i + 1);
}

LineCol SourceFile::locate(std::uint32_t offset) const {
    offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(m_text.size()));
    auto it = std::upper_bound(m_line_starts.begin(), m_line_starts.end(), offset);
    const auto line = static_cast<std::uint32_t>(it - m_line_starts.begin());
    const std::uint32_t start = m_line_starts[line - 1];
    std::uint32_t column = 1;
    for (std::uint32_t i = start; i < offset; ++i)
        if ((static_cast<unsigned char>(m_text[i]) & 0xC0) != 0x80) ++column;
    return {line, column};
}

std::string_view SourceFile::line_text(std::uint32_t line) const {
    if (line == 0 || line > m_line_starts.size()) return {};
    const std::uint32_t start = m_line_starts[line - 1];
    std::uint32_t end = line < m_line_starts.size() ? m_line_starts[line] - 1 : static_cast<std::uint32_t>(m_text.size());
    if (end > start && m_text[end - 1] == '\r') --end;
    return std::string_view(m_text).substr(start, end - start);
}

std::string_view SourceFile::slice(Span s) const {
    const auto size = static_cast<std::uint32_t>(m_text.size());
    const std::uint32_t b = std::min(s.begin, size), e = std::min(std::max(s.end, b), size);
    return std::string_view(m_text).substr(b, e - b);
}

namespace {
bool is_wide(std::uint32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) || (cp >= 0x2B00 && cp <= 0x2BFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFD);
}
bool is_zero_width(std::uint32_t cp) {
    return (cp >= 0x0300 && cp <= 0x036F) || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0x1F3FB && cp <= 0x1F3FF);
}
}  // namespace

std::uint32_t display_width(std::string_view s) {
    std::uint32_t width = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::uint32_t cp = c;
        std::size_t n = 1;
        if (c >= 0xF0) { cp = c & 0x07u; n = 4; }
        else if (c >= 0xE0) { cp = c & 0x0Fu; n = 3; }
        else if (c >= 0xC0) { cp = c & 0x1Fu; n = 2; }
        for (std::size_t k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
        i += n;
        if (cp == '\t') width += 4;
        else if (is_zero_width(cp)) {}
        else width += is_wide(cp) ? 2 : 1;
    }
    return width;
}

std::string escape_control_characters(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c < 0x20 && c != '\t') || c == 0x7F) {
            const std::uint32_t cp = c == 0x7F ? 0x2421 : 0x2400 + c;  // ␀ … ␟, ␡
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
            out += "\xEF\xBF\xBD";  // U+FFFD for a C1 control
            ++i;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool read_scenario_text(const std::string& path, std::string& text, std::string& error) {
    text.clear();
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        error = "is a directory";
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = std::strerror(errno);
        return false;
    }
    // Read at most k_max_source_bytes (+1 to tell a file of exactly that size from a larger
    // one): a FIFO or a device such as /dev/zero never ends.
    char buffer[64 * 1024];
    while (text.size() <= k_max_source_bytes && in.read(buffer, sizeof buffer).gcount() > 0)
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (in.bad()) {
        error = "read error";
        return false;
    }
    if (text.size() > k_max_source_bytes) {
        text.clear();
        error = "larger than " + std::to_string(k_max_source_bytes / (1024 * 1024)) +
                " MiB, the most tasklab reads of a scenario";
        return false;
    }
    return true;
}

}  // namespace tasklab
