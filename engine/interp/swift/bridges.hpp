// The values behind Swift's bridges between callback code and async code, and its small
// synchronisation types: continuations (withCheckedContinuation and its kin), AsyncStream
// and AsyncThrowingStream, Mutex and NSLock, and Result.
//
// A continuation is two objects. The slot is what the waiting task reads back: whether and how
// it was resumed. The ContinuationObj is the `CheckedContinuation` value the program holds;
// when the last copy of it goes away before a resume, its destructor notes the leak in a
// LeakLog, as the real CheckedContinuation's canary does when it is deinitialised, and the
// interpreter reports it as the runtime's "SWIFT TASK CONTINUATION MISUSE: … leaked its
// continuation" warning. The waiting task holds only the slot, so a continuation nobody keeps
// is leaked even while its task waits on it.
//
// A stream keeps its buffer, its termination and the one consumer parked in next(); the
// rules are those of the standard library's AsyncStream storage (builtins_streams.cpp).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "engine/interp/swift/value.hpp"

namespace tasklab::interp {

/// The `#function` texts of checked continuations that went away without being resumed, in
/// the order they went; the interpreter drains it.
struct LeakLog {
    std::vector<std::string> functions;
};

/// What a waiting task reads back from its continuation.
struct ContinuationSlot {
    TaskId task = 0;       ///< the task that called withCheckedContinuation
    bool resumed = false;
    bool parked = false;   ///< the task is suspended waiting for the resume
    bool threw = false;    ///< resumed with resume(throwing:)
    Value value;           ///< the value or the error
};

/// A CheckedContinuation or UnsafeContinuation value.
struct ContinuationObj : Obj {
    std::shared_ptr<ContinuationSlot> slot;
    std::weak_ptr<LeakLog> leaks;  ///< set for checked continuations only
    bool checked = true;
    bool throwing = false;
    std::string function;          ///< `#function` of the withCheckedContinuation call
    ContinuationObj() = default;
    ContinuationObj(const ContinuationObj&) = delete;
    ContinuationObj& operator=(const ContinuationObj&) = delete;
    ~ContinuationObj() override {
        if (slot && !slot->resumed)
            if (auto log = leaks.lock()) log->functions.push_back(function);
    }
};

/// AsyncStream's buffering policy.
enum class StreamBuffering : std::uint8_t { unbounded, newest, oldest };

/// The shared storage of an AsyncStream or AsyncThrowingStream and its continuation.
struct StreamObj : Obj {
    bool throwing = false;
    StreamBuffering policy = StreamBuffering::unbounded;
    std::int64_t limit = 0;          ///< for bufferingNewest / bufferingOldest
    std::deque<Value> pending;       ///< yielded, not consumed yet
    bool terminal = false;           ///< finished or cancelled: yields are dropped
    bool has_error = false;          ///< finish(throwing:) with this error, not thrown yet
    Value error;
    Value on_termination;            ///< the onTermination closure (nil: none)
    TaskId waiter = 0;               ///< the consumer suspended in next()
    bool handed = false;             ///< a yield gave `handoff` straight to the waiter
    Value handoff;
    std::string name;                ///< "AsyncStream<Int>" as the wait text names it
};

/// Mutex (Synchronization) or NSLock (Foundation).
struct MutexObj : Obj {
    bool is_nslock = false;
    Value value;                     ///< the protected state of a Mutex
    TaskId owner = 0;                ///< NSLock: the task holding it (0: unlocked)
    std::vector<TaskId> waiters;     ///< NSLock: tasks blocked in lock(), oldest first
    std::string name;
};

/// Result<Success, Failure>.
struct ResultObj : Obj {
    Value payload;
    std::string type_text;           ///< `Swift.Result<Swift.Int, Swift.Error>` when known ("" otherwise)
};

}  // namespace tasklab::interp
