/* interlocked.c owns the Interlocked* routines of wdm.h (32-, 64-, 16- and
 * 8-bit, and on pointers) and ReadAcquire/WriteRelease. Each is exactly
 * one atomic step of the machine: a full barrier and a scheduling point, as
 * the x64 lock-prefixed instruction is. Increment and Decrement return the
 * new value, every other routine the old one (docs/windows-contract.md
 * sect. 2). Values travel through the atomic layer zero-extended; the casts
 * back to the signed types restore the sign. */
#include "lock_internal.h"

enum {
    SIZE8 = (int)sizeof(CHAR),
    SIZE16 = (int)sizeof(SHORT),
    SIZE32 = (int)sizeof(LONG),
    SIZE64 = (int)sizeof(LONG64),
    SIZE_PTR = (int)sizeof(PVOID),
};

static LONG as32(uint64_t value) { return (LONG)(ULONG)value; }
static uint64_t from32(LONG value) { return (ULONG)value; }

LONG spinsim_InterlockedIncrement(LONG volatile *Addend, const sim_site *site) {
    sim_site_set(site);
    return as32(sim_atomic_fetch_add(Addend, 1, SIZE32) + 1);
}

LONG spinsim_InterlockedDecrement(LONG volatile *Addend, const sim_site *site) {
    sim_site_set(site);
    return as32(sim_atomic_fetch_add(Addend, from32(-1), SIZE32) - 1);
}

LONG spinsim_InterlockedExchange(LONG volatile *Target, LONG Value, const sim_site *site) {
    sim_site_set(site);
    return as32(sim_atomic_exchange(Target, from32(Value), SIZE32));
}

LONG spinsim_InterlockedExchangeAdd(LONG volatile *Addend, LONG Value, const sim_site *site) {
    sim_site_set(site);
    return as32(sim_atomic_fetch_add(Addend, from32(Value), SIZE32));
}

LONG spinsim_InterlockedCompareExchange(LONG volatile *Destination, LONG Exchange, LONG Comparand,
                                        const sim_site *site) {
    sim_site_set(site);
    return as32(sim_atomic_compare_exchange(Destination, from32(Comparand), from32(Exchange), SIZE32));
}

LONG spinsim_InterlockedOr(LONG volatile *Destination, LONG Value, const sim_site *site) {
    sim_site_set(site);
    return as32(sim_atomic_fetch_or(Destination, from32(Value), SIZE32));
}

LONG spinsim_InterlockedAnd(LONG volatile *Destination, LONG Value, const sim_site *site) {
    sim_site_set(site);
    return as32(sim_atomic_fetch_and(Destination, from32(Value), SIZE32));
}

LONG spinsim_InterlockedXor(LONG volatile *Destination, LONG Value, const sim_site *site) {
    sim_site_set(site);
    return as32(sim_atomic_fetch_xor(Destination, from32(Value), SIZE32));
}

LONG64 spinsim_InterlockedIncrement64(LONG64 volatile *Addend, const sim_site *site) {
    sim_site_set(site);
    return (LONG64)(sim_atomic_fetch_add(Addend, 1, SIZE64) + 1);
}

LONG64 spinsim_InterlockedDecrement64(LONG64 volatile *Addend, const sim_site *site) {
    sim_site_set(site);
    return (LONG64)(sim_atomic_fetch_add(Addend, (uint64_t)-1, SIZE64) - 1);
}

LONG64 spinsim_InterlockedExchange64(LONG64 volatile *Target, LONG64 Value, const sim_site *site) {
    sim_site_set(site);
    return (LONG64)sim_atomic_exchange(Target, (uint64_t)Value, SIZE64);
}

LONG64 spinsim_InterlockedExchangeAdd64(LONG64 volatile *Addend, LONG64 Value, const sim_site *site) {
    sim_site_set(site);
    return (LONG64)sim_atomic_fetch_add(Addend, (uint64_t)Value, SIZE64);
}

LONG64 spinsim_InterlockedCompareExchange64(LONG64 volatile *Destination, LONG64 Exchange, LONG64 Comparand,
                                            const sim_site *site) {
    sim_site_set(site);
    return (LONG64)sim_atomic_compare_exchange(Destination, (uint64_t)Comparand, (uint64_t)Exchange, SIZE64);
}

LONG64 spinsim_InterlockedOr64(LONG64 volatile *Destination, LONG64 Value, const sim_site *site) {
    sim_site_set(site);
    return (LONG64)sim_atomic_fetch_or(Destination, (uint64_t)Value, SIZE64);
}

