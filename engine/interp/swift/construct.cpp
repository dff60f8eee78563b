// User types at run time: making an instance (stored property defaults, then the matching
// `init` or the memberwise initialiser, with Swift's argument labels), telling static stored
// properties from instance ones, and finding a method of an instance or a type (its own,
// an extension's, a protocol extension's default).
#include <algorithm>
#include <cctype>

#include "engine/interp/swift/call_args.hpp"
#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/machine.hpp"

namespace tasklab::interp {

using namespace ast;

Res Machine::construct(const std::shared_ptr<TypeObj>& type, Args& args, const Site& site) {
    const TypeDecl* decl = type->decl;
    if (decl->type_kind == TypeKind::enum_ && find_arg(args, "rawValue")) return enum_from_raw_value(type, args, site);
    if (decl->type_kind == TypeKind::enum_)
        return fail(DiagnosticKind::misuse, site.span, "enum `" + decl->name + "` has no initialiser; use one of its cases");
    auto inst = std::make_shared<InstanceObj>();
    inst->type = type;
    inst->is_class = decl->type_kind == TypeKind::class_ || decl->type_kind == TypeKind::actor_;
    if (decl->type_kind == TypeKind::actor_) inst->actor = new_actor_instance(decl, site.span);
    struct Stored {
        std::string name;
        bool has_default;
        bool optional;
        const std::string* type;
    };
    std::vector<Stored> stored;
    for (const Stmt* m : decl->members) {
        if (m->kind != StmtKind::var_decl) continue;
        const auto* d = static_cast<const VarDecl*>(m);
        if (!d->target || d->target->kind != ExprKind::name || is_static_property(d)) continue;
        if (d->computed || d->is_lazy || d->requirement) continue;  // no storage yet (types.cpp)
        const std::string& name = static_cast<const Name*>(d->target)->name;
        std::string_view tt = d->type_text;
        while (!tt.empty() && tt.back() == ' ') tt.remove_suffix(1);
        const bool optional = !tt.empty() && tt.back() == '?';
        Value v;
        if (d->init) {
            Res r = eval_sync(d->init, type->env);
            if (!r.ok()) return r;
            v = coerce(r.value, d->type_text);
        }
        inst->fields.emplace_back(name, v);
        stored.push_back(Stored{name, d->init != nullptr, optional, &d->type_text});
    }
    inst->recharge();  // its stored properties count toward the run's memory
    std::vector<const FuncDecl*> inits;
    for (const Stmt* m : decl->members)
        if (m->kind == StmtKind::func_decl && static_cast<const FuncDecl*>(m)->is_init) inits.push_back(static_cast<const FuncDecl*>(m));
    const bool own_inits = !inits.empty();
    const FuncDecl* ext_init = nullptr;
    if (auto it = m_extensions.find(type->name); it != m_extensions.end()) {
        // Initialisers from extensions: a struct keeps its memberwise one beside them.
        for (const TypeDecl* e : it->second)
            for (const Stmt* m : e->members)
                if (m->kind == StmtKind::func_decl && static_cast<const FuncDecl*>(m)->is_init) {
                    const auto* f = static_cast<const FuncDecl*>(m);
                    if (!ext_init && labels_match(f, args)) {
                        inits.insert(inits.begin(), f);
                        ext_init = f;
                    }
                }
    }
    if (!own_inits && !ext_init) {
        // The memberwise initialiser: stored properties in order; those with a default value
        // (or of Optional type) may be left out.
        std::size_t ai = 0;
        std::string sig = decl->name + "(";
        for (const auto& s : stored) sig += s.name + ":";
        sig += ")";
        for (std::size_t k = 0; k < stored.size(); ++k) {
            if (ai < args.size() && args[ai].label == stored[k].name) {
                inst->fields[k].second = coerce(args[ai].value, *stored[k].type);
                ++ai;
                continue;
            }
            if (!stored[k].has_default && !stored[k].optional) return wrong_args(site, decl->name, sig + ", got " + given(args));
        }
        if (ai < args.size()) return wrong_args(site, decl->name, sig + ", got " + given(args));
        return Res::of(Value::with_ref(Kind::instance, inst));
    }
    const FuncDecl* init = nullptr;
    for (const FuncDecl* f : inits)
        if (labels_match(f, args)) {
            init = f;
            break;
        }
    if (!init) return wrong_args(site, decl->name, signature(decl->name, inits[0]->params) + ", got " + given(args));
    if (func_suspends(init))
        return fail(DiagnosticKind::misuse, site.span, "an initialiser that suspends is not supported");
    EnvPtr env = m_envs.make(init == ext_init ? m_globals : type->env);
    env->declare("self", Value::with_ref(Kind::instance, inst));
    Res p = bind_params(*this, init, args, env, site);
    if (!p.ok()) return p;
    ++m_observers_off;  // an initialiser's own assignments call no observers
    Res r = run_body_sync(init->body, false, env);
    --m_observers_off;
    if (r.ctl == Ctl::throw_ || r.ctl == Ctl::fatal) return r;
    if (r.ctl == Ctl::return_ && r.value.is_nil() && init->failable) return Res::of(Value::nil());
    Binding* self = env->find_local("self");
    Value out = self ? self->value : Value::nil();
    return Res::of(init->failable ? out.wrapped() : out);
}

bool Machine::is_static_property(const VarDecl* d) const {
    if (!m_program.file) return false;
    const std::string& text = m_program.file->text();
    std::size_t end = std::min<std::size_t>(d->span.begin, text.size());
    std::size_t begin = end;
    while (begin > 0 && text[begin - 1] != '\n') --begin;
    // The modifiers before `let`/`var` on the same line, or at the start of the span itself.
    std::string before = text.substr(begin, end - begin);
    const std::string_view own = m_program.file->slice(d->span);
    before += " ";
    before += std::string(own.substr(0, std::min<std::size_t>(own.size(), 40)));
    std::size_t pos = 0;
    while ((pos = before.find("static", pos)) != std::string::npos) {
        const bool left = pos == 0 || !(std::isalnum(static_cast<unsigned char>(before[pos - 1])) || before[pos - 1] == '_');
        const std::size_t after = pos + 6;
        const bool right = after >= before.size() || !(std::isalnum(static_cast<unsigned char>(before[after])) || before[after] == '_');
        if (left && right) return true;
        pos = after;
    }
    return false;
}

Res Machine::method_of(const Value& receiver, const TypeDecl* decl, const std::shared_ptr<TypeObj>& type,
                       const std::string& name, Span span, bool& found) {
    (void)span;
    found = false;
    if (!decl) return Res::of();
    for (const Stmt* m : decl->members) {
        if (m->kind != StmtKind::func_decl) continue;
        const auto* f = static_cast<const FuncDecl*>(m);
        if (f->is_init || f->name != name) continue;
        auto fo = std::make_shared<FuncObj>();
        fo->decl = f;
        fo->env = type->env;
        fo->self = receiver;
        fo->owner = type;
        found = true;
        return Res::of(Value::with_ref(Kind::function, std::move(fo)));
    }
    return Res::of();
}

}  // namespace tasklab::interp
