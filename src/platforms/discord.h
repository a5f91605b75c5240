/* discord.h - the Discord platform: gateway connections (one per shard) on lo_ws and REST calls
 * on lo_http, both on the caller's libuv loop.
 *
 * Like every platform it has four entry points: start (here lo_discord_start), on_frame (each
 * gateway frame, inside), send_reply (each answer, inside) and stop (lo_discord_stop). It knows
 * nothing of matching: each message from a person, and each /leanon invocation, goes to
 * on_message, which answers synchronously; the platform sends the answer: split under 2,000
 * characters, as a reply to the person's message (or as the interaction's answer, ephemeral for
 * helpline, stop, start and crisis answers), then the moderators' alert when the reply asks for
 * one. Neither the token, an interaction token nor message text ever reaches the log hook.
 */
#ifndef LEANON_PLATFORMS_DISCORD_H
#define LEANON_PLATFORMS_DISCORD_H

#include <stdbool.h>
#include <stddef.h>

#include <uv.h>

#include "net/backoff.h"
#include "leanon/message.h"
#include "obs/metrics.h"

#define LO_DISCORD_DEFAULT_USER_AGENT_URL "https://github.com/leanon/leanon"

/* What on_message fills in when the bot answers. */
typedef struct lo_discord_answer {
    lo_reply reply;
    /* The bot answered only because the channel is a listen channel (a crisis nobody addressed
     * to it): the public reply stays short and offers to continue in DMs. */
    bool unaddressed;
    const char *alert_channel; /* the community's moderators' channel id, or NULL */
    bool alert_with_text;      /* the community chose to quote the person's words in alerts */
} lo_discord_answer;

/* Returns 1 with answer filled when the bot answers, 0 when it stays quiet, -1 on an internal
 * error. command is the /leanon subcommand ("helpline") for a slash command, else NULL; the
 * message text is then the subcommand and its words. A filled answer goes back to release. */
typedef int (*lo_discord_message_fn)(void *user, const lo_message *msg, const char *command,
                                     lo_discord_answer *answer);
typedef void (*lo_discord_release_fn)(void *user, lo_discord_answer *answer);

typedef enum lo_discord_log_level {
    LO_DISCORD_INFO,
    LO_DISCORD_WARN,
    LO_DISCORD_ERROR
} lo_discord_log_level;
/* event is a short name ("gateway.ready"); detail is key=value text without secrets or text. */
typedef void (*lo_discord_log_fn)(void *user, lo_discord_log_level level, const char *event,
                                  const char *detail);
/* The platform stopped for good (bad token, disallowed intents...): message tells the host what
 * to do. */
typedef void (*lo_discord_fatal_fn)(void *user, const char *message);

typedef struct lo_discord_options {
    uv_loop_t *loop;
    const char *token;              /* the bot token (from LEANON_DISCORD_TOKEN[_FILE]); copied */
    const char *api_base;           /* NULL = https://discord.com/api/v10 */
    const char *gateway_url;        /* NULL = the URL GET /gateway/bot names */
    const char *ca_file;            /* NULL = the system's CA store */
    const char *user_agent_url;     /* NULL = LO_DISCORD_DEFAULT_USER_AGENT_URL */
    const char *version;            /* for the User-Agent; NULL = "0" */
    bool shard_auto;                /* run every shard /gateway/bot recommends, in this process */
    unsigned shard_id, shard_count; /* else this one shard (count 0 = 1) */
    const char *const *command_guilds; /* register /leanon in these guilds; none = globally */
    size_t command_guild_count;
    lo_discord_message_fn on_message;
    lo_discord_release_fn release;
    lo_discord_fatal_fn on_fatal; /* may be NULL */
    lo_discord_log_fn log;        /* may be NULL */
    void *user;
    /* may be NULL: connections (gauge), reconnects, rate-limit waits and send errors, labelled
     * "discord" */
    lo_metrics *metrics;
    /* for tests: the random source (heartbeat jitter, op 9 pause, backoff) and reconnect delays */
    const lo_rng *rng;
    lo_backoff_policy reconnect_backoff; /* gateway reconnects and GET /gateway/bot retries after
                                            the REST client's own; all zero = the defaults */
    lo_backoff_policy retry_backoff;     /* all zero = the REST client's default */
    unsigned global_per_second;          /* REST sends per second, all routes; 0 = 45 */
} lo_discord_options;

typedef struct lo_discord_stats {
    unsigned messages_in;  /* MESSAGE_CREATE from people */
    unsigned commands_in;  /* /leanon invocations */
    unsigned replies_sent; /* REST sends answered 2xx (pieces, interaction answers, alerts) */
    unsigned replies_failed;
    unsigned replies_skipped; /* not sent: the channel refused the bot minutes ago */
    unsigned alerts_sent;
    unsigned identifies, resumes, zombies, reconnects;
} lo_discord_stats;

typedef struct lo_discord lo_discord;

/* Starts: GET /gateway/bot, then the shards' gateway connections, then /leanon registration
 * once READY names the application. NULL with the reason in err when the options are unusable. */
lo_discord *lo_discord_start(const lo_discord_options *options, char *err, size_t err_size);

/* Closes the gateway connections (code 1000) and takes no new messages; queued replies still go. */
void lo_discord_stop(lo_discord *discord);

/* REST calls accepted and not yet finished (for draining before exit). */
size_t lo_discord_pending(const lo_discord *discord);

lo_discord_stats lo_discord_stats_of(const lo_discord *discord);

/* Frees everything; memory goes once the loop has run the handles' close callbacks. */
void lo_discord_free(lo_discord *discord);

#endif
