/* cover.c: interleaving coverage, the concurrency states a fuzzer is fed
 * besides code coverage (fuzz/README.md). Each feature is a tuple of small
 * run-local numbers (object ids, CPU, context kind, IRQL, site line), hashed
 * into the caller's counter array (sim_config.cover); libFuzzer reads that
 * array as extra counters. Nothing here reaches a decision or an output. */
#include "internal.h"
#include "symbolize.h"
#include "wraps.h"

SIM_WRAPS static uint32_t mix(uint32_t hash, uint32_t value) {
    hash ^= value + 0x9e3779b9u + (hash << 6) + (hash >> 2);
    return hash;
}

SIM_WRAPS static uint32_t hash_text(const char *text) {
    uint32_t hash = 2166136261u;
    for (; text != NULL && *text != '\0'; text++)
        hash = (hash ^ (uint8_t)*text) * 16777619u;
    return hash;
}

static uint32_t site_hash(const sim_site *site) {
    if (site == NULL)
        return 0;
    sim_site_resolve(site);
    return mix(hash_text(site->func), (uint32_t)site->line);
}

static void count(uint32_t hash) {
    const sim_config *config = sim_R->config;
    uint8_t *counter = &config->cover[hash & (config->cover_size - 1)];
    if (*counter != UINT8_MAX)
        (*counter)++;
}

static uint32_t running_state(const sim_ctx *ctx) {
    return mix(mix((uint32_t)ctx->kind, (uint32_t)ctx->cpu), sim_R->cpus[ctx->cpu].irql);
}

void sim_cover_contended(const sim_ctx *waiter, int object) {
    if (sim_R->config->cover != NULL)
        count(mix(mix(1, (uint32_t)object), running_state(waiter)));
}

void sim_cover_acquired(const sim_ctx *owner, int object) {
    if (sim_R->config->cover != NULL)
        count(mix(mix(mix(2, (uint32_t)object), running_state(owner)), (uint32_t)owner->held_count));
}

void sim_cover_order_edge(int from, int to) {
    if (sim_R->config->cover != NULL)
        count(mix(mix(3, (uint32_t)from), (uint32_t)to));
}

void sim_cover_preempted(const sim_option *option, const sim_ctx *preempted) {
    if (sim_R->config->cover == NULL)
        return;
    uint32_t hash = mix(mix(4, (uint32_t)option->kind), (uint32_t)option->cpu);
    if (preempted != NULL)
        hash = mix(mix(hash, (uint32_t)preempted->kind), site_hash(preempted->site));
    count(hash);
}
