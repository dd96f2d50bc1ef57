/* sim_site.h: a call site in driver code, captured by the wdm.h macros so
 * every report points at the driver's own line. Sites are static objects;
 * their address is identity and is never printed. */
#ifndef SIM_SITE_H
#define SIM_SITE_H

typedef struct sim_site {
    const char *file;
    int line;
    const char *func;
} sim_site;

#define SIM_SITE_HERE                                                                                                  \
    ({                                                                                                                 \
        static const sim_site sim_site_here_ = {__FILE__, __LINE__, __func__};                                         \
        &sim_site_here_;                                                                                               \
    })

#endif
