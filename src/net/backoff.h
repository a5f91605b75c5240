/* backoff.h - exponential backoff with full jitter, shared by the HTTP and websocket clients.
 *
 * The delay before retry number `attempt` (0 for the first retry) is
 *     floor_ms + uniform(0 .. min(cap_ms, base_ms * 2^attempt))
 * ("full jitter": many clients that failed together do not come back together). The random
 * source is injected so tests can check every delay exactly.
 */
#ifndef LEANON_BACKOFF_H
#define LEANON_BACKOFF_H

#include <stdint.h>

/* A source of uniformly distributed 64-bit values. */
typedef struct lo_rng {
    uint64_t (*next)(void *state);
    void *state;
} lo_rng;

typedef struct lo_backoff_policy {
    uint64_t base_ms;  /* ceiling of the first retry's jitter window */
    uint64_t cap_ms;   /* the window never grows past this */
    uint64_t floor_ms; /* always waited, on top of the jitter (0 = pure full jitter) */
} lo_backoff_policy;

/* The jitter window for retry `attempt`: min(cap_ms, base_ms * 2^attempt), overflow-safe. */
uint64_t lo_backoff_ceiling_ms(const lo_backoff_policy *policy, unsigned attempt);

/* The delay to wait before retry `attempt`, drawing one value from `rng`. */
uint64_t lo_backoff_delay_ms(const lo_backoff_policy *policy, unsigned attempt, const lo_rng *rng);

/* A process-wide default random source (xorshift64*, seeded once from getrandom(2)).
 * Not for cryptography: only to spread retries. Single-threaded use (the one loop). */
const lo_rng *lo_rng_default(void);

#endif
