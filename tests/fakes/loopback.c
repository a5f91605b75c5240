/* loopback.c - see loopback.h. */
#include "fakes/loopback.h"

int fake_listen_loopback(uv_loop_t *loop, uv_tcp_t *listener, int backlog,
                         uv_connection_cb on_connection)
{
    uv_tcp_init(loop, listener);
    struct sockaddr_in addr;
    uv_ip4_addr("127.0.0.1", 0, &addr);
    struct sockaddr_storage bound;
    int len = sizeof bound;
    if (uv_tcp_bind(listener, (const struct sockaddr *)&addr, 0) != 0 ||
        uv_listen((uv_stream_t *)listener, backlog, on_connection) != 0 ||
        uv_tcp_getsockname(listener, (struct sockaddr *)&bound, &len) != 0)
        return -1;
    return ntohs(((struct sockaddr_in *)&bound)->sin_port);
}
