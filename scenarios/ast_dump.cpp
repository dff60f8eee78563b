#include "ast_dump.hpp"

#include <charconv>

namespace tasklab::ast {

std::string_view op_name(BinaryOp op) {
    switch (op) {
        case BinaryOp::add: return "+";
        case BinaryOp::sub: return "-";
        case BinaryOp::mul: return "*";
        case BinaryOp::div: return "/";
        case BinaryOp::floor_div: return "//";
        case BinaryOp::mod: return "%";
        case BinaryOp::pow: return "**";
        case BinaryOp::wrapping_add: return "&+";
        case BinaryOp::wrapping_sub: return "&-";
        case BinaryOp::wrapping_mul: return "&*";
        case BinaryOp::bit_and: return "&";
        case BinaryOp::bit_or: return "|";
        case BinaryOp::bit_xor: return "^";
        case BinaryOp::shift_left: return "<<";
        case BinaryOp::shift_right: return ">>";
        case BinaryOp::masking_shift_left: return "&<<";
        case BinaryOp::masking_shift_right: return "&>>";
        case BinaryOp::eq: return "==";
        case BinaryOp::ne: return "!=";
        case BinaryOp::lt: return "<";
        case BinaryOp::le: return "<=";
        case BinaryOp::gt: return ">";
        case BinaryOp::ge: return ">=";
        case BinaryOp::logical_and: return "&&";
        case BinaryOp::logical_or: return "||";
        case BinaryOp::nil_coalesce: return "??";
        case BinaryOp::is_type: return "is";
        case BinaryOp::cast: return "as";
        case BinaryOp::cast_optional: return "as?";
        case BinaryOp::cast_force: return "as!";
        case BinaryOp::identical: return "===";
        case BinaryOp::not_identical: return "!==";
        case BinaryOp::contains: return "in";
        case BinaryOp::not_contains: return "not-in";
    }
    return "?";
}

namespace {

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        switch (c) {
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\0': out += "\\0"; break;
            default: out += c;
        }
    }
    return out + "\"";
}

std::string_view assign_name(AssignOp op) {
    switch (op) {
        case AssignOp::set: return "=";
        case AssignOp::add: return "+=";
        case AssignOp::sub: return "-=";
        case AssignOp::mul: return "*=";
        case AssignOp::div: return "/=";
        case AssignOp::mod: return "%=";
        case AssignOp::wrapping_add: return "&+=";
        case AssignOp::wrapping_sub: return "&-=";
        case AssignOp::wrapping_mul: return "&*=";
        case AssignOp::bit_and: return "&=";
        case AssignOp::bit_or: return "|=";
        case AssignOp::bit_xor: return "^=";
        case AssignOp::shift_left: return "<<=";
        case AssignOp::shift_right: return ">>=";
        case AssignOp::masking_shift_left: return "&<<=";
        case AssignOp::masking_shift_right: return "&>>=";
    }
    return "?";
}

std::string block(const Block& b) {
    std::string out = "{";
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i) out += ' ';
        out += dump(b[i]);
    }
    return out + "}";
}

std::string args(const std::vector<Arg>& list) {
    std::string out;
    for (const Arg& a : list) {
        out += ' ';
        if (a.trailing) out += '^';
        if (!a.label.empty()) out += a.label + ":";
        out += dump(a.value);
    }
    return out;
}

std::string pattern(const Pattern* p) {
    if (!p) return "<null>";
    switch (p->kind) {
        case PatternKind::wildcard: return "_";
        case PatternKind::binding: return (p->is_var ? "(var " : "(let ") + p->name + ")";
        case PatternKind::tuple:
        case PatternKind::enum_case: {
            std::string out = p->kind == PatternKind::tuple ? "(tuple" : "(case " + (p->type ? dump(p->type) : std::string()) + "." + p->name;
            if (p->kind == PatternKind::enum_case && p->has_payload) out += " (";
            for (std::size_t k = 0; k < p->elements.size(); ++k) {
                out += k || p->kind == PatternKind::tuple ? " " : "";
                if (k < p->labels.size() && !p->labels[k].empty()) out += p->labels[k] + ":";
                out += pattern(p->elements[k]);
            }
            if (p->kind == PatternKind::enum_case && p->has_payload) out += ")";
            return out + ")";
        }
        case PatternKind::optional: return "(? " + pattern(p->elements.empty() ? nullptr : p->elements[0]) + ")";
        case PatternKind::is_type: return "(is " + dump(p->type) + ")";
        case PatternKind::cast: return "(as " + pattern(p->elements.empty() ? nullptr : p->elements[0]) + " " + dump(p->type) + ")";
        case PatternKind::expr: return "(~= " + dump(p->expr) + ")";
    }
    return "<?>";
}

