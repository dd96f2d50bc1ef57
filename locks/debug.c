/* debug.c owns the debugging routines: DbgPrint, DbgPrintEx, vDbgPrintEx
 * (and KdPrint/KdPrintEx over them), the assertions ASSERT, ASSERTMSG,
 * NT_ASSERT, NT_ASSERTMSG, NT_VERIFY, NT_VERIFYMSG and RtlAssert, and
 * KeBugCheck/KeBugCheckEx (docs/design.md, "Finding kinds").
 *
 * A print formats its text as the kernel would and puts it into the trace
 * as one step (`print "..."`), truncated at DBGPRINT_MAX bytes as DbgPrint
 * truncates. Every component and level is printed: there is no debugger
 * filter mask. The Microsoft conversions are understood: %wZ (a
 * PUNICODE_STRING), %Z (a PANSI_STRING), %ws, %ls and %S (a 16-bit wide
 * string), %wc, %lc and %C (a wide character), and the size prefixes I64,
 * I32 and I. Wide characters outside ASCII print as '?'. The text is shown
 * as formatted: a %p prints an address, which differs from run to run, so
 * traces of a driver that prints pointers are not byte-identical across
 * processes. A print is allowed up to DIRQL, its Unicode conversions at
 * PASSIVE_LEVEL only (they may touch paged tables): used above, the print
 * is an IRQL violation.
 *
 * A failed assertion is an `assertion-failure` at the assertion's line
 * naming the expression (and message); if the finding is allowed the code
 * goes on, as after `g` in the debugger. A bug check is a `bug-check` at
 * the call with its code and parameters; parameters that hold addresses
 * make the message differ between processes. If allowed, the CPU stops
 * there for good, as the machine would. */
#include <stdio.h>

#include "lock_internal.h"

enum { DBGPRINT_MAX = 512, SPEC_MAX = 32 };

/* Where formatted text goes: a bounded buffer that stays terminated. */
typedef struct text {
    char *buffer;
    size_t size, used;
} text;

static void text_append(text *out, const char *chars, size_t length) {
    while (length-- > 0 && out->used + 1 < out->size)
        out->buffer[out->used++] = *chars++;
    out->buffer[out->used] = '\0';
}

/* Appends one conversion: `spec` is a C conversion specification. */
__attribute__((format(printf, 2, 3))) static void text_printf(text *out, const char *spec, ...) {
    char piece[DBGPRINT_MAX];
    va_list args;
    va_start(args, spec);
    const int length = vsnprintf(piece, sizeof piece, spec, args);
    va_end(args);
    if (length > 0)
        text_append(out, piece, (size_t)length < sizeof piece ? (size_t)length : sizeof piece - 1);
}

/* UTF-16 as ASCII: `count` characters, or up to the terminator if count
 * is negative. */
static void narrow(char *out, size_t size, const WCHAR *wide, long count) {
    size_t used = 0;
    for (long i = 0; wide != NULL && (count < 0 ? wide[i] != 0 : i < count) && used + 1 < size; i++)
        out[used++] = wide[i] < 0x80 ? (char)wide[i] : '?';
    out[used] = '\0';
}

/* One conversion's parsed parts. */
typedef struct conversion {
    char flags_width_precision[SPEC_MAX]; /* as written, '*' resolved */
    enum { SIZE_INT, SIZE_LONG, SIZE_LONGLONG, SIZE_SIZE, SIZE_SHORT, SIZE_CHAR, SIZE_WIDE } size;
    char letter;
} conversion;

/* Parses the conversion after a '%'; returns the position after it. */
static const char *parse_conversion(const char *p, conversion *c, va_list *args) {
    size_t used = 0;
    c->size = SIZE_INT;
    while (*p != '\0' && strchr("-+ #0123456789.*", *p) != NULL) {
        if (*p == '*')
            used += (size_t)snprintf(c->flags_width_precision + used, SPEC_MAX - used, "%d", va_arg(*args, int));
        else if (used + 1 < SPEC_MAX)
            c->flags_width_precision[used++] = *p;
        if (used >= SPEC_MAX)
            used = SPEC_MAX - 1;
        p++;
    }
    c->flags_width_precision[used] = '\0';
    if (strncmp(p, "I64", 3) == 0) {
        c->size = SIZE_LONGLONG;
        p += 3;
    } else if (strncmp(p, "I32", 3) == 0) {
        p += 3;
    } else if (*p == 'I' || *p == 'z' || *p == 't' || *p == 'j') {
        c->size = SIZE_SIZE;
        p++;
    } else if (p[0] == 'l' && p[1] == 'l') {
        c->size = SIZE_LONGLONG;
        p += 2;
    } else if (p[0] == 'h' && p[1] == 'h') {
        c->size = SIZE_CHAR;
        p += 2;
    } else if (*p == 'l' || *p == 'w') {
        c->size = *p == 'w' ? SIZE_WIDE : SIZE_LONG;
        p++;
    } else if (*p == 'h') {
        c->size = SIZE_SHORT;
        p++;
    }
    c->letter = *p;
    return *p != '\0' ? p + 1 : p;
}

