// Calls that change a place: the built-in mutating methods called on a variable, a property
// or an element (`xs.append(x)`, `self.items.sort()`, through a property's accessors when it
// has them), a struct's or enum's `mutating` method, whose final `self` is written back to
// the place it was called on, and `inout` arguments (`&x`), written back when the call returns.
#include <algorithm>
#include <iterator>

#include "engine/interp/swift/machine.hpp"

namespace tasklab::interp {

using namespace ast;

namespace {
const char* const k_mutating[] = {"append", "insert", "remove", "removeAll", "removeFirst", "removeLast", "popLast",
                                  "removeValue", "updateValue", "sort", "reverse", "shuffle"};

bool is_mutating_name(const std::string& n) {
    return std::any_of(std::begin(k_mutating), std::end(k_mutating), [&](const char* m) { return n == m; });
}

bool is_place(const Expr* e) {
    if (!e) return false;
    switch (e->kind) {
    case ExprKind::name: return true;
    case ExprKind::optional_chain: return is_place(static_cast<const OptionalChain*>(e)->operand);
    case ExprKind::force_unwrap: return is_place(static_cast<const ForceUnwrap*>(e)->operand);
    case ExprKind::member: return static_cast<const Member*>(e)->base != nullptr && is_place(static_cast<const Member*>(e)->base);
    case ExprKind::subscript: return is_place(static_cast<const Subscript*>(e)->base);
    default: return false;
    }
}
}  // namespace

bool Machine::mutating_call(const Call* c, const EnvPtr& env) const {
    (void)env;
    if (!c->callee || c->callee->kind != ExprKind::member) return false;
    const auto* m = static_cast<const Member*>(c->callee);
    return m->base && is_mutating_name(m->name) && is_place(m->base);
}

Res Machine::call_mutating(const Call* c, const EnvPtr& env, Args& args) {
    const auto* m = static_cast<const Member*>(c->callee);
    Site site0{c->span, {}, {}};
    if (is_accessor_place(m->base, env)) {
        // A computed or observed property: read it, mutate the copy, assign it back (its
        // setter or observers run, as in Swift).
        Res cur = eval_sync(m->base, env);
        if (!cur.ok()) return cur;
        Value v = cur.value;
        Res r = mutate(v, m->name, args, site0);
        if (!r.ok()) return r;
        Res w = assign_to(m->base, std::move(v), env, c->span);
        return w.ok() ? r : w;
    }
    Res err;
    LRef lv = lvalue(m->base, env, err);
    if (!lv.slot) return err;
    Site site{c->span, {}};
    return mutate(*lv.slot, m->name, args, site);
}

std::shared_ptr<CallOut> Machine::prepare_write_back(const Call* c, Value& callee, const Args& args) {
    if (callee.kind != Kind::function) return nullptr;
    const auto& f = static_cast<const FuncObj&>(*callee.ref);
    bool needed = false;
    for (const ArgVal& a : args)
        if (a.expr && a.expr->kind == ExprKind::unary && static_cast<const Unary*>(a.expr)->op == UnaryOp::address_of) needed = true;
    const Value self = f.self.unwrapped();
    const bool value_self = (self.kind == Kind::instance && !static_cast<const InstanceObj&>(*self.ref).is_class) ||
                            self.kind == Kind::enum_case;
    if (f.decl->is_mutating && value_self) {
        const Expr* callee_expr = c->callee;
        if (callee_expr->kind == ExprKind::name) needed = true;  // `bump()` inside another mutating method
        else if (callee_expr->kind == ExprKind::member && static_cast<const Member*>(callee_expr)->base &&
                 is_place(static_cast<const Member*>(callee_expr)->base))
            needed = true;
    }
    if (!needed) return nullptr;
    // A copy of the function value for this call alone: the callee records its Env in it.
    auto copy = std::make_shared<FuncObj>(f);
    copy->out = std::make_shared<CallOut>();
    std::shared_ptr<CallOut> out = copy->out;
    callee = Value::with_ref(Kind::function, std::move(copy));
    return out;
}

Res Machine::write_back(const Call* c, CallOut& out, const EnvPtr& env) {
    if (!out.env) return Res::of();
    for (const auto& [name, arg] : out.inout) {
        Binding* b = out.env->find_local(name);
        if (!b) continue;
        Res w = assign_to(static_cast<const Unary*>(arg)->operand, b->value, env, arg->span);
        if (!w.ok()) return w;
    }
    Binding* self = out.env->find_local("self");
    if (!self) return Res::of();
    if (c->callee->kind == ExprKind::member && static_cast<const Member*>(c->callee)->base) {
        const Expr* base = static_cast<const Member*>(c->callee)->base;
        while (base->kind == ExprKind::optional_chain || base->kind == ExprKind::force_unwrap)
            base = base->kind == ExprKind::optional_chain ? static_cast<const OptionalChain*>(base)->operand
                                                          : static_cast<const ForceUnwrap*>(base)->operand;
        if (is_place(base)) return assign_to(base, self->value, env, c->span);
        return Res::of();
    }
    if (Binding* mine = env->lookup("self")) mine->value = self->value;  // an implicit `self.bump()`
    out.env.reset();
    return Res::of();
}

}  // namespace tasklab::interp
