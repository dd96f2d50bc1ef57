# Makefile: every variant of spinsim, built into $(BUILD). build.sh drives it;
# new .c files in sim/, locks/, scenarios/ and tests/ are picked up by
# wildcard. Variants:
#   plain  -O2, warnings as errors; the machine as one ThinLTO object
#          compiled with a profile of itself (both below, when the tools
#          are there)                               build/sim, build/libspinsim.a
#          (every variant: libspinsim*.a is the machine and the locks,
#          libspinsim-cli*.a the command line with its main)
#   asan   ASan + UBSan                             build/sim-asan
#   tsan   TSan for lock and driver code; sim/ itself is left uninstrumented
#          and tells TSan the happens-before (docs/design.md, sanitizer traps)
#                                                   build/sim-tsan
#   native the lock families (locks/spinlock.c, queued.c, interrupt.c,
#          exlock.c, irql.c) on real atomics and pthreads
#                                                   build/libspinsim-native.a,
#                                                   build/native-stress
CC := clang
# No built-in rules: make's `%: %.o` would try to "remake" an included
# dependency file such as target-ring_rx.d by linking target-ring_rx.d.o.
MAKEFLAGS += --no-builtin-rules
BUILD ?= build
WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
# -fshort-wchar: WCHAR and L"..." are 16-bit, as on Windows; wdm.h requires it
# (locks/include/ntdef.h), and sim/ includes wdm.h through sim.h.
BASE := -std=gnu11 -g -fno-omit-frame-pointer -fshort-wchar -Isim/include -Ilocks/include -Isim -Ifuzz -MMD -MP $(WARNINGS)
EXTRA_CFLAGS ?=
# What every driver file gets, in tree (scenarios/, tests/scenarios/,
# tests/fuzz/) and out of tree (`spinsim build` reads it from spinsim.pc).
# -fno-builtin and the -D names: driver code's calls of the C library's
# memory routines (and RtlZeroMemory and its kin, wdm.h's macros over them)
# go through sim/driver_memory.c, which checks the bytes they touch.
SPINSIM_DRIVER_CFLAGS := -g -fno-omit-frame-pointer -fshort-wchar -fno-builtin -Dmemset=spinsim_memset \
    -Dmemcpy=spinsim_memcpy -Dmemmove=spinsim_memmove -Dmemcmp=spinsim_memcmp
# Driver code is also built so that the machine sees its plain loads and
# stores: the compiler calls sim/access.c before each one (data races and
# use after free, in every variant). The edge coverage beside them is there
# only because clang emits the load and store hooks only alongside some
# kind of it: inline flags cost least, but TSan would see their stores as
# races between contexts, so the TSan variant takes the guard callbacks
# (its runtime's no-op), and the fuzz flags bring their own. Driver code
# keeps ASan but not UBSan: what C calls undefined (a signed overflow, a
# shift) is defined on the driver's real compiler and target, and what
# would crash on Windows is a `crash` finding (sim/guard.c). Its ASan
# recovers, so a report becomes a finding of the run (sim/sanreport.c). In
# OSS-Fuzz mode the caller's flags decide (build.sh empties
# FUZZ_DRIVER_SANITIZE).
SPINSIM_DRIVER_ACCESSES := -fsanitize-coverage=inline-bool-flag,trace-loads,trace-stores
DRIVER_SANITIZE := -fno-sanitize=undefined -fsanitize-recover=address
FUZZ_DRIVER_SANITIZE ?= $(DRIVER_SANITIZE)
plain_DRIVER_CFLAGS = $(SPINSIM_DRIVER_ACCESSES)
asan_DRIVER_CFLAGS = $(SPINSIM_DRIVER_ACCESSES) $(DRIVER_SANITIZE)
tsan_DRIVER_CFLAGS = -fsanitize-coverage=trace-pc-guard,trace-loads,trace-stores
fuzz_DRIVER_CFLAGS = -fsanitize-coverage=trace-loads,trace-stores $(FUZZ_DRIVER_SANITIZE)

