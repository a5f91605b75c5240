/* optout_pg.c - the shared opt-out store on PostgreSQL, driven by the event loop.
 *
 * One connection, one query at a time, in phases: CONNECTING (PQconnectPoll
 * on the socket's readiness), SETUP (the table, LISTEN), LOADING (purge the
 * expired web chat ids, read every row into memory), READY (send the queue's
 * head; apply the other processes' notifications). Any failure drops the
 * connection and retries after a backoff delay; the memory set stays and
 * keeps answering. LISTEN commits before the load's snapshot is taken, so no
 * change between the two is missed. A queued op is removed only when the
 * server has answered it; a notification for an id this process still has a
 * write queued for is ignored (that write reaches the server later and wins).
 */
#include "bot/optout_pg.h"

#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot/optout_store.h"
#include "common/buf.h"
#include "net/backoff.h"
#include "obs/log.h"

#define CONNECT_TIMEOUT_MS 10000
#define QUERY_TIMEOUT_MS 10000
#define FIRST_BUCKETS 64
/* A lookup refreshes a web chat id's seen_at when it is older than this (as in sqlite). */
#define TOUCH_AFTER_SECONDS (24 * INT64_C(3600))

static const lo_backoff_policy retry_policy = {.base_ms = 250, .cap_ms = 5000, .floor_ms = 100};

static const char setup_sql[] = "CREATE TABLE IF NOT EXISTS " LO_OPTOUT_PG_TABLE " ("
                                " platform text NOT NULL, user_id text NOT NULL,"
                                " seen_at bigint NOT NULL, PRIMARY KEY (platform, user_id));"
                                "LISTEN " LO_OPTOUT_PG_CHANNEL;

typedef enum op_kind { OP_SET, OP_REMOVE, OP_TOUCH, OP_PURGE } op_kind;

/* Each op's statement and its parameters (op_params). */
static const char *const op_sql[] = {
    [OP_SET] = "WITH w AS (INSERT INTO " LO_OPTOUT_PG_TABLE
               " (platform, user_id, seen_at) VALUES ($1, $2, $3)"
               " ON CONFLICT (platform, user_id) DO UPDATE SET seen_at = excluded.seen_at)"
               " SELECT pg_notify('" LO_OPTOUT_PG_CHANNEL "', $4)",
    [OP_REMOVE] =
        "WITH w AS (DELETE FROM " LO_OPTOUT_PG_TABLE " WHERE platform = $1 AND user_id = $2)"
        " SELECT pg_notify('" LO_OPTOUT_PG_CHANNEL "', $3)",
    [OP_TOUCH] = "WITH w AS (UPDATE " LO_OPTOUT_PG_TABLE " SET seen_at = $3"
                 " WHERE platform = $1 AND user_id = $2 RETURNING 1)"
                 " SELECT pg_notify('" LO_OPTOUT_PG_CHANNEL "', $4) FROM w",
    [OP_PURGE] = "DELETE FROM " LO_OPTOUT_PG_TABLE " WHERE platform = $1 AND seen_at < $2::bigint",
};

typedef struct op {
    struct op *next;
    op_kind kind;
    int64_t seen_at; /* OP_PURGE: the cutoff */
    char *platform, *user;
} op;

/* One opted-out id in memory; key is platform '\0' user '\0'. */
typedef struct entry {
    struct entry *next;
    int64_t seen_at;
    const char *user; /* into key */
    char key[];
} entry;

typedef enum phase { IDLE, CONNECTING, SETUP, LOADING, READY, STOPPED } phase;

typedef struct pg_store {
    lo_optout base; /* first: a lo_optout * is a pg_store * */
    uv_loop_t *loop;
    char *dsn;
    PGconn *conn;
    uv_poll_t *poll;  /* on PQsocket(conn); remade whenever libpq may have changed it */
    uv_timer_t timer; /* IDLE: the retry; otherwise: the answer's deadline */
    phase phase;
    bool busy;         /* a query was sent and its results are not all in */
    bool query_failed; /* one of its results was an error */
    bool loaded;       /* memory holds the server's set (since the first load) */
    bool purge_queued;
    bool free_when_closed;
    int open_handles;
    unsigned attempt;
    entry **buckets;
    size_t nbuckets, count;
    op *head, *tail;
    size_t queued;
    int64_t (*clock)(void *user);
    void *clock_user;
    char error[256];
} pg_store;

