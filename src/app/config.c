/* config.c - loading and checking the `leanon run` config file.
 *
 * The file is read and parsed by common/json_file.h (at most CONFIG_MAX_BYTES; syntax
 * errors come with jansson's line and column), then walked key by key with the common
 * JSON walker (common/schema.h): every key is known, so a typo is an error at the key,
 * with a "did you mean"; a wrong value is an error at the value. Any key that looks like
 * a secret is refused with a pointer to the environment, because config files get
 * committed and pasted into chats. The first finding is the error:
 * "file:line:column: error: what to do".
 *
 * The loaded jansson tree stays alive in `internal`: settings point into it.
 */
#include "app/config.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/file.h"
#include "common/json_file.h"
#include "common/schema.h"
#include "platforms/discord_message.h"
#include "platforms/forwarded.h"

#define CONFIG_MAX_BYTES ((size_t)1 << 20) /* 1 MiB */
#define SECRET_MAX_BYTES 65536
#define COUNT(a) (sizeof(a) / sizeof *(a))

typedef struct internal {
    json_t *root;
    lo_strings *lists; /* every list of texts the settings point at */
    size_t nlists, cap;
    lo_config *config;
    const char *file;
    size_t regions_cap;
    bool discord_ids; /* channels must be Discord ids: a discord platform is configured */
} internal;

/* The config's sink: the first finding becomes the error text. */
typedef struct first_error {
    const char *file;
    char *err;
    size_t err_size;
} first_error;

static void keep_first(void *ctx, int line, int column, const char *message)
{
    first_error *f = ctx;
    if (f->err_size == 0)
        return;
    if (line > 0)
        snprintf(f->err, f->err_size, "%s:%d:%d: error: %s", f->file, line, column, message);
    else
        snprintf(f->err, f->err_size, "%s: error: %s", f->file, message);
    f->err_size = 0; /* only the first */
}

/* A sink that adds a note (a pointer to the docs) to each message and passes it on. */
typedef struct with_note {
    lo_sink *to;
    const char *note;
} with_note;

static void add_note(void *ctx, int line, int column, const char *message)
{
    with_note *w = ctx;
    lo_strbuf text = {0};
    lo_strbuf_addf(&text, "%s%s", message, w->note);
    w->to->report(w->to->ctx, line, column, text.data);
    lo_strbuf_free(&text);
}

static bool looks_secret(const char *key)
{
    static const char *const words[] = {"token", "secret", "password", "api_key", "apikey"};
    for (size_t i = 0; i < COUNT(words); i++) {
        size_t n = strlen(words[i]), k = strlen(key);
        if (k >= n && strcasecmp(key + k - n, words[i]) == 0)
            return true;
    }
    return false;
}

/* Refuses keys that look like secrets, then any key not in allowed. */
static void check_keys(const lo_schema *o, const char *const *allowed, size_t n)
{
    const char *key;
    json_t *value;
    json_object_foreach (o->json, key, value) {
        if (looks_secret(key)) {
            lo_report(o->sink, lo_jpos_key(o->pos, key), true,
                      "\"%s\": secrets are not read from the config file; name an environment "
                      "variable with \"token_env\" and set it (or <NAME>_FILE to a file "
                      "holding the secret)",
                      key);
            return;
        }
    }
    lo_schema_keys(o, allowed, n);
}

/* o[key] as a list of texts kept for the settings (NULL when absent or wrong). */
static const char **keep_list(internal *in, const lo_schema *o, const char *key, size_t *count)
{
    lo_strings list;
    *count = 0;
    if (!lo_schema_strings(o, key, false, 0, &list) || !list.v)
        return NULL;
    lo_grow(&in->lists, &in->cap, in->nlists + 1, sizeof *in->lists);
    in->lists[in->nlists++] = list;
    *count = list.n;
    return list.v;
}

static void add_region(internal *in, const char *code, char *where)
{
    lo_config *c = in->config;
    lo_grow(&c->regions, &in->regions_cap, c->region_count + 1, sizeof *c->regions);
    c->regions[c->region_count++] = (lo_config_region){code, where};
}

