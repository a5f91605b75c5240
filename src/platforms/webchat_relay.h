/* webchat_relay.h - the web chat's check of client frames before libwebsockets parses them.
 *
 * Debian's lws 4.1 accepts unmasked client frames and offers no hook on its raw receive path,
 * so each accepted connection goes through a relay: lws serves one end of a socketpair, the
 * relay copies bytes between it and the client's socket and reads the client's websocket
 * frames with net/ws_frame.h first. It forwards only whole frames that are masked and within
 * the frame limit; an unmasked frame (RFC 6455 5.1), a bad length or a frame over the limit
 * fails the connection with 1002 or 1009, and a frame or fragmented message left half-sent
 * for the frame timeout fails it with 1008. To fail it the relay hands lws a masked close
 * frame with that code in place of the client's bytes: lws answers with the same code, at a
 * frame boundary of its own output, and closes. Each failure is one log line (the reason, no
 * content) and one error metric.
 *
 * In HTTP the relay copies bytes through the end of a request head and holds what follows
 * until the server has answered that request (lo_relay_answered) or upgraded it
 * (lo_relay_upgraded): so no byte after an upgrade request reaches lws unchecked.
 */
#ifndef LEANON_PLATFORMS_WEBCHAT_RELAY_H
#define LEANON_PLATFORMS_WEBCHAT_RELAY_H

#include <stdint.h>
#include <uv.h>

#include "obs/metrics.h"

/* Descriptors one connection holds: the client's socket and both ends of the socketpair. */
#define LO_RELAY_FDS 3

typedef struct lo_relay lo_relay;

/* A relay for the accepted client_fd; *server_fd is the end to hand to lws. NULL (errno set,
 * client_fd left to the caller) when the socketpair cannot be made. Call lo_relay_start once
 * lws has taken *server_fd (or failed to: lws closes it then, and the relay follows). */
lo_relay *lo_relay_new(uv_loop_t *loop, int client_fd, unsigned frame_timeout_ms,
                       uint64_t max_frame, lo_metrics *metrics, int *server_fd);
void lo_relay_start(lo_relay *relay);
/* The client's address, as text: the TCP peer's, until lo_relay_set_peer names the client a
 * trusted proxy forwarded. */
const char *lo_relay_peer(const lo_relay *relay);
void lo_relay_set_peer(lo_relay *relay, const char *address);
/* The server has answered the request head it was given: the client's next bytes may follow. */
void lo_relay_answered(lo_relay *relay);
/* The request was upgraded: every client byte from here on is a websocket frame. */
void lo_relay_upgraded(lo_relay *relay);
/* The server has begun to close the websocket: the client has a second more to answer, then
 * its socket is closed (lws would otherwise read and drop what it sends for 5 s). */
void lo_relay_closing(lo_relay *relay);
/* The server no longer refers to the relay (its end is closed or about to be); the relay frees
 * itself once it has also finished with the client. */
void lo_relay_server_gone(lo_relay *relay);

#endif
