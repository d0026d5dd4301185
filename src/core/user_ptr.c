/* user_ptr.c - probes of caller pointers for the API layer (include/user_ptr.h): WSAEFAULT instead
 * of a crash for a pointer into unmapped, PAGE_NOACCESS or (for out-parameters) read-only memory.
 * Owns: the two probe routines (a byte read; an atomic "lock or $0" write that leaves the byte as it
 * is), the vectored exception handler that resumes a faulting probe at its failure exit, and a
 * VirtualQuery fallback for when no handler can be installed.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "user_ptr.h"

#define PROBE_STEP 4096u /* x86 page size: one touch per page covers a range */

/* int user_probe_read(const volatile void *p) / user_probe_write(volatile void *p): 0, or 1 when the
 * access faulted (the handler moved the instruction pointer to user_probe_fault). Leaf routines
 * without stack use, so resuming at another instruction of them needs no unwinding. */
#if defined(__x86_64__)
__asm__(".text\n"
        ".p2align 4\n"
        "user_probe_read:\n"
        "user_probe_read_insn:\n\t"
        "movb (%rcx), %al\n\t"
        "xorl %eax, %eax\n\t"
        "ret\n"
        ".p2align 4\n"
        "user_probe_write:\n"
        "user_probe_write_insn:\n\t"
        "lock orb $0, (%rcx)\n\t"
        "xorl %eax, %eax\n\t"
        "ret\n"
        ".p2align 4\n"
        "user_probe_fault:\n\t"
        "movl $1, %eax\n\t"
        "ret\n");
#elif defined(__i386__)
__asm__(".text\n"
        ".p2align 4\n"
        "_user_probe_read:\n\t"
        "movl 4(%esp), %ecx\n"
        "_user_probe_read_insn:\n\t"
        "movb (%ecx), %al\n\t"
        "xorl %eax, %eax\n\t"
        "ret\n"
        ".p2align 4\n"
        "_user_probe_write:\n\t"
        "movl 4(%esp), %ecx\n"
        "_user_probe_write_insn:\n\t"
        "lock orb $0, (%ecx)\n\t"
        "xorl %eax, %eax\n\t"
        "ret\n"
        ".p2align 4\n"
        "_user_probe_fault:\n\t"
        "movl $1, %eax\n\t"
        "ret\n");
#else
# error "user_ptr.c: probes written for x86_64 and i386 only"
#endif

int user_probe_read(const volatile void *p);
int user_probe_write(volatile void *p);
extern const char user_probe_read_insn[], user_probe_write_insn[], user_probe_fault[];

static PVOID handler; /* AddVectoredExceptionHandler's cookie; NULL: not installed */

static LONG CALLBACK probe_handler(EXCEPTION_POINTERS *ep)
{
    DWORD code = ep->ExceptionRecord->ExceptionCode;
#ifdef _WIN64
    DWORD64 *pc = &ep->ContextRecord->Rip;
#else
    DWORD *pc = &ep->ContextRecord->Eip;
#endif

    if (code != EXCEPTION_ACCESS_VIOLATION && code != STATUS_GUARD_PAGE_VIOLATION && code != EXCEPTION_IN_PAGE_ERROR)
        return EXCEPTION_CONTINUE_SEARCH;
    if (*pc != (uintptr_t)user_probe_read_insn && *pc != (uintptr_t)user_probe_write_insn)
        return EXCEPTION_CONTINUE_SEARCH;
    *pc = (uintptr_t)user_probe_fault;
    return EXCEPTION_CONTINUE_EXECUTION;
}