/* Formats one integer conversion with its size. */
static void format_integer(text *out, const conversion *c, va_list *args) {
    char spec[SPEC_MAX + 8];
    if (c->size == SIZE_LONGLONG || c->size == SIZE_SIZE) {
        snprintf(spec, sizeof spec, "%%%sll%c", c->flags_width_precision, c->letter);
        text_printf(out, spec, va_arg(*args, long long));
        return;
    }
    /* SIZE_LONG is 32 bits, as LONG is on Windows: an int here. */
    snprintf(spec, sizeof spec, "%%%s%s%c", c->flags_width_precision,
             c->size == SIZE_SHORT  ? "h"
             : c->size == SIZE_CHAR ? "hh"
                                    : "",
             c->letter);
    text_printf(out, spec, va_arg(*args, int));
}

/* Formats one string or character conversion; true if it was a Unicode
 * one. */
static bool format_text(text *out, const conversion *c, va_list *args) {
    char spec[SPEC_MAX + 4], chars[DBGPRINT_MAX];
    snprintf(spec, sizeof spec, "%%%ss", c->flags_width_precision);
    const bool wide = c->size == SIZE_WIDE || c->size == SIZE_LONG || c->letter == 'S' || c->letter == 'C';
    switch (c->letter) {
    case 'Z':
        if (wide) {
            const UNICODE_STRING *string = va_arg(*args, const UNICODE_STRING *);
            if (string == NULL || string->Buffer == NULL)
                snprintf(chars, sizeof chars, "(null)");
            else
                narrow(chars, sizeof chars, string->Buffer, string->Length / (long)sizeof(WCHAR));
        } else {
            const ANSI_STRING *string = va_arg(*args, const ANSI_STRING *);
            if (string == NULL || string->Buffer == NULL)
                snprintf(chars, sizeof chars, "(null)");
            else
                snprintf(chars, sizeof chars, "%.*s", (int)string->Length, string->Buffer);
        }
        break;
    case 's':
    case 'S':
        if (wide) {
            const WCHAR *string = va_arg(*args, const WCHAR *);
            narrow(chars, sizeof chars, string != NULL ? string : L"(null)", -1);
        } else {
            const char *string = va_arg(*args, const char *);
            snprintf(chars, sizeof chars, "%s", string != NULL ? string : "(null)");
        }
        break;
    default: /* 'c', 'C' */
        if (wide) {
            const WCHAR character = (WCHAR)va_arg(*args, int);
            narrow(chars, sizeof chars, &character, 1);
        } else {
            chars[0] = (char)va_arg(*args, int);
            chars[1] = '\0';
        }
        break;
    }
    text_printf(out, spec, chars);
    return wide;
}

