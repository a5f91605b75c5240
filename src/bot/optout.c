/* optout.c - the opt-out store on sqlite.
 *
 * One table, (platform, user_id) as the key, no other columns: the bot stores
 * nothing about a person but the fact that they said "stop". WAL journal with
 * synchronous=FULL: a committed opt-out is on disk before lo_optout_set
 * returns, whatever happens to the process next. Statements are prepared once.
 * Calls are short single-row writes and reads; the busy timeout is small
 * because only this process uses the file.
 */
#include "bot/optout.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

struct lo_optout {
    sqlite3 *db;
    sqlite3_stmt *insert;
    sqlite3_stmt *remove;
    sqlite3_stmt *lookup;
};

static const char schema[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "CREATE TABLE IF NOT EXISTS optouts ("
    "  platform TEXT NOT NULL,"
    "  user_id TEXT NOT NULL,"
    "  PRIMARY KEY (platform, user_id)"
    ") WITHOUT ROWID;";

void lo_optout_close(lo_optout *store)
{
    if (!store)
        return;
    sqlite3_finalize(store->insert);
    sqlite3_finalize(store->remove);
    sqlite3_finalize(store->lookup);
    sqlite3_close(store->db);
    free(store);
}

lo_optout *lo_optout_open(const char *path, char *err, size_t err_size)
{
    lo_optout *store = calloc(1, sizeof *store);
    if (!store) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    int rc = sqlite3_open_v2(path, &store->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(store->db, 200);
        rc = sqlite3_exec(store->db, schema, NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(store->db,
            "INSERT OR IGNORE INTO optouts (platform, user_id) VALUES (?1, ?2)", -1,
            &store->insert, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(store->db,
            "DELETE FROM optouts WHERE platform = ?1 AND user_id = ?2", -1, &store->remove, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(store->db,
            "SELECT 1 FROM optouts WHERE platform = ?1 AND user_id = ?2", -1, &store->lookup, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, err_size, "opt-out store %s: %s", path,
                 store->db ? sqlite3_errmsg(store->db) : sqlite3_errstr(rc));
        lo_optout_close(store);
        return NULL;
    }
    return store;
}

/* Binds the key, steps once, resets; returns the sqlite step result. */
static int run_keyed(sqlite3_stmt *stmt, const char *platform, const char *user)
{
    int rc = sqlite3_bind_text(stmt, 1, platform, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(stmt, 2, user, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return rc;
}

int lo_optout_set(lo_optout *store, const char *platform, const char *user, bool opted_out)
{
    if (!store || !platform || !user)
        return -1;
    int rc = run_keyed(opted_out ? store->insert : store->remove, platform, user);
    return rc == SQLITE_DONE ? 0 : -1;
}

int lo_optout_has(lo_optout *store, const char *platform, const char *user)
{
    if (!store || !platform || !user)
        return -1;
    int rc = run_keyed(store->lookup, platform, user);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : -1;
}
