#!/usr/bin/env bash
# install.sh: a driver author's own build, exactly as README's "Bring your
# own driver" tells it. spinsim is installed into a fresh PREFIX (twice: the
# second copies and rebuilds nothing); the test driver tests/outoftree/ (two
# driver files, a header, a harness with a correct and a buggy scenario) is
# built out of tree with the installed `spinsim build`, and its binaries run,
# replay, test pinned schedules and fuzz. Warnings stay warnings; bad input
# exits 2 with one line of ours and leaves no binary; a rebuild compiles only
# what changed. The OSS-Fuzz mode runs fuzz/README.md's project build.sh.
# Every example driver in scenarios/examples/*/ builds correct and with
# -DEXAMPLE_BUG, and its findings replay. Prints PASS/FAIL lines for build.sh.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }
# check CONDITION... -- MESSAGE: PASS or FAIL with MESSAGE.
check() {
    local condition=()
    while [[ $1 != -- ]]; do
        condition+=("$1")
        shift
    done
    shift
    if "${condition[@]}"; then pass "$*"; else fail "$*"; fi
}

# ---- install ---------------------------------------------------------------
if ! (cd "$root" && ./build.sh install "$prefix") >"$work/install.log" 2>&1; then
    fail "install: ./build.sh install failed: $(tail -n 3 "$work/install.log")"
    exit 1
fi
missing=""
for file in bin/spinsim libexec/spinsim/spinsim-build lib/pkgconfig/spinsim.pc share/spinsim/driver.mk \
    share/spinsim/scenario.dict share/spinsim/scenario.options lib/spinsim/spinsim-fuzz-main.o \
    lib/spinsim/libspinsim{,-asan,-tsan,-cli,-cli-asan,-cli-tsan,-fuzz}.a; do
    [[ -f "$prefix/$file" ]] || missing="$missing $file"
