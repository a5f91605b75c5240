/* test_forbidden.c - the table of channels that refused the bot: remembered for ten minutes,
 * then forgotten; other channels unaffected; a full table makes room from the oldest entry. */
#include "platforms/discord_forbidden.h"
#include "testing.h"

#include <stdlib.h>

int main(void)
{
    lo_discord_forbidden *t = calloc(1, sizeof *t);
    CHECK(!lo_discord_forbidden_has(t, "20", 0));
    lo_discord_forbidden_add(t, "20", 1000);
    CHECK(lo_discord_forbidden_has(t, "20", 1000));
    CHECK(!lo_discord_forbidden_has(t, "21", 1000));
    CHECK(lo_discord_forbidden_has(t, "20", 1000 + LO_DISCORD_FORBIDDEN_MS - 1));
    CHECK(!lo_discord_forbidden_has(t, "20", 1000 + LO_DISCORD_FORBIDDEN_MS));

    /* full: 256 channels at times 0..255; one more pushes out the oldest ("c0") only */
    char name[24];
    for (unsigned i = 0; i < LO_DISCORD_FORBIDDEN_SLOTS; i++) {
        snprintf(name, sizeof name, "c%u", i);
        lo_discord_forbidden_add(t, name, 2000000 + i);
    }
    lo_discord_forbidden_add(t, "new", 2000000 + 300);
    CHECK(lo_discord_forbidden_has(t, "new", 2000000 + 300));
    CHECK(!lo_discord_forbidden_has(t, "c0", 2000000 + 300));
    CHECK(lo_discord_forbidden_has(t, "c1", 2000000 + 300));
    CHECK(lo_discord_forbidden_has(t, "c255", 2000000 + 300));
    free(t);
    TEST_MAIN_END();
}