/* TRUE when the handler is in place (installed once, by whichever thread gets there first). */
static BOOL handler_ready(void)
{
    PVOID mine, expected = NULL;

    if (__atomic_load_n(&handler, __ATOMIC_ACQUIRE)) return TRUE;
    if (!(mine = AddVectoredExceptionHandler(1, probe_handler))) return FALSE;
    if (!__atomic_compare_exchange_n(&handler, &expected, mine, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        RemoveVectoredExceptionHandler(mine); /* another thread was first */
    return TRUE;
}

void user_ptr_detach(void)
{
    PVOID h = __atomic_exchange_n(&handler, NULL, __ATOMIC_ACQ_REL);
    if (h) RemoveVectoredExceptionHandler(h);
}

/* Fallback without a handler: the pages' state and protection. */
static BOOL query_ok(uintptr_t a, uintptr_t last, BOOL write)
{
    const DWORD readable = PAGE_READONLY | PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READ |
                           PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY;
    const DWORD writable = PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY;

    for (;;)
    {
        MEMORY_BASIC_INFORMATION mbi;
        uintptr_t end;

        if (!VirtualQuery((const void *)a, &mbi, sizeof(mbi))) return FALSE;
        if (mbi.State != MEM_COMMIT || (mbi.Protect & (PAGE_GUARD | PAGE_NOACCESS)) ||
            !(mbi.Protect & (write ? writable : readable)))
            return FALSE;
        end = (uintptr_t)mbi.BaseAddress + mbi.RegionSize;
        if (end <= a || end - 1 >= last) return TRUE; /* end <= a: the region reaches the top */
        a = end;
    }
}

static BOOL probe_range(uintptr_t a, size_t len, BOOL write)
{
    uintptr_t last;

    if (!len) return TRUE;
    if (!a || len - 1 > UINTPTR_MAX - a) return FALSE;
    last = a + (len - 1);
    if (!handler_ready()) return query_ok(a, last, write);
    for (;;)
    {
        if (write ? user_probe_write((volatile void *)a) : user_probe_read((const volatile void *)a)) return FALSE;
        if ((a | (PROBE_STEP - 1)) >= last) return TRUE;
        a = (a | (PROBE_STEP - 1)) + 1;
    }
}

BOOL user_readable(const void *p, size_t len)
{
    return probe_range((uintptr_t)p, len, FALSE);
}

BOOL user_writable(void *p, size_t len)
{
    return probe_range((uintptr_t)p, len, TRUE);
}

BOOL user_array_readable(const void *p, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) return FALSE;
    return probe_range((uintptr_t)p, count * size, FALSE);
}

BOOL user_array_writable(void *p, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) return FALSE;
    return probe_range((uintptr_t)p, count * size, TRUE);
}

/* Walks a 0-terminated array of unit-byte characters, probing each page before reading from it. */
static BOOL string_readable(uintptr_t a, size_t unit)
{
    uintptr_t probed_last = 0; /* last byte of the pages probed so far (0: none) */
    BOOL any = FALSE;

    if (!a) return FALSE;
    for (;;)
    {
        uintptr_t last;
        BOOL zero;

        if (a > UINTPTR_MAX - (unit - 1)) return FALSE;
        last = a + (unit - 1);
        if (!any || last > probed_last)
        {
            if (!probe_range(a, unit, FALSE)) return FALSE;
            probed_last = last | (PROBE_STEP - 1);
            any = TRUE;
        }
        if (unit == 1) zero = !*(const volatile char *)a;
        else
        {
            WCHAR c;
            memcpy(&c, (const void *)a, sizeof(c)); /* may be unaligned */
            zero = !c;
        }
        if (zero) return TRUE;
        if (last == UINTPTR_MAX) return FALSE; /* no room for a terminator */
        a += unit;
    }
}

BOOL user_str_readable(const char *s)
{
    return string_readable((uintptr_t)s, 1);
}

BOOL user_wstr_readable(const WCHAR *s)
{
    return string_readable((uintptr_t)s, sizeof(WCHAR));
}

const char *user_guid_text(const GUID *g, char buf[GUID_TEXT_SIZE])
{
    if (!g) return "(null)";
    if (!user_readable(g, sizeof(*g))) return "(bad pointer)";
    return guid_text_upper(g, buf);
}
