// Native objects of the small modules that more than one file of the Python interpreter
// uses: a logging.Logger (logging.cpp) and sys.stdout / sys.stderr (builtins.cpp, where
// print(file=…) and logging.basicConfig(stream=…) read which one it is).
#pragma once

#include <string>

#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

/// A logging.Logger: its name (its level is kept in Machine::Logging).
struct LoggerObj : NativeObj {
    std::string name;
    LoggerObj() : NativeObj(NKind::logger) {}
};

/// sys.stdout or sys.stderr.
struct StreamObj : NativeObj {
    bool is_stdout = true;
    StreamObj() : NativeObj(NKind::stream) {}
};

}  // namespace tasklab::py
