// describe_cancel_story: a cancel story in the words of the event log (see cancel_story_text.hpp).
#include "cancel_story_text.hpp"

#include "event_log.hpp"

namespace tasklab {

std::string describe_cancel_story(const Trace& trace, const CancelStory& story) {
    Event requested;
    requested.kind = EventKind::cancel_requested;
    requested.detail = static_cast<std::uint8_t>(story.cause);
    std::string out = std::string(story.earlier == 0 ? "cancel requested at " : "cancel requested again at ") +
                      format_time(story.requested_at) + " (" + std::string(event_detail_name(requested));
    if (story.requested_by != 0) out += ", by " + lane_name(trace, story.requested_by);
    out += ")";
    if (story.observed) {
        out += story.joined ? ", observed with the earlier request at " : ", observed at ";
        out += format_time(story.observed_at);
        if (story.through_child != 0) {
            out += " through " + lane_name(trace, story.through_child) + "'s error";
        } else {
            Event observed;
            observed.kind = EventKind::cancel_observed;
            observed.detail = static_cast<std::uint8_t>(story.observed_by);
            out += " by " + std::string(event_detail_name(observed));
        }
        out += " (gap " + format_duration(story.observed_at - story.requested_at) + ")";
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
