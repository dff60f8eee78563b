// for-in loops (over ranges, collections, task groups and streams) on both evaluation paths,
// the sequence a built-in walks (for_sequence), do/catch, and `import`.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/integers.hpp"
#include "engine/interp/swift/machine.hpp"
#include "engine/interp/notes.hpp"

namespace tasklab::interp {

using namespace ast;

namespace {
/// A sequence to iterate: an integer range without materialising it, or a list of values.
struct Seq {
    bool is_range = false;
    std::int64_t lo = 0;
    std::uint64_t n = 0;  ///< how many Ints the range holds (no `hi + 1`: a range may end at Int.max)
    std::vector<Value> values;
    [[nodiscard]] std::size_t size() const { return is_range ? static_cast<std::size_t>(n) : values.size(); }
    [[nodiscard]] Value at(std::size_t k) const {
        return is_range ? Value::integer(static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + k)) : values[k];
    }
};
}  // namespace

Res Machine::for_sequence(const Value& iterable, std::vector<Value>& out, Span span) {
    const Value v = iterable.unwrapped();
    switch (v.kind) {
    case Kind::array: out = items(v); return Res::of();
    case Kind::range: {
        const auto& r = static_cast<const RangeObj&>(*v.ref);
        if (r.real) return fail(DiagnosticKind::type_mismatch, span, "a range of Double is not a sequence and cannot be iterated");
        // Every element made counts against the step's budget, before anything is allocated.
        if (!count_work(static_cast<std::uint64_t>(r.count()), span, "this range is too long to walk in one step") ||
            !reserve_memory(MemoryKind::array, r.size(), (out.size() + r.size()) * sizeof(Value), span))
            return Res::make(Ctl::fatal);
        out.reserve(out.size() + r.size());
        for (std::uint64_t k = 0; k < r.size(); ++k) out.push_back(Value::integer(static_cast<std::int64_t>(static_cast<std::uint64_t>(r.lo) + k)));
        return Res::of();
    }
    case Kind::dict:
        for (const auto& [k, x] : static_cast<const DictObj&>(*v.ref).entries) out.push_back(Value::tuple({k, x}, {"key", "value"}));
        return Res::of();
    case Kind::string: {
        // Characters: a code point plus the combining marks, variation selectors and joined
        // code points that follow it (a close approximation of grapheme clusters).
        const std::string& s = str(v);
        std::string cur;
        bool join_next = false;
        for (std::size_t k = 0; k < s.size();) {
            const auto c0 = static_cast<unsigned char>(s[k]);
            std::size_t len = c0 < 0x80 ? 1 : c0 < 0xE0 ? 2 : c0 < 0xF0 ? 3 : 4;
            if (k + len > s.size()) len = s.size() - k;
            std::uint32_t cp = c0;
            if (len == 2) cp = c0 & 0x1F;
            if (len == 3) cp = c0 & 0x0F;
            if (len == 4) cp = c0 & 0x07;
            for (std::size_t j = 1; j < len; ++j) cp = (cp << 6) | (static_cast<unsigned char>(s[k + j]) & 0x3F);
            const bool extends = (cp >= 0x300 && cp <= 0x36F) || cp == 0xFE0F || cp == 0xFE0E || cp == 0x200D ||
                                 (cp >= 0x1F3FB && cp <= 0x1F3FF) || cp == 0x20E3 || (cp >= 0xE0020 && cp <= 0xE007F);
            if (!cur.empty() && !extends && !join_next) {
                out.push_back(Value::string(cur));
                cur.clear();
            }
            join_next = cp == 0x200D;
            cur += s.substr(k, len);
            k += len;
        }
        if (!cur.empty()) out.push_back(Value::string(cur));
        return Res::of();
    }
    default: return fail(DiagnosticKind::type_mismatch, span, "a value of type " + type_name(iterable) + " cannot be iterated");
    }
}

Res Machine::bind_loop_var(const ForIn* f, const Value& v, const EnvPtr& env) {
    return bind_pattern(f->target, v, env, true, nullptr);
}

Res Machine::exec_for_sync(const ForIn* f, const EnvPtr& env) {
    Res it = eval_sync(f->iterable, env);
    if (!it.ok()) return it;
    Seq seq;
    const Value iv = it.value.unwrapped();
    if (iv.kind == Kind::range && !static_cast<const RangeObj&>(*iv.ref).real) {
        const auto& r = static_cast<const RangeObj&>(*iv.ref);
        seq.is_range = true;
        seq.lo = r.lo;
        seq.n = r.size();
    } else {
        Res s = for_sequence(it.value, seq.values, f->iterable->span);
        if (!s.ok()) return s;
    }
    const bool discard = f->target->kind == ExprKind::name && static_cast<const Name*>(f->target)->name == "_" && !f->pattern && !f->where;
    const std::size_t n = seq.size();
    for (std::size_t k = 0; k < n; ++k) {
        if (f->body.empty() && !count_work(1, f->span, "this loop did not end")) return Res::make(Ctl::fatal);
        EnvPtr le = discard ? env : m_envs.make(env);
        if (!discard) {
            bool skip = false;
            Res b = bind_loop_element(f, seq.at(k), le, skip);
            if (!b.ok()) return b;
            if (skip) {
                if (!count_work(1, f->span, "this loop did not end")) return Res::make(Ctl::fatal);
                continue;
            }
        }
        Res r = run_block_sync(f->body, le);
        if (breaks_out_of(r, f)) break;
        if (continues(r, f)) continue;
        if (!r.ok()) return r;
    }
    return Res::of();
}

