#!/usr/bin/env bash
# symbolize.sh: the in-process symbolizer (sim/debuginfo.c) against
# llvm-symbolizer, whose answers it gives without starting it. The same
# questions go to both, each tool run once with them on stdin: every 4th
# instruction address of the executable sections and the byte after it,
# each function's first and last byte, and the start, middle and end of
# every data symbol (as DATA). The binaries: build/sim and build/tests
# (clang, DWARF 5, the machine linked with ThinLTO), and two bundled
# scenarios with spinsim's libraries built here with DWARF 4, with gcc
# (DWARF 4 and 5), with discarded sections (-ffunction-sections,
# --gc-sections) and with compressed debug sections (-gz). The reader's
# frames (function, file, line, column) must be llvm-symbolizer's; it must
# answer every question but those whose frames carry C++ names, which
# llvm-symbolizer demangles and it leaves to llvm-symbolizer (so
# llvm-symbolizer runs with --no-demangle here: where the reader answers,
# no name is mangled, and both runs print the same); and it must answer
# no question about code of the compressed build, which falls back to
# llvm-symbolizer. Then reports whose sites come from code addresses (a
# data race, a lock leak, an IRQL leak) read the same from the reader alone
# (no symbolizer on PATH) as from llvm-symbolizer ($SPINSIM_SYMBOLIZER).
# Without llvm-symbolizer on PATH, one SKIP line. Prints PASS/FAIL/SKIP
# lines for build.sh to count.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }

symbolizer=$(command -v llvm-symbolizer || command -v llvm-symbolizer-14)
if [[ -z "$symbolizer" ]]; then
    echo "SKIP symbolize: no llvm-symbolizer on PATH to compare the in-process symbolizer with"
    exit 0
fi

# The questions about BINARY, one a line: `0xADDRESS` about code (in
# executable sections), `DATA 0xADDRESS` about data (anywhere).
questions() {
    local binary=$1
    {
        readelf -SW "$binary" | sed -n 's/^ *\[ *\([0-9]*\)\] /\1 /p' | awk '$8 ~ /X/ { print "exec", $1 }'
        objdump -d --no-show-raw-insn "$binary" | awk '/^ *[0-9a-f]+:\t/ { print "insn", $1 }'
        readelf -sW "$binary" | awk '$4 ~ /^(FUNC|OBJECT|NOTYPE|IFUNC|TLS)$/ && $7 != "UND" { print $4, $2, $3, $7 }'
    } | awk '
        function hex(text,    i, n) {
            sub(/^0x/, "", text)
            sub(/:$/, "", text)
            for (i = 1; i <= length(text); i++)
                n = n * 16 + index("0123456789abcdef", substr(text, i, 1)) - 1
            return n
        }
        # readelf gives sizes in decimal, big ones in hex.
        function size(text) { return text ~ /^0x/ ? hex(text) : text + 0 }
        $1 == "exec" { executable[$2] = 1 }
        $1 == "insn" && count++ % 4 == 0 { start = hex($2); printf "0x%x\n0x%x\n", start, start + 1 }
        $1 != "exec" && $1 != "insn" {
            start = hex($2)
            if ($4 in executable)
                printf "0x%x\n", start
            printf "DATA 0x%x\n", start
        }
        $1 == "FUNC" { printf "0x%x\n", start + (size($3) > 0 ? size($3) - 1 : 0) }
        $1 == "OBJECT" || $1 == "NOTYPE" { printf "DATA 0x%x\nDATA 0x%x\n", start + int(size($3) / 2), start + size($3) }'
}

# compare NAME BINARY [code-refused]: asks both about BINARY. With
# code-refused, the reader must answer no question about code (and every
# question about data as llvm-symbolizer does).
compare() {
    local name=$1 binary=$2 refused=${3:-} dir="$work/compare-$1"
    mkdir -p "$dir"
    questions "$binary" >"$dir/questions"
    "$symbolizer" --obj="$binary" --inlines --relativenames --functions=linkage --no-demangle \
        <"$dir/questions" >"$dir/llvm" 2>/dev/null
    "$root/build/tests" --symbolize "$binary" <"$dir/questions" >"$dir/reader" 2>&1
    # One answer a paragraph; prints: questions, same, left for C++ names,
    # refused, differing, then up to three differences.
    awk -v questions="$dir/questions" -v refused="$refused" '
        BEGIN { while ((getline line <questions) > 0) asked[++n] = line; RS = ""; FS = "\n" }
        FILENAME == ARGV[1] { llvm[FNR] = $0; next }
        {
            total++
            code = asked[FNR] !~ /^DATA /
            if (refused != "" && code) {
                if ($0 == "NO ANSWER")
                    no++
                else
                    differing[++bad] = FNR
            } else if ($0 == llvm[FNR]) {
                same++
            } else if ($0 == "NO ANSWER" && llvm[FNR] ~ /(^|\n)_Z/) {
                mangled++
            } else {
                differing[++bad] = FNR
            }
            reader[FNR] = $0
        }
        END {
            printf "%d %d %d %d %d\n", total, same, mangled, no, bad
            for (i = 1; i <= bad && i <= 3; i++) {
                line = differing[i]
                gsub(/\n/, " | ", llvm[line])
                gsub(/\n/, " | ", reader[line])
                printf "    %s: llvm-symbolizer: %s; reader: %s\n", asked[line], llvm[line], reader[line]
            }
        }' "$dir/llvm" "$dir/reader" >"$dir/verdict"
    local total same mangled no bad
    read -r total same mangled no bad <"$dir/verdict"
    if [[ "$(wc -l <"$dir/questions")" -ne "${total:-0}" || ${total:-0} -lt 20 ]]; then
        fail "symbolize $name: $(wc -l <"$dir/questions") questions, ${total:-0} answers from the reader"
    elif [[ -n "$refused" && $bad -eq 0 ]]; then
        pass "symbolize $name: no answer about code ($no questions, left to llvm-symbolizer), $same about data as llvm-symbolizer's"
    elif [[ $bad -eq 0 ]]; then
        pass "symbolize $name: $same of $total answers are llvm-symbolizer's ($mangled with C++ names left to it)"
    else
        fail "symbolize $name: $bad of $total answers differ from llvm-symbolizer's, first:"
        tail -n +2 "$dir/verdict"
    fi
}

