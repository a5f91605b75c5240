/* cooldown.c - a bounded map of "last reply at" times for cooldowns.
 *
 * A chained hash table (FNV-1a) with a fixed number of buckets. Touching a
 * key when the table is full first forgets everything older than the horizon
 * (nothing that old can still hold a cooldown), then, if still full, the
 * single oldest entry. Both sweeps are linear but happen only at the bound.
 */
#include "bot/cooldown.h"
#include "common/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS 4096

typedef struct entry {
    struct entry *next;
    double at;
    char key[];
} entry;

struct lo_cooldowns {
    entry *buckets[BUCKETS];
    size_t count, max_entries;
    double horizon;
};

static size_t bucket_of(const char *key)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return (size_t)(h % BUCKETS);
}

lo_cooldowns *lo_cooldowns_new(double horizon, size_t max_entries)
{
    lo_cooldowns *c = lo_xcalloc(1, sizeof *c);
    c->horizon = horizon;
    c->max_entries = max_entries ? max_entries : 100000;
    return c;
}

void lo_cooldowns_free(lo_cooldowns *cooldowns)
{
    if (!cooldowns)
        return;
    for (size_t b = 0; b < BUCKETS; b++) {
        entry *e = cooldowns->buckets[b];
        while (e) {
            entry *next = e->next;
            free(e);
            e = next;
        }
    }
    free(cooldowns);
}

static entry *find(const lo_cooldowns *c, const char *key)
{
    for (entry *e = c->buckets[bucket_of(key)]; e; e = e->next)
        if (strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

bool lo_cooldowns_active(const lo_cooldowns *cooldowns, const char *key, double seconds, double now)
{
    if (seconds <= 0)
        return false;
    const entry *e = find(cooldowns, key);
    return e && now - e->at < seconds;
}

/* Removes entries touched before cutoff. */
static void forget_before(lo_cooldowns *c, double cutoff)
{
    for (size_t b = 0; b < BUCKETS; b++) {
        entry **link = &c->buckets[b];
        while (*link) {
            entry *e = *link;
            if (e->at < cutoff) {
                *link = e->next;
                free(e);
                c->count--;
            } else {
                link = &e->next;
            }
        }
    }
}

static void forget_oldest(lo_cooldowns *c)
{
    entry **oldest = NULL;
    for (size_t b = 0; b < BUCKETS; b++)
        for (entry **link = &c->buckets[b]; *link; link = &(*link)->next)
            if (!oldest || (*link)->at < (*oldest)->at)
                oldest = link;
    if (oldest) {
        entry *e = *oldest;
        *oldest = e->next;
        free(e);
        c->count--;
    }
}

void lo_cooldowns_touch(lo_cooldowns *cooldowns, const char *key, double now)
{
    entry *e = find(cooldowns, key);
    if (e) {
        e->at = now;
        return;
    }
    if (cooldowns->count >= cooldowns->max_entries) {
        forget_before(cooldowns, now - cooldowns->horizon);
        if (cooldowns->count >= cooldowns->max_entries)
            forget_oldest(cooldowns);
    }
    size_t len = strlen(key);
    e = lo_xcheck(malloc(sizeof *e + len + 1));
    memcpy(e->key, key, len + 1);
    e->at = now;
    size_t b = bucket_of(key);
    e->next = cooldowns->buckets[b];
    cooldowns->buckets[b] = e;
    cooldowns->count++;
}

void lo_cooldowns_forget(lo_cooldowns *cooldowns, const char *key)
{
    for (entry **link = &cooldowns->buckets[bucket_of(key)]; *link; link = &(*link)->next) {
        if (strcmp((*link)->key, key) == 0) {
            entry *e = *link;
            *link = e->next;
            free(e);
            cooldowns->count--;
            return;
        }
    }
}

size_t lo_cooldowns_count(const lo_cooldowns *cooldowns)
{
    return cooldowns->count;
}
