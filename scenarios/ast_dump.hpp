// An S-expression view of the AST, for tests and for debugging a front end.
//
// Every node prints as `(tag …)` with its children in source order; names print bare and
// literals as written (strings quoted, interpolations as `(interp e)`). Examples:
//
//     let x: Int = a + 1           (let x : Int = (+ a 1))
//     Task { try? await f() }      (call Task ^(closure implicit (try? (await (call f)))))
//     group.addTask { … }          (call (. group addTask) ^(closure …))
//     .seconds(1)                  (call (. seconds) 1)
//
// A statement carrying a `tasklab: note` prints as `[note N] …`. The format is for people and
// tests; nothing parses it back.
#pragma once

#include <string>
#include <string_view>

#include "ast.hpp"

namespace tasklab::ast {

/// A binary operator's spelling, as the dump writes it: `+`, `&<<`, `//`, `not-in`.
std::string_view op_name(BinaryOp op);
/// One expression as an S-expression ("<null>" for a null pointer).
std::string dump(const Expr* e);
/// One statement (and everything nested in it) as an S-expression.
std::string dump(const Stmt* s);
/// The program's top-level statements, one per line.
std::string dump(const Program& program);

}  // namespace tasklab::ast
