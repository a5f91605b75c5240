/* discord_commands.c - the /leanon definition and reading its invocations (see
 * discord_commands.h).
 *
 * An invocation from a guild names its person in member.user, one from a DM in user
 * (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object).
 */
#include "platforms/discord_commands.h"

#include "platforms/discord_rest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

enum {
    INTERACTION_APPLICATION_COMMAND = 2,
    INTERACTION_MESSAGE_COMPONENT = 3,
    OPTION_SUB_COMMAND = 1,
    OPTION_STRING = 3,
    CONTEXT_GUILD = 0,
    CONTEXT_BOT_DM = 1,
    INSTALL_GUILD = 0,
};

typedef struct subcommand {
    const char *name;
    const char *description;
    bool takes_text;
    bool private_answer;
} subcommand;

static const subcommand subcommands[] = {
    {"help", "What leanon is and what it can do", false, false},
    {"reflect", "Talk something through, one question at a time", true, false},
    {"resources", "Reading and tools for hard moments", false, false},
    {"helpline", "Crisis lines you can call or text now (only you see this)", false, true},
    {"stop", "Stop leanon answering you, everywhere (only you see this)", false, true},
    {"start", "Let leanon answer you again (only you see this)", false, true},
};

json_t *lo_discord_commands_definition(void)
{
    json_t *options = json_array();
    for (size_t i = 0; options && i < sizeof subcommands / sizeof subcommands[0]; i++) {
        json_t *sub = json_pack("{s:i, s:s, s:s}", "type", OPTION_SUB_COMMAND, "name",
                                subcommands[i].name, "description", subcommands[i].description);
        if (sub && subcommands[i].takes_text)
            json_object_set_new(sub, "options",
                                json_pack("[{s:i, s:s, s:s, s:b, s:i}]", "type", OPTION_STRING,
                                          "name", "text", "description", "What is on your mind",
                                          "required", 0, "max_length", 1000));
        json_array_append_new(options, sub);
    }
    return json_pack("[{s:s, s:i, s:s, s:o, s:[i, i], s:[i]}]", "name", LO_DISCORD_COMMAND_NAME,
                     "type", 1, "description", "A supportive listener (a bot, not a therapist)",
                     "options", options, "contexts", CONTEXT_GUILD, CONTEXT_BOT_DM,
                     "integration_types", INSTALL_GUILD);
}

