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
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ws_client.h"

static const char *const texts[] = {
    "hello there",
    "I feel like nobody understands me",
    "work has been so stressful lately",
    "I can't sleep and I keep overthinking",
    "!leanon tips",
    "I want to die",
    "thanks, that helps a bit",
    "my friend stopped talking to me",
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
    snprintf(frame, sizeof frame, "{\"type\":\"message\",\"text\":\"%s\"}",
             texts[index % TEXT_COUNT]);
    return ws_send(c, WS_TEXT, frame, strlen(frame));
}

/* The clients and what they measured. */
typedef struct bench {
    size_t clients, per_client;
    ws_client *conns;
    struct pollfd *polls;
    size_t *sent;
    double *sent_at, *latencies;
    size_t done, failures;
} bench;

static void bench_alloc(bench *b)
{
    b->conns = calloc(b->clients, sizeof *b->conns);
    b->polls = calloc(b->clients, sizeof *b->polls);
    b->sent = calloc(b->clients, sizeof *b->sent);
    b->sent_at = calloc(b->clients, sizeof *b->sent_at);
    b->latencies = calloc(b->clients * b->per_client, sizeof *b->latencies);
}

static void bench_free(bench *b)
{
    free(b->conns);
    free(b->polls);
    free(b->sent);
    free(b->sent_at);
    free(b->latencies);
}

static bool connect_all(bench *b, int port, const char *origin)
{
    for (size_t i = 0; i < b->clients; i++) {
        if (ws_connect(&b->conns[i], port, "/chat", origin) != 101) {
            fprintf(stderr, "webchat_bench: client %zu could not connect\n", i);
            return false;
        }
        b->polls[i] = (struct pollfd){.fd = b->conns[i].fd, .events = POLLIN};
    }
    return true;
}

/* Client i has a frame: its reply (or a failure), then its next message. */
static void on_readable(bench *b, size_t i)
{
    char *payload;
    size_t len;
    int opcode = ws_recv(&b->conns[i], &payload, &len, 0);
    if (opcode == WS_TEXT && strstr(payload, "\"type\":\"reply\""))
        b->latencies[b->done++] = now_seconds() - b->sent_at[i];
    else
        b->failures++;
    free(payload);
    if (opcode < 0 || opcode == WS_CLOSE) {
        b->polls[i].fd = -1;
        b->failures += b->per_client - b->sent[i];
        return;
    }
    if (b->sent[i] < b->per_client) {
        b->sent_at[i] = now_seconds();
        send_text(&b->conns[i], i + b->sent[i]);
        b->sent[i]++;
    }
}

/* Every client sends, waits for its reply and sends the next; returns the seconds taken. */
static double closed_loop(bench *b)
{
    double started = now_seconds();
    for (size_t i = 0; i < b->clients; i++) {
        b->sent_at[i] = now_seconds();
        send_text(&b->conns[i], i);
        b->sent[i] = 1;
    }
    size_t total = b->clients * b->per_client;
    while (b->done + b->failures < total) {
        if (poll(b->polls, b->clients, 10000) <= 0) {
            fprintf(stderr, "webchat_bench: no reply for 10 s\n");
            break;
        }
        for (size_t i = 0; i < b->clients; i++)
            if (b->polls[i].revents & POLLIN)
                on_readable(b, i);
    }
    return now_seconds() - started;
}

static void print_results(bench *b, double elapsed, long rss)
{
    size_t done = b->done;
    const double *lat = b->latencies;
    qsort(b->latencies, done, sizeof *b->latencies, compare_doubles);
    printf("clients %zu, messages %zu, failures %zu, %.2f s, %.0f messages/s, "
           "latency p50 %.3f ms, p99 %.3f ms, max %.3f ms, server peak RSS %ld KiB\n",
           b->clients, done, b->failures, elapsed, (double)done / elapsed,
           done ? lat[done / 2] * 1e3 : 0, done ? lat[(size_t)((double)done * 0.99)] * 1e3 : 0,
           done ? lat[done - 1] * 1e3 : 0, rss);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(
            stderr,
            "usage: webchat_bench LEANON_BINARY RESPONSES_DIR [CLIENTS] [MESSAGES_PER_CLIENT]\n");
        return 2;
    }
    bench b = {.clients = argc > 3 ? (size_t)atol(argv[3]) : 200,
               .per_client = argc > 4 ? (size_t)atol(argv[4]) : 50};
    char dir[] = "/tmp/leanon-bench-XXXXXX", config[300], origin[64], cmd[400];
    if (!mkdtemp(dir))
        return 1;
    snprintf(config, sizeof config, "%s/leanon.json", dir);
    FILE *f = fopen(config, "w");
    /* every tab comes from 127.0.0.1: no per-address cap */
    fprintf(f,
            "{\"responses\": \"%s\", \"optout_db\": \"%s/optout.sqlite\",\n"
            " \"platforms\": {\"webchat\": {\"max_tabs_per_address\": 0}}}\n",
            argv[2], dir);
    fclose(f);
    int port;
    pid_t server = start_server(argv[1], config, &port);
    if (server < 0) {
        fprintf(stderr, "webchat_bench: leanon run did not start\n");
        return 1;
    }
    snprintf(origin, sizeof origin, "http://127.0.0.1:%d", port);

    bench_alloc(&b);
    bool connected = connect_all(&b, port, origin);
    if (connected) {
        double elapsed = closed_loop(&b);
        print_results(&b, elapsed, peak_rss_kb(server));
    }
    for (size_t i = 0; connected && i < b.clients; i++)
        ws_disconnect(&b.conns[i]);
    kill(server, SIGTERM);
    int status = 0;
    waitpid(server, &status, 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "webchat_bench: could not remove %s\n", dir);
    bench_free(&b);
    return !connected || b.failures || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}
