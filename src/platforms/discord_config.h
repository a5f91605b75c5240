/* discord_config.h - the "discord" section of the run config (platforms.discord), checked and
 * turned into lo_discord_options.
 *
 * Keys: token_env (the environment variable holding the token, default LEANON_DISCORD_TOKEN; its
 * <NAME>_FILE variant names a file instead), api_base, gateway_url, ca_file, user_agent_url,
 * shard_id, shard_count (a number, or "auto" for every recommended shard in this process),
 * command_guilds (register /leanon in these guilds instead of globally). The token itself is
 * never accepted here. URLs pass net/url_check: no user-info, and plain http:// and ws:// only
 * to a loopback host, so the token never crosses a network in clear text. shard_id and
 * shard_count are whole numbers in range (never truncated). docs/discord.md describes them for hosts.
 */
#ifndef LEANON_PLATFORMS_DISCORD_CONFIG_H
#define LEANON_PLATFORMS_DISCORD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "common/schema.h"
#include "platforms/discord.h"

#define LO_DISCORD_DEFAULT_TOKEN_ENV "LEANON_DISCORD_TOKEN"

typedef struct lo_discord_settings {
    char *token_env;
    char *api_base;    /* NULL = Discord's */
    char *gateway_url; /* NULL = from GET /gateway/bot */
    char *ca_file;
    char *user_agent_url;
    bool shard_auto;
    unsigned shard_id, shard_count;
    char **command_guilds;
    size_t command_guild_count;
} lo_discord_settings;

/* Reads the section (an object, or section->json NULL for all defaults) with the common JSON
 * walker: every finding (what is wrong and what to write) goes to section->sink at its key or
 * value. Returns 0, or -1 when there was one (out is then cleared). */
int lo_discord_settings_parse(const lo_schema *section, lo_discord_settings *out);

/* Points the options' fields at the settings (which must outlive the options). */
void lo_discord_settings_apply(const lo_discord_settings *settings, lo_discord_options *options);

void lo_discord_settings_clear(lo_discord_settings *settings);

#endif
