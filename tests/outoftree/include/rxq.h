/* rxq.h: a small receive-queue driver of two files, laid out as a driver
 * project (include/, driver/, harness.c) for tests/install.sh, which builds
 * it as README's "Bring your own driver" says. driver/rxq_queue.c queues
 * packets from threads and drains them in a DPC under QueueLock, counting
 * under StatsLock; driver/rxq_stats.c reads, copies and resets the counts.
 * harness.c declares the scenarios. */
#ifndef RXQ_H
#define RXQ_H

#include <wdm.h>

typedef struct _RXQ_PACKET {
    LIST_ENTRY Link;
    ULONG Length;
} RXQ_PACKET, *PRXQ_PACKET;

typedef struct _RXQ_STATS {
    ULONG Packets;
    ULONG Dropped;
    ULONG64 Bytes;
} RXQ_STATS, *PRXQ_STATS;

typedef struct _RXQ_DEVICE {
    KSPIN_LOCK QueueLock; /* Pending, Queued; taken before StatsLock */
    LIST_ENTRY Pending;
    ULONG Queued;
    KSPIN_LOCK StatsLock; /* Stats */
    RXQ_STATS Stats;
    KDPC DrainDpc;
} RXQ_DEVICE, *PRXQ_DEVICE;

VOID RxqInitialize(PRXQ_DEVICE Device);
/* Queues one packet and counts it (QueueLock, then StatsLock). */
VOID RxqPush(PRXQ_DEVICE Device, PRXQ_PACKET Packet);
KDEFERRED_ROUTINE RxqDrainDpc;
/* The packet count, under StatsLock alone. */
ULONG RxqReadPackets(PRXQ_DEVICE Device);
/* A copy of the counts, with RtlCopyMemory under StatsLock; built with
 * -DRXQ_UNLOCKED_SNAPSHOT, without the lock (a data race with RxqPush). */
VOID RxqSnapshotStats(PRXQ_DEVICE Device, PRXQ_STATS Snapshot);
/* Clears the counts and the queued count. Its bug: it takes StatsLock
 * before QueueLock, the reverse of RxqPush's order. */
VOID RxqResetStats(PRXQ_DEVICE Device);

#endif
