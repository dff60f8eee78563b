// Placeholder for the Python (asyncio) front end: every Python scenario is refused with one
// diagnostic until the real parser lands.
#include "frontend.hpp"

namespace tasklab {

ParseResult parse_python(std::shared_ptr<const SourceFile> file) {
    ParseResult result;
    result.program = std::make_shared<ast::Program>();
    result.program->language = ast::Language::python;
    result.program->file = file;
    Diagnostic& d = result.diagnostics.error(DiagnosticKind::unsupported_construct, Span{0, 0},
                                             "Python scenarios are not supported yet");
    d.notes.push_back("tasklab runs a subset of Python; see docs/language.md");
    return result;
}

}  // namespace tasklab
