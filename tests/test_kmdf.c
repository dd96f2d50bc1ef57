/* test_kmdf.c: KMDF queues, requests, the device lock and DMA
 * (locks/wdf_io.c, locks/wdf_dma.c, locks/wdf.c). Each rule and IRQL
 * contract has a buggy scenario that must yield exactly its finding at the
 * offending call's line and a correct twin that must stay silent under
 * random, PCT and DFS (verdict.h); the functional scenarios' own SIM_CHECKs
 * hold in every schedule. Scenarios live in tests/scenarios/kmdf_io.c. */
#include "check.h"
#include "verdict.h"

#define TABLE(rows) verdict_table(rows, sizeof rows / sizeof rows[0], "tests/scenarios/kmdf_")

extern const int check_line_kmdf_complete_first, check_line_kmdf_complete_again, check_line_kmdf_count_read,
    check_line_kmdf_object_lock, check_line_kmdf_complete_irql, check_line_kmdf_retrieve_irql,
    check_line_kmdf_execute_irql, check_line_kmdf_common_buffer_irql, check_line_kmdf_queue_create_irql,
    check_line_kmdf_object_lock_irql, check_line_kmdf_dma_completed_again;

TEST(kmdf_request_dma_and_device_lock_rules_report_each_bug_at_its_call) {
    static const verdict_row rows[] = {
        {"chk_kmdf_request_double_complete", SIM_FINDING_IRP_MISUSE, SIM_SEV_ERROR, LINE(kmdf_complete_again),
         LINE(kmdf_complete_first), DEFAULT_SCHEDULE, NULL},
        {"chk_kmdf_unserialized_callbacks", SIM_FINDING_DATA_RACE, SIM_SEV_ERROR, LINE(kmdf_count_read),
         LINE(kmdf_count_read), RANDOM_SEARCH, NULL},
        {"chk_kmdf_object_lock_in_serialized_callback", SIM_FINDING_RECURSIVE_ACQUIRE, SIM_SEV_ERROR,
         LINE(kmdf_object_lock), NULL, DEFAULT_SCHEDULE, NULL},
        {"chk_kmdf_dma_completed_twice", SIM_FINDING_BUG_CHECK, SIM_SEV_ERROR, LINE(kmdf_dma_completed_again), NULL,
         DEFAULT_SCHEDULE, NULL},
    };
    TABLE(rows);
}

TEST(kmdf_irql_contracts_report_each_bug_at_its_call) {
    static const verdict_row rows[] = {
        {"chk_kmdf_complete_irql", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(kmdf_complete_irql), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_kmdf_retrieve_irql", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(kmdf_retrieve_irql), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_kmdf_execute_irql", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(kmdf_execute_irql), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_kmdf_common_buffer_irql", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(kmdf_common_buffer_irql), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_kmdf_queue_create_irql", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(kmdf_queue_create_irql), NULL,
         DEFAULT_SCHEDULE, NULL},
        {"chk_kmdf_object_lock_irql", SIM_FINDING_IRQL_VIOLATION, SIM_SEV_ERROR, LINE(kmdf_object_lock_irql), NULL,
         DEFAULT_SCHEDULE, NULL},
    };
    TABLE(rows);
}

TEST(kmdf_queues_and_dma_do_what_kmdf_does_in_every_schedule) {
    verdict_expect_clean("kmdf_sequential_queue");
    verdict_expect_clean("kmdf_sequential_queue_serialized");
    verdict_expect_clean("kmdf_dma_transaction");
}
