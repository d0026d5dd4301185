/* bench.h - openws2's benchmark: the scenario table shared by bench.c (the program, built for Windows
 * with MinGW and run under Wine, and natively on Linux through bench_shim.h), bench_iocp.c (its
 * overlapped/IOCP scenario, Windows) and bench_epoll.c (the same scenario's native twin, epoll).
 *
 * Adding rows: a scenario is a function running for about `seconds` and returning its rate (a value
 * > 0 in `unit`), or a negative value when it could not run (the program then prints "failed" for it).
 * Optional extra rows come from bench_resolve.c (getaddrinfo & co., engineer "gai"): when that file
 * exists, bench/CMakeLists.txt and bench/run.sh compile it in (both builds) with BENCH_HAVE_RESOLVE
 * defined, and it must define bench_resolve_scenarios[], terminated by an entry with name NULL.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_BENCH_H
#define OPENWS2_BENCH_H

struct bench_scenario
{
    const char *name;  /* one word, the row's key in bench/run.sh's table */
    const char *unit;  /* e.g. "round trips/s" */
    double (*run)(double seconds);
};

/* bench_iocp.c (Windows) / bench_epoll.c (native): 64 connections echoing 1 byte, round trips/s */
double bench_iocp_echo(double seconds);

#ifdef BENCH_HAVE_RESOLVE
extern const struct bench_scenario bench_resolve_scenarios[];
#endif

#endif
