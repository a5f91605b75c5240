/* discord_identify.c - the session start limit and max_concurrency buckets (see
 * discord_identify.h). A bucket remembers when its next Identify may go; the start limit blocks
 * every bucket once `remaining` reaches zero, until reset_after has passed; a
 * slot at or after the reset belongs to the next window, which is not counted until a
 * later /gateway/bot answer is learnt.
 */
#include "platforms/discord_identify.h"

#include <stdlib.h>

#include "common/buf.h"

struct lo_discord_identify_limits {
    unsigned max_concurrency;
    uint64_t *bucket_free_at; /* per bucket: the earliest time its next Identify may go */
    long remaining;           /* starts left before reset_at; -1 = unknown (no limit) */
    uint64_t reset_at_ms;
};

lo_discord_identify_limits *lo_discord_identify_limits_new(void)
{
    lo_discord_identify_limits *limits = lo_xcalloc(1, sizeof *limits);
    limits->max_concurrency = 1;
    limits->bucket_free_at = lo_xcalloc(1, sizeof *limits->bucket_free_at);
    limits->remaining = -1;
    return limits;
}

void lo_discord_identify_limits_free(lo_discord_identify_limits *limits)
{
    if (!limits)
        return;
    free(limits->bucket_free_at);
    free(limits);
}

void lo_discord_identify_limits_learn(lo_discord_identify_limits *limits, long remaining,
                                      uint64_t reset_after_ms, unsigned max_concurrency,
                                      uint64_t now_ms)
{
    if (max_concurrency == 0)
        max_concurrency = 1;
    if (max_concurrency != limits->max_concurrency) {
        uint64_t *buckets = lo_xcalloc(max_concurrency, sizeof *buckets);
        /* A new bucket layout: the busiest old bucket bounds every new one. */
        uint64_t latest = 0;
        for (unsigned i = 0; i < limits->max_concurrency; i++)
            if (limits->bucket_free_at[i] > latest)
                latest = limits->bucket_free_at[i];
        for (unsigned i = 0; i < max_concurrency; i++)
            buckets[i] = latest;
        free(limits->bucket_free_at);
        limits->bucket_free_at = buckets;
        limits->max_concurrency = max_concurrency;
    }
    limits->remaining = remaining;
    limits->reset_at_ms = now_ms + reset_after_ms;
}

uint64_t lo_discord_identify_limits_reserve(lo_discord_identify_limits *limits, unsigned shard_id,
                                            uint64_t now_ms)
{
    unsigned key = shard_id % limits->max_concurrency; /* rate_limit_key, as documented */
    uint64_t at = now_ms;
    if (limits->bucket_free_at[key] > at)
        at = limits->bucket_free_at[key];
    if (limits->remaining == 0 && at < limits->reset_at_ms)
        at = limits->reset_at_ms;
    if (at < limits->reset_at_ms && limits->remaining > 0)
        limits->remaining--; /* spent in the current window; the next one starts full */
    limits->bucket_free_at[key] = at + LO_DISCORD_IDENTIFY_SPACING_MS;
    return at;
}
