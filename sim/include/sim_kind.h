/* sim_kind.h owns the list of finding kinds: one token each, shared by
 * reports, .sched `expect` and `allow` lines, sim_expect()/sim_allow(), --allow
 * and tests (docs/design.md, Decisions: "Finding kinds"). Add a kind only together with
 * its row in reports/README.md. */
#ifndef SIM_KIND_H
#define SIM_KIND_H

/* X(ENUM, "token", default severity, "Windows analogue") */
#define SIM_KIND_LIST(X)                                                                                               \
    X(NONE, "none", SIM_SEV_ERROR, "-")                                                                                \
    X(IRQL_VIOLATION, "irql-violation", SIM_SEV_ERROR, "C4/0x40,0x41,0x42,0x30,0x31; checked 0x9")                     \
    X(WRONG_NEW_IRQL, "wrong-new-irql", SIM_SEV_ERROR, "C4/0x20015 (IrqlKeReleaseSpinLock)")                           \
    X(IRQL_LEAK, "irql-leak", SIM_SEV_ERROR, "C4/0x2001D, 0xC8, 0xC9/0x05, C4/0x111")                                  \
    X(LOCK_LEAK, "lock-leak", SIM_SEV_ERROR, "C4/0x40009, DV C4/0x100A")                                               \
    X(RELEASE_NOT_OWNED, "release-not-owned", SIM_SEV_ERROR, "checked 0x10, DV C4/0x1007")                             \
    X(RELEASE_WRONG_OWNER, "release-wrong-owner", SIM_SEV_ERROR, "checked 0x10, DV C4/0x1004")                         \
    X(RELEASE_WRONG_FAMILY, "release-wrong-family", SIM_SEV_ERROR, "DV C4/0x1009; DDI SpinLockDpc")                    \
    X(RELEASE_ORDER, "release-order", SIM_SEV_ERROR, "C4/0x40007, DV C4/0x1003")                                       \
    X(HANDLE_MISUSE, "handle-misuse", SIM_SEV_ERROR, "C4/0x40006, C4/0x40007")                                         \
    X(RECURSIVE_ACQUIRE, "recursive-acquire", SIM_SEV_ERROR, "0xF SPIN_LOCK_ALREADY_OWNED, DV C4/0x1000")              \
    X(DEADLOCK, "deadlock", SIM_SEV_ERROR, "0x133 P1=1, 0x101 CLOCK_WATCHDOG_TIMEOUT")                                 \
    X(LOCK_ORDER_CYCLE, "lock-order-cycle", SIM_SEV_ERROR, "DV C4/0x1001")                                             \
    X(IRQ_UNSAFE_LOCK, "irq-unsafe-lock", SIM_SEV_ERROR, "C4/0x42 when the ISR interrupts the holder")                 \
    X(PAGED_AT_DISPATCH, "paged-at-dispatch", SIM_SEV_ERROR, "0xA, 0xD1")                                              \
    X(WAIT_AT_DISPATCH, "wait-at-dispatch", SIM_SEV_ERROR, "C4/0x120-0x122, 0xB8")                                     \
    X(STARVATION, "starvation", SIM_SEV_ERROR, "0x133 / 0x101 (waiter never served)")                                  \
    X(DPC_WATCHDOG, "dpc-watchdog", SIM_SEV_ERROR, "0x133 DPC_WATCHDOG_VIOLATION")                                     \
    X(DATA_RACE, "data-race", SIM_SEV_ERROR, "memory corruption")                                                      \
    X(USE_AFTER_SCOPE, "use-after-scope", SIM_SEV_ERROR, "memory corruption (R8b)")                                    \
    X(LOCK_IN_FREED_MEMORY, "lock-in-freed-memory", SIM_SEV_ERROR, "DV C4/0x100B")                                     \
    X(USE_AFTER_FREE, "use-after-free", SIM_SEV_ERROR, "0xD5 DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL")                 \
    X(MEMORY_ERROR, "memory-error", SIM_SEV_ERROR, "0xD6 DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION, 0xC1")            \
    X(CRASH, "crash", SIM_SEV_ERROR, "0xD1 at DISPATCH_LEVEL+, else 0x7E/0x1E (unhandled exception)")                  \
    X(STACK_OVERFLOW, "stack-overflow", SIM_SEV_ERROR, "0x7F UNEXPECTED_KERNEL_MODE_TRAP (double fault)")              \
    X(ASSERTION_FAILURE, "assertion-failure", SIM_SEV_ERROR, "NT_ASSERT: STATUS_ASSERTION_FAILURE break (0xC0000420)") \
    X(BUG_CHECK, "bug-check", SIM_SEV_ERROR, "KeBugCheckEx: the code the driver passed")                               \
    X(IRP_MISUSE, "irp-misuse", SIM_SEV_ERROR, "0x44 MULTIPLE_IRP_COMPLETE_REQUESTS, DV 0xC9")                         \
    X(HANG, "hang", SIM_SEV_ERROR, "0x133 / 0x101 (no progress)")                                                      \
    X(INVARIANT, "invariant", SIM_SEV_ERROR, "driver-defined")

typedef enum sim_severity { SIM_SEV_ERROR, SIM_SEV_RULE } sim_severity;

typedef enum sim_kind {
#define SIM_KIND_ENUM(name, token, severity, analogue) SIM_FINDING_##name,
    SIM_KIND_LIST(SIM_KIND_ENUM)
#undef SIM_KIND_ENUM
        SIM_KIND_COUNT
} sim_kind;

const char *sim_kind_token(sim_kind kind);
const char *sim_kind_analogue(sim_kind kind);
/* Returns the kind for `token`, or -1 when no kind has that token. */
int sim_kind_parse(const char *token);

#endif