/* Keeps the region a community names, with its place, for the check against the response set. */
static void note_region(internal *in, const lo_schema *o, const char *region)
{
    const lo_jpos *at = lo_jpos_key(o->pos, "region");
    if (!at || !json_is_string(json_object_get(o->json, "region")))
        return;
    int line, column;
    lo_jpos_where(at, false, &line, &column);
    lo_strbuf where = {0};
    lo_strbuf_addf(&where, "%s:%d:%d", in->file, line, column);
    add_region(in, region, lo_strbuf_take(&where));
}

/* With Discord configured, a channel is named by its id: a name ("moderators") would never match,
 * and every alert to it would be dropped. */
static void check_channel_ids(const internal *in, const lo_schema *o,
                              const lo_community_settings *s)
{
    static const char hint[] = "in Discord, enable Developer Mode and use Copy Channel ID";
    if (!in->discord_ids)
        return;
    if (json_object_get(o->json, "alert_channel") && s->alert_channel &&
        !lo_discord_is_snowflake(s->alert_channel))
        lo_report(o->sink, lo_jpos_key(o->pos, "alert_channel"), false,
                  "\"alert_channel\" must be a Discord channel id (digits), not \"%s\": alerts "
                  "to it would be dropped; %s",
                  s->alert_channel, hint);
    const lo_jpos *list = lo_jpos_key(o->pos, "listen_channels");
    for (size_t i = 0; list && i < s->listen_count; i++)
        if (!lo_discord_is_snowflake(s->listen_channels[i])) {
            lo_report(o->sink, lo_jpos_index(list, i), false,
                      "\"listen_channels\" must hold Discord channel ids (digits), not \"%s\"; %s",
                      s->listen_channels[i], hint);
            return;
        }
}

static const char *const community_keys[] = {"region",
                                             "prefix",
                                             "listen_channels",
                                             "alert_channel",
                                             "alert_include_text",
                                             "people_contact",
                                             "person_cooldown_seconds",
                                             "channel_cooldown_seconds"};

static void load_community(internal *in, const lo_schema *o, const lo_community_settings *base,
                           lo_community_settings *out)
{
    *out = *base;
    check_keys(o, community_keys, COUNT(community_keys));
    out->region = lo_schema_string(o, "region", false, base->region);
    out->prefix = lo_schema_string(o, "prefix", false, base->prefix);
    out->alert_channel = lo_schema_string(o, "alert_channel", false, base->alert_channel);
    out->alert_include_text = lo_schema_bool(o, "alert_include_text", base->alert_include_text);
    out->people_contact = lo_schema_string(o, "people_contact", false, base->people_contact);
    out->person_cooldown = (double)lo_schema_whole(o, "person_cooldown_seconds",
                                                   (long long)base->person_cooldown, 0, 86400, "");
    out->channel_cooldown = (double)lo_schema_whole(
        o, "channel_cooldown_seconds", (long long)base->channel_cooldown, 0, 86400, "");
    if (json_object_get(o->json, "listen_channels"))
        out->listen_channels = keep_list(in, o, "listen_channels", &out->listen_count);
    if (out->region != base->region)
        note_region(in, o, out->region);
    check_channel_ids(in, o, out);
}

static void load_communities(lo_config *c, internal *in, const lo_schema *root)
{
    lo_schema all, one;
    if (!lo_schema_object(root, "communities", "communities", &all))
        return;
    c->communities = lo_xcalloc(json_object_size(all.json), sizeof *c->communities);
    const char *id;
    json_t *section;
    json_object_foreach (all.json, id, section) {
        char what[300];
        snprintf(what, sizeof what, "communities.%s", id);
        if (!lo_schema_object(&all, id, what, &one))
            continue;
        lo_community_settings *s = &c->communities[c->community_count++];
        load_community(in, &one, &c->defaults, s);
        s->id = id;
    }
}

/* The discord section (platforms/discord_config.h); its messages point to docs/discord.md. */
static void load_discord(lo_config *c, const lo_schema *section)
{
    with_note note = {section->sink, " (see docs/discord.md)"};
    lo_sink noted = {.report = add_note, .ctx = &note};
    lo_schema o = *section;
    o.sink = &noted;
    c->discord_enabled = lo_discord_settings_parse(&o, &c->discord) == 0;
    section->sink->count += noted.count;
}

