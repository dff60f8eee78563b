// Declarations beyond plain structs and classes: protocols and extensions (members found in a
// type, then in its extensions, then in the extensions of the protocols it conforms to),
// computed and lazy properties, property observers, `deinit`, and the `@main` entry point.
//
// Method dispatch follows from the lookup order: a call on a value looks in the value's own
// type first, so a protocol extension's default implementation that calls a requirement
// reaches the conforming type's version. Accessor bodies (getters, setters, observers) run
// synchronously, like a call; a struct's setter or observer may change `self`, which is then
// written back to the place the property belongs to. A class instance whose type has a
// `deinit` is queued when its last reference goes (value.cpp) and its `deinit` runs at the
// end of the statement that released it, in the task that ran that statement.
#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/machine.hpp"

namespace tasklab::interp {

using namespace ast;

bool has_deinit(const TypeDecl* decl) {
    if (!decl) return false;
    for (const Stmt* m : decl->members)
        if (m->kind == StmtKind::func_decl && static_cast<const FuncDecl*>(m)->is_deinit) return true;
    return false;
}

namespace {

/// The property a VarDecl declares (empty for a tuple pattern).
const std::string& var_name(const VarDecl* d) {
    static const std::string none;
    if (!d->target || d->target->kind != ExprKind::name) return none;
    return static_cast<const Name*>(d->target)->name;
}

/// A member declaration named `name` in `members` (no requirements, initialisers, deinit).
const Stmt* member_named(const Block& members, std::string_view name) {
    for (const Stmt* m : members) {
        if (m->kind == StmtKind::func_decl) {
            const auto* f = static_cast<const FuncDecl*>(m);
            if (!f->is_init && !f->is_deinit && !f->requirement && f->name == name) return m;
        } else if (m->kind == StmtKind::var_decl) {
            const auto* d = static_cast<const VarDecl*>(m);
            if (!d->requirement && var_name(d) == name) return m;
        } else if (m->kind == StmtKind::type_decl && static_cast<const TypeDecl*>(m)->name == name) {
            return m;
        }
    }
    return nullptr;
}

}  // namespace

// ---- the declarations of the program ----

void Machine::collect_declarations() {
    for (const Stmt* s : m_program.body) {
        if (s->kind != StmtKind::type_decl) continue;
        const auto* t = static_cast<const TypeDecl*>(s);
        if (t->type_kind == TypeKind::extension_) m_extensions[t->name].push_back(t);
        else if (t->type_kind == TypeKind::protocol_) m_protocols.emplace(t->name, t);
    }
}

std::vector<std::string> Machine::conformances(const std::string& type_name, const TypeDecl* decl) const {
    std::vector<std::string> out;
    std::vector<std::string> todo;
    auto add_bases = [&](const TypeDecl* d) {
        if (!d) return;
        for (const Expr* b : d->bases) todo.push_back(type_text(b));
    };
    add_bases(decl);
    if (auto it = m_extensions.find(type_name); it != m_extensions.end())
        for (const TypeDecl* e : it->second) add_bases(e);
    while (!todo.empty() && out.size() < 256) {
        std::string p = std::move(todo.back());
        todo.pop_back();
        if (std::find(out.begin(), out.end(), p) != out.end()) continue;
        out.push_back(p);
        if (auto it = m_protocols.find(p); it != m_protocols.end()) add_bases(it->second);
    }
    return out;
}

Machine::MemberDecl Machine::find_member(const std::string& type_name, const TypeDecl* decl, const EnvPtr& decl_env,
                                         std::string_view name) const {
    if (decl)
        if (const Stmt* m = member_named(decl->members, name)) return MemberDecl{m, decl_env};
    if (m_extensions.empty()) return {};
    if (auto it = m_extensions.find(type_name); it != m_extensions.end())
        for (const TypeDecl* e : it->second)
            if (const Stmt* m = member_named(e->members, name)) return MemberDecl{m, m_globals};
    for (const std::string& p : conformances(type_name, decl))
        if (auto it = m_extensions.find(p); it != m_extensions.end())
            for (const TypeDecl* e : it->second)
                if (const Stmt* m = member_named(e->members, name)) return MemberDecl{m, m_globals};
    return {};
}

std::string Machine::extension_key(const Value& v) {
    switch (v.kind) {
    case Kind::array: return "Array";
    case Kind::dict: return "Dictionary";
    case Kind::duration: return "Duration";
    case Kind::range: return "Range";
    default: return type_name(v);
    }
}

bool Machine::extension_member(const Value& v, const std::string& name) const {
    if (m_extensions.empty() || v.kind == Kind::instance || v.kind == Kind::type || v.kind == Kind::enum_case) return false;
    return find_member(extension_key(v), nullptr, m_globals, name).decl != nullptr;
}

bool Machine::builtin_extension_member(const Value& v, const std::string& name, Span span, Res& out) {
    if (m_extensions.empty()) return false;
    const MemberDecl found = find_member(extension_key(v), nullptr, m_globals, name);
    if (!found.decl) return false;
    if (found.decl->kind == StmtKind::func_decl) {
        auto fo = std::make_shared<FuncObj>();
        fo->decl = static_cast<const FuncDecl*>(found.decl);
        fo->env = found.env;
        fo->self = v;
        out = Res::of(Value::with_ref(Kind::function, std::move(fo)));
        return true;
    }
    if (found.decl->kind == StmtKind::var_decl) {
        const auto* d = static_cast<const VarDecl*>(found.decl);
        if (!d->computed) return false;
        out = run_accessor(d->getter, true, v, found.env, nullptr, Value(), nullptr, span);
        return true;
    }
    return false;
}

// ---- reading members ----

Res Machine::run_accessor(const Block& body, bool implicit_return, const Value& self, const EnvPtr& env,
                          const std::string* param, const Value& arg, Value* self_out, Span span) {
    EnvPtr e = m_envs.make(env);
    e->declare("self", self);
    if (param) e->declare(*param, arg);
    const Site site{span, {}, {}};
    if (Res d = enter_call(nullptr, site); !d.ok()) return d;
    Res r = run_body_sync(body, implicit_return && body.size() == 1 && body[0]->kind == StmtKind::expr, e);
    leave_call();
    if (self_out)
        if (Binding* b = e->find_local("self")) *self_out = b->value;
    return closure_result(std::move(r));
}

bool Machine::accessor_member(const Value& base, const std::string& name, Span span, Res& out) {
    std::shared_ptr<TypeObj> type;
    if (base.kind == Kind::instance) type = static_cast<const InstanceObj&>(*base.ref).type;
    else if (base.kind == Kind::enum_case || base.kind == Kind::type) type = std::static_pointer_cast<TypeObj>(base.ref);
    if (!type) return false;
    const MemberDecl found = find_member(type->name, type->decl, type->env, name);
    if (!found.decl) return false;
    if (found.decl->kind == StmtKind::func_decl) {
        const auto* f = static_cast<const FuncDecl*>(found.decl);
        if ((base.kind == Kind::type) != f->is_static) return false;
        auto fo = std::make_shared<FuncObj>();
        fo->decl = f;
        fo->env = found.env;
        fo->self = base;
        fo->owner = type;
        out = Res::of(Value::with_ref(Kind::function, std::move(fo)));
        return true;
    }
    if (found.decl->kind != StmtKind::var_decl) return false;
    const auto* d = static_cast<const VarDecl*>(found.decl);
    if ((base.kind == Kind::type) != (d->is_static || is_static_property(d))) return false;
    if (d->computed) {
        out = run_accessor(d->getter, true, base, found.env, nullptr, Value(), nullptr, span);
        return true;
    }
    if (base.kind == Kind::type) {
        // A static stored property from an extension: made once, at its first read.
        const std::string key = type->name + "." + name;
        if (auto it = m_statics.find(key); it != m_statics.end()) {
            out = Res::of(it->second);
            return true;
        }
        if (!d->init) return false;
        Res r = eval_sync(d->init, found.env);
        if (r.ok()) {
            r.value = coerce(r.value, d->type_text);
            m_statics.emplace(key, r.value);
        }
        out = r;
        return true;
    }
    if (d->is_lazy && base.kind == Kind::instance) {
        // Made at the first read, with `self` in scope; kept in the instance from then on.
        auto& inst = static_cast<InstanceObj&>(*base.ref);
        if (Value* f = inst.field(name)) {
            out = Res::of(*f);
            return true;
        }
        EnvPtr e = m_envs.make(found.env);
        e->declare("self", base);
        Res r = eval_sync(d->init, e);
        if (!r.ok()) {
            out = r;
            return true;
        }
        r.value = coerce(r.value, d->type_text);
        inst.fields.emplace_back(name, r.value);
        inst.recharge();
        out = r;
        return true;
    }
    return false;
}

bool Machine::missing_requirement(const TypeObj& type, const std::string& name, Span span, Res& out) {
    for (const std::string& p : conformances(type.name, type.decl)) {
        auto it = m_protocols.find(p);
        if (it == m_protocols.end()) continue;
        for (const Stmt* m : it->second->members) {
            const bool named = (m->kind == StmtKind::func_decl && static_cast<const FuncDecl*>(m)->name == name) ||
                               (m->kind == StmtKind::var_decl && var_name(static_cast<const VarDecl*>(m)) == name);
            if (!named) continue;
            out = fail(DiagnosticKind::unknown_member, span,
                       "`" + type.name + "` does not implement `" + name + "`, a requirement of `" + p + "`",
                       "swiftc refuses a type that conforms to a protocol without implementing its requirements");
            return true;
        }
    }
    return false;
}

// ---- writing members ----

bool Machine::is_accessor_place(const Expr* place, const EnvPtr& env) {
    std::string name;
    Value base;
    if (place->kind == ExprKind::member && static_cast<const Member*>(place)->base) {
        const auto* m = static_cast<const Member*>(place);
        Res b = eval_sync(m->base, env);
        if (!b.ok()) return false;
        base = b.value.unwrapped();
        name = m->name;
    } else if (place->kind == ExprKind::name) {
        name = static_cast<const Name*>(place)->name;
        // A member of the enclosing method's `self`, unless a variable comes first.
        for (Env* e = env.get(); e; e = e->parent.get()) {
            if (e->find_local(name)) return false;
            if (Binding* s = e->find_local("self")) {
                base = s->value;
                break;
            }
        }
    }
    std::shared_ptr<TypeObj> type;
    if (base.kind == Kind::instance) type = static_cast<const InstanceObj&>(*base.ref).type;
    else if (base.kind == Kind::type) type = std::static_pointer_cast<TypeObj>(base.ref);
    if (!type || name.empty()) return false;
    const MemberDecl found = find_member(type->name, type->decl, type->env, name);
    if (!found.decl || found.decl->kind != StmtKind::var_decl) return false;
    const auto* d = static_cast<const VarDecl*>(found.decl);
    return d->computed || ((d->has_will_set || d->has_did_set) && m_observers_off == 0 &&
                           std::find(m_observing.begin(), m_observing.end(), name) == m_observing.end());
}

bool Machine::assign_property(const Expr* target, const Value& v, const EnvPtr& env, Span span, Res& out) {
    // Where the property lives: `base.name`, or a bare name that is a member of `self`.
    const Expr* base_expr = nullptr;
    Binding* self_binding = nullptr;
    std::string name;
    Value base;
    if (target->kind == ExprKind::member && static_cast<const Member*>(target)->base) {
        const auto* m = static_cast<const Member*>(target);
        base_expr = m->base;
        name = m->name;
        Res b = eval_sync(m->base, env);
        if (!b.ok()) return false;
        base = b.value.unwrapped();
    } else if (target->kind == ExprKind::name) {
        name = static_cast<const Name*>(target)->name;
        for (Env* e = env.get(); e && !self_binding; e = e->parent.get()) {
            if (e->find_local(name)) return false;  // a variable
            if (Binding* s = e->find_local("self")) self_binding = s;
        }
        if (!self_binding) return false;
        base = self_binding->value;
    } else {
        return false;
    }
    std::shared_ptr<TypeObj> type;
    if (base.kind == Kind::instance) type = static_cast<const InstanceObj&>(*base.ref).type;
    else if (base.kind == Kind::type) type = std::static_pointer_cast<TypeObj>(base.ref);
    if (!type) return false;
    const MemberDecl found = find_member(type->name, type->decl, type->env, name);
    if (!found.decl || found.decl->kind != StmtKind::var_decl) return false;
    const auto* d = static_cast<const VarDecl*>(found.decl);
    const bool is_struct = base.kind == Kind::instance && !static_cast<const InstanceObj&>(*base.ref).is_class;
    // A struct's accessors work on a copy of `self`, written back to its place afterwards.
    auto write_back = [&](const Value& self) -> Res {
        if (!is_struct) return Res::of();
        if (self_binding) {
            self_binding->value = self;
            return Res::of();
        }
        return assign_to(base_expr, self, env, span);
    };
    if (d->computed) {
        if (d->setter.empty()) {
            out = fail(DiagnosticKind::type_mismatch, span, "cannot assign to `" + name + "`: it is a get-only property");
            return true;
        }
        Value self = base;
        Res r = run_accessor(d->setter, false, base, found.env, &d->setter_param, coerce(v, d->type_text), &self, span);
        out = r.ok() ? write_back(self) : r;
        return true;
    }
    if (!(d->has_will_set || d->has_did_set) || m_observers_off > 0 || base.kind != Kind::instance ||
        std::find(m_observing.begin(), m_observing.end(), name) != m_observing.end())
        return false;
    Value self = base;
    const Value nv = coerce(v, d->type_text);
    m_observing.push_back(name);
    Res r = Res::of();
    if (d->has_will_set) r = run_accessor(d->will_set, false, self, found.env, &d->will_set_param, nv, &self, span);
    Value old;
    if (r.ok()) {
        make_unique_ref(self);
        auto& inst = static_cast<InstanceObj&>(*self.ref);
        if (Value* f = inst.field(name)) {
            old = *f;
            *f = nv;
        }
        if (d->has_did_set) r = run_accessor(d->did_set, false, self, found.env, &d->did_set_param, old, &self, span);
    }
    m_observing.pop_back();
    out = r.ok() ? write_back(self) : r;
    return true;
}

Value* Machine::static_slot(const Value& type_value, const std::string& name, Span span, Res& err) {
    const auto& type = static_cast<const TypeObj&>(*type_value.ref);
    if (!type.decl) return nullptr;
    const MemberDecl found = find_member(type.name, type.decl, type.env, name);
    if (!found.decl || found.decl->kind != StmtKind::var_decl) return nullptr;
    const auto* d = static_cast<const VarDecl*>(found.decl);
    if (d->computed || !(d->is_static || is_static_property(d))) return nullptr;
    const std::string key = type.name + "." + name;
    if (m_statics.find(key) == m_statics.end()) {
        Res r = get_member(type_value, name, span);  // made at its first use
        if (!r.ok()) {
            err = r;
            return nullptr;
        }
        m_statics.emplace(key, r.value);
    }
    return &m_statics[key];
}

std::string Machine::alias_target(const std::string& type_text) const {
    std::string t = type_text;
    std::string suffix;
    while (!t.empty() && (t.back() == '?' || t.back() == '!' || t.back() == ' ')) {
        suffix.insert(suffix.begin(), t.back());
        t.pop_back();
    }
    if (auto it = m_aliases.find(t); it != m_aliases.end()) return it->second + suffix;
    return type_text;
}

// ---- deinit ----

Res Machine::run_deinits(Span span) {
    if (m_running_deinits || m_deinits->pending.empty() || m_fatal) return Res::of();
    m_running_deinits = true;
    Res result = Res::of();
    // In release order; a `deinit` that releases more instances queues them for the next batch.
    // Swift releases such chains recursively, on the stack: past k_max_deinit_chain batches a
    // real program has overflowed its stack, and so the run stops.
    constexpr std::size_t k_max_deinit_chain = 100'000;
    std::size_t chain = 0;
    while (!m_deinits->pending.empty() && result.ok() && !m_fatal) {
        if (++chain > k_max_deinit_chain) {
            result = fail(DiagnosticKind::misuse, span,
                          "stack overflow: a `deinit` released another instance " + std::to_string(k_max_deinit_chain) +
                              " times in a row",
                          "a real Swift program releases such a chain recursively and dies when the stack is full");
            break;
        }
        std::vector<std::shared_ptr<InstanceObj>> batch;
        batch.swap(m_deinits->pending);
        for (std::shared_ptr<InstanceObj>& last : batch) {
            if (!result.ok() || m_fatal) break;
            static const Block none;
            const TypeDecl* decl = last->type ? last->type->decl : nullptr;
            for (const Stmt* m : decl ? decl->members : none) {
                if (m->kind != StmtKind::func_decl || !static_cast<const FuncDecl*>(m)->is_deinit) continue;
                const Value self = Value::with_ref(Kind::instance, last);
                Res r = run_accessor(static_cast<const FuncDecl*>(m)->body, false, self, last->type->env, nullptr,
                                     Value(), nullptr, span);
                if (r.ctl == Ctl::fatal) result = r;
                break;
            }
            last.reset();  // its stored properties go now, perhaps queueing more
        }
    }
    m_running_deinits = false;
    return result;
}

// ---- @main ----

Flow<Res> Machine::run_main_type() {
    for (const Stmt* s : m_program.body) {
        if (s->kind != StmtKind::type_decl || !static_cast<const TypeDecl*>(s)->is_main) continue;
        const auto* t = static_cast<const TypeDecl*>(s);
        Binding* b = m_globals->find_local(t->name);
        if (!b) co_return Res::of();
        Res main = get_member(b->value, "main", t->name_span);
        if (!main.ok()) co_return main;
        const Site site{t->name_span, {}, {}};
        Res r = co_await call(main.value, Args{}, site);
        if (r.ok()) r = run_deinits(t->name_span);
        co_return r;
    }
    co_return Res::of();
}

}  // namespace tasklab::interp
