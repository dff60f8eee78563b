#include "directives.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <utility>
#include <limits>

#include "ast_walk.hpp"

namespace tasklab {

namespace {

using ast::Nanos;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/// One whitespace-separated word of a directive, with its span in the file.
struct Word {
    std::string_view text;
    Span span;
};

std::vector<Word> split_words(std::string_view s, std::uint32_t base) {
    std::vector<Word> words;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_space(s[i])) ++i;
        const std::size_t b = i;
        while (i < s.size() && !is_space(s[i])) ++i;
        if (i > b)
            words.push_back({s.substr(b, i - b), Span{base + static_cast<std::uint32_t>(b), base + static_cast<std::uint32_t>(i)}});
    }
    return words;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool parse_u64(std::string_view s, std::uint64_t& out) {
    if (s.empty()) return false;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool is_api_name(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    });
}

bool is_signal_name(std::string_view s) {
    if (s.size() < 4 || s.substr(0, 3) != "SIG") return false;
    return std::all_of(s.begin() + 3, s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

std::string known_list() {
    std::string out;
    for (std::string_view n : directive_names()) {
        if (!out.empty()) out += ", ";
        out += n;
    }
    return out;
}

void invalid(DiagnosticList& diags, Span span, std::string message, std::string usage) {
    Diagnostic& d = diags.error(DiagnosticKind::invalid_directive, span, std::move(message));
    if (!usage.empty()) d.help.push_back("write it as `// tasklab: " + usage + "`");
}

constexpr std::string_view k_duration_help = "durations look like 2s, 1.5s, 500ms, 250us or 10ns";

}  // namespace

bool parse_size(std::string_view text, std::uint64_t& out) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    std::uint64_t n = 0;
    if (digits == 0 || digits > 12 || !parse_u64(text.substr(0, digits), n)) return false;
    std::string unit(text.substr(digits));
    for (char& c : unit) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    int shift = -1;
    if (unit == "B") shift = 0;
    else if (unit == "KB" || unit == "KIB" || unit == "K") shift = 10;
    else if (unit == "MB" || unit == "MIB" || unit == "M") shift = 20;
    else if (unit == "GB" || unit == "GIB" || unit == "G") shift = 30;
    if (shift < 0) return false;
    out = n > (UINT64_MAX >> shift) ? UINT64_MAX : n << shift;  // saturates: the caller checks the range
    return true;
}


const std::vector<std::string_view>& directive_names() {
    static const std::vector<std::string_view> names = {"title",   "seed",    "note",   "note-at", "expect", "expect-repeat",
                                                        "expect-error", "latency", "signal",  "limit", "swift-version"};
    return names;
}

bool parse_duration(std::string_view text, Nanos& out) {
    std::size_t i = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == 0) return false;
    const std::string_view whole = text.substr(0, i);
    std::string_view frac;
    if (i < text.size() && text[i] == '.') {
        const std::size_t b = ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
        frac = text.substr(b, i - b);
        if (frac.empty()) return false;
    }
    const std::string_view unit = text.substr(i);
    std::int64_t scale = 0;
    if (unit == "s") scale = 1'000'000'000;
    else if (unit == "ms") scale = 1'000'000;
    else if (unit == "us") scale = 1'000;
    else if (unit == "ns") scale = 1;
    else return false;
    std::uint64_t w = 0;
    if (!parse_u64(whole, w)) return false;
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (w > max / static_cast<std::uint64_t>(scale)) return false;
    std::int64_t total = static_cast<std::int64_t>(w) * scale;
    // Fraction: at most 9 significant digits, and it must come to whole nanoseconds.
    while (frac.size() > 9 && frac.back() == '0') frac.remove_suffix(1);
    if (frac.size() > 9) return false;
    if (!frac.empty()) {
        std::uint64_t f = 0;
        if (!parse_u64(frac, f)) return false;
        std::int64_t pow10 = 1;
        for (std::size_t k = 0; k < frac.size(); ++k) pow10 *= 10;
        const std::int64_t scaled = static_cast<std::int64_t>(f) * scale;  // < 1e9 * 1e9: fits
        if (scaled % pow10 != 0) return false;
        const std::int64_t add = scaled / pow10;
        if (total > std::numeric_limits<std::int64_t>::max() - add) return false;
        total += add;
    }
    out = total;
    return true;
}

