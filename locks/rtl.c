/* rtl.c owns the run-time library routines on counted strings and memory
 * that are routines in the WDK (RtlZeroMemory and its kin are macros over
 * the C library in wdm.h): RtlInitUnicodeString, RtlInitAnsiString,
 * RtlInitString, RtlCopyUnicodeString, RtlCompareUnicodeString,
 * RtlEqualUnicodeString, RtlAppendUnicodeStringToString,
 * RtlAppendUnicodeToString and RtlCompareMemory (docs/design.md, "The
 * wdm.h surface beyond locks").
 *
 * Lengths count bytes, as in UNICODE_STRING and ANSI_STRING; the routines
 * never write past MaximumLength. They touch only the caller's memory,
 * plainly, and take one step each; RtlCompareMemory's reads are checked
 * for races as driver code's are (sim_driver_access), the others' are
 * not. Case-insensitive comparison folds ASCII letters only (Windows uses
 * its full upcase table). */
#include "lock_internal.h"

enum { WCHAR_BYTES = (int)sizeof(WCHAR) };

static USHORT wide_bytes(PCWSTR string) {
    size_t count = 0;
    while (string[count] != 0)
        count++;
    return (USHORT)(count * WCHAR_BYTES);
}

static WCHAR upcase(WCHAR character) {
    return character >= L'a' && character <= L'z' ? (WCHAR)(character - L'a' + L'A') : character;
}

VOID spinsim_RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString, const sim_site *site) {
    spinsim_routine_enter("RtlInitUnicodeString", DISPATCH_LEVEL, site);
    DestinationString->Buffer = (PWCH)SourceString;
    DestinationString->Length = SourceString != NULL ? wide_bytes(SourceString) : 0;
    DestinationString->MaximumLength = SourceString != NULL ? (USHORT)(DestinationString->Length + WCHAR_BYTES) : 0;
}

VOID spinsim_RtlInitAnsiString(PANSI_STRING DestinationString, PCSZ SourceString, const char *routine,
                               const sim_site *site) {
    spinsim_routine_enter(routine, DISPATCH_LEVEL, site);
    DestinationString->Buffer = (PCHAR)SourceString;
    DestinationString->Length = SourceString != NULL ? (USHORT)strlen(SourceString) : 0;
    DestinationString->MaximumLength = SourceString != NULL ? (USHORT)(DestinationString->Length + 1) : 0;
}

/* Appends `length` bytes, or fails with STATUS_BUFFER_TOO_SMALL and
 * changes nothing. */
static NTSTATUS append(PUNICODE_STRING Destination, const WCHAR *source, USHORT length) {
    if (Destination->Length + length > Destination->MaximumLength)
        return STATUS_BUFFER_TOO_SMALL;
    memmove((PUCHAR)Destination->Buffer + Destination->Length, source, length);
    Destination->Length = (USHORT)(Destination->Length + length);
    if (Destination->Length + WCHAR_BYTES <= Destination->MaximumLength)
        Destination->Buffer[Destination->Length / WCHAR_BYTES] = 0;
    return STATUS_SUCCESS;
}

/* Copies as much as fits; a NULL source makes the destination empty. */
VOID spinsim_RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                                  const sim_site *site) {
    spinsim_routine_enter("RtlCopyUnicodeString", DISPATCH_LEVEL, site);
    DestinationString->Length = 0;
    if (SourceString == NULL)
        return;
    USHORT length = SourceString->Length;
    if (length > DestinationString->MaximumLength)
        length = DestinationString->MaximumLength;
    append(DestinationString, SourceString->Buffer, length);
}

static LONG compare(PCUNICODE_STRING String1, PCUNICODE_STRING String2, BOOLEAN CaseInSensitive) {
    const USHORT count1 = String1->Length / WCHAR_BYTES, count2 = String2->Length / WCHAR_BYTES;
    for (USHORT i = 0; i < count1 && i < count2; i++) {
        WCHAR c1 = String1->Buffer[i], c2 = String2->Buffer[i];
        if (CaseInSensitive) {
            c1 = upcase(c1);
            c2 = upcase(c2);
        }
        if (c1 != c2)
            return (LONG)c1 - (LONG)c2;
    }
    return (LONG)count1 - (LONG)count2;
}

LONG spinsim_RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2, BOOLEAN CaseInSensitive,
                                     const sim_site *site) {
    spinsim_routine_enter("RtlCompareUnicodeString", PASSIVE_LEVEL, site);
    return compare(String1, String2, CaseInSensitive);
}

BOOLEAN spinsim_RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2, BOOLEAN CaseInSensitive,
                                      const sim_site *site) {
    spinsim_routine_enter("RtlEqualUnicodeString", PASSIVE_LEVEL, site);
    return String1->Length == String2->Length && compare(String1, String2, CaseInSensitive) == 0;
}

NTSTATUS spinsim_RtlAppendUnicodeStringToString(PUNICODE_STRING Destination, PCUNICODE_STRING Source,
                                                const sim_site *site) {
    spinsim_routine_enter("RtlAppendUnicodeStringToString", DISPATCH_LEVEL, site);
    return append(Destination, Source->Buffer, Source->Length);
}

NTSTATUS spinsim_RtlAppendUnicodeToString(PUNICODE_STRING Destination, PCWSTR Source, const sim_site *site) {
    spinsim_routine_enter("RtlAppendUnicodeToString", DISPATCH_LEVEL, site);
    return Source != NULL ? append(Destination, Source, wide_bytes(Source)) : STATUS_SUCCESS;
}

/* The number of leading bytes that match. Any IRQL, for resident memory. */
SIZE_T spinsim_RtlCompareMemory(const VOID *Source1, const VOID *Source2, SIZE_T Length, const sim_site *site) {
    spinsim_routine_enter("RtlCompareMemory", HIGH_LEVEL, site);
    const UCHAR *a = Source1, *b = Source2;
    SIZE_T same = 0;
    while (same < Length && a[same] == b[same])
        same++;
    /* The bytes it read: the matching ones and the first that differs. */
    SIZE_T read = same < Length ? same + 1 : same;
    const void *caller = __builtin_return_address(0);
    sim_driver_access(Source1, read, false, caller);
    sim_driver_access(Source2, read, false, caller);
    return same;
}
