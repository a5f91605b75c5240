/* run.c - `leanon run`: the long-running bot.
 *
 * Loads the config and the response set, opens the opt-out store (the sqlite
 * file, refusing a damaged one, or PostgreSQL shared with other processes;
 * purging expired web chat ids then and hourly), starts the
 * web chat (and /healthz, /metrics) on the one loop, and runs until SIGTERM
 * or SIGINT. SIGHUP, or a change to a *.json file under the responses folder
 * (debounced), reloads the response set; a set with errors is refused and
 * the last good one stays, with the reason logged. On SIGTERM/SIGINT the
 * bot stops taking messages, gives queued replies (and opt-outs queued for
 * PostgreSQL) up to DRAIN_SECONDS to go out, closes everything and exits 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "app/app.h"
#include "app/config.h"
#include "app/region_check.h"
#include "app/service_notify.h"
#include "app/state_dir.h"
#include "bot/bot.h"
#include "bot/optout_pg.h"
#include "common/buf.h"
#include "net/loop.h"
#include "net/watch.h"
#include "obs/log.h"
#include "obs/metrics.h"
#include "platforms/discord.h"
#include "platforms/webchat.h"
#include "obs/clock.h"

#define DRAIN_SECONDS 5.0
#define DRAIN_CHECK_MS 20
#define RELOAD_DEBOUNCE_MS 300
#define OPTOUT_PURGE_MS (3600 * UINT64_C(1000))

typedef struct runner {
    lo_config *config;
    const char *responses_dir;
    lo_metrics *metrics;
    lo_optout *optouts;
    lo_bot *bot;
    lo_loop *loop;
    lo_webchat *webchat;
    lo_discord *discord; /* when the config has a discord section */
    char *discord_token;
    lo_watch *watch;
    uv_timer_t drain_timer;
    uv_timer_t purge_timer;   /* expires web chat opt-outs (also done at open) */
    lo_service_notify notify; /* systemd: READY, RELOADING, STOPPING, WATCHDOG */
    bool draining;
    double drain_deadline;
} runner;

/* The command line of leanon run. */
typedef struct run_args {
    const char *config_path, *responses;
    lo_config_overrides over;
    bool check; /* --check: validate everything, start nothing */
} run_args;

static void usage(FILE *out)
{
    fputs("usage: leanon run [--config FILE] [--listen ADDR:PORT] [--responses DIR]\n"
          "                  [--region CC] [--log-format logfmt|json] [--check]\n"
          "  serves the web chat on http://127.0.0.1:8080 unless configured otherwise;\n"
          "  SIGHUP reloads the responses, SIGTERM/SIGINT stop. --check validates the config,\n"
          "  the responses and every platform section, then exits (0: all good) without\n"
          "  starting anything. LEANON_CONFIG, LEANON_LISTEN, LEANON_REGION, LEANON_LOG_LEVEL,\n"
          "  LEANON_LOG_FORMAT and LEANON_OPTOUT_DB override the config; LEANON_PG_DSN (or\n"
          "  LEANON_PG_DSN_FILE) is the connection string of \"store\": \"postgresql\".\n"
          "  See man leanon.\n",
          out);
}

/* Every region the config names must be one the response set defines: NULL, or a new
 * "where: error: why" for the first that is not. */
static char *unknown_region(const lo_config *c, const lo_engine *engine)
{
    for (size_t i = 0; i < c->region_count; i++) {
        char *why = lo_region_unknown(engine, c->regions[i].code);
        if (why) {
            lo_strbuf text = {0};
            lo_strbuf_addf(&text, "%s: error: %s", c->regions[i].where, why);
            free(why);
            return lo_strbuf_take(&text);
        }
    }
    return NULL;
}

