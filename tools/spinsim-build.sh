#!/usr/bin/env bash
# spinsim-build.sh: `spinsim build -o OUTDIR [--oss-fuzz] [cc flags] FILE.c...`,
# a driver author's own build (README, "Bring your own driver"; `spinsim
# build --help`). Installed as PREFIX/libexec/spinsim/spinsim-build. It takes
# the flags the installed libraries were built with from spinsim.pc, has
# driver.mk compile and link (only what changed), then names the fuzz target
# once per scenario OUTDIR/sim lists: OUTDIR/fuzz/NAME_fuzzer, with
# NAME_fuzzer.dict and .options, as OSS-Fuzz names them. Bad input or a
# failed build: the compiler's messages, one line of ours on stderr, exit 2,
# and no binary left in OUTDIR.
set -uo pipefail

prefix=$(cd "$(dirname "$(realpath "$0")")/../.." && pwd)
pc_file="$prefix/lib/pkgconfig/spinsim.pc"
outputs=(sim sim-asan sim-tsan fuzz fuzz.new obj/fuzzer)

fail() {
    echo "spinsim build: $*" >&2
    exit 2
}

# A failed build removes every binary, so none is left that looks valid.
fail_build() {
    (cd "$out" && rm -rf "${outputs[@]}")
    fail "$@"
}

out="" oss_fuzz=false
sources=() cflags=()
while (($# > 0)); do
    case $1 in
    -o)
        (($# >= 2)) || fail "-o needs a folder"
        out=$2
        shift
        ;;
    --oss-fuzz) oss_fuzz=true ;;
    -I | -D | -U | -include | -isystem | -iquote)
        (($# >= 2)) || fail "$1 needs a value"
        cflags+=("$1" "$2")
        shift
        ;;
    -I?* | -D?* | -U?* | -W* | -f* | -m* | -g* | -std=* | -include?* | -isystem?* | -iquote?* | -w | -pedantic)
        cflags+=("$1")
        ;;
    -*) fail "unknown option '$1' (cc flags taken: -I -D -U -W -w -f -m -g -std= -pedantic -include -isystem -iquote)" ;;
    *.c) sources+=("$1") ;;
    *) fail "'$1' is neither a .c file nor an option (see spinsim build --help)" ;;
    esac
    shift
done