static const char *const webchat_keys[] = {
    "allowed_origins",      "max_message_chars",         "community",
    "allowed_hosts",        "max_connections",           "max_tabs_per_address",
    "idle_timeout_seconds", "handshake_timeout_seconds", "trusted_proxies"};

/* Each trusted proxy is an address or a network: a name would never match a peer. */
static void check_proxies(const lo_schema *o, const lo_webchat_config *w)
{
    const lo_jpos *list = lo_jpos_key(o->pos, "trusted_proxies");
    for (size_t i = 0; list && i < w->proxy_count; i++)
        if (!lo_forwarded_valid_entry(w->trusted_proxies[i]))
            lo_report(o->sink, lo_jpos_index(list, i), false,
                      "\"trusted_proxies\" must hold IP addresses or networks (\"127.0.0.1\", "
                      "\"10.0.0.0/8\", \"::1\"), not \"%s\"",
                      w->trusted_proxies[i]);
}

/* The web chat's section; its limits are in docs/running.md, "Limits". */
static void load_webchat(lo_webchat_config *w, internal *in, const lo_schema *o)
{
    w->enabled = true;
    check_keys(o, webchat_keys, COUNT(webchat_keys));
    w->allowed_origins = keep_list(in, o, "allowed_origins", &w->origin_count);
    w->max_message_chars = (size_t)lo_schema_whole(o, "max_message_chars",
                                                   (long long)w->max_message_chars, 1, 4096, "");
    w->community = lo_schema_string(o, "community", false, w->community);
    w->allowed_hosts = keep_list(in, o, "allowed_hosts", &w->host_count);
    w->max_connections = (size_t)lo_schema_whole(o, "max_connections",
                                                 (long long)w->max_connections, 0, 1000000, "");
    w->max_tabs_per_address = (size_t)lo_schema_whole(
        o, "max_tabs_per_address", (long long)w->max_tabs_per_address, 0, 1000000, "");
    w->idle_timeout =
        (int)lo_schema_whole(o, "idle_timeout_seconds", w->idle_timeout, 1, 86400, "");
    w->handshake_timeout =
        (int)lo_schema_whole(o, "handshake_timeout_seconds", w->handshake_timeout, 1, 300, "");
    w->trusted_proxies = keep_list(in, o, "trusted_proxies", &w->proxy_count);
    check_proxies(o, w);
}

static const char *const platform_keys[] = {"webchat", "discord"};

/* Only the platforms listed run; without "platforms", the web chat does. */
static void load_platforms(lo_config *c, internal *in, const lo_schema *root)
{
    lo_schema platforms, section;
    if (!json_object_get(root->json, "platforms")) {
        c->webchat.enabled = true;
        return;
    }
    if (!lo_schema_object(root, "platforms", "platforms", &platforms))
        return;
    check_keys(&platforms, platform_keys, COUNT(platform_keys));
    if (lo_schema_object(&platforms, "webchat", "platforms.webchat", &section))
        load_webchat(&c->webchat, in, &section);
    if (lo_schema_object(&platforms, "discord", "platforms.discord", &section))
        load_discord(c, &section);
}

/* "log_level", "log_format" and "listen", which must be one of a few forms. */
static void load_log_and_listen(lo_config *c, const lo_schema *root)
{
    const char *level = lo_schema_string(root, "log_level", false, "info");
    if (lo_log_level_parse(level, &c->log_level) != 0)
        lo_report(root->sink, lo_jpos_key(root->pos, "log_level"), false,
                  "\"log_level\" must be \"debug\", \"info\", \"warn\" or \"error\"");
    const char *format = lo_schema_string(root, "log_format", false, "logfmt");
    if (lo_log_format_parse(format, &c->log_format) != 0)
        lo_report(root->sink, lo_jpos_key(root->pos, "log_format"), false,
                  "\"log_format\" must be \"logfmt\" or \"json\"");
    const char *listen = lo_schema_string(root, "listen", false, NULL);
    if (listen &&
        lo_config_parse_listen(listen, c->listen_host, sizeof c->listen_host, &c->listen_port) != 0)
        lo_report(root->sink, lo_jpos_key(root->pos, "listen"), false,
                  "\"listen\" must be \"ADDRESS:PORT\", e.g. \"127.0.0.1:8080\" or \"[::1]:8080\"");
}

