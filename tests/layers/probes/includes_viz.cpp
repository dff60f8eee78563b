// Probe (tests/layers/probe.cmake): a source that includes a viz/ header. Built with the
// engine's or the front end's flags it must fail (viz/ is not on their include path); built
// with viz/text's flags it must build, which shows the failure is the include path's doing.
#include "viz/text/event_log.hpp"

std::string probe(const tasklab::Trace& trace) { return tasklab::event_log(trace); }
