#!/usr/bin/env bash
# build.sh: spinsim's one entry point.
#   ./build.sh          build every variant into build/ (plain, ASan+UBSan, TSan, native locks,
#                       libFuzzer targets in build/fuzz/, test-only ones in build/fuzz/test/)
#   ./build.sh test     build, then run every test suite; the last line is `N passed, N failed`
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
# no -Werror: the builder's compiler is not ours.
oss_fuzz_make() {
    make -s -j"$jobs" CC="${CC:-clang}" FUZZ_CFLAGS="${CFLAGS:-}" FUZZ_DRIVER_SANITIZE= \
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
        *)
            seeds="corpus/${name%_fuzzer}"
            cp fuzz/scenario.dict "$OUT/$name.dict"
            ;;
        esac
        if [[ -d "$seeds" ]]; then
            zip_folder "$PWD/$seeds" "$OUT/${name}_seed_corpus.zip"
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

# Runs one suite, echoing its PASS/FAIL/SKIP lines (prefixed) and counting
# them; a SKIP (a check whose tool could not be installed here) is neither
# passed nor failed. A suite that exits non-zero without a FAIL line counts
# as one failure.
run_suite() {
    local name=$1
    shift
    local out status=0 suite_failed
    out=$("$@" 2>&1) || status=$?
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

run_tests() {
    build_all
    # detect_stack_use_after_return makes ASan ~25x slower across fiber
    # switches; it belongs with the use-after-scope findings, not this suite.
    run_suite unit build/tests
    run_suite unit-asan build/tests-asan
    # TSan also sees the plain stores lock code makes into driver memory (an
    # Old IRQL through its pointer), which the machine's detector does not, so
    # a buggy scenario may race there first: the full TSan suite checks
    # verdicts with reports off, and the correct-only tests must be race-free.
    TSAN_OPTIONS="report_bugs=0" run_suite unit-tsan build/tests-tsan
    TSAN_OPTIONS="halt_on_error=1" run_suite race-free-tsan build/tests-tsan _clean dfs_counts same_decisions \
        isr_on_holders checks_data_races checks_correct_sharing checks_crash checks_memory_errors
    run_suite variants check_variants_agree
    run_suite native build/native-stress
    run_suite bench bash tests/bench.sh
    run_suite cli bash tests/cli.sh
    run_suite tsan bash tests/tsan.sh
    run_suite headers bash tests/headers.sh
    run_suite reports bash tests/reports.sh
    run_suite pinned build/sim test scenarios
    run_suite fuzz bash tests/fuzz.sh
    run_suite install bash tests/install.sh
    run_suite lint lint
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
