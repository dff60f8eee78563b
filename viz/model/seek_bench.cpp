// The step-back benchmark (seek_bench.hpp).
#include "viz/model/seek_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace tasklab::viz {
namespace {

// SplitMix64: a small, fixed generator, so the same seed gives the same targets everywhere.
std::uint64_t next_random(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

double seek_percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

SeekBenchResult bench_seek(std::shared_ptr<const ast::Program> program, const RunOptions& options, int seeks,
                           std::uint64_t seed) {
    SeekBenchResult r;
    Controller c(std::move(program), options);
    const auto t0 = std::chrono::steady_clock::now();
    c.run_until_idle();
    r.run_ms = ms_since(t0);
    r.total_steps = c.step_index();
    r.total_events = c.trace().size();
    // The event count after each step of the first run: what every seek must reproduce.
    std::vector<std::uint64_t> events_after(r.total_steps + 1, 0);
    for (std::uint64_t s = 0; s <= r.total_steps; ++s) events_after[s] = c.trace().first_event_of_step(s + 1);
    std::uint64_t state = seed;
    for (int i = 0; i < seeks && r.total_steps > 0; ++i) r.targets.push_back(next_random(state) % r.total_steps);
    std::sort(r.targets.begin(), r.targets.end(), std::greater<>());
    for (std::uint64_t target : r.targets) {
        const auto s0 = std::chrono::steady_clock::now();
        c.replay_to(target);
        r.seek_ms.push_back(ms_since(s0));
        if (r.mismatch.empty() && (c.step_index() != target || c.trace().size() != events_after[target]))
            r.mismatch = "the seek to step " + std::to_string(target) + " stood at step " + std::to_string(c.step_index()) +
                         " with " + std::to_string(c.trace().size()) + " events (the run had " +
                         std::to_string(events_after[target]) + " by then)";
    }
    return r;
}

}  // namespace tasklab::viz
