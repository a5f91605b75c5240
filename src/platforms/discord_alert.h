/* discord_alert.h - the moderators' alert for a reply that asks for one (a crisis): a jump link
 * to the person's message and the reply's category, never the person's words unless the
 * community chose to include them. Nobody is pinged by it (the call sets allowed_mentions).
 */
#ifndef LEANON_PLATFORMS_DISCORD_ALERT_H
#define LEANON_PLATFORMS_DISCORD_ALERT_H

#include <stddef.h>

/* https://discord.com/channels/{guild}/{channel}/{message}, @me for a DM; without a message id
 * (a slash command has none) the link leads to the channel. */
void lo_discord_jump_link(char *out, size_t size, const char *guild_id, const char *channel_id,
                          const char *message_id);

/* The alert text (heap). text is the person's message, or NULL to leave it out; when given it
 * is quoted and cut to fit one Discord message. */
char *lo_discord_alert_content(const char *guild_id, const char *channel_id, const char *message_id,
                               const char *category, const char *text, size_t text_len);

#endif
