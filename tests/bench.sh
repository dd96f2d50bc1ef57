#!/usr/bin/env bash
# bench.sh: the bench's plumbing, not its speed (timings never decide a
# test): `build/bench row` keeps what it prints as a row, `build/bench
# json` turns rows into valid JSON (parsed by Python's json module; SKIP
# without python3) with exact values, null for what was not measured and strings
# escaped; bad input is one line and exit 2; build/native-pairs times every
# lock family in order; the native stress harness detects a misuse every
# interleaving has in its first run and nothing in a correct scenario; and
# the committed bench/results.json is valid, from a full run, and has a row
# in every section of the table.
# Prints PASS/FAIL lines for build.sh to count.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make -s -j"$(nproc)" bench >/dev/null || {
    echo "FAIL bench: build/bench does not build"
    exit 1
}
bench=build/bench

# check NAME COMMAND...: PASS when the command succeeds.
check() {
    local name=$1
    shift
    if "$@" >"$work/out" 2>&1; then echo "PASS $name"; else echo "FAIL $name: $(head -c 300 "$work/out")"; fi
}

# json_eval FILE EXPRESSION: the Python expression over `d`, the parsed
# file, as compact JSON.
if ! command -v python3 >/dev/null; then
    echo "SKIP bench: no python3 to parse JSON"
    exit 0
fi
json_eval() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(json.dumps(eval(sys.argv[2]), separators=(",", ":")))' "$@"
}

# ---- rows and their JSON ---------------------------------------------------

export BENCH_ROWS=$work/rows
$bench row "sect \"A\"" 'name with "quotes" and \ backslash' 12.5 ns "<= 2x" 0.25 "a note" >"$work/printed"
$bench row "sect B" "not found" - runs - - "" >>"$work/printed"
check "bench row prints each row it keeps" grep -q '^name with "quotes" and \\ backslash .* 12.50 ns .* 0.25x  a note$' \
    "$work/printed"
check "bench row keeps one tab-separated line per row" test "$(wc -l <"$BENCH_ROWS")" -eq 2
unset BENCH_ROWS
$bench json "$work/rows" quick >"$work/rows.json"
expected='["quick",2,"sect \"A\"","name with \"quotes\" and \\ backslash",12.5,"ns","<= 2x",0.25,"a note",null,null]'
got=$(json_eval "$work/rows.json" "[d['mode'], len(d['rows']), d['rows'][0]['section'], d['rows'][0]['name'], d['rows'][0]['value'], d['rows'][0]['unit'], d['rows'][0]['goal'], d['rows'][0]['ratio'], d['rows'][0]['note'], d['rows'][1]['value'], d['rows'][1]['ratio']]" 2>&1)
if [[ $got == "$expected" ]]; then
    echo "PASS bench json writes valid JSON: exact values, escapes, null for what was not measured"
else
    echo "FAIL bench json: got $got, not $expected"
fi

# ---- bad input: one line, exit 2 -----------------------------------------------

# bad NAME ARGS...: exit 2 and one line on stderr.
bad() {
    local name=$1 status
    shift
    $bench "$@" >/dev/null 2>"$work/err"
    status=$?
    if [[ $status -eq 2 && $(wc -l <"$work/err") -eq 1 ]]; then
        echo "PASS bench $name: exit 2, one line"
    else
        echo "FAIL bench $name: exit $status, $(wc -l <"$work/err") lines on stderr"
    fi
}
bad "row with too few fields" row section name
bad "row with a value that is no number" row section name 12x ns - - ""
bad "json of a missing file" json "$work/none" full
printf 'only\tthree\tfields\n' >"$work/broken"
bad "json of a row that is not 7 fields" json "$work/broken" full
bad "json with an unknown mode" json "$work/rows" fast
bad "with an unknown option" --fast

# ---- the native side -----------------------------------------------------------

families="KeAcquireSpinLock KeAcquireSpinLockRaiseToDpc KeAcquireSpinLockAtDpcLevel KeAcquireInStackQueuedSpinLock KeAcquireInterruptSpinLock ExAcquireSpinLockShared ExAcquireSpinLockExclusive"
if [[ $(build/native-pairs 1000 1 | cut -d' ' -f1 | tr '\n' ' ') == "$families " ]]; then
    echo "PASS native-pairs times every lock family, in the bench's order"
else
    echo "FAIL native-pairs: $(build/native-pairs 1000 1 2>&1 | tr '\n' ' ')"
fi
build/native-pairs 0 1 >/dev/null 2>"$work/err"
[[ $? -eq 2 && $(wc -l <"$work/err") -eq 1 ]] && echo "PASS native-pairs with no pairs: exit 2, one line" ||
    echo "FAIL native-pairs with no pairs"

# ---- the native stress harness (bench/stress_vs_sim.sh) ------------------------

make -s -j"$(nproc)" build/native-scenario/double_release build/native-scenario/release_unheld \
    build/native-scenario/nested_documented_order >/dev/null
# stress NAME SEED BUDGET_MS PATTERN: the harness's line matches the glob.
stress() {
    local line
    line=$(build/native-scenario/"$1" "$1" "$2" "$3" 2>&1)
    # shellcheck disable=SC2053 # $4 is a glob
    if [[ $line == $4 ]]; then
        echo "PASS native-scenario $1: $4"
    else
        echo "FAIL native-scenario $1: '$line', not '$4...'"
    fi
}
# Both bugs are in every interleaving: the owner check sees them in the
# first run (a release of nobody's lock, or of the other thread's if it took
# the lock in between).
stress double_release 1 5000 "found release-*-own* in run 1 after *"
stress release_unheld 1 5000 "found release-*-own* in run 1 after *"
# A correct scenario: runs until the budget, and nothing is detected.
stress nested_documented_order 1 300 "none in * runs after *"
build/native-scenario/double_release no_such_scenario 1 100 >/dev/null 2>"$work/err"
[[ $? -eq 2 && $(wc -l <"$work/err") -eq 1 ]] && echo "PASS native-scenario of an unknown scenario: exit 2, one line" ||
    echo "FAIL native-scenario of an unknown scenario"

# ---- the mutation table --------------------------------------------------------------

# Every mutant's lines are still in the lock code (bench/mutation.sh --check).
check "bench/mutants.txt: every mutant applies exactly once to today's lock code" bash bench/mutation.sh --check

# ---- the committed snapshot ----------------------------------------------------------

sections=("the machine" "each lock family" "scale: a step against the CPU count" "scale: a step and memory"
    "fuzzing: exec/s" "fuzzing: peak RSS" "fuzzing: execs to the first finding" "runs to the first finding"
    "time to bug: stress testing" "DFS: schedules to exhaust" "DFS: how much of a search repeats itself"
    "the mutation score of locks/")
for section in "${sections[@]}"; do
    count=$(json_eval bench/results.json "d['mode'] == 'full' and sum(r['section'].startswith(sys.argv[3]) for r in d['rows'])" "$section" 2>&1)
    if [[ $count =~ ^[1-9][0-9]*$ ]]; then
        echo "PASS bench/results.json is a full run with $count rows in '$section'"
    else
        echo "FAIL bench/results.json has no rows in '$section' of a full run: $(tail -n 1 <<<"$count")"
    fi
done
