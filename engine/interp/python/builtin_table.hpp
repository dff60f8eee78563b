// The tables that map a built-in's name to the C++ function that runs it.
//
// Every module of built-ins (the functions of `builtins`, str's methods, asyncio's functions
// and classes, Future's methods, the loop's, logging's, contextlib's, …) keeps one
// BuiltinTable: name → handler, built once, the first time the module is called. The
// dispatcher of the module (Machine::builtin_function, Machine::str_method,
// Machine::asyncio_call, …) looks the name up and calls the handler; a name the table lacks
// is left to the next module, exactly as the string if-chains it replaces did.
//
// A handler is a plain function of the machine (`vm`) and the call (BuiltinCall): the same
// code that ran inside the chain, with the machine named explicitly.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

/// One call of a built-in function or method, as its handler sees it.
struct BuiltinCall {
    const std::string& name;  ///< the name the module's dispatcher looks up (`len`, `upper`, `asyncio.sleep`)
    const Value& self;        ///< the receiver of a method (None for a function)
    Args& args;
    Span span;
    bool& handled;            ///< a handler sets it false to leave the call to the next module
};

/// Runs one built-in.
using BuiltinHandler = Res (*)(Machine& vm, BuiltinCall& c);

/// A module's built-ins by name.
class BuiltinTable {
public:
    BuiltinTable(std::initializer_list<std::pair<std::string_view, BuiltinHandler>> entries) : m_map(entries.begin(), entries.end()) {}
    /// The handler of `name`, or null when the module has no such built-in.
    [[nodiscard]] BuiltinHandler find(std::string_view name) const {
        const auto it = m_map.find(name);
        return it == m_map.end() ? nullptr : it->second;
    }

private:
    std::unordered_map<std::string_view, BuiltinHandler> m_map;
};

/// The functions of time, sys, signal, random and functools (stdlib.cpp).
const BuiltinTable& stdlib_table();

}  // namespace tasklab::py
