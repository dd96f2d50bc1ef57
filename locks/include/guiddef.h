/* guiddef.h: the GUID type and DEFINE_GUID. DEFINE_GUID declares the GUID,
 * or defines it when INITGUID is defined (<initguid.h> does that), so it is
 * set anew each time this header is included, as in the WDK. */
#ifndef SPINSIM_GUIDDEF_H
#define SPINSIM_GUIDDEF_H

typedef struct _GUID {
    unsigned int Data1;
    unsigned short Data2;
    unsigned short Data3;
    unsigned char Data4[8];
} GUID, *PGUID, *LPGUID;
typedef const GUID *LPCGUID, *REFGUID;

#define IsEqualGUID(a, b) (__builtin_memcmp((a), (b), sizeof(GUID)) == 0)

#endif

#undef DEFINE_GUID
#ifdef INITGUID
/* Weak, as the WDK's selectany: every file that defines it gets one copy. */
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)                                                   \
    const GUID name __attribute__((weak)) = {l, w1, w2, {b1, b2, b3, b4, b5, b6, b7, b8}}
#else
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) extern const GUID name
#endif
