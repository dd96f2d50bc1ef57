/* check_exit.c enforces R13 of docs/windows-contract.md: a context, and a
 * callback lock code runs, returns with the locks and the IRQL it was
 * entered with.
 * - `lock-leak`: a lock still held when a thread (DV C4/0x100A), a DPC, an
 *   ISR or a SynchCritSection returns (DDI SpinLock C4/0x40009); the report
 *   names where it was acquired. Every later acquire of it spins forever.
 * - `irql-leak`: a thread returning above PASSIVE_LEVEL (C4/0x2001D
 *   IrqlReturn, DV 0xC9/0x05), a DPC not at DISPATCH_LEVEL, a threaded DPC
 *   not at the IRQL it was entered at (R9), an ISR routine not at the
 *   SynchronizeIrql its wrapper called it at (0xC8 IRQL_UNEXPECTED_VALUE,
 *   C4/0x111), a SynchCritSection likewise.
 * The interrupt's service wrapper (locks/) is the ISR context's body and
 * restores its entry level itself, so the driver's ISR routine, like
 * KeSynchronizeExecution's, is judged through sim_check_callback_exit.
 * Both findings name the return that leaks: the last line of the driver's
 * routine (sim_site_of_function_end), with the acquire as the other site. */
#include "check.h"
#include "symbolize.h"

static void check_no_leak(const sim_ctx *ctx, int held_before, const sim_site *returns, const char *who,
                          const char *analogue) {
    if (ctx->held_count <= held_before)
        return;
    const sim_held *held = &ctx->held[held_before];
    check_report_at(returns, SIM_FINDING_LOCK_LEAK, SIM_SEV_ERROR, held->lock, held->site, ctx->id,
                    "%s returns holding %s%s: every later acquire of it spins forever (%s)", who,
                    check_lock_name(held->lock), ctx->held_count - held_before > 1 ? " and more" : "", analogue);
}

/* The driver routine a context runs, whose return ends it; NULL for an
 * ISR context, whose body is the interrupt's service wrapper. */
static const void *routine_of(const sim_ctx *ctx) {
    switch (ctx->kind) {
    case SIM_CTX_THREAD:
        return (const void *)ctx->entry;
    case SIM_CTX_DPC:
    case SIM_CTX_THREADED_DPC:
        return ctx->dpc.routine;
    case SIM_CTX_ISR:
        return NULL;
    }
    return NULL;
}

static const sim_site *return_site(const void *routine) {
    return routine != NULL ? sim_site_of_function_end((uintptr_t)routine) : NULL;
}

static const char *const kind_names[] = {
    [SIM_CTX_THREAD] = "thread",
    [SIM_CTX_DPC] = "DPC",
    [SIM_CTX_THREADED_DPC] = "threaded DPC",
    [SIM_CTX_ISR] = "ISR",
};

static const char *const leak_analogues[] = {
    [SIM_CTX_THREAD] = "DV C4/0x100A, DDI SpinLock C4/0x40009",
    [SIM_CTX_DPC] = "DDI SpinLock C4/0x40009",
    [SIM_CTX_THREADED_DPC] = "DDI SpinLock C4/0x40009",
    [SIM_CTX_ISR] = "DDI SpinLock C4/0x40009",
};

static const char *const irql_analogues[] = {
    [SIM_CTX_THREAD] = "C4/0x2001D IrqlReturn, DV 0xC9/0x05",
    [SIM_CTX_DPC] = "R13: a DPC must return at DISPATCH_LEVEL",
    [SIM_CTX_THREADED_DPC] = "R9: a threaded DPC returns at its entry IRQL",
    [SIM_CTX_ISR] = "0xC8 IRQL_UNEXPECTED_VALUE, C4/0x111",
};

/* Both checks format who returns only when one fails: every context and
 * callback returns, and a fuzzer pays for every byte formatted. */

void check_exit_ctx(const sim_ctx *ctx) {
    /* A thread may run at any level while switched in; it ends where it began. */
    uint8_t expected = ctx->kind == SIM_CTX_THREAD ? SIM_IRQL_PASSIVE : sim_ctx_entry_irql(ctx);
    uint8_t irql = sim_R->cpus[ctx->cpu].irql;
    if (ctx->held_count == 0 && irql == expected)
        return;
    char who[64];
    snprintf(who, sizeof who, "%s %s (%s)", kind_names[ctx->kind], ctx->label, ctx->func);
    const sim_site *returns = return_site(routine_of(ctx));
    check_no_leak(ctx, 0, returns, who, leak_analogues[ctx->kind]);
    if (irql != expected)
        check_report_at(returns, SIM_FINDING_IRQL_LEAK, SIM_SEV_ERROR, NULL, check_irql_raised_at(ctx, expected), -1,
                        "%s returns at %s, entered at %s (%s)", who, check_irql_name(irql), check_irql_name(expected),
                        irql_analogues[ctx->kind]);
}

void check_exit_callback(const sim_check_callback *callback) {
    const sim_ctx *self = sim_R->current;
    uint8_t irql = sim_irql_get();
    if (self->held_count <= callback->held_count && irql == callback->irql)
        return;
    bool isr = callback->kind == SIM_CALLBACK_ISR;
    char who[64];
    snprintf(who, sizeof who, "%s%s", isr ? "ISR " : "", callback->routine);
    const sim_site *returns = return_site(callback->function);
    check_no_leak(self, callback->held_count, returns, who, "DDI SpinLock C4/0x40009");
    if (irql != callback->irql)
        check_report_at(returns, SIM_FINDING_IRQL_LEAK, SIM_SEV_ERROR, NULL, check_irql_raised_at(self, callback->irql),
                        -1, "%s returns at %s, called at %s (%s)", who, check_irql_name(irql),
                        check_irql_name(callback->irql),
                        isr ? irql_analogues[SIM_CTX_ISR] : "R13: it runs at SynchronizeIrql throughout");
}