done
for header in "$root"/locks/include/*.h "$root"/sim/include/{sim,sim_kind,sim_site}.h; do
    [[ -f "$prefix/include/spinsim/$(basename "$header")" ]] || missing="$missing $(basename "$header")"
done
check test -z "$missing" -- "install: CLI, build command, headers, every variant's libraries, spinsim.pc${missing:+; missing:$missing}"
# Every installed header compiles on its own against the installed ones,
# with the flags every driver file gets (-fshort-wchar: WCHAR is 16-bit).
broken=""
for header in "$prefix"/include/spinsim/*.h; do
    echo "#include <$(basename "$header")>" | clang -fsyntax-only -fshort-wchar -I"$prefix/include/spinsim" -x c - 2>/dev/null ||
        broken="$broken $(basename "$header")"
done
check test -z "$broken" -- "install: each installed header compiles with only the installed ones${broken:+; not:$broken}"
touch "$work/installed"
sleep 1
(cd "$root" && ./build.sh install "$prefix") >"$work/install2.log" 2>&1
status=$?
changed=$(find "$prefix" "$root/build" -newer "$work/installed" -type f | head -n 3)
check test $status -eq 0 -a -z "$changed" -- "install: installing again copies and rebuilds nothing${changed:+; changed: $changed}"
if command -v pkg-config >/dev/null; then
    export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
    src="$root/tests/outoftree"
    # pc_build OUT [FLAGS...]: the out-of-tree driver built into OUT with
    # pkg-config's Cflags and Libs alone (and FLAGS).
    pc_build() {
        local out=$1
        shift
        # shellcheck disable=SC2046
        clang $(pkg-config --cflags spinsim) "$@" -I"$src/include" "$src"/driver/*.c "$src/harness.c" \
            $(pkg-config --libs spinsim) -o "$out" 2>>"$work/pc.log"
    }
    pc_build "$work/pc-sim"
    check test "$("$work/pc-sim" list 2>/dev/null | wc -l)" -eq 2 -- "pkg-config: Cflags and Libs build the plain sim"
    # Cflags route the driver's memory routines through the race detector:
    # built copying the counts without StatsLock, the correct scenario races
    # at RxqSnapshotStats's RtlCopyMemory.
    pc_build "$work/pc-sim-race" -DRXQ_UNLOCKED_SNAPSHOT
    (cd "$work" && "$work/pc-sim-race" run rxq_push_drain >pc-race.out 2>&1)
    status=$?
    check eval '[[ $status -eq 1 ]] && grep -q "^scenario rxq_push_drain: data-race in run" "$work/pc-race.out" &&
        grep -q "rxq_stats.c:[0-9]* (RxqSnapshotStats)" "$work"/reports/rxq_push_drain-data-race.txt' -- \
        "pkg-config: RtlCopyMemory without its lock is a data-race at RxqSnapshotStats (exit $status)"
fi

# ---- the driver project, as README says ---------------------------------------
export PATH="$prefix/bin:$PATH"
project="$work/project"
cp -r "$root/tests/outoftree" "$project"
cd "$project" || exit 1
good=rxq_push_drain buggy=rxq_reset_races_push kind=lock-order-cycle

spinsim build -o out -Wall -I include driver/*.c harness.c >build.out 2>build.err
status=$?
missing=""
for file in sim sim-asan sim-tsan fuzz/${good}_fuzzer{,.dict,.options} fuzz/${buggy}_fuzzer{,.dict,.options}; do
    [[ -f "out/$file" ]] || missing="$missing $file"
done
check test $status -eq 0 -a -z "$missing" -- "build: out/sim, sim-asan, sim-tsan and a fuzz target per scenario (exit $status)${missing:+; missing:$missing}"
if [[ $status -ne 0 ]]; then
    fail "build: $(tail -n 3 build.err)"
    exit 1
fi
check test "$(out/sim list | cut -d' ' -f1 | tr '\n' ' ')" == "$good $buggy " -- "build: out/sim list names the harness's scenarios"
out/sim run --all >all.out 2>&1
check test $? -eq 0 -- "run --all: both scenarios as expected"
out/sim run $good >good.out 2>&1
status=$?
check test $status -eq 0 -a "$(grep -c "^scenario $good: no finding" good.out)" -eq 1 -- "run $good: exit $status, no finding"
out/sim run $buggy >buggy.out 2>&1
status=$?
report=reports/$buggy-$kind.txt
check test $status -eq 1 -a -f "$report" -a -f "$report.sched" -- "run $buggy: exit $status, $kind written to $report"
check grep -q "^  replay      out/sim replay $buggy $report.sched --trace$" "$report" -- \
    "report: its replay line names out/sim, the binary that was run"
check grep -q "driver/rxq_queue.c:[0-9]* (RxqPush)" "$report" -- "report: sites name the driver's files as given"
verdict=$(out/sim replay $buggy "$report.sched" --quiet 2>&1 | tail -n 1)
check test "$verdict" == "replay $buggy: $kind (expected $kind: match)" -- "replay: $verdict"
out/sim minimize $buggy "$report.sched" -o min.sched >min.out 2>&1
status=$?
verdict=$(out/sim replay $buggy min.sched --quiet 2>&1 | tail -n 1)
check test $status -eq 1 -a "$verdict" == "replay $buggy: $kind (expected $kind: match)" -- \
    "minimize: exit $status, the minimized schedule replays: $verdict"
mkdir -p pinned && cp "$report.sched" pinned/ && out/sim test pinned >test.out 2>&1
status=$?
check test $status -eq 0 -a "$(tail -n 1 test.out)" == "1 passed, 0 failed" -- "test pinned: exit $status, $(tail -n 1 test.out)"
out/sim-asan run $buggy --quiet >asan.out 2>&1
status=$?
out/sim-asan run $good --quiet >>asan.out 2>&1
status_good=$?
check test $status -eq 1 -a $status_good -eq 0 -- "sim-asan: $buggy finds $kind, $good none"
TSAN_OPTIONS=halt_on_error=1 out/sim-tsan run $good --quiet >tsan.out 2>&1
check test $? -eq 0 -- "sim-tsan: $good runs race-free, no finding"

# libFuzzer on the two targets: the buggy one finds the bug, its files replay.
mkdir -p fuzz-good fuzz-buggy
(cd fuzz-good && ../out/fuzz/${good}_fuzzer -runs=20000 -seed=1 >log 2>&1)
check test $? -eq 0 -- "fuzz $good: 20000 executions without a finding"
(cd fuzz-buggy && ../out/fuzz/${buggy}_fuzzer -runs=20000 -seed=1 >log 2>&1)
crash=$(ls fuzz-buggy/crash-* 2>/dev/null | grep -v '\.sched$' | head -n 1)
found=$(sed -n 's/^spinsim: \([a-z-]*\) .*/\1/p' fuzz-buggy/log | head -n 1)
check test -n "$crash" -a "$found" == $kind -- "fuzz $buggy: finds '$found'"
check grep -q "^  raw replay  ../out/sim replay $buggy ./crash-" fuzz-buggy/log -- \
    "fuzz $buggy: the target names out/sim for replaying, as invoked"
