#!/usr/bin/env bash
# strategies.sh [--quick]: what each exploration strategy earns, as two
# tables. Never part of the pass/fail tests.
#
# 1. For every bundled buggy scenario (a pinned schedule whose replay is an
#    error), the run in which `sim run` first finds its expected kind under
#    the random walk, PCT (depth 3), the portfolio (the default) and DFS with
#    preemption bound 2, and the executions libFuzzer's campaign on the
#    scenario's target makes before its first finding. Seeded strategies and
#    fuzzing: the median over SEEDS. "-" means not found within the budget.
#    The last column is the portfolio's runs over PCT's, measured here: a
#    user who knows no strategy should find what PCT finds.
# 2. For every correct scenario (it expects `none`), the verdict of each
#    strategy (seed 1) and of a short fuzz campaign: "silent" (rules aside),
#    or the kind found. DFS says "silent (all)" when it exhausted its space.
#
# Budgets, from the environment (--quick: the second value):
#   SEEDS            seeds of random, pct, portfolio and fuzzing ("1 2 3"; "1")
#   RUNS             runs of random, pct and portfolio (1000; 200)
#   DFS_RUNS         runs of DFS (20000; 2000)
#   FUZZ_RUNS        executions of a fuzz campaign on a buggy scenario (200000; 20000)
#   FUZZ_SECONDS     seconds of one such campaign at most (20; 5)
#   CLEAN_FUZZ_RUNS  executions of the campaign on a correct scenario (20000; 2000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
quick=false
case "${1:-}" in
--quick) quick=true ;;
"") ;;
*)
    echo "usage: bench/strategies.sh [--quick]" >&2
    exit 2
    ;;
esac
# budget FULL QUICK: the default of a budget in this mode.
budget() { if $quick; then echo "$2"; else echo "$1"; fi; }
SEEDS=${SEEDS:-$(budget "1 2 3" 1)}
RUNS=${RUNS:-$(budget 1000 200)}
DFS_RUNS=${DFS_RUNS:-$(budget 20000 2000)}
FUZZ_RUNS=${FUZZ_RUNS:-$(budget 200000 20000)}
FUZZ_SECONDS=${FUZZ_SECONDS:-$(budget 20 5)}
CLEAN_FUZZ_RUNS=${CLEAN_FUZZ_RUNS:-$(budget 20000 2000)}
make -s -j"$(nproc)" build/sim fuzz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# calc and first_finding.
source "$root/bench/fuzz_lib.sh"

# explore NAME ARGS...: `sim run NAME --quiet ARGS` from a scratch folder; its stdout.
explore() {
    local name=$1
    shift
    (cd "$work" && "$root/build/sim" run "$name" --quiet "$@" 2>/dev/null || true)
}

# first_run NAME KIND ARGS...: the run of the first KIND finding, or "-".
first_run() {
    local name=$1 kind=$2
    shift 2
    explore "$name" "$@" | sed -n "s/^scenario $name: $kind in run \([0-9]*\).*/\1/p" | grep . || echo -
}

# median VALUES...: the middle one ("-" and "none" after any number; of an
# even count, the lower middle).
median() {
    printf '%s\n' "$@" | sed 's/^\(-\|none\)$/999999999/' | sort -n | sed -n "$((($# + 1) / 2))p" |
        sed 's/^999999999$/-/'
}

# seeded NAME KIND STRATEGY: the median first run over SEEDS. Run 1 of the
# random walk and of the portfolio is the default schedule, the same for
# every seed: a find there stands for all of them.
seeded() {
    local name=$1 kind=$2 strategy=$3 seed run runs=()
    for seed in $SEEDS; do
        run=$(first_run "$name" "$kind" --runs "$RUNS" --seed "$seed" --strategy "$strategy")
        if [[ $run == 1 && $strategy != pct ]]; then
            echo 1
            return
        fi
        runs+=("$run")
    done
    median "${runs[@]}"
}

# fuzzed NAME: the median executions to libFuzzer's first finding over
# SEEDS. Its first execution, on an empty corpus, is the empty input
# whatever the seed: a find there stands for all of them.
fuzzed() {
    local seed execs runs=()
    for seed in $SEEDS; do
        read -r execs _ < <(first_finding build "$1" 1 "$seed" "$FUZZ_RUNS" "$FUZZ_SECONDS")
        if [[ $execs == 1 ]]; then
            echo 1
            return
        fi
        runs+=("$execs")
    done
    median "${runs[@]}"
}

