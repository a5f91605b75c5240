/* config.c - loading and checking the `leanon run` config file.
 *
 * The file is read whole, parsed by jansson (syntax errors come with its line
 * and column), then walked key by key. Every key is known: a typo is an error,
 * not a silently ignored setting. Errors found in the walk are placed with
 * lo_json_locate, so they read like jansson's: "file:line:column: what to do".
 * Any key that looks like a secret is refused with a pointer to the
 * environment, because config files get committed and pasted into chats.
 *
 * The loaded jansson tree stays alive in `internal`: settings point into it.
 */
#include "app/config.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <strings.h>

#include "app/json_locate.h"

#define MAX_DEPTH 8

typedef struct loader {
    lo_config *config;
    const char *file;
    char *text;
    size_t text_len;
    const char *path[MAX_DEPTH];
    size_t depth;
    char *err;
    size_t err_size;
    bool failed;
} loader;

typedef struct internal {
    json_t *root;
    const char **webchat_hosts;   /* platforms.webchat.allowed_hosts */
    const char **listen_arrays[]; /* flexible: one per community + defaults */
} internal;

static void fail(loader *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(loader *l, const char *fmt, ...)
{
    if (l->failed)
        return;
    l->failed = true;
    int line = 0, column = 0;
    lo_json_locate(l->text, l->text_len, l->path, l->depth, &line, &column);
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char where[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < l->depth && used < sizeof where; i++)
        used +=
            (size_t)snprintf(where + used, sizeof where - used, "%s%s", i ? "." : "", l->path[i]);
    snprintf(l->err, l->err_size, "%s:%d:%d: error: %s%s%s", l->file, line, column,
             l->depth ? where : "", l->depth ? ": " : "", what);
}

static void push(loader *l, const char *step)
{
    if (l->depth < MAX_DEPTH)
        l->path[l->depth] = step;
    l->depth++;
}

static void pop(loader *l)
{
    l->depth--;
}

static bool looks_secret(const char *key)
{
    static const char *const words[] = {"token", "secret", "password", "api_key", "apikey"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]), k = strlen(key);
        if (k >= n && strcasecmp(key + k - n, words[i]) == 0)
            return true;
    }
    return false;
}

/* Checks that every key of obj is one of allowed (NULL-terminated). */
static void only_keys(loader *l, json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *value;
    json_object_foreach (obj, key, value) {
        (void)value;
        bool known = false;
        for (size_t i = 0; allowed[i]; i++)
            known = known || strcmp(key, allowed[i]) == 0;
        if (known)
            continue;
        push(l, key);
        if (looks_secret(key))
            fail(l, "secrets are not read from the config file; name an environment variable "
                    "with \"token_env\" and set it (or <NAME>_FILE to a file holding the secret)");
        else
            fail(l, "unknown setting; the settings are described in docs/running.md");
        pop(l);
        return;
    }
}

static const char *get_string(loader *l, json_t *obj, const char *key, const char *fallback)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return fallback;
    if (!json_is_string(v) || json_string_length(v) == 0) {
        push(l, key);
        fail(l, "expected a non-empty string");
        pop(l);
        return fallback;
    }
    return json_string_value(v);
}

/* A whole number from min to max: reals (1.5, 1e30) and anything out of range are refused,
 * never truncated. */
static long long get_whole(loader *l, json_t *obj, const char *key, long long fallback,
                           long long min, long long max)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return fallback;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        push(l, key);
        fail(l, "expected a whole number from %lld to %lld", min, max);
        pop(l);
        return fallback;
    }
    return json_integer_value(v);
}

static json_t *get_object(loader *l, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (v && !json_is_object(v)) {
        push(l, key);
        fail(l, "expected an object { ... }");
        pop(l);
        return NULL;
    }
    return v;
}

/* An array of non-empty strings, as a NULL-terminated heap array of pointers
 * into the tree. */
