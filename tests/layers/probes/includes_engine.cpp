// Probe (tests/layers/probe.cmake): a source that includes engine headers. Built with the
// engine's flags it must build (the control for includes_viz.cpp and includes_os.cpp); built
// with the front end's flags it must fail (scenarios/ does not see engine/).
#include "engine/controller.hpp"
#include "engine/fiber.hpp"

bool probe() { return tasklab::Fiber::current() == nullptr; }
