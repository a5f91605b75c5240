/* optout_pg.h - the opt-out store several leanon processes share: PostgreSQL.
 *
 * The same API as the sqlite store (bot/optout.h), for "store": "postgresql".
 * libpq runs on the event loop without ever blocking it: lo_optout_has answers
 * from an in-memory set of the opted-out (platform, user) loaded at connect,
 * lo_optout_set changes that set at once and queues the write, which is sent
 * when connected and retried with backoff across an outage (never dropped
 * while the process lives). Every write notifies LO_OPTOUT_PG_CHANNEL with
 * the ids it changed; the other processes LISTEN and apply it to their set.
 * Web chat ids expire as in sqlite (LO_OPTOUT_BROWSER_TTL_SECONDS unseen),
 * purged on the server at connect and at each lo_optout_purge.
 *
 * Limits: writes still queued when the process exits are lost (logged as
 * optout.pg.unsaved); until the first load has arrived, lo_optout_has answers
 * -1 (unknown) except for ids set by this process; libpq resolves a host
 * name with a blocking lookup at each connect (give an address: hostaddr=).
 */
#ifndef LEANON_BOT_OPTOUT_PG_H
#define LEANON_BOT_OPTOUT_PG_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#include "bot/optout.h"

#define LO_OPTOUT_PG_TABLE "leanon_optouts"
#define LO_OPTOUT_PG_CHANNEL "leanon_optout"

/* Opens the store on loop and starts connecting to dsn (a libpq connection
 * string) in the background; options may be NULL (busy_timeout_ms unused).
 * NULL with the reason in err only for a dsn libpq cannot parse; the reason
 * never quotes the dsn, which may hold a password. */
lo_optout *lo_optout_open_pg(uv_loop_t *loop, const char *dsn, const lo_optout_options *options,
                             char *err, size_t err_size);
/* Connected, with the server's opt-outs loaded (and the queue being sent). */
bool lo_optout_pg_connected(const lo_optout *store);

#endif
