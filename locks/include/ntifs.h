/* ntifs.h: file-system and filter drivers include ntifs.h; they get the
 * same surface as wdm.h. */
#ifndef SPINSIM_NTIFS_H
#define SPINSIM_NTIFS_H
#include "ntddk.h"
#endif
