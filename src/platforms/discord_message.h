/* discord_message.h - a MESSAGE_CREATE event -> lo_message.
 *
 * Only messages from people reach the bot: never from bots (author.bot), webhooks or the bot
 * itself, and only ordinary messages and replies (types 0 and 19), not joins or pins
 * (https://discord.com/developers/docs/resources/message#message-object-message-types).
 * community = guild_id; is_dm when there is no guild_id; mentions_bot when the bot's id is in
 * `mentions`; the text has the bot's own mention (<@id> or <@!id>) removed. Ids are checked to
 * be snowflakes (digits) because they go into REST paths.
 */
#ifndef LEANON_PLATFORMS_DISCORD_MESSAGE_H
#define LEANON_PLATFORMS_DISCORD_MESSAGE_H

#include <stdbool.h>

#include <jansson.h>

#include "leanon/message.h"

#define LO_DISCORD_ID_SIZE 24 /* a snowflake is at most 20 digits */

typedef struct lo_discord_inbound {
    lo_message msg; /* points into the fields below */
    char message_id[LO_DISCORD_ID_SIZE];
    char guild_id[LO_DISCORD_ID_SIZE]; /* "" in a DM */
    char channel_id[LO_DISCORD_ID_SIZE];
    char author_id[LO_DISCORD_ID_SIZE];
    char *author_name; /* heap, may be NULL */
    char *text;        /* heap */
} lo_discord_inbound;

/* True when the id is a snowflake: 1 to 20 ASCII digits. */
bool lo_discord_is_snowflake(const char *id);
/* Copies the snowflake in value into dst; false when it is not one. */
bool lo_discord_copy_id(char dst[LO_DISCORD_ID_SIZE], const json_t *value);

/* Fills out from a MESSAGE_CREATE payload `d`; self_id is the bot's user id (from READY).
 * Returns false (out left empty) when the message is not from a person or is malformed. */
bool lo_discord_message_parse(const json_t *d, const char *self_id, lo_discord_inbound *out);

/* Removes every <@self_id> and <@!self_id> from text in place (with one space after it). */
void lo_discord_strip_mention(char *text, const char *self_id);

void lo_discord_inbound_clear(lo_discord_inbound *in);

#endif
