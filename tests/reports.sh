#!/usr/bin/env bash
# reports.sh: the report formats. The committed examples under
# reports/examples are the golden files: regenerated here byte for byte
# (text, JSON, SARIF, trace and HTML of four findings). The JSON reports are validated
# against docs/report.schema.json and the SARIF ones against the official
# SARIF 2.1.0 schema, by ajv installed from the npm registry
# (tests/tools/json-validator.sh); the HTML report is opened in headless
# Chromium (tests/tools/install-browser.sh). Without Node.js, the registry
# or Chromium those checks print SKIP, never PASS. Each command writes the chosen format
# where it says. Prints PASS/FAIL/SKIP lines for build.sh to count.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
sim="$root/build/sim"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- the examples are current (golden files) ---------------------------------
bash "$root/tests/tools/report-examples.sh" "$work/examples"
shopt -s nullglob
for golden in "$root"/reports/examples/*.{txt,json,sarif,html}; do
    name=$(basename "$golden")
    if cmp -s "$golden" "$work/examples/$name"; then
        echo "PASS golden: reports/examples/$name is what build/sim writes"
    else
        echo "FAIL golden: reports/examples/$name differs (regenerate: bash tests/tools/report-examples.sh reports/examples):"
        diff "$golden" "$work/examples/$name" | head -n 8 | sed 's/^/    /'
    fi
done
extra=$(cd "$work/examples" && ls | while read -r f; do [[ -e "$root/reports/examples/$f" ]] || echo "$f"; done)
if [[ -z "$extra" ]]; then
    echo "PASS golden: every example the script writes is committed"
else
    echo "FAIL golden: not committed: $extra"
fi

# ---- schemas -----------------------------------------------------------------
if validator=$(bash "$root/tests/tools/json-validator.sh" "$root/build/json-validator" 2>"$work/why"); then
    node "$root/tests/tools/validate-json.js" "$validator" "$root/docs/report.schema.json" \
        $(ls "$work"/examples/*.json | grep -v '\.trace\.json$') |
        sed 's/^\(PASS\|FAIL\) /\1 json schema: /'
    node "$root/tests/tools/validate-json.js" "$validator" "$validator/sarif-2.1.0.schema.json" "$work"/examples/*.sarif |
        sed 's/^\(PASS\|FAIL\) /\1 sarif schema: /'
    # The validator can fail: a SARIF log without its tool.
    printf '{"version": "2.1.0", "runs": [{"results": []}]}\n' >"$work/broken.sarif"
    if node "$root/tests/tools/validate-json.js" "$validator" "$validator/sarif-2.1.0.schema.json" \
        "$work/broken.sarif" >/dev/null; then
        echo "FAIL sarif schema: a log without its tool passes validation"
    else
        echo "PASS sarif schema: a log without its tool is rejected"
    fi
else
    echo "SKIP json and sarif schema validation: $(cat "$work/why")"
fi

# ---- the trace opens as Perfetto reads it ----------------------------------------
if command -v node >/dev/null; then
    node "$root/tests/tools/check-trace.js" "$work/examples/timers_abba.trace.json" 2 lock-order-cycle |
        sed 's/^\(PASS\|FAIL\) /\1 trace: timers_abba: /'
    node "$root/tests/tools/check-trace.js" "$work/examples/drain_lost_wakeup.trace.json" 2 deadlock |
        sed 's/^\(PASS\|FAIL\) /\1 trace: drain_lost_wakeup: /'
else
    echo "SKIP trace: the trace checks need Node.js"
fi

# ---- the HTML report in a real browser ------------------------------------------
html="$work/examples/timers_abba.html"
if grep -Eq '(src|href)=|https?://|@import' "$html"; then
    echo "FAIL html: timers_abba.html refers to something outside itself"
else
    echo "PASS html: timers_abba.html is self-contained (no src, href, URL or import)"
fi
if command -v chromium >/dev/null && command -v node >/dev/null; then
    browse=(timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,900)
    "${browse[@]}" --dump-dom "file://$html" >"$work/dom.html" 2>/dev/null
    lanes=$(grep -o '<div class="lane-label [a-z]*" data-lane="[^"]*">' "$work/dom.html" | sed 's/.*data-lane="//; s/">$//' | tr '\n' ' ')
    if [[ $lanes == "cpu0 cpu1 ext-&gt;WatchdogLock ext-&gt;RetryLock " ]] && grep -q '<body data-lanes="4">' "$work/dom.html"; then
        echo "PASS html: Chromium draws a lane per vCPU and per lock: $lanes"
    else
        echo "FAIL html: lanes in Chromium: '$lanes'"
    fi
    if grep -Eq '<mark class="hit">   46 \|     KeAcquireSpinLockAtDpcLevel\(&amp;Ext-&gt;WatchdogLock\)' "$work/dom.html" &&
        grep -Eq '<mark class="hit">   31 \|     KeAcquireSpinLockAtDpcLevel\(&amp;Ext-&gt;RetryLock\)' "$work/dom.html"; then
        echo "PASS html: both sites' lines are highlighted with their source"
    else
        echo "FAIL html: the sites' lines are not highlighted"
    fi
    "${browse[@]}" --screenshot="$work/shot.png" "file://$html" >/dev/null 2>&1
    colours=$(node "$root/tests/tools/png-colours.js" "$work/shot.png" 4e79a7 59a14f f28e2b d00000 2>&1)
    # thread, DPC and hold slices and the finding's line are painted
    if [[ $colours =~ 4e79a7=([0-9]+)\ 59a14f=([0-9]+)\ f28e2b=([0-9]+)\ d00000=([0-9]+) ]] &&
        ((BASH_REMATCH[1] > 500 && BASH_REMATCH[2] > 500 && BASH_REMATCH[3] > 500 && BASH_REMATCH[4] > 50)); then
        echo "PASS html: the screenshot shows the lanes painted ($colours)"
    else
        echo "FAIL html: the screenshot is blank or unpainted: $colours"
    fi
else
    echo "SKIP html: opening the report in a browser needs chromium and Node.js (tests/tools/install-browser.sh)"
fi

# ---- what the examples say ---------------------------------------------------
# Both sites with their source lines, the site's own line marked.
if grep -Eq '^             >    46 \|     KeAcquireSpinLockAtDpcLevel\(&Ext->WatchdogLock\);' "$work/examples/timers_abba.txt" &&
    grep -Eq '^             >    31 \|     KeAcquireSpinLockAtDpcLevel\(&Ext->RetryLock\);' "$work/examples/timers_abba.txt" &&
    [[ $(grep -c '^ *[0-9]* | ' "$work/examples/timers_abba.txt") -eq 6 ]]; then
    echo "PASS text: both sites with three lines of source around each, the site's line marked"
else
    echo "FAIL text: timers_abba.txt lacks the source lines of its sites"
fi
text="$work/examples/timers_abba.txt"
if grep -Eq '^      step   cpu0 {46}cpu1$' "$text" &&
    grep -Eq '^         2   -- decide dpc cpu1 --$' "$text" &&
    grep -Eq '^  >>     3 {53}D1@2 finding ext->WatchdogLock lock-order-cycle :46$' "$text" &&
    [[ $(grep -c '^  >>' "$text") -eq 1 ]]; then
    echo "PASS text: the last steps in a column per CPU, the decision across, the finding marked once"
else
    echo "FAIL text: timers_abba.txt's last steps are not in per-CPU columns"
fi
json="$work/examples/timers_abba.json"
if grep -q '^  holder      T0:TmrResetThread (cpu0)$' "$work/examples/timers_abba.txt" &&
    grep -q '"lock_holder": "T0:TmrResetThread (cpu0)"' "$json"; then
    echo "PASS text and json: the lock's holder when the finding ended the run"
else
    echo "FAIL text and json: timers_abba's reports do not name ext->WatchdogLock's holder"
fi
if grep -q '"kind": "lock-order-cycle"' "$json" && grep -q '"label": "T0"' "$json" &&
    grep -q '"line": 46' "$json" && grep -q '"line": 31' "$json" &&
    grep -q '"name": "ext->RetryLock"' "$json"; then
    echo "PASS json: the finding's kind, contexts, both sites and the locks' fairness"
else
    echo "FAIL json: timers_abba.json lacks the kind, a context, a site or a lock"
fi
sarif="$work/examples/stats_try_release.sarif"
if grep -q '"level": "warning"' "$sarif" && grep -q '"ruleId": "release-wrong-family"' "$sarif" &&
    grep -q '"level": "error"' "$work/examples/timers_abba.sarif" && ! grep -q '"codeFlows"' "$sarif" &&
    grep -q '"codeFlows"' "$work/examples/timers_abba.sarif"; then
    echo "PASS sarif: a rule finding is a warning without a code flow, an error is an error with one"
else
    echo "FAIL sarif: levels or code flows are wrong"
fi
kinds=$(grep -c '"windowsAnalogue": ' "$work/examples/timers_abba.sarif")
expected=$(($(grep -c '^    X(' "$root/sim/include/sim_kind.h") - 1)) # all but none
if [[ $kinds -eq $expected ]]; then
    echo "PASS sarif: one rule per finding kind ($kinds)"
else
    echo "FAIL sarif: $kinds rules for $expected finding kinds"
fi

# ---- colour on a terminal only, and never with NO_COLOR ----------------------
# script(1) reads /dev/null: given the terminal this suite was started from,
# it would switch it to raw mode, and `head` ends it before it can switch back.
if command -v script >/dev/null; then
    cd "$root"
    tty_out=$(script -qc "build/sim replay timers_abba scenarios/timers_abba.sched" /dev/null </dev/null | head -n 1)
    no_colour=$(NO_COLOR=1 script -qc "build/sim replay timers_abba scenarios/timers_abba.sched" /dev/null </dev/null |
        head -n 1)
    piped=$(build/sim replay timers_abba scenarios/timers_abba.sched | head -n 1)
    if [[ $tty_out == $'\e[1;31mspinsim: lock-order-cycle'* && $no_colour != *$'\e'* && $piped != *$'\e'* ]]; then
        echo "PASS text: the banner is red on a terminal, plain with NO_COLOR and in a pipe"
    else
        echo "FAIL text: colour: terminal '$tty_out', NO_COLOR '$no_colour', pipe '$piped'"
    fi
else
    echo "SKIP text: colour on a terminal: script(1) is not installed"
fi

# ---- each command writes the chosen format -------------------------------------
mkdir -p "$work/run" && cd "$work/run"
for format in text:txt json:json sarif:sarif trace:trace.json html:html; do
    report="reports/timers_abba-lock-order-cycle.${format#*:}"
    "$sim" run timers_abba --report "${format%%:*}" --quiet >/dev/null
    [[ -s "$report" && -s "$report.sched" ]] &&
        echo "PASS run --report ${format%%:*}: $report and its schedule" ||
        echo "FAIL run --report ${format%%:*}: no $report: $(ls reports 2>&1 | tr '\n' ' ')"
done
"$sim" run stats_try_release --report json --runs 5 >/dev/null
rule=$(ls reports/stats_try_release-release-wrong-family.rule-*.json 2>/dev/null)
[[ -n "$rule" ]] && grep -q '"severity": "rule"' "$rule" &&
    echo "PASS run --report json: a rule's report is reports/stats_try_release-release-wrong-family.rule-HASH.json" ||
    echo "FAIL run --report json: no rule report in JSON: $(ls reports)"
"$sim" minimize drain_lost_wakeup "$root/scenarios/drain_lost_wakeup.sched" -o min.sched --report json --quiet >/dev/null
grep -q '"path": "min.sched"' reports/drain_lost_wakeup-deadlock.json 2>/dev/null &&
    echo "PASS minimize --report json: the report names the minimized schedule" ||
    echo "FAIL minimize --report json: $(ls reports)"
