#!/usr/bin/env bash
# table_rows.sh SECTION UNIT: passes a per-scenario table through (stdout)
# and keeps each of its cells as a row of the bench table ($BENCH_ROWS, via
# `build/bench row`, not printed again): the first line names the columns
# (scenario, expected, then one column per measure), each later line is a
# scenario, its expected finding and a value per measure ("-", or
# anything not a number, counts as not measured). For a table whose script
# prints its own columns, such as bench/strategies.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
section=$1 unit=$2
# Lines before the column heads (a title) pass through; the table ends at
# its first blank line or its "found, of N" total, and what follows passes
# through as it is.
heads=()
while IFS= read -r line; do
    printf '%s\n' "$line"
    if [[ ${#heads[@]} -eq 0 ]]; then
        [[ $line == scenario\ * ]] && read -r -a heads <<<"$line"
        continue
    fi
    [[ -n $line && $line != found,* ]] || break
    read -r -a cells <<<"$line"
    for ((i = 2; i < ${#cells[@]} && i < ${#heads[@]}; i++)); do
        value=${cells[i]}
        [[ $value =~ ^[0-9]+(\.[0-9]+)?$ ]] || value=-
        "$root/build/bench" row "$section" "${cells[0]} (${cells[1]}), ${heads[i]}" "$value" "$unit" - - "" >/dev/null
    done
done
cat
