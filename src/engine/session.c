/* session.c - conversations: what the engine remembers between messages of
 * one person in one place (which replies were used, where a flow stands, the
 * offered followup, the themes the fallback offered, by rule). Never the message text. Conversations expire after a
 * time to live and the oldest are evicted beyond a count, so memory stays
 * bounded however many people write. A chained hash table finds them; a
 * doubly linked list in last-use order finds the oldest. */
#include <stdlib.h>
#include <string.h>

#include "engine/session.h"
#include "leanon/engine.h"
#include "common/buf.h"

struct lo_sessions {
    lo_session **buckets;
    size_t nbuckets;
    size_t count;
    lo_session *newest, *oldest;
    double ttl;
    size_t max;
    uint64_t seed;
};

lo_sessions *lo_sessions_new(const lo_sessions_limits *limits)
{
    lo_sessions *s = lo_xcalloc(1, sizeof *s);
    s->ttl = limits && limits->ttl_seconds > 0 ? limits->ttl_seconds : 1800;
    s->max = limits && limits->max_sessions ? limits->max_sessions : 10000;
    s->nbuckets = 1024;
    while (s->nbuckets < s->max && s->nbuckets < (1u << 20))
        s->nbuckets *= 2;
    /* the buckets are pointers: the chains' heads */
    // NOLINTNEXTLINE(bugprone-sizeof-expression)
    s->buckets = lo_xcalloc(s->nbuckets, sizeof *s->buckets);
    s->seed = 0x9E3779B97F4A7C15ull;
    return s;
}

void lo_sessions_seed(lo_sessions *s, uint64_t seed)
{
    s->seed = seed ^ 0x9E3779B97F4A7C15ull;
}

static void unlink_lru(lo_sessions *s, lo_session *c)
{
    if (c->lru_prev)
        c->lru_prev->lru_next = c->lru_next;
    else
        s->newest = c->lru_next;
    if (c->lru_next)
        c->lru_next->lru_prev = c->lru_prev;
    else
        s->oldest = c->lru_prev;
    c->lru_prev = c->lru_next = NULL;
}

static void push_newest(lo_sessions *s, lo_session *c)
{
    c->lru_next = s->newest;
    c->lru_prev = NULL;
    if (s->newest)
        s->newest->lru_prev = c;
    s->newest = c;
    if (!s->oldest)
        s->oldest = c;
}

static void drop(lo_sessions *s, lo_session *c)
{
    size_t b = (size_t)lo_hash(c->key, strlen(c->key)) & (s->nbuckets - 1);
    lo_session **pp = &s->buckets[b];
    while (*pp && *pp != c)
        pp = &(*pp)->hash_next;
    if (*pp)
        *pp = c->hash_next;
    unlink_lru(s, c);
    lo_session_forget_kept(c);
    free(c->key);
    free(c);
    s->count--;
}

void lo_sessions_expire(lo_sessions *s, double now)
{
    while (s->oldest && now - s->oldest->last_seen > s->ttl)
        drop(s, s->oldest);
}

/* The live conversation of key, moved to the newest end; NULL when there is none. */
static lo_session *find_live(lo_sessions *s, const char *key, uint64_t h, double now)
{
    lo_sessions_expire(s, now);
    size_t b = (size_t)h & (s->nbuckets - 1);
    for (lo_session *c = s->buckets[b]; c; c = c->hash_next) {
        if (strcmp(c->key, key) == 0) {
            c->last_seen = now;
            unlink_lru(s, c);
            push_newest(s, c);
            return c;
        }
    }
    return NULL;
}

lo_session *lo_sessions_find(lo_sessions *s, const char *key, double now)
{
    return find_live(s, key, lo_hash(key, strlen(key)), now);
}

lo_session *lo_sessions_get(lo_sessions *s, const char *key, double now)
{
    uint64_t h = lo_hash(key, strlen(key));
    lo_session *found = find_live(s, key, h, now);
    if (found)
        return found;
    size_t b = (size_t)h & (s->nbuckets - 1);
    while (s->count >= s->max && s->oldest)
        drop(s, s->oldest);
    lo_session *c = lo_xcalloc(1, sizeof *c);
    c->key = lo_xstrdup(key);
    c->last_seen = now;
    c->rng = s->seed ^ h;
    c->hash_next = s->buckets[b];
    s->buckets[b] = c;
    push_newest(s, c);
    s->count++;
    return c;
}

void lo_session_forget_kept(lo_session *c)
{
    for (size_t i = 0; i < LO_SESSION_KEPT; i++)
        if (c->kept[i]) {
            explicit_bzero(c->kept[i], strlen(c->kept[i]));
            free(c->kept[i]);
            c->kept[i] = NULL;
        }
}

void lo_session_copy(lo_session *dst, const lo_session *src)
{
    *dst = *src;
    dst->key = NULL;
    dst->lru_prev = dst->lru_next = dst->hash_next = NULL;
    for (size_t i = 0; i < LO_SESSION_KEPT; i++)
        dst->kept[i] = src->kept[i] ? lo_xstrdup(src->kept[i]) : NULL;
}

bool lo_session_in_flow(const lo_session *c)
{
    return c && c->flow_hash && !c->flow_paused;
}

size_t lo_sessions_count(const lo_sessions *s)
{
    return s->count;
}

void lo_sessions_free(lo_sessions *s)
{
    if (!s)
        return;
    /* drop() unlinks it, so s->oldest is the next one, never freed */
    while (s->oldest)
        drop(s, s->oldest); // NOLINT(clang-analyzer-unix.Malloc)
    free(s->buckets);
    free(s);
}

uint64_t lo_session_random(lo_session *c)
{
    /* splitmix64: small, fast, and good enough to vary replies */
    uint64_t z = (c->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

lo_used_replies *lo_session_used(lo_session *c, uint64_t rule_hash)
{
    for (uint8_t i = 0; i < c->nused; i++)
        if (c->used[i].rule_hash == rule_hash)
            return &c->used[i];
    if (c->nused < LO_SESSION_RULE_SLOTS) {
        c->used[c->nused] = (lo_used_replies){rule_hash, 0, 0};
        return &c->used[c->nused++];
    }
    /* full: forget the oldest slot (slots shift so the newest stays last) */
    memmove(&c->used[0], &c->used[1], (LO_SESSION_RULE_SLOTS - 1) * sizeof c->used[0]);
    c->used[LO_SESSION_RULE_SLOTS - 1] = (lo_used_replies){rule_hash, 0, 0};
    return &c->used[LO_SESSION_RULE_SLOTS - 1];
}
