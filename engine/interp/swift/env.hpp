// Lexical environments: one per executed block that declares names, chained to the block
// around it. Closures capture the Env they were created in (by reference, as Swift captures
// variables), so a closure sees later assignments and a loop body's per-iteration `let` is a
// fresh binding each time round.
//
// Closures stored in the environment they capture form reference cycles (a `func` declared
// in a block refers to that block's Env). The EnvRegistry remembers every Env weakly and
// clears them all when the run is torn down, which breaks the cycles.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/interp/swift/value.hpp"

namespace tasklab::interp {

struct Binding {
    std::string name;
    Value value;
    const std::string* type = nullptr;  ///< the declared type as written (`Double`, `Int?`): assignments convert to it
    bool is_let = false;
};

/// Env::isolation of an Env that does not decide it: the Env around it does.
inline constexpr std::uint32_t k_inherit_isolation = 0xFFFF'FFFFu;

struct Env {
    EnvPtr parent;
    std::vector<Binding> vars;
    MemoryCharge charge{MemoryKind::frame, k_frame_bytes};  ///< a scope counts toward the run's memory
    /// Swift: the actor the code of this scope is isolated to (its static isolation: an actor
    /// method's, a `@MainActor` function's, the top-level code's), 0 for nonisolated code,
    /// k_inherit_isolation when the enclosing scope decides.
    std::uint32_t isolation = k_inherit_isolation;

    /// The isolation that holds here: this Env's, else the nearest enclosing one's (0 if none).
    [[nodiscard]] std::uint32_t static_isolation() const {
        for (const Env* e = this; e; e = e->parent.get())
            if (e->isolation != k_inherit_isolation) return e->isolation;
        return 0;
    }

    explicit Env(EnvPtr p) : parent(std::move(p)) {}

    Binding* find_local(std::string_view name) {
        for (auto it = vars.rbegin(); it != vars.rend(); ++it)
            if (it->name == name) return &*it;
        return nullptr;
    }
    Binding* lookup(std::string_view name) {
        for (Env* e = this; e; e = e->parent.get())
            if (Binding* b = e->find_local(name)) return b;
        return nullptr;
    }
    /// Declares (or redeclares, shadowing in place) `name` in this environment.
    Binding& declare(std::string name, Value v) {
        if (Binding* b = find_local(name)) {
            b->value = std::move(v);
            b->type = nullptr;
            b->is_let = false;
            return *b;
        }
        vars.push_back(Binding{std::move(name), std::move(v)});
        return vars.back();
    }
};

/// Remembers every Env weakly so the run can break closure cycles when it ends.
class EnvRegistry {
public:
    EnvPtr make(EnvPtr parent) {
        auto env = std::make_shared<Env>(std::move(parent));
        if (m_envs.size() >= m_compact_at) compact();
        m_envs.push_back(env);
        return env;
    }
    /// Clears every live Env (its bindings may hold closures that hold the Env).
    void clear_all() {
        for (auto& w : m_envs)
            if (auto e = w.lock()) { e->vars.clear(); e->parent.reset(); }
        m_envs.clear();
    }
    ~EnvRegistry() { clear_all(); }

private:
    void compact() {
        std::vector<std::weak_ptr<Env>> live;
        for (auto& w : m_envs)
            if (!w.expired()) live.push_back(std::move(w));
        m_envs.swap(live);
        m_compact_at = m_envs.size() * 2 + 1024;
    }
    std::vector<std::weak_ptr<Env>> m_envs;
    std::size_t m_compact_at = 1024;
};

}  // namespace tasklab::interp
