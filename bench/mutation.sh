#!/usr/bin/env bash
# mutation.sh: the mutation score of the lock code. It applies each mutant
# of bench/mutants.txt alone to a copy of the tree, rebuilds build/sim, and
# runs the scenario suite against it: every pinned schedule (`sim test`)
# and every scenario's expectation under the random walk, PCT and bounded
# DFS (`sim run --all`). The suite kills a mutant when any of them fails;
# a mutant that does not compile is stillborn and not counted. It prints
# one line per mutant and the share killed (goal: at least 90%), and each
# survivor with the table's explanation of why it survives, if it has one.
#   bash bench/mutation.sh [--quick | --check | ID...]
#     --quick: only the first mutant of each class; ID...: only those mutants;
#     --check: only that every mutant's lines are found exactly once in
#     today's lock code (no build, no run: tests/bench.sh runs it)
# Part of `./build.sh bench`, never of the pass/fail tests: a mutant costs
# a rebuild and a few seconds of runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
table="$root/bench/mutants.txt"
quick=false check=false only=""
case "${1:-}" in
--quick) quick=true ;;
--check) check=true ;;
*) only="$*" ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
workers=$(nproc 2>/dev/null || echo 2)

# apply_mutant TABLE ID FILE: rewrites FILE with mutant ID of TABLE; exits
# 3 when its lines are not found exactly once (the table is stale).
apply_mutant() {
    awk -v id="$2" '
        function strip(s) { sub(/^[ \t]+/, "", s); return s }
        FNR == NR {
            if ($1 == "mutant") { inside = ($2 == id); next }
            if (!inside) next
            if (/^- /) old[n_old++] = substr($0, 3)
            else if (/^\+ /) new[n_new++] = substr($0, 3)
            next
        }
        { line[n_lines++] = $0 }
        END {
            found = -1
            for (i = 0; i + n_old <= n_lines; i++) {
                same = 1
                for (j = 0; j < n_old && same; j++)
                    same = strip(line[i + j]) == old[j]
                if (!same) continue
                if (found >= 0) exit 3
                found = i
            }
            if (n_old == 0 || found < 0) exit 3
            indent = line[found]
            sub(/[^ \t].*$/, "", indent)
            for (i = 0; i < n_lines; i++) {
                if (i == found) {
                    for (j = 0; j < n_new; j++) print indent new[j]
                    i += n_old - 1
                } else
                    print line[i]
            }
        }' "$1" "$3" >"$3.mutant" || {
        rm -f "$3.mutant"
        return 3
    }
    mv "$3.mutant" "$3"
}

# The scenario suite against TREE's build/sim, run in DIR; prints what
# failed first, or nothing when everything passed.
suite() {
    local tree=$1 dir=$2 sim="$1/build/sim"
    (cd "$dir" && timeout 300 "$sim" test "$tree/scenarios" >/dev/null 2>&1) || {
        echo pinned
        return
    }
    local strategy
    for strategy in random pct "dfs --runs 200"; do
        # shellcheck disable=SC2086 # the strategy's own options
        (cd "$dir" && timeout 300 "$sim" run --all --strategy $strategy --quiet >/dev/null 2>&1) || {
            echo "${strategy%% *}"
            return
        }
    done
}

# The mutants as "ID CLASS FILE", in table order (--quick: one per class).
mutants=$(awk '$1 == "mutant" { print $2, $3, $4 }' "$table")
if $quick; then
    mutants=$(awk '!seen[$2]++' <<<"$mutants")
elif [[ -n "$only" ]]; then
    mutants=$(awk -v only=" $only " 'index(only, " " $1 " ")' <<<"$mutants")
    if [[ -z "$mutants" ]]; then
        echo "mutation.sh: no mutant named $only in $table" >&2
        exit 2
    fi
fi

