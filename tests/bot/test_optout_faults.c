/* test_optout_faults.c - the opt-out store failing under the bot, one test per
 * defect of issue 10: the sqlite write lock held by another process, a full
 * disk, damaged pages at open, and a lookup error while running. A stop that
 * was not saved is never confirmed; a store that cannot be read never
 * silences anyone. Usage: test_optout_faults (FIXTURE_SET and DAMAGED_STORE
 * are compiled in). */
#include "bot/bot.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../testing.h"
#include "obs/log.h"

#define BUSY_MS 300

static char dir[] = "/tmp/leanon-optout-faults-XXXXXX";

typedef struct answer {
    lo_verdict verdict;
    char category[48];
    char text[1024];
} answer;

static answer say(lo_bot *bot, const char *author, const char *text)
{
    lo_message m = {.platform = "webchat",
                    .channel = "tab",
                    .author = author,
                    .is_dm = true,
                    .text = text,
                    .text_len = strlen(text)};
    lo_reply r;
    answer a = {.verdict = lo_bot_handle(bot, NULL, &m, 1, &r)};
    if (a.verdict == LO_VERDICT_ANSWER) {
        snprintf(a.category, sizeof a.category, "%s", r.category);
        snprintf(a.text, sizeof a.text, "%s", r.text ? r.text : "");
    }
    lo_reply_clear(&r);
    return a;
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static lo_bot *new_bot(lo_optout *store, lo_metrics *metrics)
{
    lo_engine *engine = lo_engine_load(FIXTURE_SET, NULL);
    CHECK(engine != NULL);
    return lo_bot_new(engine, store, metrics, NULL, NULL);
}

static lo_optout *open_store(const char *name, char *path, size_t size)
{
    char err[1024];
    snprintf(path, size, "%s/%s", dir, name);
    lo_optout_options options = {.busy_timeout_ms = BUSY_MS};
    lo_optout *store = lo_optout_open(path, &options, err, sizeof err);
    if (!store)
        fprintf(stderr, "open: %s\n", err);
    CHECK(store != NULL);
    return store;
}

/* A stop answered as not saved: says so, is not the confirmation. */
static void check_not_confirmed(const answer *a, const char *category)
{
    CHECK(a->verdict == LO_VERDICT_ANSWER);
    CHECK_STR(a->category, category);
    CHECK(strstr(a->text, "could not save") != NULL);
    CHECK(strstr(a->text, "Okay, I will stop") == NULL && strstr(a->text, "Welcome back") == NULL);
}

/* Another process holds BEGIN EXCLUSIVE on path until a byte arrives on
 * release (or for hold_ms when release is -1). Returns once it holds it. */
static pid_t hold_lock(const char *path, int release, int hold_ms)
{
    int ready[2];
    CHECK(pipe(ready) == 0);
    pid_t child = fork();
    if (child == 0) {
        sqlite3 *db = NULL;
        char ok = sqlite3_open(path, &db) == SQLITE_OK &&
                          sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL) == SQLITE_OK
                      ? 'y'
                      : 'n';
        if (write(ready[1], &ok, 1) != 1)
            _exit(2);
        char go;
        if (release >= 0 ? read(release, &go, 1) != 1 : test_sleep_ms((unsigned)hold_ms) != 0)
            _exit(3);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(db);
        _exit(ok == 'y' ? 0 : 4);
    }
    char ok = 0;
    CHECK(read(ready[0], &ok, 1) == 1 && ok == 'y');
    close(ready[0]);
    close(ready[1]);
    return child;
}

static void reap(pid_t child)
{
    int status = -1;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_stop_confirmed_while_store_locked_by_another_process(void)
{
    char path[300];
    lo_optout *store = open_store("locked.sqlite", path, sizeof path);
    lo_metrics *metrics = lo_metrics_new();
    lo_bot *bot = new_bot(store, metrics);
    CHECK(lo_optout_set(store, "webchat", "was-out", true) == 0);

    int release[2];
    CHECK(pipe(release) == 0);
    pid_t holder = hold_lock(path, release[0], 0);
    double started = seconds();
    answer a = say(bot, "locked-out", "stop");
    CHECK(seconds() - started >= BUSY_MS / 1000.0 * 0.9); /* it waited for the lock */
    check_not_confirmed(&a, "command-stop-failed");
    CHECK(strstr(a.text, "leave this chat or mute me") && strstr(a.text, "\"opt out\" again"));
    a = say(bot, "was-out", "start");
    check_not_confirmed(&a, "command-start-failed");
    CHECK(lo_metrics_get(metrics, LO_METRIC_ERRORS, "optout_store") == 2);
    CHECK(lo_optout_has(store, "webchat", "locked-out") == 0); /* nothing stored */
    CHECK(lo_optout_has(store, "webchat", "was-out") == 1);    /* nor removed */
    a = say(bot, "locked-out", "hello");
    CHECK(a.verdict == LO_VERDICT_ANSWER); /* honestly not opted out: answered */
    CHECK(write(release[1], "x", 1) == 1);
    reap(holder);

    /* Released: stop works and is stored. */
    a = say(bot, "locked-out", "stop");
    CHECK_STR(a.category, "command-stop");
    CHECK(lo_optout_has(store, "webchat", "locked-out") == 1);
    CHECK(say(bot, "locked-out", "hello").verdict == LO_VERDICT_SKIP_OPTED_OUT);

    /* A lock let go within the busy timeout is waited out, not failed. */
    pid_t brief = hold_lock(path, -1, BUSY_MS / 3);
    a = say(bot, "waits", "stop");
    CHECK_STR(a.category, "command-stop");
    CHECK(lo_optout_has(store, "webchat", "waits") == 1);
    reap(brief);
    CHECK(lo_metrics_get(metrics, LO_METRIC_ERRORS, "optout_store") == 2);
    close(release[0]);
    close(release[1]);
    lo_bot_free(bot);
    lo_metrics_free(metrics);
    lo_optout_close(store);
}

static off_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : 0;
}

