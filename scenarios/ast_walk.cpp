#include "ast_walk.hpp"

#include <algorithm>

namespace tasklab::ast {

namespace {
void add(std::vector<NodeRef>& out, const Expr* e) {
    if (e) out.push_back({nullptr, e});
}
void add(std::vector<NodeRef>& out, const Block& b) {
    for (const Stmt* s : b)
        if (s) out.push_back({s, nullptr});
}
/// The expressions inside a pattern (expression patterns, types), in source order. Patterns
/// nest no deeper than the parser's nesting limit.
void add_pattern(std::vector<NodeRef>& out, const Pattern* p) {
    if (!p) return;
    add(out, p->expr);
    for (const Pattern* e : p->elements) add_pattern(out, e);
    add(out, p->type);
}
void add_items(std::vector<NodeRef>& out, const std::vector<CaseItem>& items) {
    for (const auto& item : items) {
        add_pattern(out, item.pattern);
        add(out, item.where);
    }
}
void add_conditions(std::vector<NodeRef>& out, const std::vector<Condition>& cs) {
    for (const auto& c : cs) {
        add_pattern(out, c.pattern);
        add(out, c.expr);
    }
}
}  // namespace

void push_children(NodeRef node, std::vector<NodeRef>& out) {
    if (node.stmt) {
        const Stmt& s = *node.stmt;
        switch (s.kind) {
            case StmtKind::expr: add(out, static_cast<const ExprStmt&>(s).expr); break;
            case StmtKind::var_decl: {
                const auto& d = static_cast<const VarDecl&>(s);
                add(out, d.target);
                add(out, d.init);
                add(out, d.getter);
                add(out, d.setter);
                add(out, d.will_set);
                add(out, d.did_set);
                break;
            }
            case StmtKind::assign: {
                const auto& a = static_cast<const Assign&>(s);
                add(out, a.target);
                for (const auto* t : a.more_targets) add(out, t);
                add(out, a.value);
                break;
            }
            case StmtKind::if_: {
                const auto& i = static_cast<const If&>(s);
                add_conditions(out, i.conditions);
                add(out, i.then_body);
                add(out, i.else_body);
                break;
            }
            case StmtKind::guard: {
                const auto& g = static_cast<const Guard&>(s);
                add_conditions(out, g.conditions);
                add(out, g.else_body);
                break;
            }
            case StmtKind::switch_: {
                const auto& sw = static_cast<const Switch&>(s);
                add(out, sw.subject);
                for (const auto& c : sw.cases) {
                    add_items(out, c.items);
                    add(out, c.body);
                }
                break;
            }
            case StmtKind::while_: {
                const auto& w = static_cast<const While&>(s);
                add(out, w.cond);
                add_conditions(out, w.conditions);
                add(out, w.body);
                add(out, w.else_body);
                break;
            }
            case StmtKind::for_in: {
                const auto& f = static_cast<const ForIn&>(s);
                add(out, f.target);
                add_pattern(out, f.pattern);
                add(out, f.iterable);
                add(out, f.where);
                add(out, f.body);
                add(out, f.else_body);
                break;
            }
            case StmtKind::return_: add(out, static_cast<const Return&>(s).value); break;
            case StmtKind::throw_: {
                const auto& t = static_cast<const Throw&>(s);
                add(out, t.value);
                add(out, t.cause);
                break;
            }
            case StmtKind::try_: {
                const auto& t = static_cast<const TryStmt&>(s);
                add(out, t.body);
                for (const auto& h : t.handlers) {
                    add(out, h.type);
                    add_items(out, h.items);
                    add(out, h.where);
                    add(out, h.body);
                }
                add(out, t.else_body);
                add(out, t.finally_body);
                break;
            }
            case StmtKind::defer: add(out, static_cast<const Defer&>(s).body); break;
            case StmtKind::func_decl: {
                const auto& f = static_cast<const FuncDecl&>(s);
                for (const auto* d : f.decorators) add(out, d);
                for (const auto& p : f.params) add(out, p.default_value);
                add(out, f.body);
                break;
            }
            case StmtKind::type_decl: {
                const auto& t = static_cast<const TypeDecl&>(s);
                for (const auto* d : t.decorators) add(out, d);
                for (const auto* b : t.bases) add(out, b);
                add(out, t.members);
                break;
            }
            case StmtKind::with: {
                const auto& w = static_cast<const With&>(s);
                for (const auto& item : w.items) {
                    add(out, item.context);
                    add(out, item.target);
                }
                add(out, w.body);
                break;
            }
            case StmtKind::block: add(out, static_cast<const BlockStmt&>(s).body); break;
            case StmtKind::break_:
            case StmtKind::continue_:
            case StmtKind::fallthrough:
            case StmtKind::import:
            case StmtKind::pass:
            case StmtKind::global: break;
        }
        return;
    }
    if (!node.expr) return;
    const Expr& e = *node.expr;
    switch (e.kind) {
        case ExprKind::string_literal:
            for (const auto& p : static_cast<const StringLiteral&>(e).parts) add(out, p.expr);
            break;
        case ExprKind::member: add(out, static_cast<const Member&>(e).base); break;
        case ExprKind::call: {
            const auto& c = static_cast<const Call&>(e);
            add(out, c.callee);
            for (const auto& a : c.args) add(out, a.value);
            break;
        }
        case ExprKind::subscript: {
            const auto& s = static_cast<const Subscript&>(e);
            add(out, s.base);
            for (const auto& a : s.index) add(out, a.value);
            break;
        }
        case ExprKind::unary: add(out, static_cast<const Unary&>(e).operand); break;
        case ExprKind::binary: {
            const auto& b = static_cast<const Binary&>(e);
            add(out, b.lhs);
            add(out, b.rhs);
            break;
        }
        case ExprKind::compare_chain:
            for (const auto* x : static_cast<const CompareChain&>(e).operands) add(out, x);
            break;
        case ExprKind::ternary: {
            const auto& t = static_cast<const Ternary&>(e);
            add(out, t.cond);
            add(out, t.then_expr);
            add(out, t.else_expr);
            break;
        }
        case ExprKind::named: {
            const auto& n = static_cast<const NamedExpr&>(e);
            add(out, n.target);
            add(out, n.value);
            break;
        }
        case ExprKind::closure: {
            const auto& c = static_cast<const Closure&>(e);
            for (const auto& p : c.params) add(out, p.default_value);
            add(out, c.body);
            break;
        }
        case ExprKind::try_: add(out, static_cast<const Try&>(e).operand); break;
        case ExprKind::await_: add(out, static_cast<const Await&>(e).operand); break;
        case ExprKind::yield_: add(out, static_cast<const Yield&>(e).operand); break;
        case ExprKind::array:
            for (const auto* x : static_cast<const ArrayLiteral&>(e).elements) add(out, x);
            break;
        case ExprKind::dict:
            for (const auto& [k, v] : static_cast<const DictLiteral&>(e).entries) {
                add(out, k);
                add(out, v);
            }
            break;
        case ExprKind::set:
            for (const auto* x : static_cast<const SetLiteral&>(e).elements) add(out, x);
            break;
        case ExprKind::starred: add(out, static_cast<const Starred&>(e).operand); break;
        case ExprKind::tuple:
            for (const auto* x : static_cast<const TupleExpr&>(e).elements) add(out, x);
            break;
        case ExprKind::range: {
            const auto& r = static_cast<const RangeExpr&>(e);
            add(out, r.lower);
            add(out, r.upper);
            add(out, r.step);
            break;
        }
        case ExprKind::force_unwrap: add(out, static_cast<const ForceUnwrap&>(e).operand); break;
        case ExprKind::optional_chain: add(out, static_cast<const OptionalChain&>(e).operand); break;
        case ExprKind::comprehension: {
            const auto& c = static_cast<const Comprehension&>(e);
            add(out, c.key);
            add(out, c.element);
            add(out, c.target);
            add(out, c.iterable);
            for (const auto* x : c.conditions) add(out, x);
            for (const auto& f : c.more) {
                add(out, f.target);
                add(out, f.iterable);
                for (const auto* x : f.conditions) add(out, x);
            }
            break;
        }
        case ExprKind::stmt_expr: {
            const Stmt* st = static_cast<const StmtExpr&>(e).stmt;
            if (st) out.push_back({st, nullptr});
            break;
        }
        case ExprKind::int_literal:
        case ExprKind::double_literal:
        case ExprKind::bool_literal:
        case ExprKind::nil_literal:
        case ExprKind::name: break;
    }
}

std::vector<const Stmt*> all_statements(const Program& program) {
    std::vector<const Stmt*> result;
    std::vector<NodeRef> stack;
    std::vector<NodeRef> children;
    for (auto it = program.body.rbegin(); it != program.body.rend(); ++it) stack.push_back({*it, nullptr});
    while (!stack.empty()) {
        const NodeRef n = stack.back();
        stack.pop_back();
        if (n.stmt) result.push_back(n.stmt);
        children.clear();
        push_children(n, children);
        // Reverse so the first child is visited first (pre-order, source order).
        for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
    }
    return result;
}

}  // namespace tasklab::ast
