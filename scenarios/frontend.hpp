// Entry points of the scenario front ends: text in, AST plus diagnostics out.
//
// A scenario is a `.swift` file in tasklab's Swift subset or a `.py` file in its Python
// (asyncio) subset; either stays valid source for the real toolchain. tasklab's own settings
// live in comments (`// tasklab: …`, `# tasklab: …`) and are parsed by directives.hpp.
// Nothing here reads files or prints.
#pragma once

#include <cstdint>
#include <memory>

#include "ast.hpp"
#include "diagnostics.hpp"

namespace tasklab {

struct ParseResult {
    std::shared_ptr<ast::Program> program;  ///< always set; may be partial when there are errors
    DiagnosticList diagnostics;
    std::uint64_t parser_work = 0;  ///< tokens the parser read: linear in the input (tests check it)
    [[nodiscard]] bool ok() const { return !diagnostics.has_errors(); }
};

/// Parses the Swift subset (docs/language.md).
ParseResult parse_swift(std::shared_ptr<const SourceFile> file);
/// Parses the Python/asyncio subset (docs/language.md).
ParseResult parse_python(std::shared_ptr<const SourceFile> file);
/// Picks the front end by the file name's extension (.swift or .py).
ParseResult parse_scenario(std::shared_ptr<const SourceFile> file);

}  // namespace tasklab
