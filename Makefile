# Makefile: every variant of spinsim, built into $(BUILD). build.sh drives it;
# new .c files in sim/, locks/, scenarios/ and tests/ are picked up by
# wildcard. Variants:
#   plain  -O2, warnings as errors                  build/sim, build/libspinsim.a
#   asan   ASan + UBSan                             build/sim-asan
#   tsan   TSan for lock and driver code; sim/ itself is left uninstrumented
#          and tells TSan the happens-before (docs/design.md, sanitizer traps)
#                                                   build/sim-tsan
#   native locks/spinlock.c and locks/queued.c on real atomics and pthreads
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

SIM_SRC := $(wildcard sim/*.c) sim/fiber_x86_64.S fuzz/decode.c fuzz/sha1.c
LOCKS_SRC := $(wildcard locks/*.c)
CLI_SRC := $(wildcard sim/cli/*.c)
SCENARIO_SRC := $(wildcard scenarios/*.c)
TEST_SRC := $(wildcard tests/*.c tests/scenarios/*.c) fuzz/mutate.c
BENCH_SRC := $(wildcard bench/*.c)

plain_CFLAGS := -O2
plain_SIM_CFLAGS := -O2
plain_LDFLAGS :=
asan_CFLAGS := -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined
asan_SIM_CFLAGS := $(asan_CFLAGS)
asan_LDFLAGS := -fsanitize=address,undefined
tsan_CFLAGS := -O1 -fsanitize=thread
tsan_SIM_CFLAGS := -O1 -DSIM_TSAN=1
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

$$($(1)_OBJ)/sim/%.o: sim/%
	@mkdir -p $$(@D)
	$$(CC) $(BASE) $$($(1)_SIM_CFLAGS) $(EXTRA_CFLAGS) -c $$< -o $$@

$$($(1)_OBJ)/fuzz/%.o: fuzz/%
	@mkdir -p $$(@D)
	$$(CC) $(BASE) $$($(1)_SIM_CFLAGS) $(EXTRA_CFLAGS) -c $$< -o $$@

$$($(1)_OBJ)/%.c.o: %.c
	@mkdir -p $$(@D)
	$$(CC) $(BASE) $$($(1)_CFLAGS) $(EXTRA_CFLAGS) -c $$< -o $$@

$$($(1)_LIB): $$($(1)_SIM_OBJS) $$($(1)_LOCKS_OBJS)
	@rm -f $$@
	ar rcs $$@ $$^

$(BUILD)/sim$(suffix_$(1)): $$($(1)_CLI_OBJS) $$($(1)_SCENARIO_OBJS) $$($(1)_LIB)
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

BENCH_BIN := $(BUILD)/bench
$(BENCH_BIN): $(patsubst %,$(plain_OBJ)/%.o,$(BENCH_SRC)) $(plain_SCENARIO_OBJS) $(plain_LIB)
	$(CC) $^ -o $@

bench: $(BENCH_BIN)

.PHONY: all plain asan tsan bench

# native: the same lock code (locks/spinlock.c, locks/queued.c) on real C11
# atomics and pthreads instead of the machine (locks/native/), for the
# native stress test and the native side of the benchmark.
NATIVE_OBJ := $(BUILD)/obj/native
NATIVE_SRC := locks/native/native_machine.c locks/spinlock.c locks/queued.c
NATIVE_CFLAGS := -std=gnu11 -g -O2 -fno-omit-frame-pointer -fshort-wchar -pthread -Isim/include -Ilocks/include -MMD -MP $(WARNINGS)
NATIVE_LIB := $(BUILD)/libspinsim-native.a

$(NATIVE_OBJ)/%.c.o: %.c
	@mkdir -p $(@D)
	$(CC) $(NATIVE_CFLAGS) -c $< -o $@

$(NATIVE_LIB): $(patsubst %,$(NATIVE_OBJ)/%.o,$(NATIVE_SRC))
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/native-stress: $(NATIVE_OBJ)/tests/native/stress.c.o $(NATIVE_LIB)
	$(CC) -pthread $^ -o $@

native: $(NATIVE_LIB) $(BUILD)/native-stress

-include $(shell find $(NATIVE_OBJ) -name '*.d' 2>/dev/null)

.PHONY: native

# fuzz: one libFuzzer target per bundled scenario (build/fuzz/<name>_fuzzer)
# and one per parser of our own (schedule_fuzzer, decode_fuzzer). Everything
# gets UBSan. Driver code (locks/, scenarios/) gets ASan and libFuzzer's code
# coverage. The machine gets neither: its comparisons are noise to the
# fuzzer and cost 5x in exec/s, it feeds interleaving coverage instead
# (sim/cover.c), and ASan's checks of its own bookkeeping cost 1.5x (the
# ASan test variant checks the machine). The one file of the machine that
# reads and writes driver memory, sim/atomic.c, keeps ASan, so a lock in
# freed memory is still reported. The parser targets link covered, ASan
# copies of their parser (FUZZ_COV_OBJ).
# build.sh's OSS-Fuzz mode overrides FUZZ_CFLAGS, FUZZ_ENGINE and WARNINGS
# with the caller's flags.
FUZZ_OBJ := $(BUILD)/obj/fuzz
FUZZ_COV_OBJ := $(BUILD)/obj/fuzz-cov
FUZZ_CFLAGS ?= -O2 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
FUZZ_SIM_CFLAGS ?= $(FUZZ_CFLAGS) -fno-sanitize=fuzzer-no-link,address \
    $(if $(findstring address,$(FUZZ_CFLAGS)),-DSIM_ASAN=1)
FUZZ_DRIVER_MEMORY_CFLAGS := $(FUZZ_CFLAGS) -fno-sanitize=fuzzer-no-link
FUZZ_ENGINE ?= -fsanitize=fuzzer,address,undefined
FUZZ_SCENARIOS := $(basename $(notdir $(SCENARIO_SRC)))
FUZZ_PARSERS := schedule decode
FUZZ_TARGETS := $(patsubst %,$(BUILD)/fuzz/%_fuzzer,$(FUZZ_SCENARIOS) $(FUZZ_PARSERS))
FUZZ_LIB := $(BUILD)/libspinsim-fuzz.a

$(FUZZ_OBJ)/sim/%.o: sim/%
	@mkdir -p $(@D)
	$(CC) $(BASE) $(FUZZ_SIM_CFLAGS) -c $< -o $@

$(FUZZ_OBJ)/sim/atomic.c.o: FUZZ_SIM_CFLAGS = $(FUZZ_DRIVER_MEMORY_CFLAGS)

$(FUZZ_OBJ)/fuzz/%.o: fuzz/%
	@mkdir -p $(@D)
	$(CC) $(BASE) $(FUZZ_SIM_CFLAGS) -c $< -o $@

$(FUZZ_OBJ)/%.o: %
	@mkdir -p $(@D)
	$(CC) $(BASE) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_COV_OBJ)/%.o: %
	@mkdir -p $(@D)
	$(CC) $(BASE) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_LIB): $(patsubst %,$(FUZZ_OBJ)/%.o,$(SIM_SRC) $(LOCKS_SRC))
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_OBJ)/fuzz/target-%.o: fuzz/target.c
	@mkdir -p $(@D)
	$(CC) $(BASE) $(FUZZ_CFLAGS) -DSPINSIM_FUZZ_SCENARIO=$* -c $< -o $@

# Scenario targets mutate events, not bytes (fuzz/mutate.c); with
# FUZZ_MUTATOR= they keep libFuzzer's byte mutations (bench/fuzz.sh compares).
FUZZ_MUTATOR ?= $(FUZZ_OBJ)/fuzz/mutate.c.o

$(BUILD)/fuzz/%_fuzzer: $(FUZZ_OBJ)/fuzz/target-%.o $(FUZZ_OBJ)/scenarios/%.c.o $(FUZZ_MUTATOR) $(FUZZ_LIB)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_ENGINE) $^ -o $@

# Test-only targets (tests/fuzz.sh): tests/fuzz/NAME.c defines scenario NAME.
$(BUILD)/fuzz/test/%_fuzzer: $(FUZZ_OBJ)/fuzz/target-%.o $(FUZZ_OBJ)/tests/fuzz/%.c.o $(FUZZ_LIB)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_ENGINE) $^ -o $@

$(BUILD)/fuzz/schedule_fuzzer: $(FUZZ_COV_OBJ)/fuzz/schedule_fuzzer.c.o $(FUZZ_COV_OBJ)/sim/schedule.c.o $(FUZZ_LIB)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_ENGINE) $^ -o $@

$(BUILD)/fuzz/decode_fuzzer: $(FUZZ_COV_OBJ)/fuzz/decode_fuzzer.c.o $(FUZZ_COV_OBJ)/fuzz/decode.c.o $(FUZZ_LIB)
	@mkdir -p $(@D)
	$(CC) $(FUZZ_ENGINE) $^ -o $@

fuzz: $(FUZZ_TARGETS)

fuzz-tests: $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/test/%_fuzzer,$(wildcard tests/fuzz/*.c))

-include $(shell find $(FUZZ_OBJ) $(FUZZ_COV_OBJ) -name '*.d' 2>/dev/null)

.PHONY: fuzz fuzz-tests
