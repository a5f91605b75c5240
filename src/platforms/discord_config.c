/* discord_config.c - checking the discord config section (see discord_config.h) with the
 * common JSON walker (common/schema.h): every key is known or refused with a "did you
 * mean", every value checked, and each error is placed at its key or value and says what
 * to write. */
#include "platforms/discord_config.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "net/url_check.h"
#include "platforms/discord_message.h"

#define LO_DISCORD_MAX_SHARDS 65535

static const char *const known_keys[] = {
    "token_env",      "api_base", "gateway_url", "ca_file",
    "user_agent_url", "shard_id", "shard_count", "command_guilds",
};

/* The token itself is refused before any other key is looked at. */
static void check_keys(const lo_schema *o)
{
    if (json_object_get(o->json, "token")) {
        lo_report(o->sink, lo_jpos_key(o->pos, "token"), true,
                  "\"token\": secrets never go in the config file; put the token in the "
                  "environment variable %s (or a file named by %s_FILE), or name another "
                  "variable with \"token_env\"",
                  LO_DISCORD_DEFAULT_TOKEN_ENV, LO_DISCORD_DEFAULT_TOKEN_ENV);
        return;
    }
    lo_schema_keys(o, known_keys, sizeof known_keys / sizeof *known_keys);
}

static char *copy_or_null(const char *s)
{
    return s ? lo_xstrdup(s) : NULL;
}

/* A URL key, checked by net/url_check (user-info refused, plain schemes only to loopback). */
static char *url_key(const lo_schema *o, const char *key, lo_url_use use)
{
    const char *written = lo_schema_string(o, key, false, NULL);
    if (!written)
        return NULL;
    char why[384];
    char *url = lo_url_check(written, use, why, sizeof why);
    if (!url)
        lo_report(o->sink, lo_jpos_key(o->pos, key), false, "\"%s\": %s", key, why);
    return url;
}

static bool valid_env_name(const char *name)
{
    if (!*name || strlen(name) > 100)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

static void token_env_key(const lo_schema *o, lo_discord_settings *out)
{
    out->token_env =
        lo_xstrdup(lo_schema_string(o, "token_env", false, LO_DISCORD_DEFAULT_TOKEN_ENV));
    if (!valid_env_name(out->token_env))
        lo_report(o->sink, lo_jpos_key(o->pos, "token_env"), false,
                  "\"token_env\" must be an environment variable name (A-Z, 0-9, _)");
}

static void shard_keys(const lo_schema *o, lo_discord_settings *out)
{
    const json_t *count = json_object_get(o->json, "shard_count");
    const lo_jpos *id_at = lo_jpos_key(o->pos, "shard_id");
    if (json_is_string(count) && strcmp(json_string_value(count), "auto") == 0) {
        if (json_object_get(o->json, "shard_id"))
            lo_report(o->sink, id_at, true,
                      "\"shard_id\": leave it out with \"shard_count\": "
                      "\"auto\" (one process runs every shard)");
        out->shard_auto = true;
        return;
    }
    out->shard_count =
        (unsigned)lo_schema_whole(o, "shard_count", 1, 1, LO_DISCORD_MAX_SHARDS, ", or \"auto\"");
    out->shard_id = (unsigned)lo_schema_whole(o, "shard_id", 0, 0, LO_DISCORD_MAX_SHARDS - 1,
                                              ", below shard_count");
    if (out->shard_id >= out->shard_count)
        lo_report(o->sink, id_at, false, "\"shard_id\" must be below shard_count (%u), not %u",
                  out->shard_count, out->shard_id);
}

static void guild_keys(const lo_schema *o, lo_discord_settings *out)
{
    lo_strings guilds;
    if (!lo_schema_strings(o, "command_guilds", false, 0, &guilds) || !guilds.v)
        return;
    const lo_jpos *at = lo_jpos_key(o->pos, "command_guilds");
    out->command_guilds = lo_xcalloc(guilds.n + 1, sizeof *out->command_guilds);
    for (size_t i = 0; i < guilds.n; i++) {
        if (!lo_discord_is_snowflake(guilds.v[i])) {
            lo_report(o->sink, lo_jpos_index(at, i), false,
                      "item %zu of \"command_guilds\" must be a guild id (its digits, in quotes)",
                      i + 1);
            break;
        }
        out->command_guilds[out->command_guild_count++] = lo_xstrdup(guilds.v[i]);
    }
    lo_strings_free(&guilds);
}

int lo_discord_settings_parse(const lo_schema *section, lo_discord_settings *out)
{
    memset(out, 0, sizeof *out);
    unsigned before = section->sink->count;
    check_keys(section);
    out->api_base = url_key(section, "api_base", LO_URL_REST);
    out->gateway_url = url_key(section, "gateway_url", LO_URL_GATEWAY);
    out->user_agent_url = url_key(section, "user_agent_url", LO_URL_LINK);
    token_env_key(section, out);
    out->ca_file = copy_or_null(lo_schema_string(section, "ca_file", false, NULL));
    shard_keys(section, out);
    guild_keys(section, out);
    if (section->sink->count == before)
        return 0;
    lo_discord_settings_clear(out);
    return -1;
}

void lo_discord_settings_apply(const lo_discord_settings *s, lo_discord_options *options)
{
    options->api_base = s->api_base;
    options->gateway_url = s->gateway_url;
    options->ca_file = s->ca_file;
    options->user_agent_url = s->user_agent_url;
    options->shard_auto = s->shard_auto;
    options->shard_id = s->shard_id;
    options->shard_count = s->shard_count;
    options->command_guilds = (const char *const *)s->command_guilds;
    options->command_guild_count = s->command_guild_count;
}

void lo_discord_settings_clear(lo_discord_settings *s)
{
    free(s->token_env);
    free(s->api_base);
    free(s->gateway_url);
    free(s->ca_file);
    free(s->user_agent_url);
    for (size_t i = 0; s->command_guilds && s->command_guilds[i]; i++)
        free(s->command_guilds[i]);
    free(s->command_guilds);
    memset(s, 0, sizeof *s);
}
