// The Python evaluator's groundwork: scopes, diagnostics, the statement and memory budgets,
// names (load, store, delete, assignment targets) and iteration (see machine.hpp for the two
// paths). Statements are in statements.cpp and statements_async.cpp, try/with on the
// coroutine path in try_with_async.cpp, expressions in expressions.cpp and
// expressions_async.cpp, calls in calls.cpp, objects in objects.cpp, built-ins in
// builtins.cpp and its neighbours.
#include <algorithm>
#include <functional>

#include "engine/interp/notes.hpp"
#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;

// =========================================================================================
// Helpers
// =========================================================================================

EnvPtr Machine::new_env() {
    auto env = std::make_shared<Env>();
    if (m_envs.size() >= m_envs_compact_at) {
        std::vector<std::weak_ptr<Env>> live;
        for (auto& w : m_envs)
            if (!w.expired()) live.push_back(std::move(w));
        m_envs.swap(live);
        m_envs_compact_at = m_envs.size() * 2 + 1024;
    }
    m_envs.push_back(env);
    return env;
}

void Machine::at(Span s) {
    m_sched.set_span(s);
    const TaskId t = m_sched.current();
    if (t >= m_task_span.size()) m_task_span.resize(t + 1);
    m_task_span[t] = s;
}

Res Machine::fail(DiagnosticKind kind, Span span, std::string message, std::string help) {
    if (!m_fatal) {
        Diagnostic d;
        d.kind = kind;
        d.span = span;
        d.message = std::move(message);
        if (!help.empty()) d.help.push_back(std::move(help));
        m_fatal = std::move(d);
    }
    return Res::make(Ctl::fatal);
}

void Machine::print_text(const std::string& text) { m_output.print(m_sched, text); }

void Machine::flush_output() { m_output.flush(m_sched); }

std::string Machine::line_of(Span s) const {
    if (!m_program.file) return "?";
    return std::to_string(m_program.file->locate(s.begin).line);
}

std::string Machine::source_text(Span s) const {
    if (!m_program.file || s.end <= s.begin) return {};
    const std::string_view text = m_program.file->text();
    if (s.end > text.size()) return {};
    return std::string(text.substr(s.begin, s.end - s.begin));
}

std::size_t Machine::container_size(const Value& v) const {
    if (is_kind(v, OKind::dict)) return as<Dict>(v).entries.size();
    if (is_kind(v, OKind::set)) return as<Set>(v).items.size();
    return 0;
}

Res Machine::check_size_unchanged(const Value& v, std::size_t size0) {
    // CPython's dict and set iterators check the size at every step.
    if (is_kind(v, OKind::dict) && as<Dict>(v).entries.size() != size0)
        return raise_error("RuntimeError", "dictionary changed size during iteration");
    if (is_kind(v, OKind::set) && as<Set>(v).items.size() != size0) return raise_error("RuntimeError", "Set changed size during iteration");
    return Res::of();
}

bool Machine::count_work(std::uint64_t units, Span span, const char* what) {
    if (m_sched.stop_requested()) {  // RunOptions::stop: the controller ends the run as stopped
        fail(DiagnosticKind::step_limit, span, "stopped by the user");
        return false;
    }
    if (m_budget_step != m_sched.step_index()) {
        m_budget_step = m_sched.step_index();
        m_budget_used = 0;
    }
    m_budget_used += units;
    if (m_budget_used <= m_statement_budget) return check_memory(span);
    fail(DiagnosticKind::step_limit, span,
         std::string(what) + ": a task ran " + std::to_string(m_statement_budget) +
             " statements and elements of built-in work without suspending",
         "is this an endless loop? the event loop cannot run anything else until the task awaits");
    return false;
}

bool Machine::check_memory(Span span) {
    const MemoryMeter* meter = MemoryMeter::current();
    if (!meter || !meter->over()) return true;
    fail(DiagnosticKind::memory_limit, span, meter->over_message(), memory_help(*meter, "#"));
    return false;
}

bool Machine::reserve_memory(MemoryKind kind, std::uint64_t elements, std::uint64_t bytes, Span span) {
    const MemoryMeter* meter = MemoryMeter::current();
    if (!meter || !meter->would_pass(bytes)) return true;
    fail(DiagnosticKind::memory_limit, span, meter->refusal_message(kind, elements, bytes), memory_help(*meter, "#"));
    return false;
}

