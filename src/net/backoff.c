/* backoff.c - exponential backoff with full jitter (see src/net/backoff.h).
 *
 * Kept apart from the clients so both use one formula and tests can drive it with a fixed
 * random source.
 */
#include "net/backoff.h"

#include <sys/random.h>
#include <time.h>

uint64_t lo_backoff_ceiling_ms(const lo_backoff_policy *policy, unsigned attempt)
{
    uint64_t ceiling = policy->base_ms;
    for (unsigned i = 0; i < attempt && ceiling < policy->cap_ms; i++) {
        ceiling = ceiling > UINT64_MAX / 2 ? UINT64_MAX : ceiling * 2;
    }
    return ceiling < policy->cap_ms ? ceiling : policy->cap_ms;
}

uint64_t lo_backoff_delay_ms(const lo_backoff_policy *policy, unsigned attempt, const lo_rng *rng)
{
    uint64_t ceiling = lo_backoff_ceiling_ms(policy, attempt);
    uint64_t jitter =
        ceiling == UINT64_MAX ? rng->next(rng->state) : rng->next(rng->state) % (ceiling + 1);
    return policy->floor_ms + jitter;
}

static uint64_t xorshift_state;

static uint64_t xorshift_next(void *state)
{
    uint64_t *x = state;
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 0x2545F4914F6CDD1DULL;
}

const lo_rng *lo_rng_default(void)
{
    static const lo_rng rng = {xorshift_next, &xorshift_state};
    while (xorshift_state == 0) {
        if (getrandom(&xorshift_state, sizeof xorshift_state, GRND_NONBLOCK) !=
            sizeof xorshift_state) {
            xorshift_state = (uint64_t)time(NULL) ^ 0x9E3779B97F4A7C15ULL;
        }
    }
    return &rng;
}
