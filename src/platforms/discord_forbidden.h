/* discord_forbidden.h - channels the bot has just been refused in (403 Missing Access or
 * Missing Permissions, 404 Unknown Channel), remembered for a while so it does not keep asking.
 *
 * Discord bans an address for a time after 10,000 invalid requests (401, 403, 429) in 10
 * minutes (https://discord.com/developers/docs/topics/rate-limits#invalid-request-limit); a
 * busy listen channel where the bot lost its permission would otherwise send one per message.
 * A bounded table: when full, the entry closest to expiry makes room. Pure: time is passed in.
 */
#ifndef LEANON_PLATFORMS_DISCORD_FORBIDDEN_H
#define LEANON_PLATFORMS_DISCORD_FORBIDDEN_H

#include <stdbool.h>
#include <stdint.h>

#define LO_DISCORD_FORBIDDEN_SLOTS 256
#define LO_DISCORD_FORBIDDEN_MS (10u * 60u * 1000u)

typedef struct lo_discord_forbidden {
    char channel[LO_DISCORD_FORBIDDEN_SLOTS][24];
    uint64_t until_ms[LO_DISCORD_FORBIDDEN_SLOTS]; /* 0 = free slot */
} lo_discord_forbidden;

/* Remembers that channel refused the bot at now_ms (for LO_DISCORD_FORBIDDEN_MS). */
void lo_discord_forbidden_add(lo_discord_forbidden *table, const char *channel, uint64_t now_ms);

/* Whether sends to channel should be skipped at now_ms. */
bool lo_discord_forbidden_has(const lo_discord_forbidden *table, const char *channel,
                              uint64_t now_ms);

#endif
