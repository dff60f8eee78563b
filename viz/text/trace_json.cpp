#include "trace_json.hpp"

#include <sstream>

#include "event_log.hpp"

namespace tasklab {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when the bytes there are not one.
std::size_t valid_utf8_at(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1Fu; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0Fu; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07u; }
    else return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    const bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    if (overlong || surrogate || cp > 0x10FFFF) return 0;
    return n;
}

struct Position {
    std::uint32_t line = 0;
    std::uint32_t col = 0;
};

Position position_of(const ast::Program* program, Span span) {
    if (program == nullptr || !program->file || (span.empty() && span.begin == 0)) return {};
    const LineCol lc = program->file->locate(span.begin);
    return {lc.line, lc.column};
}

void write_position(std::string& line, const ast::Program* program, Span span) {
    const Position p = position_of(program, span);
    line += ",\"line\":" + std::to_string(p.line) + ",\"col\":" + std::to_string(p.col);
}

}  // namespace

std::string json_string(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const std::size_t n = valid_utf8_at(s, i);
            if (n == 0) {
                out += "\\ufffd";  // not UTF-8: keep the JSON valid, mark the spot
                ++i;
            } else {
                out.append(s.substr(i, n));
                i += n;
            }
            continue;
        }
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += static_cast<char>(c);
            }
        }
        ++i;
    }
    out += '"';
    return out;
}

void write_trace_json(std::ostream& out, const Trace& trace, const ast::Program* program) {
    std::string line;
    line += "{\"format\":\"tasklab-trace\",\"version\":1";
    line += ",\"scenario\":" + json_string(program && program->file ? program->file->name() : std::string());
    line += ",\"title\":" + json_string(program ? program->title : std::string());
    line += ",\"tasks\":[";
    for (TaskId t = 1; t < trace.tasks().size(); ++t) {
        const TaskInfo& info = trace.task(t);
        if (t > 1) line += ',';
        line += "{\"id\":" + std::to_string(info.id);
        line += ",\"kind\":" + json_string(task_kind_name(info.kind));
        line += ",\"name\":" + json_string(info.name);
        line += ",\"parent\":" + std::to_string(info.parent);
        line += ",\"creator\":" + std::to_string(info.creator);
        line += ",\"scope\":" + std::to_string(info.scope);
        write_position(line, program, info.span);
        line += '}';
    }
    line += "],\"scopes\":[";
    for (ScopeId s = 1; s < trace.scopes().size(); ++s) {
        const ScopeInfo& info = trace.scope(s);
        if (s > 1) line += ',';
        line += "{\"id\":" + std::to_string(info.id);
        line += ",\"kind\":" + json_string(scope_kind_name(info.kind));
        line += ",\"owner\":" + std::to_string(info.owner);
        line += ",\"name\":" + json_string(info.name);
        write_position(line, program, info.span);
        line += '}';
    }
    line += "]}\n";
    out << line;

    for (std::uint64_t i = 0; i < trace.size(); ++i) {
        const Event e = trace.at(i);
        line.clear();
        line += "{\"i\":" + std::to_string(e.index);
        line += ",\"step\":" + std::to_string(e.step);
        line += ",\"t\":" + std::to_string(e.time);
        line += ",\"kind\":" + json_string(event_kind_name(e.kind));
        line += ",\"task\":" + std::to_string(e.task);
        line += ",\"related\":" + std::to_string(e.related);
        const std::string_view detail = event_detail_name(e);
        line += ",\"detail\":";
        line += detail.empty() ? std::string("null") : json_string(detail);
        line += ",\"payload\":";
        if (payload_is_string(e.kind)) line += json_string(trace.payload_text(e));
        else if (payload_is_number(e.kind)) line += std::to_string(trace.number(e.payload));
        else line += std::to_string(e.payload);
        write_position(line, program, e.span);
        line += "}\n";
        out << line;
    }
}

std::string trace_json(const Trace& trace, const ast::Program* program) {
    std::ostringstream s;
    write_trace_json(s, trace, program);
    return s.str();
}

}  // namespace tasklab
