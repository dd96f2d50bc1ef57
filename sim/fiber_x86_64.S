/* fiber_x86_64.S: the context switch and the first-entry trampoline for
 * x86-64 System V. Only callee-saved integer registers are saved; the CFI
 * lets gdb unwind through a suspended fiber into the code that switched. */
    .text

/* void sim_fiber_swap(void **save_sp, void *load_sp) */
    .globl  sim_fiber_swap
    .type   sim_fiber_swap, @function
sim_fiber_swap:
    .cfi_startproc
    pushq   %rbp
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %rbp, 0
    pushq   %rbx
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %rbx, 0
    pushq   %r12
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %r12, 0
    pushq   %r13
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %r13, 0
    pushq   %r14
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %r14, 0
    pushq   %r15
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %r15, 0
    movq    %rsp, (%rdi)
    movq    %rsi, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret
    .cfi_endproc
    .size   sim_fiber_swap, .-sim_fiber_swap

/* First entry of a fresh fiber: sim_fiber_prepare() left entry in r13 and
 * its argument in r12. The return address is undefined so unwinding stops
 * here. The entry never returns. */
    .globl  sim_fiber_trampoline
    .type   sim_fiber_trampoline, @function
sim_fiber_trampoline:
    .cfi_startproc
    .cfi_undefined rip
    movq    %r12, %rdi
    callq   *%r13
    ud2
    .cfi_endproc
    .size   sim_fiber_trampoline, .-sim_fiber_trampoline

    .section .note.GNU-stack,"",@progbits
