// tasklab-bench: generated workloads, timed as whole runs, printed as figures.
//
// Each workload runs in a fresh child process (this binary re-executes itself with
// `--workload NAME`) so its peak memory is its own. Two paths are measured:
//   engine      the Swift cancellation model driven by native coroutine bodies: the
//               scheduler, model and trace that every scenario runs on;
//   scenario    the same workload written as Swift source, parsed and interpreted.
// A baseline (tasks that only yield, i.e. pure task switching with tracing on) is measured
// in the same run, and every workload prints its cost per event as a ratio to it, so the
// figures can be compared across machines and noisy runs. Nothing here passes or fails.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/cancel/swift.hpp"
#include "engine/controller.hpp"
#include "engine/scheduler.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {

struct Figures {
    std::uint64_t events = 0;
    std::uint64_t tasks = 0;
    double seconds = 0;
    std::size_t trace_bytes = 0;
};

long peak_rss_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

// splitmix64: the deterministic generator for latencies.
std::uint64_t mix(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

template <class Build>
Figures time_engine(Build build) {
    const auto start = std::chrono::steady_clock::now();
    Trace trace;
    Scheduler sched(trace, Limits{.max_steps = 100'000'000, .max_time = 1'000'000 * k_second});
    swift::Model model(sched);
    build(model);
    while (sched.step() == StepStatus::ran) {}
    const auto stop = std::chrono::steady_clock::now();
    return Figures{trace.size(), sched.task_count(), std::chrono::duration<double>(stop - start).count(),
                   trace.memory_bytes()};
}

// ---- baseline: pure switching ---------------------------------------------------------
Figures baseline() {
    return time_engine([](swift::Model& m) {
        auto body = [](swift::Model& model) -> Co<void> {
            for (int i = 0; i < 3; ++i) co_await model.scheduler().yield_now();
            model.finish(Outcome::returned, {});
        };
        for (int i = 0; i < 100'000; ++i) m.spawn_unstructured(body(m), "yield", false);
    });
}

// ---- 100,000 children in one group, three sleeps each ----------------------------------
Figures group_sleeps_engine() {
    return time_engine([](swift::Model& m) {
        auto child = [](swift::Model& model, int i) -> Co<void> {
            for (int k = 0; k < 3; ++k) {
                auto r = co_await model.sleep((1 + (i * 7 + k * 13) % 100) * k_millisecond, swift::SleepKind::cancellable);
                (void)r;
            }
            model.finish(Outcome::returned, {});
        };
        auto root = [child](swift::Model& model) -> Co<void> {
            const auto g = model.enter_group(ScopeKind::task_group, "withTaskGroup");
            for (int i = 0; i < 100'000; ++i) model.add_task(g, child(model, i), "child");
            auto failed = co_await model.exit_group(g, false, 0);
            (void)failed;
            model.finish(Outcome::returned, {});
        };
        m.spawn_main(root(m));
    });
}

// ---- a 111,111-task tree (branching 10, depth 5) whose root is cancelled ----------------
Co<void> tree_node(swift::Model& model, int depth) {
    if (depth == 5) {
        auto r = co_await model.sleep(3600 * k_second, swift::SleepKind::cancellable);
        model.finish(r == swift::WaitResult::cancelled ? Outcome::cancelled : Outcome::returned, {});
        co_return;
    }
    const auto g = model.enter_group(ScopeKind::task_group, "withTaskGroup");
    for (int i = 0; i < 10; ++i) model.add_task(g, tree_node(model, depth + 1), "node");
    auto failed = co_await model.exit_group(g, false, 0);
    (void)failed;
    model.finish(model.is_cancelled(model.scheduler().current()) ? Outcome::cancelled : Outcome::returned, {});
}

Figures tree_engine() {
    return time_engine([](swift::Model& m) {
        auto main_body = [](swift::Model& model) -> Co<void> {
            const TaskId root = model.spawn_unstructured(tree_node(model, 0), "root", false);
            auto r = co_await model.sleep(k_second, swift::SleepKind::cancellable);
            (void)r;
            model.cancel(root, CancelCause::explicit_call, model.scheduler().current());
            co_await model.join(root);
            model.finish(Outcome::returned, {});
        };
        m.spawn_main(main_body(m));
    });
}

// ---- 1,000 downloads, cancelAll() after 10 ----------------------------------------------
Figures downloads_engine() {
    return time_engine([](swift::Model& m) {
        auto download = [](swift::Model& model, Tick latency) -> Co<void> {
            auto r = co_await model.network(latency, "GET image");
            model.finish(r == swift::WaitResult::cancelled ? Outcome::cancelled : Outcome::returned, {});
        };
        auto main_body = [download](swift::Model& model) -> Co<void> {
            const auto g = model.enter_group(ScopeKind::throwing_task_group, "withThrowingTaskGroup");
            std::uint64_t seed = 42;
            for (int i = 0; i < 1'000; ++i)
                model.add_task(g, download(model, k_second + static_cast<Tick>(mix(seed) % 2000) * k_millisecond), "download");
            int received = 0;
            for (;;) {
                const TaskId done = co_await model.next(g);
                if (done == 0) break;
                if (received == 10) model.cancel_all(g);
                ++received;
            }
            auto failed = co_await model.exit_group(g, false, 0);
            (void)failed;
            model.finish(Outcome::returned, {});
        };
        m.spawn_main(main_body(m));
    });
}

// ---- the same workloads as Swift source, interpreted -------------------------------------
std::string swift_group_sleeps(int n) {
    return "await withTaskGroup(of: Void.self) { group in\n"
           "    for i in 0..<" + std::to_string(n) + " {\n"
           "        group.addTask {\n"
           "            try? await Task.sleep(for: .milliseconds(1 + (i * 7) % 100))\n"
           "            try? await Task.sleep(for: .milliseconds(1 + (i * 7 + 13) % 100))\n"
           "            try? await Task.sleep(for: .milliseconds(1 + (i * 7 + 26) % 100))\n"
           "        }\n"
           "    }\n"
           "}\n";
}

std::string swift_tree() {
    return "// tasklab: limit steps 100000000\n"
           "func node(_ depth: Int) async {\n"
           "    if depth == 5 {\n"
           "        try? await Task.sleep(for: .seconds(3600))\n"
           "        return\n"
           "    }\n"
           "    await withTaskGroup(of: Void.self) { group in\n"
           "        for _ in 0..<10 {\n"
           "            group.addTask { await node(depth + 1) }\n"
           "        }\n"
           "    }\n"
           "}\n"
           "let root = Task { await node(0) }\n"
           "try await Task.sleep(for: .seconds(1))\n"
           "root.cancel()\n"
           "await root.value\n";
}

std::string swift_downloads() {
    return "// tasklab: latency URLSession.data 1s..3s\n"
           "// tasklab: seed 42\n"
           "let url = URL(string: \"https://picsum.photos/200/300\")!\n"
           "func downloadAll() async -> Int {\n"
           "    do {\n"
           "        return try await withThrowingTaskGroup(of: Int.self) { group in\n"
           "            for _ in 0..<1_000 {\n"
           "                group.addTask {\n"
           "                    let (data, _) = try await URLSession.shared.data(from: url)\n"
           "                    return data.count\n"
           "                }\n"
           "            }\n"
           "            var count = 0\n"
           "            for try await _ in group {\n"
           "                if count == 10 { group.cancelAll() }\n"
           "                count += 1\n"
           "            }\n"
           "            return count\n"
           "        }\n"
           "    } catch {\n"
           "        return -1\n"
           "    }\n"
           "}\n"
           "let received = await downloadAll()\n";
}

Figures time_scenario(const std::string& name, const std::string& text) {
    const auto start = std::chrono::steady_clock::now();
    auto file = std::make_shared<SourceFile>(name + ".swift", text);
    ParseResult parsed = parse_swift(file);
    if (!parsed.ok()) {
        std::fprintf(stderr, "%s", render_all(*file, parsed.diagnostics).c_str());
        return {};
    }
    RunOptions options;
    options.limits = Limits{.max_steps = 100'000'000, .max_time = 1'000'000 * k_second};
    options.lints = false;
    Controller run(parsed.program, options);
    run.run_until_idle();
    const auto stop = std::chrono::steady_clock::now();
    if (run.status().state != RunState::finished)
        std::fprintf(stderr, "%s: %s\n", name.c_str(), run.status().message.c_str());
    // How much of the default memory budget (1 GB) the workload used at its peak.
    std::fprintf(stderr, "%s: memory budget peak %llu MB of %llu MB\n", name.c_str(),
                 static_cast<unsigned long long>(run.memory_peak() >> 20), static_cast<unsigned long long>(options.max_memory >> 20));
    return Figures{run.trace().size(), run.trace().tasks().size() - 1,
                   std::chrono::duration<double>(stop - start).count(), run.trace().memory_bytes()};
}

struct Workload {
    const char* name;
    const char* what;
    std::function<Figures()> run;
};

std::vector<Workload> workloads() {
    return {
        {"baseline", "baseline: 100,000 tasks that only yield (pure switching)", baseline},
        {"group-engine", "100,000 children in one group, 3 sleeps each (engine)", group_sleeps_engine},
        {"tree-engine", "111,111-task tree, root cancelled (engine)", tree_engine},
        {"downloads-engine", "1,000 downloads, cancelAll() after 10 (engine)", downloads_engine},
        {"group-scenario", "100,000 children in one group, 3 sleeps each (Swift source)",
         [] { return time_scenario("group", swift_group_sleeps(100'000)); }},
        {"tree-scenario", "111,111-task tree, root cancelled (Swift source)",
         [] { return time_scenario("tree", swift_tree()); }},
        {"downloads-scenario", "1,000 downloads, cancelAll() after 10 (Swift source)",
         [] { return time_scenario("downloads", swift_downloads()); }},
    };
}

int run_one(const std::string& name) {
    for (const auto& w : workloads()) {
        if (name != w.name) continue;
        const long rss_before = peak_rss_kib();
        const Figures f = w.run();
        const long rss_after = peak_rss_kib();
        // One machine-readable line for the parent: events tasks seconds trace_bytes rss_growth_bytes
        std::printf("%llu %llu %.6f %zu %ld\n", static_cast<unsigned long long>(f.events),
                    static_cast<unsigned long long>(f.tasks), f.seconds, f.trace_bytes, (rss_after - rss_before) * 1024);
        return 0;
    }
    std::fprintf(stderr, "unknown workload %s\n", name.c_str());
    return 2;
}

bool run_child(const char* self, const char* name, Figures& f, long& rss_bytes) {
    int fds[2];
    if (pipe(fds) != 0) return false;
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl(self, self, "--workload", name, static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fds[1]);
    std::string out;
    char buf[256];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    unsigned long long events = 0, tasks = 0;
    double seconds = 0;
    std::size_t trace_bytes = 0;
    if (std::sscanf(out.c_str(), "%llu %llu %lf %zu %ld", &events, &tasks, &seconds, &trace_bytes, &rss_bytes) != 5)
        return false;
    f = Figures{events, tasks, seconds, trace_bytes};
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::strcmp(argv[1], "--workload") == 0) return run_one(argv[2]);
    const bool only_engine = argc == 2 && std::strcmp(argv[1], "--engine") == 0;
    std::printf("tasklab-bench: each workload in its own process; figures from one run each\n\n");
    std::printf("%-62s %10s %8s %9s %12s %9s %10s %9s\n", "workload", "events", "tasks", "wall s", "events/s",
                "ns/event", "trace B/ev", "RSS B/ev");
    double baseline_ns = 0;
    for (const auto& w : workloads()) {
        if (only_engine && std::strstr(w.name, "scenario")) continue;
        Figures f;
        long rss = 0;
        if (!run_child("/proc/self/exe", w.name, f, rss) || f.events == 0) {
            std::printf("%-62s  (failed to run)\n", w.what);
            continue;
        }
        const double ns = f.seconds * 1e9 / static_cast<double>(f.events);
        if (baseline_ns == 0) baseline_ns = ns;
        std::printf("%-62s %10llu %8llu %9.3f %12.0f %9.1f %10.1f %9.1f   x%.1f baseline\n", w.what,
                    static_cast<unsigned long long>(f.events), static_cast<unsigned long long>(f.tasks), f.seconds,
                    static_cast<double>(f.events) / f.seconds, ns,
                    static_cast<double>(f.trace_bytes) / static_cast<double>(f.events),
                    static_cast<double>(rss) / static_cast<double>(f.events), ns / baseline_ns);
    }
    std::printf("\ntrace B/ev: bytes the trace holds per event; RSS B/ev: growth of the process's peak\n"
                "resident memory during the workload per event (tasks, frames and trace together).\n");
    return 0;
}
