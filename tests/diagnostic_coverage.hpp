// Which diagnostic kinds have a test: a registry filled at static-initialisation time.
//
// A test file marks the kinds it checks with TASKLAB_COVERS_DIAGNOSTIC(kind) at namespace
// scope. Registration runs before main() in every process, so a check that every kind is
// covered also works when CTest runs each test case in its own process.
#pragma once

#include <set>

#include "scenarios/diagnostics.hpp"

namespace tasklab::test {

/// The kinds registered so far in this process.
inline std::set<DiagnosticKind>& covered_diagnostics() {
    static std::set<DiagnosticKind> kinds;
    return kinds;
}

/// Marks `kind` as having a test; returns true so it can initialise a static.
inline bool register_covered(DiagnosticKind kind) {
    covered_diagnostics().insert(kind);
    return true;
}

}  // namespace tasklab::test

#define TASKLAB_COVERS_DIAGNOSTIC_CONCAT2(a, b) a##b
#define TASKLAB_COVERS_DIAGNOSTIC_CONCAT(a, b) TASKLAB_COVERS_DIAGNOSTIC_CONCAT2(a, b)
/// Declares that this file tests diagnostics of `kind` (a DiagnosticKind enumerator name).
#define TASKLAB_COVERS_DIAGNOSTIC(kind)                                                                  \
    [[maybe_unused]] static const bool TASKLAB_COVERS_DIAGNOSTIC_CONCAT(tasklab_covers_diagnostic_, __COUNTER__) = \
        ::tasklab::test::register_covered(::tasklab::DiagnosticKind::kind)