verdict=$(out/sim replay $buggy "$crash" --raw --quiet 2>&1 | tail -n 1)
check test "$verdict" == "replay $buggy: $kind" -- "fuzz $buggy: the crash file replays with out/sim: $verdict"
out/sim fuzz $buggy --time 1 >campaign.out 2>campaign.err
status=$?
check test $status -eq 1 -a "$(ls reports/$buggy-$kind-*.txt 2>/dev/null | wc -l)" -ge 1 -- \
    "sim fuzz: out/sim runs out/fuzz/${buggy}_fuzzer and reports $kind (exit $status)"

# A rebuild compiles only what changed; warnings print once and are not fatal.
touch "$work/built"
sleep 1
spinsim build -o out -Wall -I include driver/*.c harness.c >/dev/null 2>&1
check test -z "$(find out -newer "$work/built" -type f)" -- "rebuild: nothing changed, nothing rebuilt"
touch driver/rxq_stats.c
spinsim build -o out -Wall -I include driver/*.c harness.c >/dev/null 2>&1
rebuilt=$(find out/obj -newer "$work/built" -name '*.o' | sed 's|.*/||' | sort -u | tr '\n' ' ')
check test "$rebuilt" == "rxq_stats.c.o " -- "rebuild: only the changed file recompiled ($rebuilt)"
printf 'void RxqUnused(void);\nvoid RxqUnused(void) { int unused = 0; }\n' >driver/warn.c
spinsim build -o out -Wall -I include driver/*.c harness.c >warn.out 2>warn.err
status=$?
check test $status -eq 0 -a -x out/sim -a "$(grep -c "warning: unused variable 'unused'" warn.err)" -eq 1 -- \
    "warnings: an unused variable is printed once and builds (exit $status)"

# Bad input: exit 2, one line of ours (after the compiler's), no binary left.
# expect_bad NAME SETUP ARGS...: SETUP runs first in the project folder.
expect_bad() {
    local name=$1 setup=$2
    shift 2
    rm -rf bad && eval "$setup"
    spinsim build "$@" >bad.out 2>bad.err
    local status=$? ours binaries
    ours=$(grep -c '^spinsim build: ' bad.err)
    binaries=$(ls bad/sim bad/sim-* bad/fuzz 2>/dev/null)
    if [[ $status -ne 2 || $ours -ne 1 || "$(tail -n 1 bad.err)" != "spinsim build: "* ]]; then
        fail "bad input: $name: exit $status, $ours lines of ours: $(tail -n 2 bad.err)"
    elif [[ -n "$binaries" ]]; then
        fail "bad input: $name: binaries left: $binaries"
    else
        pass "bad input: $name: $(tail -n 1 bad.err)"
    fi
}
rm driver/warn.c
expect_bad no-files : -o bad
expect_bad no-output : driver/rxq_queue.c harness.c
expect_bad unknown-option : -o bad --frobnicate driver/*.c harness.c
expect_bad not-a-c-file : -o bad include/rxq.h harness.c
expect_bad missing-file : -o bad -I include driver/*.c no_such_file.c
expect_bad compile-error "printf 'int f(void) { return missing; }\n' >error.c" -o bad -I include driver/*.c harness.c error.c
expect_bad no-scenario : -o bad -I include driver/*.c
expect_bad werror "printf 'void U(void);\nvoid U(void) { int u = 0; }\n' >warn.c" -o bad -Wall -Werror -I include \
    driver/*.c harness.c warn.c
expect_bad foreign-folder "mkdir bad && touch bad/mine" -o bad -I include driver/*.c harness.c
check test -f bad/mine -- "bad input: a folder of someone else's files is left alone"
rm -f error.c warn.c
expect_bad failed-rebuild "cp -r out bad && printf 'int f(void) { return missing; }\n' >error.c" \
    -o bad -I include driver/*.c harness.c error.c
rm -f error.c

# ---- OSS-Fuzz mode: fuzz/README.md's build.sh of a driver project --------------
mkdir -p "$work/src" "$work/oss-work" "$work/oss-out"
ln -s "$root" "$work/src/spinsim"
cat >oss-build.sh <<'EOF'
#!/bin/bash -eu
"$SRC/spinsim/build.sh" install "$WORK/spinsim"
"$WORK/spinsim/bin/spinsim" build --oss-fuzz -o "$WORK/driver" -I include driver/*.c harness.c
cp "$WORK/driver/fuzz/"* "$OUT/"
EOF
if SRC="$work/src" OUT="$work/oss-out" WORK="$work/oss-work" CC=clang LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
    CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize=fuzzer-no-link" \
    bash oss-build.sh >oss.log 2>&1; then
    missing=""
    for file in ${good}_fuzzer{,.dict,.options} ${buggy}_fuzzer{,.dict,.options}; do
        [[ -f "$work/oss-out/$file" ]] || missing="$missing $file"
    done
    check test -z "$missing" -- "OSS-Fuzz mode: every target with its .dict and .options in \$OUT${missing:+; missing:$missing}"
    (cd "$work/oss-out" && ./${good}_fuzzer -runs=2000 -seed=1 >good.log 2>&1)
    check test $? -eq 0 -- "OSS-Fuzz mode: $good built with the builder's flags runs clean"
    (cd "$work/oss-out" && ./${buggy}_fuzzer -runs=2000 -seed=1 >buggy.log 2>&1)
    check grep -q "^spinsim: $kind " "$work/oss-out/buggy.log" -- "OSS-Fuzz mode: $buggy finds $kind"
else
    fail "OSS-Fuzz mode: the project's build.sh failed: $(tail -n 3 oss.log)"
fi

# ---- the example drivers -------------------------------------------------
# Each built as its README says. As written, every scenario is silent under
# the portfolio, random and PCT (1000 runs each) and DFS (preemption bound 2, up to
# EXAMPLE_DFS_RUNS runs). With the seeded bug, `run --all` finds what each
# harness expects, each finding is at a line of the driver (not the
# harness), and its schedule replays to the same finding.
dfs_runs=${EXAMPLE_DFS_RUNS:-5000}
for example in "$root"/scenarios/examples/*/; do
    [[ -d "$example" ]] || continue
    name=$(basename "$example")
    for bug in "" -DEXAMPLE_BUG; do
        out="$work/examples/$name${bug:+-bug}" run="$work/examples/$name${bug:+-bug}.run"
        mkdir -p "$run"
        if ! (cd "$example" && spinsim build -o "$out" $bug ./*.c) >"$out.log" 2>&1; then
            fail "example $name${bug:+ $bug}: spinsim build failed: $(tail -n 2 "$out.log")"
            continue
        fi
        if [[ -z "$bug" ]]; then
            for strategy in portfolio random pct dfs; do
                runs=(--runs 1000)
                [[ $strategy == dfs ]] && runs=(--runs "$dfs_runs")
                (cd "$run" && "$out/sim" run --all --strategy $strategy "${runs[@]}" >all.out 2>&1)
                status=$?
                check test $status -eq 0 -- "example $name: every scenario is silent under $strategy (exit $status)" \
                    "$(grep -v ' ok$' "$run/all.out" | sed -n 2p)"
            done
            continue
        fi
        (cd "$run" && "$out/sim" run --all >all.out 2>&1)
        status=$?
        check test $status -eq 0 -- "example $name $bug: run --all gives every expected verdict (exit $status)"
        reports=$(ls "$run"/reports/*.txt 2>/dev/null)
        check test -n "$reports" -- "example $name $bug: the seeded bug writes a report and schedule"
        for report in $reports; do
            site=$(sed -n 's/^  site        //p' "$report")
            case "$site" in
            harness.c:* | "") fail "example $name $bug: $(basename "$report") is not at a line of the driver: '$site'" ;;
            *) pass "example $name $bug: $(basename "$report") at the driver's $site" ;;
            esac
            schedule="$report.sched"
            scenario=$(sed -n 's/^scenario //p' "$schedule")
            expect=$(sed -n 's/^expect //p' "$schedule")
            verdict=$("$out/sim" replay "$scenario" "$schedule" --quiet 2>&1 | tail -n 1)
            check test "$verdict" == "replay $scenario: $expect (expected $expect: match)" -- \
                "example $name $bug: $(basename "$schedule") replays: $verdict"
        done
    done
done
