/* discord_config.c - checking the discord config section (see discord_config.h). Every key is
 * known or refused, every value checked, and each error names its key and what to write. */
#include "platforms/discord_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platforms/discord_message.h"

static const char *const known_keys[] = {
    "token_env", "api_base", "gateway_url", "ca_file", "user_agent_url", "shard_id",
    "shard_count", "command_guilds", NULL,
};

static bool is_known(const char *key)
{
    for (size_t i = 0; known_keys[i]; i++)
        if (strcmp(known_keys[i], key) == 0)
            return true;
    return false;
}

/* https:// and wss:// anywhere; http:// and ws:// only to a loopback host. */
static bool url_allowed(const char *url, const char *secure, const char *plain)
{
    if (strncmp(url, secure, strlen(secure)) == 0)
        return url[strlen(secure)] != '\0';
    if (strncmp(url, plain, strlen(plain)) != 0)
        return false;
    const char *host = url + strlen(plain);
    static const char *const loopback[] = { "127.0.0.1", "[::1]", "localhost" };
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(loopback[i]);
        if (strncmp(host, loopback[i], n) == 0 && (host[n] == ':' || host[n] == '/' || !host[n]))
            return true;
    }
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

static bool valid_env_name(const char *name)
{
    if (!*name || strlen(name) > 100)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

static int shard_keys(const json_t *section, lo_discord_settings *out, char *err, size_t size)
{
    const json_t *count = json_object_get(section, "shard_count");
    const json_t *id = json_object_get(section, "shard_id");
    if (json_is_string(count) && strcmp(json_string_value(count), "auto") == 0) {
        if (id) {
            snprintf(err, size, "shard_id: leave it out with \"shard_count\": \"auto\" (one "
                                "process runs every shard)");
            return -1;
        }
        out->shard_auto = true;
        return 0;
    }
    if (count && (!json_is_integer(count) || json_integer_value(count) < 1 ||
                  json_integer_value(count) > 65535)) {
        snprintf(err, size, "shard_count: expected a whole number from 1 to 65535, or \"auto\"");
        return -1;
    }
    if (id && (!json_is_integer(id) || json_integer_value(id) < 0)) {
        snprintf(err, size, "shard_id: expected a whole number from 0 to shard_count - 1");
        return -1;
    }
    out->shard_count = count ? (unsigned)json_integer_value(count) : 1;
    out->shard_id = id ? (unsigned)json_integer_value(id) : 0;
    if (out->shard_id >= out->shard_count) {
        snprintf(err, size, "shard_id: %u is not below shard_count (%u)", out->shard_id,
                 out->shard_count);
        return -1;
    }
    return 0;
}

static int guild_keys(const json_t *section, lo_discord_settings *out, char *err, size_t size)
{
    const json_t *guilds = json_object_get(section, "command_guilds");
    if (!guilds)
        return 0;
    if (!json_is_array(guilds)) {
        snprintf(err, size, "command_guilds: expected a list of guild ids, e.g. [\"123456789012345678\"]");
        return -1;
    }
    out->command_guilds = calloc(json_array_size(guilds) + 1, sizeof *out->command_guilds);
    if (!out->command_guilds)
        return -1;
    size_t i;
    const json_t *guild;
    json_array_foreach(guilds, i, guild) {
        if (!lo_discord_is_snowflake(json_string_value(guild))) {
            snprintf(err, size, "command_guilds[%zu]: expected a guild id (digits, as a string)", i);
            return -1;
        }
        out->command_guilds[i] = strdup(json_string_value(guild));
        if (!out->command_guilds[i])
            return -1;
        out->command_guild_count = i + 1;
    }
    return 0;
}

int lo_discord_settings_parse(const json_t *section, lo_discord_settings *out, char *err,
                              size_t err_size)
{
    memset(out, 0, sizeof *out);
    snprintf(err, err_size, "out of memory");
    if (section && !json_is_object(section)) {
        snprintf(err, err_size, "expected an object { ... }");
        return -1;
    }
    const char *key;
    const json_t *value;
    json_object_foreach((json_t *)section, key, value) {
        if (strcmp(key, "token") == 0) {
            snprintf(err, err_size, "token: secrets never go in the config file; put the token in "
                                    "the environment variable %s (or a file named by %s_FILE), or "
                                    "name another variable with \"token_env\"",
                     LO_DISCORD_DEFAULT_TOKEN_ENV, LO_DISCORD_DEFAULT_TOKEN_ENV);
            goto fail;
        }
        if (!is_known(key)) {
            snprintf(err, err_size, "%s: unknown key (known: token_env, api_base, gateway_url, "
                                    "ca_file, user_agent_url, shard_id, shard_count, command_guilds)",
                     key);
            goto fail;
        }
    }
    if (string_key(section, "token_env", &out->token_env, err, err_size) ||
        string_key(section, "api_base", &out->api_base, err, err_size) ||
        string_key(section, "gateway_url", &out->gateway_url, err, err_size) ||
        string_key(section, "ca_file", &out->ca_file, err, err_size) ||
        string_key(section, "user_agent_url", &out->user_agent_url, err, err_size))
        goto fail;
    if (!out->token_env && !(out->token_env = strdup(LO_DISCORD_DEFAULT_TOKEN_ENV)))
        goto fail;
    if (!valid_env_name(out->token_env)) {
        snprintf(err, err_size, "token_env: expected an environment variable name (A-Z, 0-9, _)");
        goto fail;
    }
    if (out->api_base && !url_allowed(out->api_base, "https://", "http://")) {
        snprintf(err, err_size, "api_base: expected an https:// URL (http:// only on loopback)");
        goto fail;
    }
    if (out->gateway_url && !url_allowed(out->gateway_url, "wss://", "ws://")) {
        snprintf(err, err_size, "gateway_url: expected a wss:// URL (ws:// only on loopback)");
        goto fail;
    }
    if (shard_keys(section, out, err, err_size) || guild_keys(section, out, err, err_size))
        goto fail;
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
