/* check_order.c finds potential deadlocks without the bad timing, as Driver
 * Verifier's deadlock detection and Linux lockdep do (docs/windows-contract.md):
 * - R14 lock order: an edge A -> B each time B is acquired while A is held
 *   on this CPU, by the acquirer or by a context it preempted (that holder
 *   cannot run until the acquirer is done). A Try adds no edge and marks no
 *   interrupt use: it never waits. A cycle of any length is `lock-order-cycle` (DV C4/0x1001, P2 the
 *   lock closing it), reported when its closing edge is added, whether or
 *   not the schedule hangs.
 * - R11 IRQL consistency, lockdep's irq-safety in Windows terms (ISR ~
 *   hardirq at its DIRQL, DPC ~ softirq at DISPATCH_LEVEL): a context of
 *   interrupt level p (an ISR: its DIRQL; a DPC: DISPATCH_LEVEL) can
 *   interrupt code below p on any CPU. A lock taken at level p and held
 *   elsewhere below p self-deadlocks when the interrupt lands on the
 *   holder's CPU; through an order A ->* B with A taken at level p and B
 *   held below p, the interrupt spins on A while A's holder spins on B (irq
 *   inversion). Both are `irq-unsafe-lock` (C4/0x42 when the ISR took it
 *   with KeAcquireSpinLock), reported when the lock's IRQL history or the
 *   order first allows it.
 * The graph and the histories are per run, over every context of the run
 * (docs/design.md: "cycles ... across all contexts seen in a run"): a run
 * executes the whole scenario, and a verdict that depends on earlier runs
 * could not be replayed from one schedule. */
#include "check.h"
#include "footprint.h"

enum {
    ORDER_EDGES_MAX = 8192,
    IRQL_NEVER_HELD = 0xff,
    CYCLE_TEXT_MAX = 160,
};

typedef struct order_edge {
    int from, to;            /* lock ids */
    const sim_site *to_site; /* where `to` was acquired while `from` was held */
    int ctx;                 /* who did it */
    int next_out, next_in;   /* adjacency lists, -1 ends them */
} order_edge;

/* One lock's place in the graph and its IRQL history. */
typedef struct order_lock {
    int first_out, first_in;
    uint8_t irq_level; /* highest interrupt level of a context that took it; 0: none */
    const sim_site *irq_site;
    int irq_ctx;
    uint8_t held_low; /* lowest IRQL it was held at */
    const sim_site *low_site;
    int low_ctx;
    uint32_t visit;  /* search stamp */
    int parent_edge; /* the edge a search reached it by */
} order_lock;

typedef enum direction { FORWARD, BACKWARD } direction;

static order_edge edges[ORDER_EDGES_MAX];
static int edge_count;
static order_lock locks[SIM_LOCKS_MAX];
static int locks_ready; /* ids below it are initialised for this run */
static uint32_t stamp;
static int queue[SIM_LOCKS_MAX];

void check_order_run_begin(void) {
    edge_count = 0;
    locks_ready = 0;
    stamp = 0;
}

static order_lock *lock_of(int id) {
    SIM_ASSERT(id >= 0 && id < SIM_LOCKS_MAX);
    for (; locks_ready <= id; locks_ready++)
        locks[locks_ready] = (order_lock){.first_out = -1,
                                          .first_in = -1,
                                          .irq_ctx = -1,
                                          .held_low = IRQL_NEVER_HELD,
                                          .low_ctx = -1,
                                          .parent_edge = -1};
    return &locks[id];
}

static const void *lock_addr(int id) { return sim_R->objects[id].addr; }

/* Breadth-first from `start` (included) along `dir`; fills queue[] with the
 * locks reached, in order, and returns how many. parent_edge leads back. */
static int reach(int start, direction dir) {
    stamp++;
    int count = 0;
    lock_of(start)->visit = stamp;
    lock_of(start)->parent_edge = -1;
    queue[count++] = start;
    for (int head = 0; head < count; head++) {
        const order_lock *at = lock_of(queue[head]);
        for (int e = dir == FORWARD ? at->first_out : at->first_in; e >= 0;
             e = dir == FORWARD ? edges[e].next_out : edges[e].next_in) {
            int next = dir == FORWARD ? edges[e].to : edges[e].from;
            order_lock *n = lock_of(next);
            if (n->visit == stamp)
                continue;
            n->visit = stamp;
            n->parent_edge = e;
            queue[count++] = next;
        }
    }
    SIM_ASSERT(count >= 1 && count <= locks_ready);
    return count;
}

