#!/usr/bin/env bash
# build.sh: spinsim's one entry point.
#   ./build.sh          build every variant into build/ (plain, ASan+UBSan, TSan, native locks)
#   ./build.sh test     build, then run every test suite; the last line is `N passed, N failed`
#   ./build.sh bench    run the benchmarks (a table of ratios measured in the same run)
#   ./build.sh lint     clang-format check of every C source
# With OUT and LIB_FUZZING_ENGINE set (OSS-Fuzz / ClusterFuzzLite) it will
# build the fuzz targets only; until fuzz/ exists it says so and exits 2.
set -euo pipefail
cd "$(dirname "$0")"

if [[ -n "${OUT:-}" && -n "${LIB_FUZZING_ENGINE:-}" ]]; then
    echo "build.sh: OSS-Fuzz mode: this tree has no fuzz targets yet (fuzz/ is issue #6)" >&2
    exit 2
fi

jobs=$(nproc 2>/dev/null || echo 2)

build_all() {
    make -s -j"$jobs" all native
}

passed=0
failed=0

# Runs one suite, echoing its PASS/FAIL lines (prefixed) and counting them.
# A suite that exits non-zero without a FAIL line counts as one failure.
run_suite() {
    local name=$1
    shift
    local out status=0 suite_failed
    out=$("$@" 2>&1) || status=$?
    local lines
    lines=$(grep -E '^(PASS|FAIL) ' <<<"$out" || true)
    if [[ -n "$lines" ]]; then
        sed "s/^\(PASS\|FAIL\) /\1 $name: /" <<<"$lines"
    fi
    local p f
    p=$(grep -c '^PASS ' <<<"$out" || true)
    f=$(grep -c '^FAIL ' <<<"$out" || true)
    suite_failed=$f
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
    # TSan reports on the buggy scenarios are true races (findings from
    # sanitizer reports are not wired yet), so the full TSan suite checks
    # verdicts with reports off, and the correct-only tests must be race-free.
    TSAN_OPTIONS="report_bugs=0" run_suite unit-tsan build/tests-tsan
    TSAN_OPTIONS="halt_on_error=1" run_suite race-free-tsan build/tests-tsan _clean dfs_counts same_decisions \
        isr_on_holders
    run_suite variants check_variants_agree
    run_suite native build/native-stress
    run_suite cli bash tests/cli.sh
    run_suite pinned build/sim test scenarios
    run_suite lint lint
    echo "$passed passed, $failed failed"
    [[ $failed -eq 0 ]]
}

case "${1:-build}" in
build | all) build_all ;;
test) run_tests ;;
bench) make -s -j"$jobs" bench && build/bench ;;
lint)
    out=$(lint)
    echo "$out"
    grep -q '^PASS' <<<"$out"
    ;;
*)
    echo "usage: ./build.sh [build|test|bench|lint]" >&2
    exit 2
    ;;
esac