static const char *const top_keys[] = {
    "responses",           "store",        "optout_db", "log_level",   "log_format", "listen",
    "session_ttl_seconds", "max_sessions", "defaults",  "communities", "platforms"};

/* "store": "sqlite" (the default) or "postgresql", which needs its connection string in the
 * environment: it may hold a password, so it is never in the file (checked here, read at start). */
static void load_store(lo_config *c, const lo_schema *root)
{
    const char *store = lo_schema_string(root, "store", false, "sqlite");
    if (strcmp(store, "postgresql") == 0)
        c->store = LO_STORE_POSTGRESQL;
    else if (strcmp(store, "sqlite") != 0)
        lo_report(root->sink, lo_jpos_key(root->pos, "store"), false,
                  "\"store\" must be \"sqlite\" (one process, the default) or \"postgresql\" "
                  "(shared by several)");
    if (c->store != LO_STORE_POSTGRESQL)
        return;
    char why[512];
    char *dsn = lo_config_secret(LO_PG_DSN_ENV, why, sizeof why);
    if (!dsn) {
        lo_report(root->sink, lo_jpos_key(root->pos, "store"), false,
                  "\"store\": \"postgresql\" needs the connection string: %s", why);
        return;
    }
    memset(dsn, 0, strlen(dsn));
    free(dsn);
}

static bool has_discord(const lo_schema *root)
{
    json_t *platforms = json_object_get(root->json, "platforms");
    return json_is_object(platforms) && json_object_get(platforms, "discord");
}

static void load_document(lo_config *c, internal *in, const lo_schema *root,
                          const lo_config_setting *region)
{
    if (!json_is_object(root->json)) {
        lo_report(root->sink, root->pos, false, "the config file must be one JSON object { ... }");
        return;
    }
    check_keys(root, top_keys, COUNT(top_keys));
    const char *responses = lo_schema_string(root, "responses", false, NULL);
    const char *optout = lo_schema_string(root, "optout_db", false, NULL);
    c->responses_dir = responses ? lo_xstrdup(responses) : NULL;
    c->optout_path = optout ? lo_xstrdup(optout) : lo_default_optout_path();
    load_store(c, root);
    load_log_and_listen(c, root);
    c->session_ttl = (double)lo_schema_whole(root, "session_ttl_seconds", 1800, 60, 86400, "");
    c->max_sessions = (size_t)lo_schema_whole(root, "max_sessions", 10000, 1, 10000000, "");
    in->discord_ids = has_discord(root);
    lo_schema defaults;
    lo_community_settings base = c->defaults;
    if (lo_schema_object(root, "defaults", "defaults", &defaults))
        load_community(in, &defaults, &base, &c->defaults);
    if (region->value) { /* before the communities, which inherit it */
        c->defaults.region = region->value;
        add_region(in, region->value, lo_xstrdup(region->origin));
    }
    load_communities(c, in, root);
    load_platforms(c, in, root);
}

static lo_config *new_defaults(void)
{
    lo_config *c = lo_xcalloc(1, sizeof *c);
    c->log_level = LO_LOG_INFO;
    c->session_ttl = 1800;
    c->max_sessions = 10000;
    snprintf(c->listen_host, sizeof c->listen_host, "%s", LO_DEFAULT_LISTEN_HOST);
    c->listen_port = LO_DEFAULT_LISTEN_PORT;
    c->defaults.prefix = LO_DEFAULT_PREFIX;
    c->defaults.person_cooldown = 60;
    c->defaults.channel_cooldown = 10;
    c->webchat.max_message_chars = LO_DEFAULT_MAX_MESSAGE_CHARS;
    c->webchat.community = "webchat";
    c->webchat.max_tabs_per_address = LO_DEFAULT_MAX_TABS_PER_ADDRESS;
    c->webchat.idle_timeout = LO_DEFAULT_IDLE_TIMEOUT;
    c->webchat.handshake_timeout = LO_DEFAULT_HANDSHAKE_TIMEOUT;
    return c;
}

