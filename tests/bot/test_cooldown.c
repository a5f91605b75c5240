/* test_cooldown.c - the cooldown map: activity window, update, bound. */
#include "bot/cooldown.h"

#include "../expect.h"

int main(void)
{
    lo_cooldowns *c = lo_cooldowns_new(60, 3);
    EXPECT(!lo_cooldowns_active(c, "a", 10, 100));
    EXPECT(lo_cooldowns_touch(c, "a", 100) == 0);
    EXPECT(lo_cooldowns_active(c, "a", 10, 105));
    EXPECT(!lo_cooldowns_active(c, "a", 10, 110));     /* window is [at, at+10) */
    EXPECT(!lo_cooldowns_active(c, "a", 0, 100));      /* zero cooldown = none */
    EXPECT(!lo_cooldowns_active(c, "b", 10, 105));
    lo_cooldowns_touch(c, "a", 200);
    EXPECT(lo_cooldowns_active(c, "a", 10, 205));
    EXPECT(lo_cooldowns_count(c) == 1);

    lo_cooldowns_touch(c, "b", 201);
    lo_cooldowns_touch(c, "c", 202);
    lo_cooldowns_touch(c, "d", 203);                   /* full: oldest ("a") goes */
    EXPECT(lo_cooldowns_count(c) == 3);
    EXPECT(!lo_cooldowns_active(c, "a", 10, 204));
    EXPECT(lo_cooldowns_active(c, "d", 10, 204));

    lo_cooldowns_touch(c, "e", 1000);                  /* all past the horizon go */
    EXPECT(lo_cooldowns_count(c) == 1);
    lo_cooldowns_free(c);
    return expect_finish();
}