static const char **get_strings(loader *l, json_t *obj, const char *key, size_t *count)
{
    *count = 0;
    json_t *v = json_object_get(obj, key);
    if (!v)
        return NULL;
    push(l, key);
    const char **out = NULL;
    if (!json_is_array(v)) {
        fail(l, "expected an array of strings [\"...\"]");
    } else if ((out = calloc(json_array_size(v) + 1, sizeof *out)) == NULL) {
        fail(l, "out of memory");
    } else {
        size_t i;
        json_t *item;
        json_array_foreach (v, i, item) {
            if (!json_is_string(item) || json_string_length(item) == 0) {
                char index[24];
                snprintf(index, sizeof index, "%zu", i);
                push(l, index);
                fail(l, "expected a non-empty string");
                pop(l);
                break;
            }
            out[(*count)++] = json_string_value(item);
        }
    }
    pop(l);
    return out;
}

static const char *const community_keys[] = {"region",
                                             "prefix",
                                             "listen_channels",
                                             "alert_channel",
                                             "alert_include_text",
                                             "person_cooldown_seconds",
                                             "channel_cooldown_seconds",
                                             NULL};

static bool get_bool(loader *l, json_t *obj, const char *key, bool fallback)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return fallback;
    if (!json_is_boolean(v)) {
        push(l, key);
        fail(l, "expected true or false");
        pop(l);
        return fallback;
    }
    return json_is_true(v);
}

static void load_community(loader *l, json_t *obj, const lo_community_settings *base,
                           lo_community_settings *out, const char ***listen_array)
{
    *out = *base;
    only_keys(l, obj, community_keys);
    out->region = get_string(l, obj, "region", base->region);
    out->prefix = get_string(l, obj, "prefix", base->prefix);
    out->alert_channel = get_string(l, obj, "alert_channel", base->alert_channel);
    out->alert_include_text = get_bool(l, obj, "alert_include_text", base->alert_include_text);
    out->person_cooldown = (double)get_whole(l, obj, "person_cooldown_seconds",
                                             (long long)base->person_cooldown, 0, 86400);
    out->channel_cooldown = (double)get_whole(l, obj, "channel_cooldown_seconds",
                                              (long long)base->channel_cooldown, 0, 86400);
    if (json_object_get(obj, "listen_channels")) {
        *listen_array = get_strings(l, obj, "listen_channels", &out->listen_count);
        out->listen_channels = *listen_array;
    }
}

/* The discord section; its errors point at the value of the key they name. */
static void load_discord(loader *l, json_t *section)
{
    char why[512];
    const char *key;
    if (lo_discord_settings_parse(section, &l->config->discord, &key, why, sizeof why) == 0) {
        l->config->discord_enabled = true;
        return;
    }
    size_t n = key ? strlen(key) : 0;
    if (!key || strncmp(why, key, n) != 0 || strncmp(why + n, ": ", 2) != 0) {
        fail(l, "%s (see docs/discord.md)", why);
        return;
    }
    push(l, key);
    fail(l, "%s (see docs/discord.md)", why + n + 2);
    pop(l);
}

static const char *const webchat_keys[] = {
    "allowed_origins",      "max_message_bytes",         "community",
    "allowed_hosts",        "max_connections",           "max_tabs_per_address",
    "idle_timeout_seconds", "handshake_timeout_seconds", NULL};

/* The web chat's connection limits (docs/running.md, "Limits"). */
static void load_webchat_limits(loader *l, json_t *section, const char ***hosts)
{
    lo_webchat_config *w = &l->config->webchat;
    *hosts = get_strings(l, section, "allowed_hosts", &w->host_count);
    w->allowed_hosts = *hosts;
    w->max_connections = (size_t)get_whole(l, section, "max_connections", 0, 0, 1000000);
    w->max_tabs_per_address = (size_t)get_whole(l, section, "max_tabs_per_address",
                                                LO_DEFAULT_MAX_TABS_PER_ADDRESS, 0, 1000000);
    w->idle_timeout =
        (int)get_whole(l, section, "idle_timeout_seconds", LO_DEFAULT_IDLE_TIMEOUT, 1, 86400);
    w->handshake_timeout = (int)get_whole(l, section, "handshake_timeout_seconds",
                                          LO_DEFAULT_HANDSHAKE_TIMEOUT, 1, 300);
}