/* Formats as DbgPrint does; true if a Unicode conversion was used. */
static bool format_dbgprint(char *buffer, size_t size, const char *format, va_list args) {
    text out = {buffer, size, 0};
    bool unicode = false;
    va_list rest;
    va_copy(rest, args);
    buffer[0] = '\0';
    for (const char *p = format; *p != '\0';) {
        if (*p != '%') {
            const char *next = strchr(p, '%');
            const size_t length = next != NULL ? (size_t)(next - p) : strlen(p);
            text_append(&out, p, length);
            p += length;
            continue;
        }
        if (p[1] == '%') {
            text_append(&out, "%", 1);
            p += 2;
            continue;
        }
        conversion c;
        const char *written = p;
        p = parse_conversion(p + 1, &c, &rest);
        char spec[SPEC_MAX + 4];
        switch (c.letter) {
        case 'd':
        case 'i':
        case 'u':
        case 'o':
        case 'x':
        case 'X':
            format_integer(&out, &c, &rest);
            break;
        case 'c':
        case 'C':
        case 's':
        case 'S':
        case 'Z':
            unicode |= format_text(&out, &c, &rest);
            break;
        case 'p':
            snprintf(spec, sizeof spec, "%%%sp", c.flags_width_precision);
            text_printf(&out, spec, va_arg(rest, void *));
            break;
        case 'e':
        case 'E':
        case 'f':
        case 'g':
        case 'G':
        case 'a':
        case 'A':
            snprintf(spec, sizeof spec, "%%%s%c", c.flags_width_precision, c.letter);
            text_printf(&out, spec, va_arg(rest, double));
            break;
        case 'n':
            (void)va_arg(rest, void *); /* writes nothing back */
            break;
        default: /* unknown or cut short: shown as written */
            text_append(&out, written, (size_t)(p - written));
            break;
        }
    }
    va_end(rest);
    return unicode;
}

static ULONG print(const char *routine, PCSTR format, va_list args, const sim_site *site) {
    char buffer[DBGPRINT_MAX];
    sim_check_caller_irql(routine, PASSIVE_LEVEL, SIM_IRQL_DIRQL_MAX, site);
    if (format_dbgprint(buffer, sizeof buffer, format, args))
        sim_check_caller_irql("DbgPrint with a Unicode conversion", PASSIVE_LEVEL, PASSIVE_LEVEL, site);
    sim_print_step(buffer);
    return STATUS_SUCCESS;
}

ULONG spinsim_DbgPrint(const sim_site *site, PCSTR Format, ...) {
    sim_site_set(site);
    va_list args;
    va_start(args, Format);
    const ULONG status = print("DbgPrint", Format, args, site);
    va_end(args);
    return status;
}

ULONG spinsim_DbgPrintEx(const sim_site *site, ULONG ComponentId, ULONG Level, PCSTR Format, ...) {
    sim_site_set(site);
    va_list args;
    va_start(args, Format);
    const ULONG status = print("DbgPrintEx", Format, args, site);
    va_end(args);
    return status;
}

ULONG spinsim_vDbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, va_list arglist, const sim_site *site) {
    sim_site_set(site);
    return print("vDbgPrintEx", Format, arglist, site);
}

VOID spinsim_AssertFailed(PCSTR Expression, PCSTR Message, const sim_site *site) {
    sim_site_set(site);
    if (Message != NULL)
        sim_reportf(SIM_FINDING_ASSERTION_FAILURE, SIM_SEV_ERROR, NULL, NULL, "assertion failed: %s (%s)", Expression,
                    Message);
    else
        sim_reportf(SIM_FINDING_ASSERTION_FAILURE, SIM_SEV_ERROR, NULL, NULL, "assertion failed: %s", Expression);
}

/* What an allowed bug check's CPU sleeps on: never written. */
static const volatile LONG machine_stopped;

/* After a bug check's finding: the CPU stops here for good. */
_Noreturn static void cpu_stopped(void) {
    for (;;)
        sim_spin_wait(&machine_stopped, NULL);
}

_Noreturn void locks_bug_check(ULONG code, ULONG_PTR p1, ULONG_PTR p2, ULONG_PTR p3, ULONG_PTR p4) {
    sim_reportf(SIM_FINDING_BUG_CHECK, SIM_SEV_ERROR, NULL, NULL, "bug check 0x%08X (0x%llx, 0x%llx, 0x%llx, 0x%llx)",
                code, (unsigned long long)p1, (unsigned long long)p2, (unsigned long long)p3, (unsigned long long)p4);
    cpu_stopped();
}

_Noreturn void locks_bug_check_because(ULONG code, const char *routine, const char *why) {
    sim_reportf(SIM_FINDING_BUG_CHECK, SIM_SEV_ERROR, NULL, NULL, "bug check 0x%08X: %s %s", code, routine, why);
    cpu_stopped();
}

VOID spinsim_KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR BugCheckParameter1, ULONG_PTR BugCheckParameter2,
                          ULONG_PTR BugCheckParameter3, ULONG_PTR BugCheckParameter4, const sim_site *site) {
    sim_site_set(site);
    locks_bug_check(BugCheckCode, BugCheckParameter1, BugCheckParameter2, BugCheckParameter3, BugCheckParameter4);
}
