/* discord_alert.c - composing moderator alerts (see discord_alert.h). */
#include "platforms/discord_alert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "platforms/discord_split.h"

#define QUOTE_LIMIT 1500u /* leaves room for the alert's own words under 2,000 */

void lo_discord_jump_link(char *out, size_t size, const char *guild_id, const char *channel_id,
                          const char *message_id)
{
    snprintf(out, size, "https://discord.com/channels/%s/%s%s%s",
             guild_id && *guild_id ? guild_id : "@me", channel_id, message_id ? "/" : "",
             message_id ? message_id : "");
}

char *lo_discord_alert_content(const char *guild_id, const char *channel_id, const char *message_id,
                               const char *category, const char *text, size_t text_len)
{
    char link[160];
    lo_discord_jump_link(link, sizeof link, guild_id, channel_id, message_id);
    size_t start = 0, offset = 0, quote_len = 0;
    if (text)
        quote_len = lo_discord_split_next(text, text_len, &offset, QUOTE_LIMIT, &start);
    const char *cut = text && offset < text_len ? " [...]" : "";
    size_t size = 256 + strlen(link) + strlen(category) + quote_len + 16;
    char *out = lo_xcalloc(size, 1);
    int n = snprintf(out, size,
                     "leanon: a message may need a moderator's care (category: %s).\n"
                     "Message: %s\nleanon has answered them; please check in with the person.",
                     category, link);
    if (text && n > 0 && (size_t)n < size)
        snprintf(out + n, size - (size_t)n, "\n>>> %.*s%s", (int)quote_len, text + start, cut);
    return out;
}