static int64_t system_clock(void *user)
{
    (void)user;
    return (int64_t)time(NULL);
}

static int64_t now_of(const pg_store *s)
{
    return s->clock(s->clock_user);
}

static bool expires(const char *platform)
{
    return strcmp(platform, LO_OPTOUT_EXPIRING_PLATFORM) == 0;
}

/* ---- the in-memory set ---- */

static size_t bucket_of(const pg_store *s, const char *platform, const char *user)
{
    uint64_t h = lo_hash(platform, strlen(platform)) * 31 + lo_hash(user, strlen(user));
    return (size_t)(h & (s->nbuckets - 1));
}

/* The slot that points at the entry for (platform, user), or at the NULL ending its chain. */
static entry **slot_of(pg_store *s, const char *platform, const char *user)
{
    entry **slot = &s->buckets[bucket_of(s, platform, user)];
    while (*slot && (strcmp((*slot)->key, platform) != 0 || strcmp((*slot)->user, user) != 0))
        slot = &(*slot)->next;
    return slot;
}

static void grow_buckets(pg_store *s)
{
    size_t old_n = s->nbuckets;
    entry **old = s->buckets;
    s->nbuckets = old_n ? old_n * 2 : FIRST_BUCKETS;
    s->buckets = lo_xcalloc(s->nbuckets, sizeof(entry *));
    for (size_t b = 0; b < old_n; b++)
        for (entry *e = old[b], *next; e; e = next) {
            next = e->next;
            entry **head = &s->buckets[bucket_of(s, e->key, e->user)];
            e->next = *head;
            *head = e;
        }
    free(old);
}

static void remember(pg_store *s, const char *platform, const char *user, int64_t seen_at)
{
    entry **slot = slot_of(s, platform, user);
    if (*slot) {
        (*slot)->seen_at = seen_at;
        return;
    }
    size_t plen = strlen(platform), ulen = strlen(user);
    entry *e = lo_xcalloc(1, sizeof *e + plen + ulen + 2);
    memcpy(e->key, platform, plen + 1);
    memcpy(e->key + plen + 1, user, ulen + 1);
    e->user = e->key + plen + 1;
    e->seen_at = seen_at;
    *slot = e;
    if (++s->count > s->nbuckets)
        grow_buckets(s);
}

static void forget(pg_store *s, const char *platform, const char *user)
{
    entry **slot = slot_of(s, platform, user);
    entry *e = *slot;
    if (!e)
        return;
    *slot = e->next;
    free(e);
    s->count--;
}

static void forget_all(pg_store *s)
{
    for (size_t b = 0; b < s->nbuckets; b++)
        for (entry *e = s->buckets[b], *next; e; e = next) {
            next = e->next;
            free(e);
        }
    memset(s->buckets, 0, s->nbuckets * sizeof(entry *));
    s->count = 0;
}

/* What an op does to memory (a purge is done in memory when it is queued). */
static void apply_op(pg_store *s, const op *o)
{
    if (o->kind == OP_SET || o->kind == OP_TOUCH)
        remember(s, o->platform, o->user, o->seen_at);
    else if (o->kind == OP_REMOVE)
        forget(s, o->platform, o->user);
}

/* ---- the connection ---- */

static void on_handle_closed(uv_handle_t *handle)
{
    pg_store *s = handle->data;
    if (handle != (uv_handle_t *)&s->timer)
        free(handle);
    if (--s->open_handles == 0 && s->free_when_closed) {
        forget_all(s);
        free(s->buckets);
        free(s);
    }
}

static void unwatch(pg_store *s)
{
    if (!s->poll)
        return;
    uv_close((uv_handle_t *)s->poll, on_handle_closed);
    s->poll = NULL;
}