LONG64 spinsim_InterlockedAnd64(LONG64 volatile *Destination, LONG64 Value, const sim_site *site) {
    sim_site_set(site);
    return (LONG64)sim_atomic_fetch_and(Destination, (uint64_t)Value, SIZE64);
}

LONG64 spinsim_InterlockedXor64(LONG64 volatile *Destination, LONG64 Value, const sim_site *site) {
    sim_site_set(site);
    return (LONG64)sim_atomic_fetch_xor(Destination, (uint64_t)Value, SIZE64);
}

PVOID spinsim_InterlockedExchangePointer(PVOID volatile *Target, PVOID Value, const sim_site *site) {
    sim_site_set(site);
    return (PVOID)(uintptr_t)sim_atomic_exchange(Target, (uintptr_t)Value, SIZE_PTR);
}

PVOID spinsim_InterlockedCompareExchangePointer(PVOID volatile *Destination, PVOID Exchange, PVOID Comparand,
                                                const sim_site *site) {
    sim_site_set(site);
    return (PVOID)(uintptr_t)sim_atomic_compare_exchange(Destination, (uintptr_t)Comparand, (uintptr_t)Exchange,
                                                         SIZE_PTR);
}

SHORT spinsim_InterlockedIncrement16(SHORT volatile *Addend, const sim_site *site) {
    sim_site_set(site);
    return (SHORT)(USHORT)(sim_atomic_fetch_add(Addend, 1, SIZE16) + 1);
}

SHORT spinsim_InterlockedDecrement16(SHORT volatile *Addend, const sim_site *site) {
    sim_site_set(site);
    return (SHORT)(USHORT)(sim_atomic_fetch_add(Addend, (USHORT)-1, SIZE16) - 1);
}

SHORT spinsim_InterlockedCompareExchange16(SHORT volatile *Destination, SHORT Exchange, SHORT Comparand,
                                           const sim_site *site) {
    sim_site_set(site);
    return (SHORT)(USHORT)sim_atomic_compare_exchange(Destination, (USHORT)Comparand, (USHORT)Exchange, SIZE16);
}

CHAR spinsim_InterlockedExchange8(CHAR volatile *Target, CHAR Value, const sim_site *site) {
    sim_site_set(site);
    return (CHAR)(UCHAR)sim_atomic_exchange(Target, (UCHAR)Value, SIZE8);
}

CHAR spinsim_InterlockedOr8(CHAR volatile *Destination, CHAR Value, const sim_site *site) {
    sim_site_set(site);
    return (CHAR)(UCHAR)sim_atomic_fetch_or(Destination, (UCHAR)Value, SIZE8);
}

CHAR spinsim_InterlockedAnd8(CHAR volatile *Destination, CHAR Value, const sim_site *site) {
    sim_site_set(site);
    return (CHAR)(UCHAR)sim_atomic_fetch_and(Destination, (UCHAR)Value, SIZE8);
}

/* ReadAcquire/WriteRelease and their NoFence forms: one load or store step
 * (the machine is sequentially consistent, so every step is fenced). */
LONG spinsim_ReadAcquire(LONG const volatile *Source, const sim_site *site) {
    sim_site_set(site);
    return as32(sim_atomic_load(Source, SIZE32));
}

VOID spinsim_WriteRelease(LONG volatile *Destination, LONG Value, const sim_site *site) {
    sim_site_set(site);
    sim_atomic_store(Destination, from32(Value), SIZE32);
}

LONG64 spinsim_ReadAcquire64(LONG64 const volatile *Source, const sim_site *site) {
    sim_site_set(site);
    return (LONG64)sim_atomic_load(Source, SIZE64);
}

VOID spinsim_WriteRelease64(LONG64 volatile *Destination, LONG64 Value, const sim_site *site) {
    sim_site_set(site);
    sim_atomic_store(Destination, (uint64_t)Value, SIZE64);
}

PVOID spinsim_ReadPointerAcquire(PVOID const volatile *Source, const sim_site *site) {
    sim_site_set(site);
    return (PVOID)(uintptr_t)sim_atomic_load(Source, SIZE_PTR);
}

VOID spinsim_WritePointerRelease(PVOID volatile *Destination, PVOID Value, const sim_site *site) {
    sim_site_set(site);
    sim_atomic_store(Destination, (uintptr_t)Value, SIZE_PTR);
}
