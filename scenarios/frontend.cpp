#include "frontend.hpp"

#include <string_view>

namespace tasklab {

ParseResult parse_scenario(std::shared_ptr<const SourceFile> file) {
    const std::string_view name = file ? std::string_view(file->name()) : std::string_view();
    auto ends_with = [&](std::string_view suffix) {
        return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
    };
    if (ends_with(".swift")) return parse_swift(std::move(file));
    if (ends_with(".py")) return parse_python(std::move(file));
    ParseResult result;
    result.program = std::make_shared<ast::Program>();
    result.program->file = file;
    const auto dot = name.rfind('.');
    const std::string ext = dot == std::string_view::npos ? std::string("(none)") : "`" + std::string(name.substr(dot)) + "`";
    Diagnostic& d = result.diagnostics.error(DiagnosticKind::unsupported_construct, Span{0, 0},
                                             "cannot tell the scenario language from the file extension " + ext);
    d.help.push_back("name Swift scenarios `*.swift` and Python scenarios `*.py`");
    return result;
}

}  // namespace tasklab
