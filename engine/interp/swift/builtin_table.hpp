// Built-ins as tables: each module of built-ins (core functions, collection and string
// methods, Swift concurrency, GCD, …) keeps a NameTable from a built-in's name to the small
// function that runs it, built once, and its dispatcher is a look-up. A handler gets the call
// as a BuiltinCall; it may decline a name it does not serve with these arguments (it sets
// `handled` to false) so the next module, or the "not supported" diagnostic, gets its turn,
// exactly as a missed branch of an if-chain would. Also the small argument helpers the
// built-in files share.
#pragma once

#include <initializer_list>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/interp/swift/machine.hpp"

namespace tasklab::interp {

/// One call of a built-in, as a table's handler sees it.
struct BuiltinCall {
    Machine& m;
    const BuiltinObj& b;
    Args& args;
    const Site& site;
    bool handled = true;  ///< a handler sets it false when the name is not its to serve

    [[nodiscard]] const std::string& name() const { return b.name; }
    [[nodiscard]] const Value& receiver() const { return b.receiver; }
    /// The first positional argument's value, or null.
    [[nodiscard]] const Value* arg0() const;
    /// Declines the call: the next module tries the name.
    Res decline() {
        handled = false;
        return Res::of();
    }
    /// `wrong_args` for this built-in.
    Res wrong(const std::string& expected) const { return m.wrong_args(site, b.name, expected); }
};

/// A module's built-ins by name. Built once (a function-local static); a look-up hashes the
/// name once instead of comparing it with every name in turn.
template <class Handler>
class NameTable {
public:
    NameTable(std::initializer_list<std::pair<std::string_view, Handler>> entries) : m_map(entries.begin(), entries.end()) {}
    /// The handler of `name`, or null.
    [[nodiscard]] Handler find(std::string_view name) const {
        const auto it = m_map.find(name);
        return it == m_map.end() ? nullptr : it->second;
    }

private:
    std::unordered_map<std::string_view, Handler> m_map;
};

/// A built-in that needs nothing but the call.
using BuiltinHandler = Res (*)(BuiltinCall&);
using BuiltinTable = NameTable<BuiltinHandler>;

// ---- argument helpers shared by the built-in files (builtins_core.cpp) ----

/// Array, Range, Dictionary and String values: what the collection methods accept.
bool is_sequence(const Value& v);
/// The `k`-th argument without a label, or null.
const ArgVal* positional(const Args& args, std::size_t k);
std::size_t positional_count(const Args& args);
/// The closure argument of a higher-order method (trailing, `where:`, `by:`, or positional).
const ArgVal* fn_arg(const Args& args);
/// Calls `fn` with `argv` on the synchronous path, at the call's site.
Res call_with(BuiltinCall& c, const Value& fn, std::vector<Value> argv);

// ---- the core modules' dispatchers ----

/// Free functions and built-in type initialisers of the standard library (receiver nil).
Res core_function(BuiltinCall& c);
/// Methods of String, Int, Double and Date values (builtins_strings.cpp); declines others.
Res value_method(BuiltinCall& c);
/// Methods of Array, Range, Dictionary and String values as collections (builtins_sequences.cpp).
Res sequence_method(BuiltinCall& c);

}  // namespace tasklab::interp
