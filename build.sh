#!/usr/bin/env bash
# build.sh: spinsim's one entry point.
#   ./build.sh          build every variant into build/ (plain, ASan+UBSan, TSan, native locks,
#                       libFuzzer targets in build/fuzz/, test-only ones in build/fuzz/test/)
#   ./build.sh test     build, then run every test suite, as many side by side as there are
#                       cores; each suite's lines in a fixed order, the last line `N passed, N failed`
#   ./build.sh bench [--quick]
#                       run the benchmarks (bench/run.sh): a table of ratios measured in the
#                       same run, each strategy's runs to the first finding per buggy
#                       scenario, stress testing against spinsim; also written to
#                       bench/results.json. --quick: fewer repeats, under a minute
#   ./build.sh lint     clang-format check of every C source
#   ./build.sh install PREFIX
#                       build and install what a driver author builds against:
#                       PREFIX/bin/spinsim (build/sim, with `spinsim build`), headers in
#                       PREFIX/include/spinsim, every variant's libraries in PREFIX/lib/spinsim,
#                       PREFIX/lib/pkgconfig/spinsim.pc, PREFIX/share/spinsim (README,
#                       "Bring your own driver"). Installing again copies only what changed
#                       and rebuilds nothing current.
# With OUT and LIB_FUZZING_ENGINE set, as OSS-Fuzz and ClusterFuzzLite call it,
# it builds only the fuzz targets, with the caller's CC and CFLAGS, and puts
# each into $OUT as X_fuzzer with X_fuzzer.dict, .options and
# _seed_corpus.zip (fuzz/README.md); `install` then installs a fuzz library
# built with the caller's CC and CFLAGS, for a driver project's own build.
set -euo pipefail
cd "$(dirname "$0")"

jobs=$(nproc 2>/dev/null || echo 2)