bool Machine::count_statement(const Stmt* s) {
    if (m_sched.stop_requested()) {
        fail(DiagnosticKind::step_limit, s->span, "stopped by the user");
        return false;
    }
    if (m_budget_step != m_sched.step_index()) {
        m_budget_step = m_sched.step_index();
        m_budget_used = 0;
    }
    if (!m_pending_close.empty() && !m_closing_generators) close_dropped_generators();
    if (++m_budget_used <= m_statement_budget) return check_memory(s->span);
    fail(DiagnosticKind::step_limit, s->span,
         "a task ran " + std::to_string(m_statement_budget) + " statements without suspending",
         "is this an endless loop? the event loop cannot run anything else until the task awaits");
    return false;
}

std::vector<Value>& Machine::handling() {
    const TaskId t = m_sched.current();
    if (t >= m_handling.size()) m_handling.resize(t + 1);
    return m_handling[t];
}

// =========================================================================================
// Names
// =========================================================================================

Res Machine::load_name(const std::string& name, const EnvPtr& env, Span span) {
    bool to_globals = false;
    for (Env* e = env.get(); e && !e->is_module; e = e->parent.get()) {
        if (Value* v = e->vars.find(name)) return Res::of(*v);
        if (e->names) {
            if (e->names->globals.count(name)) {
                to_globals = true;
                break;
            }
            if (e == env.get() && e->names->locals.count(name))
                return raise_error("UnboundLocalError", "cannot access local variable '" + name + "' where it is not associated with a value");
        }
    }
    (void)to_globals;
    if (Value* v = m_globals->vars.find(name)) return Res::of(*v);
    if (Value* v = m_builtins.find(name)) return Res::of(*v);
    (void)span;
    return raise_error("NameError", "name '" + name + "' is not defined");
}

void Machine::store_name(const std::string& name, Value v, const EnvPtr& env) {
    Env* e = env.get();
    if (e->names) {
        if (e->names->globals.count(name)) {
            m_globals->vars.set(name, std::move(v));
            return;
        }
        if (e->names->nonlocals.count(name)) {
            for (Env* p = e->parent.get(); p && !p->is_module; p = p->parent.get()) {
                if (p->vars.find(name) || (p->names && p->names->locals.count(name))) {
                    p->vars.set(name, std::move(v));
                    return;
                }
            }
        }
    }
    e->vars.set(name, std::move(v));
}

Res Machine::delete_name(const std::string& name, const EnvPtr& env, Span span) {
    if (!env->vars.erase(name)) return raise_error("NameError", "name '" + name + "' is not defined");
    (void)span;
    return Res::of();
}

Res Machine::assign_target(const Expr* target, Value v, const EnvPtr& env) {
    switch (target->kind) {
    case ExprKind::name: store_name(static_cast<const Name*>(target)->name, std::move(v), env); return Res::of();
    case ExprKind::member: {
        const auto* m = static_cast<const Member*>(target);
        Res base = eval(m->base, env);
        if (!base.ok()) return base;
        return set_attr(base.value, m->name, std::move(v), m->name_span);
    }
    case ExprKind::subscript: {
        const auto* s = static_cast<const Subscript*>(target);
        Res base = eval(s->base, env);
        if (!base.ok()) return base;
        if (s->index.empty()) return fail(DiagnosticKind::wrong_arguments, s->span, "a subscript needs an index");
        Res idx = eval(s->index[0].value, env);
        if (!idx.ok()) return idx;
        if (is_kind(base.value, OKind::list)) {
            auto& xs = as<List>(base.value).items;
            if (idx.value.kind != VKind::integer && idx.value.kind != VKind::boolean)
                return raise_error("TypeError", "list indices must be integers or slices, not " + type_name(idx.value));
            std::int64_t k = idx.value.kind == VKind::boolean ? idx.value.b : idx.value.i;
            if (k < 0) k += static_cast<std::int64_t>(xs.size());
            if (k < 0 || k >= static_cast<std::int64_t>(xs.size())) return raise_error("IndexError", "list assignment index out of range");
            xs[static_cast<std::size_t>(k)] = std::move(v);
            return Res::of();
        }
        if (is_kind(base.value, OKind::dict)) {
            dict_set(as<Dict>(base.value), idx.value, std::move(v));
            as<Dict>(base.value).recharge();
            return Res::of();
        }
        if (is_kind(base.value, OKind::instance)) {
            Args a;
            a.pos = {idx.value, std::move(v)};
            return call_method(base.value, "__setitem__", a, s->span);
        }
        return raise_error("TypeError", "'" + type_name(base.value) + "' object does not support item assignment");
    }
    case ExprKind::tuple:
    case ExprKind::array: {
        const auto& targets = target->kind == ExprKind::tuple ? static_cast<const TupleExpr*>(target)->elements
                                                             : static_cast<const ArrayLiteral*>(target)->elements;
        std::vector<Value> xs;
        Res it = iterate(v, xs, target->span);
        if (!it.ok()) return it;
        if (std::any_of(targets.begin(), targets.end(), [](const Expr* t) { return t->kind == ExprKind::starred; }))
            return assign_starred(targets, std::move(xs), env);
        if (xs.size() > targets.size())
            return raise_error("ValueError", "too many values to unpack (expected " + std::to_string(targets.size()) + ")");
        if (xs.size() < targets.size())
            return raise_error("ValueError", "not enough values to unpack (expected " + std::to_string(targets.size()) + ", got " +
                                                 std::to_string(xs.size()) + ")");
        for (std::size_t k = 0; k < xs.size(); ++k) {
            Res r = assign_target(targets[k], xs[k], env);
            if (!r.ok()) return r;
        }
        return Res::of();
    }
    default: return fail(DiagnosticKind::type_mismatch, target->span, "cannot assign to this expression");
    }
}

