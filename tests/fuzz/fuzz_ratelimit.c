/* fuzz_ratelimit.c - the rate-limit headers and 429 bodies (src/net/ratelimit.c). Each input
 * line is one raw response header ("X-RateLimit-Reset-After: 1.5"), except a line starting with
 * '{', which is a 429 body. The facts gathered are learnt as a 200 and as a 429 on two routes
 * sharing one bucket, and the wait that follows must be finite and bounded by what was said. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "net/ratelimit.h"

#define ROUTE_A "POST /channels/{channel_id}/messages"
#define ROUTE_B "PATCH /channels/{channel_id}/messages/{message_id}"
/* seconds_to_ms caps every time it is told at a year; a wait may add the 1 s window. */
#define MAX_WAIT_MS (366ull * 86400 * 1000)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lo_ratelimit_facts facts;
    memset(&facts, 0, sizeof facts);
    const uint8_t *p = data, *end = data + size;
    size_t len;
    const char *line;
    while ((line = fuzz_next_line(&p, end, &len))) {
        if (len && line[0] == '{') {
            json_t *body = json_loadb(line, len, 0, NULL);
            lo_ratelimit_parse_body(&facts, body);
            json_decref(body);
        } else {
            lo_ratelimit_parse_header(&facts, line, len);
        }
    }
    FUZZ_CHECK(memchr(facts.bucket, '\0', sizeof facts.bucket) != NULL);
    FUZZ_CHECK(memchr(facts.scope, '\0', sizeof facts.scope) != NULL);

    lo_ratelimit *limits = lo_ratelimit_new();
    FUZZ_CHECK(limits != NULL);
    lo_ratelimit_set_global_cap(limits, size % 3 ? 50 : 0);
    uint64_t now = 5000;
    for (int status = 200; status <= 429; status += 229) {
        (void)lo_ratelimit_wait_ms(limits, ROUTE_A, "channel:1", now);
        lo_ratelimit_spend(limits, ROUTE_A, "channel:1", now);
        lo_ratelimit_learn(limits, ROUTE_A, "channel:1", status, &facts, now);
        lo_ratelimit_learn(limits, ROUTE_B, "channel:2", status, &facts, now);
        uint64_t wait = lo_ratelimit_wait_ms(limits, ROUTE_B, "channel:1", now);
        FUZZ_CHECK(wait <= MAX_WAIT_MS);
        now += wait + 1;
    }
    lo_ratelimit_free(limits);
    return 0;
}