/* Loads a response set, logging why when it is refused. */
static lo_engine *load_responses(const char *dir)
{
    lo_diags *diags = lo_diags_new();
    lo_engine *engine = lo_engine_load(dir, diags);
    if (!engine) {
        char quoted_dir[512], first[512] = "";
        for (size_t i = 0; i < lo_diags_count(diags); i++) {
            const lo_diag *d = lo_diags_at(diags, i);
            if (d->severity != LO_DIAG_ERROR)
                continue;
            char where[1024];
            snprintf(where, sizeof where, "%s:%d:%d: %s", d->file ? d->file : dir, d->line,
                     d->column, d->message);
            lo_log_quote(where, first, sizeof first);
            break;
        }
        lo_log(LO_LOG_ERROR, "responses.refused", "dir=%s errors=%zu first=%s",
               lo_log_quote(dir, quoted_dir, sizeof quoted_dir), lo_diags_errors(diags), first);
    }
    lo_diags_free(diags);
    return engine;
}

static void reload(runner *r, const char *cause)
{
    lo_log(LO_LOG_INFO, "reload.start", "cause=%s", cause);
    lo_service_reloading();
    lo_engine *engine = load_responses(r->responses_dir);
    char *region_error = engine ? unknown_region(r->config, engine) : NULL;
    if (region_error) { /* the edited set dropped a region the config uses */
        char quoted[768];
        lo_log(LO_LOG_ERROR, "responses.refused", "first=%s",
               lo_log_quote(region_error, quoted, sizeof quoted));
        free(region_error);
        lo_engine_free(engine);
        engine = NULL;
    }
    if (!engine) {
        lo_metrics_add(r->metrics, LO_METRIC_RELOADS, "refused", 1);
        lo_log(LO_LOG_WARN, "reload.refused", "kept=last_good_set");
        lo_service_reloaded();
        return;
    }
    size_t rules = lo_engine_rule_count(engine);
    lo_bot_set_engine(r->bot, engine);
    lo_metrics_add(r->metrics, LO_METRIC_RELOADS, "ok", 1);
    lo_log(LO_LOG_INFO, "reload.ok", "rules=%zu", rules);
    lo_service_reloaded();
}

static void finish_drain(runner *r)
{
    lo_discord_free(r->discord); /* its handles close while the loop winds down */
    r->discord = NULL;
    uv_timer_stop(&r->drain_timer);
    uv_close((uv_handle_t *)&r->drain_timer, NULL);
    uv_timer_stop(&r->purge_timer);
    uv_close((uv_handle_t *)&r->purge_timer, NULL);
    lo_service_stopping(&r->notify);
    lo_log(LO_LOG_INFO, "stopping", "unsent=%zu optouts_unsaved=%zu",
           r->webchat ? lo_webchat_pending(r->webchat) : 0, lo_optout_pending(r->optouts));
    lo_optout_stop(r->optouts);
    lo_webchat_stop(r->webchat);
    lo_loop_stop(r->loop);
}

static void on_drain_tick(uv_timer_t *timer)
{
    runner *r = timer->data;
    size_t pending = (r->webchat ? lo_webchat_pending(r->webchat) : 0) +
                     (r->discord ? lo_discord_pending(r->discord) : 0) +
                     lo_optout_pending(r->optouts);
    if (pending == 0 || lo_monotonic_seconds() >= r->drain_deadline)
        finish_drain(r);
}

static void on_purge_tick(uv_timer_t *timer)
{
    runner *r = timer->data;
    int purged = lo_optout_purge(r->optouts);
    if (purged < 0) {
        char reason[128];
        lo_metrics_add(r->metrics, LO_METRIC_ERRORS, "optout_store", 1);
        lo_log(LO_LOG_ERROR, "optout.purge_failed", "reason=%s",
               lo_log_quote(lo_optout_error(r->optouts), reason, sizeof reason));
    } else if (purged > 0) {
        lo_log(LO_LOG_INFO, "optout.purged", "expired=%d", purged);
    }
}

