/* test_optout_pg.c - the shared opt-out store against a real PostgreSQL server
 * (pg_server.sh starts one on loopback in a temporary folder): opt-outs kept
 * across a restart of the store, web chat ids expired on the server, two
 * stores on one server seeing each other's stop and start (the time printed),
 * and an outage: the server stopped mid-run, opt-outs set meanwhile are
 * queued and answered at once, and all of them reach the server when it is
 * back; a write the server refuses is retried until it takes, never dropped,
 * and the writes behind it wait their turn. Exit 77 when the server is not
 * installed (pg_server.sh decides).
 *
 * usage: test_optout_pg PG_SERVER_SH
 */
#include "bot/optout_pg.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "../testing.h"

#define OUTAGE_OPTOUTS 20
#define DAY (24 * INT64_C(3600))

static const char *helper;
static char dir[64];
static char dsn[256];
static bool server_made;
static uv_loop_t *loop;

/* pg_server.sh CMD DIR [SQL] (SQL without single quotes): its exit status. */
static int server_sql(const char *cmd, const char *sql)
{
    char line[1024];
    snprintf(line, sizeof line, "bash '%s' %s '%s' '%s'", helper, cmd, dir, sql ? sql : "");
    int status = system(line);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int server(const char *cmd)
{
    return server_sql(cmd, NULL);
}

static void remove_server(void)
{
    if (!server_made)
        return;
    server("stop");
    char line[128];
    snprintf(line, sizeof line, "rm -rf '%s'", dir);
    if (system(line) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static double now_ms(void)
{
    return (double)uv_hrtime() / 1e6;
}

static void on_tick(uv_timer_t *timer)
{
    (void)timer; /* wakes the loop so that run_until looks again */
}

/* Runs the loop until done(ctx) or timeout_ms; whether done, and after how long in *took_ms. */
static bool run_until(bool (*done)(void *), void *ctx, double timeout_ms, double *took_ms)
{
    uv_timer_t tick;
    uv_timer_init(loop, &tick);
    uv_timer_start(&tick, on_tick, 1, 1);
    double start = now_ms();
    bool ok;
    while (!(ok = done(ctx)) && now_ms() - start < timeout_ms)
        uv_run(loop, UV_RUN_ONCE);
    if (took_ms)
        *took_ms = now_ms() - start;
    uv_close((uv_handle_t *)&tick, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    return ok;
}

static bool is_connected(void *store)
{
    return lo_optout_pg_connected(store);
}

static bool all_saved(void *store)
{
    return lo_optout_pg_connected(store) && lo_optout_pending(store) == 0;
}

typedef struct expect {
    lo_optout *store;
    const char *platform, *user;
    int want;
} expect;

static bool answers(void *ctx)
{
    const expect *e = ctx;
    return lo_optout_has(e->store, e->platform, e->user) == e->want;
}

static int64_t later_clock(void *user)
{
    (void)user;
    return (int64_t)time(NULL) + LO_OPTOUT_BROWSER_TTL_SECONDS + DAY;
}

static lo_optout *open_connected(const lo_optout_options *options)
{
    char err[512];
    lo_optout *store = lo_optout_open_pg(loop, dsn, options, err, sizeof err);
    CHECK(store != NULL);
    if (store)
        CHECK(run_until(is_connected, store, 15000, NULL));
    return store;
}

static void close_store(lo_optout *store)
{
    lo_optout_stop(store);
    uv_run(loop, UV_RUN_NOWAIT); /* the handles close */
    lo_optout_close(store);
}

static void test_bad_dsn_refused_without_quoting_it(void)
{
    char err[512];
    CHECK(lo_optout_open_pg(loop, "password=hunter2 nonsense", NULL, err, sizeof err) == NULL);
    CHECK(strstr(err, "not valid") != NULL);
    CHECK(strstr(err, "hunter2") == NULL);
}

/* A store closed and opened again finds what it saved; until its first load it says -1. */
static void test_kept_across_restart(void)
{
    lo_optout *a = open_connected(NULL);
    CHECK(lo_optout_has(a, "discord", "u1") == 0);
    CHECK(lo_optout_set(a, "discord", "u1", true) == 0);
    CHECK(lo_optout_has(a, "discord", "u1") == 1); /* at once, before the server answered */
    CHECK(lo_optout_set(a, "webchat", "w1", true) == 0);
    CHECK(lo_optout_set(a, "discord", "u9", true) == 0);
    CHECK(lo_optout_set(a, "discord", "u9", false) == 0);
    CHECK(run_until(all_saved, a, 10000, NULL));
    close_store(a);

    char err[512];
    lo_optout *b = lo_optout_open_pg(loop, dsn, NULL, err, sizeof err);
    CHECK(lo_optout_has(b, "discord", "u1") == -1); /* not loaded yet: unknown, not "no" */
    CHECK(run_until(is_connected, b, 15000, NULL));
    CHECK(lo_optout_has(b, "discord", "u1") == 1);
    CHECK(lo_optout_has(b, "webchat", "w1") == 1);
    CHECK(lo_optout_has(b, "discord", "u9") == 0);
    close_store(b);
}

/* Web chat ids expire as in sqlite, on the server: a store with a clock past the TTL purges them
 * at connect, and a store on today's clock then no longer finds them; other ids are kept. */
static void test_web_chat_ids_expire_on_the_server(void)
{
    lo_optout_options later = {.clock = later_clock};
    lo_optout *c = open_connected(&later);
    CHECK(lo_optout_has(c, "webchat", "w1") == 0);
    CHECK(lo_optout_has(c, "discord", "u1") == 1);
    close_store(c);
    lo_optout *d = open_connected(NULL);
    CHECK(lo_optout_has(d, "webchat", "w1") == 0);
    CHECK(lo_optout_has(d, "discord", "u1") == 1);
    close_store(d);
}

/* A stop on one store reaches the other through NOTIFY within a second, and so does a start. */
static void test_two_stores_share_one_server(lo_optout *one, lo_optout *two)
{
    double took = 0;
    CHECK(lo_optout_has(two, "discord", "u2") == 0);
    CHECK(lo_optout_set(one, "discord", "u2", true) == 0);
    expect seen = {two, "discord", "u2", 1};
    CHECK(run_until(answers, &seen, 5000, &took));
    printf("a stop on one store reached the other in %.1f ms\n", took);
    CHECK(took < 1000);
    CHECK(lo_optout_set(two, "discord", "u2", false) == 0);
    expect gone = {one, "discord", "u2", 0};
    CHECK(run_until(answers, &gone, 5000, &took));
    printf("a start on the other store reached the first in %.1f ms\n", took);
    CHECK(took < 1000);
}

typedef struct outage {
    lo_optout *one;
    double started, slowest_lookup_ms, longest_gap_ms, last_tick;
    int set;
} outage;

/* Every 5 ms during the outage: one more opt-out on one store, every lookup timed. */
static void on_outage_tick(uv_timer_t *timer)
{
    outage *o = timer->data;
    double now = now_ms();
    if (o->last_tick > 0 && now - o->last_tick > o->longest_gap_ms)
        o->longest_gap_ms = now - o->last_tick;
    o->last_tick = now;
    char user[32];
    if (o->set < OUTAGE_OPTOUTS) {
        snprintf(user, sizeof user, "out%d", o->set++);
        CHECK(lo_optout_set(o->one, "discord", user, true) == 0);
    }
    for (int i = 0; i < o->set; i++) {
        snprintf(user, sizeof user, "out%d", i);
        double before = now_ms();
        CHECK(lo_optout_has(o->one, "discord", user) == 1);
        double took = now_ms() - before;
        if (took > o->slowest_lookup_ms)
            o->slowest_lookup_ms = took;
    }
}

static bool outage_over(void *ctx)
{
    const outage *o = ctx;
    return now_ms() - o->started > 1500;
}

static int count_outage_optouts(lo_optout *store)
{
    int found = 0;
    char user[32];
    for (int i = 0; i < OUTAGE_OPTOUTS; i++) {
        snprintf(user, sizeof user, "out%d", i);
        found += lo_optout_has(store, "discord", user) == 1;
    }
    return found;
}

static bool all_outage_optouts(void *store)
{
    return lo_optout_pg_connected(store) && count_outage_optouts(store) == OUTAGE_OPTOUTS;
}

/* The server stops mid-run: both stores keep answering from memory, opt-outs set on one are
 * queued (never refused), and once the server is back every one of them is on it. */
static void test_outage_loses_nothing(lo_optout *one, lo_optout *two)
{
    CHECK(server("stop") == 0);
    outage o = {.one = one, .started = now_ms()};
    uv_timer_t tick;
    uv_timer_init(loop, &tick);
    tick.data = &o;
    uv_timer_start(&tick, on_outage_tick, 5, 5);
    run_until(outage_over, &o, 5000, NULL);
    uv_close((uv_handle_t *)&tick, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    CHECK(o.set == OUTAGE_OPTOUTS);
    CHECK(!lo_optout_pg_connected(one));
    CHECK(lo_optout_pending(one) >= OUTAGE_OPTOUTS);
    CHECK(lo_optout_has(two, "discord", "u1") == 1); /* the other store still answers */
    printf("outage: %d opt-outs queued (%zu writes pending), slowest lookup %.3f ms, longest "
           "loop stall %.1f ms\n",
           o.set, lo_optout_pending(one), o.slowest_lookup_ms, o.longest_gap_ms);
    CHECK(o.slowest_lookup_ms < 5);
    CHECK(o.longest_gap_ms < 250);

    CHECK(server("start") == 0);
    double took = 0;
    CHECK(run_until(all_saved, one, 20000, &took));
    printf("server back: the queue was sent %.0f ms after it started\n", took);
    CHECK(run_until(all_outage_optouts, two, 20000, NULL));
    lo_optout *fresh = open_connected(NULL);
    int kept = count_outage_optouts(fresh);
    printf("after the outage: %d of %d opt-outs on the server\n", kept, OUTAGE_OPTOUTS);
    CHECK(kept == OUTAGE_OPTOUTS);
    close_store(fresh);
}

static bool has_pending(void *store)
{
    return lo_optout_pending(store) > 0 && !lo_optout_pg_connected(store);
}

/* The server refuses a write (a constraint stands in for a permission or a full disk): it stays
 * queued, with the one behind it, and both are saved once the server takes them. */
static void test_refused_write_retried_not_dropped(lo_optout *one, lo_optout *two)
{
    CHECK(server_sql("sql", "ALTER TABLE leanon_optouts ADD CONSTRAINT refuse "
                            "CHECK (user_id <> $$refused$$)") == 0);
    CHECK(lo_optout_set(one, "discord", "refused", true) == 0);
    CHECK(lo_optout_set(one, "discord", "behind", true) == 0);
    CHECK(run_until(has_pending, one, 5000, NULL)); /* refused: the connection is dropped */
    CHECK(lo_optout_pending(one) == 2);
    CHECK(strstr(lo_optout_error(one), "violates check constraint \"refuse\"") != NULL);
    CHECK(strstr(lo_optout_error(one), "refused,") == NULL); /* no row, so no user id */
    CHECK(lo_optout_has(one, "discord", "refused") == 1);
    CHECK(server_sql("sql", "ALTER TABLE leanon_optouts DROP CONSTRAINT refuse") == 0);
    CHECK(run_until(all_saved, one, 20000, NULL));
    expect both = {two, "discord", "behind", 1};
    CHECK(run_until(answers, &both, 5000, NULL));
    CHECK(lo_optout_has(two, "discord", "refused") == 1);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_optout_pg PG_SERVER_SH\n");
        return 2;
    }
    helper = argv[1];
    snprintf(dir, sizeof dir, "/tmp/leanon-pg-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    int made = server("init");
    if (made != 0) {
        rmdir(dir);
        return made;
    }
    server_made = true;
    atexit(remove_server);
    CHECK(server("start") == 0);
    char port_path[96];
    snprintf(port_path, sizeof port_path, "%s/port", dir);
    FILE *port = fopen(port_path, "r");
    int port_number = 0;
    CHECK(port && fscanf(port, "%d", &port_number) == 1);
    if (port)
        fclose(port);
    snprintf(dsn, sizeof dsn,
             "host=127.0.0.1 port=%d user=leanon dbname=postgres sslmode=disable "
             "gssencmode=disable connect_timeout=5",
             port_number);
    loop = uv_default_loop();

    test_bad_dsn_refused_without_quoting_it();
    test_kept_across_restart();
    test_web_chat_ids_expire_on_the_server();
    lo_optout *one = open_connected(NULL);
    lo_optout *two = open_connected(NULL);
    test_two_stores_share_one_server(one, two);
    test_outage_loses_nothing(one, two);
    test_refused_write_retried_not_dropped(one, two);
    close_store(one);
    close_store(two);
    CHECK(uv_run(loop, UV_RUN_NOWAIT) == 0); /* every handle closed */
    CHECK(uv_loop_close(loop) == 0);
    TEST_MAIN_END();
}
