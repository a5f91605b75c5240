/* webchat_bench.c - many web chat tabs at once against a `leanon run` that the
 * benchmark starts on loopback: messages per second and reply latency.
 *
 * Each client is a websocket; each sends a message, waits for its reply, and
 * sends the next (closed loop), all clients at once over one poll() loop.
 * Messages rotate through a greeting, everyday feelings and a crisis message.
 * Prints clients, messages, elapsed time, messages/s, p50/p99/max latency and
 * the server's peak memory (VmHWM).
 * Usage: webchat_bench LEANON_BINARY RESPONSES_DIR [CLIENTS=200] [MESSAGES_PER_CLIENT=50]
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ws_client.h"

static const char *const texts[] = {
    "hello there", "I feel like nobody understands me", "work has been so stressful lately",
    "I can't sleep and I keep overthinking", "!leanon tips", "I want to die",
    "thanks, that helps a bit", "my friend stopped talking to me",
};
#define TEXT_COUNT (sizeof texts / sizeof texts[0])

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static pid_t start_server(const char *binary, const char *config, int *port)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        execl(binary, binary, "run", "--config", config, "--listen", "127.0.0.1:0", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char log[8192] = "";
    size_t len = 0;
    *port = 0;
    while (!*port && len < sizeof log - 1) {
        ssize_t n = read(fds[0], log + len, sizeof log - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        log[len] = '\0';
        const char *p = strstr(log, " port=");
        if (p && strstr(log, "event=listening"))
            *port = atoi(p + 6);
    }
    /* The server's later log lines go nowhere; it must not block on a full pipe. */
    if (fork() == 0) {
        char sink[4096];
        while (read(fds[0], sink, sizeof sink) > 0) {
        }
        _exit(0);
    }
    close(fds[0]);
    return *port ? pid : -1;
}

static long peak_rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

static int send_text(ws_client *c, size_t index)
{
    char frame[512];
    snprintf(frame, sizeof frame, "{\"type\":\"message\",\"text\":\"%s\"}", texts[index % TEXT_COUNT]);
    return ws_send(c, WS_TEXT, frame, strlen(frame));
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: webchat_bench LEANON_BINARY RESPONSES_DIR [CLIENTS] [MESSAGES_PER_CLIENT]\n");
        return 2;
    }
    size_t clients = argc > 3 ? (size_t)atol(argv[3]) : 200;
    size_t per_client = argc > 4 ? (size_t)atol(argv[4]) : 50;
    char dir[] = "/tmp/leanon-bench-XXXXXX", config[300], origin[64], cmd[400];
    if (!mkdtemp(dir))
        return 1;
    snprintf(config, sizeof config, "%s/leanon.json", dir);
    FILE *f = fopen(config, "w");
    /* every tab comes from 127.0.0.1: no per-address cap */
    fprintf(f, "{\"responses\": \"%s\", \"optout_db\": \"%s/optout.sqlite\",\n"
               " \"platforms\": {\"webchat\": {\"max_tabs_per_address\": 0}}}\n", argv[2], dir);
    fclose(f);
    int port;
    pid_t server = start_server(argv[1], config, &port);
    if (server < 0) {
        fprintf(stderr, "webchat_bench: leanon run did not start\n");
        return 1;
    }
    snprintf(origin, sizeof origin, "http://127.0.0.1:%d", port);

    ws_client *conns = calloc(clients, sizeof *conns);
    struct pollfd *polls = calloc(clients, sizeof *polls);
    size_t *sent = calloc(clients, sizeof *sent);
    double *sent_at = calloc(clients, sizeof *sent_at);
    double *latencies = calloc(clients * per_client, sizeof *latencies);
    size_t done = 0, failures = 0;
    for (size_t i = 0; i < clients; i++) {
        if (ws_connect(&conns[i], port, "/chat", origin) != 101) {
            fprintf(stderr, "webchat_bench: client %zu could not connect\n", i);
            return 1;
        }
        polls[i] = (struct pollfd){.fd = conns[i].fd, .events = POLLIN};
    }
    double started = now_seconds();
    for (size_t i = 0; i < clients; i++) {
        sent_at[i] = now_seconds();
        send_text(&conns[i], i);
        sent[i] = 1;
    }
    size_t total = clients * per_client;
    while (done + failures < total) {
        if (poll(polls, clients, 10000) <= 0) {
            fprintf(stderr, "webchat_bench: no reply for 10 s\n");
            break;
        }
        for (size_t i = 0; i < clients; i++) {
            if (!(polls[i].revents & POLLIN))
                continue;
            char *payload;
            size_t len;
            int opcode = ws_recv(&conns[i], &payload, &len, 0);
            if (opcode == WS_TEXT && strstr(payload, "\"type\":\"reply\""))
                latencies[done++] = now_seconds() - sent_at[i];
            else
                failures++;
            free(payload);
            if (opcode < 0 || opcode == WS_CLOSE) {
                polls[i].fd = -1;
                failures += per_client - sent[i];
                continue;
            }
            if (sent[i] < per_client) {
                sent_at[i] = now_seconds();
                send_text(&conns[i], i + sent[i]);
                sent[i]++;
            }
        }
    }
    double elapsed = now_seconds() - started;
    long rss = peak_rss_kb(server);
    qsort(latencies, done, sizeof *latencies, compare_doubles);
    printf("clients %zu, messages %zu, failures %zu, %.2f s, %.0f messages/s, "
           "latency p50 %.3f ms, p99 %.3f ms, max %.3f ms, server peak RSS %ld KiB\n",
           clients, done, failures, elapsed, (double)done / elapsed,
           done ? latencies[done / 2] * 1e3 : 0, done ? latencies[(size_t)((double)done * 0.99)] * 1e3 : 0,
           done ? latencies[done - 1] * 1e3 : 0, rss);

    for (size_t i = 0; i < clients; i++)
        ws_disconnect(&conns[i]);
    kill(server, SIGTERM);
    int status = 0;
    waitpid(server, &status, 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "webchat_bench: could not remove %s\n", dir);
    free(conns);
    free(polls);
    free(sent);
    free(sent_at);
    free(latencies);
    return failures || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}