static void on_poll(uv_poll_t *poll, int status, int events);
static void fail(pg_store *s, const char *why);

/* Watches the connection's socket for events, on a new handle when renew (libpq may have
 * closed the socket and opened another under the same number while connecting). false when
 * there is no socket any more (the connection is then dropped). */
static bool watch(pg_store *s, int events, bool renew)
{
    if (renew)
        unwatch(s);
    if (!s->poll) {
        if (PQsocket(s->conn) < 0) {
            fail(s, PQerrorMessage(s->conn));
            return false;
        }
        s->poll = lo_xcalloc(1, sizeof *s->poll);
        if (uv_poll_init(s->loop, s->poll, PQsocket(s->conn)) != 0) {
            free(s->poll);
            s->poll = NULL;
            return true; /* the deadline timer drops the connection */
        }
        s->poll->data = s;
        s->open_handles++;
    }
    uv_poll_start(s->poll, events, on_poll);
    return true;
}

static void drop_connection(pg_store *s)
{
    unwatch(s); /* before PQfinish closes the socket under it */
    if (s->conn)
        PQfinish(s->conn);
    s->conn = NULL;
    s->busy = false;
    s->query_failed = false;
}

/* One line, the store's words: libpq's messages name the host and user, never the password. */
static void keep_error(pg_store *s, const char *why)
{
    snprintf(s->error, sizeof s->error, "%s", why && *why ? why : "unknown error");
    for (char *p = s->error; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    size_t n = strlen(s->error);
    while (n && s->error[n - 1] == ' ')
        s->error[--n] = '\0';
}

static void on_timer(uv_timer_t *timer);

/* Drops the connection and retries later; why NULL: the reason already kept in s->error. */
static void fail(pg_store *s, const char *why)
{
    if (why)
        keep_error(s, why);
    drop_connection(s);
    s->phase = IDLE;
    uint64_t delay = lo_backoff_delay_ms(&retry_policy, s->attempt, lo_rng_default());
    if (s->attempt < 30)
        s->attempt++;
    char reason[300];
    lo_log(LO_LOG_WARN, "optout.pg.unavailable", "reason=%s queued=%zu retry_ms=%llu",
           lo_log_quote(s->error, reason, sizeof reason), s->queued, (unsigned long long)delay);
    uv_timer_start(&s->timer, on_timer, delay, 0);
}

static void ignore_notice(void *user, const char *message)
{
    (void)user; /* "relation already exists, skipping" and the like */
    (void)message;
}

static void connect_now(pg_store *s)
{
    s->conn = lo_xcheck(PQconnectStart(s->dsn));
    if (PQstatus(s->conn) == CONNECTION_BAD) {
        fail(s, PQerrorMessage(s->conn));
        return;
    }
    PQsetNoticeProcessor(s->conn, ignore_notice, NULL);
    s->phase = CONNECTING;
    uv_timer_start(&s->timer, on_timer, CONNECT_TIMEOUT_MS, 0);
    watch(s, UV_WRITABLE, true); /* libpq: first wait as for PGRES_POLLING_WRITING */
}

static void on_timer(uv_timer_t *timer)
{
    pg_store *s = timer->data;
    if (s->phase == IDLE)
        connect_now(s);
    else if (s->phase != STOPPED && s->phase != READY)
        fail(s, "no answer from the server in time");
    else if (s->busy)
        fail(s, "no answer to a write in time");
}

/* Sends sql (with params) and watches for its answer; the deadline restarts. */
static void send_query(pg_store *s, const char *sql, int nparams, const char *const *params)
{
    int sent = nparams ? PQsendQueryParams(s->conn, sql, nparams, NULL, params, NULL, NULL, 0)
                       : PQsendQuery(s->conn, sql);
    int flushed = sent ? PQflush(s->conn) : -1;
    if (flushed < 0) {
        fail(s, PQerrorMessage(s->conn));
        return;
    }
    s->busy = true;
    uv_timer_start(&s->timer, on_timer, QUERY_TIMEOUT_MS, 0);
    watch(s, UV_READABLE | (flushed ? UV_WRITABLE : 0), false);
}

static void send_load(pg_store *s)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "DELETE FROM " LO_OPTOUT_PG_TABLE " WHERE platform = '%s' AND seen_at < %lld;"
             "SELECT platform, user_id, seen_at FROM " LO_OPTOUT_PG_TABLE,
             LO_OPTOUT_EXPIRING_PLATFORM, (long long)(now_of(s) - LO_OPTOUT_BROWSER_TTL_SECONDS));
    s->phase = LOADING;
    send_query(s, sql, 0, NULL);
}

