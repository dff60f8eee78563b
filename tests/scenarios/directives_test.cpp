#include <doctest/doctest.h>

#include <string>

#include "scenarios/ast_dump.hpp"
#include "scenarios/directives.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {

ParseResult parse(const std::string& text) { return parse_swift(std::make_shared<SourceFile>("d.swift", text)); }

std::string first_message(const ParseResult& r) { return r.diagnostics.size() ? r.diagnostics.items()[0].message : ""; }

constexpr ast::Nanos k_ms = 1'000'000;
constexpr ast::Nanos k_s = 1'000'000'000;

}  // namespace

TEST_CASE("durations take a whole or decimal number and a unit") {
    ast::Nanos n = 0;
    CHECK(parse_duration("2s", n));
    CHECK(n == 2 * k_s);
    CHECK(parse_duration("1.5s", n));
    CHECK(n == 1'500'000'000);
    CHECK(parse_duration("500ms", n));
    CHECK(n == 500 * k_ms);
    CHECK(parse_duration("250us", n));
    CHECK(n == 250'000);
    CHECK(parse_duration("10ns", n));
    CHECK(n == 10);
    CHECK(parse_duration("0.000000001s", n));
    CHECK(n == 1);
    CHECK(parse_duration("0s", n));
    CHECK(n == 0);
}

TEST_CASE("malformed durations are refused") {
    ast::Nanos n = 0;
    for (const char* bad : {"", "2", "s", "2 s", "-1s", "1.s", ".5s", "2m", "1.5ns", "2sec", "99999999999s", "1e3s"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_duration(bad, n));
    }
}

TEST_CASE("title, seed and limits set the program's settings") {
    const ParseResult r = parse("// tasklab: title Born cancelled — 취소\n// tasklab: seed 42\n"
                                "// tasklab: limit steps 5000\n// tasklab: limit time 1.5s\nx()");
    REQUIRE(r.ok());
    CHECK(r.program->title == "Born cancelled — 취소");
    CHECK(r.program->seed == 42);
    CHECK(r.program->step_limit == 5000);
    CHECK(r.program->time_limit == 1'500'000'000);
}

TEST_CASE("limit memory reads binary units: 256MB, 1GB, 512KB, 64MiB") {
    struct Case {
        const char* size;
        std::uint64_t bytes;
    };
    for (const Case& c : {Case{"256MB", 256ULL << 20}, Case{"1GB", 1ULL << 30}, Case{"4096KB", 4ULL << 20}, Case{"64MiB", 64ULL << 20},
                          Case{"2gb", 2ULL << 30}, Case{"1048576B", 1ULL << 20}}) {
        CAPTURE(c.size);
        const ParseResult r = parse(std::string("// tasklab: limit memory ") + c.size + "\nx()");
        REQUIRE(r.ok());
        CHECK(r.program->memory_limit == c.bytes);
    }
    CHECK(parse("x()").program->memory_limit == 0);  // 0: the engine's default (1 GB)
}

TEST_CASE("expect keeps the text after exactly one space, and may be empty") {
    const ParseResult r = parse("// tasklab: expect 🟡 작업이 취소되었습니다.\n// tasklab: expect   indented\n"
                                "// tasklab: expect\n// tasklab: expect \n// tasklab: expect-error Fatal error: boom");
    REQUIRE(r.ok());
    REQUIRE(r.program->expect.size() == 4);
    CHECK(r.program->expect[0] == "🟡 작업이 취소되었습니다.");
    CHECK(r.program->expect[1] == "  indented");
    CHECK(r.program->expect[2].empty());
    CHECK(r.program->expect[3].empty());
    CHECK(r.program->expect_error == "Fatal error: boom");
}

TEST_CASE("expect-repeat expects the same line a given number of times") {
    const ParseResult r = parse("// tasklab: expect first\n// tasklab: expect-repeat 3 🟡 작업이 취소되었습니다.\n"
                                "// tasklab: expect last\n");
    REQUIRE(r.ok());
    REQUIRE(r.program->expect.size() == 5);
    CHECK(r.program->expect[0] == "first");
    CHECK(r.program->expect[1] == "🟡 작업이 취소되었습니다.");
    CHECK(r.program->expect[3] == "🟡 작업이 취소되었습니다.");
    CHECK(r.program->expect[4] == "last");
    const ParseResult bad = parse("// tasklab: expect-repeat many lines\n");
    CHECK(bad.diagnostics.items().at(0).kind == DiagnosticKind::invalid_directive);
}

TEST_CASE("latency rules take a fixed duration or a range") {
    const ParseResult r = parse("// tasklab: latency URLSession.data 2s\n// tasklab: latency websockets.connect 1s..3s\n");
    REQUIRE(r.ok());
    REQUIRE(r.program->latencies.size() == 2);
    CHECK(r.program->latencies[0].api == "URLSession.data");
    CHECK(r.program->latencies[0].min == 2 * k_s);
    CHECK(r.program->latencies[0].max == 2 * k_s);
    CHECK(r.program->latencies[1].api == "websockets.connect");
    CHECK(r.program->latencies[1].min == 1 * k_s);
    CHECK(r.program->latencies[1].max == 3 * k_s);
}

TEST_CASE("signal rules name the signal and its time") {
    const ParseResult r = parse("// tasklab: signal SIGINT at 5s\n");
    REQUIRE(r.ok());
    REQUIRE(r.program->signals.size() == 1);
    CHECK(r.program->signals[0].signal == "SIGINT");
    CHECK(r.program->signals[0].at == 5 * k_s);
}

TEST_CASE("swift-version names the real compiler's language mode and changes nothing in the run") {
    for (const char* mode : {"4", "4.2", "5", "6"}) {
        CAPTURE(mode);
        const ParseResult r = parse(std::string("// tasklab: swift-version ") + mode + "\nx()");
        CHECK(r.ok());
    }
}

TEST_CASE("ordinary comments and doc comments are not directives") {
    const ParseResult r = parse("// just a comment mentioning tasklab: title nope\n/// tasklab: title doc\nx()");
    CHECK(r.ok());
    CHECK(r.program->title.empty());
}

TEST_CASE("directive arguments are checked") {
    struct Case {
        const char* text;
        const char* message;
    };
    const Case cases[] = {
        {"// tasklab: title", "`title` needs a text"},
        {"// tasklab: seed -3", "`seed` needs one non-negative integer"},
        {"// tasklab: seed 1 2", "`seed` needs one non-negative integer"},
        {"// tasklab: note", "`note` needs a text"},
        {"// tasklab: expect-error", "`expect-error` needs the expected error text"},
        {"// tasklab: latency URLSession.data", "`latency` needs an API name and a duration"},
        {"// tasklab: latency URL-Session 2s", "`URL-Session` is not an API name such as `URLSession.data`"},
        {"// tasklab: latency a.b 2x", "invalid duration `2x`"},
        {"// tasklab: latency a.b 3s..1s", "the latency range `3s..1s` ends before it starts"},
        {"// tasklab: signal SIGINT 5s", "`signal` needs a signal name, `at` and a time"},
        {"// tasklab: signal INT at 5s", "`INT` is not a signal name such as `SIGINT`"},
        {"// tasklab: signal SIGTERM at soon", "invalid duration `soon`"},
        {"// tasklab: limit steps", "`limit` needs `steps <n>`, `time <duration>` or `memory <size>`"},
        {"// tasklab: limit space 5", "`limit` needs `steps <n>`, `time <duration>` or `memory <size>`"},
        {"// tasklab: limit memory 5", "invalid size `5`"},
        {"// tasklab: limit memory 256XB", "invalid size `256XB`"},
        {"// tasklab: limit memory 512KB", "`limit memory` must lie between 1MB and 1024GB"},
        {"// tasklab: limit memory 2048GB", "`limit memory` must lie between 1MB and 1024GB"},
        {"// tasklab: limit memory 99999999999999999999MB", "invalid size `99999999999999999999MB`"},
        {"// tasklab: limit time 9223372036s", "`limit time` can be at most 2305843009s (about 73 years), where tasklab's virtual clock ends"},
        {"// tasklab: limit steps 0", "`limit steps` needs a positive integer"},
        {"// tasklab: limit time 0s", "invalid duration `0s`"},
        {"// tasklab: note-at", "`note-at` needs an event and a text"},
        {"// tasklab: note-at end", "`note-at end` needs a text"},
        {"// tasklab: note-at later Soon.", "unknown note event `later`"},
        {"// tasklab: note-at Cancel The cancel.", "unknown note event `Cancel`"},
        {"// tasklab: swift-version", "`swift-version` needs a Swift language mode: 4, 4.2, 5 or 6"},
        {"// tasklab: swift-version 7", "`swift-version` needs a Swift language mode: 4, 4.2, 5 or 6"},
        {"// tasklab: swift-version 6 strict", "`swift-version` needs a Swift language mode: 4, 4.2, 5 or 6"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        const ParseResult r = parse(std::string(c.text) + "\nx()");
        REQUIRE(r.diagnostics.size() == 1);
        CHECK(r.diagnostics.items()[0].kind == DiagnosticKind::invalid_directive);
        CHECK(first_message(r) == c.message);
    }
}

TEST_CASE("unknown directives are reported with the list of known ones") {
    const ParseResult r = parse("// tasklab: frobnicate\n//tasklab:\n");
    REQUIRE(r.diagnostics.size() == 2);
    CHECK(r.diagnostics.items()[0].kind == DiagnosticKind::unknown_directive);
    CHECK(r.diagnostics.items()[0].message == "unknown directive `frobnicate`");
    CHECK(r.diagnostics.items()[1].message == "missing directive name after `tasklab:`");
    REQUIRE(r.diagnostics.items()[0].help.size() == 1);
    CHECK(r.diagnostics.items()[0].help[0] ==
          "known directives: title, seed, note, note-at, expect, expect-repeat, expect-error, latency, signal, limit, swift-version");
}

TEST_CASE("a note attaches to the next statement") {
    const ParseResult r = parse("a()\n// tasklab: note Now b runs.\nb()\nc()");
    REQUIRE(r.ok());
    REQUIRE(r.program->notes.size() == 1);
    CHECK(r.program->notes[0] == "Now b runs.");
    CHECK(r.program->body[0]->note == 0);
    CHECK(r.program->body[1]->note == 1);
    CHECK(r.program->body[2]->note == 0);
}

TEST_CASE("consecutive note lines join into one note") {
    const ParseResult r = parse("// tasklab: note First line.\n// tasklab: note Second line.\nx()");
    REQUIRE(r.ok());
    REQUIRE(r.program->notes.size() == 1);
    CHECK(r.program->notes[0] == "First line.\nSecond line.");
    CHECK(r.program->body[0]->note == 1);
}

TEST_CASE("notes reach statements nested in blocks and closure bodies") {
    const ParseResult r = parse("Task {\n"
                                "    // tasklab: note inside the task\n"
                                "    await withTaskGroup(of: Int.self) { group in\n"
                                "        if true {\n"
                                "            // tasklab: note deep inside\n"
                                "            group.cancelAll()\n"
                                "        }\n"
                                "    }\n"
                                "}\n"
                                "// tasklab: note at the top\n"
                                "done()\n");
    REQUIRE(r.ok());
    REQUIRE(r.program->notes.size() == 3);
    CHECK(ast::dump(*r.program) ==
          "(call Task ^(closure implicit [note 1] (await (call withTaskGroup of:(. Int self) ^(closure (group) "
          "(if true {[note 2] (call (. group cancelAll))}))))))\n"
          "[note 3] (call done)\n");
    CHECK(r.program->notes[1] == "deep inside");
}

TEST_CASE("a note inside a function and a type member") {
    const ParseResult r = parse("func f() {\n  // tasklab: note in f\n  g()\n}\n"
                                "struct S {\n  // tasklab: note a member\n  let x = 1\n}\n");
    REQUIRE(r.ok());
    CHECK(ast::dump(*r.program) == "(func f () implicit {[note 1] (call g)})\n(struct S {[note 2] (let x = 1)})\n");
}

TEST_CASE("a note with no statement after it is an error") {
    const ParseResult r = parse("x()\n// tasklab: note dangling\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics.items()[0].kind == DiagnosticKind::invalid_directive);
    CHECK(r.program->notes.empty());
}

TEST_CASE("note-at names its event and keeps its own note beside a plain one") {
    const ParseResult r = parse("// tasklab: note Starts.\n"
                                "// tasklab: note-at end   Ends: the await completed.\n"
                                "// tasklab: note-at cancel Cancelled meanwhile.\n"
                                "x()\ny()");
    REQUIRE(r.ok());
    REQUIRE(r.program->notes.size() == 3);
    CHECK(r.program->notes[0] == "Starts.");
    CHECK(r.program->notes[1] == "Ends: the await completed.");
    CHECK(r.program->notes[2] == "Cancelled meanwhile.");
    const ast::Stmt* x = r.program->body[0];
    CHECK(x->note == 1);
    REQUIRE(x->note_at == 1);
    REQUIRE(r.program->note_ats.size() == 2);
    CHECK(r.program->note_ats[0].note == 2);
    CHECK(r.program->note_ats[0].at == ast::NoteEvent::end);
    CHECK(r.program->note_ats[0].next == 2);
    CHECK(r.program->note_ats[1].note == 3);
    CHECK(r.program->note_ats[1].at == ast::NoteEvent::cancel);
    CHECK(r.program->note_ats[1].next == 0);
    CHECK(r.program->body[1]->note_at == 0);
}

TEST_CASE("every note-at event is accepted") {
    const ParseResult r = parse("// tasklab: note-at end a\n// tasklab: note-at cancel b\n// tasklab: note-at observed c\n"
                                "// tasklab: note-at throw d\n// tasklab: note-at finish e\nx()");
    REQUIRE(r.ok());
    REQUIRE(r.program->note_ats.size() == 5);
    CHECK(r.program->note_ats[0].at == ast::NoteEvent::end);
    CHECK(r.program->note_ats[1].at == ast::NoteEvent::cancel);
    CHECK(r.program->note_ats[2].at == ast::NoteEvent::observed);
    CHECK(r.program->note_ats[3].at == ast::NoteEvent::throw_);
    CHECK(r.program->note_ats[4].at == ast::NoteEvent::finish);
}

TEST_CASE("a bad note-at event points at the event word and lists the events") {
    const ParseResult r = parse("// tasklab: note-at whenever x\ny()");
    REQUIRE(r.diagnostics.size() == 1);
    const Diagnostic& d = r.diagnostics.items()[0];
    CHECK(d.kind == DiagnosticKind::invalid_directive);
    CHECK(d.span.begin == 20);
    CHECK(d.span.end == 28);
    REQUIRE(d.help.size() == 1);
    CHECK(d.help[0] == "a note-at event is one of: end, cancel, observed, throw, finish");
}

TEST_CASE("a note-at with no statement after it is an error") {
    const ParseResult r = parse("x()\n// tasklab: note-at end dangling\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics.items()[0].message == "`note` has no statement after it");
}

TEST_CASE("collect_directive reads Python-style comment bodies too") {
    const SourceFile f("p.py", "# tasklab: title From Python\n");
    ast::Program program;
    DiagnosticList diags;
    DirectiveState state;
    const Span body{1, static_cast<std::uint32_t>(f.text().size() - 1)};  // after `#`, before the line break
    collect_directive(f.slice(body), body, program, diags, state);
    CHECK(diags.size() == 0);
    CHECK(program.title == "From Python");
}
