/* optout.c - the opt-out API (forwarded to the configured store) and the
 * embedded store on sqlite.
 *
 * One table, (platform, user_id) as the key and seen_at (unix seconds) as the
 * only other column: the bot stores nothing about a person but the fact that
 * they said "stop" and, for web chat ids that expire, when it last saw them.
 * WAL journal with synchronous=FULL: a committed opt-out is on disk before
 * lo_optout_set returns, whatever happens to the process next. Statements are
 * prepared once. Another process (an operator's sqlite3 shell, a backup) may
 * hold the write lock: writes wait for it up to the busy timeout, then fail.
 *
 * Schema versions (PRAGMA user_version): 0 is the first store, without
 * seen_at; 1 adds it, set to the upgrade time for the rows already there so
 * none expires sooner than a full LO_OPTOUT_BROWSER_TTL_SECONDS after it.
 */
#include "bot/optout.h"
#include "bot/optout_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"

#define SCHEMA_VERSION 1
/* A lookup refreshes a web chat row's seen_at when it is older than this. */
#define TOUCH_AFTER_SECONDS (24 * INT64_C(3600))

typedef struct sqlite_store {
    lo_optout base; /* first: a lo_optout * is a sqlite_store * */
    sqlite3 *db;
    sqlite3_stmt *insert;
    sqlite3_stmt *remove;
    sqlite3_stmt *lookup;
    sqlite3_stmt *touch;
    sqlite3_stmt *purge;
    int busy_timeout_ms;
    int64_t (*clock)(void *user);
    void *clock_user;
    int last_rc; /* the sqlite result of the last failed call */
} sqlite_store;

static const char pragmas[] = "PRAGMA journal_mode=WAL;"
                              "PRAGMA synchronous=FULL;";

/* Version 0 to 1; the first statement makes a new file a version 0 store. */
static const char upgrade_to_1[] =
    "CREATE TABLE IF NOT EXISTS optouts ("
    "  platform TEXT NOT NULL,"
    "  user_id TEXT NOT NULL,"
    "  PRIMARY KEY (platform, user_id)"
    ") WITHOUT ROWID;"
    "ALTER TABLE optouts ADD COLUMN seen_at INTEGER NOT NULL DEFAULT 0;";

static int64_t system_clock(void *user)
{
    (void)user;
    return (int64_t)time(NULL);
}

static int64_t now_of(const sqlite_store *store)
{
    return store->clock(store->clock_user);
}

static void sqlite_close(lo_optout *base)
{
    sqlite_store *store = (sqlite_store *)base;
    sqlite3_finalize(store->insert);
    sqlite3_finalize(store->remove);
    sqlite3_finalize(store->lookup);
    sqlite3_finalize(store->touch);
    sqlite3_finalize(store->purge);
    sqlite3_close(store->db);
    free(store);
}

/* PRAGMA quick_check: SQLITE_OK when the file is sound, SQLITE_CORRUPT when
 * it is damaged (or not a database), with sqlite's first complaint in why;
 * another sqlite error (the file locked, unreadable) when it could not tell. */
static int check_integrity(sqlite3 *db, char *why, size_t why_size)
{
    sqlite3_stmt *check = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &check, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(check);
    const char *verdict = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(check, 0) : NULL;
    if (rc == SQLITE_ROW)
        rc = strcmp(verdict ? verdict : "", "ok") == 0 ? SQLITE_OK : SQLITE_CORRUPT;
    else if (rc == SQLITE_NOTADB)
        rc = SQLITE_CORRUPT;
    if (rc == SQLITE_CORRUPT) {
        snprintf(why, why_size, "%s", verdict ? verdict : sqlite3_errmsg(db));
        for (char *p = why; (p = strchr(p, '\n')) != NULL;)
            *p = ' '; /* one line for the operator */
    }
    sqlite3_finalize(check);
    return rc;
}

/* Reads PRAGMA user_version; -1 on an error. */
static int schema_version(sqlite3 *db)
{
    sqlite3_stmt *stmt = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        version = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return version;
}

