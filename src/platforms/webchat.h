/* webchat.h - the built-in web chat: an HTTP server for the chat page, a
 * websocket endpoint (/chat) for its conversations, and /healthz, /metrics.
 *
 * Each websocket connection (each browser tab) is one conversation: its
 * messages arrive as lo_message with is_dm set and the connection's random id
 * as channel and author. The platform knows nothing of the engine: it hands
 * each message to on_message and sends back the reply it gets.
 */
#ifndef LEANON_PLATFORMS_WEBCHAT_H
#define LEANON_PLATFORMS_WEBCHAT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "leanon/message.h"
#include "net/loop.h"
#include "obs/metrics.h"

/* Returns 1 with reply filled when the bot answers, 0 when it stays quiet,
 * -1 on an internal error. A filled reply is given back to release_reply.
 * undo comes empty; when the person is opted out after this message (the bot
 * will not answer this browser), the callback writes into it the words that
 * undo it ("start"), and the page is told so. */
typedef int (*lo_webchat_message_fn)(void *user, const lo_message *msg, lo_reply *reply, char *undo,
                                     size_t undo_size);
typedef void (*lo_webchat_release_fn)(lo_reply *reply);
/* The regions a person may choose crisis lines for, as a new JSON array of
 * {"code","name"} (the hello frame carries it), or NULL for none. */
typedef json_t *(*lo_webchat_regions_fn)(void *user);

typedef struct lo_webchat_options {
    const char *host;                   /* address to bind, e.g. "127.0.0.1" */
    int port;                           /* 0 = any free port (see lo_webchat_port) */
    bool serve_chat;                    /* false: only /healthz and /metrics */
    const char *const *allowed_origins; /* besides the page's own origin */
    size_t origin_count;
    const char *const *allowed_hosts; /* Host names served besides the listen address, localhost */
    size_t host_count;
    size_t max_connections;      /* open sockets at most; 0 = from RLIMIT_NOFILE */
    size_t max_tabs_per_address; /* websocket tabs per client address; 0 = no cap */
    /* Proxies (addresses or CIDR networks, forwarded.h) whose X-Forwarded-For names the client
     * the per-address cap counts; none: every peer is its own client. */
    const char *const *trusted_proxies;
    size_t trusted_proxy_count;
    int idle_timeout;         /* seconds a tab may stay without a message */
    int handshake_timeout;    /* seconds for a request head, or a begun message */
    size_t max_message_chars; /* longest message text accepted, in characters (code points) */
    const char *community;    /* community id of its messages */
    lo_webchat_message_fn on_message;
    lo_webchat_release_fn release_reply;
    lo_webchat_regions_fn regions; /* NULL: no region selector */
    void *user;
    lo_metrics *metrics;
} lo_webchat_options;

typedef struct lo_webchat lo_webchat;

/* Starts listening on the loop. NULL with a reason in err. The options'
 * strings must outlive the web chat. */
lo_webchat *lo_webchat_start(lo_loop *loop, const lo_webchat_options *opts, char *err,
                             size_t err_size);
/* The port actually bound. */
int lo_webchat_port(const lo_webchat *chat);
/* The cap on open sockets in force (max_connections, or the one derived from
 * RLIMIT_NOFILE). */
size_t lo_webchat_max_connections(const lo_webchat *chat);
/* Stops taking new connections and messages; queued replies still go out. */
void lo_webchat_drain(lo_webchat *chat);
/* Replies queued and not yet written to their sockets. */
size_t lo_webchat_pending(const lo_webchat *chat);
/* Closes the listening socket; call before stopping the loop. */
void lo_webchat_stop(lo_webchat *chat);
/* Frees the web chat after its loop has stopped (the lws context, which
 * owns the sockets, is gone by then). */
void lo_webchat_free(lo_webchat *chat);

#endif
