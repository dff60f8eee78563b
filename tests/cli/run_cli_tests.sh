#!/usr/bin/env bash
# Tests of the `tasklab` command as a user runs it: exit codes, output formats, listing.
#
#   run_cli_tests.sh TASKLAB FIXTURES [CASE...]
#
# TASKLAB is the built command, FIXTURES is tests/cli/fixtures. Without CASE every case runs;
# CTest runs each case as its own test (tests/CMakeLists.txt). Prints what differed and
# exits non-zero on the first failing check of a case.
set -u

if [ $# -lt 2 ]; then
    echo "usage: $0 TASKLAB FIXTURES [CASE...]" >&2
    exit 2
fi
TASKLAB=$1
FIX=$2
shift 2
SW=$FIX/swift
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

failures=0
current=""

fail() {
    echo "FAIL [$current]: $*" >&2
    failures=$((failures + 1))
}

# run_tl ARGS...: runs tasklab with NO_COLOR, capturing stdout, stderr and the exit status.
run_tl() {
    NO_COLOR=1 "$TASKLAB" "$@" >"$WORK/out" 2>"$WORK/err"
    status=$?
}

expect_status() {
    if [ "$status" -ne "$1" ]; then
        fail "expected exit status $1, got $status (tasklab $last_args)"
        echo "--- stdout:" >&2; head -n 40 "$WORK/out" >&2
        echo "--- stderr:" >&2; head -n 40 "$WORK/err" >&2
    fi
}

# expect_in FILE TEXT: FILE (out or err) contains TEXT.
expect_in() {
    if ! grep -qF -- "$2" "$WORK/$1"; then
        fail "std$1 of 'tasklab $last_args' lacks: $2"
        echo "--- std$1:" >&2; head -n 40 "$WORK/$1" >&2
    fi
}

tl() {
    last_args="$*"
    run_tl "$@"
}

case_run_ok() {
    tl run "$SW/hello.swift"
    expect_status 0
    expect_in out "Hello — two lines a second apart"
    expect_in out "안녕하세요 👋"
    expect_in out "Timeline"
    expect_in out "Summary"
    # Printed lines carry a virtual timestamp and the lane: "[1.000s] main │ done".
    expect_in out "] main"
    expect_in out "│ done"
    # Options may come before the file.
    tl --width 60 run "$SW/hello.swift"
    expect_status 0
}

case_print_only() {
    tl run "$SW/hello.swift" --print-only
    expect_status 0
    printf '안녕하세요 👋\ndone\n' >"$WORK/want"
    if ! cmp -s "$WORK/want" "$WORK/out"; then
        fail "--print-only output differs"
        diff "$WORK/want" "$WORK/out" >&2
    fi
    if [ -s "$WORK/err" ]; then fail "--print-only wrote to stderr"; cat "$WORK/err" >&2; fi
}

case_uncaught_error() {
    tl run "$SW/uncaught.swift"
    expect_status 1
    expect_in err "Boom"
    tl run --print-only "$SW/uncaught.swift"
    expect_status 1
    expect_in err "Boom"
    printf 'before\n' >"$WORK/want"
    if ! cmp -s "$WORK/want" "$WORK/out"; then fail "uncaught error: stdout should be only 'before'"; cat "$WORK/out" >&2; fi
}

case_usage_errors() {
    tl run "$SW/hello.swift" --no-such-option
    expect_status 2
    expect_in err "unknown option"
    tl run "$FIX/does_not_exist.swift"
    expect_status 2
    expect_in err "tasklab: cannot read $FIX/does_not_exist.swift:"
    tl run
    expect_status 2
    tl run "$SW/hello.swift" --limit-steps many
    expect_status 2
    tl frobnicate
    expect_status 2
}

case_help() {
    for flag in --help -h; do
        tl $flag
        expect_status 0
        expect_in out "tasklab run FILE"
        expect_in out "tasklab check FILE"
        expect_in out "tasklab list"
        expect_in out "tasklab explore FILE"
        expect_in out "--max-runs N"
        expect_in out "--max-steps N"
        expect_in out "--preemptions K"
        expect_in out "--trace-of K"
        expect_in out "--json"
        expect_in out "--print-only"
        expect_in out "--events"
        expect_in out "--trace OUT.jsonl"
        expect_in out "--perfetto OUT.json"
        expect_in out "--perfetto-axis A"
        expect_in out "--limit-steps N"
        expect_in out "--limit-time T"
        expect_in out "5  check found a difference"
    done
    tl
    expect_status 0
    expect_in out "Usage:"
}

case_diagnostics() {
    tl run "$SW/syntax_error.swift"
    expect_status 3
    expect_in err "syntax_error.swift:2:"
    expect_in err "error:"
}

case_runtime_limit() {
    tl run "$SW/endless.swift" --limit-time 3s
    expect_status 4
    expect_in err "endless.swift:"
    expect_in err "3s"
    tl --limit-steps 5 run "$SW/endless.swift" --print-only
    expect_status 4
    expect_in err "5 steps"
}

case_check_pass() {
    tl check "$SW/hello.swift" "$SW/uncaught.swift"
    expect_status 0
    expect_in out "PASS $SW/hello.swift"
    expect_in out "PASS $SW/uncaught.swift"
}

case_check_fail() {
    tl check "$SW/hello.swift" "$SW/wrong_expect.swift"
    expect_status 5
    expect_in out "PASS $SW/hello.swift"
    expect_in out "FAIL $SW/wrong_expect.swift"
    expect_in out "line 2 differs"
    expect_in out "expected: three"
    expect_in out "actual:   two"
    tl check "$SW/no_expect.swift"
    expect_status 5
    expect_in out "FAIL $SW/no_expect.swift"
    expect_in out "no expectations"
    tl check "$SW/syntax_error.swift"
    expect_status 5
    expect_in out "FAIL $SW/syntax_error.swift"
}

case_race_lint() {
    tl check "$SW/race_unacknowledged.swift"
    expect_status 0
    expect_in out "PASS $SW/race_unacknowledged.swift"
    expect_in out "$SW/race_unacknowledged.swift: warning: this output depends on a race: 2 outcomes possible (see tasklab explore $SW/race_unacknowledged.swift)"
    tl check "$SW/race_acknowledged.swift" "$SW/hello.swift"
    expect_status 0
    expect_in out "PASS $SW/race_acknowledged.swift"
    if grep -qF "warning" "$WORK/out"; then
        fail "a file whose note mentions the race, or that has one outcome, got a warning"
        head -n 20 "$WORK/out" >&2
    fi
}

case_list() {
    tl list --dir "$FIX"
    expect_status 0
    expect_in out "swift/hello.swift"
    expect_in out "Hello — two lines a second apart"
    expect_in out "swift/wrong_expect.swift"
    tl list
    expect_status 0
    expect_in out "swift/"
    tl list --dir "$FIX/no_such_dir"
    expect_status 2
    # A flat folder of scenario files is listed too.
    tl list --dir "$SW"
    expect_status 0
    expect_in out "hello.swift"
    expect_in out "Hello — two lines a second apart"
    expect_in out "./"
    if grep -qF "(no scenarios found)" "$WORK/out"; then fail "tasklab list --dir on a flat folder found nothing"; fi
}

case_events_and_trace() {
    tl run "$SW/hello.swift" --events
    expect_status 0
    expect_in out "task_created"
    expect_in out "printed"
    expect_in out "hello.swift:"
    tl run "$SW/hello.swift" --trace "$WORK/a.jsonl"
    expect_status 0
    cp "$WORK/out" "$WORK/report1"
    tl run "$SW/hello.swift" --trace "$WORK/b.jsonl"
    if ! head -n 1 "$WORK/a.jsonl" | grep -q '^{"format":"tasklab-trace","version":1,'; then
        fail "--trace: the first line is not the header"
    fi
    if ! cmp -s "$WORK/a.jsonl" "$WORK/b.jsonl"; then fail "--trace output differs between two runs"; fi
    if ! cmp -s "$WORK/report1" "$WORK/out"; then fail "run output differs between two runs"; fi
    tl run "$SW/hello.swift" --trace -
    expect_status 0
    if ! cmp -s "$WORK/a.jsonl" "$WORK/out"; then fail "--trace - differs from --trace FILE"; fi
}

case_perfetto() {
    tl run "$SW/hello.swift" --perfetto "$WORK/a.json"
    expect_status 0
    expect_in out "Timeline"  # the report still goes to stdout
    cp "$WORK/out" "$WORK/report1"
    tl run "$SW/hello.swift" --perfetto "$WORK/b.json"
    if ! head -c 40 "$WORK/a.json" | grep -q '^{"displayTimeUnit":"ms",'; then
        fail "--perfetto: the file does not open with displayTimeUnit"
    fi
    if ! grep -q '"name":"thread_name"' "$WORK/a.json"; then fail "--perfetto: no lane names"; fi
    if ! cmp -s "$WORK/a.json" "$WORK/b.json"; then fail "--perfetto output differs between two runs"; fi
    if ! cmp -s "$WORK/report1" "$WORK/out"; then fail "run output differs between two runs"; fi
    if command -v python3 >/dev/null 2>&1 &&
        ! python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$WORK/a.json"; then
        fail "--perfetto: python3 cannot read the file as JSON"
    fi
    tl run "$SW/hello.swift" --perfetto -
    expect_status 0
    if ! cmp -s "$WORK/a.json" "$WORK/out"; then fail "--perfetto - differs from --perfetto FILE"; fi
    tl run "$SW/hello.swift" --perfetto "$WORK/v.json" --perfetto-axis virtual
    expect_status 0
    if ! grep -q '"axis":"virtual"' "$WORK/v.json"; then fail "--perfetto-axis virtual: otherData does not say so"; fi
    tl run "$SW/hello.swift" --perfetto "$WORK/x.json" --perfetto-axis sideways
    expect_status 2
    expect_in err "--perfetto-axis expects steps or virtual"
    tl run "$SW/hello.swift" --perfetto-axis virtual
    expect_status 2
    expect_in err "--perfetto-axis applies to --perfetto"
    tl run "$SW/hello.swift" --perfetto "$WORK/no_such_dir/x.json"
    expect_status 2
    expect_in err "cannot write $WORK/no_such_dir/x.json"
    tl check "$SW/hello.swift" --perfetto "$WORK/x.json"
    expect_status 2
}

case_explore() {
    tl explore "$SW/shared_counter_race.swift"
    expect_status 0
    expect_in out "2 outcomes"
    expect_in out "value: 2"
    expect_in out "value: 1"
    expect_in out "ran between two statements of"
    expect_in out "complete"
    cp "$WORK/out" "$WORK/explore1"
    tl explore "$SW/shared_counter_race.swift"
    if ! cmp -s "$WORK/explore1" "$WORK/out"; then fail "explore lists differ between two runs"; fi
    tl explore "$SW/shared_counter_race.swift" --json
    expect_status 0
    if command -v python3 >/dev/null 2>&1 &&
        ! python3 -c 'import json, sys; r = json.load(open(sys.argv[1], encoding="utf-8")); assert [o["lines"] for o in r["outcomes"]] == [["value: 2"], ["value: 1"]] and r["complete"]' "$WORK/out"; then
        fail "explore --json: not the two outcomes as JSON"
    fi
    tl explore "$SW/shared_counter_race.swift" --trace-of 2 --print-only
    expect_status 0
    if [ "$(cat "$WORK/out")" != "value: 1" ]; then fail "--trace-of 2 --print-only does not print outcome 2's lines"; fi
    tl explore "$SW/shared_counter_race.swift" --trace-of 1 --print-only
    tl run "$SW/shared_counter_race.swift" --print-only
    cp "$WORK/out" "$WORK/run1"
    tl explore "$SW/shared_counter_race.swift" --trace-of 1 --trace "$WORK/t1.jsonl" --print-only
    tl run "$SW/shared_counter_race.swift" --trace "$WORK/t0.jsonl" --print-only
    if ! cmp -s "$WORK/t0.jsonl" "$WORK/t1.jsonl"; then fail "the trace of outcome 1 differs from tasklab run's"; fi
    tl explore "$SW/shared_counter_race.swift" --trace-of 3
    expect_status 2
    expect_in err "the exploration found 2 outcomes"
    tl explore "$SW/shared_counter_race.swift" --max-runs 1
    expect_status 4
    expect_in out "stopped at --max-runs 1: more outcomes may exist"
    tl explore "$SW/shared_counter_race.swift" --preemptions 0
    expect_status 0
    expect_in out "1 outcome"
    tl explore "$SW/shared_counter_race.swift" --preemptions 9
    expect_status 2
    expect_in err "--preemptions expects a number from 0 to 8"
    tl run "$SW/shared_counter_race.swift" --max-runs 5
    expect_status 2
    expect_in err "apply to explore"
    tl explore "$SW/shared_counter_race.swift" --json --trace-of 1
    expect_status 2
    tl explore "$SW/syntax_error.swift"
    expect_status 3
    expect_in err "error:"
}

all_cases="run_ok print_only uncaught_error usage_errors help diagnostics runtime_limit check_pass check_fail race_lint list events_and_trace perfetto explore"
cases=${*:-$all_cases}
for c in $cases; do
    current=$c
    if ! declare -F "case_$c" >/dev/null; then
        fail "no such case"
        continue
    fi
    "case_$c"
done

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
exit 0