/* The Discord shard this process runs, over platforms.discord.shard_id: 0 or -1 with err. */
static int apply_shard_id(lo_config *c, const lo_config_setting *id, char *err, size_t err_size)
{
    if (!id->value)
        return 0;
    char problem[160] = "";
    char *end;
    errno = 0;
    unsigned long long n = strtoull(id->value, &end, 10);
    if (!c->discord_enabled)
        snprintf(problem, sizeof problem, "is set but the config has no platforms.discord");
    else if (c->discord.shard_auto)
        snprintf(problem, sizeof problem,
                 "cannot pick a shard with \"shard_count\": \"auto\" (one process runs them all)");
    else if (errno || end == id->value || *end || id->value[0] == '-' ||
             n >= c->discord.shard_count)
        snprintf(problem, sizeof problem, "must be a whole number below shard_count (%u)",
                 c->discord.shard_count);
    if (*problem) {
        snprintf(err, err_size, "%s: error: \"%s\" %s", id->origin, id->value, problem);
        return -1;
    }
    c->discord.shard_id = (unsigned)n;
    return 0;
}

/* The overrides of the settings outside communities; the first wrong one is the error, written
 * into err. 0 or -1. */
static int apply_overrides(lo_config *c, const lo_config_overrides *over, char *err,
                           size_t err_size)
{
    const lo_config_setting *wrong = NULL;
    const char *want = "";
    if (over->listen.value && lo_config_parse_listen(over->listen.value, c->listen_host,
                                                     sizeof c->listen_host, &c->listen_port) != 0) {
        wrong = &over->listen;
        want = "ADDRESS:PORT, e.g. 127.0.0.1:8080 or [::1]:8080";
    } else if (over->log_level.value &&
               lo_log_level_parse(over->log_level.value, &c->log_level) != 0) {
        wrong = &over->log_level;
        want = "debug, info, warn or error";
    } else if (over->log_format.value &&
               lo_log_format_parse(over->log_format.value, &c->log_format) != 0) {
        wrong = &over->log_format;
        want = "logfmt or json";
    }
    if (wrong) {
        snprintf(err, err_size, "%s: error: \"%s\" must be %s", wrong->origin, wrong->value, want);
        return -1;
    }
    if (over->optout_db.value) {
        free(c->optout_path);
        c->optout_path = lo_xstrdup(over->optout_db.value);
    }
    return apply_shard_id(c, &over->discord_shard_id, err, err_size);
}

lo_config *lo_config_load(const char *path, char *err, size_t err_size)
{
    return lo_config_load_with(path, NULL, err, err_size);
}

lo_config *lo_config_load_with(const char *path, const lo_config_overrides *over, char *err,
                               size_t err_size)
{
    static const lo_config_overrides none;
    if (!over)
        over = &none;
    lo_config *c = new_defaults();
    c->source = path ? lo_xstrdup(path) : NULL;
    first_error first = {path ? path : "leanon", err, err_size};
    lo_sink sink = {.report = keep_first, .ctx = &first};
    internal *in = lo_xcalloc(1, sizeof *in);
    c->internal = in;
    in->config = c;
    in->file = path;
    lo_jpos *pos = NULL;
    in->root = path ? lo_json_file(path, CONFIG_MAX_BYTES, &sink, &pos) : json_object();
    lo_schema root = {.json = in->root, .pos = pos, .what = "the config file", .sink = &sink};
    if (in->root)
        load_document(c, in, &root, &over->region);
    lo_jpos_free(pos);
    if (sink.count || apply_overrides(c, over, err, err_size) != 0) {
        lo_config_free(c);
        return NULL;
    }
    return c;
}

static void setting_from_env(lo_config_setting *setting, const char *name)
{
    const char *value = getenv(name);
    if (setting->value || !value || !*value)
        return;
    setting->value = value;
    setting->origin = name;
}

void lo_config_overrides_from_env(lo_config_overrides *over)
{
    setting_from_env(&over->listen, "LEANON_LISTEN");
    setting_from_env(&over->region, "LEANON_REGION");
    setting_from_env(&over->log_level, "LEANON_LOG_LEVEL");
    setting_from_env(&over->log_format, "LEANON_LOG_FORMAT");
    setting_from_env(&over->optout_db, "LEANON_OPTOUT_DB");
    setting_from_env(&over->discord_shard_id, "LEANON_DISCORD_SHARD_ID");
}

