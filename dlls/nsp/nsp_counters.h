/* nsp_counters.h - the indexes of openws2nsp's diagnostic counters, read with its test-only export
 *   DWORD WINAPI Openws2NspCounters(LONG *values, DWORD count)
 * (fills min(count, NSP_COUNTER_COUNT) values, returns NSP_COUNTER_COUNT). The counters tell how
 * often the provider did its expensive per-configuration work (registry reads, adapter queries,
 * file reads), so tests can check that a run of lookups without changes does none of it; and the
 * delay after which a change of the settings or files is seen. Included by the DLL and by the
 * end-to-end tests; plain C, no Windows types.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NSP_COUNTERS_H
#define OPENWS2_NSP_COUNTERS_H

#define NSP_COUNTER_SETTINGS_LOADS   0  /* HKLM\Software\openws2\Nsp + DataBasePath read */
#define NSP_COUNTER_ADAPTER_QUERIES  1  /* GetAdaptersAddresses/GetNetworkParams refreshes */
#define NSP_COUNTER_NAME_QUERIES     2  /* computer names (GetComputerNameEx) refreshes */
#define NSP_COUNTER_HOSTS_READS      3  /* the prefix's hosts file read */
#define NSP_COUNTER_UNIX_HOSTS_READS 4  /* the host's /etc/hosts read (Wine) */
#define NSP_COUNTER_SERVICES_READS   5  /* the services file read */
#define NSP_COUNTER_FILE_CHECKS      6  /* staleness checks of a cached file (one attribute query each) */
#define NSP_COUNTER_REGISTRY_CHECKS  7  /* registry change checks (one event query each) */
#define NSP_COUNTER_COUNT            8

/* The provider looks for changes of its settings (registry) and files (hosts, services) at most
 * every NSP_RECHECK_MS (at once for a lookup with LUP_FLUSHCACHE): a test that changes one waits
 * that long before expecting the change to be seen. */
#define NSP_RECHECK_MS 100

#endif
