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

# Every finding of `run --all` replays from the schedule it wrote, to the same
# verdict (the schedule of a rule names the rules its run noted).
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
    if [[ "$verdict" =~ ^"replay $name: $kind"( \([0-9]+ rules?\))?" (expected $kind: match)"$ ]]; then
        echo "PASS replay round trip: $name $kind"
    else
        echo "FAIL replay round trip: $name: $verdict"
    fi
done
# A scenario expecting none that breaks only DDI rules is ok, with its count;
# --strict makes it a mismatch.
if grep -Eq '^doorbell_isr_lock +none +none \(4 rules\) +ok$' "$work/all.out"; then
    echo "PASS run --all: rules only meet 'none': $(grep '^doorbell_isr_lock' "$work/all.out")"
else
    echo "FAIL run --all: doorbell_isr_lock: $(grep '^doorbell_isr_lock' "$work/all.out")"
fi
(cd "$work/all" && "$sim" run --all --runs 20 --strict >"$work/strict.out" 2>&1)
status=$?
if [[ $status -eq 1 ]] && grep -Eq '^doorbell_isr_lock +none +none \(4 rules\) +MISMATCH$' "$work/strict.out" &&
    grep -Eq '^stats_try_release +release-wrong-family +release-wrong-family \(1 rule\) +ok$' "$work/strict.out"; then
    echo "PASS run --all --strict: exit 1, rules only no longer meet 'none'"
else
    echo "FAIL run --all --strict: exit $status: $(grep -E '^(doorbell|stats_try)' "$work/strict.out")"
fi

# Every bundled scenario under random, PCT and bounded DFS with a small budget: a
# correct one stays silent (rules aside), a buggy one finds its expected kind
# or, within the budget, nothing; never another kind.
for strategy in random pct dfs; do
    (cd "$work/all" && "$sim" run --all --strategy $strategy --runs 20 >"$work/all-$strategy.out" 2>&1)
    verdicts=$(awk 'NR > 1 && NF >= 4 && $1 !~ /^[0-9]+$/ {
        if ($3 == $2) found++; else if ($2 != "none" && $3 == "none") missed++; else { bad++; print "  " $0 }
        total++ }
        END { printf "%d %d %d %d\n", total, found + 0, missed + 0, bad + 0 }' "$work/all-$strategy.out")
    read -r total found missed bad <<<"$(tail -n 1 <<<"$verdicts")"
    if [[ $total -eq $(grep -c . <<<"$("$sim" list)") && $bad -eq 0 ]]; then
        echo "PASS run --all --strategy $strategy --runs 20: $found of $total as expected, $missed bugs not reached, no other verdict"
    else
        echo "FAIL run --all --strategy $strategy --runs 20: $total scenarios, $bad with another verdict: $(head -n 3 <<<"$verdicts")"
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

# Rules warn, errors fail (docs/design.md, "Severity and stopping"). expect_run
# NAME STATUS ARGS...: `sim ARGS` in its own folder exits STATUS; its output
# is in $work/NAME.out and its reports in $work/NAME/reports.
expect_run() {
    local name=$1 expected=$2
    shift 2
    mkdir -p "$work/$name"
    (cd "$work/$name" && "$sim" "$@" >"$work/$name.out" 2>"$work/$name.err")
    local status=$?
    if [[ $status -ne $expected ]]; then
        echo "FAIL $name: exit $status, expected $expected: $(head -c 300 "$work/$name.err")"
        return 1
    fi
}
# check NAME DESCRIPTION TEST...: PASS or FAIL on the test's outcome.
check() {
    local name=$1 what=$2
    shift 2
    if "$@"; then
        echo "PASS $name: $what"
    else
        echo "FAIL $name: $what: $(head -c 400 "$work/$name.out" 2>/dev/null)"
    fi
}
count_rules() { grep -c '^  rule ' "$work/$1.out"; }

