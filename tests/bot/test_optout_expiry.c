/* test_optout_expiry.c - the opt-out store's seen_at: a version 0 store is
 * upgraded in place with its rows kept, a store from a newer leanon is
 * refused, and web chat ids expire 180 days after last seen (a lookup counts
 * as seen) while other platforms' ids are kept; all on an injected clock. */
#include "bot/optout.h"

#include <sqlite3.h>
#include <stdlib.h>

#include "../testing.h"

#define DAY (24 * INT64_C(3600))

static int64_t fake_now = 1700000000;

static int64_t fake_clock(void *user)
{
    (void)user;
    return fake_now;
}

static const lo_optout_options options = {.clock = fake_clock};

static int exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db) == SQLITE_OK ? sqlite3_exec(db, sql, NULL, NULL, NULL) : -1;
    sqlite3_close(db);
    return rc;
}

/* The one integer the query returns, or -1. */
static long long query(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    long long value = -1;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
}

static void test_version_0_store_upgraded_with_rows_kept(const char *dir)
{
    char path[300], err[1024];
    snprintf(path, sizeof path, "%s/v0.sqlite", dir);
    CHECK(exec(path,
               "PRAGMA journal_mode=WAL;"
               "CREATE TABLE optouts (platform TEXT NOT NULL, user_id TEXT NOT NULL,"
               " PRIMARY KEY (platform, user_id)) WITHOUT ROWID;"
               "INSERT INTO optouts VALUES ('discord', '42'), ('webchat', 'aa11');") == SQLITE_OK);
    lo_optout *store = lo_optout_open(path, &options, err, sizeof err);
    CHECK(store != NULL);
    CHECK(lo_optout_has(store, "discord", "42") == 1);
    CHECK(lo_optout_has(store, "webchat", "aa11") == 1);
    lo_optout_close(store);
    CHECK(query(path, "PRAGMA user_version") == 1);
    CHECK(query(path, "SELECT count(*) FROM optouts WHERE seen_at = 1700000000") == 2);

    store = lo_optout_open(path, &options, err, sizeof err); /* a second open changes nothing */
    CHECK(store != NULL);
    lo_optout_close(store);
    CHECK(query(path, "SELECT count(*) FROM optouts") == 2);

    CHECK(exec(path, "PRAGMA user_version = 2") == SQLITE_OK);
    CHECK(lo_optout_open(path, &options, err, sizeof err) == NULL);
    CHECK(strstr(err, path) && strstr(err, "newer leanon"));
}

static void test_browser_ids_expire_after_180_days_unseen(const char *dir)
{
    char path[300], err[1024];
    snprintf(path, sizeof path, "%s/expiry.sqlite", dir);
    lo_optout *store = lo_optout_open(path, &options, err, sizeof err);
    CHECK(store != NULL);
    int64_t start = fake_now;
    CHECK(lo_optout_set(store, "webchat", "gone", true) == 0);
    CHECK(lo_optout_set(store, "webchat", "returns", true) == 0);
    CHECK(lo_optout_set(store, "discord", "account", true) == 0);

    fake_now = start + 100 * DAY;
    CHECK(lo_optout_has(store, "webchat", "returns") == 1); /* seen: the 180 days start over */
    CHECK(lo_optout_purge(store) == 0);

    fake_now = start + 180 * DAY;
    CHECK(lo_optout_purge(store) == 0); /* the last second of its 180 days */
    fake_now = start + 180 * DAY + 1;
    CHECK(lo_optout_has(store, "webchat", "gone") == 0); /* expired before any purge */
    CHECK(lo_optout_has(store, "webchat", "returns") == 1);
    CHECK(lo_optout_has(store, "discord", "account") == 1);
    CHECK(query(path, "SELECT count(*) FROM optouts") == 3);
    CHECK(lo_optout_purge(store) == 1);
    CHECK(query(path, "SELECT count(*) FROM optouts WHERE user_id = 'gone'") == 0);
    lo_optout_close(store);

    fake_now = start + 400 * DAY; /* purged at open too */
    store = lo_optout_open(path, &options, err, sizeof err);
    CHECK(store != NULL);
    CHECK(query(path, "SELECT count(*) FROM optouts") == 1);
    CHECK(lo_optout_has(store, "discord", "account") == 1);       /* an account is kept */
    CHECK(lo_optout_set(store, "webchat", "returns", true) == 0); /* stop again: stored again */
    CHECK(lo_optout_has(store, "webchat", "returns") == 1);
    lo_optout_close(store);
}

int main(void)
{
    char dir[] = "/tmp/leanon-optout-expiry-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    test_version_0_store_upgraded_with_rows_kept(dir);
    test_browser_ids_expire_after_180_days_unseen(dir);
    CHECK_RM_TREE(dir);
    TEST_MAIN_END();
}