SIM_SRC := $(wildcard sim/*.c) sim/fiber_x86_64.S fuzz/decode.c fuzz/sha1.c
LOCKS_SRC := $(wildcard locks/*.c)
CLI_SRC := $(wildcard sim/cli/*.c)
SCENARIO_SRC := $(wildcard scenarios/*.c)
TEST_SRC := $(wildcard tests/*.c tests/scenarios/*.c) fuzz/mutate.c
BENCH_SRC := $(wildcard bench/*.c)

plain_CFLAGS := -O2
plain_SIM_CFLAGS := -O2
# The plain machine is one object: sim/'s files (not the CLI's) compiled
# for ThinLTO and linked into $(BUILD)/obj/plain/machine.o by ld.lld -r, so
# a step's calls from one of its files into another inline (a quarter off
# an uncontended in-stack queued pair, bench/README.md). The object is native code: the
# library links with any linker, as a driver author's build links it.
# Without ld.lld, or with MACHINE_LTO= (command line or environment), the
# machine's objects go into the library one by one, as the other variants'
# do. Make does not track flags: switch on an empty $(BUILD).
MACHINE_LTO ?= $(if $(shell command -v ld.lld 2>/dev/null),-flto=thin)
plain_LTO_CFLAGS := $(MACHINE_LTO)
# The plain machine is also compiled with a profile of itself exploring the
# bundled scenarios (PGO, below): the compiler lays out and inlines the
# paths a run takes. Without llvm-profdata, or with MACHINE_PGO=, it is not.
# The llvm-profdata beside the compiler: its profiles are the ones it reads.
LLVM_PROFDATA ?= $(shell $(CC) -print-prog-name=llvm-profdata)
MACHINE_PGO ?= $(if $(shell command -v $(LLVM_PROFDATA) 2>/dev/null),yes)
PGO_DIR ?= $(BUILD)/pgo
PGO_PROFILE := $(PGO_DIR)/machine.profdata
plain_PGO_CFLAGS := $(if $(MACHINE_PGO),-fprofile-instr-use=$(PGO_PROFILE) -Wno-profile-instr-unprofiled \
    -Wno-profile-instr-out-of-date -Wno-profile-instr-missing)
plain_LDFLAGS :=
asan_CFLAGS := -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined
# The sanitizer builds run every test, and they alone check the invariants
# of a step's own path (SIM_CHECK_STEPS, sim/step_assert.h).
asan_SIM_CFLAGS := $(asan_CFLAGS) -DSIM_CHECK_STEPS=1
asan_LDFLAGS := -fsanitize=address,undefined
tsan_CFLAGS := -O1 -fsanitize=thread
tsan_SIM_CFLAGS := -O1 -DSIM_TSAN=1 -DSIM_CHECK_STEPS=1
tsan_LDFLAGS := -fsanitize=thread

suffix_plain :=
suffix_asan := -asan
suffix_tsan := -tsan

all: plain asan tsan

define variant
$(1)_OBJ := $(BUILD)/obj/$(1)
$(1)_SIM_OBJS := $$(patsubst %,$$($(1)_OBJ)/%.o,$(SIM_SRC))
$(1)_LOCKS_OBJS := $$(patsubst %,$$($(1)_OBJ)/%.o,$(LOCKS_SRC))
$(1)_CLI_OBJS := $$(patsubst %,$$($(1)_OBJ)/%.o,$(CLI_SRC))
$(1)_SCENARIO_OBJS := $$(patsubst %,$$($(1)_OBJ)/%.o,$(SCENARIO_SRC))
$(1)_TEST_OBJS := $$(patsubst %,$$($(1)_OBJ)/%.o,$(TEST_SRC))
$(1)_LIB := $(BUILD)/libspinsim$(suffix_$(1)).a
$(1)_CLI_LIB := $(BUILD)/libspinsim-cli$(suffix_$(1)).a

$$($(1)_OBJ)/sim/%.o: sim/%
	@mkdir -p $$(@D)
	$$(CC) $(BASE) $$($(1)_SIM_CFLAGS) $$(MACHINE_CFLAGS) $(EXTRA_CFLAGS) -c $$< -o $$@

$$($(1)_OBJ)/fuzz/%.o: fuzz/%
	@mkdir -p $$(@D)
	$$(CC) $(BASE) $$($(1)_SIM_CFLAGS) $$(MACHINE_CFLAGS) $(EXTRA_CFLAGS) -c $$< -o $$@

# The machine's C files get the variant's LTO and PGO flags (the CLI's do
# not: its library stays ordinary objects).
$$(filter %.c.o,$$($(1)_SIM_OBJS)): private MACHINE_CFLAGS := $$($(1)_LTO_CFLAGS) $$($(1)_PGO_CFLAGS)
$(1)_MACHINE := $$(if $$($(1)_LTO_CFLAGS),$$($(1)_OBJ)/machine.o,$$($(1)_SIM_OBJS))

$$($(1)_OBJ)/machine.o: $$($(1)_SIM_OBJS)
	$$(CC) $$($(1)_LTO_CFLAGS) -O2 -fuse-ld=lld -r -nostdlib $$^ -o $$@

$$($(1)_OBJ)/%.c.o: %.c
	@mkdir -p $$(@D)
	$$(CC) $(BASE) $$($(1)_CFLAGS) $$(DRIVER_CFLAGS) $(EXTRA_CFLAGS) -c $$< -o $$@

$$($(1)_LIB): $$($(1)_MACHINE) $$($(1)_LOCKS_OBJS)
$$($(1)_CLI_LIB): $$($(1)_CLI_OBJS)
$$($(1)_LIB) $$($(1)_CLI_LIB):
	@rm -f $$@
	ar rcs $$@ $$^

# Linked as a driver author's build links: main comes from the CLI library.
$(BUILD)/sim$(suffix_$(1)): $$($(1)_SCENARIO_OBJS) $$($(1)_CLI_LIB) $$($(1)_LIB)
	$$(CC) $$($(1)_LDFLAGS) $$^ -o $$@

$(BUILD)/tests$(suffix_$(1)): $$($(1)_TEST_OBJS) $$($(1)_SCENARIO_OBJS) $$($(1)_LIB)
	$$(CC) $$($(1)_LDFLAGS) $$^ -o $$@

$(1): $(BUILD)/sim$(suffix_$(1)) $(BUILD)/tests$(suffix_$(1))

-include $$(shell find $$($(1)_OBJ) -name '*.d' 2>/dev/null)
endef

$(eval $(call variant,plain))
$(eval $(call variant,asan))
$(eval $(call variant,tsan))

# sim/, sim/cli/ and fuzz/ match the first pattern rules (shorter stem), so
# the machine and the CLI get the SIM flags: no TSan instrumentation there.

# PGO: the machine's C files compiled to count what runs (PGO_DIR/obj), a
# `sim` linked with them, which explores every bundled scenario under each
# strategy (2,000 runs each, a few seconds), and the counts merged into
# PGO_PROFILE, which the plain machine's objects are compiled with. The
# bench's own workloads are not among them: the bench measures code
# trained on something else. Nothing in a run's decisions or output
# depends on it (the trace digests match across variants). The profile is
# made once per build directory, when it is missing: after edits, a
# function it no longer matches is compiled without it. `rm -r $(PGO_DIR)`
# makes a fresh one, and every object compiled with a profile depends on
# it, so that none is linked with objects of another profile (ThinLTO
# refuses that). Builds in other directories (the bench's) may name this
# one's (PGO_DIR).
PGO_GEN_OBJS := $(patsubst %,$(PGO_DIR)/obj/%.o,$(filter %.c,$(SIM_SRC))) $(plain_OBJ)/sim/fiber_x86_64.S.o
PGO_STRATEGIES := portfolio pct dfs random

$(PGO_DIR)/obj/%.c.o: %.c
	@mkdir -p $(@D)
	$(CC) $(BASE) -O2 -fprofile-instr-generate -c $< -o $@

$(PGO_DIR)/sim-train: $(plain_SCENARIO_OBJS) $(plain_CLI_LIB) $(PGO_GEN_OBJS) $(plain_LOCKS_OBJS)
	$(CC) -fprofile-instr-generate $^ -o $@

# A scenario whose verdict differs is the tests' business, not the build's.
PGO_MISSING := $(if $(MACHINE_PGO),$(if $(wildcard $(PGO_PROFILE)),,yes))
ifneq ($(PGO_MISSING),)
$(PGO_PROFILE): $(PGO_DIR)/sim-train
	rm -rf $(PGO_DIR)/raw $(PGO_DIR)/run && mkdir -p $(PGO_DIR)/run
	cd $(PGO_DIR)/run && for strategy in $(PGO_STRATEGIES); do \
	    LLVM_PROFILE_FILE=../raw/%p.profraw ../sim-train run --all --strategy $$strategy --runs 2000 >/dev/null 2>&1 || true; \
	done
	$(LLVM_PROFDATA) merge -o $@ $(PGO_DIR)/raw/*.profraw
endif

# The wide clock joins (sim/vclock.c) run only past 8 contexts, which no
# bundled scenario has: with the profile they would be compiled as cold
# code, not vectorized. They get none.
$(plain_OBJ)/sim/vclock.c.o: private MACHINE_CFLAGS := $(plain_LTO_CFLAGS)

ifneq ($(MACHINE_PGO),)
$(filter-out %/vclock.c.o,$(filter %.c.o,$(plain_SIM_OBJS))): $(PGO_PROFILE)
endif

-include $(shell find $(PGO_DIR)/obj -name '*.d' 2>/dev/null)

BENCH_BIN := $(BUILD)/bench
$(BENCH_BIN): $(patsubst %,$(plain_OBJ)/%.o,$(BENCH_SRC)) $(plain_SCENARIO_OBJS) $(plain_LIB)
	$(CC) $^ -lm -o $@

bench: $(BENCH_BIN) $(BUILD)/native-pairs

.PHONY: all plain asan tsan bench

# native: the same lock code (the families' files in locks/, and the DPC,
# event and wait routines a scenario's stress test needs) on real C11
# atomics and pthreads instead of the machine (locks/native/), for the
# native stress test and the native side of the benchmark. -Isim: the
# interrupt object's file reads the machine's internal declarations;
# -Ilocks: the native backend implements some of the lock code's own
# hooks (lock_internal.h); -Ilocks/native: a native harness binds CPUs and
# posts interrupts (native.h).
NATIVE_OBJ := $(BUILD)/obj/native
NATIVE_LOCKS := locks/spinlock.c locks/queued.c locks/interrupt.c locks/exlock.c locks/irql.c locks/interlocked.c \
    locks/dpc.c locks/event.c locks/wait.c
NATIVE_SRC := $(wildcard locks/native/*.c) $(NATIVE_LOCKS)
NATIVE_CFLAGS := -std=gnu11 -g -O2 -fno-omit-frame-pointer -fshort-wchar -pthread -Isim/include -Ilocks/include -Isim -Ilocks -Ilocks/native -MMD -MP $(WARNINGS)
NATIVE_LIB := $(BUILD)/libspinsim-native.a

$(NATIVE_OBJ)/%.c.o: %.c
	@mkdir -p $(@D)
	$(CC) $(NATIVE_CFLAGS) -c $< -o $@

$(NATIVE_LIB): $(patsubst %,$(NATIVE_OBJ)/%.o,$(NATIVE_SRC))
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/native-stress: $(patsubst %,$(NATIVE_OBJ)/%.o,$(wildcard tests/native/*.c)) $(NATIVE_LIB)
	$(CC) -pthread $^ -o $@

# The native side of the bench's simulated-against-native section: the
# same pair loops (bench/lock_pairs.c) on the native backend.
$(BUILD)/native-pairs: $(patsubst %,$(NATIVE_OBJ)/%.o,bench/native/native_pairs.c bench/lock_pairs.c bench/clock.c) $(NATIVE_LIB)
	$(CC) -pthread $^ -o $@

# Stress testing a bundled scenario natively (bench/stress_vs_sim.sh): its
# own code on real threads under the native owner check. A scenario whose
# roles or routines the native backend lacks does not link.
$(BUILD)/native-scenario/%: $(NATIVE_OBJ)/bench/native/stress_harness.c.o $(NATIVE_OBJ)/bench/clock.c.o \
    $(NATIVE_OBJ)/scenarios/%.c.o $(NATIVE_LIB)
	@mkdir -p $(@D)
	$(CC) -pthread $^ -o $@

native: $(NATIVE_LIB) $(BUILD)/native-stress $(BUILD)/native-pairs

-include $(shell find $(NATIVE_OBJ) -name '*.d' 2>/dev/null)

.PHONY: native

# fuzz: one libFuzzer target per bundled scenario (build/fuzz/<name>_fuzzer)
# and one per parser of our own (schedule, decode, debuginfo). Lock
# code gets UBSan; driver code (scenarios/) does not (see the driver flags
# above). Lock and driver code get ASan; only driver code gets libFuzzer's
# code coverage (FUZZ_LOCKS_NO_SANITIZE): the lock code's branches and
# comparisons are the lock states interleaving coverage (sim/cover.c)
# counts already, and instrumenting them cost 7% of the executions and
# found the bundled bugs no sooner (fuzz/README.md). The machine gets none
# of the three: its comparisons are noise to the fuzzer and cost 5x in
# exec/s, it feeds interleaving coverage instead; ASan's checks of its own
# bookkeeping cost 1.5x, and so do UBSan's, whose checks make a step's
# small helpers too big to inline (the ASan test variant runs the machine
# under both, on every test). The one
# file of the machine that reads and writes driver memory, sim/atomic.c,
# keeps ASan and UBSan, so a lock in freed memory is still reported. The
# parser targets link covered, ASan copies of their parser (FUZZ_COV_OBJ).
# build.sh's OSS-Fuzz mode overrides FUZZ_CFLAGS, FUZZ_ENGINE and WARNINGS
# with the caller's flags, keeps the caller's UBSan on the machine
# (FUZZ_SIM_NO_SANITIZE: its `undefined` build is there to check it) and
# links no LTO object and no profile (FUZZ_LTO_CFLAGS, FUZZ_PGO_CFLAGS).
# FUZZ_BUILD holds the fuzz objects and library apart from BUILD when
# build.sh installs them built with an OSS-Fuzz builder's flags.
FUZZ_BUILD ?= $(BUILD)
FUZZ_OBJ := $(FUZZ_BUILD)/obj/fuzz
FUZZ_COV_OBJ := $(FUZZ_BUILD)/obj/fuzz-cov
FUZZ_CFLAGS ?= -O2 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
FUZZ_SIM_NO_SANITIZE ?= fuzzer-no-link,address,undefined
FUZZ_SIM_CFLAGS ?= $(FUZZ_CFLAGS) -fno-sanitize=$(FUZZ_SIM_NO_SANITIZE) \
    $(if $(findstring address,$(FUZZ_CFLAGS)),-DSIM_ASAN=1)
FUZZ_DRIVER_MEMORY_CFLAGS := $(FUZZ_CFLAGS) -fno-sanitize=fuzzer-no-link
FUZZ_ENGINE ?= -fsanitize=fuzzer,address,undefined
FUZZ_SCENARIOS := $(basename $(notdir $(SCENARIO_SRC)))
FUZZ_PARSERS := schedule decode debuginfo
FUZZ_TARGETS := $(patsubst %,$(BUILD)/fuzz/%_fuzzer,$(FUZZ_SCENARIOS) $(FUZZ_PARSERS))
# The in-process symbolizer: an ELF image and its DWARF.
DEBUGINFO_SRC := sim/elf_image.c sim/debuginfo.c $(wildcard sim/dwarf_*.c)
FUZZ_LIB := $(FUZZ_BUILD)/libspinsim-fuzz.a

$(FUZZ_OBJ)/sim/%.o: sim/%
	@mkdir -p $(@D)
	$(CC) $(BASE) $(FUZZ_SIM_CFLAGS) $(MACHINE_CFLAGS) -c $< -o $@

$(FUZZ_OBJ)/sim/atomic.c.o: FUZZ_SIM_CFLAGS = $(FUZZ_DRIVER_MEMORY_CFLAGS)

$(FUZZ_OBJ)/fuzz/%.o: fuzz/%
	@mkdir -p $(@D)
	$(CC) $(BASE) $(FUZZ_SIM_CFLAGS) $(MACHINE_CFLAGS) -c $< -o $@

# The fuzz machine is one LTO object too, compiled with the plain one's
# profile (each file keeps its own sanitizers: code of different ones
# never inlines into each other), but for the parsers: their fuzz
# targets link covered copies of their own (FUZZ_COV_OBJ), which must
# replace the library's.
FUZZ_LTO_CFLAGS ?= $(MACHINE_LTO)
FUZZ_PGO_CFLAGS ?= $(plain_PGO_CFLAGS)
FUZZ_PARSER_OBJS := $(FUZZ_OBJ)/sim/schedule.c.o $(FUZZ_OBJ)/fuzz/decode.c.o \
    $(patsubst %,$(FUZZ_OBJ)/%.o,$(DEBUGINFO_SRC))
FUZZ_SIM_OBJS := $(filter-out $(FUZZ_PARSER_OBJS),$(patsubst %,$(FUZZ_OBJ)/%.o,$(SIM_SRC)))
$(filter %.c.o,$(FUZZ_SIM_OBJS)): private MACHINE_CFLAGS := $(FUZZ_LTO_CFLAGS) $(FUZZ_PGO_CFLAGS)
$(FUZZ_OBJ)/sim/vclock.c.o: private MACHINE_CFLAGS := $(FUZZ_LTO_CFLAGS)
ifneq ($(FUZZ_PGO_CFLAGS),)
$(filter-out %/vclock.c.o,$(filter %.c.o,$(FUZZ_SIM_OBJS))): $(PGO_PROFILE)
endif
FUZZ_MACHINE := $(if $(FUZZ_LTO_CFLAGS),$(FUZZ_OBJ)/machine.o,$(FUZZ_SIM_OBJS)) $(FUZZ_PARSER_OBJS)

$(FUZZ_OBJ)/machine.o: $(FUZZ_SIM_OBJS)
	$(CC) $(FUZZ_LTO_CFLAGS) -O2 -fuse-ld=lld -r -nostdlib $^ -o $@

$(FUZZ_OBJ)/%.o: %
	@mkdir -p $(@D)
	$(CC) $(BASE) $(FUZZ_CFLAGS) $(DRIVER_CFLAGS) $(FUZZ_LOCKS_CFLAGS) -c $< -o $@

# Lock code: ASan and UBSan as driver code, no libFuzzer coverage.
FUZZ_LOCKS_NO_SANITIZE ?= fuzzer-no-link
$(patsubst %,$(FUZZ_OBJ)/%.o,$(LOCKS_SRC)): private FUZZ_LOCKS_CFLAGS := -fno-sanitize=$(FUZZ_LOCKS_NO_SANITIZE)

$(FUZZ_COV_OBJ)/%.o: %
	@mkdir -p $(@D)
	$(CC) $(BASE) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_LIB): $(FUZZ_MACHINE) $(patsubst %,$(FUZZ_OBJ)/%.o,$(LOCKS_SRC))
	@rm -f $@
	ar rcs $@ $^

# Scenario targets mutate events, not bytes (fuzz/mutate.c); with
# FUZZ_MUTATOR= they keep libFuzzer's byte mutations (bench/fuzz.sh compares).
FUZZ_MUTATOR ?= $(FUZZ_OBJ)/fuzz/mutate.c.o

# One target.c object for every target: each finds its scenario by its own
# file name, NAME_fuzzer, as installed targets do.
$(BUILD)/fuzz/%_fuzzer: $(FUZZ_OBJ)/fuzz/target.c.o $(FUZZ_OBJ)/scenarios/%.c.o $(FUZZ_MUTATOR) $(FUZZ_LIB)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_ENGINE) $^ -o $@

# Test-only targets (tests/fuzz.sh): tests/fuzz/NAME.c defines scenario NAME.
$(BUILD)/fuzz/test/%_fuzzer: $(FUZZ_OBJ)/fuzz/target.c.o $(FUZZ_OBJ)/tests/fuzz/%.c.o $(FUZZ_LIB)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_ENGINE) $^ -o $@

$(BUILD)/fuzz/schedule_fuzzer: $(FUZZ_COV_OBJ)/fuzz/schedule_fuzzer.c.o $(FUZZ_COV_OBJ)/sim/schedule.c.o $(FUZZ_LIB)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_ENGINE) $^ -o $@

$(BUILD)/fuzz/decode_fuzzer: $(FUZZ_COV_OBJ)/fuzz/decode_fuzzer.c.o $(FUZZ_COV_OBJ)/fuzz/decode.c.o $(FUZZ_LIB)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_ENGINE) $^ -o $@

$(BUILD)/fuzz/debuginfo_fuzzer: $(FUZZ_COV_OBJ)/fuzz/debuginfo_fuzzer.c.o \
    $(patsubst %,$(FUZZ_COV_OBJ)/%.o,$(DEBUGINFO_SRC)) $(FUZZ_LIB)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_ENGINE) $^ -o $@

# The symbolizer target's seeds: fuzz/debuginfo_seed.c as a small image of
# its own (no C library, pages of 16 bytes), with DWARF 4 and DWARF 5.
DEBUGINFO_SEEDS := $(patsubst %,$(BUILD)/fuzz/debuginfo-corpus/dwarf%,4 5)

$(BUILD)/fuzz/debuginfo-corpus/dwarf%: fuzz/debuginfo_seed.c
	@mkdir -p $(@D)
	$(CC) -g -gdwarf-$* -O1 -nostdlib -static -fno-pie -fno-asynchronous-unwind-tables -Wl,--build-id=none \
	    -Wl,-z,max-page-size=16 -Wl,-z,noseparate-code -Wl,-z,norelro $< -o $@

fuzz: $(FUZZ_TARGETS) $(DEBUGINFO_SEEDS)

fuzz-tests: $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/test/%_fuzzer,$(wildcard tests/fuzz/*.c))

-include $(shell find $(FUZZ_OBJ) $(FUZZ_COV_OBJ) -name '*.d' 2>/dev/null)

.PHONY: fuzz fuzz-tests

# Driver code, bundled or a test's, gets SPINSIM_DRIVER_CFLAGS and its
# variant's driver flags (above).
fuzz_OBJ := $(FUZZ_OBJ)
$(foreach v,plain asan tsan fuzz,$(eval $($(v)_OBJ)/scenarios/% $($(v)_OBJ)/tests/scenarios/% \
    $($(v)_OBJ)/tests/fuzz/%: DRIVER_CFLAGS = $(SPINSIM_DRIVER_CFLAGS) $($(v)_DRIVER_CFLAGS)))

# install: what a driver author builds against (README, "Bring your own
# driver"), into $(PREFIX), which `./build.sh install PREFIX` makes absolute:
#   bin/spinsim                     build/sim, whose `build` command runs
#   libexec/spinsim/spinsim-build   (tools/spinsim-build.sh) with
#   share/spinsim/driver.mk         (tools/driver.mk)
#   include/spinsim/                the driver headers and sim.h with what it includes
#   lib/spinsim/                    each variant's machine and CLI libraries; the fuzz
#                                   library and the fuzz targets' main object
#   lib/pkgconfig/spinsim.pc        every variant's flags, as the libraries were built
#   share/spinsim/scenario.{dict,options}   libFuzzer's dictionary and flags
# A file is copied only when its source is newer; nothing current is rebuilt.
PREFIX ?=
ifneq ($(filter install,$(MAKECMDGOALS)),)
ifeq ($(PREFIX),)
$(error make install needs PREFIX=DIR)
endif
endif
INSTALL_HEADERS := $(wildcard locks/include/*.h) $(addprefix sim/include/,sim.h sim_kind.h sim_site.h)
INSTALL_LIB := $(PREFIX)/lib/spinsim
INSTALL_PC := $(PREFIX)/lib/pkgconfig/spinsim.pc
# The scenario targets' main: fuzz/target.c choosing the scenario by the
# binary's name (NAME_fuzzer), with the event mutator.
FUZZ_MAIN := $(FUZZ_BUILD)/spinsim-fuzz-main.o

$(FUZZ_MAIN): $(FUZZ_OBJ)/fuzz/target.c.o $(FUZZ_OBJ)/fuzz/mutate.c.o
	$(CC) -r $^ -o $@

# $(call install_file,FROM,TO,MODE)
define install_file
$(2): $(1)
	@mkdir -p $$(@D)
	install -m $(3) $$< $$@
install: $(2)
endef

$(eval $(call install_file,$(BUILD)/sim,$(PREFIX)/bin/spinsim,755))
$(eval $(call install_file,tools/spinsim-build.sh,$(PREFIX)/libexec/spinsim/spinsim-build,755))
$(foreach file,tools/driver.mk fuzz/scenario.dict fuzz/scenario.options,\
    $(eval $(call install_file,$(file),$(PREFIX)/share/spinsim/$(notdir $(file)),644)))
$(foreach header,$(INSTALL_HEADERS),$(eval $(call install_file,$(header),$(PREFIX)/include/spinsim/$(notdir $(header)),644)))
$(foreach lib,$(foreach v,plain asan tsan,$($(v)_LIB) $($(v)_CLI_LIB)) $(FUZZ_LIB) $(FUZZ_MAIN),\
    $(eval $(call install_file,$(lib),$(INSTALL_LIB)/$(notdir $(lib)),644)))

# Per variant: its cflags for driver code, the archives to link (the CLI's
# main, or the fuzz targets' main, first) and the link flags. `spinsim
# build` reads them. $(call pc_variant,NAME,CFLAGS,FIRST,LIB,LDFLAGS), by
# variable names: the values hold commas.
define pc_variant
$(1)_cflags=$(strip $($(2)))
$(1)_archives=$${libdir}/$(notdir $($(3))) $${libdir}/$(notdir $($(4)))
$(1)_ldflags=$(strip $($(5)))
$(1)_libs=$${$(1)_archives} $${$(1)_ldflags}
endef

# A variant's flags for driver code: the variant's own, then its driver flags.
plain_PC_CFLAGS = $(plain_CFLAGS) $(plain_DRIVER_CFLAGS)
asan_PC_CFLAGS = $(asan_CFLAGS) $(asan_DRIVER_CFLAGS)
tsan_PC_CFLAGS = $(tsan_CFLAGS) $(tsan_DRIVER_CFLAGS)
fuzz_PC_CFLAGS = $(FUZZ_CFLAGS) $(fuzz_DRIVER_CFLAGS)

define spinsim_pc
prefix=$(PREFIX)
includedir=$${prefix}/include/spinsim
libdir=$${prefix}/lib/spinsim
cc=$(CC)
driver_cflags=$(SPINSIM_DRIVER_CFLAGS)
$(call pc_variant,plain,plain_PC_CFLAGS,plain_CLI_LIB,plain_LIB,plain_LDFLAGS)
$(call pc_variant,asan,asan_PC_CFLAGS,asan_CLI_LIB,asan_LIB,asan_LDFLAGS)
$(call pc_variant,tsan,tsan_PC_CFLAGS,tsan_CLI_LIB,tsan_LIB,tsan_LDFLAGS)
$(call pc_variant,fuzz,fuzz_PC_CFLAGS,FUZZ_MAIN,FUZZ_LIB,FUZZ_ENGINE)

Name: spinsim
Description: deterministic concurrency simulator for Windows-kernel spin locks (driver code, plain variant)
Version: 1
Cflags: -I$${includedir} $${driver_cflags} $(plain_DRIVER_CFLAGS)
Libs: $${plain_libs}
endef

$(INSTALL_PC): export SPINSIM_PC = $(spinsim_pc)
$(INSTALL_PC): FORCE
	@mkdir -p $(@D)
	@printf '%s\n' "$$SPINSIM_PC" >$@.new
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

install: $(INSTALL_PC)

FORCE:

.PHONY: install FORCE

# Keep the objects that only a pattern rule's chain names (a scenario's
# object in a fuzz target or a native stress harness): make would delete
# them after the first build, and the next make, which reads their .d
# files, would rebuild and relink. With them kept, make after make builds
# nothing, as the install suite checks while other suites run.
.SECONDARY:
