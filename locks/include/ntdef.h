/* ntdef.h: the WDK's basic types, with the widths and members of the x64
 * WDK on an LP64 host: LONG/ULONG are 32-bit, LONGLONG/ULONGLONG and
 * LONG64/ULONG64 are `long long`, WCHAR is a 16-bit wchar_t, LARGE_INTEGER
 * has LowPart/HighPart both directly and in `.u`. Also the status type and
 * NT_SUCCESS, the list and string structures, GUIDs and the small macros
 * drivers use (FIELD_OFFSET, CONTAINING_RECORD, ARRAYSIZE, min/max...).
 *
 * WCHAR must be 16 bits, as L"..." literals must be: driver code and
 * everything that includes these headers is built with -fshort-wchar. A
 * build without it stops at the one #error below.
 *
 * ULONG_PTR and SIZE_T are the host's uintptr_t/size_t (unsigned long), so
 * a SIZE_T and a size_t variable are interchangeable, as they are on
 * Windows; ULONG64 is a distinct `unsigned long long`. */
#ifndef SPINSIM_NTDEF_H
#define SPINSIM_NTDEF_H

#include <stddef.h>
#include <stdint.h>

#if __WCHAR_WIDTH__ != 16
#error "spinsim: build driver code with -fshort-wchar (WCHAR and L\"...\" are 16-bit on Windows)"
#endif

#ifndef DBG
/* Code under spinsim is a debug build: ASSERT, NT_ASSERT and KdPrint are
 * active, as in a checked build. Define DBG=0 for a free build. */
#define DBG 1
#endif

/* ---- calling conventions, storage classes, old-style annotations --------- */

#define VOID void
#define CONST const
#define IN
#define OUT
#define OPTIONAL
#define NTAPI
#define NTKERNELAPI
#define NTSYSAPI
#define NTHALAPI
#define NTSYSCALLAPI
#define FASTCALL
#define FORCEINLINE static inline __attribute__((always_inline))
#define DECLSPEC_NORETURN __attribute__((noreturn))
#define DECLSPEC_NOINLINE __attribute__((noinline))
#define DECLSPEC_ALIGN(x) __attribute__((aligned(x)))
#define DECLSPEC_CACHEALIGN DECLSPEC_ALIGN(64)
#define SYSTEM_CACHE_ALIGNMENT_SIZE 64
#define EXTERN_C extern

/* ---- integer types -------------------------------------------------------- */

typedef void *PVOID, *LPVOID;
typedef const void *LPCVOID;
typedef char CHAR, *PCHAR, *PSTR, *LPSTR, *PSZ;
typedef const char *PCSTR, *LPCSTR, *PCSZ;
typedef unsigned char UCHAR, *PUCHAR, BYTE, *PBYTE;
typedef signed char SCHAR, *PSCHAR;
typedef short SHORT, *PSHORT, CSHORT;
typedef unsigned short USHORT, *PUSHORT, WORD, *PWORD;
typedef int INT, *PINT;
typedef unsigned int UINT, *PUINT;
typedef int LONG, *PLONG;
typedef unsigned int ULONG, *PULONG, DWORD, *PDWORD, CLONG, LOGICAL, *PLOGICAL;
typedef long long LONGLONG, *PLONGLONG, LONG64, *PLONG64, INT64, *PINT64;
typedef unsigned long long ULONGLONG, *PULONGLONG, ULONG64, *PULONG64, DWORD64, *PDWORD64, UINT64, *PUINT64;
typedef signed char INT8, *PINT8;
typedef unsigned char UINT8, *PUINT8;
typedef short INT16, *PINT16;
typedef unsigned short UINT16, *PUINT16;
typedef int INT32, *PINT32, LONG32, *PLONG32;
typedef unsigned int UINT32, *PUINT32, ULONG32, *PULONG32, DWORD32, *PDWORD32;
typedef intptr_t LONG_PTR, *PLONG_PTR, INT_PTR, *PINT_PTR, SSIZE_T, *PSSIZE_T;
typedef uintptr_t ULONG_PTR, *PULONG_PTR, UINT_PTR, *PUINT_PTR, DWORD_PTR, *PDWORD_PTR;
typedef size_t SIZE_T, *PSIZE_T;
typedef wchar_t WCHAR, *PWCHAR, *PWCH, *PWSTR, *LPWSTR, *NWPSTR;
typedef const WCHAR *PCWCH, *PCWSTR, *LPCWSTR;
typedef UCHAR BOOLEAN, *PBOOLEAN;
typedef int BOOL, *PBOOL;
typedef LONG NTSTATUS, *PNTSTATUS;
typedef PVOID HANDLE, *PHANDLE;
typedef CHAR CCHAR, *PCCHAR;
typedef ULONG ACCESS_MASK, *PACCESS_MASK;
typedef ULONG_PTR KAFFINITY, *PKAFFINITY;
typedef LONG KPRIORITY;
typedef USHORT RTL_ATOMIC;

#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif

#define MINCHAR 0x80
#define MAXCHAR 0x7f
#define MINSHORT 0x8000
#define MAXSHORT 0x7fff
#define MINLONG 0x80000000
#define MAXLONG 0x7fffffff
#define MAXUCHAR 0xff
#define MAXUSHORT 0xffff
#define MAXULONG 0xffffffff
#define MAXLONGLONG 0x7fffffffffffffffLL
#define MAXULONGLONG 0xffffffffffffffffULL
#define MAXULONG_PTR UINTPTR_MAX
#define MAXLONG_PTR INTPTR_MAX
#define MINLONG_PTR INTPTR_MIN
#define MAXSIZE_T SIZE_MAX
#define ANSI_NULL ((CHAR)0)
#define UNICODE_NULL ((WCHAR)0)