/* The queue's head, when connected and nothing is in flight. */
static void send_next(pg_store *s)
{
    if (s->phase != READY || s->busy || !s->head)
        return;
    const op *o = s->head;
    char seen[24];
    snprintf(seen, sizeof seen, "%lld", (long long)o->seen_at);
    lo_strbuf payload = {0};
    lo_strbuf_addf(&payload, "%c%s\n%s\n%s", o->kind == OP_REMOVE ? '-' : '+', seen, o->platform,
                   o->user);
    const char *params[4];
    int n = 0;
    params[n++] = o->platform;
    params[n++] = o->kind == OP_PURGE ? seen : o->user;
    if (o->kind == OP_SET || o->kind == OP_TOUCH)
        params[n++] = seen;
    if (o->kind != OP_PURGE)
        params[n++] = payload.data;
    send_query(s, op_sql[o->kind], n, params);
    lo_strbuf_free(&payload);
}

static void connected(pg_store *s)
{
    if (PQsetnonblocking(s->conn, 1) != 0) {
        fail(s, PQerrorMessage(s->conn));
        return;
    }
    s->phase = SETUP;
    send_query(s, setup_sql, 0, NULL);
}

static bool has_queued_op_for(const pg_store *s, const char *platform, const char *user)
{
    for (const op *o = s->head; o; o = o->next)
        if (o->kind != OP_PURGE && strcmp(o->platform, platform) == 0 && strcmp(o->user, user) == 0)
            return true;
    return false;
}

/* Replaces memory with the server's rows, then replays the queue on top (it is newer). */
static void load_rows(pg_store *s, const PGresult *res)
{
    forget_all(s);
    for (int i = 0, n = PQntuples(res); i < n; i++)
        remember(s, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
                 strtoll(PQgetvalue(res, i, 2), NULL, 10));
    for (const op *o = s->head; o; o = o->next)
        apply_op(s, o);
    s->loaded = true;
}

/* payload: "+SEEN_AT\nPLATFORM\nUSER" (opted out) or "-0\nPLATFORM\nUSER" (start). */
static void apply_notification(pg_store *s, const char *payload)
{
    const char *platform_at = strchr(payload, '\n');
    const char *user_at = platform_at ? strchr(platform_at + 1, '\n') : NULL;
    if (!user_at || (payload[0] != '+' && payload[0] != '-') || !user_at[1])
        return; /* not ours, or a purge */
    char *platform = lo_xstrndup(platform_at + 1, (size_t)(user_at - platform_at - 1));
    const char *user = user_at + 1;
    if (!has_queued_op_for(s, platform, user)) {
        if (payload[0] == '+')
            remember(s, platform, user, strtoll(payload + 1, NULL, 10));
        else
            forget(s, platform, user);
    }
    free(platform);
}

static void apply_notifications(pg_store *s)
{
    PGnotify *n;
    while (s->conn && (n = PQnotifies(s->conn)) != NULL) {
        if (n->be_pid != PQbackendPID(s->conn) && strcmp(n->relname, LO_OPTOUT_PG_CHANNEL) == 0)
            apply_notification(s, n->extra);
        PQfreemem(n);
    }
}

static void pop_head(pg_store *s)
{
    op *o = s->head;
    s->head = o->next;
    if (!s->head)
        s->tail = NULL;
    if (o->kind == OP_PURGE)
        s->purge_queued = false;
    s->queued--;
    free(o->platform);
    free(o->user);
    free(o);
}

