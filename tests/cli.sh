#!/usr/bin/env bash
# cli.sh: the `sim` command line as a user meets it. Bad input of every kind
# must give exit 2, exactly one line on stderr, and write nothing; good input
# must run, write its report and schedule, and replay to the same verdict.
# Prints PASS/FAIL lines for build.sh to count.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
sim="$root/build/sim"
scenario=$("$sim" list | head -n 1 | cut -d' ' -f1)
work=$(mktemp -d)
if [[ -z "$scenario" ]]; then
    echo "FAIL cli: sim list shows no bundled scenario"
    exit 1
fi
trap 'rm -rf "$work"' EXIT

# expect_bad NAME ARGS...: exit 2, one stderr line, nothing written in the cwd.
expect_bad() {
    local name=$1
    shift
    local dir="$work/$name"
    mkdir -p "$dir"
    cp "$work"/*.sched "$work"/*.bin "$dir"/ 2>/dev/null
    local before after status
    before=$(cd "$dir" && find . | sort)
    (cd "$dir" && "$sim" "$@" >"$work/out" 2>"$work/err")
    status=$?
    after=$(cd "$dir" && find . | sort)
    local lines
    lines=$(wc -l <"$work/err")
    if [[ $status -ne 2 ]]; then
        echo "FAIL bad input: $name: exit $status, expected 2"
    elif [[ $lines -ne 1 ]]; then
        echo "FAIL bad input: $name: $lines lines on stderr, expected 1: $(head -c 300 "$work/err")"
    elif [[ "$before" != "$after" ]]; then
        echo "FAIL bad input: $name: files were written"
    else
        echo "PASS bad input: $name: $(cat "$work/err")"
    fi
}

printf 'spinsim-schedule 1\nscenario %s\nexpect none\n' "$scenario" >"$work/good.sched"
printf '' >"$work/empty.sched"
printf '\x00\x01\x02garbage\xff' >"$work/garbage.bin"
printf 'spinsim-schedule 1\nscenario %s\n12 irq\n' "$scenario" >"$work/truncated.sched"
printf 'spinsim-schedule 9\nscenario %s\n' "$scenario" >"$work/future.sched"
printf 'spinsim-schedule 1\nscenario some_other_scenario\n' >"$work/other.sched"
printf 'spinsim-schedule 1\nscenario %s\nexpect not-a-kind\n' "$scenario" >"$work/badkind.sched"
printf 'scenario %s\nspinsim-schedule 1\n' "$scenario" >"$work/noversion.sched"
printf 'spinsim-schedule 1\nscenario %s\n20 run cpu1\n10 run cpu0\n' "$scenario" >"$work/backwards.sched"

expect_bad no-command
expect_bad unknown-command frobnicate
expect_bad run-without-scenario run
expect_bad run-unknown-scenario run no_such_scenario
expect_bad run-unknown-flag run "$scenario" --bogus
expect_bad run-flag-without-value run "$scenario" --runs
expect_bad run-non-numeric run "$scenario" --runs abc
expect_bad run-zero-runs run "$scenario" --runs 0
expect_bad run-unknown-strategy run "$scenario" --strategy nope
expect_bad run-too-many-cpus run "$scenario" --cpus 65
expect_bad run-bad-param run "$scenario" --param cpus
expect_bad run-unknown-allow run "$scenario" --allow nonsense
expect_bad run-unknown-report run "$scenario" --report pdf
expect_bad run-scenario-and-all run "$scenario" --all
expect_bad replay-missing-file replay "$scenario" missing.sched
expect_bad replay-empty replay "$scenario" empty.sched
expect_bad replay-garbage replay "$scenario" garbage.bin
expect_bad replay-truncated replay "$scenario" truncated.sched
expect_bad replay-future-version replay "$scenario" future.sched
expect_bad replay-other-scenario replay "$scenario" other.sched
expect_bad replay-unknown-kind replay "$scenario" badkind.sched
expect_bad replay-no-version-line replay "$scenario" noversion.sched
expect_bad replay-steps-backwards replay "$scenario" backwards.sched
expect_bad replay-directory replay "$scenario" .
expect_bad replay-unknown-scenario replay no_such_scenario good.sched
expect_bad test-missing-dir test no_such_dir

# The error names the line for a malformed schedule.
(cd "$work" && "$sim" replay "$scenario" truncated.sched 2>"$work/err" >/dev/null)
if grep -q 'truncated.sched: line 3:' "$work/err"; then
    echo "PASS bad input names its line: $(cat "$work/err")"
else
    echo "FAIL bad input names its line: $(cat "$work/err")"
fi

for command in "" run replay test list; do
    if "$sim" $command --help >/dev/null 2>&1; then
        echo "PASS help: sim $command --help exits 0"
    else
        echo "FAIL help: sim $command --help"
    fi
done

# Every finding of `run --all` replays from the schedule it wrote, to the same verdict.
mkdir -p "$work/all"
(cd "$work/all" && "$sim" run --all --runs 200 >"$work/all.out" 2>&1)
status=$?
if [[ $status -eq 0 ]]; then
    echo "PASS run --all: every scenario gives its expected verdict"
else
    echo "FAIL run --all: exit $status: $(grep MISMATCH "$work/all.out" | head -3)"
fi
for schedule in "$work"/all/reports/*.sched; do
    [[ -e "$schedule" ]] || continue
    name=$(sed -n 's/^scenario //p' "$schedule")
    kind=$(sed -n 's/^expect //p' "$schedule")
    verdict=$("$sim" replay "$name" "$schedule" --quiet 2>&1 | tail -n 1)
    if [[ "$verdict" == "replay $name: $kind (expected $kind: match)" ]]; then
        echo "PASS replay round trip: $name $kind"
    else
        echo "FAIL replay round trip: $name: $verdict"
    fi
done

# minimize: a padded schedule shrinks to one that replays to the same finding;
# no -o, no finding or a malformed file is bad input and writes nothing.
buggy=isr_shares_dpc_lock
{ cat "$root/scenarios/$buggy.sched"; printf '40 irq NoSuchIsr cpu0\n900 run cpu1\n'; } >"$work/padded.sched"
printf 'spinsim-schedule 1\nscenario ring_rx\nexpect none\n5 run cpu1\n' >"$work/clean.sched"
# Fuzzer inputs (fuzz/decode.h): after 1 step run the second CPU, after 1 more deliver the interrupt on it.
printf '\x01\x00\x00\x01\x01\x00\x01\x01' >"$work/crash.bin"
printf '\x05\x00\x00\x01' >"$work/clean.bin"
expect_bad minimize-without-output minimize "$buggy" padded.sched
expect_bad minimize-without-file minimize "$buggy" -o out.sched
expect_bad minimize-no-finding minimize ring_rx clean.sched -o out.sched
expect_bad minimize-raw-no-finding minimize ring_rx clean.bin --raw -o out.sched
expect_bad minimize-malformed minimize "$scenario" truncated.sched -o out.sched
expect_bad minimize-garbage minimize "$scenario" garbage.bin -o out.sched
expect_bad minimize-unknown-scenario minimize no_such_scenario padded.sched -o out.sched
expect_bad minimize-missing-file minimize "$buggy" missing.sched -o out.sched
expect_bad minimize-unwritable minimize "$buggy" padded.sched -o no_such_dir/out.sched

# expect_minimized NAME INPUT ARGS...: exit 1, a before/after line, and OUT
# written with the input's finding kind, to which it replays.
expect_minimized() {
    local name=$1 input=$2
    shift 2
    local out="$work/$name.min.sched" status
    (cd "$work" && "$sim" minimize "$buggy" "$input" -o "$out" "$@" >"$work/out" 2>"$work/err")
    status=$?
    local kind verdict
    kind=$(sed -n 's/^expect //p' "$out" 2>/dev/null)
    verdict=$("$sim" replay "$buggy" "$out" --quiet 2>&1 | tail -n 1)
    if [[ $status -ne 1 ]]; then
        echo "FAIL minimize: $name: exit $status, expected 1: $(head -c 300 "$work/err")"
    elif [[ ! -s "$out" || "$kind" != irq-unsafe-lock ]]; then
        echo "FAIL minimize: $name: $out not written with 'expect irq-unsafe-lock'"
    elif [[ "$verdict" != "replay $buggy: $kind (expected $kind: match)" ]]; then
        echo "FAIL minimize: $name: the output replays to: $verdict"
    elif ! grep -Eq "^minimize $buggy: $kind at .*: [0-9]+ decisions? -> [0-9]+ \([0-9]+ bytes -> [0-9]+ bytes\), [0-9]+ replays$" "$work/out"; then
        echo "FAIL minimize: $name: no before/after line: $(tail -n 2 "$work/out")"
    else
        echo "PASS minimize: $name: $(grep "^minimize " "$work/out")"
    fi
}
expect_minimized schedule padded.sched
expect_minimized raw-fuzzer-input crash.bin --raw --quiet
if [[ $(grep -Ec '^[0-9]+ ' "$work/schedule.min.sched") -le 2 ]]; then
    echo "PASS minimize: the padded schedule lost its useless decisions"
else
    echo "FAIL minimize: $(grep -Ec '^[0-9]+ ' "$work/schedule.min.sched") decisions left of 5"
fi
if "$sim" minimize --help >/dev/null 2>&1; then
    echo "PASS help: sim minimize --help exits 0"
else
    echo "FAIL help: sim minimize --help"
fi

# Traces name addresses by the object they point at: a queued lock's tail
# and queue links never print as digits, and the variants print alike.
"$sim" replay stats_queued "$root/scenarios/stats_queued.sched" --trace >"$work/trace.plain" 2>&1
"$root/build/sim-asan" replay stats_queued "$root/scenarios/stats_queued.sched" --trace >"$work/trace.asan" 2>&1
if grep -Eq '0x[0-9a-f]{9,}' "$work/trace.plain"; then
    echo "FAIL trace: an address in the trace: $(grep -Em1 '0x[0-9a-f]{9,}' "$work/trace.plain")"
elif ! grep -q 'xchg ext->StatsLock 0x0->&obj#' "$work/trace.plain"; then
    echo "FAIL trace: the queued lock's tail is not named: $(grep -m1 xchg "$work/trace.plain")"
elif ! cmp -s "$work/trace.plain" "$work/trace.asan"; then
    echo "FAIL trace: the plain and ASan traces of stats_queued differ"
else
    echo "PASS trace: queued-lock links print as the objects they point at, alike in plain and ASan"
fi
