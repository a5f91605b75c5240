/* discord_config.c - checking the discord config section (see discord_config.h). Every key is
 * known or refused, every value checked, and each error names its key and what to write. */
#include "platforms/discord_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/url_check.h"
#include "platforms/discord_message.h"

#define LO_DISCORD_MAX_SHARDS 65535

static const char *const known_keys[] = {
    "token_env", "api_base",    "gateway_url",    "ca_file", "user_agent_url",
    "shard_id",  "shard_count", "command_guilds", NULL,
};

static bool is_known(const char *key)
{
    for (size_t i = 0; known_keys[i]; i++)
        if (strcmp(known_keys[i], key) == 0)
            return true;
    return false;
}

static int string_key(const json_t *section, const char *key, char **out, char *err, size_t size)
{
    const json_t *value = json_object_get(section, key);
    if (!value)
        return 0;
    if (!json_is_string(value) || !*json_string_value(value)) {
        snprintf(err, size, "%s: expected a non-empty string", key);
        return -1;
    }
    *out = strdup(json_string_value(value));
    return *out ? 0 : -1;
}

/* A URL key, checked by net/url_check (user-info refused, plain schemes only to loopback). */
static int url_key(const json_t *section, const char *key, lo_url_use use, char **out,
                   const char **bad_key, char *err, size_t size)
{
    char *written = NULL;
    *bad_key = key;
    int rc = string_key(section, key, &written, err, size);
    if (rc || !written)
        return rc;
    char why[384];
    *out = lo_url_check(written, use, why, sizeof why);
    free(written);
    if (!*out)
        snprintf(err, size, "%s: %s", key, why);
    return *out ? 0 : -1;
}

/* A whole number from min to max (absent = fallback); reals such as 1.5 or 1e30 are refused. */
static int whole_key(const json_t *section, const char *key, json_int_t min, json_int_t max,
                     const char *note, unsigned fallback, unsigned *out, char *err, size_t size)
{
    const json_t *value = json_object_get(section, key);
    *out = fallback;
    if (!value)
        return 0;
    json_int_t n = json_is_integer(value) ? json_integer_value(value) : min - 1;
    if (n < min || n > max) {
        snprintf(err, size, "%s: expected a whole number from %lld to %lld%s", key, (long long)min,
                 (long long)max, note);
        return -1;
    }
    *out = (unsigned)n;
    return 0;
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

static int shard_keys(const json_t *section, lo_discord_settings *out, const char **bad_key,
                      char *err, size_t size)
{
    const json_t *count = json_object_get(section, "shard_count");
    const json_t *id = json_object_get(section, "shard_id");
    if (json_is_string(count) && strcmp(json_string_value(count), "auto") == 0) {
        if (id) {
            *bad_key = "shard_id";
            snprintf(err, size,
                     "shard_id: leave it out with \"shard_count\": \"auto\" (one "
                     "process runs every shard)");
            return -1;
        }
        out->shard_auto = true;
        return 0;
    }
    *bad_key = "shard_count";
    if (whole_key(section, "shard_count", 1, LO_DISCORD_MAX_SHARDS, ", or \"auto\"", 1,
                  &out->shard_count, err, size))
        return -1;
    *bad_key = "shard_id";
    if (whole_key(section, "shard_id", 0, LO_DISCORD_MAX_SHARDS - 1, ", below shard_count", 0,
                  &out->shard_id, err, size))
        return -1;
    if (out->shard_id >= out->shard_count) {
        snprintf(err, size, "shard_id: %u is not below shard_count (%u)", out->shard_id,
                 out->shard_count);
        return -1;
    }
    return 0;
}

static int guild_keys(const json_t *section, lo_discord_settings *out, const char **bad_key,
                      char *err, size_t size)
{
    *bad_key = "command_guilds";
    const json_t *guilds = json_object_get(section, "command_guilds");
    if (!guilds)
        return 0;
    if (!json_is_array(guilds)) {
        snprintf(err, size,
                 "command_guilds: expected a list of guild ids, e.g. [\"123456789012345678\"]");
        return -1;
    }
    out->command_guilds = calloc(json_array_size(guilds) + 1, sizeof *out->command_guilds);
    if (!out->command_guilds)
        return -1;
    size_t i;
    const json_t *guild;
    json_array_foreach (guilds, i, guild) {
        if (!lo_discord_is_snowflake(json_string_value(guild))) {
            snprintf(err, size,
                     "command_guilds: item %zu: expected a guild id (digits, as a string)", i);
            return -1;
        }
        out->command_guilds[i] = strdup(json_string_value(guild));
        if (!out->command_guilds[i])
            return -1;
        out->command_guild_count = i + 1;
    }
    return 0;
}

int lo_discord_settings_parse(json_t *section, lo_discord_settings *out, const char **bad_key,
                              char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    *bad_key = NULL;
    snprintf(err, err_size, "out of memory");
    if (section && !json_is_object(section)) {
        snprintf(err, err_size, "expected an object { ... }");
        return -1;
    }
    const char *key;
    const json_t *value;
    json_object_foreach (section, key, value) {
        *bad_key = key;
        if (strcmp(key, "token") == 0) {
            snprintf(err, err_size,
                     "token: secrets never go in the config file; put the token in "
                     "the environment variable %s (or a file named by %s_FILE), or "
                     "name another variable with \"token_env\"",
                     LO_DISCORD_DEFAULT_TOKEN_ENV, LO_DISCORD_DEFAULT_TOKEN_ENV);
            goto fail;
        }
        if (!is_known(key)) {
            snprintf(err, err_size,
                     "%s: unknown key (known: token_env, api_base, gateway_url, "
                     "ca_file, user_agent_url, shard_id, shard_count, command_guilds)",
                     key);
            goto fail;
        }
    }
    if (url_key(section, "api_base", LO_URL_REST, &out->api_base, bad_key, err, err_size) ||
        url_key(section, "gateway_url", LO_URL_GATEWAY, &out->gateway_url, bad_key, err,
                err_size) ||
        url_key(section, "user_agent_url", LO_URL_LINK, &out->user_agent_url, bad_key, err,
                err_size))
        goto fail;
    *bad_key = "token_env";
    if (string_key(section, "token_env", &out->token_env, err, err_size))
        goto fail;
    if (!out->token_env && !(out->token_env = strdup(LO_DISCORD_DEFAULT_TOKEN_ENV)))
        goto fail;
    if (!valid_env_name(out->token_env)) {
        snprintf(err, err_size, "token_env: expected an environment variable name (A-Z, 0-9, _)");
        goto fail;
    }
    *bad_key = "ca_file";
    if (string_key(section, "ca_file", &out->ca_file, err, err_size))
        goto fail;
    if (shard_keys(section, out, bad_key, err, err_size) ||
        guild_keys(section, out, bad_key, err, err_size))
        goto fail;
    *bad_key = NULL;
    return 0;
fail:
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