/* Every result of the query in flight is in: on to the next step. */
static void query_done(pg_store *s)
{
    s->busy = false;
    uv_timer_stop(&s->timer);
    if (s->query_failed) {
        fail(s, NULL);
        return;
    }
    if (s->phase == SETUP) {
        send_load(s);
        return;
    }
    if (s->phase == LOADING) {
        s->phase = READY;
        s->attempt = 0;
        lo_log(LO_LOG_INFO, "optout.pg.connected", "optouts=%zu queued=%zu", s->count, s->queued);
    } else {
        pop_head(s);
        if (!s->head)
            lo_log(LO_LOG_DEBUG, "optout.pg.saved", "queued=0");
    }
    send_next(s);
}

static void read_results(pg_store *s)
{
    if (!PQconsumeInput(s->conn)) {
        fail(s, PQerrorMessage(s->conn));
        return;
    }
    while (s->conn && s->busy && !PQisBusy(s->conn)) {
        PGresult *res = PQgetResult(s->conn);
        if (!res) {
            query_done(s);
            continue;
        }
        ExecStatusType status = PQresultStatus(res);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            s->query_failed = true; /* the primary message only: DETAIL may quote the row */
            keep_error(s, PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
        } else if (s->phase == LOADING && status == PGRES_TUPLES_OK) {
            load_rows(s, res);
        }
        PQclear(res);
    }
    if (s->conn && PQstatus(s->conn) == CONNECTION_BAD) {
        fail(s, PQerrorMessage(s->conn));
        return;
    }
    if (s->phase == READY)
        apply_notifications(s);
}

static void on_poll(uv_poll_t *poll, int status, int events)
{
    pg_store *s = poll->data;
    if (poll != s->poll || !s->conn)
        return;                                 /* a handle being replaced */
    if (status < 0 && s->phase != CONNECTING) { /* connecting: libpq says what went wrong */
        const char *why = PQerrorMessage(s->conn);
        fail(s, *why ? why : uv_strerror(status)); /* libpq may have closed the socket */
        return;
    }
    if (s->phase == CONNECTING) {
        switch (PQconnectPoll(s->conn)) {
        case PGRES_POLLING_READING:
            watch(s, UV_READABLE, true);
            break;
        case PGRES_POLLING_WRITING:
            watch(s, UV_WRITABLE, true);
            break;
        case PGRES_POLLING_OK:
            if (watch(s, UV_READABLE, true))
                connected(s);
            break;
        default:
            fail(s, PQerrorMessage(s->conn));
        }
        return;
    }
    if (events & UV_WRITABLE) {
        int flushed = PQflush(s->conn);
        if (flushed < 0) {
            fail(s, PQerrorMessage(s->conn));
            return;
        }
        if (flushed == 0 && !watch(s, UV_READABLE, false))
            return;
    }
    if (events & UV_READABLE)
        read_results(s);
}

/* ---- the opt-out API ---- */

static void enqueue(pg_store *s, op_kind kind, const char *platform, const char *user,
                    int64_t seen_at)
{
    op *o = lo_xcalloc(1, sizeof *o);
    o->kind = kind;
    o->seen_at = seen_at;
    o->platform = lo_xstrdup(platform);
    o->user = lo_xstrdup(user ? user : "");
    if (s->tail)
        s->tail->next = o;
    else
        s->head = o;
    s->tail = o;
    s->queued++;
    apply_op(s, o);
    send_next(s);
}

static int pg_set(lo_optout *base, const char *platform, const char *user, bool opted_out)
{
    pg_store *s = (pg_store *)base;
    if (s->phase == STOPPED)
        return -1; /* nothing could send it any more: not saved */
    enqueue(s, opted_out ? OP_SET : OP_REMOVE, platform, user, opted_out ? now_of(s) : 0);
    return 0;
}

