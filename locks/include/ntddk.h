/* ntddk.h: drivers that include ntddk.h get the same surface as wdm.h. */
#ifndef SPINSIM_NTDDK_H
#define SPINSIM_NTDDK_H
#include "wdm.h"
#endif