static void on_signal(lo_loop *loop, int signum, void *user)
{
    (void)loop;
    runner *r = user;
    if (signum == SIGHUP) {
        reload(r, "SIGHUP");
        return;
    }
    if (r->draining)
        return;
    r->draining = true;
    lo_log(LO_LOG_INFO, "drain.start", "signal=%s", signum == SIGTERM ? "SIGTERM" : "SIGINT");
    lo_service_stopping(&r->notify);
    if (r->webchat)
        lo_webchat_drain(r->webchat);
    lo_discord_stop(r->discord);
    lo_watch_stop(r->watch);
    r->watch = NULL;
    r->drain_deadline = lo_monotonic_seconds() + DRAIN_SECONDS;
    uv_timer_start(&r->drain_timer, on_drain_tick, 0, DRAIN_CHECK_MS);
}

static void on_responses_changed(void *user)
{
    reload(user, "file_change");
}

static int on_webchat_message(void *user, const lo_message *msg, lo_reply *reply, char *undo,
                              size_t undo_size)
{
    runner *r = user;
    const lo_community_settings *community = lo_config_community(r->config, msg->community);
    lo_verdict verdict = lo_bot_handle(r->bot, community, msg, lo_monotonic_seconds(), reply);
    lo_bot_opted_out_notice(community, msg, verdict, reply, undo, undo_size);
    return verdict == LO_VERDICT_ANSWER;
}

/* The regions of the loaded set a person may choose in the web chat (all but "international",
 * the lines of no region, which everybody gets without choosing). */
static json_t *webchat_regions(void *user)
{
    runner *r = user;
    const lo_engine *engine = lo_bot_engine(r->bot);
    json_t *regions = lo_xcheck(json_array());
    for (size_t i = 0; i < lo_engine_region_count(engine); i++) {
        const char *code = lo_engine_region_code(engine, i);
        if (strcmp(code, "international") != 0)
            json_array_append_new(regions, json_pack("{s:s, s:s}", "code", code, "name",
                                                     lo_engine_region_name(engine, i)));
    }
    return regions;
}

/* A Discord message or /leanon invocation: the bot answers it as any other. A slash command is
 * the prefix command of the same name ("/leanon start" = "!leanon start"), so the bot's own
 * commands reach it in servers too; "/leanon stop", described as stopping leanon everywhere, is
 * "!leanon opt out", so it opts out even inside a flow (where "!leanon stop" ends the flow). */
static int on_discord_message(void *user, const lo_message *msg, const char *command,
                              lo_discord_answer *answer)
{
    runner *r = user;
    const lo_community_settings *community = lo_config_community(r->config, msg->community);
    lo_message asked = *msg;
    char *text = NULL;
    if (command) {
        const char *prefix = community->prefix ? community->prefix : LO_DEFAULT_PREFIX;
        size_t size = strlen(prefix) + 1 + msg->text_len + 1 + 4; /* "stop" -> "opt out" */
        text = lo_xcalloc(1, size);
        bool stop = msg->text_len == 4 && strncmp(msg->text, "stop", 4) == 0;
        snprintf(text, size, "%s %s", prefix, stop ? "opt out" : msg->text);
        asked.text = text;
        asked.text_len = strlen(text);
    }
    lo_command parsed;
    answer->unaddressed =
        lo_policy_addressing(community, &asked, NULL, &parsed) == LO_ADDRESSED_LISTEN;
    answer->alert_channel = community->alert_channel;
    answer->alert_with_text = community->alert_include_text;
    int answered = lo_bot_handle(r->bot, community, &asked, lo_monotonic_seconds(),
                                 &answer->reply) == LO_VERDICT_ANSWER;
    free(text);
    return answered;
}

static void release_discord_answer(void *user, lo_discord_answer *answer)
{
    (void)user;
    lo_reply_clear(&answer->reply);
}

static void on_discord_fatal(void *user, const char *message)
{
    (void)user;
    char quoted[768];
    lo_log(LO_LOG_ERROR, "discord.stopped", "reason=%s",
           lo_log_quote(message, quoted, sizeof quoted));
    fprintf(stderr, "leanon run: discord: %s\n", message);
}

