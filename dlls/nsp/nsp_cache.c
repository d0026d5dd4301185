/* nsp_cache.c - openws2nsp's answer cache: successful A/AAAA answers (canonical name, aliases,
 * addresses) reused until the smallest TTL of their records runs out, capped by the CacheMaxTtl
 * setting, and only for the server list that gave them; LUP_FLUSHCACHE bypasses and refreshes an
 * entry. A fixed table (least recently used entry replaced) under an SRW lock.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "netdb_parse.h"
#include "trace.h"
#include "nsp_private.h"

#define CACHE_SLOTS 64

struct slot
{
    char name[NSP_NAME_MAX];
    uint16_t qtype;
    uint32_t servers_key;
    ULONGLONG expires, used;     /* GetTickCount64 values */
    struct nsp_host *host;       /* NULL: free */
};

static SRWLOCK lock = SRWLOCK_INIT;
static struct slot slots[CACHE_SLOTS];

static struct slot *find(const struct nsp_config *cfg, const char *name, uint16_t qtype)
{
    size_t i;
    for (i = 0; i < CACHE_SLOTS; i++)
        if (slots[i].host && slots[i].qtype == qtype && slots[i].servers_key == cfg->servers_key &&
            netdb_name_equal(slots[i].name, name))
            return &slots[i];
    return NULL;
}

int nsp_cache_get(const struct nsp_config *cfg, const char *name, uint16_t qtype, struct nsp_host *out)
{
    ULONGLONG now = GetTickCount64();
    struct slot *s;
    int hit = 0;

    if (!cfg->cache_max_ttl) return 0;
    AcquireSRWLockExclusive(&lock);
    if ((s = find(cfg, name, qtype)))
    {
        if (now < s->expires)
        {
            nsp_host_merge(out, s->host);
            s->used = now;
            hit = 1;
        }
        else
        {
            free(s->host);
            s->host = NULL;
        }
    }
    ReleaseSRWLockExclusive(&lock);
    if (hit) TRACE_NSP("cache: %s type %u answered from the cache", name, qtype);
    return hit;
}

void nsp_cache_put(const struct nsp_config *cfg, const char *name, uint16_t qtype, const struct nsp_host *host,
                   uint32_t ttl)
{
    struct nsp_host *copy;
    struct slot *s;
    size_t i;

    if (!cfg->cache_max_ttl || !ttl || !host->addr_count || strlen(name) >= NSP_NAME_MAX) return;
    if (ttl > cfg->cache_max_ttl) ttl = cfg->cache_max_ttl;
    if (!(copy = malloc(sizeof(*copy)))) return;
    memcpy(copy, host, sizeof(*copy));
    AcquireSRWLockExclusive(&lock);
    if (!(s = find(cfg, name, qtype)))
    {
        s = &slots[0];
        for (i = 0; i < CACHE_SLOTS; i++)
        {
            if (!slots[i].host)
            {
                s = &slots[i];
                break;
            }
            if (slots[i].used < s->used) s = &slots[i];
        }
    }
    free(s->host);
    strcpy(s->name, name);
    s->qtype = qtype;
    s->servers_key = cfg->servers_key;
    s->used = GetTickCount64();
    s->expires = s->used + (ULONGLONG)ttl * 1000;
    s->host = copy;
    ReleaseSRWLockExclusive(&lock);
}

void nsp_cache_flush(const struct nsp_config *cfg, const char *name, uint16_t qtype)
{
    struct slot *s;

    AcquireSRWLockExclusive(&lock);
    if ((s = find(cfg, name, qtype)))
    {
        free(s->host);
        s->host = NULL;
    }
    ReleaseSRWLockExclusive(&lock);
}

void nsp_cache_clear(void)
{
    size_t i;

    AcquireSRWLockExclusive(&lock);
    for (i = 0; i < CACHE_SLOTS; i++)
    {
        free(slots[i].host);
        slots[i].host = NULL;
    }
    ReleaseSRWLockExclusive(&lock);
}
