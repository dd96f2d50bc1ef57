# fuzz_lib.sh: what the benchmarks that run libFuzzer share (sourced by
# bench/fuzz.sh, bench/strategies.sh and bench/stress_vs_sim.sh, which set
# $root and $work): a final statistic of a libFuzzer log, arithmetic by
# awk, a median, and one campaign on a scenario's target from an empty
# corpus until its first finding.

# calc EXPRESSION [DIGITS]: its value with DIGITS decimals (4), by awk (bc
# is not on every machine).
calc() { awk "BEGIN { printf \"%.${2:-4}f\", $1 }"; }

# median WORDS...: the middle one (the lower middle of an even count);
# "none" counts as larger than any number.
median() {
    printf '%s\n' "$@" | sed 's/^none$/999999999/' | sort -g |
        awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }' | sed 's/^999999999$/none/'
}

# stat NAME LOG: a libFuzzer final statistic.
stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }

# first_finding BUILD NAME INTERLEAVING SEED [RUNS [SECONDS]]: fuzzes
# BUILD/fuzz/NAME_fuzzer (SPINSIM_FUZZ_INTERLEAVING=INTERLEAVING, libFuzzer
# -seed=SEED) from an empty corpus, for at most RUNS executions (default
# 5000000) and SECONDS (default 60), and prints "EXECS SECONDS KIND": the
# executions to the first error and the finding's kind, or "none SECONDS -"
# when the campaign found none.
first_finding() {
    local dir="$work/ff.$RANDOM.$2.$3.$4"
    mkdir -p "$dir/corpus"
    local start end
    start=$(date +%s.%N)
    (cd "$dir" && SPINSIM_FUZZ_INTERLEAVING=$3 "$root/$1/fuzz/$2_fuzzer" corpus -seed="$4" -runs="${5:-5000000}" \
        -max_total_time="${6:-60}" -max_len=256 -dict="$root/fuzz/scenario.dict" -print_final_stats=1 \
        </dev/null >log 2>&1) || true
    end=$(date +%s.%N)
    local schedules=("$dir"/crash-*.sched)
    if [[ -e "${schedules[0]}" ]]; then
        echo "$(stat number_of_executed_units "$dir/log") $(calc "$end - $start") $(sed -n 's/^expect //p' "${schedules[0]}")"
    else
        echo "none $(calc "$end - $start") -"
    fi
}
