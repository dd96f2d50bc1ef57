#!/usr/bin/env bash
# fuzz.sh [--quick]: the fuzzing sections of the bench table (bench/run.sh),
# with ratios measured in this run: exec/s per core on the 4-CPU scenario
# (ISR, DPC, two threads) in the sanitizer build and in a build without
# sanitizers, each with race detection and without it (race_detection=0);
# peak RSS after many executions against after few; and, per buggy
# scenario, the executions and seconds to the first finding (median over
# seeds) with and without interleaving coverage, and with libFuzzer's byte
# mutator instead of fuzz/mutate.c. --quick: one seed, fewer executions,
# the first way of fuzzing only, and only the scenarios in
# $BENCH_SCENARIOS (all when unset). Never part
# of the pass/fail tests: these machines are noisy.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bench=$root/build/bench
if [[ ${1:-} == --quick ]]; then
    seeds=(1) rate_warm=2000 rate_execs=10000 rss_small=2000 rss_large=20000 find_seeds=(1) find_seconds=10
else
    seeds=(1 2 3) rate_warm=5000 rate_execs=50000 rss_small=10000 rss_large=1000000 find_seeds=(1 2) find_seconds=20
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The buggy scenarios: a pinned schedule whose replay is an error (only
# errors crash a target: a correct scenario, or one that only breaks DDI
# rules, has none), kept to $BENCH_SCENARIOS when set.
make -s -j"$(nproc)" build/sim
buggy=()
for pinned in scenarios/*.sched; do
    name=$(basename "$pinned" .sched)
    [[ -z ${BENCH_SCENARIOS:-} || " $BENCH_SCENARIOS " == *" $name "* ]] || continue
    build/sim replay "$name" "$pinned" --quiet >/dev/null 2>&1 || buggy+=("$name")
done
targets=(rx_4cpu "${buggy[@]}")
fuzzers=("${targets[@]/#/build/fuzz/}")
make -s -j"$(nproc)" "${fuzzers[@]/%/_fuzzer}"
# The scenario targets with libFuzzer's byte mutations instead of ours.
if [[ ${#find_seeds[@]} -gt 1 ]]; then
    fuzzers=("${buggy[@]/#/build/bench-bytes/fuzz/}")
    make -s -j"$(nproc)" BUILD=build/bench-bytes PGO_DIR=build/pgo FUZZ_MUTATOR= "${fuzzers[@]/%/_fuzzer}"
fi
# The same targets without sanitizers, to show what ASan + UBSan cost.
make -s -j"$(nproc)" "build/bench-fuzz/fuzz/rx_4cpu_fuzzer" BUILD=build/bench-fuzz PGO_DIR=build/pgo \
    FUZZ_CFLAGS="-O2 -fsanitize=fuzzer-no-link" FUZZ_ENGINE=-fsanitize=fuzzer

# calc, stat, median and first_finding.
source "$root/bench/fuzz_lib.sh"

# row NAME VALUE UNIT GOAL RATIO NOTE: a line of the current section.
section=""
row() { "$bench" row "$section" "$@"; }
start_section() {
    section=$1
    "$bench" section "$section"
}

# run_stats BINARY RUNS SEED [PARAMS]: executes an empty corpus run with
# SPINSIM_FUZZ_PARAMS=PARAMS, prints "cpu_seconds rss_mb executions". CPU
# time is the process's own (user and system, startup and children
# included), so that whatever else runs on the machine does not count;
# libFuzzer's own exec/s divides wall time in whole seconds.
run_stats() {
    local dir="$work/run.$RANDOM" user system TIMEFORMAT='%3U %3S'
    mkdir -p "$dir"
    { time (cd "$dir" && SPINSIM_FUZZ_PARAMS=${4:-} "$root/$1" -runs="$2" -seed="${3:-1}" -print_final_stats=1 \
        -max_len=256 >log 2>&1); } 2>"$dir/cpu" || true
    read -r user system <"$dir/cpu"
    echo "$(calc "$user + $system") $(stat peak_rss_mb "$dir/log") $(stat number_of_executed_units "$dir/log")"
}

# exec_rate BINARY SEED [PARAMS]: executions per CPU second once the
# fuzzer runs: the rate_execs executions that follow the first rate_warm,
# timed as the difference of two runs with the same seed (which make the
# same executions, the first rate_warm alike). libFuzzer's start (its
# tables, the symbolizer it starts for its first coverage lines) and the
# target's first executions are in both, so neither counts.
exec_rate() {
    local warm_cpu warm_execs cpu execs
    read -r warm_cpu _ warm_execs < <(run_stats "$1" "$rate_warm" "$2" "${3:-}")
    read -r cpu _ execs < <(run_stats "$1" $((rate_warm + rate_execs)) "$2" "${3:-}")
    calc "($execs - $warm_execs) / ($cpu - $warm_cpu)"
}

# rates BINARY: the median exec/s over the seeds, with race detection,
# then without it (race_detection=0). Each seed runs both in turn, so that
# both meet the same load on this machine.
rates() {
    local on=() off=() seed
    for seed in "${seeds[@]}"; do
        on+=("$(exec_rate "$1" "$seed")")
        off+=("$(exec_rate "$1" "$seed" race_detection=0)")
    done
    echo "$(median "${on[@]}") $(median "${off[@]}")"
}

start_section "fuzzing: exec/s per core of CPU time, rx_4cpu, $rate_execs execs after the first $rate_warm (median of ${#seeds[@]} seeds)"
read -r asan_rate asan_off < <(rates build/fuzz/rx_4cpu_fuzzer)
read -r plain_rate plain_off < <(rates build/bench-fuzz/fuzz/rx_4cpu_fuzzer)
row "exec/s, ASan+UBSan" "$asan_rate" "exec/s" ">= 50000" "$(calc "$asan_rate / 50000")" "of the goal"
row "exec/s, no sanitizer" "$plain_rate" "exec/s" ">= 100000" "$(calc "$plain_rate / 100000")" \
    "of the goal; $(calc "$plain_rate / $asan_rate")x the ASan build"
row "the same, race_detection=0, ASan+UBSan" "$asan_off" "exec/s" "<= 2x" "$(calc "$asan_off / $asan_rate")" \
    "race detection costs"
row "the same, race_detection=0, no sanitizer" "$plain_off" "exec/s" "<= 2x" "$(calc "$plain_off / $plain_rate")" \
    "race detection costs"

start_section "fuzzing: peak RSS after $rss_large execs against after $rss_small, rx_4cpu"
# rss_row LABEL BINARY: peak RSS after rss_large executions against after rss_small.
rss_row() {
    local small large
    read -r _ small _ < <(run_stats "$2" "$rss_small")
    read -r _ large _ < <(run_stats "$2" "$rss_large")
    row "peak RSS, $1" "$large" MB "<= 1.1x" "$(calc "$large / $small")" "of after $rss_small ($small MB)"
}
rss_row "ASan+UBSan" build/fuzz/rx_4cpu_fuzzer
# ASan holds freed memory in a quarantine (16 MB, sim/sanreport.c): without it, what is left is ours.
ASAN_OPTIONS=quarantine_size_mb=0 rss_row "ASan+UBSan, no quarantine" build/fuzz/rx_4cpu_fuzzer
rss_row "no sanitizer" build/bench-fuzz/fuzz/rx_4cpu_fuzzer


# Three ways to fuzz: the targets as built (event mutator, interleaving
# coverage), without interleaving coverage, and with libFuzzer's byte
# mutations instead of fuzz/mutate.c.
columns=("build 1 events + interleaving coverage" "build 0 events, code coverage only"
    "build/bench-bytes 1 bytes + interleaving coverage")
# A quick run keeps the first way only.
[[ ${#find_seeds[@]} -gt 1 ]] || columns=("${columns[0]}")
start_section "fuzzing: execs to the first finding (median of ${#find_seeds[@]} seeds, ${find_seconds}s each at most)"
for name in "${buggy[@]}"; do
    medians=()
    for column in "${columns[@]}"; do
        read -r build interleaving label <<<"$column"
        execs=() seconds=()
        for seed in "${find_seeds[@]}"; do
            read -r e s _ < <(first_finding "$build" "$name" "$interleaving" "$seed" 5000000 "$find_seconds")
            execs+=("$e")
            seconds+=("$s")
        done
        medians+=("$(median "${execs[@]}")")
        value=${medians[-1]/none/-}
        ratio=-
        if [[ ${#medians[@]} -eq 3 && ${medians[0]} != none && ${medians[2]} != none ]]; then
            ratio=$(calc "${medians[2]} / ${medians[0]}")
        fi
        row "$name, $label" "$value" execs - "$ratio" "in $(median "${seconds[@]}") s$([[ $ratio == - ]] ||
            echo "; bytes / events")"
    done
done
