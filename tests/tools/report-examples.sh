#!/usr/bin/env bash
# tests/tools/report-examples.sh OUTDIR: writes the example reports, each
# finding in each format (text, json, sarif, trace, html), by replaying bundled pinned
# schedules with build/sim from the repository root, so the files name
# build/sim and scenarios/ as a user in a checkout sees them. OUTDIR
# reports/examples regenerates the committed examples; tests/reports.sh
# writes them elsewhere and checks that the committed ones are current.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mkdir -p "$1" && cd "$1" && pwd)
cd "$root"
# scenario: what its finding shows
#   timers_abba        an error with two contexts and a lock (lock-order-cycle)
#   drain_lost_wakeup  a deadlock with its wait-for chain
#   mtu_wrong_lock     a data race: both sites and both contexts
#   stats_try_release  a rule finding (warning level, no last steps)
for scenario in timers_abba drain_lost_wakeup mtu_wrong_lock stats_try_release; do
    for format in text json sarif trace html; do
        case $format in
        text) extension=txt ;;
        trace) extension=trace.json ;;
        *) extension=$format ;;
        esac
        build/sim replay "$scenario" "scenarios/$scenario.sched" --quiet --report "$format" \
            -o "$out/$scenario.$extension" >/dev/null || [[ $? -eq 1 ]]
    done
done