void collect_directive(std::string_view body, Span body_span, ast::Program& program, DiagnosticList& diags,
                       DirectiveState& state) {
    std::size_t p = 0;
    while (p < body.size() && is_space(body[p])) ++p;
    constexpr std::string_view prefix = "tasklab:";
    if (body.substr(p, prefix.size()) != prefix) return;
    const std::uint32_t base = body_span.begin;
    auto at = [&](std::size_t b, std::size_t e) {
        return Span{base + static_cast<std::uint32_t>(b), base + static_cast<std::uint32_t>(e)};
    };
    const std::size_t prefix_begin = p;
    p += prefix.size();
    while (p < body.size() && is_space(body[p])) ++p;
    const std::size_t name_begin = p;
    while (p < body.size() && !is_space(body[p])) ++p;
    const std::string_view name = body.substr(name_begin, p - name_begin);
    const Span name_span = name.empty() ? at(prefix_begin, prefix_begin + prefix.size()) : at(name_begin, p);
    // The raw text after the name: exactly one separating space is dropped (for `expect`).
    std::string_view raw = body.substr(p);
    std::size_t raw_begin = p;
    if (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) {
        raw.remove_prefix(1);
        ++raw_begin;
    }
    while (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    const std::string_view args = trim(raw);
    const std::vector<Word> words = split_words(raw, base + static_cast<std::uint32_t>(raw_begin));
    const Span args_span = words.empty() ? name_span : Span::join(words.front().span, words.back().span);

    if (name.empty()) {
        Diagnostic& d = diags.error(DiagnosticKind::unknown_directive, name_span, "missing directive name after `tasklab:`");
        d.help.push_back("known directives: " + known_list());
        return;
    }
    if (name == "title") {
        if (args.empty()) return invalid(diags, name_span, "`title` needs a text", "title <text>");
        program.title = std::string(args);
        return;
    }
    if (name == "seed") {
        std::uint64_t n = 0;
        if (words.size() != 1 || !parse_u64(words[0].text, n))
            return invalid(diags, args_span, "`seed` needs one non-negative integer", "seed <n>");
        program.seed = n;
        return;
    }
    if (name == "note") {
        if (args.empty()) return invalid(diags, name_span, "`note` needs a text", "note <text>");
        state.notes.push_back({std::string(args), at(prefix_begin, body.size())});
        return;
    }
    if (name == "note-at") {
        constexpr std::string_view usage = "note-at <event> <text>";
        if (words.empty()) return invalid(diags, name_span, "`note-at` needs an event and a text", std::string(usage));
        static constexpr std::pair<std::string_view, ast::NoteEvent> events[] = {
            {"end", ast::NoteEvent::end},       {"cancel", ast::NoteEvent::cancel}, {"observed", ast::NoteEvent::observed},
            {"throw", ast::NoteEvent::throw_},  {"finish", ast::NoteEvent::finish}};
        const auto* ev = std::find_if(std::begin(events), std::end(events),
                                      [&](const auto& e) { return e.first == words[0].text; });
        if (ev == std::end(events)) {
            Diagnostic& d = diags.error(DiagnosticKind::invalid_directive, words[0].span,
                                        "unknown note event `" + std::string(words[0].text) + "`");
            d.help.emplace_back("a note-at event is one of: end, cancel, observed, throw, finish");
            return;
        }
        if (words.size() < 2)
            return invalid(diags, words[0].span, "`note-at " + std::string(words[0].text) + "` needs a text", std::string(usage));
        const std::size_t text_begin = words[1].span.begin - base;
        PendingNote note{std::string(trim(body.substr(text_begin))), at(prefix_begin, body.size()), true, ev->second};
        state.notes.push_back(std::move(note));
        return;
    }
    // Expected lines are kept in memory: a few directives must not ask for gigabytes.
    const auto over_expect_cap = [&](std::uint64_t lines, std::uint64_t line_bytes) {
        return program.expect.size() + lines > k_max_expect_lines ||
               state.expect_bytes + lines * (line_bytes + 1) > k_max_expect_bytes;
    };
    const auto expect_cap = [&](Span span) {
        Diagnostic& d = diags.error(DiagnosticKind::invalid_directive, span,
                                    "the expected output of this file would pass " + std::to_string(k_max_expect_lines) +
                                        " lines or " + std::to_string(k_max_expect_bytes / (1024 * 1024)) + " MiB");
        d.notes.push_back("tasklab keeps the expected lines in memory; `expect` and `expect-repeat` count together");
    };
    if (name == "expect") {
        if (over_expect_cap(1, raw.size())) return expect_cap(name_span);
        state.expect_bytes += raw.size() + 1;
        program.expect.emplace_back(raw);
        return;
    }
    if (name == "expect-repeat") {
        // `expect-repeat 989 text`: the same expected line N times in a row (a thousand
        // cancelled downloads print a thousand identical lines).
        std::uint64_t n = 0;
        if (words.empty() || !parse_u64(words[0].text, n) || n == 0 || n > 1'000'000)
            return invalid(diags, words.empty() ? name_span : words[0].span,
                           "`expect-repeat` needs a count from 1 to 1000000, then the line", "expect-repeat <n> <text>");
        std::string_view line = raw.substr(raw.find(words[0].text) + words[0].text.size());
        if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
        if (over_expect_cap(n, line.size()))
            return expect_cap(words[0].span);
        state.expect_bytes += n * (line.size() + 1);
        for (std::uint64_t i = 0; i < n; ++i) program.expect.emplace_back(line);
        return;
    }
    if (name == "expect-error") {
        if (args.empty()) return invalid(diags, name_span, "`expect-error` needs the expected error text", "expect-error <text>");
        program.expect_error = std::string(raw);
        return;
    }
    if (name == "latency") {
        constexpr std::string_view usage = "latency <api> <duration>` or `// tasklab: latency <api> <min>..<max>";
        if (words.size() != 2) return invalid(diags, args_span, "`latency` needs an API name and a duration", std::string(usage));
        if (!is_api_name(words[0].text))
            return invalid(diags, words[0].span, "`" + std::string(words[0].text) + "` is not an API name such as `URLSession.data`",
                           std::string(usage));
        ast::LatencyRule rule;
        rule.api = std::string(words[0].text);
        rule.span = at(prefix_begin, body.size());
        const std::string_view range = words[1].text;
        const std::size_t dots = range.find("..");
        bool ok = false;
        if (dots == std::string_view::npos) {
            ok = parse_duration(range, rule.min);
            rule.max = rule.min;
        } else {
            ok = parse_duration(range.substr(0, dots), rule.min) && parse_duration(range.substr(dots + 2), rule.max);
        }
        if (!ok) {
            Diagnostic& d = diags.error(DiagnosticKind::invalid_directive, words[1].span,
                                        "invalid duration `" + std::string(range) + "`");
            d.help.emplace_back(k_duration_help);
            return;
        }
        if (rule.max < rule.min)
            return invalid(diags, words[1].span, "the latency range `" + std::string(range) + "` ends before it starts", "");
        program.latencies.push_back(std::move(rule));
        return;
    }
    if (name == "signal") {
        constexpr std::string_view usage = "signal <SIGNAME> at <duration>";
        if (words.size() != 3 || words[1].text != "at")
            return invalid(diags, args_span, "`signal` needs a signal name, `at` and a time", std::string(usage));
        if (!is_signal_name(words[0].text))
            return invalid(diags, words[0].span, "`" + std::string(words[0].text) + "` is not a signal name such as `SIGINT`",
                           std::string(usage));
        ast::SignalRule rule;
        rule.signal = std::string(words[0].text);
        rule.span = at(prefix_begin, body.size());
        if (!parse_duration(words[2].text, rule.at)) {
            Diagnostic& d = diags.error(DiagnosticKind::invalid_directive, words[2].span,
                                        "invalid duration `" + std::string(words[2].text) + "`");
            d.help.emplace_back(k_duration_help);
            return;
        }
        program.signals.push_back(std::move(rule));
        return;
    }
    if (name == "limit") {
        constexpr std::string_view usage = "limit steps <n>`, `// tasklab: limit time <duration>` or `// tasklab: limit memory <size>";
        if (words.size() != 2 || (words[0].text != "steps" && words[0].text != "time" && words[0].text != "memory"))
            return invalid(diags, args_span, "`limit` needs `steps <n>`, `time <duration>` or `memory <size>`", std::string(usage));
        if (words[0].text == "memory") {
            std::uint64_t bytes = 0;
            if (!parse_size(words[1].text, bytes)) {
                Diagnostic& d = diags.error(DiagnosticKind::invalid_directive, words[1].span, "invalid size `" + std::string(words[1].text) + "`");
                d.help.emplace_back("sizes look like 256MB, 1GB or 512KB (binary units: 1MB is 1,048,576 bytes)");
                return;
            }
            if (bytes < k_min_memory_limit || bytes > k_max_memory_limit)
                return invalid(diags, words[1].span, "`limit memory` must lie between 1MB and 1024GB", "limit memory 256MB");
            program.memory_limit = bytes;
            return;
        }
        if (words[0].text == "steps") {
            std::uint64_t n = 0;
            if (!parse_u64(words[1].text, n) || n == 0)
                return invalid(diags, words[1].span, "`limit steps` needs a positive integer", std::string(usage));
            program.step_limit = n;
            return;
        }
        Nanos t = 0;
        if (!parse_duration(words[1].text, t) || t == 0) {
            Diagnostic& d = diags.error(DiagnosticKind::invalid_directive, words[1].span,
                                        "invalid duration `" + std::string(words[1].text) + "`");
            d.help.emplace_back(k_duration_help);
            return;
        }
        if (t > k_max_time_limit) {
            Diagnostic& d = diags.error(DiagnosticKind::invalid_directive, words[1].span,
                                        "`limit time` can be at most " + std::to_string(k_max_time_limit / 1'000'000'000) +
                                            "s (about 73 years), where tasklab's virtual clock ends");
            d.help.emplace_back("a delay longer than that waits until the end of the clock, so tasklab cannot show when it would end");
            return;
        }
        program.time_limit = t;
        return;
    }
    if (name == "swift-version") {
        // The language mode the real compiler uses for the file (the Swift oracle passes it to
        // swiftc as -swift-version). tasklab's model differs in one rule: top-level code runs on
        // the main actor in Swift 6 mode even when it never awaits (engine/interp/swift/actors.cpp).
        constexpr std::string_view usage = "swift-version <mode>` (for example `// tasklab: swift-version 6`";
        const auto is_mode = [](std::string_view w) {
            static constexpr std::string_view modes[] = {"4", "4.2", "5", "6"};
            return std::find(std::begin(modes), std::end(modes), w) != std::end(modes);
        };
        if (words.size() != 1 || !is_mode(words[0].text))
            return invalid(diags, args_span, "`swift-version` needs a Swift language mode: 4, 4.2, 5 or 6", std::string(usage));
        program.swift_version = std::string(words[0].text);
        return;
    }
    Diagnostic& d = diags.error(DiagnosticKind::unknown_directive, name_span, "unknown directive `" + std::string(name) + "`");
    d.help.push_back("known directives: " + known_list());
}

void attach_notes(ast::Program& program, const DirectiveState& state, DiagnosticList& diags) {
    if (state.notes.empty()) return;
    std::vector<const ast::Stmt*> stmts = ast::all_statements(program);
    std::stable_sort(stmts.begin(), stmts.end(), [](const ast::Stmt* a, const ast::Stmt* b) { return a->span.begin < b->span.begin; });
    for (const PendingNote& note : state.notes) {
        const auto it = std::lower_bound(stmts.begin(), stmts.end(), note.span.end,
                                         [](const ast::Stmt* s, std::uint32_t pos) { return s->span.begin < pos; });
        if (it == stmts.end()) {
            Diagnostic& d = diags.error(DiagnosticKind::invalid_directive, note.span, "`note` has no statement after it");
            d.help.emplace_back("put the note on the line above the statement it explains");
            continue;
        }
        // The program owns its statements as mutable objects; blocks only hold const views.
        auto* target = const_cast<ast::Stmt*>(*it);
        if (note.targeted) {
            program.notes.push_back(note.text);
            program.note_ats.push_back({static_cast<std::uint32_t>(program.notes.size()), note.at, 0});
            const auto index = static_cast<std::uint32_t>(program.note_ats.size());
            if (target->note_at == 0) {
                target->note_at = index;
            } else {
                std::uint32_t k = target->note_at;
                while (program.note_ats[k - 1].next != 0) k = program.note_ats[k - 1].next;
                program.note_ats[k - 1].next = index;
            }
        } else if (target->note == 0) {
            program.notes.push_back(note.text);
            target->note = static_cast<std::uint32_t>(program.notes.size());
        } else {
            program.notes[target->note - 1] += "\n" + note.text;
        }
    }
}

}  // namespace tasklab
