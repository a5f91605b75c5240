/* webchat_peers.c - per-address tab counts: a chained hash table, an entry
 * freed when its address holds no tab any more, so memory follows the open
 * tabs and not every address ever seen. */
#include "platforms/webchat_peers.h"

#include "common/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 1024

struct lo_peer {
    lo_peer *next;
    size_t count;
    char address[64];
};

struct lo_peers {
    lo_peer *buckets[BUCKETS];
};

static size_t bucket_of(const char *address)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)address; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % BUCKETS;
}

static lo_peer *find(const lo_peers *peers, const char *address)
{
    for (lo_peer *p = peers->buckets[bucket_of(address)]; p; p = p->next)
        if (strcmp(p->address, address) == 0)
            return p;
    return NULL;
}

lo_peers *lo_peers_new(void)
{
    return lo_xcalloc(1, sizeof(lo_peers));
}

void lo_peers_free(lo_peers *peers)
{
    if (!peers)
        return;
    for (size_t i = 0; i < BUCKETS; i++)
        while (peers->buckets[i]) {
            lo_peer *p = peers->buckets[i];
            peers->buckets[i] = p->next;
            free(p);
        }
    free(peers);
}

size_t lo_peers_count(const lo_peers *peers, const char *address)
{
    const lo_peer *p = find(peers, address);
    return p ? p->count : 0;
}

lo_peer *lo_peers_acquire(lo_peers *peers, const char *address)
{
    lo_peer *p = find(peers, address);
    if (!p) {
        p = lo_xcalloc(1, sizeof *p);
        snprintf(p->address, sizeof p->address, "%s", address);
        size_t b = bucket_of(p->address);
        p->next = peers->buckets[b];
        peers->buckets[b] = p;
    }
    p->count++;
    return p;
}

void lo_peers_release(lo_peers *peers, lo_peer *peer)
{
    if (--peer->count)
        return;
    for (lo_peer **at = &peers->buckets[bucket_of(peer->address)]; *at; at = &(*at)->next)
        if (*at == peer) {
            *at = peer->next;
            free(peer);
            return;
        }
}
