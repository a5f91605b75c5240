/* discord_forbidden.c - the table of channels that refused the bot (see discord_forbidden.h).
 * A linear scan: 256 short strings, looked at once per reply. */
#include "platforms/discord_forbidden.h"

#include <stdio.h>
#include <string.h>

void lo_discord_forbidden_add(lo_discord_forbidden *t, const char *channel, uint64_t now_ms)
{
    size_t slot = 0;
    for (size_t i = 0; i < LO_DISCORD_FORBIDDEN_SLOTS; i++) {
        if (t->until_ms[i] > now_ms && strcmp(t->channel[i], channel) == 0) {
            slot = i; /* already there: extend it */
            break;
        }
        if (t->until_ms[i] < t->until_ms[slot])
            slot = i; /* a free or expired slot, else the one closest to expiry */
    }
    snprintf(t->channel[slot], sizeof t->channel[slot], "%s", channel);
    t->until_ms[slot] = now_ms + (uint64_t)LO_DISCORD_FORBIDDEN_MS;
}

bool lo_discord_forbidden_has(const lo_discord_forbidden *t, const char *channel, uint64_t now_ms)
{
    for (size_t i = 0; i < LO_DISCORD_FORBIDDEN_SLOTS; i++)
        if (t->until_ms[i] > now_ms && strcmp(t->channel[i], channel) == 0)
            return true;
    return false;
}