compare build/sim "$root/build/sim"
compare build/tests "$root/build/tests"
# Every kind of symbol, without debug information (tests/symbolize/symbols.s).
if clang -nostdlib -static "$root/tests/symbolize/symbols.s" -o "$work/symbols" >"$work/symbols.log" 2>&1; then
    compare "symbol tables" "$work/symbols"
else
    fail "symbolize symbol tables: clang could not build tests/symbolize/symbols.s: $(tail -n 2 "$work/symbols.log")"
fi

# Two bundled scenarios (a data race, a lock leak) and the CLI, as a
# driver author's build would link them, with other compilers and flags.
sources=("$root/scenarios/isr_dpc_unsync.c" "$root/scenarios/leaked_on_error.c")
libraries=("$root/build/libspinsim-cli.a" "$root/build/libspinsim.a")
driver_flags=(-O2 -fshort-wchar -fno-builtin -I"$root/sim/include" -I"$root/locks/include")
accesses=-fsanitize-coverage=inline-bool-flag,trace-loads,trace-stores
# build NAME COMPILER FLAGS...: the binary $work/NAME, compiled in the
# root as the Makefile compiles (so file names are relative to it).
build() {
    local name=$1 compiler=$2
    shift 2
    if (cd "$root" && "$compiler" "${driver_flags[@]}" "$@" "${sources[@]}" "${libraries[@]}" -o "$work/$name") \
        >"$work/$name.log" 2>&1; then
        return 0
    fi
    fail "symbolize $name: $compiler could not build it: $(tail -n 2 "$work/$name.log")"
    return 1
}
build dwarf4 clang -gdwarf-4 "$accesses" && compare "clang -gdwarf-4" "$work/dwarf4"
build gc-sections clang -g -ffunction-sections -fdata-sections -Wl,--gc-sections "$accesses" &&
    compare "clang --gc-sections" "$work/gc-sections"
build compressed clang -g -gz "$accesses" && compare "clang -gz" "$work/compressed" code-refused
if command -v gcc >/dev/null; then
    build gcc4 gcc -gdwarf-4 && compare "gcc -gdwarf-4" "$work/gcc4"
    build gcc5 gcc -gdwarf-5 && compare "gcc -gdwarf-5" "$work/gcc5"
else
    echo "SKIP symbolize gcc: gcc is not installed"
fi

# run DIR BINARY SCENARIO [ENV...]: a run of SCENARIO in DIR, its output in
# DIR/out (the report with its sites).
run() {
    local dir=$1 binary=$2 scenario=$3
    shift 3
    mkdir -p "$dir"
    (cd "$dir" && env "$@" "$binary" run "$scenario" >out 2>&1)
}
# Sites from code addresses: a data race (both accesses), a lock leak and
# an IRQL leak (a routine's last line), in build/sim and in the DWARF 4
# build; then the compressed build, whose sites only llvm-symbolizer gives.
for case in "build/sim:$root/build/sim:isr_dpc_unsync:27" "build/sim:$root/build/sim:leaked_on_error:" \
    "build/sim:$root/build/sim:completion_irql_leak:" "clang -gdwarf-4:$work/dwarf4:isr_dpc_unsync:27" \
    "clang -gdwarf-4:$work/dwarf4:leaked_on_error:"; do
    IFS=: read -r name binary scenario line <<<"$case"
    [[ -x "$binary" ]] || continue
    dir="$work/run-${binary//\//_}-$scenario"
    run "$dir/reader" "$binary" "$scenario" PATH=/nonexistent
    run "$dir/llvm" "$binary" "$scenario" SPINSIM_SYMBOLIZER="$symbolizer"
    site=$(grep -m1 '^  site ' "$dir/reader/out" | sed 's/^  site *//')
    if ! cmp -s "$dir/reader/out" "$dir/llvm/out"; then
        fail "symbolize $name: $scenario's report differs between the reader and llvm-symbolizer:"
        diff "$dir/llvm/out" "$dir/reader/out" | head -n 6 | sed 's/^/    /'
    elif ! [[ "$site" == scenarios/$scenario.c:${line:-[1-9]}* ]]; then
        fail "symbolize $name: $scenario's report, by the reader alone, has $site"
    else
        pass "symbolize $name: $scenario's report is the same from the reader alone as from llvm-symbolizer ($site)"
    fi
done
if [[ -x "$work/compressed" ]]; then
    run "$work/run-compressed/default" "$work/compressed" isr_dpc_unsync
    run "$work/run-compressed/reader" "$work/compressed" isr_dpc_unsync PATH=/nonexistent
    if grep -q '^  site        scenarios/isr_dpc_unsync.c:27 ' "$work/run-compressed/default/out" &&
        ! grep -q '^  site        scenarios/' "$work/run-compressed/reader/out"; then
        pass "symbolize clang -gz: sites the reader does not read come from llvm-symbolizer"
    else
        fail "symbolize clang -gz: $(grep -m1 '^  site ' "$work/run-compressed/default/out"), without llvm-symbolizer $(grep -m1 '^  site ' "$work/run-compressed/reader/out")"
    fi
fi
