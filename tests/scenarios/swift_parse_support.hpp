// What the Swift front-end suites share: a text lexed or parsed as `t.swift`, its S-expression
// dump (the text must parse without diagnostics), and its diagnostics as messages or as the
// command line renders them. Each suite names the helpers it uses with `using`.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "scenarios/ast_dump.hpp"
#include "scenarios/frontend.hpp"
#include "scenarios/lexer_swift.hpp"

namespace tasklab::swift_parse_support {

/// `text` parsed as the Swift file `t.swift`.
inline ParseResult parse(const std::string& text) { return parse_swift(std::make_shared<SourceFile>("t.swift", text)); }

/// Parses `text`, requires no diagnostics, and returns the S-expression dump (one line per
/// top-level statement, without the final line break).
inline std::string sx(const std::string& text) {
    const ParseResult r = parse(text);
    INFO(render_all(*r.program->file, r.diagnostics));
    REQUIRE(r.diagnostics.size() == 0);
    std::string out = ast::dump(*r.program);
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

/// The messages of all diagnostics, joined by " | ".
inline std::string messages(const std::string& text) {
    const ParseResult r = parse(text);
    std::string out;
    for (const auto& d : r.diagnostics.items()) out += (out.empty() ? "" : " | ") + d.message;
    return out;
}

/// Every diagnostic of `text` rendered as the command line shows it.
inline std::string rendered(const std::string& text) {
    const ParseResult r = parse(text);
    return render_all(*r.program->file, r.diagnostics);
}

/// A text lexed as the Swift file `t.swift`: its tokens, strings and diagnostics.
struct Lexed {
    SourceFile file;
    DiagnosticList diags;
    swift::LexResult result;
    explicit Lexed(std::string text) : file("t.swift", std::move(text)) { result = swift::lex_swift(file, diags); }

    /// Token texts, separated by spaces (strings as <str>), without the final eof.
    [[nodiscard]] std::string texts() const {
        std::string out;
        for (const swift::Token& t : result.tokens) {
            if (t.kind == swift::TokenKind::eof) break;
            if (!out.empty()) out += ' ';
            out += t.kind == swift::TokenKind::string ? std::string("<str>") : std::string(t.text);
        }
        return out;
    }
    [[nodiscard]] const swift::Token& token(std::size_t i) const { return result.tokens.at(i); }
    [[nodiscard]] const swift::LexedString& str(std::size_t token_index) const {
        return result.strings.at(token(token_index).string_index);
    }
};

}  // namespace tasklab::swift_parse_support
