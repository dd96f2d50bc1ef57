# driver.mk: the make half of `spinsim build` (tools/spinsim-build.sh gives
# every variable below on make's command line, and runs make in the folder
# that SOURCES are relative to, so compiler messages and report sites name
# the files as the author gave them). Every source is compiled once per
# variant: the installed headers first (spinsim's wdm.h wins), then the
# author's flags, the variant's, and those every driver file gets; then
# linked with the variant's installed archives (the CLI's main first):
#   plain -> OUT/sim    asan -> OUT/sim-asan    tsan -> OUT/sim-tsan
#   fuzz  -> OUT/obj/fuzzer, which spinsim-build names once per scenario
# Only the plain variant prints warnings: the others would repeat them.
# Every object depends on OUT/obj/flags, which changes with any flag.
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:
.DELETE_ON_ERROR:

binary_plain := $(OUT)/sim
binary_asan := $(OUT)/sim-asan
binary_tsan := $(OUT)/sim-tsan
binary_fuzz := $(OUT)/obj/fuzzer
repeat_warnings_plain :=
repeat_warnings_asan := -w
repeat_warnings_tsan := -w
repeat_warnings_fuzz := -w

# OUT/obj/VARIANT/SOURCE.o; a source outside the build's folder (an
# absolute path) goes under _abs_/.
object = $(OUT)/obj/$(1)/$(patsubst /%,_abs_/%,$(2)).o

# $(call compile,VARIANT,SOURCE). Flags expand when the recipe runs, once,
# as spinsim-build quoted them for the shell.
define compile
$(call object,$(1),$(2)): $(2) $(OUT)/obj/flags
	@mkdir -p $$(@D)
	$$(CC) -I$$(INCLUDE) $$(USER_CFLAGS) $$($(1)_CFLAGS) $$(DRIVER_CFLAGS) $$(repeat_warnings_$(1)) -MMD -MP -c $$< -o $$@
endef

define link
$(1)_OBJECTS := $(foreach source,$(SOURCES),$(call object,$(1),$(source)))
$(binary_$(1)): $$($(1)_OBJECTS) $($(1)_ARCHIVES)
	$$(CC) $$^ $$($(1)_LDFLAGS) -o $$@
-include $$($(1)_OBJECTS:.o=.d)
endef

$(foreach variant,plain asan tsan fuzz,$(eval $(call link,$(variant)))\
    $(foreach source,$(SOURCES),$(eval $(call compile,$(variant),$(source)))))
