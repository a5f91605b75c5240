/* leanon_server.c - `leanon run` as a child process with its stderr on a pipe. */
#include "leanon_server.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

bool leanon_server_wait_log(leanon_server *s, const char *want, int wait_ms)
{
    for (int waited = 0; waited <= wait_ms; waited += 50) {
        if (want && strstr(s->log, want))
            return true;
        struct pollfd p = {.fd = s->log_fd, .events = POLLIN};
        if (poll(&p, 1, 50) > 0) {
            ssize_t n = read(s->log_fd, s->log + s->log_len, sizeof s->log - s->log_len - 1);
            if (n <= 0)
                break;
            s->log_len += (size_t)n;
            s->log[s->log_len] = '\0';
        }
    }
    return want && strstr(s->log, want);
}

int leanon_server_start(leanon_server *s, const char *binary, const char *config, int nofile)
{
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0)
        return -1;
    s->pid = fork();
    if (s->pid == 0) {
        struct rlimit limit = {.rlim_cur = (rlim_t)nofile, .rlim_max = (rlim_t)nofile};
        if (nofile)
            setrlimit(RLIMIT_NOFILE, &limit);
        dup2(pipe_fds[1], STDERR_FILENO);
        close(pipe_fds[0]);
        execl(binary, binary, "run", "--config", config, "--listen", "127.0.0.1:0", (char *)NULL);
        _exit(127);
    }
    close(pipe_fds[1]);
    s->log_fd = pipe_fds[0];
    s->log_len = 0;
    s->log[0] = '\0';
    if (!leanon_server_wait_log(s, "event=listening", 10000))
        return -1;
    const char *port = strstr(s->log, " port=");
    return port ? atoi(port + 6) : -1;
}
