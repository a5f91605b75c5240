/* discord_identify.h - when a shard may send Identify: Discord's session start limit and
 * max_concurrency, as pure bookkeeping (no I/O, the clock passed in).
 *
 * GET /gateway/bot answers session_start_limit {total, remaining, reset_after, max_concurrency}.
 * Every Identify spends one of `remaining`; at zero no new session may start until reset_after
 * has passed. Shards identify in buckets keyed by shard_id % max_concurrency, one Identify per
 * bucket every 5 seconds.
 * (https://discord.com/developers/docs/events/gateway#session-start-limit-object and
 *  https://discord.com/developers/docs/events/gateway#sharding-max-concurrency)
 * One table is shared by every shard a process runs, so shards never overrun the limits together.
 */
#ifndef LEANON_PLATFORMS_DISCORD_IDENTIFY_H
#define LEANON_PLATFORMS_DISCORD_IDENTIFY_H

#include <stdint.h>

#define LO_DISCORD_IDENTIFY_SPACING_MS 5000u

typedef struct lo_discord_identify_limits lo_discord_identify_limits;

/* Before the first /gateway/bot answer: max_concurrency 1 and no known start limit. */
lo_discord_identify_limits *lo_discord_identify_limits_new(void);
void lo_discord_identify_limits_free(lo_discord_identify_limits *limits);

/* Learns session_start_limit's remaining, reset_after (milliseconds, as Discord sends it) and
 * max_concurrency. */
void lo_discord_identify_limits_learn(lo_discord_identify_limits *limits, long remaining,
                                      uint64_t reset_after_ms, unsigned max_concurrency,
                                      uint64_t now_ms);

/* Books the next Identify slot for shard_id and returns the time (>= now_ms) it may be sent. */
uint64_t lo_discord_identify_limits_reserve(lo_discord_identify_limits *limits, unsigned shard_id,
                                            uint64_t now_ms);

#endif