/* ---- R11: IRQL consistency ------------------------------------------------------ */

/* The level below which a context's code can interrupt others. Threads and
 * threaded DPCs interrupt nobody who holds a spin lock. */
static uint8_t interrupt_level(const sim_ctx *ctx) {
    switch (ctx->kind) {
    case SIM_CTX_ISR:
        return sim_R->irqs[ctx->irq_source].dirql;
    case SIM_CTX_DPC:
        return SIM_IRQL_DISPATCH;
    case SIM_CTX_THREAD:
    case SIM_CTX_THREADED_DPC:
        return SIM_IRQL_PASSIVE;
    }
    sim_panic("bad context kind %d", (int)ctx->kind);
}

/* `taken` is taken at an interrupt level above the IRQL `held` is held at,
 * with taken ->* held (the same lock, or an order between them). */
static void report_unsafe(int taken, int held) {
    const order_lock *t = lock_of(taken), *h = lock_of(held);
    bool now_taken = t->irq_site == sim_site_get();
    const sim_site *other_site = now_taken ? h->low_site : t->irq_site;
    int other_ctx = now_taken ? h->low_ctx : t->irq_ctx;
    if (taken == held)
        check_report(SIM_FINDING_IRQ_UNSAFE_LOCK, SIM_SEV_ERROR, lock_addr(taken), other_site, other_ctx,
                     "%s is taken by a context that interrupts code below %s, and is held at %s elsewhere: when "
                     "that interrupt lands on the holder's CPU it spins forever (R11; C4/0x42 via KeAcquireSpinLock)",
                     check_lock_name(lock_addr(taken)), check_irql_name(t->irq_level), check_irql_name(h->held_low));
    else
        check_report(SIM_FINDING_IRQ_UNSAFE_LOCK, SIM_SEV_ERROR, lock_addr(held), other_site, other_ctx,
                     "irq inversion: %s is taken by a context that interrupts code below %s and is held while %s "
                     "is acquired, and %s is held at %s elsewhere: that interrupt, landing on %s's holder, spins "
                     "on %s, whose holder spins on %s (R11)",
                     check_lock_name(lock_addr(taken)), check_irql_name(t->irq_level), check_lock_name(lock_addr(held)),
                     check_lock_name(lock_addr(held)), check_irql_name(h->held_low), check_lock_name(lock_addr(held)),
                     check_lock_name(lock_addr(taken)), check_lock_name(lock_addr(held)));
}

/* The judgment of a change reads the IRQL records of the locks it reaches. */
static void footprint_reached(int count) {
    for (int i = 1; i < count; i++)
        sim_footprint_lock_record(lock_addr(queue[i]), SIM_RECORD_LEVELS, false);
}

/* The lock with the lowest held IRQL reachable forward from `id`. */
static int lowest_held_after(int id) {
    int count = reach(id, FORWARD), best = id;
    footprint_reached(count);
    for (int i = 1; i < count; i++)
        if (lock_of(queue[i])->held_low < lock_of(best)->held_low)
            best = queue[i];
    return best;
}

/* The lock with the highest interrupt level reaching `id` backward. */
static int highest_taker_before(int id) {
    int count = reach(id, BACKWARD), best = id;
    footprint_reached(count);
    for (int i = 1; i < count; i++)
        if (lock_of(queue[i])->irq_level > lock_of(best)->irq_level)
            best = queue[i];
    return best;
}

static void check_unsafe_between(int taken_end, int held_end) {
    int taken = highest_taker_before(taken_end), held = lowest_held_after(held_end);
    if (lock_of(taken)->irq_level > lock_of(held)->held_low)
        report_unsafe(taken, held);
}

/* A lock's IRQL record is read by every use and changed by its first uses
 * at a new level; a change is judged along the order edges, which it reads
 * with the records of the locks they reach (footprint_reached). Returns
 * `changes`. */
static bool footprint_levels(int id, bool changes) {
    sim_footprint_lock_record(lock_addr(id), SIM_RECORD_LEVELS, changes);
    if (changes)
        sim_footprint_lock_order(false);
    return changes;
}

static void note_interrupt_use(int id, uint8_t level, const sim_ctx *ctx) {
    if (level == SIM_IRQL_PASSIVE)
        return; /* never above the record, whatever ran before */
    order_lock *lock = lock_of(id);
    if (!footprint_levels(id, level > lock->irq_level))
        return;
    lock->irq_level = level;
    lock->irq_site = sim_site_get();
    lock->irq_ctx = ctx->id;
    check_unsafe_between(id, id);
}