# Zips the files of folder $1 into $2 (flat), with zip or else Python.
zip_folder() {
    local folder=$1 archive=$2
    rm -f "$archive"
    if command -v zip >/dev/null; then
        (cd "$folder" && zip -q -j "$archive" ./*)
    else
        python3 -c 'import sys, zipfile, pathlib
with zipfile.ZipFile(sys.argv[2], "w") as z:
    for f in sorted(pathlib.Path(sys.argv[1]).iterdir()):
        z.write(f, f.name)' "$folder" "$archive"
    fi
}

oss_fuzz_work="${WORK:-/tmp}/spinsim-oss-fuzz"

# make with an OSS-Fuzz builder's CC and CFLAGS for the fuzz objects, and
# no -Werror: the builder's compiler is not ours. Its flags alone: no LTO
# or profile for the machine, and the machine keeps the builder's UBSan
# (its `undefined` build is there to check it).
oss_fuzz_make() {
    make -s -j"$jobs" CC="${CC:-clang}" FUZZ_CFLAGS="${CFLAGS:-}" FUZZ_DRIVER_SANITIZE= FUZZ_LTO_CFLAGS= FUZZ_PGO_CFLAGS= \
        FUZZ_SIM_NO_SANITIZE=fuzzer-no-link,address \
        FUZZ_ENGINE="$LIB_FUZZING_ENGINE ${CFLAGS:-}" WARNINGS="-Wall -Wno-unused-parameter" "$@"
}

oss_fuzz() {
    local work=$oss_fuzz_work
    oss_fuzz_make fuzz BUILD="$work"
    mkdir -p "$OUT"
    local target name seeds
    for target in "$work"/fuzz/*_fuzzer; do
        name=$(basename "$target")
        cp "$target" "$OUT/$name"
        cp fuzz/scenario.options "$OUT/$name.options"
        case "$name" in
        schedule_fuzzer) seeds=scenarios ;;
        decode_fuzzer) seeds=corpus/decode ;;
        debuginfo_fuzzer) seeds="$work/fuzz/debuginfo-corpus" ;;
        *)
            seeds="corpus/${name%_fuzzer}"
            cp fuzz/scenario.dict "$OUT/$name.dict"
            ;;
        esac
        if [[ -d "$seeds" ]]; then
            [[ "$seeds" == /* ]] || seeds="$PWD/$seeds"
            zip_folder "$seeds" "$OUT/${name}_seed_corpus.zip"
        fi
    done
    echo "build.sh: $(ls "$work"/fuzz/*_fuzzer | wc -l) fuzz targets in $OUT"
}

in_oss_fuzz() { [[ -n "${OUT:-}" && -n "${LIB_FUZZING_ENGINE:-}" ]]; }

if in_oss_fuzz && [[ "${1:-}" != install ]]; then
    oss_fuzz
    exit 0
fi

# install PREFIX (the usage above); the fuzz objects of an OSS-Fuzz build
# stay apart from build/, in $WORK.
install_prefix() {
    if [[ $# -ne 1 || -z "$1" ]]; then
        echo "usage: ./build.sh install PREFIX" >&2
        exit 2
    fi
    local prefix
    prefix=$(realpath -m "$1")
    if [[ "$prefix" == *[[:space:]\$:\#%]* ]]; then
        echo "build.sh install: make cannot install into '$prefix' (a space or special character)" >&2
        exit 2
    fi
    if in_oss_fuzz; then
        oss_fuzz_make install PREFIX="$prefix" FUZZ_BUILD="$oss_fuzz_work"
    else
        make -s -j"$jobs" install PREFIX="$prefix"
    fi
    echo "build.sh: spinsim installed in $prefix"
}

# Every variant, and the fuzz targets' main object that `install` copies:
# built here, it is not built by the install and tsan suites' `make
# install`, which then writes nothing into build/ (the install suite checks).
build_all() {
    make -s -j"$jobs" all native fuzz fuzz-tests build/spinsim-fuzz-main.o
}

passed=0
failed=0
skipped=0

# Counts suite NAME from its files in $results, echoing its PASS/FAIL/SKIP
# lines (prefixed); a SKIP (a check whose tool could not be installed here)
# is neither passed nor failed. A suite that exits non-zero without a FAIL
# line counts as one failure.
count_suite() {
    local name=$1
    local out status suite_failed
    out=$(<"$results/$name.out")
    status=$(<"$results/$name.status")
    local lines
    lines=$(grep -E '^(PASS|FAIL|SKIP) ' <<<"$out" || true)
    if [[ -n "$lines" ]]; then
        sed -E "s/^(PASS|FAIL|SKIP) /\1 $name: /" <<<"$lines"
    fi
    local p f
    p=$(grep -c '^PASS ' <<<"$out" || true)
    f=$(grep -c '^FAIL ' <<<"$out" || true)
    suite_failed=$f
    skipped=$((skipped + $(grep -c '^SKIP ' <<<"$out" || true)))
    if [[ $status -ne 0 && $f -eq 0 ]]; then
        echo "FAIL $name: exited with status $status without naming a failure; its last lines:"
        tail -n 15 <<<"$out" | sed 's/^/    /'
        suite_failed=1
    fi
    passed=$((passed + p))
    failed=$((failed + suite_failed))
}

# The same decisions give byte-identical traces in every build variant.
check_variants_agree() {
    local plain asan tsan
    plain=$(build/tests --digest)
    asan=$(build/tests-asan --digest)
    tsan=$(build/tests-tsan --digest)
    if [[ "$plain" == "$asan" && "$plain" == "$tsan" ]]; then
        echo "PASS traces are identical in plain, asan and tsan builds ($plain)"
    else
        echo "FAIL traces differ across variants: plain $plain, asan $asan, tsan $tsan"
    fi
}

# clang-format's verdict on every C source, as a suite's PASS or FAIL line.
lint() {
    local files
    files=$(git ls-files '*.c' '*.h' 2>/dev/null || find sim locks fuzz tests scenarios bench -name '*.[ch]')
    if clang-format --dry-run -Werror $files >/tmp/spinsim-lint.$$ 2>&1; then
        echo "PASS clang-format: every C source is formatted"
    else
        echo "FAIL clang-format: $(grep -c 'error:' /tmp/spinsim-lint.$$) formatting differences (run clang-format -i)"
        head -n 20 /tmp/spinsim-lint.$$
    fi
    rm -f /tmp/spinsim-lint.$$
}

# Every suite, in the order its lines print, and when it runs: `first`,
# one at a time before the others start (run_tests says why), or else side
# by side, longest first, by its time in seconds when run alone on this
# project's 2-core machine, so that the short ones fill in at the end.
suite_plan='
unit            11
unit-asan       37
unit-tsan       36
race-free-tsan  10
variants        0.2
native          first
bench           first
cli             4
symbolize       4
tsan            3
headers         1.3
reports         first
pinned          0.4
fuzz            58
install         21
lint            0.6
'

# Runs suite NAME of suite_plan.
suite() {
    case $1 in
    unit) build/tests ;;
    # detect_stack_use_after_return makes ASan ~25x slower across fiber
    # switches; it belongs with the use-after-scope findings, not this suite.
    unit-asan) build/tests-asan ;;
    # TSan also sees the plain stores lock code makes into driver memory (an
    # Old IRQL through its pointer), which the machine's detector does not, so
    # a buggy scenario may race there first: the full TSan suite checks
    # verdicts with reports off, and the correct-only tests must be race-free.
    unit-tsan) TSAN_OPTIONS="report_bugs=0" build/tests-tsan ;;
    race-free-tsan)
        TSAN_OPTIONS="halt_on_error=1" build/tests-tsan _clean dfs_counts same_decisions \
            isr_on_holders checks_data_races checks_correct_sharing checks_crash checks_memory_errors \
            reduction_reaches_every_outcome_of_random_programs
        ;;
    variants) check_variants_agree ;;
    native) build/native-stress ;;
    bench) bash tests/bench.sh ;;
    cli) bash tests/cli.sh ;;
    symbolize) bash tests/symbolize.sh ;;
    tsan) bash tests/tsan.sh ;;
    headers) bash tests/headers.sh ;;
    reports) bash tests/reports.sh ;;
    pinned) build/sim test scenarios ;;
    fuzz) bash tests/fuzz.sh ;;
    install) bash tests/install.sh ;;
    lint) lint ;;
    *)
        echo "build.sh: suite_plan names $1, which suite() does not know"
        return 2
        ;;
    esac
}

# Runs suite NAME into $results: NAME.out its output, then NAME.status its
# exit status, renamed into place so that it is there only when complete.
# Its input is empty, not the terminal: one run in the background would be
# stopped reading it, and a suite that starts script(1) would switch a
# terminal on its input to raw mode, where Ctrl-C no longer stops anything.
run_suite() {
    local status=0
    suite "$1" </dev/null >"$results/$1.out" 2>&1 || status=$?
    echo "$status" >"$results/$1.status.new"
    mv "$results/$1.status.new" "$results/$1.status"
}

# Starts suite NAME in the background, in a process group of its own, which
# stop_suites can end whole. When it has ended, its name goes down the pipe
# on descriptor 3 (the suite itself does not have it).
start_suite() {
    set -m
    { run_suite "$1" 3>&- || true; echo "$1" >&3; } &
    set +m
}

# Ends every suite still running, and this script with status $1.
stop_suites() {
    local pid
    for pid in $(jobs -p); do
        kill -TERM -- "-$pid" 2>/dev/null || true
    done
    exit "$1"
}

# The names of the suites of suite_plan: all of them in its order, those
# that run first, or the others, longest first.
plan_names() {
    case $1 in
    all) awk 'NF { print $1 }' <<<"$suite_plan" ;;
    first) awk '$2 == "first" { print $1 }' <<<"$suite_plan" ;;
    side-by-side) awk 'NF && $2 != "first" { print $2, $1 }' <<<"$suite_plan" | sort -gr | cut -d' ' -f2 ;;
    esac
}

# Counts, in suite_plan's order, every suite that has finished and whose
# turn it is: those before it are counted already (counted says how many).
count_finished() {
    while ((counted < ${#order[@]})) && [[ -f "$results/${order[counted]}.status" ]]; do
        count_suite "${order[counted]}"
        counted=$((counted + 1))
    done
}

# Waits for one of the running suites to end, then counts what it can.
reap_suite() {
    local name
    read -r name <&3
    running=$((running - 1))
    count_finished
}

# Runs the suites that do not run first, $jobs at a time, longest first.
# Each says on the pipe `ended` when it has ended: unlike `wait -n`, which
# misses a job that ended while this shell ran something else.
run_side_by_side() {
    local name running=0
    mkfifo "$results/ended"
    exec 3<>"$results/ended"
    for name in $(plan_names side-by-side); do
        ((running < jobs)) || reap_suite
        start_suite "$name"
        running=$((running + 1))
    done
    while ((running > 0)); do
        reap_suite
    done
    exec 3>&-
}

# Builds, then runs every suite of suite_plan; exits 0 only when none failed.
run_tests() {
    build_all
    results=$(mktemp -d)
    mapfile -t order <<<"$(plan_names all)"
    counted=0
    trap 'rm -rf "$results"' EXIT
    trap 'stop_suites 130' INT
    trap 'stop_suites 143' TERM
    # Some suites run first, one at a time, with nothing beside them:
    # native and bench run lock code on real threads, and the bench's stress
    # harness calls a run that has not ended in a second of wall time a
    # deadlock (bench/native/stress_harness.c); bench builds its binaries
    # and reports fetches its JSON Schema validator (npm) into build/ the
    # first time, and the install suite checks that installing again writes
    # nothing there, so nothing may write there while the others run.
    local name
    for name in $(plan_names first); do
        run_suite "$name"
    done
    count_finished
    run_side_by_side
    [[ $skipped -eq 0 ]] || echo "$skipped skipped (see the SKIP lines)"
    echo "$passed passed, $failed failed"
    [[ $failed -eq 0 ]]
}

case "${1:-build}" in
build | all) build_all ;;
test) run_tests ;;
install)
    shift
    install_prefix "$@"
    ;;
bench)
    shift
    bash bench/run.sh "$@"
    ;;
lint)
    out=$(lint)
    echo "$out"
    grep -q '^PASS' <<<"$out"
    ;;
*)
    echo "usage: ./build.sh [build|test|bench [--quick]|lint|install PREFIX]" >&2
    exit 2
    ;;
esac