static void on_discord_log(void *user, lo_discord_log_level level, const char *event,
                           const char *detail)
{
    (void)user;
    lo_log(level == LO_DISCORD_ERROR  ? LO_LOG_ERROR
           : level == LO_DISCORD_WARN ? LO_LOG_WARN
                                      : LO_LOG_INFO,
           event, "%s", detail);
}

/* Starts the Discord platform when configured; 0, or 1 with the reason printed. */
static int start_discord(runner *r)
{
    lo_config *c = r->config;
    if (!c->discord_enabled)
        return 0;
    char err[512];
    r->discord_token = lo_config_secret(c->discord.token_env, err, sizeof err);
    if (!r->discord_token) {
        fprintf(stderr, "leanon run: discord: %s (see docs/discord.md)\n", err);
        return 1;
    }
    lo_discord_options options = {
        .loop = lo_loop_uv(r->loop),
        .token = r->discord_token,
        .version = LEANON_VERSION,
        .on_message = on_discord_message,
        .release = release_discord_answer,
        .on_fatal = on_discord_fatal,
        .log = on_discord_log,
        .user = r,
        .metrics = r->metrics,
    };
    lo_discord_settings_apply(&c->discord, &options);
    r->discord = lo_discord_start(&options, err, sizeof err);
    if (!r->discord) {
        fprintf(stderr, "leanon run: %s\n", err);
        return 1;
    }
    return 0;
}

/* The option at argv[i] that takes a value: where its value goes, or NULL. */
static const char **value_slot(run_args *a, const char *arg)
{
    lo_config_setting *setting = strcmp(arg, "--listen") == 0       ? &a->over.listen
                                 : strcmp(arg, "--region") == 0     ? &a->over.region
                                 : strcmp(arg, "--log-format") == 0 ? &a->over.log_format
                                                                    : NULL;
    if (setting) {
        setting->origin = arg;
        return &setting->value;
    }
    return strcmp(arg, "--config") == 0      ? &a->config_path
           : strcmp(arg, "--responses") == 0 ? &a->responses
                                             : NULL;
}

/* Parses the options, then takes what they leave unset from the environment; returns 0, or the
 * exit code to leave with (-1: --help, exit 0). */
static int parse_args(int argc, char **argv, run_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return -1;
        }
        if (strcmp(arg, "--check") == 0) {
            a->check = true;
            continue;
        }
        const char **target = value_slot(a, arg);
        if (!target || i + 1 >= argc) {
            fprintf(stderr, "leanon run: %s \"%s\"\n",
                    target ? "missing value after" : "unknown option", arg);
            usage(stderr);
            return 2;
        }
        *target = argv[++i];
    }
    const char *config_env = getenv("LEANON_CONFIG");
    if (!a->config_path && config_env && *config_env)
        a->config_path = config_env;
    lo_config_overrides_from_env(&a->over);
    return 0;
}

/* Loads the response set and checks the config against it and the state folder: the engine, or
 * NULL with the reason printed. */
static lo_engine *load_checked(runner *r)
{
    lo_engine *engine = load_responses(r->responses_dir);
    if (!engine) {
        fprintf(stderr, "leanon run: the response set in %s has errors; run `leanon check`\n",
                r->responses_dir);
        return NULL;
    }
    char err[1536];
    char *region_error = unknown_region(r->config, engine);
    if (region_error) {
        fprintf(stderr, "%s\n", region_error);
        free(region_error);
        lo_engine_free(engine);
        return NULL;
    }
    if (r->config->store == LO_STORE_SQLITE &&
        lo_state_dir_check(r->config->optout_path, err, sizeof err) != 0) {
        fprintf(stderr, "leanon run: %s\n", err);
        lo_engine_free(engine);
        return NULL;
    }
    return engine;
}

