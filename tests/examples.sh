#!/usr/bin/env bash
# examples.sh: the example drivers of scenarios/examples/, each built as a
# driver author builds theirs (its .c files, -I locks/include -I sim/include
# -fshort-wchar, linked with build/libspinsim.a and the sim command line),
# once as written and once with -DEXAMPLE_BUG. As written, every scenario is
# silent under random (1000 runs), PCT (1000 runs) and DFS (preemption bound
# 2, up to EXAMPLE_DFS_RUNS runs). With the seeded bug, `run --all` finds
# what each harness expects, the finding is at a line of the driver (not the
# harness), and its schedule replays to the same finding.
# Prints PASS/FAIL lines for build.sh to count. Needs `./build.sh` first.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc=${CC:-clang}
dfs_runs=${EXAMPLE_DFS_RUNS:-5000}
flags=(-std=gnu11 -g -O1 -fshort-wchar -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
    -I "$root/locks/include" -I "$root/sim/include")
cli_objects=("$root"/build/obj/plain/sim/cli/*.o)
library="$root/build/libspinsim.a"
if [[ ! -f "$library" || ! -f "${cli_objects[0]}" ]]; then
    echo "FAIL examples: build/libspinsim.a or the command line's objects are missing (run ./build.sh)"
    exit 1
fi

# build NAME EXAMPLE [FLAGS...]: the example as a program $work/NAME, its
# sources named from the root as a bundled scenario's are.
build() {
    local name=$1 example=$2
    shift 2
    (cd "$root" && "$cc" "${flags[@]}" "$@" scenarios/examples/"$example"/*.c "${cli_objects[@]}" "$library" \
        -o "$work/$name") 2>"$work/$name.err"
}

# scenarios BIN: the scenario names a program declares.
scenarios() { "$1" list | cut -d' ' -f1; }

for dir in "$root"/scenarios/examples/*/; do
    example=$(basename "$dir")
    if ! build "$example" "$example"; then
        echo "FAIL $example: does not build: $(grep -m1 error "$work/$example.err")"
        continue
    fi
    for strategy in random pct dfs; do
        runs=()
        [[ $strategy == dfs ]] && runs=(--runs "$dfs_runs")
        if (cd "$work" && "./$example" run --all --strategy $strategy "${runs[@]}" >"$work/out" 2>&1); then
            echo "PASS $example: every scenario is silent under $strategy"
        else
            echo "FAIL $example under $strategy: $(grep -v ' ok$' "$work/out" | head -n 3 | tr '\n' ' ')"
        fi
    done

    buggy="$example-bug"
    if ! build "$buggy" "$example" -DEXAMPLE_BUG; then
        echo "FAIL $example with EXAMPLE_BUG: does not build: $(grep -m1 error "$work/$buggy.err")"
        continue
    fi
    if (cd "$work" && "./$buggy" run --all >"$work/out" 2>&1); then
        echo "PASS $example with EXAMPLE_BUG: run --all finds what each scenario expects"
    else
        echo "FAIL $example with EXAMPLE_BUG: $(grep -v ' ok$' "$work/out" | head -n 3 | tr '\n' ' ')"
    fi
    for scenario in $(scenarios "$work/$buggy"); do
        report="$work/$scenario.txt"
        (cd "$work" && "./$buggy" run "$scenario" -o "$report" --quiet >/dev/null 2>&1)
        site=$(sed -n 's/^  site        //p' "$report" 2>/dev/null)
        what=$(sed -n 's/^  what        //p' "$report" 2>/dev/null)
        case "$site" in
        scenarios/examples/"$example"/harness.c:* | "")
            echo "FAIL $scenario: the finding is not at a line of the driver: '$site'"
            continue
            ;;
        scenarios/examples/"$example"/*) echo "PASS $scenario: $what at $site" ;;
        *)
            echo "FAIL $scenario: the finding is outside the example: '$site'"
            continue
            ;;
        esac
        (cd "$work" && "./$buggy" replay "$scenario" "$report.sched" >"$work/replay" 2>&1)
        status=$?
        if [[ $status -eq 1 ]] && grep -qF "what        $what" "$work/replay" && grep -qF "site        $site" "$work/replay"; then
            echo "PASS $scenario: its schedule replays to the same finding"
        else
            echo "FAIL $scenario: replay exits $status: $(grep -m1 'what' "$work/replay")"
        fi
    done
done
