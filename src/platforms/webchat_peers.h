/* webchat_peers.h - how many web chat tabs each client address holds, for the per-address cap. */
#ifndef LEANON_PLATFORMS_WEBCHAT_PEERS_H
#define LEANON_PLATFORMS_WEBCHAT_PEERS_H

#include <stddef.h>

typedef struct lo_peer lo_peer;
typedef struct lo_peers lo_peers;

/* Never NULL. */
lo_peers *lo_peers_new(void);
void lo_peers_free(lo_peers *peers);
/* Tabs the address holds now (0 for one not seen). */
size_t lo_peers_count(const lo_peers *peers, const char *address);
/* Counts one more tab for address; the handle is given back to lo_peers_release. Never NULL
 * (out of memory aborts, the error rule in leanon/engine.h). */
lo_peer *lo_peers_acquire(lo_peers *peers, const char *address);
void lo_peers_release(lo_peers *peers, lo_peer *peer);

#endif