void lo_config_free(lo_config *config)
{
    if (!config)
        return;
    internal *in = config->internal;
    if (in) {
        for (size_t i = 0; i < in->nlists; i++)
            lo_strings_free(&in->lists[i]);
        free(in->lists);
        json_decref(in->root);
        free(in);
    }
    lo_discord_settings_clear(&config->discord);
    for (size_t i = 0; i < config->region_count; i++)
        free(config->regions[i].where);
    free(config->regions);
    free(config->communities);
    free(config->source);
    free(config->responses_dir);
    free(config->optout_path);
    free(config);
}

const lo_community_settings *lo_config_community(const lo_config *config, const char *id)
{
    for (size_t i = 0; id && i < config->community_count; i++)
        if (strcmp(config->communities[i].id, id) == 0)
            return &config->communities[i];
    return &config->defaults;
}

int lo_config_parse_listen(const char *text, char *host, size_t host_size, int *port)
{
    const char *colon;
    const char *host_start = text;
    size_t host_len;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':')
            return -1;
        host_start = text + 1;
        host_len = (size_t)(close - host_start);
        colon = close + 1;
    } else {
        colon = strrchr(text, ':');
        if (!colon || strchr(text, ':') != colon)
            return -1;
        host_len = (size_t)(colon - text);
    }
    if (host_len == 0 || host_len >= host_size)
        return -1;
    char *end;
    errno = 0;
    long p = strtol(colon + 1, &end, 10);
    if (errno || *end || end == colon + 1 || p < 0 || p > 65535)
        return -1;
    memcpy(host, host_start, host_len);
    host[host_len] = '\0';
    *port = (int)p;
    return 0;
}

char *lo_config_secret(const char *env_name, char *err, size_t err_size)
{
    const char *value = getenv(env_name);
    if (value && *value)
        return lo_xstrdup(value);
    char file_var[256], credential[4096];
    snprintf(file_var, sizeof file_var, "%s_FILE", env_name);
    const char *file = getenv(file_var);
    const char *credentials = getenv("CREDENTIALS_DIRECTORY"); /* systemd's LoadCredential= */
    if ((!file || !*file) && credentials && *credentials == '/') {
        snprintf(credential, sizeof credential, "%s/%s", credentials, env_name);
        file = credential;
    }
    if (!file || !*file) {
        snprintf(err, err_size,
                 "set the environment variable %s, or %s to a file holding the secret (under "
                 "systemd: LoadCredential=%s:/path/to/file)",
                 env_name, file_var, env_name);
        return NULL;
    }
    size_t len;
    char *secret;
    lo_strbuf why = {0};
    if (lo_file_read(file, SECRET_MAX_BYTES, &secret, &len, &why) < 0) {
        snprintf(err, err_size, "%s", why.data);
        lo_strbuf_free(&why);
        return NULL;
    }
    if (len && secret[len - 1] == '\n')
        secret[--len] = '\0';
    if (len && secret[len - 1] == '\r')
        secret[--len] = '\0';
    if (!len) {
        snprintf(err, err_size, "%s: the secret file is empty", file);
        free(secret);
        return NULL;
    }
    return secret;
}

/* Makes every folder on the way to path's last '/' (like mkdir -p). */
static int make_parents(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(path, 0700);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

char *lo_default_optout_path(void)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char path[4096];
    int n = -1;
    const char *systemd_state = getenv("STATE_DIRECTORY"); /* StateDirectory= */
    if (systemd_state && *systemd_state == '/' && !strchr(systemd_state, ':'))
        n = snprintf(path, sizeof path, "%s/optout.sqlite", systemd_state);
    else if (state && *state == '/')
        n = snprintf(path, sizeof path, "%s/leanon/optout.sqlite", state);
    else if (home && *home == '/')
        n = snprintf(path, sizeof path, "%s/.local/state/leanon/optout.sqlite", home);
    if (n > 0 && (size_t)n < sizeof path && make_parents(path) == 0)
        return lo_xstrdup(path);
    return lo_xstrdup("leanon-optout.sqlite");
}
