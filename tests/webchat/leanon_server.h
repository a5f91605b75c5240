/* leanon_server.h - starts `leanon run` for the web chat tests and reads its log. */
#ifndef LEANON_TESTS_LEANON_SERVER_H
#define LEANON_TESTS_LEANON_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct leanon_server {
    pid_t pid;
    int log_fd;        /* the server's stderr */
    char log[1 << 20]; /* what it has logged so far, NUL-terminated */
    size_t log_len;
} leanon_server;

/* Runs `binary run --config config --listen 127.0.0.1:0`, with RLIMIT_NOFILE set to nofile
 * (0: inherited). Returns the port from its "listening" line, or -1. */
int leanon_server_start(leanon_server *s, const char *binary, const char *config, int nofile);
/* Reads the log until a line contains want (NULL: just reads) or wait_ms pass. */
bool leanon_server_wait_log(leanon_server *s, const char *want, int wait_ms);

#endif
