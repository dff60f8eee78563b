// Drawing labels cut to their cell, with the whole text on hover.
#include "fitted_text.hpp"

#include <string>

namespace tasklab::viz {

FittedText fit_to_width(ImFont* font, float size, std::string_view text, float max_width) {
    return fit_text(text, max_width, [&](std::string_view s) {
        return font->CalcTextSizeA(size, 1e9f, 0, s.data(), s.data() + s.size()).x;
    });
}

bool fitted_text(std::string_view text, float width) {
    if (width < 0) width = ImGui::GetContentRegionAvail().x;
    const FittedText f = fit_to_width(ImGui::GetFont(), ImGui::GetFontSize(), text, width);
    ImGui::TextUnformatted(f.text.data(), f.text.data() + f.text.size());
    if (f.cut && ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
        ImGui::TextUnformatted(text.data(), text.data() + text.size());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    return f.cut;
}

}  // namespace tasklab::viz
