#include "front_end_limits.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "ast_walk.hpp"

namespace tasklab {

namespace {

/// Where a caret goes for a node whose height passed the limit: the operator of a binary
/// chain, the name of a member, otherwise the node's last character (`]`, `)`, `!`).
Span caret_span(const ast::NodeRef& n) {
    if (n.stmt) return Span{n.stmt->span.begin, n.stmt->span.begin};
    const ast::Expr& e = *n.expr;
    if (e.kind == ast::ExprKind::binary) return static_cast<const ast::Binary&>(e).op_span;
    if (e.kind == ast::ExprKind::member) return static_cast<const ast::Member&>(e).name_span;
    if (e.span.end > e.span.begin) return Span{e.span.end - 1, e.span.end};
    return e.span;
}

/// Height of the tree under `root` (a leaf is 0); stops early once a node passes `limit` and
/// returns that node through `first_too_deep`.
int tree_height(const ast::Stmt* root, int limit, ast::NodeRef& first_too_deep) {
    // Pre-order with parent links, then heights bottom-up in reverse order.
    struct Item {
        ast::NodeRef node;
        std::size_t parent;
    };
    std::vector<Item> order;
    std::vector<std::size_t> stack;
    std::vector<ast::NodeRef> children;
    order.push_back({{root, nullptr}, static_cast<std::size_t>(-1)});
    stack.push_back(0);
    while (!stack.empty()) {
        const std::size_t i = stack.back();
        stack.pop_back();
        children.clear();
        ast::push_children(order[i].node, children);
        for (auto it = children.rbegin(); it != children.rend(); ++it) {
            order.push_back({*it, i});
            stack.push_back(order.size() - 1);
        }
    }
    std::vector<int> height(order.size(), 0);
    int worst = 0;
    for (std::size_t k = order.size(); k-- > 0;) {
        const int h = height[k];
        // Children come after their parent in `order`, so every child of k is done by now;
        // the lowest index among nodes of height limit+1 is the first in source order.
        if (h == limit + 1) {
            first_too_deep = order[k].node;
        }
        worst = std::max(worst, h);
        if (order[k].parent != static_cast<std::size_t>(-1))
            height[order[k].parent] = std::max(height[order[k].parent], h + 1);
    }
    return worst;
}

}  // namespace

void check_tree_depth(ast::Program& program, DiagnosticList& diags, int limit) {
    for (auto it = program.body.begin(); it != program.body.end(); ++it) {
        if (!*it) continue;
        ast::NodeRef deep;
        if (tree_height(*it, limit, deep) <= limit) continue;
        Diagnostic& d = diags.error(DiagnosticKind::front_end_limit, caret_span(deep),
                                    "expression too deeply nested (limit " + std::to_string(limit) + ")");
        d.notes.push_back("each operator of a chain, and each member access, subscript or call applied to a value, adds a level");
        d.help.push_back("split the expression over several statements with intermediate variables");
        program.body.erase(it);
        return;
    }
}

}  // namespace tasklab
