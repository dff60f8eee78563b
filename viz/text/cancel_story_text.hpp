// A cancel story (engine/cancel_stories.hpp) in words, as `tasklab run` prints it under the
// timeline: when the cancel was requested, by whom and why, and when, how or whether the task
// noticed it.
//
// Pure function over a const Trace; standard library only; deterministic byte for byte.
#pragma once

#include <string>

#include "engine/cancel_stories.hpp"
#include "engine/trace.hpp"

namespace tasklab {

/// "cancel requested at 1.000s (group, by main), observed at 1.000s by sleep (gap 0s)", or
/// "cancel requested again at …, observed with the earlier request at …", or "… observed at
/// 1.000s through image1's error (gap 0s)", or "… never observed (returned at 10.000s, 9s
/// later)". Without the task's name.
[[nodiscard]] std::string describe_cancel_story(const Trace& trace, const CancelStory& story);

}  // namespace tasklab
