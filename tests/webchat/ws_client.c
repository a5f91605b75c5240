/* ws_client.c - blocking websocket (RFC 6455) and HTTP/1.1 client, just
 * enough for tests: masked client frames, unfragmented server frames, both
 * through the codec of src/net/ws_frame.h. */
#include "ws_client.h"

#include "net/ws_frame.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define IO_TIMEOUT_MS 3000

/* A TCP connection to 127.0.0.1:port, from the loopback address source (NULL: any). */
int tcp_connect_from(const char *source, int port, int rcvbuf)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (rcvbuf > 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in from = {.sin_family = AF_INET};
    if (source && (inet_pton(AF_INET, source, &from.sin_addr) != 1 ||
                   bind(fd, (struct sockaddr *)&from, sizeof from) != 0)) {
        close(fd);
        return -1;
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* Writes everything, or gives up when the peer has not taken a byte for
 * IO_TIMEOUT_MS (a server applying back-pressure). */
/* poll on one socket that a signal does not cut short (a fuzzer's SIGALRM, say). */
static int wait_for(int fd, short events, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = events};
    int n;
    while ((n = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR)
        /* cppcheck-suppress redundantContinue ; the loop is its condition: retry on EINTR */
        continue;
    return n;
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        if (wait_for(fd, POLLOUT, IO_TIMEOUT_MS) <= 0)
            return -1;
        ssize_t n = send(fd, p, len, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads more bytes into c->buf; 0 on success, -1 on timeout/EOF/full. */
static int fill(ws_client *c, int timeout_ms)
{
    if (c->have == sizeof c->buf)
        return -1;
    if (wait_for(c->fd, POLLIN, timeout_ms) <= 0)
        return -1;
    ssize_t n;
    while ((n = read(c->fd, c->buf + c->have, sizeof c->buf - c->have)) < 0 && errno == EINTR)
        /* cppcheck-suppress redundantContinue ; the loop is its condition: retry on EINTR */
        continue;
    if (n <= 0)
        return -1;
    c->have += (size_t)n;
    return 0;
}

static void consume(ws_client *c, size_t n)
{
    memmove(c->buf, c->buf + n, c->have - n);
    c->have -= n;
}

static char *find_blank_line(ws_client *c)
{
    for (size_t i = 0; i + 4 <= c->have; i++)
        if (memcmp(c->buf + i, "\r\n\r\n", 4) == 0)
            return (char *)c->buf + i;
    return NULL;
}

/* Reads the response head; returns the status and leaves the rest buffered. */
static int read_head(ws_client *c, size_t *content_length)
{
    char *end;
    while (!(end = find_blank_line(c)))
        if (fill(c, IO_TIMEOUT_MS) != 0)
            return -1;
    size_t head_len = (size_t)(end - (char *)c->buf) + 4;
    char head[8192];
    size_t copy = head_len < sizeof head ? head_len : sizeof head - 1;
    memcpy(head, c->buf, copy);
    head[copy] = '\0';
    consume(c, head_len);
    int status = -1;
    if (sscanf(head, "HTTP/1.%*d %d", &status) != 1) /* lws answers some errors as 1.0 */
        return -1;
    if (content_length) {
        *content_length = 0;
        char *save = NULL;
        for (char *line = strtok_r(head, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save))
            if (strncasecmp(line, "content-length:", 15) == 0)
                *content_length = (size_t)strtoul(line + 15, NULL, 10);
    }
    return status;
}

int http_get(int port, const char *path, char **body)
{
    char request[512];
    snprintf(request, sizeof request,
             "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n", path, port);
    return http_request(port, request, body);
}

int http_request(int port, const char *request, char **body)
{
    *body = NULL;
    ws_client *c = calloc(1, sizeof *c);
    c->fd = tcp_connect_from(NULL, port, 0);
    size_t length = 0;
    int status = -1;
    if (c->fd >= 0 && write_all(c->fd, request, strlen(request)) == 0)
        status = read_head(c, &length);
    if (status > 0) {
        while (c->have < length)
            if (fill(c, IO_TIMEOUT_MS) != 0)
                break;
        *body = malloc(c->have + 1);
        memcpy(*body, c->buf, c->have);
        (*body)[c->have] = '\0';
    }
    if (c->fd >= 0)
        close(c->fd);
    free(c);
    return status;
}

int ws_connect(ws_client *c, int port, const char *path, const char *origin)
{
    return ws_connect_rcvbuf(c, port, path, origin, 0);
}

int ws_connect_rcvbuf(ws_client *c, int port, const char *path, const char *origin, int rcvbuf)
{
    return ws_connect_from(c, NULL, port, path, origin, rcvbuf);
}

int ws_connect_from(ws_client *c, const char *source, int port, const char *path,
                    const char *origin, int rcvbuf)
{
    char origin_line[300] = "";
    if (origin)
        snprintf(origin_line, sizeof origin_line, "Origin: %s\r\n", origin);
    return ws_connect_with(c, source, port, path, origin_line, rcvbuf);
}

int ws_connect_with(ws_client *c, const char *source, int port, const char *path,
                    const char *headers, int rcvbuf)
{
    memset(c, 0, sizeof *c);
    c->fd = tcp_connect_from(source, port, rcvbuf);
    if (c->fd < 0)
        return -1;
    char request[2048];
    int n = snprintf(request, sizeof request,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: leanon-chat\r\n%s\r\n",
                     path, port, headers);
    if (n < 0 || (size_t)n >= sizeof request || write_all(c->fd, request, (size_t)n) != 0)
        return -1;
    return read_head(c, NULL);
}

int ws_send(ws_client *c, int opcode, const char *data, size_t len)
{
    static const uint8_t mask[4] = {0x12, 0x34, 0x56, 0x78};
    size_t size;
    uint8_t *frame = lo_ws_frame(true, opcode, data, len, mask, &size);
    int rc = write_all(c->fd, frame, size);
    free(frame);
    return rc;
}

int ws_recv(ws_client *c, char **payload, size_t *len, int timeout_ms)
{
    *payload = NULL;
    *len = 0;
    for (;;) {
        lo_ws_header h;
        if (lo_ws_take_frame(c->buf, c->have, &h) > 0) {
            *payload = malloc(h.length + 1);
            memcpy(*payload, c->buf + h.size, h.length);
            (*payload)[h.length] = '\0';
            *len = h.length;
            consume(c, h.size + h.length);
            return h.opcode;
        }
        if (fill(c, timeout_ms) != 0)
            return -1;
    }
}

int ws_send_raw(ws_client *c, const void *data, size_t len)
{
    return write_all(c->fd, data, len);
}

void ws_disconnect(ws_client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}
