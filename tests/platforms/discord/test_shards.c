/* test_shards.c - shard_count "auto" against the fake Discord: one process runs every shard
 * GET /gateway/bot recommends, each identifying with its [id, count] pair, and the identify
 * limits space shards of one max_concurrency bucket 5 s apart. */
#include "platforms/discord/discord_harness.h"

static bool identifies_at_least(harness *h, const void *arg)
{
    return discord_fake_counts_of(h->fake).identifies >= *(const unsigned *)arg;
}

/* shard_count "auto": every shard /gateway/bot recommends, each identifying with its pair; with
 * max_concurrency 1 the second Identify waits its 5 s turn (a lower bound: it cannot flake) */
static void test_auto_shards(void)
{
    harness h;
    discord_fake_config fc = {
        .heartbeat_interval_ms = 41250, .recommended_shards = 2, .max_concurrency = 1};
    start_with(&h, &fc, true);
    unsigned want = 1;
    CHECK(wait_until(&h, identifies_at_least, &want, 10000));
    wait_until(&h, never, NULL, 2000);
    CHECK_EQ_U64(discord_fake_counts_of(h.fake).identifies, 1);
    CHECK_EQ_U64(discord_fake_counts_of(h.fake).connections, 2);
    want = 2;
    CHECK(wait_until(&h, identifies_at_least, &want, 15000));
    discord_fake_counts counts = discord_fake_counts_of(h.fake);
    CHECK_EQ_U64(counts.shards_identified, 3); /* shards 0 and 1 */
    CHECK_EQ_U64(counts.last_shard_count, 2);
    finish(&h);
}

int main(void)
{
    test_auto_shards();
    TEST_MAIN_END();
}
