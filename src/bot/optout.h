/* optout.h - who asked the bot to leave them alone ("stop"), kept on disk.
 *
 * Stores a platform name and a platform user id per opted-out person and
 * nothing else. Backed by one sqlite file in WAL mode; every change is
 * committed before the call returns, so it survives a crash right after.
 */
#ifndef LEANON_BOT_OPTOUT_H
#define LEANON_BOT_OPTOUT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct lo_optout lo_optout;

/* Opens (creating if needed) the store at path. On failure returns NULL and
 * writes the reason into err. */
lo_optout *lo_optout_open(const char *path, char *err, size_t err_size);
void lo_optout_close(lo_optout *store);

/* Records (opted_out true) or removes (false) an opt-out. 0 or -1. */
int lo_optout_set(lo_optout *store, const char *platform, const char *user, bool opted_out);
/* 1 when opted out, 0 when not, -1 on a storage error. */
int lo_optout_has(lo_optout *store, const char *platform, const char *user);

#endif
