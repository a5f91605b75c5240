/* optout.h - who asked the bot to leave them alone ("stop"), kept on disk.
 *
 * Stores a platform name, a platform user id and when that id was last seen
 * per opted-out person, nothing else. One API over two stores: the embedded
 * default is one sqlite file in WAL mode (lo_optout_open, here); every change
 * is committed before the call returns, so it survives a crash right after.
 * A store that fails its integrity check is refused at open. The store that
 * several processes share is PostgreSQL (bot/optout_pg.h): it answers from
 * memory and queues its writes, so lo_optout_pending and lo_optout_stop
 * matter there (for sqlite they are 0 and nothing).
 *
 * Web chat ids are random ids a browser keeps in local storage: once cleared
 * they never come back, so their rows expire LO_OPTOUT_BROWSER_TTL_SECONDS
 * after the id was last seen (said stop, or wrote while opted out). Ids of
 * the other platforms are a person's account and are kept until "start".
 */
#ifndef LEANON_BOT_OPTOUT_H
#define LEANON_BOT_OPTOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The platform whose ids expire, and after how long unseen (180 days). */
#define LO_OPTOUT_EXPIRING_PLATFORM "webchat"
#define LO_OPTOUT_BROWSER_TTL_SECONDS (INT64_C(180) * 24 * 3600)
/* How long a write waits for another process's lock before it fails. */
#define LO_OPTOUT_BUSY_TIMEOUT_MS 3000

typedef struct lo_optout lo_optout;

typedef struct lo_optout_options {
    int busy_timeout_ms;          /* 0: LO_OPTOUT_BUSY_TIMEOUT_MS */
    int64_t (*clock)(void *user); /* wall clock, unix seconds; NULL: time() */
    void *clock_user;
} lo_optout_options;

/* Opens (creating or upgrading if needed) the store at path, checks its
 * integrity and purges expired ids. options may be NULL. On failure returns
 * NULL and writes the reason, naming the file and what to do, into err. */
lo_optout *lo_optout_open(const char *path, const lo_optout_options *options, char *err,
                          size_t err_size);
void lo_optout_close(lo_optout *store);

/* Records (opted_out true) or removes (false) an opt-out. 0 or -1. */
int lo_optout_set(lo_optout *store, const char *platform, const char *user, bool opted_out);
/* 1 when opted out, 0 when not (or expired), -1 on a storage error. */
int lo_optout_has(lo_optout *store, const char *platform, const char *user);
/* Deletes the expired web chat ids; how many, or -1. */
int lo_optout_purge(lo_optout *store);
/* What the last failed call ran into (the store's words: no ids, no text). */
const char *lo_optout_error(const lo_optout *store);
/* Changes accepted but not yet stored for good (queued for PostgreSQL). */
size_t lo_optout_pending(const lo_optout *store);
/* Closes the store's handles on the event loop, if any (the loop must run on
 * for them to close); then lo_optout_close. Idempotent. */
void lo_optout_stop(lo_optout *store);

#endif
