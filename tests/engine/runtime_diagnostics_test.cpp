// Runtime diagnostics: one test per kind of category "runtime", each checking the rendered
// `file:line:col: error:` text and the caret under the offending expression; then the check
// that every registered diagnostic kind, in every category, has a test somewhere.
#include <doctest/doctest.h>

#include <memory>
#include <set>
#include <string>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"
#include "tests/diagnostic_coverage.hpp"

using namespace tasklab;

namespace {
struct Failed {
    RunState state = RunState::running;
    std::string rendered;
    std::string stderr_text;
    DiagnosticKind kind = DiagnosticKind::expected_token;
};

Failed run_to_error(const std::string& text, RunOptions options = {}) {
    auto file = std::make_shared<SourceFile>("demo.swift", text);
    ParseResult parsed = parse_swift(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    Controller c(parsed.program, options);
    c.run_until_idle();
    Failed f;
    f.state = c.status().state;
    f.stderr_text = c.status().stderr_text;
    REQUIRE(c.status().diagnostic);
    f.kind = c.status().diagnostic->kind;
    f.rendered = render(*file, *c.status().diagnostic);
    return f;
}
}  // namespace

TASKLAB_COVERS_DIAGNOSTIC(undefined_name);
TEST_CASE("an undefined name is marked where it is used") {
    const Failed f = run_to_error("let a = 1\nprint(a + missing)\n");
    CHECK(f.state == RunState::runtime_error);
    CHECK(f.kind == DiagnosticKind::undefined_name);
    CHECK(f.rendered ==
          "demo.swift:2:11: error: cannot find `missing` in scope\n"
          " 2 | print(a + missing)\n"
          "   |           ^~~~~~~\n");
}

TEST_CASE("importing UIKit explains how to declare a stand-in") {
    const Failed f = run_to_error("import UIKit\n");
    CHECK(f.kind == DiagnosticKind::undefined_name);
    CHECK(f.rendered ==
          "demo.swift:1:1: error: UIKit is not available in tasklab\n"
          " 1 | import UIKit\n"
          "   | ^~~~~~~~~~~~\n"
          "help: remove the import and declare a stand-in such as `struct UIImage { init?(data: Data) { … } }`\n");
}

TASKLAB_COVERS_DIAGNOSTIC(type_mismatch);
TEST_CASE("an operator on values of the wrong types marks the operator") {
    const Failed f = run_to_error("let n = 1\nlet s = \"a\"\nprint(n + s)\n");
    CHECK(f.kind == DiagnosticKind::type_mismatch);
    CHECK(f.rendered ==
          "demo.swift:3:9: error: binary operator `+` cannot be applied to operands of type Int and String\n"
          " 3 | print(n + s)\n"
          "   |         ^\n");
}

TASKLAB_COVERS_DIAGNOSTIC(unknown_member);
TEST_CASE("an unsupported member marks its name and points at the language notes") {
    const Failed f = run_to_error("let xs = [1, 2]\nxs.frobnicate()\n");
    CHECK(f.kind == DiagnosticKind::unknown_member);
    CHECK(f.rendered ==
          "demo.swift:2:4: error: `[Int].frobnicate` is not supported\n"
          " 2 | xs.frobnicate()\n"
          "   |    ^~~~~~~~~~\n"
          "help: tasklab runs a subset of Swift and Foundation; see docs/language.md\n");
}

TASKLAB_COVERS_DIAGNOSTIC(wrong_arguments);
TEST_CASE("a call with the wrong labels shows the expected signature") {
    const Failed f = run_to_error("func greet(name: String) {}\ngreet(nam: \"x\")\n");
    CHECK(f.kind == DiagnosticKind::wrong_arguments);
    CHECK(f.rendered ==
          "demo.swift:2:1: error: wrong arguments in call to `greet`\n"
          " 2 | greet(nam: \"x\")\n"
          "   | ^~~~~~~~~~~~~~~\n"
          "help: expected greet(name:), got (nam:)\n");
}

TASKLAB_COVERS_DIAGNOSTIC(nil_unwrap);
TEST_CASE("force-unwrapping nil is Swift's fatal error at the unwrap") {
    const Failed f = run_to_error("let x: Int? = nil\nprint(x! + 1)\n");
    CHECK(f.kind == DiagnosticKind::nil_unwrap);
    CHECK(f.rendered ==
          "demo.swift:2:7: error: Unexpectedly found nil while unwrapping an Optional value\n"
          " 2 | print(x! + 1)\n"
          "   |       ^~\n");
    CHECK(f.stderr_text == "Fatal error: Unexpectedly found nil while unwrapping an Optional value\n");
}

TASKLAB_COVERS_DIAGNOSTIC(index_out_of_range);
TEST_CASE("an index past the end marks the subscript") {
    const Failed f = run_to_error("let xs = [1, 2]\nprint(xs[2])\n");
    CHECK(f.kind == DiagnosticKind::index_out_of_range);
    CHECK(f.rendered ==
          "demo.swift:2:7: error: Index out of range\n"
          " 2 | print(xs[2])\n"
          "   |       ^~~~~\n");
}

TASKLAB_COVERS_DIAGNOSTIC(division_by_zero);
TEST_CASE("integer division by zero marks the operator") {
    const Failed f = run_to_error("let zero = 0\nprint(10 / zero)\n");
    CHECK(f.kind == DiagnosticKind::division_by_zero);
    CHECK(f.rendered ==
          "demo.swift:2:10: error: Division by zero\n"
          " 2 | print(10 / zero)\n"
          "   |          ^\n");
}

TASKLAB_COVERS_DIAGNOSTIC(misuse);
TEST_CASE("try! on a throwing call traps with the error's description") {
    const Failed f = run_to_error("struct Boom: Error {}\nfunc f() throws -> Int { throw Boom() }\nlet v = try! f()\n");
    CHECK(f.kind == DiagnosticKind::misuse);
    CHECK(f.rendered ==
          "demo.swift:3:9: error: 'try!' expression unexpectedly raised an error: main.Boom()\n"
          " 3 | let v = try! f()\n"
          "   |         ^~~~~~~~\n");
}

TASKLAB_COVERS_DIAGNOSTIC(step_limit);
TEST_CASE("the step limit points at the statement that was running") {
    const Failed f = run_to_error("// tasklab: limit steps 5\nwhile true {\n    await Task.yield()\n}\n");
    CHECK(f.state == RunState::step_limit);
    CHECK(f.kind == DiagnosticKind::step_limit);
    CHECK(f.rendered ==
          "demo.swift:3:11: error: stopped after 5 steps (the limit); raise it with `// tasklab: limit steps N`\n"
          " 3 |     await Task.yield()\n"
          "   |           ^~~~~~~~~~~~\n");
}

TEST_CASE("a task that never suspends is stopped instead of hanging the run") {
    RunOptions options;
    options.max_statements_per_step = 1000;
    const Failed f = run_to_error("var n = 0\nwhile true {\n    n += 1\n}\n", options);
    CHECK(f.state == RunState::runtime_error);
    CHECK(f.kind == DiagnosticKind::step_limit);
    CHECK(f.rendered ==
          "demo.swift:3:5: error: a task ran 1000 statements without suspending\n"
          " 3 |     n += 1\n"
          "   |     ^~~~~~\n"
          "help: is this an endless loop? tasklab stops a task that never gives the others a turn\n");
}

TASKLAB_COVERS_DIAGNOSTIC(time_limit);
TEST_CASE("the time limit points at the sleep that would pass it") {
    const Failed f = run_to_error("// tasklab: limit time 10s\ntry await Task.sleep(for: .seconds(60))\n");
    CHECK(f.state == RunState::time_limit);
    CHECK(f.kind == DiagnosticKind::time_limit);
    CHECK(f.rendered ==
          "demo.swift:2:11: error: stopped at the virtual-time limit of 10s; raise it with `// tasklab: limit time N`\n"
          " 2 | try await Task.sleep(for: .seconds(60))\n"
          "   |           ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
}

TASKLAB_COVERS_DIAGNOSTIC(deadlock);
TEST_CASE("a deadlock points at main's wait and lists every waiting task") {
    const Failed d = run_to_error("var other: Task<Void, Never>? = nil\nlet a = Task { await other!.value }\nother = Task { await a.value }\nawait a.value\n");
    CHECK(d.state == RunState::deadlock);
    CHECK(d.kind == DiagnosticKind::deadlock);
    CHECK(d.rendered ==
          "demo.swift:4:7: error: deadlock: nothing can run and no timer is pending\n"
          " 4 | await a.value\n"
          "   |       ^~~~~~~\n"
          "note: main waits for a.value at demo.swift:4:7\n"
          "note: a waits for other.value at demo.swift:2:22\n"
          "note: other waits for a.value at demo.swift:3:22\n");
}

TEST_CASE("every diagnostic kind has a test") {
    // Kinds whose producer does not exist yet; the check fails as soon as one gains a test,
    // so this list only ever shrinks.
    const std::set<DiagnosticKind> pending = {
        DiagnosticKind::expectation_failed,        // reported by `tasklab check`, tested with the CLI
    };
    const auto& covered = test::covered_diagnostics();
    for (DiagnosticKind k : all_diagnostic_kinds()) {
        CAPTURE(diagnostic_kind_name(k));
        if (pending.count(k)) CHECK(covered.count(k) == 0);
        else CHECK(covered.count(k) == 1);
    }
}

TEST_CASE("an AST node missing a required child stops the run instead of crashing") {
    auto program = std::make_shared<ast::Program>();
    program->file = std::make_shared<SourceFile>("broken.swift", "print(\n");
    auto* call = program->make<ast::Call>(Span{0, 6}, nullptr);
    program->body.push_back(program->make<ast::ExprStmt>(Span{0, 6}, call));
    Controller c(program);
    c.run_until_idle();
    CHECK(c.status().state == RunState::runtime_error);
    REQUIRE(c.status().diagnostic);
    CHECK(c.status().diagnostic->message == "this construct is incomplete and cannot run");
}
