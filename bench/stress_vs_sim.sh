#!/usr/bin/env bash
# stress_vs_sim.sh [--quick]: time to bug, stress testing against spinsim,
# a section of the bench table (bench/run.sh). For each bundled buggy
# scenario (its pinned schedule's replay is an error), the native stress
# test (bench/native/stress_harness.c: the scenario's very code on the
# native backend, locks/native/, with each CPU a real thread holding its
# own IRQL, ISRs and DPCs raised on it by signals, random delays) runs for
# BUDGET seconds per seed and detects only what a driver's own stress test
# would see: Driver Verifier's owner check, the scenario's own invariants
# (SIM_CHECK, sim_at_end), the kernel's bug check on a DPC or thread that
# returns at the wrong IRQL, and a 1 s no-progress watchdog (a hang). Its
# median wall time to the first detection and the share of seeds that
# detect anything within the budget are set against the wall time of
# spinsim's default run (`sim run NAME`), of PCT (`--strategy pct`, median
# over the seeds) and of fuzzing (the scenario's libFuzzer target from an
# empty corpus, as bench/fuzz.sh runs it, median over the seeds), each a
# whole process, startup included. The ratio is stress over the default
# run, goal >= 100x; when stress finds it in fewer than half the seeds, the
# budget stands in for its median and the ratio is a lower bound. The
# section ends with the median ratio over all scenarios and over those not
# on every path (the first group below can only be about 1x: both tools
# find it in their first run), and the count the default run finds and
# stress never does.
#
# Every buggy scenario runs natively, in three groups (candidates, below):
# misuses on every path, which stress sees in its first run as spinsim does
# in its first (a ratio near 1x, both being process startup, or about 50x
# when the misuse hangs and stress waits out its 1 s watchdog); interleaving
# bugs, which stress sees only when real timing lines up (a hang, a misuse
# or a broken invariant), late or never; and bugs whose damage nothing in a
# stress test shows: isr_dpc_unsync and stats_unlocked_reset lose updates
# no invariant of theirs checks (spinsim's race detector sees the racing
# accesses), stats_burst's starved waiter is served in the end, and
# dpc_long_poll's stall is one pause natively (irql.c has no clock), so its
# 1 s poll of a hung device is over in milliseconds. The bundled correct
# scenarios are not in the table; those the native backend links (all but
# the five with IRPs, pool, timers, KMDF or NDIS) detect nothing natively.
#
# Full: the four scenarios the table began with (double_release,
# release_unheld, release_other_cpu, abc_cycle) keep five seeds of 5 s for
# stress and five for PCT and fuzzing, comparable with earlier snapshots;
# the others, to keep the bench under ten minutes, three seeds of 2 s and
# three for PCT and fuzzing (a hang takes the 1 s watchdog to detect, so 2
# s still leaves room to find one). --quick: two seeds of 1 s for stress
# and one for PCT and fuzzing, and only the scenarios in $BENCH_SCENARIOS.
# Never part of the pass/fail tests.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bench=$root/build/bench
quick=false
[[ ${1:-} != --quick ]] || quick=true
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
section="time to bug: stress testing (native, real threads) against spinsim"
if $quick; then
    section+=", 2 seeds of 1 s"
else
    section+=", 5 seeds of 5 s or 3 of 2 s"
fi

# The buggy scenarios in three groups, the plainest misuses first.
# Misuses on every path, seen in the first run: the owner check (the first
# four), the IRQL a routine returns at (the next eight), a hang.
every_path=(
    double_release release_unheld intlock_release_unheld queued_handle_reuse
    leaked_on_error shared_old_irql raii_from_dpc_level completion_irql_leak intlock_wrong_irql
    dpc_release_to_passive fordpc_hardcoded_irql queued_release_order
    helper_reacquires exlock_convert_release
)
# Interleaving bugs, seen when real timing lines up: a release on the wrong
# CPU, a corrupted queue, lock-order cycles, an ISR or a DPC spinning on
# what the code beneath it holds, a lost wake-up, a torn descriptor the
# device overruns.
interleaving=(
    release_other_cpu shared_queue_handle abc_cycle timers_abba abbcca abcdbdda
    queued_atdpc_from_passive queued_lower_before_release isr_takes_own_intlock isr_shares_dpc_lock
    synch_takes_dpc_lock busy_flag_spin drain_lost_wakeup mtu_wrong_lock
)
# Bugs whose damage nothing in a stress test shows (see above).
unseen=(isr_dpc_unsync stats_unlocked_reset stats_burst dpc_long_poll)
candidates=("${every_path[@]}" "${interleaving[@]}" "${unseen[@]}")
# The four scenarios the table began with keep its first budget (see above).
long_budget=" double_release release_unheld release_other_cpu abc_cycle "
scenarios=()
for name in "${candidates[@]}"; do
    [[ -z ${BENCH_SCENARIOS:-} || " $BENCH_SCENARIOS " == *" $name "* ]] || continue
    scenarios+=("$name")
done
natives=("${scenarios[@]/#/build/native-scenario/}")
fuzzers=("${scenarios[@]/#/build/fuzz/}")
make -s -j"$(nproc)" build/sim "${natives[@]}" "${fuzzers[@]/%/_fuzzer}"

