/* sdkddkver.h: the Windows version a driver targets, as the WDK's build
 * sets it. spinsim builds every driver for Windows 10: NTDDI_VERSION and
 * _WIN32_WINNT are the Windows 10 values, so a driver's
 * `#if (NTDDI_VERSION >= NTDDI_WIN7)` blocks take the current path. A
 * driver may define either itself first, as with the WDK. */
#ifndef SPINSIM_SDKDDKVER_H
#define SPINSIM_SDKDDKVER_H

#define _WIN32_WINNT_VISTA 0x0600
#define _WIN32_WINNT_WIN7 0x0601
#define _WIN32_WINNT_WIN8 0x0602
#define _WIN32_WINNT_WINBLUE 0x0603
#define _WIN32_WINNT_WIN10 0x0A00

#define NTDDI_VISTA 0x06000000
#define NTDDI_VISTASP1 0x06000100
#define NTDDI_WS08 NTDDI_VISTASP1
#define NTDDI_WIN7 0x06010000
#define NTDDI_WIN8 0x06020000
#define NTDDI_WINBLUE 0x06030000
#define NTDDI_WIN10 0x0A000000

#ifndef _WIN32_WINNT
#define _WIN32_WINNT _WIN32_WINNT_WIN10
#endif
#ifndef NTDDI_VERSION
#define NTDDI_VERSION NTDDI_WIN10
#endif

#endif
