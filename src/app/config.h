/* config.h - the config file of `leanon run` (JSON) and secrets.
 *
 * No file means the defaults: the web chat on 127.0.0.1:8080, the shipped
 * response set, the opt-out store in the state folder (see lo_default_optout_path). Secrets are never
 * read from the file or the command line: a platform section names an
 * environment variable ("token_env": "LEANON_DISCORD_TOKEN") and the secret is
 * read from that variable or from the file named by <NAME>_FILE.
 * The full format is described in docs/running.md.
 */
#ifndef LEANON_APP_CONFIG_H
#define LEANON_APP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/policy.h"
#include "obs/log.h"
#include "platforms/discord_config.h"

#define LO_DEFAULT_LISTEN_HOST "127.0.0.1"
#define LO_DEFAULT_LISTEN_PORT 8080
#define LO_DEFAULT_MAX_MESSAGE_CHARS 4000
#define LO_DEFAULT_MAX_TABS_PER_ADDRESS 64
#define LO_DEFAULT_IDLE_TIMEOUT 600
#define LO_DEFAULT_HANDSHAKE_TIMEOUT 10

/* Where opt-outs are kept when the config does not say: $STATE_DIRECTORY/optout.sqlite (set by
 * systemd's StateDirectory=), else $XDG_STATE_HOME/leanon/optout.sqlite, else
 * ~/.local/state/leanon/optout.sqlite (the folders are created), else ./leanon-optout.sqlite.
 * A new string. */
char *lo_default_optout_path(void);

/* Where opt-outs are kept: the embedded sqlite file (optout_path), or a PostgreSQL server that
 * several processes share (its connection string from LO_PG_DSN_ENV, read at start). */
typedef enum lo_store_kind { LO_STORE_SQLITE = 0, LO_STORE_POSTGRESQL } lo_store_kind;
#define LO_PG_DSN_ENV "LEANON_PG_DSN"

typedef struct lo_webchat_config {
    bool enabled;
    const char **allowed_origins; /* besides the page's own origin */
    size_t origin_count;
    size_t max_message_chars;
    const char **allowed_hosts; /* Host names served besides the listen address and localhost */
    size_t host_count;
    size_t max_connections;       /* 0 = from RLIMIT_NOFILE */
    size_t max_tabs_per_address;  /* 0 = no per-address cap */
    int idle_timeout;             /* seconds */
    int handshake_timeout;        /* seconds */
    const char *community;        /* community id its messages belong to: "webchat" */
    const char **trusted_proxies; /* whose X-Forwarded-For names the client (addresses, CIDR) */
    size_t proxy_count;
} lo_webchat_config;

/* A region the config names, and where: "file:line:column", or the variable or option that gave
 * it ("LEANON_REGION"). Checked against the response set once it is loaded. */
typedef struct lo_config_region {
    const char *code;
    char *where;
} lo_config_region;

typedef struct lo_config {
    char *source;        /* file it came from, NULL for the defaults */
    char *responses_dir; /* NULL = the shipped set */
    lo_store_kind store;
    char *optout_path; /* LO_STORE_SQLITE */
    lo_log_level log_level;
    lo_log_format log_format;
    double session_ttl; /* seconds */
    size_t max_sessions;
    char listen_host[64]; /* the bot's HTTP port: web chat, /healthz, /metrics */
    int listen_port;
    lo_community_settings defaults;
    lo_community_settings *communities;
    size_t community_count;
    lo_webchat_config webchat;
    bool discord_enabled; /* a "discord" platform section was given */
    lo_discord_settings discord;
    lo_config_region *regions; /* every region named, to check against the response set */
    size_t region_count;
    void *internal; /* strings and arrays the settings point into */
} lo_config;

/* A setting given outside the file, and its origin for messages ("LEANON_LISTEN", "--region"). */
typedef struct lo_config_setting {
    const char *value; /* NULL: not given */
    const char *origin;
} lo_config_setting;

/* What a host sets per environment, over the file: each overrides the file's key of the same
 * meaning (region: the defaults' region, which communities without their own inherit). */
typedef struct lo_config_overrides {
    lo_config_setting listen, region, log_level, log_format, optout_db;
    lo_config_setting discord_shard_id; /* a StatefulSet pod's ordinal; below shard_count */
} lo_config_overrides;

/* Fills every setting not given yet from the environment: LEANON_LISTEN, LEANON_REGION,
 * LEANON_LOG_LEVEL, LEANON_LOG_FORMAT, LEANON_OPTOUT_DB, LEANON_DISCORD_SHARD_ID (an empty
 * variable is not given). */
void lo_config_overrides_from_env(lo_config_overrides *over);

/* Loads path (NULL = defaults only). On error returns NULL and writes the first mistake into
 * err: "file:line:column: error: what to do" (at the key for an unknown or secret key, at the
 * value for a wrong one), or "file: error: why" when the file cannot be read. */
lo_config *lo_config_load(const char *path, char *err, size_t err_size);
/* The same with overrides (NULL: none); a wrong override is "ORIGIN: error: what to do". */
lo_config *lo_config_load_with(const char *path, const lo_config_overrides *over, char *err,
                               size_t err_size);
void lo_config_free(lo_config *config);

/* The settings of a community (its own section, else the defaults). */
const lo_community_settings *lo_config_community(const lo_config *config, const char *id);

/* Parses "ADDR:PORT" ("[::1]:8080" for IPv6). 0 or -1. */
int lo_config_parse_listen(const char *text, char *host, size_t host_size, int *port);

/* Reads the secret named by env_name: the variable's value, or the contents
 * of the file named by <env_name>_FILE, or of $CREDENTIALS_DIRECTORY/<env_name> (systemd's
 * LoadCredential=), one trailing newline dropped.
 * Returns a heap string, or NULL with the reason in err. */
char *lo_config_secret(const char *env_name, char *err, size_t err_size);

#endif
