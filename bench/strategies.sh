#!/usr/bin/env bash
# strategies.sh: what each exploration strategy earns, as a table: for every
# bundled buggy scenario (a pinned schedule whose replay is an error), the
# run in which `sim run` first finds its expected kind under the random
# walk and PCT (the median over seeds 1 to 3, 1000 runs each) and under DFS
# with preemption bound 2 (deterministic, up to DFS_RUNS runs). "-" means
# not found within the budget. Runs to a finding under fuzzing are
# bench/fuzz.sh's table. Never part of the pass/fail tests.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
make -s -j"$(nproc)" build/sim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
DFS_RUNS=${DFS_RUNS:-20000}

# first_run NAME KIND ARGS...: the run of the first KIND finding, or "-".
first_run() {
    local name=$1 kind=$2
    shift 2
    (cd "$work" && "$root/build/sim" run "$name" --quiet "$@" 2>/dev/null || true) |
        sed -n "s/^scenario $name: $kind in run \([0-9]*\).*/\1/p" | grep . || echo -
}

# median A B C: the middle value, "-" counting as larger than any run.
median() { printf '%s\n' "$@" | sed 's/^-$/999999999/' | sort -n | sed -n 2p | sed 's/^999999999$/-/'; }

printf '%-30s %-22s %8s %8s %8s\n' scenario expected random pct dfs
for pinned in scenarios/*.sched; do
    name=$(basename "$pinned" .sched)
    # bench/run.sh --quick keeps a few (BENCH_SCENARIOS); unset, all of them.
    [[ -z ${BENCH_SCENARIOS:-} || " $BENCH_SCENARIOS " == *" $name "* ]] || continue
    kind=$(sed -n 's/^expect //p' "$pinned")
    # Correct scenarios, and those that only break a DDI rule, have no error to find.
    if [[ $kind == none ]] || build/sim replay "$name" "$pinned" --quiet >/dev/null 2>&1; then
        continue
    fi
    random=() pct=()
    for seed in 1 2 3; do
        random+=("$(first_run "$name" "$kind" --seed "$seed")")
        pct+=("$(first_run "$name" "$kind" --strategy pct --seed "$seed")")
    done
    dfs=$(first_run "$name" "$kind" --strategy dfs --runs "$DFS_RUNS")
    printf '%-30s %-22s %8s %8s %8s\n' "$name" "$kind" "$(median "${random[@]}")" "$(median "${pct[@]}")" "$dfs"
done
