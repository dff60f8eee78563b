// libFuzzer target: one input is a Swift scenario (`fuzz.swift`), parsed and, when it has no
// errors, run to its end under small limits (fuzz_support.hpp).
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    tasklab::fuzz::parse_and_run("fuzz.swift", data, size);
    return 0;
}
