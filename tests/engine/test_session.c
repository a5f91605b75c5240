/* test_session.c - conversations expire after their time to live, the oldest
 * are evicted past the bound, and reply choice never repeats until a rule's
 * replies are used up. */
#include <stdlib.h>
#include <string.h>

#include "engine/reply.h"
#include "engine/session.h"
#include "testing.h"
#include "leanon/engine.h"

int main(void)
{
    lo_sessions *s = lo_sessions_new(&(lo_sessions_limits){.ttl_seconds = 10, .max_sessions = 3});
    lo_session *a = lo_sessions_get(s, "a", 0);
    a->flow_step = 7;
    CHECK(lo_sessions_get(s, "a", 5) == a && a->flow_step == 7);
    lo_sessions_get(s, "b", 6);
    lo_sessions_get(s, "c", 7);
    CHECK(lo_sessions_count(s) == 3);
    lo_sessions_get(s, "d", 8); /* evicts the least recently used: "a" was used at 5 */
    CHECK(lo_sessions_count(s) == 3);
    CHECK(lo_sessions_get(s, "a", 9)->flow_step == 0); /* a new conversation */
    lo_sessions_expire(s, 100);
    CHECK(lo_sessions_count(s) == 0);
    /* many conversations stay bounded */
    for (int i = 0; i < 10000; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        lo_sessions_get(s, key, 200);
    }
    CHECK(lo_sessions_count(s) == 3);
    lo_sessions_free(s);

    /* no repeats until used up, and never twice in a row across the reset */
    s = lo_sessions_new(NULL);
    lo_sessions_seed(s, 42);
    lo_session *c = lo_sessions_get(s, "x", 0);
    char *texts[] = {"a", "b", "c", "d"};
    for (int round = 0; round < 50; round++) {
        int seen[4] = {0};
        const char *last = NULL;
        for (int i = 0; i < 4; i++) {
            const char *t = lo_pick(c, 99, texts, 4);
            seen[t[0] - 'a']++;
            last = t;
        }
        CHECK(seen[0] == 1 && seen[1] == 1 && seen[2] == 1 && seen[3] == 1);
        const char *next = lo_pick(c, 99, texts, 4);
        CHECK(next != last);
        /* the rest of this round: the three others */
        seen[next[0] - 'a'] = 0;
        for (int i = 0; i < 3; i++) {
            const char *t = lo_pick(c, 99, texts, 4);
            CHECK(seen[t[0] - 'a'] == 1);
            seen[t[0] - 'a'] = 0;
        }
    }
    /* the same seed gives the same choices */
    lo_sessions *s2 = lo_sessions_new(NULL);
    lo_sessions_seed(s2, 42);
    lo_session *c1 = lo_sessions_get(s2, "y", 0);
    lo_sessions *s3 = lo_sessions_new(NULL);
    lo_sessions_seed(s3, 42);
    lo_session *c2 = lo_sessions_get(s3, "y", 0);
    for (int i = 0; i < 20; i++)
        CHECK(lo_pick(c1, 5, texts, 4) == lo_pick(c2, 5, texts, 4));
    /* many rules in one conversation: the slot table stays bounded */
    for (uint64_t r = 0; r < 100; r++)
        lo_pick(c, 1000 + r, texts, 4);
    CHECK(c->nused == LO_SESSION_RULE_SLOTS);
    lo_sessions_free(s);
    lo_sessions_free(s2);
    lo_sessions_free(s3);
    TEST_MAIN_END();
}
