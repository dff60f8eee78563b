// Probe (tests/layers/probe.cmake): a source that includes a front-end header. Built with the
// front end's flags it must build (the control for includes_engine.cpp and includes_viz.cpp).
#include "scenarios/ast.hpp"

bool probe(const tasklab::ast::Program& program) { return program.language == tasklab::ast::Language::python; }
