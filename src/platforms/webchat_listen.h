/* webchat_listen.h - the web chat's listening socket, accepted on the uv loop.
 *
 * The web chat accepts its own connections (and hands them to lws) so that it
 * can back off when the process is out of descriptors: on EMFILE, ENFILE,
 * ENOBUFS or ENOMEM the listener is paused and retried on a timer instead of
 * spinning on a socket that stays readable.
 */
#ifndef LEANON_PLATFORMS_WEBCHAT_LISTEN_H
#define LEANON_PLATFORMS_WEBCHAT_LISTEN_H

#include <stddef.h>
#include <uv.h>

/* A new connection (non-blocking, close-on-exec); the callee owns fd. */
typedef void (*lo_listen_accept_fn)(void *user, int fd);

typedef struct lo_listener lo_listener;

/* Binds host:port (port 0: any free one) and starts accepting. NULL with a
 * reason in err. */
lo_listener *lo_listener_start(uv_loop_t *loop, const char *host, int port, lo_listen_accept_fn fn,
                               void *user, char *err, size_t err_size);
int lo_listener_port(const lo_listener *listener);
/* Closes the socket and frees the listener once its handles have closed. */
void lo_listener_close(lo_listener *listener);

#endif
