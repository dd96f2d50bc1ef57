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
    return ext;
}
