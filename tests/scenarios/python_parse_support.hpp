// What the Python front-end suites share: a text parsed as `t.py`, its S-expression dump (the
// text must parse without diagnostics), and its diagnostics as one line of messages. Each suite
// names the helpers it uses with `using`.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "scenarios/ast_dump.hpp"
#include "scenarios/frontend.hpp"

namespace tasklab::python_parse_support {

/// `text` parsed as the Python file `t.py`.
inline ParseResult parse(const std::string& text) { return parse_python(std::make_shared<SourceFile>("t.py", text)); }

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

/// The messages of the diagnostics `text` gets, joined by " | " (empty when it parses cleanly).
inline std::string messages(const std::string& text) {
    const ParseResult r = parse(text);
    std::string out;
    for (const auto& d : r.diagnostics.items()) out += (out.empty() ? "" : " | ") + d.message;
    return out;
}

}  // namespace tasklab::python_parse_support
