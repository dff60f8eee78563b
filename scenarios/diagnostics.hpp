// Diagnostics: every kind in one list, and the renderer that prints them.
//
// Each kind is registered once in TASKLAB_DIAGNOSTIC_KINDS; tests/scenarios/diagnostics_test
// walks the list and fails when a kind has no test. The rendered form follows rustc and clang:
//
//     downloads.swift:12:5: error: `actor` is not supported yet
//        12 |     actor Cache {
//           |     ^~~~~
//     note: tasklab runs a subset of Swift; see docs/language.md
//
// Front ends recover and report several errors; the runtime reports one error at the
// statement that caused it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "source.hpp"

namespace tasklab {

// X(name, category) — category is "lex", "parse", "directive" or "runtime".
#define TASKLAB_DIAGNOSTIC_KINDS(X)                                                                   \
    X(invalid_character, "lex")        /* a byte or code point that starts no token */               \
    X(unterminated_string, "lex")      /* string literal runs to end of line or file */              \
    X(unterminated_comment, "lex")     /* block comment never closed */                              \
    X(invalid_number, "lex")           /* malformed numeric literal */                               \
    X(invalid_escape, "lex")           /* unknown escape sequence in a string */                     \
    X(inconsistent_indentation, "lex") /* Python: dedent to a level that was never opened */         \
    X(expected_token, "parse")         /* expected X, found Y */                                     \
    X(expected_expression, "parse")    /* an expression was required here */                         \
    X(unsupported_construct, "parse")  /* valid in the real language, not in tasklab's subset */      \
    X(invalid_assignment_target, "parse")                                                          \
    X(front_end_limit, "parse")        /* nesting, expression depth or parser work past a limit */   \
    X(unknown_directive, "directive")  /* `// tasklab: frobnicate` */                                \
    X(invalid_directive, "directive")  /* a known directive with malformed arguments */              \
    X(undefined_name, "runtime")       /* a name used before it was defined */                       \
    X(type_mismatch, "runtime")        /* an operation on values of the wrong type */                \
    X(unknown_member, "runtime")       /* no such method or property */                              \
    X(wrong_arguments, "runtime")      /* a call with the wrong number or labels of arguments */     \
    X(nil_unwrap, "runtime")           /* force-unwrapping nil */                                    \
    X(index_out_of_range, "runtime")                                                                   \
    X(division_by_zero, "runtime")                                                                     \
    X(misuse, "runtime")               /* an API used in a way the real runtime traps on */          \
    X(step_limit, "runtime")           /* the scheduler step limit was reached */                     \
    X(time_limit, "runtime")           /* the virtual-time limit was reached */                       \
    X(memory_limit, "runtime")         /* the run's values passed its memory limit */                 \
    X(deadlock, "runtime")             /* nothing ready, no timer, tasks still waiting */            \
    X(expectation_failed, "runtime")   /* `tasklab check`: output differs from `expect` */

enum class DiagnosticKind {
#define TASKLAB_X(name, category) name,
    TASKLAB_DIAGNOSTIC_KINDS(TASKLAB_X)
#undef TASKLAB_X
};

/// Name of a kind as written in the list ("expected_token").
std::string_view diagnostic_kind_name(DiagnosticKind kind);
/// Category of a kind ("lex", "parse", "directive", "runtime").
std::string_view diagnostic_kind_category(DiagnosticKind kind);
/// Every registered kind, in list order.
const std::vector<DiagnosticKind>& all_diagnostic_kinds();

enum class Severity { error, warning, note };

/// One message attached to a span of a file; notes and help lines follow it.
struct Diagnostic {
    DiagnosticKind kind = DiagnosticKind::expected_token;
    Severity severity = Severity::error;
    Span span;
    std::string message;
    std::vector<std::string> notes;  ///< rendered as "note: …" lines
    std::vector<std::string> help;   ///< rendered as "help: …" lines
};

/// Collects diagnostics for one file; front ends keep going after an error.
class DiagnosticList {
public:
    Diagnostic& error(DiagnosticKind kind, Span span, std::string message);
    Diagnostic& warning(DiagnosticKind kind, Span span, std::string message);
    [[nodiscard]] bool has_errors() const;
    [[nodiscard]] const std::vector<Diagnostic>& items() const { return m_items; }
    [[nodiscard]] std::size_t size() const { return m_items.size(); }
    void clear() { m_items.clear(); }

private:
    std::vector<Diagnostic> m_items;
};

/// Renders one diagnostic: `file:line:col: error: message`, the source line, a caret
/// (`^` then `~` under the rest of the span, clipped to the first line), notes and help.
std::string render(const SourceFile& file, const Diagnostic& d);
/// Renders all diagnostics in order, then "N errors generated." when there is more than one.
std::string render_all(const SourceFile& file, const DiagnosticList& list);

}  // namespace tasklab