Flow<Res> Machine::exec_for(const ForIn* f, EnvPtr env) {
    Res it = co_await eval(f->iterable, env);
    if (!it.ok()) co_return it;
    if (f->is_await) {
        if (it.value.kind == Kind::stream) co_return co_await exec_for_stream(f, env, it.value);
        if (it.value.kind != Kind::group)
            co_return fail(DiagnosticKind::type_mismatch, f->iterable->span,
                           "`for await` runs over a task group here, not a value of type " + type_name(it.value));
        Res r = co_await exec_for_group(f, env, it.value);
        co_return r;
    }
    Seq seq;
    const Value iv = it.value.unwrapped();
    if (iv.kind == Kind::range && !static_cast<const RangeObj&>(*iv.ref).real) {
        const auto& r = static_cast<const RangeObj&>(*iv.ref);
        seq.is_range = true;
        seq.lo = r.lo;
        seq.n = r.size();
    } else {
        Res s = for_sequence(it.value, seq.values, f->iterable->span);
        if (!s.ok()) co_return s;
    }
    const bool discard = f->target->kind == ExprKind::name && static_cast<const Name*>(f->target)->name == "_" && !f->pattern && !f->where;
    const std::size_t n = seq.size();
    for (std::size_t k = 0; k < n; ++k) {
        if (f->body.empty() && !count_work(1, f->span, "this loop did not end")) co_return Res::make(Ctl::fatal);
        EnvPtr le = discard ? env : m_envs.make(env);
        if (!discard) {
            bool skip = false;
            Res b = bind_loop_element(f, seq.at(k), le, skip);
            if (!b.ok()) co_return b;
            if (skip) {
                if (!count_work(1, f->span, "this loop did not end")) co_return Res::make(Ctl::fatal);
                continue;
            }
        }
        Res r = co_await run_block(f->body, le);
        if (breaks_out_of(r, f)) break;
        if (continues(r, f)) continue;
        if (!r.ok()) co_return r;
    }
    co_return Res::of();
}

Flow<Res> Machine::exec_for_group(const ForIn* f, EnvPtr env, Value group) {
    auto g = std::static_pointer_cast<GroupObj>(group.ref);
    for (;;) {
        at(f->iterable->span);
        // semantics: F18 — one turn of `for try await` is one next(): completion order.
        const TaskId child = co_await lift(m_swift.next(g->id));
        at(f->iterable->span);
        if (m_fatal) co_return Res::make(Ctl::fatal);
        if (child == 0) break;
        Res item = group_next(g, child, false);
        if (item.ctl == Ctl::throw_) {
            emit_text(EventKind::threw, clip(describe(item.value), 120));
            co_return item;
        }
        if (!item.ok()) co_return item;
        EnvPtr le = m_envs.make(env);
        bool skip = false;
        Res b = bind_loop_element(f, item.value, le, skip);
        if (!b.ok()) co_return b;
        if (skip) continue;
        Res r = co_await run_block(f->body, le);
        if (breaks_out_of(r, f)) break;
        if (continues(r, f)) continue;
        if (!r.ok()) co_return r;
    }
    co_return Res::of();
}

bool Machine::match_handler(const Handler& h, const Value& error, const EnvPtr& env, EnvPtr& handler_env, Res& err) {
    if (!h.items.empty()) return match_handler_items(h, error, env, handler_env, err);
    if (h.type && !type_matches(error, h.type)) return false;
    handler_env = m_envs.make(env);
    std::string bind = h.binding;
    if (bind.empty() && !h.type) bind = "error";  // a bare `catch` binds `error`
    if (!bind.empty()) handler_env->declare(bind, error);
    if (h.where) {
        Res w = eval_sync(h.where, handler_env);
        if (!w.ok()) {
            err = w;
            return false;
        }
        if (w.value.kind != Kind::boolean || !w.value.b) return false;
    }
    return true;
}

Res Machine::exec_try_sync(const TryStmt* t, const EnvPtr& env) {
    Res r = run_block_sync(t->body, env);
    if (r.ctl != Ctl::throw_) return r;
    for (const auto& h : t->handlers) {
        EnvPtr henv;
        Res err;
        if (match_handler(h, r.value, env, henv, err)) {
            at(h.span);
            emit_text(EventKind::caught, clip(describe(r.value), 120));
            return run_block_sync(h.body, henv);
        }
        if (err.ctl == Ctl::fatal) return err;
    }
    return r;
}

Flow<Res> Machine::exec_try(const TryStmt* t, EnvPtr env) {
    Res r = co_await run_block(t->body, env);
    if (r.ctl != Ctl::throw_) co_return r;
    for (const auto& h : t->handlers) {
        EnvPtr henv;
        Res err;
        if (match_handler(h, r.value, env, henv, err)) {
            at(h.span);
            emit_text(EventKind::caught, clip(describe(r.value), 120));
            Res hr = co_await run_block(h.body, henv);
            co_return hr;
        }
        if (err.ctl == Ctl::fatal) co_return err;
    }
    co_return r;
}

Res Machine::exec_import(const Import* imp) {
    static const char* const ok_modules[] = {"Foundation", "Dispatch", "_Concurrency", "Darwin", "Glibc",
                                             "FoundationNetworking", "Swift", "os", "Synchronization"};
    for (const char* m : ok_modules)
        if (imp->module == m) return Res::of();
    if (imp->module == "UIKit" || imp->module == "SwiftUI" || imp->module == "AppKit")
        return fail(DiagnosticKind::undefined_name, imp->span, imp->module + " is not available in tasklab",
                    "remove the import and declare a stand-in such as `struct UIImage { init?(data: Data) { … } }`");
    return fail(DiagnosticKind::undefined_name, imp->span, "module `" + imp->module + "` is not available in tasklab",
                "tasklab provides Foundation and Dispatch; see docs/language.md");
}

}  // namespace tasklab::interp