/* Brings the schema to SCHEMA_VERSION in one transaction. SQLITE_OK, an
 * sqlite error, or SQLITE_MISMATCH for a store made by a newer leanon. */
static int upgrade(sqlite_store *store)
{
    int rc = sqlite3_exec(store->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return rc;
    int version = schema_version(store->db);
    if (version < 0 || version > SCHEMA_VERSION)
        rc = version < 0 ? sqlite3_errcode(store->db) : SQLITE_MISMATCH;
    if (rc == SQLITE_OK && version == 0) {
        char set_seen[160];
        snprintf(set_seen, sizeof set_seen,
                 "UPDATE optouts SET seen_at = %lld; PRAGMA user_version = %d;",
                 (long long)now_of(store), SCHEMA_VERSION);
        rc = sqlite3_exec(store->db, upgrade_to_1, NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(store->db, set_seen, NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int prepare(sqlite_store *store)
{
    static const struct {
        size_t offset;
        const char *sql;
    } statements[] = {
        {offsetof(sqlite_store, insert),
         "INSERT INTO optouts (platform, user_id, seen_at) VALUES (?1, ?2, ?3)"
         " ON CONFLICT DO UPDATE SET seen_at = excluded.seen_at"},
        {offsetof(sqlite_store, remove),
         "DELETE FROM optouts WHERE platform = ?1 AND user_id = ?2"},
        {offsetof(sqlite_store, lookup),
         "SELECT seen_at FROM optouts WHERE platform = ?1 AND user_id = ?2"},
        {offsetof(sqlite_store, touch),
         "UPDATE optouts SET seen_at = ?3 WHERE platform = ?1 AND user_id = ?2"},
        {offsetof(sqlite_store, purge), "DELETE FROM optouts WHERE platform = ?1 AND seen_at < ?2"},
    };
    for (size_t i = 0; i < sizeof statements / sizeof *statements; i++) {
        sqlite3_stmt **slot = (sqlite3_stmt **)((char *)store + statements[i].offset);
        int rc = sqlite3_prepare_v2(store->db, statements[i].sql, -1, slot, NULL);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static int sqlite_purge(lo_optout *base);
static const lo_optout_ops sqlite_ops;

lo_optout *lo_optout_open(const char *path, const lo_optout_options *options, char *err,
                          size_t err_size)
{
    sqlite_store *store = lo_xcalloc(1, sizeof *store);
    store->base.ops = &sqlite_ops;
    store->busy_timeout_ms = options && options->busy_timeout_ms > 0 ? options->busy_timeout_ms
                                                                     : LO_OPTOUT_BUSY_TIMEOUT_MS;
    store->clock = options && options->clock ? options->clock : system_clock;
    store->clock_user = options ? options->clock_user : NULL;
    int rc = sqlite3_open_v2(
        path, &store->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        char why[256];
        sqlite3_busy_timeout(store->db, store->busy_timeout_ms);
        rc = check_integrity(store->db, why, sizeof why);
        if (rc == SQLITE_CORRUPT) {
            snprintf(
                err, err_size,
                "opt-out store %s is damaged (%s); leanon will not start with it. Move it aside "
                "(mv '%s' '%s.damaged') and start again with a new, empty store; "
                "docs/running.md says how to recover the opt-outs it held",
                path, why, path, path);
            sqlite_close(&store->base);
            return NULL;
        }
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(store->db, pragmas, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = upgrade(store);
    if (rc == SQLITE_OK)
        rc = prepare(store);
    if (rc == SQLITE_OK && sqlite_purge(&store->base) < 0)
        rc = store->last_rc;
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_MISMATCH)
            snprintf(err, err_size,
                     "opt-out store %s was written by a newer leanon (schema version "
                     "above %d); run that version, or point optout_db elsewhere",
                     path, SCHEMA_VERSION);
        else
            snprintf(err, err_size, "opt-out store %s: %s", path,
                     store->db && sqlite3_errcode(store->db) != SQLITE_OK
                         ? sqlite3_errmsg(store->db)
                         : sqlite3_errstr(rc));
        sqlite_close(&store->base);
        return NULL;
    }
    return &store->base;
}

/* Binds the key (and seen_at as ?3 when the statement has it), steps once and
 * resets; returns the sqlite step result, remembering a failure. A row's first
 * column goes to *column when column is not NULL. */
static int run_keyed(sqlite_store *store, sqlite3_stmt *stmt, const char *platform,
                     const char *user, int64_t seen_at, int64_t *column)
{
    int rc = sqlite3_bind_text(stmt, 1, platform, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(stmt, 2, user, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && sqlite3_bind_parameter_count(stmt) >= 3)
        rc = sqlite3_bind_int64(stmt, 3, seen_at);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW && column)
        *column = sqlite3_column_int64(stmt, 0);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        store->last_rc = rc;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return rc;
}

static int sqlite_set(lo_optout *base, const char *platform, const char *user, bool opted_out)
{
    sqlite_store *store = (sqlite_store *)base;
    int rc = run_keyed(store, opted_out ? store->insert : store->remove, platform, user,
                       now_of(store), NULL);
    return rc == SQLITE_DONE ? 0 : -1;
}

static bool expires(const char *platform)
{
    return strcmp(platform, LO_OPTOUT_EXPIRING_PLATFORM) == 0;
}

static int sqlite_has(lo_optout *base, const char *platform, const char *user)
{
    sqlite_store *store = (sqlite_store *)base;
    int64_t seen_at = 0;
    int rc = run_keyed(store, store->lookup, platform, user, 0, &seen_at);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? 0 : -1;
    if (!expires(platform))
        return 1;
    int64_t now = now_of(store);
    if (seen_at < now - LO_OPTOUT_BROWSER_TTL_SECONDS)
        return 0; /* expired; the next purge deletes it */
    if (seen_at < now - TOUCH_AFTER_SECONDS) {
        /* Seen again: the expiry starts over. Not worth a wait, nor an error:
         * the row is valid either way and the next lookup tries again. */
        sqlite3_busy_timeout(store->db, 0);
        run_keyed(store, store->touch, platform, user, now, NULL);
        sqlite3_busy_timeout(store->db, store->busy_timeout_ms);
    }
    return 1;
}

static int sqlite_purge(lo_optout *base)
{
    sqlite_store *store = (sqlite_store *)base;
    sqlite3_stmt *purge = store->purge;
    int rc = sqlite3_bind_text(purge, 1, LO_OPTOUT_EXPIRING_PLATFORM, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(purge, 2, now_of(store) - LO_OPTOUT_BROWSER_TTL_SECONDS);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(purge);
    int purged = rc == SQLITE_DONE ? sqlite3_changes(store->db) : -1;
    if (rc != SQLITE_DONE)
        store->last_rc = rc;
    sqlite3_reset(purge);
    sqlite3_clear_bindings(purge);
    return purged;
}

static const char *sqlite_error(const lo_optout *base)
{
    const sqlite_store *store = (const sqlite_store *)base;
    return store->last_rc ? sqlite3_errstr(store->last_rc) : "no error";
}

static const lo_optout_ops sqlite_ops = {
    .set = sqlite_set,
    .has = sqlite_has,
    .purge = sqlite_purge,
    .error = sqlite_error,
    .close = sqlite_close,
};

/* The public API: the same calls whichever store is behind. */

void lo_optout_close(lo_optout *store)
{
    if (store)
        store->ops->close(store);
}

int lo_optout_set(lo_optout *store, const char *platform, const char *user, bool opted_out)
{
    return store && platform && user ? store->ops->set(store, platform, user, opted_out) : -1;
}

int lo_optout_has(lo_optout *store, const char *platform, const char *user)
{
    return store && platform && user ? store->ops->has(store, platform, user) : -1;
}

int lo_optout_purge(lo_optout *store)
{
    return store ? store->ops->purge(store) : -1;
}

const char *lo_optout_error(const lo_optout *store)
{
    return store ? store->ops->error(store) : "no error";
}

size_t lo_optout_pending(const lo_optout *store)
{
    return store && store->ops->pending ? store->ops->pending(store) : 0;
}

void lo_optout_stop(lo_optout *store)
{
    if (store && store->ops->stop)
        store->ops->stop(store);
}