# verdict NAME ARGS...: the error's kind, or "silent", with "(all)" when
# DFS exhausted its space, and "+N rules" for the distinct rules noted.
verdict() {
    local out kind rules
    out=$(explore "$@")
    kind=$(sed -n "s/^scenario $1: \([a-z-]*\) in run .*/\1/p" <<<"$out")
    rules=$(sed -n "s/^scenario $1: .*, \([0-9]*\) rules*$/ +\1 rules/p" <<<"$out")
    if [[ -n "$kind" ]]; then
        echo "$kind"
    elif grep -q 'space exhausted' <<<"$out"; then
        echo "silent (all)$rules"
    else
        echo "silent$rules"
    fi
}

# The expected verdict of every bundled scenario, as `run --all` states it.
(cd "$work" && "$root/build/sim" run --all --runs 1 2>/dev/null || true) |
    awk 'NR > 1 && NF >= 4 { print $1, $2 }' >"$work/expected"

echo "strategies: runs to the first finding (median over seeds $SEEDS; $RUNS runs, dfs $DFS_RUNS," \
    "fuzz $FUZZ_RUNS executions or ${FUZZ_SECONDS}s)"
printf '%-28s %-21s %7s %7s %9s %7s %9s %s\n' scenario expected random pct portfolio dfs fuzz "portfolio/pct"
found_random=0 found_pct=0 found_portfolio=0 found_dfs=0 found_fuzz=0 buggy=0
for pinned in scenarios/*.sched; do
    name=$(basename "$pinned" .sched)
    # bench/run.sh --quick keeps a few (BENCH_SCENARIOS); unset, all of them.
    [[ -z ${BENCH_SCENARIOS:-} || " $BENCH_SCENARIOS " == *" $name "* ]] || continue
    kind=$(sed -n 's/^expect //p' "$pinned")
    # Correct scenarios, and those that only break a DDI rule, have no error to find.
    if [[ $kind == none ]] || build/sim replay "$name" "$pinned" --quiet >/dev/null 2>&1; then
        continue
    fi
    buggy=$((buggy + 1))
    random=$(seeded "$name" "$kind" random)
    pct=$(seeded "$name" "$kind" pct)
    portfolio=$(seeded "$name" "$kind" portfolio)
    dfs=$(first_run "$name" "$kind" --strategy dfs --runs "$DFS_RUNS")
    fuzz=$(fuzzed "$name")
    ratio=-
    if [[ $portfolio != - && $pct != - ]]; then
        ratio="$(calc "$portfolio / $pct" | sed 's/\(\.[0-9]\)[0-9]*$/\1/')x"
    fi
    [[ $random == - ]] || found_random=$((found_random + 1))
    [[ $pct == - ]] || found_pct=$((found_pct + 1))
    [[ $portfolio == - ]] || found_portfolio=$((found_portfolio + 1))
    [[ $dfs == - ]] || found_dfs=$((found_dfs + 1))
    [[ $fuzz == - ]] || found_fuzz=$((found_fuzz + 1))
    printf '%-28s %-21s %7s %7s %9s %7s %9s %s\n' "$name" "$kind" "$random" "$pct" "$portfolio" "$dfs" "$fuzz" "$ratio"
done
printf '%-28s %-21s %7s %7s %9s %7s %9s\n' "found, of $buggy" "" "$found_random" "$found_pct" "$found_portfolio" \
    "$found_dfs" "$found_fuzz"

echo
echo "strategies: every correct scenario (seed 1; $RUNS runs, dfs $DFS_RUNS, fuzz $CLEAN_FUZZ_RUNS executions)"
printf '%-28s %-17s %-17s %-17s %-23s %s\n' scenario random pct portfolio dfs fuzz
# The list is read on its own descriptor: a fuzzer may read stdin.
while read -r name expected <&3; do
    [[ $expected == none ]] || continue
    [[ -z ${BENCH_SCENARIOS:-} || " $BENCH_SCENARIOS " == *" $name "* ]] || continue
    read -r _ _ fuzz_kind < <(first_finding build "$name" 1 1 "$CLEAN_FUZZ_RUNS" "$FUZZ_SECONDS")
    [[ $fuzz_kind == - ]] && fuzz_kind=silent
    printf '%-28s %-17s %-17s %-17s %-23s %s\n' "$name" "$(verdict "$name" --runs "$RUNS" --strategy random)" \
        "$(verdict "$name" --runs "$RUNS" --strategy pct)" "$(verdict "$name" --runs "$RUNS" --strategy portfolio)" \
        "$(verdict "$name" --runs "$DFS_RUNS" --strategy dfs)" "$fuzz_kind"
done 3<"$work/expected"