static void test_stop_confirmed_when_disk_full(void)
{
    char path[300], wal[310];
    lo_optout_close(open_store("full.sqlite", path, sizeof path)); /* made, WAL folded in */
    snprintf(wal, sizeof wal, "%s-wal", path);
    int report[2];
    CHECK(pipe(report) == 0);
    pid_t child = fork();
    if (child == 0) {
        /* No file may grow past what it is now: the next write fails with
         * EFBIG (SIGXFSZ ignored, as a full disk fails with ENOSPC). */
        signal(SIGXFSZ, SIG_IGN);
        char child_path[300];
        lo_optout *store = open_store("full.sqlite", child_path, sizeof child_path);
        lo_metrics *metrics = lo_metrics_new();
        lo_bot *bot = new_bot(store, metrics);
        struct rlimit limit = {.rlim_cur = (rlim_t)file_size(wal), .rlim_max = RLIM_INFINITY};
        if (!bot || setrlimit(RLIMIT_FSIZE, &limit) != 0)
            _exit(2);
        answer got[2] = {say(bot, "full-disk", "stop"), say(bot, "full-disk", "hello")};
        double errors = lo_metrics_get(metrics, LO_METRIC_ERRORS, "optout_store");
        char reason[64];
        snprintf(reason, sizeof reason, "%s", lo_optout_error(store));
        if (write(report[1], got, sizeof got) != (ssize_t)sizeof got ||
            write(report[1], &errors, sizeof errors) != (ssize_t)sizeof errors ||
            write(report[1], reason, sizeof reason) != (ssize_t)sizeof reason)
            _exit(3);
        _exit(0);
    }
    close(report[1]);
    answer got[2];
    double errors = -1;
    char reason[64] = "";
    CHECK(read(report[0], got, sizeof got) == (ssize_t)sizeof got);
    CHECK(read(report[0], &errors, sizeof errors) == (ssize_t)sizeof errors);
    CHECK(read(report[0], reason, sizeof reason) == (ssize_t)sizeof reason);
    reason[sizeof reason - 1] = '\0';
    CHECK(strstr(reason, "disk") != NULL); /* the write failed, not a lock */
    close(report[0]);
    reap(child);
    check_not_confirmed(&got[0], "command-stop-failed");
    CHECK(got[1].verdict == LO_VERDICT_ANSWER);
    CHECK(errors == 1);

    lo_optout *store = open_store("full.sqlite", path, sizeof path);
    CHECK(lo_optout_has(store, "webchat", "full-disk") == 0); /* no row: it did not take */
    lo_optout_close(store);
}

static void test_damaged_pages_refused_at_open(void)
{
    char path[300], err[1024], cmd[700];
    snprintf(path, sizeof path, "%s/damaged.sqlite", dir);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s' && chmod u+w '%s'", DAMAGED_STORE, path, path);
    CHECK(system(cmd) == 0);
    CHECK(lo_optout_open(path, NULL, err, sizeof err) == NULL);
    CHECK(strstr(err, path) != NULL);
    CHECK(strstr(err, "is damaged") && strstr(err, "will not start") &&
          strstr(err, "Move it aside"));
    CHECK(strchr(err, '\n') == NULL);
}

static void test_lookup_error_still_answers(void)
{
    char path[300];
    lo_optout *store = open_store("lookup.sqlite", path, sizeof path);
    lo_metrics *metrics = lo_metrics_new();
    lo_bot *bot = new_bot(store, metrics);
    CHECK(say(bot, "0123456789abcdef", "stop").verdict == LO_VERDICT_ANSWER);
    CHECK(say(bot, "0123456789abcdef", "hello").verdict == LO_VERDICT_SKIP_OPTED_OUT);

    /* From outside, the table goes: every lookup fails from now on. */
    sqlite3 *other = NULL;
    CHECK(sqlite3_open(path, &other) == SQLITE_OK);
    CHECK(sqlite3_exec(other, "DROP TABLE optouts", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(other);
    CHECK(lo_optout_has(store, "webchat", "fedcba9876543210") == -1);

    FILE *log = tmpfile();
    lo_log_set_stream(log);
    answer a = say(bot, "fedcba9876543210", "hello");
    CHECK(a.verdict == LO_VERDICT_ANSWER);
    CHECK_STR(a.category, "greeting");
    a = say(bot, "0123456789abcdef", "hello");
    CHECK(a.verdict == LO_VERDICT_ANSWER);
    CHECK(lo_metrics_get(metrics, LO_METRIC_ERRORS, "optout_store") == 2);
    lo_log_set_stream(NULL);
    char text[4096] = "";
    rewind(log);
    size_t n = fread(text, 1, sizeof text - 1, log);
    text[n] = '\0';
    fclose(log);
    CHECK(strstr(text, "event=optout.read_failed platform=webchat reason=") != NULL);
    CHECK(strstr(text, "fedcba9876543210") == NULL && strstr(text, "0123456789abcdef") == NULL);
    CHECK(strstr(text, "hello") == NULL);
    lo_bot_free(bot);
    lo_metrics_free(metrics);
    lo_optout_close(store);
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    test_stop_confirmed_while_store_locked_by_another_process();
    test_stop_confirmed_when_disk_full();
    test_damaged_pages_refused_at_open();
    test_lookup_error_still_answers();
    CHECK_RM_TREE(dir);
    TEST_MAIN_END();
}