/* --check: everything start() would refuse, without opening a socket or the store: 0 or 1. */
static int check_only(runner *r)
{
    lo_engine *engine = load_checked(r);
    if (!engine)
        return 1;
    size_t rules = lo_engine_rule_count(engine);
    lo_engine_free(engine);
    lo_config *c = r->config;
    if (c->discord_enabled) {
        char err[512];
        char *token = lo_config_secret(c->discord.token_env, err, sizeof err);
        if (!token) {
            fprintf(stderr, "leanon run: discord: %s (see docs/discord.md)\n", err);
            return 1;
        }
        memset(token, 0, strlen(token));
        free(token);
    }
    printf("leanon run --check: %s is valid: %zu rules from %s, listen %s:%d, opt-out store %s, "
           "platforms:%s%s; nothing was started\n",
           c->source ? c->source : "the default config", rules, r->responses_dir, c->listen_host,
           c->listen_port,
           c->store == LO_STORE_SQLITE ? c->optout_path : "postgresql (" LO_PG_DSN_ENV ")",
           c->webchat.enabled ? " webchat" : "", c->discord_enabled ? " discord" : "");
    return 0;
}

/* The store the config names, on the loop: NULL with the reason in err. */
static lo_optout *open_store(runner *r, char *err, size_t err_size)
{
    if (r->config->store == LO_STORE_SQLITE)
        return lo_optout_open(r->config->optout_path, NULL, err, err_size);
    char *dsn = lo_config_secret(LO_PG_DSN_ENV, err, err_size);
    if (!dsn)
        return NULL;
    lo_optout *store = lo_optout_open_pg(lo_loop_uv(r->loop), dsn, NULL, err, err_size);
    memset(dsn, 0, strlen(dsn));
    free(dsn);
    if (store)
        lo_log(LO_LOG_INFO, "optout.store", "kind=postgresql connecting=1");
    return store;
}

static int start(runner *r)
{
    char err[1536];
    lo_config *c = r->config;
    lo_engine *engine = load_checked(r);
    if (!engine)
        return 1;
    size_t rules = lo_engine_rule_count(engine);
    r->loop = lo_loop_new(on_signal, r, err, sizeof err);
    if (!r->loop) {
        lo_engine_free(engine);
        fprintf(stderr, "leanon run: %s\n", err);
        return 1;
    }
    r->optouts = open_store(r, err, sizeof err);
    if (!r->optouts) {
        lo_engine_free(engine);
        fprintf(stderr, "leanon run: %s\n", err);
        lo_loop_stop(r->loop);
        lo_loop_run(r->loop);
        return 1;
    }
    lo_sessions_limits limits = {.ttl_seconds = c->session_ttl, .max_sessions = c->max_sessions};
    r->bot = lo_bot_new(engine, r->optouts, r->metrics, &limits, NULL);
    lo_metrics_declare(r->metrics, LO_METRIC_RELOADS, "ok");
    lo_metrics_declare(r->metrics, LO_METRIC_RELOADS, "refused");
    uv_timer_init(lo_loop_uv(r->loop), &r->drain_timer);
    r->drain_timer.data = r;
    lo_webchat_options web = {
        .host = c->listen_host,
        .port = c->listen_port,
        .serve_chat = c->webchat.enabled,
        .allowed_origins = c->webchat.allowed_origins,
        .origin_count = c->webchat.origin_count,
        .max_message_chars = c->webchat.max_message_chars,
        .allowed_hosts = c->webchat.allowed_hosts,
        .host_count = c->webchat.host_count,
        .max_connections = c->webchat.max_connections,
        .max_tabs_per_address = c->webchat.max_tabs_per_address,
        .trusted_proxies = c->webchat.trusted_proxies,
        .trusted_proxy_count = c->webchat.proxy_count,
        .idle_timeout = c->webchat.idle_timeout,
        .handshake_timeout = c->webchat.handshake_timeout,
        .community = c->webchat.community,
        .on_message = on_webchat_message,
        .release_reply = lo_reply_clear,
        .regions = webchat_regions,
        .user = r,
        .metrics = r->metrics,
    };
    r->webchat = lo_webchat_start(r->loop, &web, err, sizeof err);
    if (!r->webchat) {
        fprintf(stderr, "leanon run: %s\n", err);
        uv_close((uv_handle_t *)&r->drain_timer, NULL);
        lo_optout_stop(r->optouts);
        lo_loop_stop(r->loop);
        lo_loop_run(r->loop);
        return 1;
    }
    if (start_discord(r) != 0) {
        lo_webchat_stop(r->webchat);
        uv_close((uv_handle_t *)&r->drain_timer, NULL);
        lo_optout_stop(r->optouts);
        lo_loop_stop(r->loop);
        lo_loop_run(r->loop);
        return 1;
    }
    uv_timer_init(lo_loop_uv(r->loop), &r->purge_timer);
    r->purge_timer.data = r;
    uv_timer_start(&r->purge_timer, on_purge_tick, OPTOUT_PURGE_MS, OPTOUT_PURGE_MS);
    r->watch = lo_watch_start(lo_loop_uv(r->loop), r->responses_dir, RELOAD_DEBOUNCE_MS,
                              on_responses_changed, r, err, sizeof err);
    if (!r->watch) {
        char quoted[600];
        lo_log(LO_LOG_WARN, "watch.unavailable", "reason=%s reload=SIGHUP_only",
               lo_log_quote(err, quoted, sizeof quoted));
    }
    bool v6 = strchr(c->listen_host, ':') != NULL;
    lo_log(LO_LOG_INFO, "listening",
           "url=http://%s%s%s:%d/ port=%d chat=%s rules=%zu max_connections=%zu", v6 ? "[" : "",
           c->listen_host, v6 ? "]" : "", lo_webchat_port(r->webchat), lo_webchat_port(r->webchat),
           c->webchat.enabled ? "on" : "off", rules, lo_webchat_max_connections(r->webchat));
    char status[160];
    snprintf(status, sizeof status, "serving on %s%s%s:%d, %zu rules", v6 ? "[" : "",
             c->listen_host, v6 ? "]" : "", lo_webchat_port(r->webchat), rules);
    lo_service_ready(&r->notify, lo_loop_uv(r->loop), status);
    return 0;
}

