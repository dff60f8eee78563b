#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz for a short while, seeded with the bundled
# scenarios and the bad inputs of tests/reliability, and fails on the first crash, sanitizer
# report, timeout or out-of-memory (libFuzzer exits non-zero and saves the input).
#
#   tests/fuzz/smoke.sh [BUILD_DIR] [SECONDS_PER_TARGET]      (defaults: build-fuzz, 60)
#
# BUILD_DIR holds the targets (`cmake --preset fuzz && cmake --build --preset fuzz`). The
# corpora, logs and any failing inputs go to $TASKLAB_FUZZ_WORK (default: a new temporary
# directory, kept when a target fails). Installs nothing. docs/fuzzing.md has the details.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-fuzz}
seconds=${2:-60}
work=${TASKLAB_FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/tasklab-fuzz.XXXXXX")}
mkdir -p "$work"

# The seed corpus of one language: every scenario file of that extension in the repository's
# scenarios, the CLI's fixtures and tests/reliability (copied, so the fuzzer's additions stay
# out of the source tree). Left out: the scripts of tests/reliability, and its 36 KB of
# `expect-repeat` directives (every mutation of it would spend its time making a million
# expected lines; tests/reliability runs it).
seed() {  # seed EXT DIR
    mkdir -p "$2"
    find "$root/scenarios" "$root/tests/reliability" "$root/tests/cli/fixtures" -type f -name "*.$1" \
        ! -name run_all.py ! -name special_inputs.py ! -name 'directive_expect_repeat_*' -exec cp -t "$2" {} +
}

# One target: seeds its corpus, fuzzes it, prints libFuzzer's final figures or the failure.
fuzz_one() {  # fuzz_one TARGET
    local target=$1 ext dict
    case $target in
        *swift*) ext=swift dict=swift.dict ;;
        *) ext=py dict=python.dict ;;
    esac
    local binary=$build/tests/fuzz/$target corpus=$work/corpus/$target
    seed "$ext" "$corpus"
    # -timeout: one input may take at most 10 s (the run targets' limits keep every input far
    # below a second); -rss_limit_mb / -malloc_limit_mb: 2 GiB in all, 512 MiB in one malloc.
    if "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 -max_len=8192 \
        -dict="$root/tests/fuzz/$dict" -artifact_prefix="$work/$target-" -print_final_stats=1 \
        "$corpus" >"$work/$target.log" 2>&1; then
        echo "$target: $(grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$work/$target.log" |
            sed 's/^stat:://; s/: */ /' | tr '\n' ' ')"
    else
        echo "smoke.sh: $target failed; its log is $work/$target.log, the input $work/$target-*" >&2
        tail -n 60 "$work/$target.log" >&2
        return 1
    fi
}

targets=(fuzz_swift_parse fuzz_python_parse fuzz_swift_run fuzz_python_run)
for target in "${targets[@]}"; do
    [ -x "$build/tests/fuzz/$target" ] ||
        { echo "smoke.sh: $build/tests/fuzz/$target is missing: cmake --preset fuzz && cmake --build --preset fuzz" >&2; exit 2; }
done
# Two at a time (CI has two cores): both parse targets, then both run targets.
status=0
for pair in "fuzz_swift_parse fuzz_python_parse" "fuzz_swift_run fuzz_python_run"; do
    echo "== ${pair/ / and }: ${seconds} s"
    pids=()
    for target in $pair; do
        fuzz_one "$target" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || status=1; done
done
[ "$status" -eq 0 ] && [ -z "${TASKLAB_FUZZ_WORK:-}" ] && rm -rf "$work"
exit "$status"
