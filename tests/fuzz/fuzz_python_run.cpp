// libFuzzer target: one input is a Python scenario (`fuzz.py`), parsed and, when it has no
// errors, run to its end under small limits (fuzz_support.hpp).
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    tasklab::fuzz::parse_and_run("fuzz.py", data, size);
    return 0;
}
