#!/usr/bin/env bash
# stress_vs_sim.sh [--quick]: time to bug, stress testing against spinsim,
# a section of the bench table (bench/run.sh). For each bundled buggy
# scenario whose code the native backend runs (build/native-scenario/NAME
# links: pinned threads, targeted DPCs, the native lock families), the
# native stress test (bench/native/stress_harness.c: the same code on real
# threads, random delays, Driver Verifier's owner check, a 1 s no-progress
# watchdog) runs for BUDGET seconds per seed; its median wall time to the
# first detection and the share of seeds that detect anything within the
# budget are set against the wall time of spinsim's default run (`sim run
# NAME`), of PCT (`--strategy pct`, median over the seeds) and of fuzzing
# (the scenario's libFuzzer target from an empty corpus, as bench/fuzz.sh
# runs it, median over the seeds), each a whole process, startup included.
# The ratio is stress over the default run, goal >= 100x; when stress finds
# it in fewer than half the seeds, the budget stands in for its median and
# the ratio is a lower bound. Full: five seeds of 5 s; --quick: two seeds
# of 1 s for stress and one for PCT and fuzzing, and only the scenarios in
# $BENCH_SCENARIOS. Never part of the pass/fail tests.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bench=$root/build/bench
if [[ ${1:-} == --quick ]]; then
    seeds=(1 2) sim_seeds=(1) budget_ms=1000
else
    seeds=(1 2 3 4 5) sim_seeds=(1 2 3 4 5) budget_ms=5000
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
section="time to bug: stress testing (native, real threads) against spinsim, ${#seeds[@]} seeds"
section+=" of $((budget_ms / 1000)) s"

# The native-capable buggy scenarios: the plainest misuses first.
candidates=(double_release release_unheld release_other_cpu abc_cycle)
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
for name in "${scenarios[@]}"; do
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
        "within $((budget_ms / 1000)) s each"
    # The default run stops at the first error, exit 1, and names it.
    default=$(wall "$root/build/sim" run "$name" --quiet)
    default_kind=$(sed -n "s/^scenario $name: \([a-z-]*\) in run.*/\1/p; s/^scenario $name: no finding.*/none/p" "$work/out" | head -n 1)
    reference=$stress_median note="stress over this"
    if [[ $stress_median == none ]]; then
        reference=$(calc "$budget_ms / 1000") note="at least: stress found it in under half the seeds"
    fi
    row "$name: spinsim, default run" "$default" s ">= 100x" "$(calc "$reference / $default")" \
        "$note; found ${default_kind:-?}"
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