# The fairness lines describe the exploration's last run in every report
# format: a trace or HTML report replays the rule's run (run 1 of 200 here,
# whose waits differ) before they are printed.
mkdir -p "$work/fairness"
fairness_of() { (cd "$work/fairness" && "$sim" run stats_try_release --runs 200 --seed 1 "$@" 2>/dev/null | grep '^  fairness'); }
fairness_text=$(fairness_of)
for format in trace html; do
    fairness_other=$(fairness_of --report "$format")
    if [[ -n $fairness_text && $fairness_other == "$fairness_text" ]]; then
        echo "PASS fairness: --report $format prints the last run's fairness, as --report text does"
    else
        echo "FAIL fairness: --report $format prints '$fairness_other', --report text '$fairness_text'"
    fi
done

# The two patterns of the issue explore every run and exit 0; each distinct
# rule is noted once with its runs and gets a report and schedule.
if expect_run rules-try 0 run stats_try_release --runs 50; then
    check rules-try "50 runs, one rule note, its report and schedule written" \
        eval '[[ $(count_rules rules-try) -eq 1 ]] &&
        grep -Eq "^scenario stats_try_release: no error, 1 rule$" "$work/rules-try.out" &&
        grep -Eq "^  rule +release-wrong-family at scenarios/stats_try_release.c:[0-9]+ in [0-9]+ of 50 runs, first in run 1$" "$work/rules-try.out" &&
        grep -Eq "^  50 runs, strategy portfolio, seed 1," "$work/rules-try.out" &&
        [[ $(ls "$work"/rules-try/reports/stats_try_release-release-wrong-family.rule-????????.txt | wc -l) -eq 1 &&
        $(ls "$work"/rules-try/reports/stats_try_release-release-wrong-family.rule-????????.txt.sched | wc -l) -eq 1 &&
        ! -e "$work"/rules-try/reports/stats_try_release-release-wrong-family.txt ]]'
fi
expect_run rules-try-strict 1 run stats_try_release --runs 50 --strict &&
    echo "PASS rules-try-strict: --strict makes a rule exit 1"
if expect_run rules-isr 0 run doorbell_isr_lock --runs 30; then
    check rules-isr "four rule notes, in every one of 30 runs" \
        eval '[[ $(count_rules rules-isr) -eq 4 && $(grep -c " in 30 of 30 runs, first in run 1$" "$work/rules-isr.out") -eq 4 ]]'
fi
expect_run rules-isr-strict 1 run doorbell_isr_lock --runs 30 --strict &&
    echo "PASS rules-isr-strict: --strict makes a rule exit 1"

# The default strategy is the portfolio; its summary names the member that
# made the finding's run, and `--strategy portfolio` is the same exploration.
if expect_run portfolio-default 1 run drain_lost_wakeup --quiet &&
    expect_run portfolio-named 1 run drain_lost_wakeup --quiet --strategy portfolio; then
    check portfolio "the default names the finding's member, and is --strategy portfolio" \
        eval 'grep -Eq "^  4 runs, strategy portfolio \(run 4: pct depth 2\), seed 1, " "$work/portfolio-default.out" &&
        cmp -s "$work/portfolio-default.out" "$work/portfolio-named.out"'
fi

