#!/usr/bin/env bash
# fuzz.sh: the fuzzing benchmarks, a table with ratios measured in this run:
# exec/s per core on the 4-CPU scenario (ISR, DPC, two threads) in the
# sanitizer build and in a build without sanitizers, each with race
# detection and without it (race_detection=0); RSS after 1M executions
# against after 10k; and, per buggy scenario, the executions and seconds to
# the first finding (median of 5 seeds) with and without interleaving
# coverage, and with libFuzzer's byte mutator instead of fuzz/mutate.c.
# Never part of the pass/fail tests: these machines are noisy.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make -s -j"$(nproc)" fuzz build/sim
# The scenario targets with libFuzzer's byte mutations instead of ours.
make -s -j"$(nproc)" fuzz BUILD=build/bench-bytes FUZZ_MUTATOR=
# The same targets without sanitizers, to show what ASan + UBSan cost.
make -s -j"$(nproc)" "build/bench-fuzz/fuzz/rx_4cpu_fuzzer" BUILD=build/bench-fuzz \
    FUZZ_CFLAGS="-O2 -fsanitize=fuzzer-no-link" FUZZ_ENGINE=-fsanitize=fuzzer

# calc, stat and first_finding.
source "$root/bench/fuzz_lib.sh"

# run_stats BINARY RUNS SEED [PARAMS]: executes an empty corpus run with
# SPINSIM_FUZZ_PARAMS=PARAMS, prints "execs/s rss_mb". The rate is per
# second of the process's own CPU time (user and system, startup included),
# so that whatever else runs on the machine does not count; libFuzzer's
# own divides wall time in whole seconds.
run_stats() {
    local dir="$work/run.$RANDOM" user system TIMEFORMAT='%3U %3S'
    mkdir -p "$dir"
    { time (cd "$dir" && SPINSIM_FUZZ_PARAMS=${4:-} "$root/$1" -runs="$2" -seed="${3:-1}" -print_final_stats=1 \
        -max_len=256 >log 2>&1); } 2>"$dir/cpu" || true
    read -r user system <"$dir/cpu"
    echo "$(calc "$(stat number_of_executed_units "$dir/log") / ($user + $system)") $(stat peak_rss_mb "$dir/log")"
}

# middle WORDS...: the median of three numbers.
middle() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

# rates BINARY: the median exec/s of three runs of 200k executions (seeds
# 1-3) with race detection, then without it (race_detection=0). Each seed
# runs both in turn, so that both meet the same load on this machine.
rates() {
    local on=() off=() seed r
    for seed in 1 2 3; do
        read -r r _ < <(run_stats "$1" 200000 "$seed")
        on+=("$r")
        read -r r _ < <(run_stats "$1" 200000 "$seed" race_detection=0)
        off+=("$r")
    done
    echo "$(middle "${on[@]}") $(middle "${off[@]}")"
}

printf '%-52s %14s %14s %s\n' "measure" "value" "goal" "ratio"
read -r asan_rate asan_off < <(rates build/fuzz/rx_4cpu_fuzzer)
read -r plain_rate plain_off < <(rates build/bench-fuzz/fuzz/rx_4cpu_fuzzer)
printf '%-52s %12.0f/s %12s/s %.2f of goal\n' "exec/s per core, rx_4cpu, ASan+UBSan (median of 3)" "$asan_rate" \
    ">= 20000" "$(calc "$asan_rate / 20000")"
printf '%-52s %12.0f/s %12s/s %.2f of goal; %.2fx the ASan build\n' "exec/s per core, rx_4cpu, no sanitizer" \
    "$plain_rate" ">= 20000" "$(calc "$plain_rate / 20000")" "$(calc "$plain_rate / $asan_rate")"
# race_row LABEL ON OFF: exec/s without race detection, and what it costs.
race_row() {
    printf '%-52s %12.0f/s %14s race detection costs %.2fx\n' "the same, race_detection=0, $1" "$3" "cost <= 2x" \
        "$(calc "$3 / $2")"
}
race_row "ASan+UBSan" "$asan_rate" "$asan_off"
race_row "no sanitizer" "$plain_rate" "$plain_off"
# rss_row LABEL BINARY: peak RSS after 1M executions against after 10k.
rss_row() {
    local rss_small rss_large
    read -r _ rss_small < <(run_stats "$2" 10000)
    read -r _ rss_large < <(run_stats "$2" 1000000)
    printf '%-52s %10s MB %14s %+.1f%% (after 10k: %s MB)\n' "RSS after 1M execs, $1" "$rss_large" "< +10%" \
        "$(calc "($rss_large - $rss_small) * 100 / $rss_small")" "$rss_small"
}
rss_row "ASan+UBSan" build/fuzz/rx_4cpu_fuzzer
# ASan holds freed memory in a 256 MB quarantine: without it, what is left is ours.
ASAN_OPTIONS=quarantine_size_mb=0 rss_row "ASan+UBSan, no quarantine" build/fuzz/rx_4cpu_fuzzer
rss_row "no sanitizer" build/bench-fuzz/fuzz/rx_4cpu_fuzzer

# median of the words on stdin ("none" sorts last)
median() { tr ' ' '\n' | sed 's/^none$/999999999/' | sort -g | sed -n 3p | sed 's/^999999999$/none/'; }

# Three ways to fuzz: the targets as built (event mutator, interleaving
# coverage), without interleaving coverage, and with libFuzzer's byte
# mutations instead of fuzz/mutate.c.
columns=("build 1" "build 0" "build/bench-bytes 1")
printf '\n%-22s %25s %25s %25s %s\n' "time to first finding" "event mutator" "event mutator," \
    "byte mutator" "execs ratio"
printf '%-22s %25s %25s %25s %s\n' "(median of 5 seeds)" "+ interleaving coverage" "code coverage only" \
    "+ interleaving coverage" "bytes / events"
printf '%-22s' ""
for _ in "${columns[@]}"; do printf ' %12s %12s' execs seconds; done
echo
for pinned in scenarios/*.sched; do
    name=$(basename "$pinned" .sched)
    # Only errors crash a target: a correct scenario, or one that only
    # breaks DDI rules (its pinned schedule replays with exit 0), has none.
    build/sim replay "$name" "$pinned" --quiet >/dev/null 2>&1 && continue
    printf '%-22s' "$name"
    medians=()
    for column in "${columns[@]}"; do
        read -r build interleaving <<<"$column"
        execs="" seconds=""
        for seed in 1 2 3 4 5; do
            read -r e s _ < <(first_finding "$build" "$name" "$interleaving" "$seed")
            execs="$execs $e"
            seconds="$seconds $s"
        done
        medians+=("$(median <<<"${execs# }")")
        printf ' %12s %12.2f' "${medians[-1]}" "$(median <<<"${seconds# }")"
    done
    if [[ "${medians[0]}" != none && "${medians[2]}" != none ]]; then
        printf ' %.1fx' "$(calc "${medians[2]} / ${medians[0]}")"
    fi
    echo
done
