/* harden_probe.c - end-to-end checks of the pointer probes (src/core/user_ptr.c, linked in directly)
 * under Wine: readable/writable answers for valid, NULL, released, PAGE_NOACCESS, read-only, guard
 * and partly mapped ranges, strings ending at an inaccessible page, write probes that keep the data
 * (also while another thread writes it), and the cost per probe compared with VirtualQuery.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "user_ptr.h"
#include "api_check.h"

#define PAGE 4096

#define WRITER_INCREMENTS 2000000

/* Increments the counter a fixed number of times; a write probe that is not atomic would lose some. */
static DWORD WINAPI writer_thread(void *arg)
{
    volatile LONG *counter = arg;
    int i;
    for (i = 0; i < WRITER_INCREMENTS; i++) InterlockedIncrement(counter);
    return 0;
}

static double now_ns(void)
{
    LARGE_INTEGER f, c;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1e9 / (double)f.QuadPart;
}

int main(int argc, char **argv)
{
    char *pages, *freed, *hole, stack_buf[64];
    DWORD old;
    BOOL bench = argc > 1 && !strcmp(argv[1], "--bench");

    /* [0] read-write, [1] no access, [2] read-only, [3] guard + read-write, [4] read-write */
    pages = VirtualAlloc(NULL, 5 * PAGE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    freed = VirtualAlloc(NULL, PAGE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    /* Reserved, never committed: faults like a released page, but stays ours for the whole run (Wine
     * 10.0 hands a released range to a later allocation: seen taken after the writer thread started). */
    hole = VirtualAlloc(NULL, PAGE, MEM_RESERVE, PAGE_NOACCESS);
    if (!pages || !freed || !hole)
    {
        printf("FAIL: VirtualAlloc\n");
        return 1;
    }
    VirtualProtect(pages + PAGE, PAGE, PAGE_NOACCESS, &old);
    VirtualProtect(pages + 2 * PAGE, PAGE, PAGE_READONLY, &old);
    VirtualProtect(pages + 3 * PAGE, PAGE, PAGE_READWRITE | PAGE_GUARD, &old);
    VirtualFree(freed, 0, MEM_RELEASE);

    printf("-- ranges\n");
    memset(stack_buf, 0x5a, sizeof(stack_buf));
    CHECK(user_readable(stack_buf, sizeof(stack_buf)) && user_writable(stack_buf, sizeof(stack_buf)),
          "stack buffer readable and writable");
    CHECK(stack_buf[0] == 0x5a && stack_buf[63] == 0x5a, "write probe kept the contents");
    CHECK(user_readable(NULL, 0) && user_writable((void *)1, 0), "empty ranges are fine whatever the pointer");
    CHECK(!user_readable(NULL, 1) && !user_writable(NULL, 4), "NULL with a length is not");
    CHECK(!user_readable(freed, 4) && !user_writable(freed + 100, 4), "released page");
    CHECK(!user_readable(hole, 4) && !user_writable(hole + 100, 4), "reserved, uncommitted page");
    CHECK(!user_readable(pages + PAGE, 1) && !user_writable(pages + PAGE + 10, 8), "PAGE_NOACCESS page");
    CHECK(user_readable(pages + 2 * PAGE, PAGE), "read-only page readable");
    CHECK(!user_writable(pages + 2 * PAGE + 8, 8), "read-only page not writable");
    CHECK(user_readable(pages, PAGE) && user_writable(pages, PAGE), "a whole read-write page");
    CHECK(!user_readable(pages + PAGE - 4, 8), "range running into the no-access page");
    CHECK(!user_writable(pages + PAGE - 4, 4 + PAGE + 8), "range spanning no-access into read-only");
    CHECK(!user_readable(pages, 5 * PAGE), "five pages with a hole");
    CHECK(!user_readable((void *)(UINTPTR_MAX - 8), 16), "range wrapping the address space");
    {
        MEMORY_BASIC_INFORMATION mbi;
        BOOL mapped = VirtualQuery((void *)(uintptr_t)0xdeadbeef, &mbi, sizeof(mbi)) && mbi.State == MEM_COMMIT &&
                      !(mbi.Protect & (PAGE_NOACCESS | PAGE_GUARD));
        CHECK(user_readable((void *)(uintptr_t)0xdeadbeef, 4) == mapped, "0xdeadbeef (%s)",
              mapped ? "mapped" : "unmapped");
    }
    CHECK(!user_readable(pages + 3 * PAGE, 4), "guard page reported as a fault");
    CHECK(user_readable(pages + 3 * PAGE, 4), "the guard is gone after the first touch (as on Windows)");
    CHECK(user_writable(pages + 4 * PAGE, PAGE), "last page writable");

    printf("-- strings\n");
    memcpy(pages + PAGE - 4, "abc", 4);
    CHECK(user_str_readable(pages + PAGE - 4), "string ending just before a no-access page");
    memcpy(pages + PAGE - 3, "abc", 3);
    CHECK(!user_str_readable(pages + PAGE - 3), "string running into a no-access page");
    CHECK(!user_str_readable(NULL) && !user_wstr_readable(NULL), "NULL strings");
    {
        WCHAR *w = (WCHAR *)(pages + PAGE - 4);
        w[0] = 'x';
        w[1] = 0;
        CHECK(user_wstr_readable(w), "wide string ending before the no-access page");
        w[1] = 'y';
        CHECK(!user_wstr_readable(w), "wide string running into the no-access page");
        CHECK(!user_wstr_readable((const WCHAR *)(pages + PAGE - 1)), "unaligned wide char straddling the hole");
        CHECK(user_wstr_readable(L"") && user_str_readable(""), "empty strings");
    }
    {
        char *ro = pages + 2 * PAGE;
        CHECK(user_str_readable(ro), "string in a read-only page (zero filled)");
    }

    printf("-- write probes keep concurrent updates\n");
    {
        volatile LONG *counter = (volatile LONG *)(pages + 16);
        HANDLE th;
        long probes = 0;
        *counter = 0;
        th = CreateThread(NULL, 0, writer_thread, (void *)counter, 0, NULL);
        while (WaitForSingleObject(th, 0) == WAIT_TIMEOUT)
        {
            int i;
            for (i = 0; i < 1000; i++) probes += user_writable((void *)counter, sizeof(*counter));
        }
        CloseHandle(th);
        CHECK(*counter == WRITER_INCREMENTS && probes > 0, "no increment lost (%ld of %d, %ld probes meanwhile)",
              (long)*counter, WRITER_INCREMENTS, probes);
    }

    {
        /* Cost per probe of a 16-byte structure without a fault, against one VirtualQuery, and the
         * cost of a faulting probe (exception dispatch through Wine's signal handler). */
        const int n = bench ? 2000000 : 200000;
        MEMORY_BASIC_INFORMATION mbi;
        double t0, probe_ns, query_ns, fault_ns;
        int i, ok = 0;

        t0 = now_ns();
        for (i = 0; i < n; i++) ok += user_readable(stack_buf + (i & 7), 16) + user_writable(stack_buf + (i & 7), 8);
        probe_ns = (now_ns() - t0) / (2.0 * n);
        t0 = now_ns();
        for (i = 0; i < n; i++) ok += VirtualQuery(stack_buf + (i & 7), &mbi, sizeof(mbi)) != 0;
        query_ns = (now_ns() - t0) / n;
        t0 = now_ns();
        for (i = 0; i < 2000; i++) ok += user_readable(hole, 4);
        fault_ns = (now_ns() - t0) / 2000;
        CHECK(ok == 3 * n, "benchmark probes all succeeded");
        if (VirtualQuery(freed, &mbi, sizeof(mbi)))
            printf("(the released page is now %s)\n", mbi.State == MEM_FREE ? "still free" : "in use again");
        printf("cost: probe %.1f ns, VirtualQuery %.1f ns, faulting probe %.0f ns\n", probe_ns, query_ns, fault_ns);
        CHECK(probe_ns < query_ns, "a probe is cheaper than a VirtualQuery");
    }
    VirtualFree(pages, 0, MEM_RELEASE);
    user_ptr_detach();
    CHECK(!user_readable(hole, 4), "probes still work after detach (handler installed again)");
    VirtualFree(hole, 0, MEM_RELEASE);
    user_ptr_detach();
    return api_done("harden_probe");
}
