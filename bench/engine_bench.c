/* engine_bench.c - how the engine's cost grows with the number of rules.
 *
 * For N = 100, 1,000 and 10,000 generated rules (each in a child process, so
 * peak memory is per N) it prints load+compile time, time per message for
 * M messages (clean, and misspelt so the typo table is used; and long: eight
 * sentences, about 100 words, the rule's words in the last one), and peak RSS;
 * each size twice: typos and negation on, then off (all pattern words exact,
 * no negation words), to show what those features cost. Run by hand:
 *   build/bench/engine_bench tests/engine/data/set [messages] [short|long]
 * (short or long: only those messages, so callgrind counts each kind alone). 
 * Figures are for comparing N against N in one run, not absolute targets. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "leanon/engine.h"

static const char *const words[] = {
    "alone", "tired",   "family", "work",    "sleep",  "friends", "school",  "anxious", "worried",
    "angry", "partner", "money",  "health",  "future", "past",    "lonely",  "scared",  "hope",
    "music", "walk",    "dinner", "morning", "night",  "weekend", "holiday", "garden",  "book",
    "movie", "coffee",  "rain",   "summer",  "winter", "city",    "phone",   "message", "doctor"};
#define NWORDS (sizeof words / sizeof *words)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* exact: every pattern word is written =word (no typo allowance) and
 * negation words are switched off, to measure what those two features cost. */
static void write_rules(const char *dir, size_t n, bool exact)
{
    const char *x = exact ? "=" : "";
    char path[512];
    snprintf(path, sizeof path, "%s/generated.json", dir);
    FILE *f = fopen(path, "w");
    if (exact)
        fputs("{\"negation\": {\"words\": [\"zzzz\"]},\n", f);
    else
        fputs("{\n", f);
    fputs("\"rules\": [\n", f);
    for (size_t i = 0; i < n; i++) {
        const char *a = words[i % NWORDS], *b = words[(i / NWORDS) % NWORDS];
        fprintf(f,
                "%s{\"id\": \"gen-%zu\", \"category\": \"gen\", \"priority\": %zu, "
                "\"patterns\": [\"%s%s * %s%s w%zu\", \"[i] feel (%s%s|%s%s) x%zu\"], "
                "\"replies\": [\"reply %zu\"]}\n",
                i ? "," : "", i, 10 + i % 50, x, a, x, b, i, x, a, x, b, i, i);
    }
    fputs("]}\n", f);
    fclose(f);
}

/* Eight sentences of everyday words, about 100 words, the last one like a short message. */
static char *long_message(size_t i, size_t nrules)
{
    char buf[1024];
    int n = 0;
    for (size_t k = 0; k < 7; k++)
        n += snprintf(buf + n, sizeof buf - (size_t)n,
                      "On %s I went for a %s with my %s and we talked about the %s for a while, "
                      "then %s. ",
                      words[(i + k) % NWORDS], words[(i * 3 + k) % NWORDS],
                      words[(i * 5 + k) % NWORDS], words[(i * 7 + k) % NWORDS],
                      words[(i * 11 + k) % NWORDS]);
    snprintf(buf + n, sizeof buf - (size_t)n, "Today I feel %s about my %s, not %s w%zu.",
             words[i % NWORDS], words[(i * 7) % NWORDS], words[(i * 3) % NWORDS], i % nrules);
    return strdup(buf);
}

enum { KIND_ALL, KIND_SHORT, KIND_LONG };

static void run(const char *fixture, size_t nrules, size_t nmsgs, bool exact, int kind)
{
    char dir[] = "/tmp/leanon-bench-XXXXXX";
    if (!mkdtemp(dir))
        exit(1);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp %s/*.json '%s'/", fixture, dir);
    if (system(cmd) != 0)
        exit(1);
    write_rules(dir, nrules, exact);

    double t0 = now();
    lo_diags *d = lo_diags_new();
    lo_engine *e = lo_engine_load(dir, d);
    double load = now() - t0;
    if (!e) {
        lo_diags_print(d, stderr);
        exit(1);
    }
    lo_diags_free(d);

    char **msgs = calloc(nmsgs, sizeof *msgs), **typo = calloc(nmsgs, sizeof *typo);
    char **longs = calloc(nmsgs, sizeof *longs);
    for (size_t i = 0; i < nmsgs; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "today I feel %s about my %s and %s, not %s w%zu",
                 words[i % NWORDS], words[(i * 7) % NWORDS], words[(i * 13) % NWORDS],
                 words[(i * 3) % NWORDS], i % nrules);
        msgs[i] = strdup(buf);
        snprintf(buf, sizeof buf, "todya I feal %sx about my %s and %sd, never %s w%zu",
                 words[i % NWORDS], words[(i * 7) % NWORDS], words[(i * 13) % NWORDS],
                 words[(i * 3) % NWORDS], i % nrules);
        typo[i] = strdup(buf);
        longs[i] = long_message(i, nrules);
    }
    double per[3] = {0, 0, 0};
    char **sets[3] = {msgs, typo, longs};
    for (int s = 0; s < 3; s++) {
        if ((kind == KIND_SHORT && s == 2) || (kind == KIND_LONG && s < 2))
            continue;
        lo_reply r;
        t0 = now();
        for (size_t i = 0; i < nmsgs; i++) {
            lo_message m = {.text = sets[s][i], .text_len = strlen(sets[s][i])};
            lo_engine_reply(e, NULL, &m, NULL, &r);
            lo_reply_clear(&r);
        }
        per[s] = (now() - t0) / (double)nmsgs * 1e6;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%6zu rules  typos+negation %-3s  load %7.1f ms  %6.2f us/msg clean  "
           "%6.2f us/msg misspelt  %6.2f us/msg long  peak RSS %6ld KiB\n",
           nrules, exact ? "off" : "on", load * 1e3, per[0], per[1], per[2], ru.ru_maxrss);
    for (size_t i = 0; i < nmsgs; i++) {
        free(msgs[i]);
        free(typo[i]);
        free(longs[i]);
    }
    free(msgs);
    free(typo);
    free(longs);
    lo_engine_free(e);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        exit(1);
}

int main(int argc, char **argv)
{
    const char *fixture = argc > 1 ? argv[1] : "tests/engine/data/set";
    size_t nmsgs = argc > 2 ? strtoul(argv[2], NULL, 10) : 20000;
    int kind = argc > 3 ? (strcmp(argv[3], "short") == 0  ? KIND_SHORT
                           : strcmp(argv[3], "long") == 0 ? KIND_LONG
                                                          : -1)
                        : KIND_ALL;
    if (kind < 0) {
        fprintf(stderr, "usage: %s [FIXTURE] [MESSAGES] [short|long]\n", argv[0]);
        return 2;
    }
    const size_t sizes[] = {100, 1000, 10000};
    printf("leanon engine benchmark: %zu messages per size\n", nmsgs);
    for (size_t i = 0; i < 2 * sizeof sizes / sizeof *sizes; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            run(fixture, sizes[i / 2], nmsgs, i % 2 == 1, kind);
            exit(0);
        }
        int status;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            return 1;
    }
    return 0;
}
