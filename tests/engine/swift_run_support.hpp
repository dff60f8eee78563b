// What the suites that run Swift programs share: a program parsed (it must parse cleanly) and
// run to its end by a Controller, with what it printed, at which virtual instants, and how it
// ended. The controller stays alive in the result, so a suite reads from its trace whatever it
// checks (suspensions, actor events, lints).
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"

namespace tasklab::swift_run_support {

/// A Swift program run to its end.
struct SwiftRun {
    std::shared_ptr<SourceFile> file;
    std::unique_ptr<Controller> controller;  ///< the finished run: its trace, its tasks
    std::vector<std::string> lines;          ///< the printed lines
    std::vector<Tick> times;                 ///< the virtual instant of each line
    RunStatus status;
    std::string error;  ///< the run's error as the command line renders it ("" when none)
};

/// Parses `text` as the Swift file `name` (a parse error fails the test) and runs it.
inline SwiftRun run_swift(const std::string& text, const std::string& name = "test.swift") {
    SwiftRun r;
    r.file = std::make_shared<SourceFile>(name, text);
    ParseResult parsed = parse_swift(r.file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*r.file, parsed.diagnostics));
    r.controller = std::make_unique<Controller>(parsed.program);
    r.controller->run_until_idle();
    for (const auto& l : r.controller->output()) {
        r.lines.push_back(l.text);
        r.times.push_back(l.time);
    }
    r.status = r.controller->status();
    if (r.status.diagnostic) r.error = render(*r.file, *r.status.diagnostic);
    return r;
}

}  // namespace tasklab::swift_run_support