[[ -n $out ]] || fail "give -o OUTDIR, the folder the build goes to"
((${#sources[@]} > 0)) || fail "give the driver's and the harness's .c files"
for source in "${sources[@]}"; do
    [[ -f $source ]] || fail "$source: no such file"
done
[[ -r $pc_file ]] || fail "$pc_file is missing: install spinsim again (./build.sh install PREFIX)"
if $oss_fuzz && [[ -z ${LIB_FUZZING_ENGINE:-} ]]; then
    fail "--oss-fuzz takes CC, CFLAGS and LIB_FUZZING_ENGINE from the environment, as an OSS-Fuzz builder sets them"
fi
out=$(realpath -m "$out")
if [[ -e $out && ! -f $out/obj/flags ]]; then
    [[ -d $out && -z $(ls -A "$out") ]] || fail "$out holds files of its own: give a new or empty folder, or an earlier build's"
fi
# Paths under this folder become relative, the others absolute: how
# reports and compiler messages name them.
mapfile -t sources < <(realpath -s --relative-base=. "${sources[@]}")
twice=$(printf '%s\n' "${sources[@]}" | sort | uniq -d | head -n 1)
[[ -z $twice ]] || fail "$twice is given twice"
for path in "$out" "${sources[@]}"; do
    [[ $path != *[[:space:]\$:\#%*?\;\\\'\"]* ]] || fail "'$path': make cannot handle its space or special character"
done

declare -A pc_vars
while IFS='=' read -r key value; do
    [[ $key =~ ^[a-z_]+$ ]] && pc_vars[$key]=$value
done <"$pc_file"
# The value of a spinsim.pc variable, its ${...} references expanded.
pc() {
    local value=${pc_vars[$1]-}
    while [[ $value =~ \$\{([a-z_]+)\} ]]; do
        value=${value//"${BASH_REMATCH[0]}"/"${pc_vars[${BASH_REMATCH[1]}]-}"}
    done
    printf '%s' "$value"
}

# WPP: a source's `#include "X.tmh"` names a header the WDK's trace
# preprocessor would generate; each is written once to OUTDIR/obj/tmh as a
# line that includes spinsim's stand-in (spinsim_wpp.h).
mkdir -p "$out/obj/tmh" || fail "cannot create $out"
for tmh in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([A-Za-z0-9_.-]*\.tmh\)".*/\1/p' "${sources[@]}" | sort -u); do
    [[ -f $out/obj/tmh/$tmh ]] || echo '#include <spinsim_wpp.h>' >"$out/obj/tmh/$tmh"
done
cflags+=(-I "$out/obj/tmh")

# The author's flags, quoted for the shell that runs driver.mk's recipes,
# with make's `$` escaped.
quoted=""
if ((${#cflags[@]} > 0)); then
    quoted=$(printf '%q ' "${cflags[@]}")
fi
settings=("OUT=$out" "SOURCES=${sources[*]}" "INCLUDE=$(pc includedir)" "USER_CFLAGS=${quoted//\$/\$\$}"
    "DRIVER_CFLAGS=$(pc driver_cflags)")
variants=(plain asan tsan fuzz)
if $oss_fuzz; then
    variants=(plain)
    settings+=("CC=${CC:-clang}" "fuzz_CFLAGS=${CFLAGS:-}" "fuzz_ARCHIVES=$(pc fuzz_archives)"
        "fuzz_LDFLAGS=$LIB_FUZZING_ENGINE ${CFLAGS:-}")
    rest=("$out/obj/fuzzer")
    rm -f "$out/sim-asan" "$out/sim-tsan"
else
    settings+=("CC=$(pc cc)")
    rest=("$out/sim-asan" "$out/sim-tsan" "$out/obj/fuzzer")
fi
for variant in "${variants[@]}"; do
    settings+=("${variant}_CFLAGS=$(pc "${variant}_cflags")" "${variant}_ARCHIVES=$(pc "${variant}_archives")"
        "${variant}_LDFLAGS=$(pc "${variant}_ldflags")")
done

mkdir -p "$out/obj" || fail "cannot create $out"
printf '%s\n' "cwd=$PWD" "${settings[@]}" >"$out/obj/flags.new"
if cmp -s "$out/obj/flags.new" "$out/obj/flags"; then
    rm "$out/obj/flags.new"
else
    mv "$out/obj/flags.new" "$out/obj/flags"
fi

# make's own lines go: the compiler's messages are the ones that matter.
build() {
    make -s -j"$(nproc 2>/dev/null || echo 2)" --no-print-directory -f "$prefix/share/spinsim/driver.mk" \
        "${settings[@]}" "$@" 2>&1 >/dev/null | grep -Ev '^make(\[[0-9]+\])?: ' >&2
    return "${PIPESTATUS[0]}"
}
# The plain variant first: its warnings are shown, and an error stops there.
build "$out/sim" || fail_build "compiling or linking failed (the compiler's messages are above)"
build "${rest[@]}" || fail_build "compiling or linking a sanitizer variant failed (the compiler's messages are above)"

names=$("$out/sim" list | cut -d' ' -f1)
[[ -n $names ]] || fail_build "the files declare no SIM_SCENARIO"
twice=$(uniq -d <<<"$names" | head -n 1)
[[ -z $twice ]] || fail_build "scenario $twice is declared twice"
rm -rf "$out/fuzz.new"
mkdir "$out/fuzz.new"
for name in $names; do
    ln "$out/obj/fuzzer" "$out/fuzz.new/${name}_fuzzer" &&
        cp -p "$prefix/share/spinsim/scenario.dict" "$out/fuzz.new/${name}_fuzzer.dict" &&
        cp -p "$prefix/share/spinsim/scenario.options" "$out/fuzz.new/${name}_fuzzer.options" ||
        fail_build "cannot write $out/fuzz"
done
rm -rf "$out/fuzz"
mv "$out/fuzz.new" "$out/fuzz"
built=$(cd "$out" && ls -d sim sim-asan sim-tsan 2>/dev/null)
echo "spinsim build: in $out: ${built//$'\n'/, }, fuzz/NAME_fuzzer for ${names//$'\n'/, }"