std::string items(const std::vector<CaseItem>& list) {
    std::string out;
    for (const CaseItem& item : list) {
        out += " " + pattern(item.pattern);
        if (item.where) out += " where:" + dump(item.where);
    }
    return out;
}

std::string conditions(const std::vector<Condition>& cs) {
    std::string out;
    for (const Condition& c : cs) {
        out += ' ';
        if (c.pattern) out += "(case " + pattern(c.pattern) + " " + dump(c.expr) + ")";
        else out += c.is_binding ? "(let " + c.name + " " + dump(c.expr) + ")" : dump(c.expr);
    }
    return out;
}

std::string param(const Param& p) {
    std::string out = p.label == p.name ? p.name : p.label + ":" + p.name;
    if (p.is_inout) out += ":inout";
    if (p.variadic) out += "...";
    switch (p.kind) {
        case ParamKind::normal: break;
        case ParamKind::positional_only: out += "/"; break;
        case ParamKind::keyword_only: out = "kw:" + out; break;
        case ParamKind::var_positional: out = "*" + out; break;
        case ParamKind::var_keyword: out = "**" + out; break;
    }
    if (p.default_value) out += "=" + dump(p.default_value);
    return out;
}

}  // namespace

std::string dump(const Expr* e) {
    if (!e) return "<null>";
    switch (e->kind) {
        case ExprKind::int_literal: {
            const auto* lit = static_cast<const IntLiteral*>(e);
            return lit->above_int_max ? std::to_string(static_cast<std::uint64_t>(lit->value)) : std::to_string(lit->value);
        }
        case ExprKind::double_literal: {
            char buf[64];
            const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<const DoubleLiteral*>(e)->value);
            std::string s(buf, r.ptr);
            if (s.find_first_of(".en") == std::string::npos) s += ".0";
            return s;
        }
        case ExprKind::string_literal: {
            const auto* s = static_cast<const StringLiteral*>(e);
            if (s->is_bytes) return "b" + quoted(s->parts.empty() ? std::string() : s->parts[0].text);
            if (s->is_plain()) return quoted(s->parts.empty() ? std::string() : s->parts[0].text);
            std::string out = "(str";
            for (const StringPart& p : s->parts) {
                if (!p.expr) {
                    out += " " + quoted(p.text);
                    continue;
                }
                out += " (interp " + dump(p.expr);
                if (p.conversion) out += std::string(" !") + p.conversion;
                if (!p.format_spec.empty()) out += " :" + p.format_spec;
                out += ")";
            }
            return out + ")";
        }
        case ExprKind::bool_literal: return static_cast<const BoolLiteral*>(e)->value ? "true" : "false";
        case ExprKind::nil_literal: return "nil";
        case ExprKind::name: return static_cast<const Name*>(e)->name;
        case ExprKind::member: {
            const auto* m = static_cast<const Member*>(e);
            return m->base ? "(. " + dump(m->base) + " " + m->name + ")" : "(. " + m->name + ")";
        }
        case ExprKind::call: {
            const auto* c = static_cast<const Call*>(e);
            return "(call " + dump(c->callee) + args(c->args) + ")";
        }
        case ExprKind::subscript: {
            const auto* s = static_cast<const Subscript*>(e);
            return "(sub " + dump(s->base) + args(s->index) + ")";
        }
        case ExprKind::unary: {
            const auto* u = static_cast<const Unary*>(e);
            const char* op = u->op == UnaryOp::negate       ? "neg"
                             : u->op == UnaryOp::plus       ? "pos"
                             : u->op == UnaryOp::bit_not    ? "bitnot"
                             : u->op == UnaryOp::address_of ? "inout"
                                                            : "not";
            return std::string("(") + op + " " + dump(u->operand) + ")";
        }
        case ExprKind::binary: {
            const auto* b = static_cast<const Binary*>(e);
            return "(" + std::string(op_name(b->op)) + " " + dump(b->lhs) + " " + dump(b->rhs) + ")";
        }
        case ExprKind::compare_chain: {
            const auto* c = static_cast<const CompareChain*>(e);
            std::string out = "(chain-compare " + dump(c->operands.empty() ? nullptr : c->operands[0]);
            for (const Binary* b : c->links) out += " " + std::string(op_name(b->op)) + " " + dump(b->rhs);
            return out + ")";
        }
        case ExprKind::named: {
            const auto* n = static_cast<const NamedExpr*>(e);
            return "(:= " + dump(n->target) + " " + dump(n->value) + ")";
        }
        case ExprKind::ternary: {
            const auto* t = static_cast<const Ternary*>(e);
            return "(?: " + dump(t->cond) + " " + dump(t->then_expr) + " " + dump(t->else_expr) + ")";
        }
        case ExprKind::closure: {
            const auto* c = static_cast<const Closure*>(e);
            std::string out = "(closure";
            if (!c->params.empty()) {
                out += " (";
                for (std::size_t i = 0; i < c->params.size(); ++i) out += (i ? " " : "") + param(c->params[i]);
                out += ")";
            }
            if (!c->captures.empty()) {
                out += " [";
                for (std::size_t i = 0; i < c->captures.size(); ++i) out += (i ? " " : "") + c->captures[i];
                out += "]";
            }
            if (c->is_async) out += " async";
            if (c->throws) out += " throws";
            if (c->main_actor) out += " @MainActor";
            if (c->implicit_return) out += " implicit";
            for (const Stmt* s : c->body) out += " " + dump(s);
            return out + ")";
        }
        case ExprKind::try_: {
            const auto* t = static_cast<const Try*>(e);
            const char* k = t->try_kind == TryKind::plain ? "try" : t->try_kind == TryKind::optional ? "try?" : "try!";
            return std::string("(") + k + " " + dump(t->operand) + ")";
        }
        case ExprKind::await_: return "(await " + dump(static_cast<const Await*>(e)->operand) + ")";
        case ExprKind::yield_: {
            const auto* y = static_cast<const Yield*>(e);
            if (y->from) return "(yield-from " + dump(y->operand) + ")";
            return y->operand ? "(yield " + dump(y->operand) + ")" : "(yield)";
        }
        case ExprKind::array: {
            std::string out = "(array";
            for (const Expr* x : static_cast<const ArrayLiteral*>(e)->elements) out += " " + dump(x);
            return out + ")";
        }
        case ExprKind::dict: {
            std::string out = "(dict";
            for (const auto& [k, v] : static_cast<const DictLiteral*>(e)->entries) out += " (" + dump(k) + " " + dump(v) + ")";
            return out + ")";
        }
        case ExprKind::starred: return "(* " + dump(static_cast<const Starred*>(e)->operand) + ")";
        case ExprKind::set: {
            std::string out = "(set";
            for (const Expr* x : static_cast<const SetLiteral*>(e)->elements) out += " " + dump(x);
            return out + ")";
        }
        case ExprKind::tuple: {
            const auto* t = static_cast<const TupleExpr*>(e);
            std::string out = "(tuple";
            for (std::size_t i = 0; i < t->elements.size(); ++i) {
                out += ' ';
                if (i < t->labels.size() && !t->labels[i].empty()) out += t->labels[i] + ":";
                out += dump(t->elements[i]);
            }
            return out + ")";
        }
        case ExprKind::range: {
            const auto* r = static_cast<const RangeExpr*>(e);
            return std::string("(") + (r->closed ? "..." : "..<") + " " + (r->lower ? dump(r->lower) : "_") + " " +
                   (r->upper ? dump(r->upper) : "_") + (r->step ? " step:" + dump(r->step) : "") + ")";
        }
        case ExprKind::force_unwrap: return "(force " + dump(static_cast<const ForceUnwrap*>(e)->operand) + ")";
        case ExprKind::optional_chain: return "(chain " + dump(static_cast<const OptionalChain*>(e)->operand) + ")";
        case ExprKind::comprehension: {
            const auto* c = static_cast<const Comprehension*>(e);
            std::string out = c->comp_kind == ComprehensionKind::generator ? "(gen "
                              : c->comp_kind == ComprehensionKind::dict   ? "(dictcomp " + dump(c->key) + " "
                              : c->comp_kind == ComprehensionKind::set    ? "(setcomp "
                                                                          : "(comp ";
            out += dump(c->element) + " " + dump(c->target) + " " + dump(c->iterable);
            for (const Expr* x : c->conditions) out += " " + dump(x);
            for (const auto& f : c->more) {
                out += " (for " + dump(f.target) + " " + dump(f.iterable);
                for (const Expr* x : f.conditions) out += " " + dump(x);
                out += ")";
            }
            return out + ")";
        }
        case ExprKind::stmt_expr: return "(value " + dump(static_cast<const StmtExpr*>(e)->stmt) + ")";
    }
    return "<?>";
}

