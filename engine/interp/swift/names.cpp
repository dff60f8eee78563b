// Names and places: what a bare name refers to (a variable, or a member of the `self` of an
// enclosing method), the storage an assignment or a mutating method writes to (lvalue), and
// assignment to such a place with the declared type's coercion.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/integers.hpp"
#include "engine/interp/swift/machine.hpp"
#include "engine/interp/notes.hpp"

namespace tasklab::interp {

using namespace ast;

namespace {
/// The declared type of a stored property ("" when it has none or is not found).
std::string_view field_type(const TypeObj* type, std::string_view name) {
    if (!type || !type->decl) return {};
    for (const Stmt* m : type->decl->members) {
        if (m->kind != StmtKind::var_decl) continue;
        const auto* d = static_cast<const VarDecl*>(m);
        if (d->target && d->target->kind == ExprKind::name && static_cast<const Name*>(d->target)->name == name)
            return d->type_text;
    }
    return {};
}
}  // namespace

namespace {
/// What a bare name refers to: a variable, or a member of the `self` of an enclosing method
/// (members come before names declared outside the type, as in Swift).
struct NameRef {
    Binding* binding = nullptr;
    Binding* self = nullptr;
};

bool type_has_method(const TypeObj* t, std::string_view name) {
    if (!t || !t->decl) return false;
    for (const Stmt* m : t->decl->members)
        if (m->kind == StmtKind::func_decl && static_cast<const FuncDecl*>(m)->name == name &&
            !static_cast<const FuncDecl*>(m)->is_init)
            return true;
    return false;
}

/// A member of `self`'s type other than a stored field: a computed property, a lazy one, a
/// member from an extension or a protocol extension; for a type (`self` in a static method),
/// its static members.
bool has_other_member(const Machine& m, const Value& self, std::string_view name) {
    std::shared_ptr<TypeObj> t;
    if (self.kind == Kind::instance) t = static_cast<const InstanceObj&>(*self.ref).type;
    else if (self.kind == Kind::type || self.kind == Kind::enum_case) t = std::static_pointer_cast<TypeObj>(self.ref);
    if (!t) return false;
    const Machine::MemberDecl found = m.find_member(t->name, t->decl, t->env, name);
    return found.decl && found.decl->kind != StmtKind::type_decl;
}

NameRef find_name(const Machine& m, Env* env, std::string_view name) {
    for (Env* e = env; e; e = e->parent.get()) {
        if (Binding* b = e->find_local(name)) {
            if (!e->parent && !b->is_let) race::touched_shared();  // a global variable
            return NameRef{b, nullptr};
        }
        if (Binding* s = e->find_local("self")) {
            if (s->value.kind == Kind::instance) {
                auto& inst = static_cast<InstanceObj&>(*s->value.ref);
                if (inst.field(name) || type_has_method(inst.type.get(), name)) return NameRef{nullptr, s};
            }
            if (has_other_member(m, s->value, name)) return NameRef{nullptr, s};
        }
    }
    return {};
}
}  // namespace

namespace {
/// The element `bv[index]` an assignment writes to (a Dictionary gets the key, with the
/// `default:` value, when it lacks it); nullopt when `bv` is no Array or Dictionary or the
/// index no Int; an empty LRef when it failed (`err`).
std::optional<LRef> element_place(Machine& m, const Subscript* s, Value& bv, const Value& index, const EnvPtr& env, Res& err) {
    if (bv.kind == Kind::array) {
        auto& xs = static_cast<ArrayObj&>(*bv.ref).items;
        if (index.kind != Kind::integer) return std::nullopt;
        if (index.i < 0 || static_cast<std::size_t>(index.i) >= xs.size()) {
            err = m.fail(DiagnosticKind::index_out_of_range, s->span, "Index out of range");
            return LRef{};
        }
        return LRef{&xs[static_cast<std::size_t>(index.i)], nullptr};
    }
    if (bv.kind == Kind::dict) {
        auto& entries = static_cast<DictObj&>(*bv.ref).entries;
        for (auto& [k, v] : entries)
            if (values_equal(k, index)) return LRef{&v, nullptr};
        Value def;
        if (s->index.size() > 1 && s->index[1].label == "default") {
            Res dv = m.eval_sync(s->index[1].value, env);
            if (!dv.ok()) {
                err = dv;
                return LRef{};
            }
            def = dv.value;
        }
        entries.emplace_back(index, def);
        static_cast<DictObj&>(*bv.ref).recharge();
        return LRef{&entries.back().second, nullptr};
    }
    return std::nullopt;
}
}  // namespace

LRef Machine::lvalue(const Expr* e, const EnvPtr& env, Res& err) {
    switch (e->kind) {
    case ExprKind::name: {
        const auto& n = static_cast<const Name*>(e)->name;
        const NameRef ref = find_name(*this, env.get(), n);
        if (ref.binding) return LRef{&ref.binding->value, ref.binding};
        if (Binding* self = ref.self; self && self->value.kind == Kind::instance) {
            make_unique_ref(self->value);
            auto& inst = static_cast<InstanceObj&>(*self->value.ref);
            if (Value* f = inst.field(n)) return LRef{f, nullptr};
        }
        if (Binding* self = ref.self; self && self->value.kind == Kind::type) {
            // A static stored property named without its type inside a static method.
            if (Value* slot = static_slot(self->value, n, e->span, err)) return LRef{slot, nullptr};
            if (!err.ok()) return {};
        }
        err = fail(DiagnosticKind::undefined_name, e->span, "cannot find `" + n + "` in scope");
        return {};
    }
    case ExprKind::member: {
        const auto* m = static_cast<const Member*>(e);
        if (!m->base) break;
        LRef base = lvalue(m->base, env, err);
        if (!base.slot) return {};
        Value& bv = *base.slot;
        if (bv.is_nil()) {
            err = fail(DiagnosticKind::nil_unwrap, m->base->span, "Unexpectedly found nil while unwrapping an Optional value");
            return {};
        }
        make_unique_ref(bv);
        if (bv.kind == Kind::instance) {
            auto& inst = static_cast<InstanceObj&>(*bv.ref);
            if (Value* f = inst.field(m->name)) return LRef{f, nullptr};
        }
        if (bv.kind == Kind::type) {
            if (Value* slot = static_slot(bv, m->name, m->name_span, err)) return LRef{slot, nullptr};
            if (!err.ok()) return {};
        }
        if (bv.kind == Kind::tuple) {
            auto& t = static_cast<TupleObj&>(*bv.ref);
            for (std::size_t k = 0; k < t.items.size(); ++k)
                if (std::to_string(k) == m->name || (k < t.labels.size() && t.labels[k] == m->name)) return LRef{&t.items[k], nullptr};
        }
        err = fail(DiagnosticKind::unknown_member, m->name_span, "`" + type_name(bv) + "." + m->name + "` cannot be assigned to");
        return {};
    }
    case ExprKind::subscript: {
        const auto* s = static_cast<const Subscript*>(e);
        LRef base = lvalue(s->base, env, err);
        if (!base.slot) return {};
        if (s->index.empty()) break;
        Res idx = eval_sync(s->index[0].value, env);
        if (!idx.ok()) {
            err = idx;
            return {};
        }
        make_unique_ref(*base.slot);
        if (std::optional<LRef> place = element_place(*this, s, *base.slot, idx.value, env, err)) return *place;
        break;
    }
    case ExprKind::force_unwrap:
    case ExprKind::optional_chain: {
        const Expr* inner = e->kind == ExprKind::force_unwrap ? static_cast<const ForceUnwrap*>(e)->operand
                                                              : static_cast<const OptionalChain*>(e)->operand;
        LRef r = lvalue(inner, env, err);
        if (r.slot && r.slot->is_nil()) {
            err = fail(DiagnosticKind::nil_unwrap, e->span, "Unexpectedly found nil while unwrapping an Optional value");
            return {};
        }
        return r;  // members and elements of the payload are reached through the same object
    }
    default: break;
    }
    err = fail(DiagnosticKind::type_mismatch, e->span, "cannot assign to this expression");
    return {};
}

Res Machine::assign_to(const Expr* target, Value v, const EnvPtr& env, Span span) {
    if (target->kind == ExprKind::name && static_cast<const Name*>(target)->name == "_") return Res::of();
    if (target->kind == ExprKind::tuple) {
        const auto* t = static_cast<const TupleExpr*>(target);
        const Value u = v.unwrapped();
        if (u.kind != Kind::tuple || items(u).size() != t->elements.size())
            return fail(DiagnosticKind::type_mismatch, span, "cannot assign a value of type " + type_name(v) + " to a tuple");
        const std::vector<Value> xs = items(u);
        for (std::size_t k = 0; k < xs.size(); ++k) {
            Res r = assign_to(t->elements[k], xs[k], env, span);
            if (!r.ok()) return r;
        }
        return Res::of();
    }
    if (Res out; assign_property(target, v, env, span, out)) return out;  // setters and observers
    if (target->kind == ExprKind::subscript && v.is_nil()) {
        // `dict[key] = nil` removes the entry.
        const auto* s = static_cast<const Subscript*>(target);
        Res err;
        LRef base = lvalue(s->base, env, err);
        if (!base.slot) return err;
        if (base.slot->kind == Kind::dict && !s->index.empty()) {
            Res key = eval_sync(s->index[0].value, env);
            if (!key.ok()) return key;
            make_unique_ref(*base.slot);
            auto& entries = static_cast<DictObj&>(*base.slot->ref).entries;
            entries.erase(std::remove_if(entries.begin(), entries.end(),
                                         [&](const auto& kv) { return values_equal(kv.first, key.value); }),
                          entries.end());
            return Res::of();
        }
    }
    // What is assigned converts to the declared type of the variable or stored property.
    std::string_view declared;
    if (target->kind == ExprKind::member) {
        const auto* m = static_cast<const Member*>(target);
        if (m->base) {
            Res b = eval_sync(m->base, env);
            if (b.ok() && b.value.kind == Kind::stream_continuation && m->name == "onTermination") {
                static_cast<StreamObj&>(*b.value.ref).on_termination = v;  // continuation.onTermination = { … }
                return Res::of();
            }
            if (b.ok() && b.value.kind == Kind::instance)
                declared = field_type(static_cast<const InstanceObj&>(*b.value.ref).type.get(), m->name);
        }
    } else if (target->kind == ExprKind::name) {
        const auto& n = static_cast<const Name*>(target)->name;
        if (Binding* self = find_name(*this, env.get(), n).self; self && self->value.kind == Kind::instance)
            declared = field_type(static_cast<const InstanceObj&>(*self->value.ref).type.get(), n);
    }
    Res err;
    LRef lv = lvalue(target, env, err);
    if (!lv.slot) return err;
    if (lv.binding && lv.binding->type) declared = *lv.binding->type;
    if (!declared.empty()) v = coerce(std::move(v), declared);
    *lv.slot = std::move(v);
    return Res::of();
}

Res Machine::lookup_name(const Name* n, const EnvPtr& env) {
    const NameRef ref = find_name(*this, env.get(), n->name);
    if (ref.binding) return Res::of(ref.binding->value);
    if (Binding* self = ref.self; self && self->value.kind == Kind::instance) {
        auto& inst = static_cast<InstanceObj&>(*self->value.ref);
        if (Value* f = inst.field(n->name)) return Res::of(*f);
        bool found = false;
        Res m = method_of(self->value, inst.type->decl, inst.type, n->name, n->span, found);
        if (found) return m;
    }
    if (Binding* self = ref.self) return get_member(self->value, n->name, n->span);  // computed, static, extension
    if (!is_builtin_name(n->name) && !m_extensions.empty()) {
        // Inside an extension of a built-in type: `count`, `uppercased()` are members of `self`.
        if (Binding* self = env->lookup("self");
            self && self->value.kind != Kind::instance && self->value.kind != Kind::type &&
            self->value.kind != Kind::enum_case && !self->value.is_nil() && !m_globals->find_local(n->name))
            return get_member(self->value, n->name, n->span);
    }
    if (n->name == "Self") {
        // The type of `self`: the type itself in a static method.
        if (Binding* self = env->lookup("self")) {
            const Value& s = self->value;
            if (s.kind == Kind::type) return Res::of(s);
            if (s.kind == Kind::instance) return Res::of(Value::with_ref(Kind::type, static_cast<const InstanceObj&>(*s.ref).type));
            if (s.kind == Kind::enum_case) return Res::of(Value::with_ref(Kind::type, s.ref));
        }
    }
    return global_name(n->name, n->span);
}

}  // namespace tasklab::interp
