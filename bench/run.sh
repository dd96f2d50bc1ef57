#!/usr/bin/env bash
# run.sh: `./build.sh bench [--quick]`, the whole bench table: the machine's
# sections (build/bench: fiber switch, step cost, each lock family against
# native, scale), fuzzing (bench/fuzz.sh), each strategy's runs to the first
# finding (bench/strategies.sh), stress testing against spinsim
# (bench/stress_vs_sim.sh) and the mutation score of the lock code
# (bench/mutation.sh). Every line is also kept as a row and written to
# bench/results.json (the snapshot of the last full run, committed; a
# --quick run writes build/bench-results-quick.json instead). --quick:
# fewer repeats, runs and seeds, and the per-scenario tables on
# QUICK_SCENARIOS only, every section still there (under a minute once
# built). Never part of the pass/fail tests: these machines are noisy.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
quick=()
mode=full
if [[ $# -eq 1 && $1 == --quick ]]; then
    quick=(--quick)
    mode=quick
elif [[ $# -ne 0 ]]; then
    echo "usage: ./build.sh bench [--quick]" >&2
    exit 2
fi
make -s -j"$(nproc)" bench build/sim
BENCH_ROWS=$(mktemp)
export BENCH_ROWS
trap 'rm -f "$BENCH_ROWS"' EXIT
# The scenarios the per-scenario tables keep in a quick run: a plain
# misuse, a lock-order cycle, a wrong owner, a lost wakeup, and one correct
# scenario for the table of silent ones.
if [[ $mode == quick ]]; then
    export BENCH_SCENARIOS="double_release abc_cycle release_other_cpu drain_lost_wakeup ring_rx"
    export DFS_RUNS=2000
fi

# timed PART COMMAND...: runs a part of the table and notes its wall time.
took=()
timed() {
    local part=$1 start=$SECONDS
    shift
    "$@"
    took+=("$part $((SECONDS - start)) s")
}
strategies() {
    echo
    echo "runs to the first finding, per strategy (bench/strategies.sh)"
    bash bench/strategies.sh "${quick[@]}" | bash bench/table_rows.sh "runs to the first finding, per strategy" runs
}
# The mutation table as mutation.sh prints it, then its score as a row.
mutations() {
    echo
    echo "the mutation score of locks/ (bench/mutation.sh)"
    local out killed total share
    out=$(bash bench/mutation.sh "${quick[@]}")
    printf '%s\n' "$out"
    read -r killed total share < <(sed -n 's|^mutation score of locks/: \([0-9]*\) of \([0-9]*\) mutants killed (\([0-9.]*\)%.*|\1 \2 \3|p' <<<"$out")
    build/bench row "the mutation score of locks/" "mutants the scenario suite kills ($killed of $total)" "$share" % \
        ">= 90%" "$(awk -v s="$share" 'BEGIN { printf "%.3f", s / 90 }')" ""
}
timed build/bench build/bench "${quick[@]}"
timed fuzz.sh bash bench/fuzz.sh "${quick[@]}"
timed strategies.sh strategies
timed stress_vs_sim.sh bash bench/stress_vs_sim.sh "${quick[@]}"
timed mutation.sh mutations

out=bench/results.json
[[ $mode == full ]] || out=build/bench-results-quick.json
build/bench json "$BENCH_ROWS" "$mode" >"$out.new"
mv "$out.new" "$out"
echo
echo "bench: $(wc -l <"$BENCH_ROWS") rows in $out; wall time: $(printf '%s, ' "${took[@]}")"