static const subcommand *find_subcommand(const char *name)
{
    for (size_t i = 0; name && i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (strcmp(subcommands[i].name, name) == 0)
            return &subcommands[i];
    return NULL;
}

/* The words given to the subcommand's "text" option, or "". */
static const char *option_text(const json_t *sub)
{
    size_t i;
    const json_t *option;
    json_array_foreach (json_object_get(sub, "options"), i, option) {
        const char *name = json_string_value(json_object_get(option, "name"));
        const char *value = json_string_value(json_object_get(option, "value"));
        if (name && value && strcmp(name, "text") == 0)
            return value;
    }
    return "";
}

bool lo_discord_invocation_parse(const json_t *d, lo_discord_invocation *out)
{
    memset(out, 0, sizeof *out);
    const json_t *data = json_object_get(d, "data");
    const char *name = json_string_value(json_object_get(data, "name"));
    if (json_integer_value(json_object_get(d, "type")) != INTERACTION_APPLICATION_COMMAND ||
        !name || strcmp(name, LO_DISCORD_COMMAND_NAME) != 0)
        return false;
    const json_t *sub = json_array_get(json_object_get(data, "options"), 0);
    const subcommand *known = find_subcommand(json_string_value(json_object_get(sub, "name")));
    const json_t *member = json_object_get(d, "member");
    const json_t *user = member ? json_object_get(member, "user") : json_object_get(d, "user");
    const char *token = json_string_value(json_object_get(d, "token"));
    if (!known || !token || json_is_true(json_object_get(user, "bot")) ||
        !lo_discord_copy_id(out->interaction_id, json_object_get(d, "id")) ||
        !lo_discord_copy_id(out->application_id, json_object_get(d, "application_id")) ||
        !lo_discord_copy_id(out->in.channel_id, json_object_get(d, "channel_id")) ||
        !lo_discord_copy_id(out->in.author_id, json_object_get(user, "id")))
        goto malformed;
    const json_t *guild = json_object_get(d, "guild_id");
    if (guild && !lo_discord_copy_id(out->in.guild_id, guild))
        goto malformed;
    snprintf(out->subcommand, sizeof out->subcommand, "%s", known->name);
    const char *words = option_text(sub);
    size_t text_size = strlen(known->name) + 1 + strlen(words) + 1;
    out->in.text = lo_xcalloc(text_size, 1);
    out->token = lo_xstrdup(token);
    const char *display = json_string_value(json_object_get(member, "nick"));
    if (!display)
        display = json_string_value(json_object_get(user, "global_name"));
    if (!display)
        display = json_string_value(json_object_get(user, "username"));
    out->in.author_name = display ? lo_xstrdup(display) : NULL;
    snprintf(out->in.text, text_size, "%s%s%s", known->name, *words ? " " : "", words);
    lo_message *msg = &out->in.msg;
    msg->platform = "discord";
    msg->is_dm = out->in.guild_id[0] == '\0';
    msg->community = msg->is_dm ? NULL : out->in.guild_id;
    msg->channel = out->in.channel_id;
    msg->author = out->in.author_id;
    msg->author_name = out->in.author_name;
    msg->mentions_bot = true; /* a slash command is addressed to the bot */
    msg->text = out->in.text;
    msg->text_len = strlen(out->in.text);
    return true;
malformed:
    lo_discord_invocation_clear(out);
    return false;
}

bool lo_discord_invocation_private(const lo_discord_invocation *inv)
{
    const subcommand *known = find_subcommand(inv->subcommand);
    return known && known->private_answer;
}

void lo_discord_invocation_clear(lo_discord_invocation *inv)
{
    if (inv->token) {
        memset(inv->token, 0, strlen(inv->token));
        free(inv->token);
    }
    lo_discord_inbound_clear(&inv->in);
    memset(inv, 0, sizeof *inv);
}

/* A rule id as the engine writes them (flow steps add one '/'): nothing else reaches metrics. */
static bool is_rule_id(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n >= sizeof((lo_discord_feedback *)0)->rule_id)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
              s[i] == '_' || s[i] == '/'))
            return false;
    return true;
}

bool lo_discord_feedback_parse(const json_t *d, lo_discord_feedback *out)
{
    memset(out, 0, sizeof *out);
    const char *custom_id =
        json_string_value(json_object_get(json_object_get(d, "data"), "custom_id"));
    const json_t *member = json_object_get(d, "member");
    const json_t *user = member ? json_object_get(member, "user") : json_object_get(d, "user");
    const char *token = json_string_value(json_object_get(d, "token"));
    size_t prefix = strlen(LO_DISCORD_FEEDBACK_PREFIX);
    if (json_integer_value(json_object_get(d, "type")) != INTERACTION_MESSAGE_COMPONENT ||
        !custom_id || strncmp(custom_id, LO_DISCORD_FEEDBACK_PREFIX, prefix) != 0 ||
        !is_rule_id(custom_id + prefix) || !token || json_is_true(json_object_get(user, "bot")) ||
        !lo_discord_copy_id(out->interaction_id, json_object_get(d, "id")))
        return false;
    snprintf(out->rule_id, sizeof out->rule_id, "%s", custom_id + prefix);
    out->token = lo_xstrdup(token);
    return true;
}

void lo_discord_feedback_clear(lo_discord_feedback *fb)
{
    free(fb->token);
    memset(fb, 0, sizeof *fb);
}
