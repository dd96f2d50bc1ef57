#!/usr/bin/env bash
# tsan.sh: build/sim-tsan as the cross-check of the machine's own race
# detector, run as a user runs it, with TSan halting on any report it keeps
# for itself (halt_on_error=1: one about spinsim rather than driver code).
# Every bundled scenario gives build/sim's verdicts and exit status, with
# nothing from TSan; so does busy_flag_spin, which spins until the DPC
# watchdog. A race only TSan sees (tests/scenarios/tsan_own_stack.c, built
# with `spinsim build`) is a `data-race` of build/sim-tsan at both driver
# lines, exit 1, that replays; the exit status stays the CLI's when the race
# is allowed or race detection is off; build/sim and the correct twin find
# nothing. Prints PASS/FAIL lines for build.sh to count.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TSAN_OPTIONS=halt_on_error=1

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }

# run VARIANT NAME BINARY ARGS...: runs in $work/VARIANT, output in NAME.out,
# NAME.err and NAME.status.
run() {
    local dir="$work/$1" name=$2
    shift 2
    mkdir -p "$dir"
    (cd "$dir" && "$@" >"$name.out" 2>"$name.err")
    echo $? >"$dir/$name.status"
}

# tsan_said VARIANT NAME: what TSan printed itself, if anything.
tsan_said() { grep -m1 'ThreadSanitizer' "$work/$1/$2.err"; }

# ---- the bundled scenarios: the same verdicts, nothing from TSan ------------
for name in all busy_flag_spin; do
    scenario=$name
    [[ $name == all ]] && scenario=--all
    run plain "$name" "$root/build/sim" run "$scenario"
    run tsan "$name" "$root/build/sim-tsan" run "$scenario"
    plain_status=$(cat "$work/plain/$name.status") tsan_status=$(cat "$work/tsan/$name.status")
    said=$(tsan_said tsan "$name")
    differ=$(diff <(sed 's#build/sim-tsan #build/sim #' "$work/tsan/$name.out") "$work/plain/$name.out" | head -n 3)
    if [[ -n "$said" ]]; then
        fail "sim-tsan run $scenario: TSan reported: $said"
    elif [[ $tsan_status != "$plain_status" || -n "$differ" ]]; then
        fail "sim-tsan run $scenario: exit $tsan_status, sim exit $plain_status; the outputs differ: $differ"
    else
        pass "sim-tsan run $scenario: build/sim's verdicts and exit $plain_status, nothing from TSan"
    fi
done

# ---- a race only TSan sees ----------------------------------------------------
source=tests/scenarios/tsan_own_stack.c
line_of() { grep -n "$1" "$root/$source" | cut -d: -f1; }
dpc_line=$(line_of "RACE: the second write")
thread_line=$(line_of "RACE: the first write")
if ! "$root/build.sh" install "$work/prefix" >"$work/install.log" 2>&1 ||
    ! (cd "$root" && "$work/prefix/bin/spinsim" build -o "$work/out" "$source") >"$work/build.log" 2>&1; then
    fail "own stack: spinsim build: $(tail -n 3 "$work/install.log" "$work/build.log")"
    exit 1
fi

# expect VARIANT NAME STATUS TEXT...: the run exited STATUS, TSan said
# nothing, and its stdout holds every TEXT as a whole line.
expect() {
    local variant=$1 name=$2 status=$3 text
    shift 3
    local got said
    got=$(cat "$work/$variant/$name.status")
    said=$(tsan_said "$variant" "$name")
    if [[ $got != "$status" || -n "$said" ]]; then
        fail "own stack: $variant $name: exit $got, expected $status${said:+; TSan said: $said}"
        return
    fi
    for text in "$@"; do
        if ! grep -qxF -- "$text" "$work/$variant/$name.out"; then
            fail "own stack: $variant $name: no line '$text' in: $(head -n 6 "$work/$variant/$name.out")"
            return
        fi
    done
    pass "own stack: $variant $name: exit $status, $(head -n 1 "$work/$variant/$name.out")"
}

sites=("  site        $source:$dpc_line (StackRequestDpc)"
    "  other site  $source:$thread_line (StackRequestThread)")
# DFS runs the default schedule first: it has the race.
run tsan race "$work/out/sim-tsan" run tsan_own_stack --strategy dfs
expect tsan race 1 "spinsim: data-race (error) in scenario tsan_own_stack" "${sites[@]}" \
    "scenario tsan_own_stack: data-race in run 1"
schedule=reports/tsan_own_stack-data-race.txt.sched
run tsan replay "$work/out/sim-tsan" replay tsan_own_stack "$schedule"
expect tsan replay 1 "spinsim: data-race (error) in scenario tsan_own_stack" "${sites[@]}"
cp -r "$work/tsan/reports" "$work/plain/"
run plain replay "$work/out/sim" replay tsan_own_stack "$schedule"
expect plain replay 0 "replay tsan_own_stack: none (expected data-race: differs)"
run plain search "$work/out/sim" run tsan_own_stack --strategy dfs
expect plain search 0 "scenario tsan_own_stack: no finding"
# Allowed at its site, the race leaves the exit status to the run: 0.
run tsan allowed "$work/out/sim-tsan" run tsan_own_stack --strategy dfs --allow "data-race@$source:$dpc_line"
expect tsan allowed 0 "scenario tsan_own_stack: no finding"
run tsan detection_off "$work/out/sim-tsan" run tsan_own_stack --strategy dfs --param race_detection=0
expect tsan detection_off 0 "scenario tsan_own_stack: no finding"
run tsan twin "$work/out/sim-tsan" run tsan_own_stack_ok --strategy dfs
expect tsan twin 0 "scenario tsan_own_stack_ok: no finding"
