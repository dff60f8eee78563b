// libFuzzer target: one input is a Python scenario (`fuzz.py`), parsed and its diagnostics
// rendered (fuzz_support.hpp says what counts as a failure).
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::shared_ptr<const tasklab::SourceFile> file;
    tasklab::fuzz::parse_input("fuzz.py", data, size, file);
    return 0;
}
