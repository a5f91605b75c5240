/* loopback.h - the listening socket every fake server starts with: TCP on
 * 127.0.0.1, a port the kernel picks, on the test's libuv loop. */
#ifndef LEANON_TESTS_FAKES_LOOPBACK_H
#define LEANON_TESTS_FAKES_LOOPBACK_H

#include <uv.h>

/* Initialises listener on loop, binds 127.0.0.1:0 and listens. Returns the
 * port, or -1 (the handle is initialised either way and must be closed). */
int fake_listen_loopback(uv_loop_t *loop, uv_tcp_t *listener, int backlog,
                         uv_connection_cb on_connection);

#endif
