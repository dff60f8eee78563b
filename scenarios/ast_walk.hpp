// Walking the AST without recursion.
//
// Scenario trees can be deep (closures in closures, long else-if chains), so passes over the
// whole tree use an explicit stack. push_children() lists a node's direct children; a pass
// keeps its own stack of NodeRef and calls it until the stack is empty.
#pragma once

#include <vector>

#include "ast.hpp"

namespace tasklab::ast {

/// A statement or an expression (exactly one of the two is set).
struct NodeRef {
    const Stmt* stmt = nullptr;
    const Expr* expr = nullptr;
};

/// Appends the direct children of `node` (statements of nested blocks, closure bodies,
/// sub-expressions, handler patterns) to `out`, in source order. Null children are skipped.
void push_children(NodeRef node, std::vector<NodeRef>& out);

/// Every statement of the program, nested ones and closure bodies included, in pre-order.
std::vector<const Stmt*> all_statements(const Program& program);

}  // namespace tasklab::ast
