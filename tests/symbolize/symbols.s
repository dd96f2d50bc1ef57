# symbols.s: a symbol table of every kind that llvm-symbolizer chooses
# among (tests/symbolize.sh): a function, an untyped local symbol (named
# with its STT_FILE when there is no debug information), an indirect
# function, an object in code, two aliases of one size (the last one
# named), untyped symbols of size 0 that reach to the next symbol, a
# thread-local object and an absolute symbol (which name nothing), and
# data objects. No debug information: frames come from symbols alone.
        .file   "symbols.s"
        .text
        .globl  f_func
        .type   f_func, @function
f_func:
        nop; nop; nop; nop
        .size   f_func, 4
notyped:
        nop; nop
        .globl  g_ifunc
        .type   g_ifunc, @gnu_indirect_function
g_ifunc:
        ret
        .size   g_ifunc, 1
        .globl  obj_in_text
        .type   obj_in_text, @object
obj_in_text:
        nop
        .size   obj_in_text, 1
        .globl  alias2
        .type   alias2, @function
alias2:
        nop; nop
        .size   alias2, 2
        .globl  alias1
        .type   alias1, @function
        .set    alias1, alias2
        .size   alias1, 2
        .globl  _start
_start:
        ret
        .section .tbss,"awT",@nobits
        .globl  tlsvar
        .type   tlsvar, @object
tlsvar:
        .zero   8
        .size   tlsvar, 8
        .data
        .globl  d1
        .type   d1, @object
d1:
        .quad   1
        .size   d1, 8
after_d1:
        .quad   2
        .globl  abs_sym
        abs_sym = 0x1234
