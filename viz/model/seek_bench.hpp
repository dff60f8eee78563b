// The step-back benchmark behind `tasklab-viz --bench-seek N FILE`: run a scenario to its end,
// then seek the Controller to N earlier steps chosen by a fixed seed, and time each seek.
//
// The seeks go from the end of the run backwards (the targets are drawn uniformly over the
// run's steps and visited in descending order), the move a student makes when they drag the
// cursor back over a finished run. Every seek is checked: the Controller must stand at the
// target step with exactly the events the first run had recorded by then, so a fast seek that
// lands somewhere else cannot pass as a result.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/controller.hpp"

namespace tasklab::viz {

struct SeekBenchResult {
    std::uint64_t total_steps = 0;
    std::uint64_t total_events = 0;
    double run_ms = 0;                    ///< the first run, start to end
    std::vector<std::uint64_t> targets;   ///< in the order visited (descending)
    std::vector<double> seek_ms;          ///< one per target
    std::string mismatch;                 ///< "" when every seek landed where it should
};

/// Runs `program` to its end and times `seeks` seeks back to steps drawn with `seed`.
SeekBenchResult bench_seek(std::shared_ptr<const ast::Program> program, const RunOptions& options, int seeks,
                           std::uint64_t seed = 0x7a5c1ab5eedULL);

/// The p-quantile (0…1) of `v` by the nearest rank; 0 for an empty vector.
double seek_percentile(std::vector<double> v, double p);

}  // namespace tasklab::viz