# --allow by site silences that site only; by kind, every site. The allow is
# written into the rules' schedules.
isr_line=$(grep -n 'KeAcquireSpinLockAtDpcLevel(&Ext->MaskLock)' "$root/scenarios/doorbell_isr_lock.c" | head -n 1 | cut -d: -f1)
if expect_run allow-site 0 run doorbell_isr_lock --runs 10 --allow "irql-violation@doorbell_isr_lock.c:$isr_line"; then
    check allow-site "three rules left, none at line $isr_line, the allow in every schedule" \
        eval '[[ $(count_rules allow-site) -eq 3 ]] && ! grep -q "doorbell_isr_lock.c:$isr_line " "$work/allow-site.out" &&
        [[ $(grep -l "^allow irql-violation@doorbell_isr_lock.c:$isr_line$" "$work"/allow-site/reports/*.sched | wc -l) -eq 3 ]]'
fi
if expect_run allow-kind 0 run doorbell_isr_lock --runs 10 --allow irql-violation --strict; then
    check allow-kind "no rule left, so --strict passes" eval 'grep -q "^scenario doorbell_isr_lock: no finding$" "$work/allow-kind.out"'
fi

# replay takes --allow beside the schedule's own; exit 0 for rules, 1 with --strict.
pinned="$root/scenarios/doorbell_isr_lock.sched"
if expect_run replay-rules 0 replay doorbell_isr_lock "$pinned"; then
    check replay-rules "the pinned rule schedule matches, four notes" eval '[[ $(count_rules replay-rules) -eq 4 ]] &&
        [[ $(tail -n 1 "$work/replay-rules.out") == "replay doorbell_isr_lock: irql-violation (4 rules) (expected irql-violation: match)" ]]'
fi
expect_run replay-rules-strict 1 replay doorbell_isr_lock "$pinned" --strict &&
    echo "PASS replay-rules-strict: --strict makes a rule exit 1"
if expect_run replay-allow 0 replay doorbell_isr_lock "$pinned" --allow "irql-violation@doorbell_isr_lock.c:$isr_line"; then
    check replay-allow "--allow on replay silences its site" eval '[[ $(count_rules replay-allow) -eq 3 ]]'
fi
if expect_run replay-allow-kind 0 replay doorbell_isr_lock "$pinned" --allow irql-violation; then
    check replay-allow-kind "--allow on replay silences the kind" eval '[[ $(tail -n 1 "$work/replay-allow-kind.out") == "replay doorbell_isr_lock: none (expected irql-violation: differs)" ]]'
fi

# minimize honours --allow and writes it into its output.
if expect_run minimize-allow 1 minimize "$buggy" "$work/padded.sched" -o "$work/min-allow.sched" --allow irql-violation --quiet; then
    check minimize-allow "the output keeps the finding and names the allow" \
        eval 'grep -q "^allow irql-violation$" "$work/min-allow.sched" && grep -q "^expect irq-unsafe-lock$" "$work/min-allow.sched"'
fi

# test DIR: allow lines are honoured, rules meet 'none', an unknown parameter fails.
mkdir -p "$work/pinned"
header=$(grep -v '^expect' "$pinned")
printf '%s\nallow irql-violation\nexpect none\n' "$header" >"$work/pinned/allowed.sched"
printf '%s\nexpect none\n' "$header" >"$work/pinned/rules.sched"
printf '%s\nparam bogus 1\nexpect irql-violation\n' "$header" >"$work/pinned/unknown.sched"
if expect_run test-rules 1 test "$work/pinned"; then
    check test-rules "allow honoured, rules meet none, an unknown parameter fails" eval '
        grep -q "^PASS .*/allowed.sched: none$" "$work/test-rules.out" &&
        grep -q "^PASS .*/rules.sched: none (4 rules)$" "$work/test-rules.out" &&
        grep -q "^FAIL .*/unknown.sched: unknown parameter '"'"'bogus'"'"' for scenario doorbell_isr_lock (known: " "$work/test-rules.out" &&
        grep -q "^2 passed, 1 failed$" "$work/test-rules.out"'
fi

# Bad allows and unknown parameters: exit 2, one line, nothing written.
printf 'spinsim-schedule 1\nscenario ring_rx\nallow crash\nexpect none\n' >"$work/allow-crash.sched"
printf 'spinsim-schedule 1\nscenario ring_rx\nallow data-race@ring_rx.c\nexpect none\n' >"$work/allow-noline.sched"
printf 'spinsim-schedule 1\nscenario ring_rx\nparam ctx_steps_max 5\nexpect none\n' >"$work/unknown-param.sched"
expect_bad run-allow-no-line run ring_rx --allow data-race@ring_rx.c
expect_bad run-allow-line-zero run ring_rx --allow data-race@ring_rx.c:0
expect_bad run-allow-no-file run ring_rx --allow data-race@:12
expect_bad run-allow-none run ring_rx --allow none
expect_bad run-allow-crash run ring_rx --allow crash
expect_bad run-allow-hang run ring_rx --allow hang
expect_bad replay-allow-bad replay ring_rx good.sched --allow stack-overflow
expect_bad replay-allow-line-crash replay ring_rx allow-crash.sched
expect_bad replay-allow-line-no-line replay ring_rx allow-noline.sched
expect_bad run-unknown-param run ring_rx --param ctx_steps_max=5
expect_bad run-all-unknown-param run --all --runs 20 --param ctx_steps_max=5
expect_bad replay-unknown-param replay ring_rx unknown-param.sched
expect_bad minimize-unknown-param minimize ring_rx unknown-param.sched -o out.sched
known="cpus, dpc_watchdog_cumulative_steps, dpc_watchdog_steps, fair_wake_latency, liveness_from_step, progress_steps_max, race_detection, starvation_bypass, steps_max"
(cd "$work" && "$sim" run ring_rx --param ctx_steps_max=5 2>"$work/err" >/dev/null)
check unknown-param "the one line lists the known keys, sorted" \
    eval '[[ "$(cat "$work/err")" == "sim run: unknown parameter '"'"'ctx_steps_max'"'"' for scenario ring_rx (known: $known)" ]]'
(cd "$work" && "$sim" replay ring_rx allow-noline.sched 2>"$work/err" >/dev/null)
check allow-line "a bad allow line is named" \
    eval 'grep -q "^sim replay: allow-noline.sched: line 3: '"'"'data-race@ring_rx.c'"'"' is not KIND or KIND@FILE:LINE" "$work/err"'
(cd "$work" && "$sim" replay ring_rx allow-crash.sched 2>"$work/err" >/dev/null)
check allow-crash "an allow of crash is refused on its line" \
    eval '[[ "$(cat "$work/err")" == "sim replay: allow-crash.sched: line 3: crash cannot be allowed: it ends its context, so it is always reported" ]]'

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

# Progress of a long exploration goes to stderr, never stdout: a plain line
# per interval (SPINSIM_PROGRESS_SECONDS=0: after every run), none for a
# short run by default; on a terminal, one live line.
(cd "$work" && SPINSIM_PROGRESS_SECONDS=0 "$sim" run ring_rx --runs 5 >"$work/progress.out" 2>"$work/progress.err")
lines=$(grep -Ec '^run ring_rx  [0-9]+:[0-9]{2}  [1-5] runs  [0-9]+ runs/s  portfolio budget [0-9]+%  findings in 0 runs$' "$work/progress.err")
if [[ $lines -eq 5 ]] && ! grep -q 'runs/s' "$work/progress.out" && grep -q '^scenario ring_rx: no finding' "$work/progress.out"; then
    echo "PASS progress: a plain line per run on stderr with SPINSIM_PROGRESS_SECONDS=0, stdout unchanged"
else
    echo "FAIL progress: $lines progress lines on stderr: $(head -c 300 "$work/progress.err")"
fi
(cd "$work" && SPINSIM_PROGRESS_SECONDS=0 "$sim" run ring_rx --strategy dfs --runs 3 2>&1 >/dev/null | tail -n 1) >"$work/progress.dfs"
if grep -Eq '^run ring_rx .* 3 runs .* dfs tree explored ~[0-9]+%  findings in 0 runs$' "$work/progress.dfs"; then
    echo "PASS progress: dfs shows how much of the tree it explored"
else
    echo "FAIL progress: dfs: $(cat "$work/progress.dfs")"
fi
# DFS reduces by default and says so; --no-reduction explores every order.
# stats_queued at bound 2: 408 schedules reduced, 850 not (test_reduction.c
# pins smaller spaces).
for reduction in on off; do
    flag=$([[ $reduction == off ]] && echo --no-reduction)
    runs=$([[ $reduction == off ]] && echo 850 || echo 408)
    (cd "$work" && "$sim" run stats_queued --strategy dfs --quiet $flag >"$work/dfs.$reduction" 2>/dev/null)
    if grep -Eq "^  $runs runs, strategy dfs, seed 1, preemption bound 2, reduction $reduction, space exhausted," \
        "$work/dfs.$reduction"; then
        echo "PASS run --strategy dfs: reduction $reduction, $runs schedules to exhaust stats_queued"
    else
        echo "FAIL run --strategy dfs: reduction $reduction: $(grep 'strategy dfs' "$work/dfs.$reduction")"
    fi
done
# --preemptions none: every schedule, the reduction dynamic; fordpc_threaded
# is exhausted in 194 schedules (8683 without reduction); a negative bound
# is bad input.
(cd "$work" && "$sim" run fordpc_threaded --strategy dfs --preemptions none --quiet >"$work/dfs.none" 2>/dev/null)
(cd "$work" && "$sim" run fordpc_threaded --strategy dfs --preemptions -1 >/dev/null 2>"$work/dfs.bad")
bad_status=$?
if grep -Eq '^  194 runs, strategy dfs, seed 1, no preemption bound, reduction on, space exhausted,' "$work/dfs.none" &&
    [[ $bad_status == 2 && $(wc -l <"$work/dfs.bad") == 1 ]]; then
    echo "PASS run --preemptions none: fordpc_threaded exhausted in 194 schedules; -1 is exit 2"
else
    echo "FAIL run --preemptions none: $(grep 'strategy dfs' "$work/dfs.none"); -1: $bad_status $(cat "$work/dfs.bad")"
fi
# An ISR's site is symbolized only once something reads it: runs of rx_4cpu
# (an interrupt, no finding) start no symbolizer, and a report whose steps
# show the ISR's own line (isr_shares_dpc_lock.c:26) starts it once.
mkdir -p "$work/deferred"
printf '#!/bin/sh\necho "$*" >>"%s/deferred/asked"\nexec llvm-symbolizer "$@"\n' "$work" >"$work/deferred/symbolizer"
chmod +x "$work/deferred/symbolizer"
asked_by() {
    rm -f "$work/deferred/asked"
    (cd "$work/deferred" && SPINSIM_SYMBOLIZER="$work/deferred/symbolizer" "$sim" run "$@" >/dev/null 2>&1)
    [[ -f "$work/deferred/asked" ]] && wc -l <"$work/deferred/asked" || echo 0
}
asked_clean=$(asked_by rx_4cpu --runs 20)
asked_report=$(asked_by isr_shares_dpc_lock -o "$work/deferred/report")
if [[ $asked_clean -eq 0 && $asked_report -eq 1 ]] &&
    grep -q 'I2@5 or IsrlIsr.SpinLock 0x0->0x5 :26' "$work/deferred/report"; then
    echo "PASS symbolizer: an ISR's site waits for a reader: 0 starts for 20 clean runs, 1 for a report showing it"
else
    echo "FAIL symbolizer: starts for 20 clean runs of rx_4cpu: $asked_clean (expected 0), for a report: $asked_report (expected 1)"
fi
(cd "$work" && "$sim" run ring_rx --runs 5 >/dev/null 2>"$work/progress.quiet")
[[ ! -s "$work/progress.quiet" ]] && echo "PASS progress: a short run prints no progress off a terminal" ||
    echo "FAIL progress: a short run printed: $(head -c 200 "$work/progress.quiet")"
if command -v script >/dev/null; then
    (cd "$work" && SPINSIM_PROGRESS_SECONDS=0 script -qc "$sim run ring_rx --runs 3" /dev/null >"$work/progress.tty")
    if grep -q $'\r\e\[Krun ring_rx .* 3 runs ' "$work/progress.tty" && grep -q $'\r\e\[Kscenario ring_rx: no finding' "$work/progress.tty"; then
        echo "PASS progress: on a terminal one live line, redrawn in place and cleared at the end"
    else
        echo "FAIL progress: on a terminal: $(head -c 300 "$work/progress.tty" | cat -v)"
    fi
else
    echo "SKIP progress: on a terminal: script(1) is not installed"
fi