std::string dump(const Stmt* s) {
    if (!s) return "<null>";
    std::string out = s->note ? "[note " + std::to_string(s->note) + "] " : "";
    if (!s->label.empty()) out += s->label + ": ";
    switch (s->kind) {
        case StmtKind::expr: return out + dump(static_cast<const ExprStmt*>(s)->expr);
        case StmtKind::var_decl: {
            const auto* d = static_cast<const VarDecl*>(s);
            out += d->binding == BindingKind::let ? "(let " : d->binding == BindingKind::var ? "(var " : "(async-let ";
            out += dump(d->target);
            if (!d->type_text.empty()) out += " : " + d->type_text;
            if (d->init) out += " = " + dump(d->init);
            if (d->is_static) out += " static";
            if (d->is_lazy) out += " lazy";
            if (d->requirement) out += " requirement";
            if (d->computed) out += " get " + block(d->getter);
            if (!d->setter.empty() || (d->computed && d->setter_param != "newValue")) out += " set(" + d->setter_param + ") " + block(d->setter);
            if (d->has_will_set) out += " willSet(" + d->will_set_param + ") " + block(d->will_set);
            if (d->has_did_set) out += " didSet(" + d->did_set_param + ") " + block(d->did_set);
            return out + ")";
        }
        case StmtKind::assign: {
            const auto* a = static_cast<const Assign*>(s);
            out += "(" + std::string(assign_name(a->op)) + " " + dump(a->target);
            for (const Expr* t : a->more_targets) out += " = " + dump(t);
            if (!a->type_text.empty()) out += " : " + a->type_text;
            return out + " " + dump(a->value) + ")";
        }
        case StmtKind::if_: {
            const auto* i = static_cast<const If*>(s);
            out += "(if" + conditions(i->conditions) + " " + block(i->then_body);
            if (!i->else_body.empty()) out += " else " + block(i->else_body);
            return out + ")";
        }
        case StmtKind::guard: {
            const auto* g = static_cast<const Guard*>(s);
            return out + "(guard" + conditions(g->conditions) + " else " + block(g->else_body) + ")";
        }
        case StmtKind::switch_: {
            const auto* sw = static_cast<const Switch*>(s);
            out += "(switch " + dump(sw->subject);
            for (const SwitchCase& c : sw->cases)
                out += (c.is_default ? " (default " : " (case" + items(c.items) + " ") + block(c.body) + ")";
            return out + ")";
        }
        case StmtKind::while_: {
            const auto* w = static_cast<const While*>(s);
            if (w->repeat) return out + "(repeat " + block(w->body) + " while " + dump(w->cond) + ")";
            out += "(while" + (w->conditions.empty() ? " " + dump(w->cond) : conditions(w->conditions)) + " " + block(w->body);
            if (!w->else_body.empty()) out += " else " + block(w->else_body);
            return out + ")";
        }
        case StmtKind::for_in: {
            const auto* f = static_cast<const ForIn*>(s);
            out += "(for ";
            if (f->is_try) out += "try ";
            if (f->is_await) out += "await ";
            out += f->pattern ? "case " + pattern(f->pattern) : dump(f->target);
            out += " " + dump(f->iterable);
            if (f->where) out += " where:" + dump(f->where);
            out += " " + block(f->body);
            if (!f->else_body.empty()) out += " else " + block(f->else_body);
            return out + ")";
        }
        case StmtKind::break_: {
            const auto& target = static_cast<const Break*>(s)->target;
            return out + (target.empty() ? "(break)" : "(break " + target + ")");
        }
        case StmtKind::continue_: {
            const auto& target = static_cast<const Continue*>(s)->target;
            return out + (target.empty() ? "(continue)" : "(continue " + target + ")");
        }
        case StmtKind::fallthrough: return out + "(fallthrough)";
        case StmtKind::return_: {
            const auto* r = static_cast<const Return*>(s);
            return out + (r->value ? "(return " + dump(r->value) + ")" : "(return)");
        }
        case StmtKind::throw_: {
            const auto* t = static_cast<const Throw*>(s);
            out += t->value ? "(throw " + dump(t->value) : "(throw";
            if (t->cause) out += " from " + dump(t->cause);
            return out + ")";
        }
        case StmtKind::try_: {
            const auto* t = static_cast<const TryStmt*>(s);
            out += "(do " + block(t->body);
            for (const Handler& h : t->handlers) {
                out += t->star ? " (catch*" : " (catch";
                if (h.type) out += " is:" + dump(h.type);
                if (!h.binding.empty()) out += " let:" + h.binding;
                if (h.where) out += " where:" + dump(h.where);
                if (!h.items.empty()) out += " items:" + items(h.items);
                out += " " + block(h.body) + ")";
            }
            if (!t->else_body.empty()) out += " else " + block(t->else_body);
            if (t->has_finally) out += " finally " + block(t->finally_body);
            return out + ")";
        }
        case StmtKind::defer: return out + "(defer " + block(static_cast<const Defer*>(s)->body) + ")";
        case StmtKind::func_decl: {
            const auto* f = static_cast<const FuncDecl*>(s);
            for (const Expr* d : f->decorators) out += "@" + dump(d) + " ";
            out += "(func " + f->name + " (";
            for (std::size_t i = 0; i < f->params.size(); ++i) out += (i ? " " : "") + param(f->params[i]);
            out += ")";
            if (f->is_async) out += " async";
            if (f->is_generator) out += " generator";
            if (f->throws) out += " throws";
            if (f->is_static) out += " static";
            if (f->is_init) out += " init";
            if (f->failable) out += " failable";
            if (f->isolation == DeclIsolation::main_actor) out += " @MainActor";
            if (f->isolation == DeclIsolation::nonisolated) out += " nonisolated";
            if (f->is_deinit) out += " deinit";
            if (f->is_subscript) out += " subscript";
            if (f->is_mutating) out += " mutating";
            if (f->requirement) return out + " requirement)";
            if (f->implicit_return) out += " implicit";
            if (!f->return_type_text.empty()) out += " -> " + f->return_type_text;
            return out + " " + block(f->body) + ")";
        }
        case StmtKind::type_decl: {
            const auto* t = static_cast<const TypeDecl*>(s);
            for (const Expr* d : t->decorators) out += "@" + dump(d) + " ";
            if (t->is_main) out += "@main ";
            switch (t->type_kind) {
                case TypeKind::struct_: out += "(struct "; break;
                case TypeKind::class_: out += "(class "; break;
                case TypeKind::actor_: out += "(actor "; break;
                case TypeKind::enum_: out += "(enum "; break;
                case TypeKind::protocol_: out += "(protocol "; break;
                case TypeKind::extension_: out += "(extension "; break;
                case TypeKind::alias_: out += "(typealias "; break;
            }
            if (t->main_actor) out += "@MainActor ";
            out += t->name;
            if (t->aliased) return out + " = " + dump(t->aliased) + ")";
            if (!t->bases.empty()) {
                out += " (:";
                for (const Expr* b : t->bases) out += " " + dump(b);
                out += ")";
            }
            if (!t->cases.empty()) {
                out += " (cases";
                for (std::size_t k = 0; k < t->cases.size(); ++k) {
                    out += " " + t->cases[k];
                    if (k >= t->case_decls.size()) continue;
                    const EnumCaseDecl& c = t->case_decls[k];
                    if (c.has_payload) {
                        out += "(";
                        for (std::size_t j = 0; j < c.payload_labels.size(); ++j)
                            out += (j ? " " : "") + (c.payload_labels[j].empty() ? std::string("_") : c.payload_labels[j]);
                        out += ")";
                    }
                    if (c.raw_value) out += "=" + dump(c.raw_value);
                }
                out += ")";
            }
            return out + " " + block(t->members) + ")";
        }
        case StmtKind::import: {
            const auto* i = static_cast<const Import*>(s);
            out += "(import " + i->module;
            for (std::size_t k = 0; k < i->names.size(); ++k) {
                out += " " + i->names[k];
                if (k < i->name_aliases.size() && !i->name_aliases[k].empty()) out += ":" + i->name_aliases[k];
            }
            if (!i->alias.empty()) out += " as " + i->alias;
            return out + ")";
        }
        case StmtKind::with: {
            const auto* w = static_cast<const With*>(s);
            out += w->is_async ? "(async-with" : "(with";
            for (const WithItem& item : w->items) {
                out += " " + dump(item.context);
                if (item.target) out += " as " + dump(item.target);
            }
            return out + " " + block(w->body) + ")";
        }
        case StmtKind::pass: return out + "(pass)";
        case StmtKind::global: {
            const auto* g = static_cast<const Global*>(s);
            out += g->nonlocal ? "(nonlocal" : "(global";
            for (const auto& n : g->names) out += " " + n;
            return out + ")";
        }
        case StmtKind::block: return out + "(block " + block(static_cast<const BlockStmt*>(s)->body) + ")";
    }
    return out + "<?>";
}

std::string dump(const Program& program) {
    std::string out;
    for (const Stmt* s : program.body) out += dump(s) + "\n";
    return out;
}

}  // namespace tasklab::ast