# calc, median and first_finding.
source "$root/bench/fuzz_lib.sh"

# seconds_since START: wall seconds since START (`date +%s.%N`), to the
# microsecond: spinsim takes a few milliseconds.
seconds_since() { calc "$(date +%s.%N) - $1" 6; }

# wall COMMAND...: the seconds the command takes in $work, whatever it
# exits with; its output goes to $work/out.
wall() {
    local start
    start=$(date +%s.%N)
    (cd "$work" && "$@" >out 2>&1) || true
    seconds_since "$start"
}

# fuzz_seconds NAME SEED: wall seconds to the target's first finding, or "none".
fuzz_seconds() {
    local execs seconds
    read -r execs seconds _ < <(first_finding build "$1" 1 "$2" 5000000 $((budget_ms / 1000)))
    [[ $execs == none ]] && echo none || echo "$seconds"
}

row() { "$bench" row "$section" "$@"; }
"$bench" section "$section"
# For the summary: stress over spinsim's default run, per scenario, over
# all and over those that need an interleaving (or that stress never
# shows); and the scenarios spinsim's default run finds and stress never.
all_ratios=() timing_ratios=() never_by_stress=0 found_by_default=0
for name in "${scenarios[@]}"; do
    if $quick; then
        seeds=(1 2) sim_seeds=(1) budget_ms=1000
    elif [[ $long_budget == *" $name "* ]]; then
        seeds=(1 2 3 4 5) sim_seeds=(1 2 3 4 5) budget_ms=5000
    else
        seeds=(1 2 3) sim_seeds=(1 2 3) budget_ms=2000
    fi
    kind=$(sed -n 's/^expect //p' "scenarios/$name.sched")
    stress=() found=0 what=()
    for seed in "${seeds[@]}"; do
        start=$(date +%s.%N)
        read -r verdict detected _ < <(build/native-scenario/"$name" "$name" "$seed" "$budget_ms")
        seconds=$(seconds_since "$start")
        if [[ $verdict == found ]]; then
            stress+=("$seconds")
            found=$((found + 1))
            what+=("$detected")
        else
            stress+=(none)
        fi
    done
    stress_median=$(median "${stress[@]}")
    detected=nothing
    [[ $found -eq 0 ]] || detected=$(printf '%s\n' "${what[@]}" | sort -u | paste -sd ' ')
    row "$name: stress, median to detection" "${stress_median/none/-}" s - - \
        "spinsim expects $kind; stress detected: $detected"
    row "$name: stress, seeds detecting it" "$(calc "100 * $found / ${#seeds[@]}")" % - - \
        "of ${#seeds[@]}, within $((budget_ms / 1000)) s each"
    # The default run stops at the first error, exit 1, and names it.
    default=$(wall "$root/build/sim" run "$name" --quiet)
    default_kind=$(sed -n "s/^scenario $name: \([a-z-]*\) in run.*/\1/p; s/^scenario $name: no finding.*/none/p" "$work/out" | head -n 1)
    reference=$stress_median note="stress over this"
    if [[ $stress_median == none ]]; then
        reference=$(calc "$budget_ms / 1000") note="at least: stress found it in under half the seeds"
    fi
    ratio=$(calc "$reference / $default")
    row "$name: spinsim, default run" "$default" s ">= 100x" "$ratio" "$note; found ${default_kind:-?}"
    all_ratios+=("$ratio")
    [[ " ${every_path[*]} " == *" $name "* ]] || timing_ratios+=("$ratio")
    if [[ -n $default_kind && $default_kind != none ]]; then
        found_by_default=$((found_by_default + 1))
        [[ $found -gt 0 ]] || never_by_stress=$((never_by_stress + 1))
    fi
    pct=() fuzz=()
    for seed in "${sim_seeds[@]}"; do
        pct+=("$(wall "$root/build/sim" run "$name" --quiet --strategy pct --seed "$seed")")
        fuzz+=("$(fuzz_seconds "$name" "$seed")")
    done
    pct_median=$(median "${pct[@]}") fuzz_median=$(median "${fuzz[@]}")
    row "$name: spinsim, PCT (median)" "$pct_median" s ">= 100x" "$(calc "$reference / $pct_median")" "$note"
    if [[ $fuzz_median == none ]]; then
        row "$name: spinsim, fuzzing (median)" - s ">= 100x" - "not found within the budget"
    else
        row "$name: spinsim, fuzzing (median)" "$fuzz_median" s ">= 100x" "$(calc "$reference / $fuzz_median")" \
            "$note"
    fi
done

# summary_row LABEL RATIOS...: the median of stress over the default run.
summary_row() {
    local label=$1 middle
    shift
    [[ $# -gt 0 ]] || return 0
    middle=$(median "$@")
    row "stress over the default run: median, $label" "$middle" x ">= 100x" "$(calc "$middle / 100")" \
        "a lower bound where stress found it in under half the seeds"
}
summary_row "all ${#all_ratios[@]}" "${all_ratios[@]}"
summary_row "the ${#timing_ratios[@]} not on every path" "${timing_ratios[@]}"
row "found by the default run, by stress in no seed" "$never_by_stress" scenarios - - \
    "of ${#scenarios[@]}; the default run finds $found_by_default"
