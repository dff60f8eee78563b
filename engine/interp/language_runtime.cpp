// The factory of language runtimes (see language_runtime.hpp): the program's language picks
// the one interpreter the run builds.
#include "engine/interp/language_runtime.hpp"

#include "engine/interp/python/interpreter.hpp"
#include "engine/interp/swift/interpreter.hpp"

namespace tasklab {

std::unique_ptr<LanguageRuntime> make_language_runtime(std::shared_ptr<const ast::Program> program, Scheduler& sched,
                                                       const RunOptions& options) {
    switch (program->language) {
    case ast::Language::python: return std::make_unique<py::Interpreter>(std::move(program), sched, options);
    case ast::Language::swift: break;
    }
    return std::make_unique<interp::Interpreter>(std::move(program), sched, options);
}

}  // namespace tasklab
