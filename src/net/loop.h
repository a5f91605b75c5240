/* loop.h - the one event loop: libuv, with libwebsockets running on it.
 *
 * Everything the bot does happens in callbacks of this loop on one thread.
 * The loop owns the lws context (explicit vhosts: each platform that listens
 * creates its own) and turns SIGHUP, SIGTERM and SIGINT into a callback.
 */
#ifndef LEANON_NET_LOOP_H
#define LEANON_NET_LOOP_H

#include <stddef.h>
#include <uv.h>

struct lws_context;
typedef struct lo_loop lo_loop;

/* Called on the loop thread for SIGHUP, SIGTERM or SIGINT. */
typedef void (*lo_loop_signal_fn)(lo_loop *loop, int signum, void *user);

/* Creates the loop and the lws context on it. NULL with a reason in err. */
lo_loop *lo_loop_new(lo_loop_signal_fn on_signal, void *user, char *err, size_t err_size);
uv_loop_t *lo_loop_uv(lo_loop *loop);
struct lws_context *lo_loop_lws(lo_loop *loop);

/* Runs until lo_loop_stop has been called and every handle has closed. */
int lo_loop_run(lo_loop *loop);
/* Destroys the lws context (closing its connections) and the signal
 * handles; lo_loop_run returns once they are closed. Idempotent. */
void lo_loop_stop(lo_loop *loop);
/* Frees a loop whose run has returned (or never started). */
void lo_loop_free(lo_loop *loop);

#endif
