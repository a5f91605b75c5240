/* tls_front.c - the TLS relay of tls_front.h.
 *
 * Thread loop: poll the listener (50 ms, to notice stop), accept, SSL_accept, connect to the
 * backend, then relay both ways with poll() until either side closes. Plain OpenSSL, so the
 * server side of the TLS tests shares no code with the client under test (libwebsockets).
 */
#include "fakes/tls_front.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { POLL_MS = 50 };

struct tls_front {
    SSL_CTX *ctx;
    int listener;
    int port;
    int backend_port;
    pthread_t thread;
    atomic_bool stop;
    atomic_int handshakes, refusals;
};

static int connect_backend(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void relay(tls_front *f, SSL *ssl, int client, int backend)
{
    char buf[16384];
    while (!atomic_load(&f->stop)) {
        struct pollfd fds[2] = {{client, POLLIN, 0}, {backend, POLLIN, 0}};
        if (!SSL_pending(ssl) && poll(fds, 2, POLL_MS) <= 0)
            continue;
        if (SSL_pending(ssl) || fds[0].revents) {
            int n = SSL_read(ssl, buf, sizeof buf);
            if (n <= 0 || write(backend, buf, (size_t)n) != n)
                return;
        }
        if (fds[1].revents) {
            ssize_t n = read(backend, buf, sizeof buf);
            if (n <= 0 || SSL_write(ssl, buf, (int)n) != n)
                return;
        }
    }
}

static void serve_one(tls_front *f, int client)
{
    SSL *ssl = SSL_new(f->ctx);
    if (!ssl)
        return;
    SSL_set_fd(ssl, client);
    if (SSL_accept(ssl) != 1) {
        atomic_fetch_add(&f->refusals, 1);
        ERR_clear_error();
        SSL_free(ssl);
        return;
    }
    atomic_fetch_add(&f->handshakes, 1);
    int backend = connect_backend(f->backend_port);
    if (backend >= 0) {
        relay(f, ssl, client, backend);
        close(backend);
    }
    SSL_shutdown(ssl);
    SSL_free(ssl);
}

static void *serve(void *arg)
{
    tls_front *f = arg;
    while (!atomic_load(&f->stop)) {
        struct pollfd p = {f->listener, POLLIN, 0};
        if (poll(&p, 1, POLL_MS) <= 0)
            continue;
        int client = accept(f->listener, NULL, NULL);
        if (client < 0)
            continue;
        serve_one(f, client);
        close(client);
    }
    return NULL;
}

tls_front *tls_front_start(const char *cert_file, const char *key_file, int backend_port)
{
    tls_front *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->backend_port = backend_port;
    f->listener = -1;
    f->ctx = SSL_CTX_new(TLS_server_method());
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (!f->ctx || SSL_CTX_use_certificate_chain_file(f->ctx, cert_file) != 1 ||
        SSL_CTX_use_PrivateKey_file(f->ctx, key_file, SSL_FILETYPE_PEM) != 1 ||
        (f->listener = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
        bind(f->listener, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(f->listener, 8) != 0 ||
        getsockname(f->listener, (struct sockaddr *)&addr, &len) != 0 ||
        pthread_create(&f->thread, NULL, serve, f) != 0) {
        if (f->listener >= 0)
            close(f->listener);
        SSL_CTX_free(f->ctx);
        free(f);
        return NULL;
    }
    f->port = ntohs(addr.sin_port);
    return f;
}

int tls_front_port(const tls_front *f)
{
    return f->port;
}
int tls_front_handshakes(const tls_front *f)
{
    return atomic_load(&f->handshakes);
}
int tls_front_refusals(const tls_front *f)
{
    return atomic_load(&f->refusals);
}

void tls_front_stop(tls_front *f)
{
    atomic_store(&f->stop, true);
    pthread_join(f->thread, NULL);
    close(f->listener);
    SSL_CTX_free(f->ctx);
    free(f);
}
