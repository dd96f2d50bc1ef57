/* check_common.c: the device extension the checker scenarios share. */
#include "check_scenarios.h"

check_ext *check_ext_new(bool buggy) {
    static const char *const names[CHECK_LOCKS] = {"A", "B", "C", "D"};
    check_ext *ext = sim_alloc(sizeof *ext);
    ext->buggy = buggy;
    for (int i = 0; i < CHECK_LOCKS; i++) {
        KeInitializeSpinLock(&ext->lock[i]);
        sim_name(&ext->lock[i], names[i]);
    }
    sim_name((const void *)&ext->ex, "X");
    KeInitializeEvent(&ext->event, NotificationEvent, FALSE);
    ext->name = (UNICODE_STRING){.Buffer = ext->name_buffer, .MaximumLength = sizeof ext->name_buffer};
    ext->name_copy = (UNICODE_STRING){.Buffer = ext->copy_buffer, .MaximumLength = sizeof ext->copy_buffer};
    RtlInitUnicodeString(&ext->new_name, L"rx0");
    return ext;
}

void check_wait_unless_buggy(check_ext *ext) {
    if (!ext->buggy)
        KeWaitForSingleObject(&ext->event, Executive, KernelMode, FALSE, NULL);
}
