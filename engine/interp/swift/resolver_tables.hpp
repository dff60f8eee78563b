// The names the resolver (resolver.cpp) knows without looking at a declaration: functions
// that never suspend, calls that block their thread (and so must run on the coroutine path),
// and the calls that run a closure as a task or work item of its own (an explored run sends
// every statement of such a closure to the coroutine path, where preemption points are).
#pragma once

#include <string>
#include <unordered_set>

#include "scenarios/ast.hpp"

namespace tasklab::interp {

inline const std::unordered_set<std::string> k_sync_functions = {
    "print", "abs", "min", "max", "fatalError", "precondition", "assert", "String", "Int", "Double", "Bool",
    "Float", "UInt64", "UInt32", "UInt16", "UInt8", "UInt", "Int64", "Int32", "Int16", "Int8", "URL", "Data", "CancellationError", "URLError",
    "DispatchWorkItem", "DispatchQueue", "Task", "stride", "zip", "type", "Array", "Dictionary", "DispatchTime",
    "Character", "repeatElement", "Duration", "Date", "ContinuousClock", "DispatchGroup", "DispatchSemaphore"};
inline const std::unordered_set<std::string> k_blocking_functions = {"sleep", "usleep", "dispatchMain"};
inline const std::unordered_set<std::string> k_blocking_methods = {"wait", "perform", "sleep", "sync", "data", "value",
                                                            "next", "waitForAll", "result", "lock"};

/// A call that runs its closure argument as a task or a work item of its own.
inline bool spawns_task(const ast::Call* c) {
    static const std::unordered_set<std::string> names{"Task", "DispatchWorkItem"}, members{
        "detached", "addTask", "addTaskUnlessCancelled", "addDiscardingTask", "addDiscardingTaskUnlessCancelled", "async", "asyncAfter"};
    if (!c->callee) return false;
    if (c->callee->kind == ast::ExprKind::name) return names.count(static_cast<const ast::Name*>(c->callee)->name) > 0;
    return c->callee->kind == ast::ExprKind::member && members.count(static_cast<const ast::Member*>(c->callee)->name) > 0;
}


}  // namespace tasklab::interp
