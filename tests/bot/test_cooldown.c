/* test_cooldown.c - the cooldown map: activity window, update, bound. */
#include "bot/cooldown.h"

#include "../testing.h"

int main(void)
{
    lo_cooldowns *c = lo_cooldowns_new(60, 3);
    CHECK(!lo_cooldowns_active(c, "a", 10, 100));
    lo_cooldowns_touch(c, "a", 100);
    CHECK(lo_cooldowns_count(c) == 1);
    CHECK(lo_cooldowns_active(c, "a", 10, 105));
    CHECK(!lo_cooldowns_active(c, "a", 10, 110)); /* window is [at, at+10) */
    CHECK(!lo_cooldowns_active(c, "a", 0, 100));  /* zero cooldown = none */
    CHECK(!lo_cooldowns_active(c, "b", 10, 105));
    lo_cooldowns_touch(c, "a", 200);
    CHECK(lo_cooldowns_active(c, "a", 10, 205));
    CHECK(lo_cooldowns_count(c) == 1);

    lo_cooldowns_touch(c, "b", 201);
    lo_cooldowns_touch(c, "c", 202);
    lo_cooldowns_touch(c, "d", 203); /* full: oldest ("a") goes */
    CHECK(lo_cooldowns_count(c) == 3);
    CHECK(!lo_cooldowns_active(c, "a", 10, 204));
    CHECK(lo_cooldowns_active(c, "d", 10, 204));

    lo_cooldowns_touch(c, "e", 1000); /* all past the horizon go */
    CHECK(lo_cooldowns_count(c) == 1);
    lo_cooldowns_free(c);
    TEST_MAIN_END();
}
