/* webchat_listen.c - accept loop of the web chat with a back-off when out of descriptors.
 *
 * A uv_poll on a non-blocking listening socket; each wake-up accepts at most
 * ACCEPT_BATCH connections. When accept fails for want of descriptors or
 * memory the poll stops and a timer retries after RETRY_MS (doubling up to
 * RETRY_MAX_MS while it keeps failing), with one log line per pause, folded
 * further by the log layer: a full descriptor table costs a few lines a
 * minute, not a busy loop.
 */
#define _GNU_SOURCE /* accept4 */
#include "platforms/webchat_listen.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/buf.h"
#include "obs/log.h"

#define ACCEPT_BATCH 64
#define RETRY_MS 100
#define RETRY_MAX_MS 2000

struct lo_listener {
    uv_poll_t poll;
    uv_timer_t retry;
    int fd;
    int port;
    int open_handles;
    unsigned retry_ms;
    lo_listen_accept_fn on_accept;
    void *user;
};

static void on_readable(uv_poll_t *poll, int status, int events);

static void on_retry(uv_timer_t *timer)
{
    lo_listener *l = timer->data;
    uv_poll_start(&l->poll, UV_READABLE, on_readable);
}

static void pause_accepting(lo_listener *l, int err)
{
    uv_poll_stop(&l->poll);
    lo_log(LO_LOG_WARN, "webchat.accept_paused", "errno=%s retry_ms=%u",
           err == EMFILE    ? "EMFILE"
           : err == ENFILE  ? "ENFILE"
           : err == ENOBUFS ? "ENOBUFS"
                            : "ENOMEM",
           l->retry_ms);
    uv_timer_start(&l->retry, on_retry, l->retry_ms, 0);
    l->retry_ms = l->retry_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : l->retry_ms * 2;
}

static void on_readable(uv_poll_t *poll, int status, int events)
{
    (void)events;
    lo_listener *l = poll->data;
    if (status < 0)
        return;
    for (int i = 0; i < ACCEPT_BATCH; i++) {
        int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            l->retry_ms = RETRY_MS;
            l->on_accept(l->user, fd);
            continue;
        }
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
            pause_accepting(l, errno);
        else if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
            continue;
        else if (errno != EAGAIN && errno != EWOULDBLOCK)
            lo_log(LO_LOG_WARN, "webchat.accept_failed", "errno=%d", errno);
        return;
    }
}

/* A listening socket on host:port, or -1 with err filled. */
static int bind_listen(const char *host, int port, int *bound_port, char *err, size_t err_size)
{
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *found = NULL;
    if (getaddrinfo(host, service, &hints, &found) != 0 || !found) {
        snprintf(err, err_size, "cannot listen on %s:%d (not an address of this machine?)", host,
                 port);
        return -1;
    }
    int fd = socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, found->ai_addr, found->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
        snprintf(err, err_size, "cannot listen on %s:%d (%s)", host, port, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(found);
        return -1;
    }
    freeaddrinfo(found);
    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    socklen_t len = sizeof addr;
    if (getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        snprintf(err, err_size, "cannot read the address of %s:%d (%s)", host, port,
                 strerror(errno));
        close(fd);
        return -1;
    }
    *bound_port = ntohs(addr.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&addr)->sin6_port
                                                   : ((struct sockaddr_in *)&addr)->sin_port);
    return fd;
}

lo_listener *lo_listener_start(uv_loop_t *loop, const char *host, int port, lo_listen_accept_fn fn,
                               void *user, char *err, size_t err_size)
{
    lo_listener *l = lo_xcalloc(1, sizeof *l);
    l->fd = bind_listen(host, port, &l->port, err, err_size);
    if (l->fd < 0 || uv_poll_init_socket(loop, &l->poll, l->fd) != 0) {
        if (l->fd >= 0)
            close(l->fd);
        free(l);
        return NULL;
    }
    uv_timer_init(loop, &l->retry);
    l->poll.data = l->retry.data = l;
    l->open_handles = 2;
    l->retry_ms = RETRY_MS;
    l->on_accept = fn;
    l->user = user;
    uv_poll_start(&l->poll, UV_READABLE, on_readable);
    return l;
}

int lo_listener_port(const lo_listener *l)
{
    return l->port;
}

static void on_handle_closed(uv_handle_t *handle)
{
    lo_listener *l = handle->data;
    if (--l->open_handles == 0) {
        close(l->fd);
        free(l);
    }
}

void lo_listener_close(lo_listener *l)
{
    if (!l)
        return;
    uv_close((uv_handle_t *)&l->poll, on_handle_closed);
    uv_close((uv_handle_t *)&l->retry, on_handle_closed);
}