static int pg_has(lo_optout *base, const char *platform, const char *user)
{
    pg_store *s = (pg_store *)base;
    entry *e = *slot_of(s, platform, user);
    if (!e) {
        if (s->loaded)
            return 0;
        keep_error(s, "the opt-outs have not been loaded from PostgreSQL yet");
        return -1;
    }
    if (!expires(platform))
        return 1;
    int64_t now = now_of(s);
    if (e->seen_at < now - LO_OPTOUT_BROWSER_TTL_SECONDS)
        return 0; /* expired; the next purge deletes it */
    if (e->seen_at < now - TOUCH_AFTER_SECONDS && s->phase != STOPPED)
        enqueue(s, OP_TOUCH, platform, user, now); /* seen again: the expiry starts over */
    return 1;
}

static int pg_purge(lo_optout *base)
{
    pg_store *s = (pg_store *)base;
    int64_t cutoff = now_of(s) - LO_OPTOUT_BROWSER_TTL_SECONDS;
    int purged = 0;
    for (size_t b = 0; b < s->nbuckets; b++)
        for (entry **slot = &s->buckets[b]; *slot;) {
            entry *e = *slot;
            if (expires(e->key) && e->seen_at < cutoff) {
                *slot = e->next;
                free(e);
                s->count--;
                purged++;
            } else {
                slot = &e->next;
            }
        }
    if (!s->purge_queued && s->phase != STOPPED) {
        s->purge_queued = true;
        enqueue(s, OP_PURGE, LO_OPTOUT_EXPIRING_PLATFORM, NULL, cutoff);
    }
    return purged;
}

static const char *pg_error(const lo_optout *base)
{
    const pg_store *s = (const pg_store *)base;
    return *s->error ? s->error : "no error";
}

static size_t pg_pending(const lo_optout *base)
{
    return ((const pg_store *)base)->queued;
}

static void pg_stop(lo_optout *base)
{
    pg_store *s = (pg_store *)base;
    if (s->phase == STOPPED)
        return;
    s->phase = STOPPED;
    drop_connection(s);
    uv_close((uv_handle_t *)&s->timer, on_handle_closed);
    size_t unsaved = s->queued - (s->purge_queued ? 1 : 0);
    if (unsaved)
        lo_log(LO_LOG_ERROR, "optout.pg.unsaved", "count=%zu", unsaved);
}

static void pg_close(lo_optout *base)
{
    pg_store *s = (pg_store *)base;
    pg_stop(base);
    while (s->head)
        pop_head(s);
    memset(s->dsn, 0, strlen(s->dsn));
    free(s->dsn);
    s->free_when_closed = true;
    if (s->open_handles == 0) {
        forget_all(s);
        free(s->buckets);
        free(s);
    }
}

static const lo_optout_ops pg_ops = {
    .set = pg_set,
    .has = pg_has,
    .purge = pg_purge,
    .error = pg_error,
    .pending = pg_pending,
    .stop = pg_stop,
    .close = pg_close,
};

bool lo_optout_pg_connected(const lo_optout *store)
{
    return store && store->ops == &pg_ops && ((const pg_store *)store)->phase == READY;
}

lo_optout *lo_optout_open_pg(uv_loop_t *loop, const char *dsn, const lo_optout_options *options,
                             char *err, size_t err_size)
{
    char *why = NULL;
    PQconninfoOption *parsed = PQconninfoParse(dsn, &why);
    if (!parsed) {
        snprintf(err, err_size,
                 "the PostgreSQL connection string is not valid (a libpq \"key=value ...\" or "
                 "\"postgresql://...\" string; see docs/hosting.md)");
        PQfreemem(why);
        return NULL;
    }
    PQconninfoFree(parsed);
    pg_store *s = lo_xcalloc(1, sizeof *s);
    s->base.ops = &pg_ops;
    s->loop = loop;
    s->dsn = lo_xstrdup(dsn);
    s->clock = options && options->clock ? options->clock : system_clock;
    s->clock_user = options ? options->clock_user : NULL;
    grow_buckets(s);
    uv_timer_init(loop, &s->timer);
    s->timer.data = s;
    s->open_handles = 1;
    connect_now(s);
    return &s->base;
}
