#!/usr/bin/env bash
# fuzz.sh: the fuzz targets as a fuzzing engineer uses them. A short
# deterministic libFuzzer run (-runs, -seed, empty corpus) on every bundled
# scenario must find the buggy ones' expected finding and nothing on the
# correct ones nor on those that only break DDI rules (a rule does not
# abort); every crash file and the schedule written with it replay to that
# finding; minimize keeps it and never grows the schedule; the seed
# corpus replays to each scenario's pinned verdict; our own parsers survive
# their fuzzers; and `sim fuzz` runs a campaign, deduplicates, and stops
# cleanly on Ctrl-C. Prints PASS/FAIL lines for build.sh to count.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
sim="$root/build/sim"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
runs=${SPINSIM_FUZZ_TEST_RUNS:-20000}

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }

# The kind a replay prints: `replay NAME: KIND ...`.
replayed_kind() { "$sim" replay "$@" --quiet 2>/dev/null | sed -n 's/^replay [^:]*: \([a-z-]*\).*/\1/p'; }

# Decision lines of a .sched: those starting with a step number.
decisions() { grep -c '^[0-9]' "$1"; }

fuzz_scenario() {
    local name=$1 expect=$2 dir="$work/$1"
    mkdir -p "$dir/corpus"
    (cd "$dir" && "$root/build/fuzz/${name}_fuzzer" corpus -runs="$runs" -seed=1 -max_len=256 \
        -dict="$root/fuzz/scenario.dict" -artifact_prefix="$dir/" -print_final_stats=1 >"$dir/log" 2>&1)
    local status=$? crash
    crash=$(ls "$dir"/crash-* 2>/dev/null | grep -v '\.sched$' | head -n 1)
    if [[ "$expect" == none ]]; then
        if [[ $status -eq 0 && -z "$crash" ]]; then
            pass "fuzz $name: no finding in $runs executions"
        else
            fail "fuzz $name: correct scenario crashed (exit $status): $(grep -m1 '^spinsim:' "$dir/log")"
        fi
        return
    fi
    if [[ -z "$crash" ]]; then
        fail "fuzz $name: $expect not found in $runs executions"
        return
    fi
    local found execs
    found=$(sed -n 's/^spinsim: \([a-z-]*\) .*/\1/p' "$dir/log" | head -n 1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
    [[ "$found" == "$expect" ]] && pass "fuzz $name: finds $expect in $execs executions" ||
        fail "fuzz $name: found '$found', expected $expect"
    local raw sched
    raw=$(replayed_kind "$name" "$crash" --raw)
    [[ "$raw" == "$expect" ]] && pass "fuzz $name: the crash file replays with --raw to $expect" ||
        fail "fuzz $name: the crash file replays to '$raw', expected $expect"
    sched=$(replayed_kind "$name" "$crash.sched")
    [[ "$sched" == "$expect" ]] && pass "fuzz $name: the schedule written with the crash replays to $expect" ||
        fail "fuzz $name: the crash's schedule replays to '$sched', expected $expect"
    "$sim" minimize "$name" "$crash" --raw -o "$dir/min.sched" >"$dir/min.out" 2>&1
    local minimized
    minimized=$(replayed_kind "$name" "$dir/min.sched")
    if [[ ! -f "$dir/min.sched" || "$minimized" != "$expect" ]]; then
        fail "fuzz $name: the minimized schedule replays to '$minimized', expected $expect"
    elif (($(decisions "$dir/min.sched") > $(decisions "$crash.sched"))); then
        fail "fuzz $name: minimize grew the schedule from $(decisions "$crash.sched") to $(decisions "$dir/min.sched") decisions"
    else
        pass "fuzz $name: minimize keeps $expect in $(decisions "$dir/min.sched") of $(decisions "$crash.sched") decisions"
    fi
}

for pinned in "$root"/scenarios/*.sched; do
    name=$(basename "$pinned" .sched)
    expect=$(sed -n 's/^expect \([a-z-]*\).*/\1/p' "$pinned")
    # A rule finding does not abort a fuzz target: a scenario whose pinned
    # schedule replays without an error (exit 0) must not crash it.
    if "$sim" replay "$name" "$pinned" --quiet >/dev/null 2>&1; then
        fuzz_scenario "$name" none
    else
        fuzz_scenario "$name" "${expect:-none}"
    fi
    for seed in "$root/corpus/$name"/*; do
        [[ -f "$seed" ]] || continue
        got=$(replayed_kind "$name" "$seed" --raw)
        [[ "$got" == "${expect:-none}" ]] && pass "corpus $name/$(basename "$seed"): replays to its pinned verdict" ||
            fail "corpus $name/$(basename "$seed"): replays to '$got', the pinned schedule expects ${expect:-none}"
    done
done

# The test-only targets (tests/fuzz/NAME.c): run once on the empty input,
# as from an empty corpus, each prints spinsim's report of its finding at
# its driver line (and the other site, when there is one), then aborts as a
# crash (libFuzzer: deadly signal) and leaves the crash file with its
# schedule; the target replays the crash file to the same report.
# - Driver memory that dies under a lock: the fuzz targets build the machine
#   without ASan (but for its access path to driver memory), and the machine
#   reports a lock word and a queued KDPC in freed pool itself, before ASan
#   could: the spin lock where the worker takes it, naming the free; the KDPC
#   at the free, since it is still queued.
# - A NULL dereference in a DPC: `crash`, from the machine's access check.
# - A count a DPC updates without the thread's lock: `data-race`.

# reported NAME KIND LINE OTHER LOG: LOG holds spinsim's report of KIND at
# tests/fuzz/NAME.c:LINE (other site OTHER, unless empty), nothing from ASan,
# and libFuzzer's deadly signal after the report.
reported() {
    local name=$1 kind=$2 line=$3 other=$4 log=$5
    grep -q "^spinsim: $kind (error) in scenario $name\$" "$log" &&
        grep -q "^  site        tests/fuzz/$name.c:$line " "$log" &&
        { [[ -z "$other" ]] || grep -q "^  other site  tests/fuzz/$name.c:$other " "$log"; } &&
        ! grep -q 'ERROR: AddressSanitizer' "$log" &&
        sed -n '/^spinsim: /,$p' "$log" | grep -q 'ERROR: libFuzzer: deadly signal'
}

target_finds() {
    local name=$1 kind=$2 line=$3 other=$4 target="$root/build/fuzz/test/${1}_fuzzer" dir="$work/test-$1"
    mkdir -p "$dir/replay"
    "$target" -runs=1 -artifact_prefix="$dir/" >"$dir/log" 2>&1
    local status=$? crash
    crash=$(ls "$dir"/crash-* 2>/dev/null | grep -v '\.sched$' | head -n 1)
    local what="$kind at line $line${other:+, other site line $other}"
    if [[ $status -eq 0 || -z "$crash" ]] || ! grep -qx "scenario $name" "$crash.sched" 2>/dev/null ||
        ! reported "$name" "$kind" "$line" "$other" "$dir/log"; then
        fail "fuzz: $name: exit $status, $(grep -m1 -E '^spinsim:|ERROR' "$dir/log"), expected $what and a crash file"
        return
    fi
    pass "fuzz: $name: $what, then a crash file and its schedule"
    "$target" "$crash" -artifact_prefix="$dir/replay/" >"$dir/replay.log" 2>&1
    status=$?
    if [[ $status -ne 0 ]] && reported "$name" "$kind" "$line" "$other" "$dir/replay.log"; then
        pass "fuzz: $name: the target replays its crash file to $kind"
    else
        fail "fuzz: $name: replaying the crash file: exit $status, $(grep -m1 -E '^spinsim:|ERROR' "$dir/replay.log")"
    fi
}
target_finds uaf_lock lock-in-freed-memory 22 17
target_finds uaf_dpc lock-in-freed-memory 29 ""
target_finds null_deref crash 26 ""
target_finds unlocked_count data-race 30 21

# SPINSIM_FUZZ_PARAMS: race_detection=0 fuzzes past the race; a malformed
# list or a key no execution reads is bad input (exit 2, no crash file).
params_run() {
    local dir="$work/params-$1"
    mkdir -p "$dir"
    SPINSIM_FUZZ_PARAMS=$2 "$root/build/fuzz/test/unlocked_count_fuzzer" -runs=1 -artifact_prefix="$dir/" \
        >"$dir/log" 2>&1
    echo "$? $(ls "$dir" | grep -c '^crash-')"
}
read -r status crashes < <(params_run off race_detection=0)
[[ $status -eq 0 && $crashes -eq 0 ]] && pass "fuzz: SPINSIM_FUZZ_PARAMS=race_detection=0: unlocked_count runs clean" ||
    fail "fuzz: SPINSIM_FUZZ_PARAMS=race_detection=0: exit $status, $crashes crash files"
for params in race_detection race_detection=0,racedetection=0; do
    read -r status crashes < <(params_run "$params" "$params")
    said=$(grep -c '^spinsim fuzz: SPINSIM_FUZZ_PARAMS' "$work/params-$params/log")
    [[ $status -eq 2 && $crashes -eq 0 && $said -eq 1 ]] &&
        pass "fuzz: SPINSIM_FUZZ_PARAMS=$params: bad input, exit 2" ||
        fail "fuzz: SPINSIM_FUZZ_PARAMS=$params: exit $status, $crashes crash files, $said lines about it"
done

# Our own parsers under their fuzzers: no crash, no failed round trip. The
# symbolizer's seeds are the small ELF images the build compiles (2 KiB).
for parser in schedule decode debuginfo; do
    mkdir -p "$work/$parser"
    seeds="$root/corpus/$parser" max_len=512
    [[ $parser == debuginfo ]] && seeds="$root/build/fuzz/debuginfo-corpus" max_len=4096
    cp "$seeds"/* "$work/$parser"/ 2>/dev/null
    if "$root/build/fuzz/${parser}_fuzzer" "$work/$parser" -runs="$runs" -seed=1 -max_len=$max_len \
        -artifact_prefix="$work/$parser-" >"$work/$parser.log" 2>&1; then
        pass "fuzz ${parser}_fuzzer: $runs executions without a crash"
    else
        fail "fuzz ${parser}_fuzzer: $(grep -m1 -E 'ERROR|SUMMARY' "$work/$parser.log")"
    fi
done

# A campaign: two workers for a few seconds find the bug once (deduplicated),
# write report (here in SARIF) and minimized schedule, and leave the seed
# corpus untouched.
campaign="$work/campaign"
mkdir -p "$campaign"
corpus_before=$(ls -R "$root/corpus" | md5sum)
(cd "$campaign" && "$sim" fuzz shared_queue_handle --time 3 --jobs 2 --report sarif >out 2>err)
status=$?
reports=$(ls "$campaign"/reports/shared_queue_handle-handle-misuse-*.sarif 2>/dev/null | wc -l)
if [[ $status -eq 1 && $reports -eq 1 ]] &&
    grep -q '"ruleId": "handle-misuse"' "$campaign"/reports/shared_queue_handle-handle-misuse-*.sarif; then
    pass "sim fuzz --report sarif: one deduplicated handle-misuse report from two workers"
else
    fail "sim fuzz: exit $status with $reports reports: $(tail -n 3 "$campaign/err")"
fi
# The last progress line counts the executions of both workers and their rate.
progress=$(tr '\r' '\n' <"$campaign/err" | grep '^fuzz shared_queue_handle .* execs' | tail -n 1)
read -r execs rate < <(sed -n 's/.*  \([0-9]*\) execs  \([0-9]*\) exec\/s .*/\1 \2/p' <<<"$progress")
if [[ "${execs:-0}" -gt 0 && "${rate:-0}" -gt 0 ]]; then
    pass "sim fuzz: the progress line ends at $execs executions, $rate exec/s"
else
    fail "sim fuzz: last progress line: '$progress'"
fi
got=$(replayed_kind shared_queue_handle "$(ls "$campaign"/reports/shared_queue_handle-*.sarif.sched | head -n 1)")
[[ "$got" == handle-misuse ]] && pass "sim fuzz: the minimized schedule replays to handle-misuse" ||
    fail "sim fuzz: the minimized schedule replays to '$got'"
[[ "$(ls -R "$root/corpus" | md5sum)" == "$corpus_before" ]] && pass "sim fuzz: corpus/ is left as it was" ||
    fail "sim fuzz: the campaign changed corpus/"

# Ctrl-C stops a campaign cleanly and keeps what it has.
(cd "$campaign" && exec "$sim" fuzz ring_rx --time 120 >int.out 2>int.err) &
pid=$!
sleep 3
kill -INT "$pid"
waited=0
while kill -0 "$pid" 2>/dev/null && ((waited < 30)); do
    sleep 1
    waited=$((waited + 1))
done
wait "$pid"
status=$?
if [[ $status -eq 0 ]] && grep -q '(interrupted)' "$campaign/int.out"; then
    pass "sim fuzz: Ctrl-C stops the campaign within $waited s and exits 0 with nothing found"
else
    fail "sim fuzz: after Ctrl-C: exit $status, $(tail -n 2 "$campaign/int.out" "$campaign/int.err")"
fi

# Bad input: one line on stderr, exit 2.
for args in "fuzz" "fuzz no_such_scenario" "fuzz ring_rx --time 0" "fuzz ring_rx --jobs x" "encode ring_rx"; do
    (cd "$campaign" && "$sim" $args >/dev/null 2>bad.err)
    status=$?
    if [[ $status -eq 2 && $(wc -l <"$campaign/bad.err") -eq 1 ]]; then
        pass "bad input: sim $args: $(cat "$campaign/bad.err")"
    else
        fail "bad input: sim $args: exit $status, $(wc -l <"$campaign/bad.err") stderr lines"
    fi
done

# OSS-Fuzz mode: build.sh with the builder's variables fills $OUT.
oss="$work/oss"
if OUT="$oss/out" WORK="$oss/work" CC=clang LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
    CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize=fuzzer-no-link" \
    "$root/build.sh" >"$oss.log" 2>&1; then
    missing=""
    for pinned in "$root"/scenarios/*.sched; do
        name=$(basename "$pinned" .sched)_fuzzer
        for file in "$name" "$name.dict" "$name.options"; do
            [[ -f "$oss/out/$file" ]] || missing="$missing $file"
        done
        [[ ! -d "$root/corpus/${name%_fuzzer}" || -f "$oss/out/${name}_seed_corpus.zip" ]] ||
            missing="$missing ${name}_seed_corpus.zip"
    done
    for file in {schedule,decode,debuginfo}_fuzzer{,_seed_corpus.zip}; do
        [[ -f "$oss/out/$file" ]] || missing="$missing $file"
    done
    [[ -z "$missing" ]] && pass "OSS-Fuzz mode: every target with its .dict, .options and seed corpus in \$OUT" ||
        fail "OSS-Fuzz mode: missing in \$OUT:$missing"
    if "$oss/out/ring_rx_fuzzer" -runs=200 >"$oss.run" 2>&1; then
        pass "OSS-Fuzz mode: a target built with the builder's flags runs"
    else
        fail "OSS-Fuzz mode: ring_rx_fuzzer: $(tail -n 2 "$oss.run")"
    fi
else
    fail "OSS-Fuzz mode: build.sh failed: $(tail -n 3 "$oss.log")"
fi

# OSS-Fuzz's `undefined` build (its flags, unsigned overflow included): every
# target runs without a runtime error; wrapping hashes say so (sim/wraps.h).
ubsan_checks=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size
ubsan_checks=$ubsan_checks,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr
ubsan="$work/oss-ubsan"
if OUT="$ubsan/out" WORK="$ubsan/work" CC=clang LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
    CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=$ubsan_checks,unsigned-integer-overflow \
-fno-sanitize-recover=$ubsan_checks -fsanitize=fuzzer-no-link" "$root/build.sh" >"$ubsan.log" 2>&1; then
    for target in "$ubsan"/out/*_fuzzer; do
        "$target" -runs=2000 -seed=1 -artifact_prefix="$ubsan/" >>"$ubsan.run" 2>&1
    done
    errors=$(grep 'runtime error' "$ubsan.run" | sed 's/: runtime error.*//' | sort -u | tr '\n' ' ')
    [[ -z "$errors" ]] && pass "OSS-Fuzz undefined mode: every target runs without a runtime error" ||
        fail "OSS-Fuzz undefined mode: runtime errors at $errors"
else
    fail "OSS-Fuzz undefined mode: build.sh failed: $(tail -n 3 "$ubsan.log")"
fi
