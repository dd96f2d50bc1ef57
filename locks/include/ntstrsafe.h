/* ntstrsafe.h: the WDK's bounded string routines, for counted (Cch, in
 * characters) and sized (Cb, in bytes) buffers of CHAR (A) and WCHAR (W):
 * copy, concatenate, length. Plain inline code, as in the WDK, and no
 * scheduling point; a result that does not fit is truncated, terminated
 * and reported as STATUS_BUFFER_OVERFLOW. */
#ifndef SPINSIM_NTSTRSAFE_H
#define SPINSIM_NTSTRSAFE_H

#include "wdm.h"

#define NTSTRSAFE_MAX_CCH 2147483647

/* One body per operation, for either character width. */
#define SPINSIM_STRSAFE_LENGTH(psz, cchMax, pcchLength)                                                                \
    do {                                                                                                               \
        if ((psz) == NULL || (cchMax) == 0 || (cchMax) > NTSTRSAFE_MAX_CCH)                                            \
            return STATUS_INVALID_PARAMETER;                                                                           \
        size_t length = 0;                                                                                             \
        while (length < (cchMax) && (psz)[length] != 0)                                                                \
            length++;                                                                                                  \
        if (length == (cchMax))                                                                                        \
            return STATUS_INVALID_PARAMETER;                                                                           \
        if ((pcchLength) != NULL)                                                                                      \
            *(pcchLength) = length;                                                                                    \
        return STATUS_SUCCESS;                                                                                         \
    } while (0)

#define SPINSIM_STRSAFE_COPY(pszDest, cchDest, pszSrc)                                                                 \
    do {                                                                                                               \
        if ((cchDest) == 0 || (cchDest) > NTSTRSAFE_MAX_CCH)                                                           \
            return STATUS_INVALID_PARAMETER;                                                                           \
        size_t copied = 0;                                                                                             \
        while (copied + 1 < (cchDest) && (pszSrc)[copied] != 0) {                                                      \
            (pszDest)[copied] = (pszSrc)[copied];                                                                      \
            copied++;                                                                                                  \
        }                                                                                                              \
        (pszDest)[copied] = 0;                                                                                         \
        return (pszSrc)[copied] == 0 ? STATUS_SUCCESS : STATUS_BUFFER_OVERFLOW;                                        \
    } while (0)

static inline NTSTATUS RtlStringCchLengthA(PCSTR psz, size_t cchMax, size_t *pcchLength) {
    SPINSIM_STRSAFE_LENGTH(psz, cchMax, pcchLength);
}
static inline NTSTATUS RtlStringCchLengthW(PCWSTR psz, size_t cchMax, size_t *pcchLength) {
    SPINSIM_STRSAFE_LENGTH(psz, cchMax, pcchLength);
}
static inline NTSTATUS RtlStringCbLengthA(PCSTR psz, size_t cbMax, size_t *pcbLength) {
    SPINSIM_STRSAFE_LENGTH(psz, cbMax, pcbLength);
}
static inline NTSTATUS RtlStringCbLengthW(PCWSTR psz, size_t cbMax, size_t *pcbLength) {
    size_t cch = 0;
    const NTSTATUS status = RtlStringCchLengthW(psz, cbMax / sizeof(WCHAR), &cch);
    if (NT_SUCCESS(status) && pcbLength != NULL)
        *pcbLength = cch * sizeof(WCHAR);
    return status;
}
static inline NTSTATUS RtlStringCchCopyA(PSTR pszDest, size_t cchDest, PCSTR pszSrc) {
    SPINSIM_STRSAFE_COPY(pszDest, cchDest, pszSrc);
}
static inline NTSTATUS RtlStringCchCopyW(PWSTR pszDest, size_t cchDest, PCWSTR pszSrc) {
    SPINSIM_STRSAFE_COPY(pszDest, cchDest, pszSrc);
}
static inline NTSTATUS RtlStringCbCopyA(PSTR pszDest, size_t cbDest, PCSTR pszSrc) {
    return RtlStringCchCopyA(pszDest, cbDest, pszSrc);
}
static inline NTSTATUS RtlStringCbCopyW(PWSTR pszDest, size_t cbDest, PCWSTR pszSrc) {
    return RtlStringCchCopyW(pszDest, cbDest / sizeof(WCHAR), pszSrc);
}
static inline NTSTATUS RtlStringCchCatA(PSTR pszDest, size_t cchDest, PCSTR pszSrc) {
    size_t length = 0;
    const NTSTATUS status = RtlStringCchLengthA(pszDest, cchDest, &length);
    return NT_SUCCESS(status) ? RtlStringCchCopyA(pszDest + length, cchDest - length, pszSrc) : status;
}
static inline NTSTATUS RtlStringCchCatW(PWSTR pszDest, size_t cchDest, PCWSTR pszSrc) {
    size_t length = 0;
    const NTSTATUS status = RtlStringCchLengthW(pszDest, cchDest, &length);
    return NT_SUCCESS(status) ? RtlStringCchCopyW(pszDest + length, cchDest - length, pszSrc) : status;
}
static inline NTSTATUS RtlStringCbCatA(PSTR pszDest, size_t cbDest, PCSTR pszSrc) {
    return RtlStringCchCatA(pszDest, cbDest, pszSrc);
}
static inline NTSTATUS RtlStringCbCatW(PWSTR pszDest, size_t cbDest, PCWSTR pszSrc) {
    return RtlStringCchCatW(pszDest, cbDest / sizeof(WCHAR), pszSrc);
}

#endif