// =========================================================================================
// Iteration
// =========================================================================================

Res Machine::iterate(const Value& iterable, std::vector<Value>& out, Span span) {
    if (iterable.kind == VKind::object) {
        switch (iterable.obj->okind) {
        case OKind::list: out = as<List>(iterable).items; return Res::of();
        case OKind::tuple: out = as<Tuple>(iterable).items; return Res::of();
        case OKind::set: out = as<Set>(iterable).items; return Res::of();
        case OKind::dict:
            for (const auto& [k, v] : as<Dict>(iterable).entries) out.push_back(k);
            return Res::of();
        case OKind::range: {
            const auto& r = as<Range>(iterable);
            const std::int64_t n = r.size();
            if (n > 50'000'000) return fail(DiagnosticKind::misuse, span, "this range is too large for tasklab");
            if (!count_work(static_cast<std::uint64_t>(n), span, "this range is too long to walk in one step") ||
                !reserve_memory(MemoryKind::list, static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(n) * sizeof(Value), span))
                return Res::make(Ctl::fatal);
            out.reserve(static_cast<std::size_t>(n));
            for (std::int64_t k = 0; k < n; ++k) out.push_back(Value::integer(r.start + k * r.step));
            return Res::of();
        }
        case OKind::bytes:
            for (const unsigned char c : as<Bytes>(iterable).b) out.push_back(Value::integer(c));
            return Res::of();
        case OKind::str: {
            const std::string& s = as<Str>(iterable).s;
            for (std::size_t k = 0; k < s.size();) {
                std::size_t len = 1;
                const auto c = static_cast<unsigned char>(s[k]);
                if (c >= 0xF0) len = 4;
                else if (c >= 0xE0) len = 3;
                else if (c >= 0xC0) len = 2;
                out.push_back(make_str(s.substr(k, len)));
                k += len;
            }
            return Res::of();
        }
        case OKind::instance: {
            if (const Value* f = as<Instance>(iterable).cls->lookup("__iter__"); f && is_kind(*f, OKind::function)) {
                Args a;
                Res it = call_function(std::static_pointer_cast<Function>(f->obj), a, &iterable, span);
                if (!it.ok()) return it;
                if (py_is(it.value, iterable)) {
                    // An iterator object: call __next__ until StopIteration.
                    for (std::size_t guard = 0; guard < 10'000'000; ++guard) {
                        Args b;
                        Res n = call_method(iterable, "__next__", b, span);
                        if (n.ctl == Ctl::raise && isinstance(n.value, cls("StopIteration").get())) return Res::of();
                        if (!n.ok()) return n;
                        out.push_back(n.value);
                    }
                    return fail(DiagnosticKind::misuse, span, "this iterator never ends");
                }
                return iterate(it.value, out, span);
            }
            break;
        }
        case OKind::native: {
            if (is_lazy_iterator(iterable)) {
                for (;;) {
                    bool done = false;
                    Res x = next_item(iterable, done, span);
                    if (!x.ok()) return x;
                    if (done) return Res::of();
                    if (!count_work(1, span, "this generator gave too many items to collect in one step")) return Res::make(Ctl::fatal);
                    out.push_back(std::move(x.value));
                }
            }
            bool handled = false;
            Res r = native_attr(iterable, "__iter__", span, handled);
            if (handled) {
                if (!r.ok()) return r;
                return iterate(r.value, out, span);
            }
            break;
        }
        default: break;
        }
    }
    return raise_error("TypeError", "'" + type_name(iterable) + "' object is not iterable");
}

/// After one turn of a loop body: false to leave the loop with `r` (return, raise, fatal).
bool Machine::loop_body_result(Res& r, bool& stop) {
    stop = false;
    if (r.ctl == Ctl::break_) {
        stop = true;
        r = Res::of();
        return true;
    }
    if (r.ctl == Ctl::continue_) {
        r = Res::of();
        return true;
    }
    return r.ok();
}

}  // namespace tasklab::py