#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#define NT_INFORMATION(Status) ((((ULONG)(Status)) >> 30) == 1)
#define NT_WARNING(Status) ((((ULONG)(Status)) >> 30) == 2)
#define NT_ERROR(Status) ((((ULONG)(Status)) >> 30) == 3)

/* ---- 64-bit values ------------------------------------------------------- */

typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    };
    struct {
        ULONG LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct {
        ULONG LowPart;
        ULONG HighPart;
    };
    struct {
        ULONG LowPart;
        ULONG HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef LARGE_INTEGER PHYSICAL_ADDRESS, *PPHYSICAL_ADDRESS;

#define Int32x32To64(a, b) ((LONGLONG)(LONG)(a) * (LONGLONG)(LONG)(b))
#define UInt32x32To64(a, b) ((ULONGLONG)(ULONG)(a) * (ULONGLONG)(ULONG)(b))

/* ---- structure helpers -------------------------------------------------- */

#define UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))
#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#define RTL_FIELD_SIZE(type, field) (sizeof(((type *)0)->field))
#define RTL_SIZEOF_THROUGH_FIELD(type, field) (FIELD_OFFSET(type, field) + RTL_FIELD_SIZE(type, field))
#define CONTAINING_RECORD(address, type, field) ((type *)((PUCHAR)(address)-offsetof(type, field)))
#define RTL_NUMBER_OF(A) (sizeof(A) / sizeof((A)[0]))
#define RTL_NUMBER_OF_V1(A) RTL_NUMBER_OF(A)
#define RTL_NUMBER_OF_V2(A) RTL_NUMBER_OF(A)
#define ARRAYSIZE(A) RTL_NUMBER_OF(A)
#define C_ASSERT(e) _Static_assert(e, #e)
#define ALIGN_DOWN_BY(length, alignment) ((ULONG_PTR)(length) & ~((ULONG_PTR)(alignment)-1))
#define ALIGN_UP_BY(length, alignment) (ALIGN_DOWN_BY(((ULONG_PTR)(length) + (alignment)-1), alignment))
#define ALIGN_DOWN(length, type) ALIGN_DOWN_BY(length, sizeof(type))
#define ALIGN_UP(length, type) ALIGN_UP_BY(length, sizeof(type))
#define FlagOn(flags, single_flag) ((flags) & (single_flag))
#define BooleanFlagOn(flags, single_flag) ((BOOLEAN)(((flags) & (single_flag)) != 0))
#define SetFlag(flags, single_flag) ((flags) |= (single_flag))
#define ClearFlag(flags, single_flag) ((flags) &= ~(single_flag))
#define Add2Ptr(P, I) ((PVOID)((PUCHAR)(P) + (I)))
#define PtrOffset(B, O) ((ULONG)((ULONG_PTR)(O) - (ULONG_PTR)(B)))
#ifndef min
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef max
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif

/* ---- lists and strings: the structures (routines: wdm.h) ---------------- */

typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink;
    struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY, *PRLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
    struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

/* Length and MaximumLength count bytes, not characters; Buffer need not
 * be terminated. */
typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWCH Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

typedef struct _STRING {
    USHORT Length;
    USHORT MaximumLength;
    PCHAR Buffer;
} STRING, *PSTRING, ANSI_STRING, *PANSI_STRING, OEM_STRING, *POEM_STRING;
typedef const STRING *PCSTRING, *PCANSI_STRING, *PCOEM_STRING;

/* A counted string constant from a literal or array: L"..." gives a
 * UNICODE_STRING, "..." an ANSI_STRING. */
#define RTL_CONSTANT_STRING(s)                                                                                         \
    { (USHORT)(sizeof(s) - sizeof((s)[0])), (USHORT)sizeof(s), (s) }

#include "guiddef.h"
#include "sdkddkver.h"

/* ---- object attributes (accepted; spinsim has no object namespace) ------ */

typedef struct _OBJECT_ATTRIBUTES {
    ULONG Length;
    HANDLE RootDirectory;
    PUNICODE_STRING ObjectName;
    ULONG Attributes;
    PVOID SecurityDescriptor;
    PVOID SecurityQualityOfService;
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;

#define OBJ_INHERIT 0x00000002L
#define OBJ_PERMANENT 0x00000010L
#define OBJ_EXCLUSIVE 0x00000020L
#define OBJ_CASE_INSENSITIVE 0x00000040L
#define OBJ_OPENIF 0x00000080L
#define OBJ_KERNEL_HANDLE 0x00000200L

#define InitializeObjectAttributes(p, n, a, r, s)                                                                      \
    do {                                                                                                               \
        (p)->Length = sizeof(OBJECT_ATTRIBUTES);                                                                       \
        (p)->RootDirectory = (r);                                                                                      \
        (p)->Attributes = (a);                                                                                         \
        (p)->ObjectName = (n);                                                                                         \
        (p)->SecurityDescriptor = (s);                                                                                 \
        (p)->SecurityQualityOfService = NULL;                                                                          \
    } while (0)

#endif