/* Raises the soft descriptor limit to the hard one, as servers do: each web
 * chat tab holds three descriptors (its socket and the relay's pair). */
static void raise_descriptor_limit(void)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == limit.rlim_max)
        return;
    rlim_t was = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) == 0)
        lo_log(LO_LOG_INFO, "descriptors.raised", "from=%llu to=%llu", (unsigned long long)was,
               (unsigned long long)limit.rlim_cur);
}

int lo_cmd_run(int argc, char **argv)
{
    run_args args;
    int rc = parse_args(argc, argv, &args);
    if (rc)
        return rc < 0 ? 0 : rc;
    runner r;
    memset(&r, 0, sizeof r);
    char err[768];
    r.config = lo_config_load_with(args.config_path, &args.over, err, sizeof err);
    if (!r.config) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    lo_log_set_level(r.config->log_level);
    lo_log_set_format(r.config->log_format);
    r.responses_dir = args.responses            ? args.responses
                      : r.config->responses_dir ? r.config->responses_dir
                                                : lo_default_responses_dir();
    if (args.check) {
        rc = check_only(&r);
        lo_config_free(r.config);
        return rc;
    }
    raise_descriptor_limit();
    r.metrics = lo_metrics_new();
    rc = start(&r);
    if (rc == 0) {
        rc = lo_loop_run(r.loop) == 0 ? 0 : 1;
        lo_log(LO_LOG_INFO, "stopped", "exit=%d", rc);
    }
    lo_webchat_free(r.webchat);
    if (r.discord_token) {
        memset(r.discord_token, 0, strlen(r.discord_token));
        free(r.discord_token);
    }
    if (r.loop)
        lo_loop_free(r.loop);
    lo_bot_free(r.bot);
    lo_optout_close(r.optouts);
    lo_metrics_free(r.metrics);
    lo_config_free(r.config);
    return rc;
}