static void load_platforms(loader *l, json_t *platforms, const char ***origins, const char ***hosts)
{
    lo_config *c = l->config;
    if (!platforms) {
        c->webchat.enabled = true;
        return;
    }
    const char *name;
    json_t *section;
    push(l, "platforms"); /* so errors name, and point at, platforms.<name>.<key> */
    json_object_foreach (platforms, name, section) {
        push(l, name);
        if (strcmp(name, "discord") == 0) {
            load_discord(l, section);
        } else if (strcmp(name, "webchat") != 0) {
            fail(l,
                 "the platform \"%s\" is not available in this build (available: webchat, "
                 "discord)",
                 name);
        } else if (!json_is_object(section)) {
            fail(l, "expected an object { ... }");
        } else {
            c->webchat.enabled = true;
            only_keys(l, section, webchat_keys);
            *origins = get_strings(l, section, "allowed_origins", &c->webchat.origin_count);
            c->webchat.allowed_origins = *origins;
            c->webchat.max_message_bytes = (size_t)get_whole(
                l, section, "max_message_bytes", LO_DEFAULT_MAX_MESSAGE_BYTES, 1, 65536);
            c->webchat.community = get_string(l, section, "community", "webchat");
            load_webchat_limits(l, section, hosts);
        }
        pop(l);
    }
    pop(l);
}

static const char *const top_keys[] = {
    "responses",    "optout_db", "log_level",   "listen",    "session_ttl_seconds",
    "max_sessions", "defaults",  "communities", "platforms", NULL};

static void load_document(loader *l, json_t *root, internal *in)
{
    lo_config *c = l->config;
    if (!json_is_object(root)) {
        fail(l, "the config file must be one JSON object { ... }");
        return;
    }
    only_keys(l, root, top_keys);
    const char *responses = get_string(l, root, "responses", NULL);
    const char *optout = get_string(l, root, "optout_db", NULL);
    c->responses_dir = responses ? strdup(responses) : NULL;
    c->optout_path = optout ? strdup(optout) : lo_default_optout_path();
    const char *level = get_string(l, root, "log_level", "info");
    if (lo_log_level_parse(level, &c->log_level) != 0) {
        push(l, "log_level");
        fail(l, "expected \"debug\", \"info\", \"warn\" or \"error\"");
        pop(l);
    }
    const char *listen = get_string(l, root, "listen", NULL);
    if (listen && lo_config_parse_listen(listen, c->listen_host, sizeof c->listen_host,
                                         &c->listen_port) != 0) {
        push(l, "listen");
        fail(l, "expected \"ADDRESS:PORT\", e.g. \"127.0.0.1:8080\" or \"[::1]:8080\"");
        pop(l);
    }
    c->session_ttl = (double)get_whole(l, root, "session_ttl_seconds", 1800, 60, 86400);
    c->max_sessions = (size_t)get_whole(l, root, "max_sessions", 10000, 1, 10000000);

    json_t *defaults = get_object(l, root, "defaults");
    lo_community_settings base = c->defaults;
    if (defaults) {
        push(l, "defaults");
        load_community(l, defaults, &base, &c->defaults, &in->listen_arrays[0]);
        pop(l);
    }
    json_t *communities = get_object(l, root, "communities");
    if (communities && json_object_size(communities)) {
        c->communities = calloc(json_object_size(communities), sizeof *c->communities);
        if (!c->communities) {
            fail(l, "out of memory");
            return;
        }
        push(l, "communities");
        const char *id;
        json_t *section;
        json_object_foreach (communities, id, section) {
            push(l, id);
            if (!json_is_object(section)) {
                fail(l, "expected an object { ... }");
            } else {
                lo_community_settings *s = &c->communities[c->community_count];
                load_community(l, section, &c->defaults, s,
                               &in->listen_arrays[2 + c->community_count]);
                s->id = id;
                c->community_count++;
            }
            pop(l);
        }
        pop(l);
    }
    load_platforms(l, get_object(l, root, "platforms"), &in->listen_arrays[1], &in->webchat_hosts);
}

