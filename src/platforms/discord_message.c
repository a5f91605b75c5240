/* discord_message.c - MESSAGE_CREATE -> lo_message (see discord_message.h).
 *
 * The payload is read, never trusted: every id is checked before it is copied, and a missing
 * or odd field makes the message someone else's business rather than a crash.
 */
#include "platforms/discord_message.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

enum { MESSAGE_TYPE_DEFAULT = 0, MESSAGE_TYPE_REPLY = 19 };

bool lo_discord_is_snowflake(const char *id)
{
    if (!id || !*id)
        return false;
    size_t n = 0;
    for (; id[n]; n++)
        if (id[n] < '0' || id[n] > '9' || n >= 20)
            return false;
    return true;
}

bool lo_discord_copy_id(char dst[LO_DISCORD_ID_SIZE], const json_t *value)
{
    const char *id = json_string_value(value);
    if (!lo_discord_is_snowflake(id))
        return false;
    snprintf(dst, LO_DISCORD_ID_SIZE, "%s", id);
    return true;
}

void lo_discord_strip_mention(char *text, const char *self_id)
{
    if (!self_id || !*self_id)
        return;
    char plain[LO_DISCORD_ID_SIZE + 4], nick[LO_DISCORD_ID_SIZE + 5];
    snprintf(plain, sizeof plain, "<@%s>", self_id);
    snprintf(nick, sizeof nick, "<@!%s>", self_id);
    const char *forms[] = {plain, nick};
    for (size_t f = 0; f < 2; f++) {
        size_t form_len = strlen(forms[f]);
        char *hit;
        while ((hit = strstr(text, forms[f])) != NULL) {
            size_t cut = form_len + (hit[form_len] == ' ');
            memmove(hit, hit + cut, strlen(hit + cut) + 1);
        }
    }
    /* what is left starts with the person's words, not the space before them */
    size_t lead = strspn(text, " \t\r\n");
    memmove(text, text + lead, strlen(text + lead) + 1);
}

static bool mentions_user(const json_t *mentions, const char *user_id)
{
    size_t i;
    const json_t *user;
    if (!user_id)
        return false;
    json_array_foreach (mentions, i, user) {
        const char *id = json_string_value(json_object_get(user, "id"));
        if (id && strcmp(id, user_id) == 0)
            return true;
    }
    return false;
}

static const char *display_name(const json_t *d, const json_t *author)
{
    const char *nick = json_string_value(json_object_get(json_object_get(d, "member"), "nick"));
    if (nick)
        return nick;
    const char *global = json_string_value(json_object_get(author, "global_name"));
    return global ? global : json_string_value(json_object_get(author, "username"));
}

bool lo_discord_message_parse(const json_t *d, const char *self_id, lo_discord_inbound *out)
{
    memset(out, 0, sizeof *out);
    const json_t *author = json_object_get(d, "author");
    json_int_t type = json_integer_value(json_object_get(d, "type"));
    if (!json_is_object(author) || json_is_true(json_object_get(author, "bot")) ||
        json_object_get(d, "webhook_id") ||
        (type != MESSAGE_TYPE_DEFAULT && type != MESSAGE_TYPE_REPLY))
        return false;
    const char *content = json_string_value(json_object_get(d, "content"));
    if (!content || !lo_discord_copy_id(out->message_id, json_object_get(d, "id")) ||
        !lo_discord_copy_id(out->channel_id, json_object_get(d, "channel_id")) ||
        !lo_discord_copy_id(out->author_id, json_object_get(author, "id")))
        return false;
    if (self_id && strcmp(out->author_id, self_id) == 0)
        return false;
    const json_t *guild = json_object_get(d, "guild_id");
    if (guild && !json_is_null(guild) && !lo_discord_copy_id(out->guild_id, guild))
        return false;
    out->text = lo_xstrdup(content);
    const char *name = display_name(d, author);
    out->author_name = name ? lo_xstrdup(name) : NULL;
    lo_discord_strip_mention(out->text, self_id);
    out->msg.platform = "discord";
    out->msg.is_dm = out->guild_id[0] == '\0';
    out->msg.community = out->msg.is_dm ? NULL : out->guild_id;
    out->msg.channel = out->channel_id;
    out->msg.author = out->author_id;
    out->msg.author_name = out->author_name;
    out->msg.mentions_bot = mentions_user(json_object_get(d, "mentions"), self_id);
    out->msg.author_is_bot = false;
    out->msg.text = out->text;
    out->msg.text_len = strlen(out->text);
    return true;
}

void lo_discord_inbound_clear(lo_discord_inbound *in)
{
    free(in->text);
    free(in->author_name);
    memset(in, 0, sizeof *in);
}
