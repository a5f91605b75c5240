/* optout_store.h - what a backing store of lo_optout provides (private to src/bot).
 *
 * The bot calls one opt-out API (optout.h) whichever store the run config
 * names; each store starts its own struct with a struct lo_optout whose ops
 * point at its functions: the sqlite file (optout.c) or PostgreSQL
 * (optout_pg.c). optout.c forwards every public call through these.
 */
#ifndef LEANON_BOT_OPTOUT_STORE_H
#define LEANON_BOT_OPTOUT_STORE_H

#include "bot/optout.h"

typedef struct lo_optout_ops {
    int (*set)(lo_optout *store, const char *platform, const char *user, bool opted_out);
    int (*has)(lo_optout *store, const char *platform, const char *user);
    int (*purge)(lo_optout *store);
    const char *(*error)(const lo_optout *store);
    size_t (*pending)(const lo_optout *store); /* NULL: never anything queued */
    void (*stop)(lo_optout *store);            /* NULL: holds no loop handle */
    void (*close)(lo_optout *store);
} lo_optout_ops;

struct lo_optout {
    const lo_optout_ops *ops;
};

#endif