static char *read_whole(const char *path, size_t *len, char *err, size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    char *text = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (*len + 4096 + 1 > cap) {
            cap = cap * 2 + 4096 + 1;
            char *bigger = realloc(text, cap);
            if (!bigger) {
                free(text);
                fclose(f);
                snprintf(err, err_size, "%s: out of memory", path);
                return NULL;
            }
            text = bigger;
        }
        size_t n = fread(text + *len, 1, cap - *len - 1, f);
        *len += n;
        if (n == 0)
            break;
    }
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        free(text);
        snprintf(err, err_size, "%s: cannot read", path);
        return NULL;
    }
    text[*len] = '\0';
    return text;
}

static lo_config *new_defaults(void)
{
    lo_config *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->log_level = LO_LOG_INFO;
    c->session_ttl = 1800;
    c->max_sessions = 10000;
    snprintf(c->listen_host, sizeof c->listen_host, "%s", LO_DEFAULT_LISTEN_HOST);
    c->listen_port = LO_DEFAULT_LISTEN_PORT;
    c->defaults.prefix = LO_DEFAULT_PREFIX;
    c->defaults.person_cooldown = 60;
    c->defaults.channel_cooldown = 10;
    c->webchat.max_message_bytes = LO_DEFAULT_MAX_MESSAGE_BYTES;
    c->webchat.community = "webchat";
    c->webchat.max_tabs_per_address = LO_DEFAULT_MAX_TABS_PER_ADDRESS;
    c->webchat.idle_timeout = LO_DEFAULT_IDLE_TIMEOUT;
    c->webchat.handshake_timeout = LO_DEFAULT_HANDSHAKE_TIMEOUT;
    return c;
}

lo_config *lo_config_load(const char *path, char *err, size_t err_size)
{
    lo_config *c = new_defaults();
    if (!c) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    if (!path) {
        c->webchat.enabled = true;
        c->optout_path = lo_default_optout_path();
        return c;
    }
    c->source = strdup(path);
    loader l = {.config = c, .file = path, .err = err, .err_size = err_size};
    l.text = read_whole(path, &l.text_len, err, err_size);
    if (!l.text) {
        lo_config_free(c);
        return NULL;
    }
    json_error_t jerr;
    json_t *root = json_loadb(l.text, l.text_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(err, err_size, "%s:%d:%d: error: %s", path, jerr.line, jerr.column, jerr.text);
        free(l.text);
        lo_config_free(c);
        return NULL;
    }
    json_t *communities = json_is_object(root) ? json_object_get(root, "communities") : NULL;
    size_t slots = 2 + (json_is_object(communities) ? json_object_size(communities) : 0);
    internal *in = calloc(1, sizeof *in + slots * sizeof in->listen_arrays[0]);
    if (!in) {
        json_decref(root);
        free(l.text);
        lo_config_free(c);
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    in->root = root;
    c->internal = in;
    load_document(&l, root, in);
    free(l.text);
    if (l.failed || !c->optout_path) {
        if (!l.failed)
            snprintf(err, err_size, "out of memory");
        lo_config_free(c);
        return NULL;
    }
    return c;
}

void lo_config_free(lo_config *config)
{
    if (!config)
        return;
    internal *in = config->internal;
    if (in) {
        size_t slots = 2 + config->community_count;
        for (size_t i = 0; i < slots; i++)
            free(in->listen_arrays[i]);
        free(in->webchat_hosts);
        json_decref(in->root);
        free(in);
    }
    lo_discord_settings_clear(&config->discord);
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
        return strdup(value);
    char file_var[256];
    snprintf(file_var, sizeof file_var, "%s_FILE", env_name);
    const char *file = getenv(file_var);
    if (!file || !*file) {
        snprintf(err, err_size,
                 "set the environment variable %s, or %s to a file holding the secret", env_name,
                 file_var);
        return NULL;
    }
    size_t len;
    char *secret = read_whole(file, &len, err, err_size);
    if (!secret)
        return NULL;
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
    if (state && *state == '/')
        n = snprintf(path, sizeof path, "%s/leanon/optout.sqlite", state);
    else if (home && *home == '/')
        n = snprintf(path, sizeof path, "%s/.local/state/leanon/optout.sqlite", home);
    if (n > 0 && (size_t)n < sizeof path && make_parents(path) == 0)
        return strdup(path);
    return strdup("leanon-optout.sqlite");
}
