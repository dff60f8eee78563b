// BackgroundRun: the worker threads, the jobs and their progress (see background_run.hpp).
#include "background_run.hpp"

#include <chrono>
#include <deque>
#include <limits>
#include <thread>

namespace tasklab::viz {

namespace {

/// A few worker threads that live until the process ends (see background_run.hpp for why):
/// a job goes to an idle one, or to a new one while there are fewer than k_max_workers.
class Workers {
public:
    static Workers& instance() {
        static Workers w;
        return w;
    }
    void submit(std::function<void()> job) {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
        if (m_idle == 0 && m_threads.size() < k_max_workers) m_threads.emplace_back([this] { loop(); });
        m_wake.notify_one();
    }
    ~Workers() {
        {
            std::lock_guard lock(m_mutex);
            m_quit = true;
        }
        m_wake.notify_all();
        for (std::thread& t : m_threads) t.join();
    }

private:
    static constexpr std::size_t k_max_workers = 4;
    void loop() {
        std::unique_lock lock(m_mutex);
        for (;;) {
            ++m_idle;
            m_wake.wait(lock, [&] { return m_quit || !m_jobs.empty(); });
            --m_idle;
            if (m_jobs.empty()) return;  // quitting
            std::function<void()> job = std::move(m_jobs.front());
            m_jobs.pop_front();
            lock.unlock();
            job();
            lock.lock();
        }
    }
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_jobs;
    std::vector<std::thread> m_threads;
    std::size_t m_idle = 0;
    bool m_quit = false;
};

}  // namespace

double StepCosts::between(std::uint64_t from, std::uint64_t to) const {
    if (to <= from) return 0.0;
    if (to >= m_ms.size()) return std::numeric_limits<double>::infinity();
    return m_ms[to] - m_ms[from];
}

BackgroundRun::~BackgroundRun() {
    if (!m_active) return;
    stop();
    wait(-1);
}

void BackgroundRun::start(RunJob job) {
    if (m_active) {
        stop();
        wait(-1);
        (void)take();
    }
    m_active = true;
    m_started = std::chrono::steady_clock::now();
    m_goal = job.goal;
    m_stop.store(false, std::memory_order_relaxed);
    m_done.store(false, std::memory_order_relaxed);
    m_steps.store(0, std::memory_order_relaxed);
    m_events.store(0, std::memory_order_relaxed);
    m_now.store(0, std::memory_order_relaxed);
    Workers::instance().submit([this, j = std::move(job)]() mutable { work(std::move(j)); });
}

RunProgress BackgroundRun::progress() const {
    return RunProgress{m_steps.load(std::memory_order_relaxed), m_events.load(std::memory_order_relaxed),
                       m_now.load(std::memory_order_relaxed)};
}

double BackgroundRun::seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
}

bool BackgroundRun::wait(double seconds) {
    if (!m_active) return true;
    std::unique_lock lock(m_mutex);
    auto done = [&] { return m_done.load(std::memory_order_acquire); };
    if (seconds < 0) {
        m_finished.wait(lock, done);
        return true;
    }
    return m_finished.wait_for(lock, std::chrono::duration<double>(seconds), done);
}

std::optional<RunOutcome> BackgroundRun::take() {
    if (!m_active || !m_done.load(std::memory_order_acquire)) return std::nullopt;
    std::lock_guard lock(m_mutex);
    m_active = false;
    return std::exchange(m_outcome, std::nullopt);
}

void BackgroundRun::publish(const Controller& c) {
    m_steps.store(c.step_index(), std::memory_order_relaxed);
    m_events.store(c.trace().size(), std::memory_order_relaxed);
    m_now.store(c.now(), std::memory_order_relaxed);
}

void BackgroundRun::work(RunJob job) {
    RunOutcome out;
    out.goal = job.goal;
    try {
        using Clock = std::chrono::steady_clock;
        const auto t0 = Clock::now();
        auto ms = [&] { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); };
        job.options.stop = &m_stop;
        auto c = std::make_unique<Controller>(job.program, job.options);
        publish(*c);
        switch (job.goal) {
            case RunGoal::whole_run:
                out.cost_ms.push_back(ms());
                while (!c->finished()) {
                    c->step();
                    const double t = ms();
                    if (c->step_index() >= out.cost_ms.size()) out.cost_ms.resize(c->step_index() + 1, t);
                    publish(*c);
                }
                break;
            case RunGoal::step:
            case RunGoal::event:
            case RunGoal::next_instant:
                while (!c->finished() && c->step_index() < job.step) {
                    c->step();
                    publish(*c);
                }
                if (job.goal == RunGoal::step || c->step_index() < job.step) break;
                if (job.goal == RunGoal::next_instant) {
                    const Tick t = c->now();
                    while (!c->finished() && c->now() == t) {
                        c->step();
                        publish(*c);
                    }
                    break;
                }
                while (!out.found_event && !c->finished()) {
                    const std::uint64_t first = c->trace().size();
                    c->step();
                    publish(*c);
                    const Trace& trace = c->trace();
                    for (std::uint64_t i = first; i < trace.size() && job.match; ++i)
                        if (job.match(trace.at(i))) {
                            out.found_event = i;
                            break;
                        }
                }
                break;
        }
        out.stopped = c->status().state == RunState::stopped;
        c->set_stop_flag(nullptr);  // the flag is this job's; the next job sets it again
        out.controller = std::move(c);
    } catch (...) {
        out.controller.reset();  // out of memory: the caller keeps what it shows
    }
    job = RunJob{};  // let go of the program before the owner hears that the job is done
    // Notify while holding the lock: once it is released, the owner may be gone.
    std::lock_guard lock(m_mutex);
    m_outcome = std::move(out);
    m_done.store(true, std::memory_order_release);
    m_finished.notify_all();
}

}  // namespace tasklab::viz
