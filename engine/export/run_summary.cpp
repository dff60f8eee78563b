#include "run_summary.hpp"

#include "event_log.hpp"

namespace tasklab {

std::vector<CancelStory> cancel_stories(const Trace& trace) {
    std::vector<CancelStory> stories;
    // Index of each task's story in `stories`, or -1: one pass over the trace.
    std::vector<std::int64_t> story_of(trace.tasks().size(), -1);
    for (std::uint64_t i = 0; i < trace.size(); ++i) {
        const StoredEvent& s = trace.stored(i);
        if (s.task == 0 || s.task >= story_of.size()) continue;
        if (s.kind == EventKind::cancel_requested) {
            if (story_of[s.task] >= 0) continue;  // the first request tells the story
            const Event e = trace.at(i);
            CancelStory story;
            story.task = e.task;
            story.requested_at = e.time;
            story.cause = static_cast<CancelCause>(e.detail);
            story.requested_by = e.related;
            story_of[s.task] = static_cast<std::int64_t>(stories.size());
            stories.push_back(story);
            continue;
        }
        if (story_of[s.task] < 0) continue;
        CancelStory& story = stories[static_cast<std::size_t>(story_of[s.task])];
        if (s.kind == EventKind::cancel_observed && !story.observed && !story.finished) {
            const Event e = trace.at(i);
            story.observed = true;
            story.observed_at = e.time;
            story.observed_by = static_cast<ObservedBy>(e.detail);
        } else if (s.kind == EventKind::task_finished && !story.finished) {
            const Event e = trace.at(i);
            story.finished = true;
            story.finished_at = e.time;
            story.outcome = static_cast<Outcome>(e.detail);
        }
    }
    return stories;
}

std::string describe_cancel_story(const Trace& trace, const CancelStory& story) {
    Event requested;
    requested.kind = EventKind::cancel_requested;
    requested.detail = static_cast<std::uint8_t>(story.cause);
    std::string out = "cancel requested at " + format_time(story.requested_at) + " (" +
                      std::string(event_detail_name(requested));
    if (story.requested_by != 0) out += ", by " + lane_name(trace, story.requested_by);
    out += ")";
    if (story.observed) {
        Event observed;
        observed.kind = EventKind::cancel_observed;
        observed.detail = static_cast<std::uint8_t>(story.observed_by);
        out += ", observed at " + format_time(story.observed_at) + " by " + std::string(event_detail_name(observed)) +
               " (gap " + format_duration(story.observed_at - story.requested_at) + ")";
        return out;
    }
    out += ", never observed";
    if (!story.finished || story.outcome == Outcome::abandoned) {
        out += " (still going when the program ended)";
    } else {
        Event finished;
        finished.kind = EventKind::task_finished;
        finished.detail = static_cast<std::uint8_t>(story.outcome);
        out += " (" + std::string(event_detail_name(finished)) + " at " + format_time(story.finished_at) + ", " +
               format_duration(story.finished_at - story.requested_at) + " later)";
    }
    return out;
}

}  // namespace tasklab