static void note_held_at(int id, uint8_t irql, const sim_ctx *ctx) {
    order_lock *lock = lock_of(id);
    if (!footprint_levels(id, irql < lock->held_low))
        return;
    lock->held_low = irql;
    lock->low_site = sim_site_get();
    lock->low_ctx = ctx->id;
    check_unsafe_between(id, id);
}

void check_order_acquired(const sim_ctx *self, const sim_held *held) {
    note_held_at(sim_lock_id(held->lock), held->irql_held, self);
}

void check_order_lowered(const sim_ctx *self, uint8_t irql, int except_index) {
    for (int i = 0; i < self->held_count; i++)
        if (i != except_index)
            note_held_at(sim_lock_id(self->held[i].lock), irql, self);
}

/* ---- R14: lock order --------------------------------------------------------------- */

/* The locks from `from` back to `to` (excluded) along the parent edges the
 * last forward search from `to` left; returns how many. */
static int path_back(int from, int to, int *path) {
    int length = 0;
    for (int at = from; at != to; at = edges[lock_of(at)->parent_edge].from)
        path[length++] = at;
    SIM_ASSERT(length >= 1 && path[0] == from);
    return length;
}

static void check_cycle(int from, int to) {
    reach(to, FORWARD);
    if (lock_of(from)->visit != stamp)
        return;
    int path[SIM_LOCKS_MAX], length = path_back(from, to, path);
    /* The edge leaving `to` on the way back: the acquisition this one conflicts with. */
    const order_edge *first = &edges[lock_of(path[length - 1])->parent_edge];
    SIM_ASSERT(first->from == to);
    char cycle[CYCLE_TEXT_MAX];
    int used =
        snprintf(cycle, sizeof cycle, "%s -> %s", check_lock_name(lock_addr(from)), check_lock_name(lock_addr(to)));
    for (int i = length - 1; i >= 0 && used > 0 && (size_t)used < sizeof cycle; i--)
        used += snprintf(cycle + used, sizeof cycle - (size_t)used, " -> %s", check_lock_name(lock_addr(path[i])));
    check_report(SIM_FINDING_LOCK_ORDER_CYCLE, SIM_SEV_ERROR, lock_addr(to), first->to_site, first->ctx,
                 "%s is acquired while %s is held, closing the lock-order cycle %s: contexts taking them in these "
                 "orders on different CPUs deadlock (DV C4/0x1001, P2 %s)",
                 check_lock_name(lock_addr(to)), check_lock_name(lock_addr(from)), cycle,
                 check_lock_name(lock_addr(to)));
}

static bool edge_exists(int from, int to) {
    for (int e = lock_of(from)->first_out; e >= 0; e = edges[e].next_out)
        if (edges[e].to == to)
            return true;
    return false;
}

static void add_edge(int from, int to, const sim_lock_op *op, const sim_ctx *self) {
    bool known = from == to || edge_exists(from, to);
    sim_footprint_lock_order(!known);
    if (known)
        return;
    if (edge_count == ORDER_EDGES_MAX)
        sim_panic("more than %d lock-order edges in one execution", ORDER_EDGES_MAX);
    order_lock *a = lock_of(from), *b = lock_of(to);
    edges[edge_count] = (order_edge){
        .from = from, .to = to, .to_site = op->site, .ctx = self->id, .next_out = a->first_out, .next_in = b->first_in};
    a->first_out = b->first_in = edge_count++;
    sim_cover_order_edge(from, to);
    check_cycle(from, to);
    check_unsafe_between(from, to);
}

/* An interrupting context that waits for a lock marks it before the order
 * edges are added, so a lock the interrupt takes directly is reported as
 * itself rather than through an edge into it. */
void check_order_acquire(const sim_lock_op *op) {
    if (check_op_is_try(op))
        return;
    const sim_ctx *self = sim_R->current;
    const sim_cpu *cpu = &sim_R->cpus[self->cpu];
    int to = sim_lock_id(op->lock);
    note_interrupt_use(to, interrupt_level(self), self);
    for (int d = 0; d < cpu->depth; d++) {
        const sim_ctx *holder = cpu->stack[d];
        for (int i = 0; i < holder->held_count; i++)
            add_edge(sim_lock_id(holder->held[i].lock), to, op, self);
    }
}