# --check: every mutant applies to a scratch copy of its file.
if $check; then
    stale=0
    while read -r id class file; do
        cp "$root/$file" "$work/file"
        if ! apply_mutant "$table" "$id" "$work/file"; then
            echo "mutation.sh: mutant $id: its lines are not found exactly once in $file" >&2
            stale=$((stale + 1))
        fi
    done <<<"$mutants"
    echo "mutation.sh: $(wc -l <<<"$mutants") mutants, $stale stale"
    [[ $stale -eq 0 ]] || exit 2
    exit 0
fi

# worker N: a tree of its own; judges every mutant whose position modulo
# `workers` is N, writing "ID VERDICT" lines to its own results file.
worker() {
    local n=$1 tree="$work/tree$1" dir="$work/run$1" i=0 id class file
    mkdir -p "$tree" "$dir"
    tar -C "$root" --exclude=./build --exclude=./.git --exclude=./reports -cf - . | tar -C "$tree" -xf -
    # The plain build's objects, with their times, and the machine's
    # profile (Makefile, PGO): only what differs rebuilds.
    if [[ -d "$root/build/obj/plain" ]]; then
        mkdir -p "$tree/build/obj"
        cp -a "$root/build/obj/plain" "$tree/build/obj/"
        if [[ -f "$root/build/pgo/machine.profdata" ]]; then
            mkdir -p "$tree/build/pgo"
            cp -a "$root/build/pgo/machine.profdata" "$tree/build/pgo/"
        fi
    fi
    make -C "$tree" -s build/sim >/dev/null 2>&1 || {
        echo "mutation.sh: the unmutated tree does not build" >&2
        exit 2
    }
    if [[ -n "$(suite "$tree" "$dir")" ]]; then
        echo "mutation.sh: the unmutated tree fails its own scenario suite" >&2
        exit 2
    fi
    while read -r id class file; do
        if ((i++ % workers != n)); then
            continue
        fi
        cp "$tree/$file" "$work/pristine$n"
        local verdict status=0
        apply_mutant "$table" "$id" "$tree/$file" || status=$?
        if ((status != 0)); then
            echo "mutation.sh: mutant $id: its lines are not found exactly once in $file" >&2
            exit 2
        fi
        if ! make -C "$tree" -s build/sim >/dev/null 2>&1; then
            verdict=stillborn
        else
            verdict=$(suite "$tree" "$dir")
            verdict=${verdict:+"killed:$verdict"}
            verdict=${verdict:-survived}
        fi
        cp "$work/pristine$n" "$tree/$file"
        echo "$id $verdict" >>"$work/results$n"
    done <<<"$mutants"
}

pids=()
for ((n = 0; n < workers; n++)); do
    worker "$n" &
    pids+=($!)
done
for pid in "${pids[@]}"; do
    wait "$pid"
done

cat "$work"/results* >"$work/results"
printf '%-34s %-13s %-22s %s\n' mutant class file verdict
total=0 killed=0 stillborn=0 explained=0
while read -r id class file; do
    verdict=$(awk -v id="$id" '$1 == id { print $2 }' "$work/results")
    printf '%-34s %-13s %-22s %s\n' "$id" "$class" "${file#locks/}" "$verdict"
    case "$verdict" in
    stillborn) stillborn=$((stillborn + 1)) ;;
    killed:*) killed=$((killed + 1)) total=$((total + 1)) ;;
    *)
        total=$((total + 1))
        why=$(awk -v id="$id" '$1 == "mutant" { inside = ($2 == id) } inside && /^= / { print substr($0, 3) }' "$table")
        if [[ -n "$why" ]]; then
            explained=$((explained + 1))
            echo "    why it survives: $why"
        fi
        ;;
    esac
done <<<"$mutants"
awk -v k="$killed" -v t="$total" -v e="$explained" -v s="$stillborn" 'BEGIN {
    printf "mutation score of locks/: %d of %d mutants killed (%.1f%%, goal >= 90%%)", k, t, t ? 100 * k / t : 0
    printf "; %d of %d leaving out the %d survivors explained (%.1f%%)", k, t - e, e, t - e ? 100 * k / (t - e) : 0
    printf "; %d stillborn\n", s
}'
