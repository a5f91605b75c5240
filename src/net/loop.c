/* loop.c - one libuv loop with libwebsockets on it (lws "foreign loop").
 *
 * Why libuv and not lws's own loop: the bot needs signals, timers and, for
 * the REST platforms, libcurl's multi socket API on the same thread; libuv
 * gives all of them one owner and close callbacks, and Debian's lws 4.1 is
 * built with LWS_WITH_LIBUV (the libwebsockets-evlib-uv plugin), so lws
 * simply adds its sockets and timers to our uv loop.
 *
 * Shutdown order matters: lws_context_destroy closes lws's uv handles
 * asynchronously, so the loop keeps running until they (and our signal
 * handles) have closed; only then does uv_run return, a second
 * lws_context_destroy frees what is left, and the loop closes.
 */
#include "net/loop.h"

#include <libwebsockets.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "obs/log.h"

static const int watched_signals[] = {SIGHUP, SIGTERM, SIGINT};
#define SIGNAL_COUNT (sizeof watched_signals / sizeof watched_signals[0])

struct lo_loop {
    uv_loop_t uv;
    uv_signal_t signals[SIGNAL_COUNT];
    struct lws_context *lws;
    lo_loop_signal_fn on_signal;
    void *user;
    bool stopping;
};

static void on_uv_signal(uv_signal_t *handle, int signum)
{
    lo_loop *loop = handle->data;
    if (loop->on_signal)
        loop->on_signal(loop, signum, loop->user);
}

/* lws's own log lines go through ours; only warnings and errors, which name
 * connections and causes, never payloads. */
static void lws_to_log(int level, const char *line)
{
    char quoted[512];
    size_t len = strlen(line);
    char copy[480];
    snprintf(copy, sizeof copy, "%.*s", (int)(len && line[len - 1] == '\n' ? len - 1 : len), line);
    lo_log(level == LLL_ERR ? LO_LOG_ERROR : LO_LOG_WARN, "lws", "msg=%s",
           lo_log_quote(copy, quoted, sizeof quoted));
}

lo_loop *lo_loop_new(lo_loop_signal_fn on_signal, void *user, char *err, size_t err_size)
{
    lo_loop *loop = lo_xcalloc(1, sizeof *loop);
    loop->on_signal = on_signal;
    loop->user = user;
    if (uv_loop_init(&loop->uv) != 0) {
        snprintf(err, err_size, "cannot create the event loop");
        free(loop);
        return NULL;
    }
    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < SIGNAL_COUNT; i++) {
        uv_signal_init(&loop->uv, &loop->signals[i]);
        loop->signals[i].data = loop;
        uv_signal_start(&loop->signals[i], on_uv_signal, watched_signals[i]);
    }

    lws_set_log_level(LLL_ERR | LLL_WARN, lws_to_log);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    void *foreign_loops[1] = {&loop->uv};
    /* VALIDATE_UTF8 is read from the context's options (lws 4.1): text frames with invalid
     * UTF-8 are closed with 1007, on every websocket of the process. */
    info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_EXPLICIT_VHOSTS |
                   LWS_SERVER_OPTION_VALIDATE_UTF8;
    info.foreign_loops = foreign_loops;
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.gid = -1;
    info.uid = -1;
    info.pcontext = &loop->lws; /* lws sets it to NULL once fully destroyed */
    loop->lws = lws_create_context(&info);
    if (!loop->lws) {
        snprintf(err, err_size,
                 "cannot start libwebsockets on libuv "
                 "(is the libwebsockets-evlib-uv package installed?)");
        lo_loop_stop(loop);
        uv_run(&loop->uv, UV_RUN_DEFAULT);
        lo_loop_free(loop);
        return NULL;
    }
    return loop;
}

uv_loop_t *lo_loop_uv(lo_loop *loop)
{
    return &loop->uv;
}

struct lws_context *lo_loop_lws(lo_loop *loop)
{
    return loop->lws;
}

int lo_loop_run(lo_loop *loop)
{
    return uv_run(&loop->uv, UV_RUN_DEFAULT) < 0 ? -1 : 0;
}

void lo_loop_stop(lo_loop *loop)
{
    if (loop->stopping)
        return;
    loop->stopping = true;
    if (loop->lws)
        lws_context_destroy(loop->lws); /* first stage: closes lws's handles */
    for (size_t i = 0; i < SIGNAL_COUNT; i++) {
        uv_signal_stop(&loop->signals[i]);
        uv_close((uv_handle_t *)&loop->signals[i], NULL);
    }
}

void lo_loop_free(lo_loop *loop)
{
    if (!loop)
        return;
    if (loop->lws)
        lws_context_destroy(loop->lws); /* final stage, once the loop has run dry */
    if (uv_loop_close(&loop->uv) != 0)
        lo_log(LO_LOG_WARN, "loop.close", "reason=handles_still_open");
    free(loop);
}
