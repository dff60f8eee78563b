// Limits of the front ends, in one place: how deep an expression or a program may nest, and
// how much work a parser may do for the tokens it was given.
//
// The interpreters and their resolvers walk the AST recursively (an expression's value needs
// its operands' values), so the height of the tree is what the C++ stack pays for. Parsers
// cap their own recursion (brackets, blocks, closures, right-associative chains and prefix
// operators) at 256 levels in Swift and 200 brackets in Python; but a left-associative chain
// (`1 - 1 - … - 1`) or a postfix chain (`x.first!.first!…`, `x[0][0]…`) is built by a loop,
// so its height grows without any recursion in the parser. check_tree_depth() measures the
// finished tree without recursion and refuses one deeper than k_max_tree_depth, which keeps
// every later recursive pass within a small fraction of even a 1 MiB stack.
//
// The real toolchains refuse such input too: swiftc stops at 256 nested brackets ("structure
// nesting level exceeded maximum of 256") and CPython 3.11 at 200 nested brackets ("too many
// nested parentheses") and at about 3,000 levels of any expression ("RecursionError: maximum
// recursion depth exceeded during compilation").
#pragma once

#include <cstdint>

#include "ast.hpp"
#include "diagnostics.hpp"

namespace tasklab {

/// Deepest expression tree accepted, counting every node from a top-level statement down
/// (operators of a chain, postfix `.x`, `!`, `[i]`, `(…)`, and the statements around it).
inline constexpr int k_max_tree_depth = 1000;

/// Tokens a parser may read per token of input before it gives up (a safety net: the
/// parsers' own loops make progress, and tests check they stay far below this).
inline constexpr std::uint64_t k_parser_work_per_token = 4096;

/// Refuses the first top-level statement whose tree is deeper than `limit`: reports
/// "expression too deeply nested (limit N)" at the node where the depth passed the limit
/// (the operator of a chain, the member name of a `.x`) and removes the statement from the
/// program so no later pass walks it. Uses an explicit stack.
void check_tree_depth(ast::Program& program, DiagnosticList& diags, int limit = k_max_tree_depth);

}  // namespace tasklab
