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
 * plainly, and take one step each. The bytes each reads and writes (the
 * string structures' fields, one by one, and the characters) are checked
 * for races and use after free as driver code's own loads and stores are
 * (sim_driver_access), named by the routine's caller: this file is lock
 * code, which the compiler's hooks do not see. Case-insensitive comparison
 * folds ASCII letters only (Windows uses its full upcase table). */
#include "lock_internal.h"

enum { WCHAR_BYTES = (int)sizeof(WCHAR) };

/* The driver memory a routine reads, or writes, on behalf of `caller`
 * (its return address in driver code). */
#define READS(what, size) sim_driver_access((what), (size), false, caller)
#define WRITES(what, size) sim_driver_access((what), (size), true, caller)
#define READS_FIELD(field) READS(&(field), sizeof(field))
#define WRITES_FIELD(field) WRITES(&(field), sizeof(field))

/* The bytes of a NUL-terminated wide string before its NUL; the NUL is
 * read too. */
static USHORT wide_bytes(PCWSTR string, const void *caller) {
    size_t count = 0;
    while (string[count] != 0)
        count++;
    READS(string, (count + 1) * WCHAR_BYTES);
    return (USHORT)(count * WCHAR_BYTES);
}

static WCHAR upcase(WCHAR character) {
    return character >= L'a' && character <= L'z' ? (WCHAR)(character - L'a' + L'A') : character;
}

/* Every field of a counted string, written at once by the Init routines. */
#define WRITES_STRING(string) WRITES((string), sizeof *(string))

VOID spinsim_RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString, const sim_site *site) {
    spinsim_routine_enter("RtlInitUnicodeString", DISPATCH_LEVEL, site);
    const void *caller = __builtin_return_address(0);
    USHORT length = SourceString != NULL ? wide_bytes(SourceString, caller) : 0;
    WRITES_STRING(DestinationString);
    DestinationString->Buffer = (PWCH)SourceString;
    DestinationString->Length = length;
    DestinationString->MaximumLength = SourceString != NULL ? (USHORT)(length + WCHAR_BYTES) : 0;
}

VOID spinsim_RtlInitAnsiString(PANSI_STRING DestinationString, PCSZ SourceString, const char *routine,
                               const sim_site *site) {
    spinsim_routine_enter(routine, DISPATCH_LEVEL, site);
    const void *caller = __builtin_return_address(0);
    USHORT length = SourceString != NULL ? (USHORT)strlen(SourceString) : 0;
    if (SourceString != NULL)
        READS(SourceString, (size_t)length + 1);
    WRITES_STRING(DestinationString);
    DestinationString->Buffer = (PCHAR)SourceString;
    DestinationString->Length = length;
    DestinationString->MaximumLength = SourceString != NULL ? (USHORT)(length + 1) : 0;
}

/* Appends `length` bytes, or fails with STATUS_BUFFER_TOO_SMALL and
 * changes nothing. */
static NTSTATUS append(PUNICODE_STRING Destination, const WCHAR *source, USHORT length, const void *caller) {
    READS_FIELD(Destination->Length);
    READS_FIELD(Destination->MaximumLength);
    if (Destination->Length + length > Destination->MaximumLength)
        return STATUS_BUFFER_TOO_SMALL;
    READS_FIELD(Destination->Buffer);
    PUCHAR end = (PUCHAR)Destination->Buffer + Destination->Length;
    READS(source, length);
    WRITES(end, length);
    memmove(end, source, length);
    WRITES_FIELD(Destination->Length);
    Destination->Length = (USHORT)(Destination->Length + length);
    if (Destination->Length + WCHAR_BYTES <= Destination->MaximumLength) {
        WRITES(end + length, WCHAR_BYTES);
        Destination->Buffer[Destination->Length / WCHAR_BYTES] = 0;
    }
    return STATUS_SUCCESS;
}

/* Copies as much as fits; a NULL source makes the destination empty. */
VOID spinsim_RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                                  const sim_site *site) {
    spinsim_routine_enter("RtlCopyUnicodeString", DISPATCH_LEVEL, site);
    const void *caller = __builtin_return_address(0);
    WRITES_FIELD(DestinationString->Length);
    DestinationString->Length = 0;
    if (SourceString == NULL)
        return;
    READS_FIELD(SourceString->Length);
    READS_FIELD(SourceString->Buffer);
    READS_FIELD(DestinationString->MaximumLength);
    USHORT length = SourceString->Length;
    if (length > DestinationString->MaximumLength)
        length = DestinationString->MaximumLength;
    append(DestinationString, SourceString->Buffer, length, caller);
}

/* The characters compared, up to the first that differs. */
static LONG compare(PCUNICODE_STRING String1, PCUNICODE_STRING String2, BOOLEAN CaseInSensitive, const void *caller) {
    READS_FIELD(String1->Length);
    READS_FIELD(String2->Length);
    READS_FIELD(String1->Buffer);
    READS_FIELD(String2->Buffer);
    const USHORT count1 = String1->Length / WCHAR_BYTES, count2 = String2->Length / WCHAR_BYTES;
    USHORT i = 0;
    LONG difference = 0;
    for (; i < count1 && i < count2 && difference == 0; i++) {
        WCHAR c1 = String1->Buffer[i], c2 = String2->Buffer[i];
        if (CaseInSensitive) {
            c1 = upcase(c1);
            c2 = upcase(c2);
        }
        difference = (LONG)c1 - (LONG)c2;
    }
    READS(String1->Buffer, (size_t)i * WCHAR_BYTES);
    READS(String2->Buffer, (size_t)i * WCHAR_BYTES);
    return difference != 0 ? difference : (LONG)count1 - (LONG)count2;
}

LONG spinsim_RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2, BOOLEAN CaseInSensitive,
                                     const sim_site *site) {
    spinsim_routine_enter("RtlCompareUnicodeString", PASSIVE_LEVEL, site);
    return compare(String1, String2, CaseInSensitive, __builtin_return_address(0));
}

BOOLEAN spinsim_RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2, BOOLEAN CaseInSensitive,
                                      const sim_site *site) {
    spinsim_routine_enter("RtlEqualUnicodeString", PASSIVE_LEVEL, site);
    const void *caller = __builtin_return_address(0);
    READS_FIELD(String1->Length);
    READS_FIELD(String2->Length);
    return String1->Length == String2->Length && compare(String1, String2, CaseInSensitive, caller) == 0;
}

NTSTATUS spinsim_RtlAppendUnicodeStringToString(PUNICODE_STRING Destination, PCUNICODE_STRING Source,
                                                const sim_site *site) {
    spinsim_routine_enter("RtlAppendUnicodeStringToString", DISPATCH_LEVEL, site);
    const void *caller = __builtin_return_address(0);
    READS_FIELD(Source->Length);
    READS_FIELD(Source->Buffer);
    return append(Destination, Source->Buffer, Source->Length, caller);
}

NTSTATUS spinsim_RtlAppendUnicodeToString(PUNICODE_STRING Destination, PCWSTR Source, const sim_site *site) {
    spinsim_routine_enter("RtlAppendUnicodeToString", DISPATCH_LEVEL, site);
    const void *caller = __builtin_return_address(0);
    return Source != NULL ? append(Destination, Source, wide_bytes(Source, caller), caller) : STATUS_SUCCESS;
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
    READS(Source1, read);
    READS(Source2, read);
    return same;
}
