/* verdict.c runs the checker tables of verdict.h: each row's buggy
 * scenario against its expected finding and replay, its twin against
 * random, PCT and DFS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "explore.h"
#include "verdict.h"

static int line_of(const sim_site *site) { return site != NULL ? site->line : 0; }

static bool sites_match(const verdict_row *row, const sim_finding *finding) {
    int line = line_of(finding->site);
    if (row->how == RANDOM_SEARCH_CYCLE)
        return line == *row->line || line == *row->other_line;
    bool site_matches = row->returns_from != NULL
                            ? strcmp(finding->site->func, row->returns_from) == 0 && line > *row->line
                            : line == *row->line;
    return site_matches && (row->other_line == NULL || line_of(finding->info.other_site) == *row->other_line);
}

/* The site must be the scenario's own line, not a line of lock code. */
static bool verdict_matches(const verdict_row *row, const sim_finding *finding, const char *scenario_files) {
    return finding->info.kind == row->kind && finding->info.severity == row->severity && finding->site != NULL &&
           strstr(finding->site->file, scenario_files) != NULL && sites_match(row, finding);
}

/* The schedule a finding wrote replays it: same kind, step and site. */
static void expect_replays(const char *scenario, const sim_explore_result *found) {
    size_t size;
    char *text = sim_schedule_text(&found->schedule, &size);
    sim_explore_result again = test_replay_text(scenario, text, size, NULL);
    if (!again.found || again.finding.info.kind != found->finding.info.kind ||
        again.finding.step != found->finding.step || again.finding.site != found->finding.site ||
        again.divergences != 0)
        test_fail(__FILE__, __LINE__, "%s: its schedule replays to %s at step %llu (found %s at step %llu)", scenario,
                  again.found ? sim_kind_token(again.finding.info.kind) : "none",
                  (unsigned long long)again.finding.step, sim_kind_token(found->finding.info.kind),
                  (unsigned long long)found->finding.step);
    free(text);
    sim_schedule_free(&again.schedule);
}

void verdict_expect_row(const verdict_row *row, const char *scenario_files) {
    sim_explore_result result = row->how == DEFAULT_SCHEDULE
                                    ? test_explore(row->scenario, SIM_STRATEGY_DFS, 1, 0)
                                    : test_explore(row->scenario, SIM_STRATEGY_RANDOM, 1000, 0);
    const sim_finding *finding = &result.finding;
    if (!result.found)
        test_fail(__FILE__, __LINE__, "%s: no finding in %llu runs, expected %s at line %d", row->scenario,
                  (unsigned long long)result.runs, sim_kind_token(row->kind), *row->line);
    else if (!verdict_matches(row, finding, scenario_files))
        test_fail(__FILE__, __LINE__,
                  "%s: %s (%s) at line %d, other line %d: \"%s\"; expected %s (%s) at line %d, "
                  "other line %d",
                  row->scenario, sim_kind_token(finding->info.kind),
                  finding->info.severity == SIM_SEV_RULE ? "rule" : "error", line_of(finding->site),
                  line_of(finding->info.other_site), finding->info.message, sim_kind_token(row->kind),
                  row->severity == SIM_SEV_RULE ? "rule" : "error", *row->line,
                  row->other_line != NULL ? *row->other_line : 0);
    else
        expect_replays(row->scenario, &result);
    sim_schedule_free(&result.schedule);
}

void verdict_expect_silent(const char *scenario, uint64_t dfs_runs, bool dfs_exhausts) {
    const struct {
        sim_strategy strategy;
        const char *name;
        uint64_t runs;
    } searches[] = {
        {SIM_STRATEGY_RANDOM, "random", 1000}, {SIM_STRATEGY_PCT, "pct", 1000}, {SIM_STRATEGY_DFS, "dfs", dfs_runs}};
    for (size_t s = 0; s < sizeof searches / sizeof searches[0]; s++) {
        sim_explore_result result = test_explore(scenario, searches[s].strategy, searches[s].runs, 2);
        if (result.found)
            test_fail(__FILE__, __LINE__, "%s under %s: %s at line %d after %llu runs: \"%s\"", scenario,
                      searches[s].name, sim_kind_token(result.finding.info.kind), line_of(result.finding.site),
                      (unsigned long long)result.runs, result.finding.info.message);
        else if (searches[s].strategy == SIM_STRATEGY_DFS && dfs_exhausts && !result.exhausted)
            test_fail(__FILE__, __LINE__, "%s: DFS did not exhaust bound 2 in %llu runs", scenario,
                      (unsigned long long)result.runs);
        sim_schedule_free(&result.schedule);
    }
}

void verdict_expect_clean(const char *scenario) { verdict_expect_silent(scenario, 100000, true); }

void verdict_table(const verdict_row *rows, size_t count, const char *scenario_files) {
    for (size_t i = 0; i < count; i++) {
        verdict_expect_row(&rows[i], scenario_files);
        char twin[64];
        snprintf(twin, sizeof twin, "%s_ok", rows[i].scenario);
        verdict_expect_clean(twin);
    }
}
