// How a call's arguments meet a declaration's parameters (calls.cpp): Swift's argument labels,
// the signature text of "wrong arguments" messages, and binding the arguments to the
// parameters of a function or an initialiser (construct.cpp uses them too).
#pragma once

#include <string>
#include <vector>

#include "engine/interp/swift/machine.hpp"

namespace tasklab::interp {

/// "downloadImage(from:)" for messages.
std::string signature(const std::string& name, const std::vector<ast::Param>& params);
/// The labels a call gave, "(_:to:)".
std::string given(const Args& args);
/// True when the call's labels fit `d`'s parameters (defaults may be left out).
bool labels_match(const ast::FuncDecl* d, const Args& args);
/// Declares `d`'s parameters in `env` from `args`; `out` records `inout` parameters to write back.
Res bind_params(Machine& m, const ast::FuncDecl* d, Args& args, const EnvPtr& env, const Site& site, CallOut* out = nullptr);

}  // namespace tasklab::interp
