/* test_gateway.c - every rule of the gateway state machine, driven with a scripted clock and
 * random source (no sockets, no sleeping, no timing that can flake): Hello and the jittered
 * first heartbeat, Identify (intents, shard, token), sequence tracking, READY, zombie
 * detection, op 1, op 7, op 9 true/false with its pause, fatal close codes, 4007/4009, resume
 * on other codes, the identify limits, the 120 / 60 s send limit and the handshake timeouts. */
#include "platforms/discord_gateway.h"
#include "testing.h"

#include <stdlib.h>
#include <string.h>

#define TOKEN "test-token.abc"
#define MAX_FRAMES 512

/* A random source that returns the values queued in it, then 0. */
typedef struct scripted_rng {
    uint64_t values[8];
    unsigned count, next;
} scripted_rng;

static uint64_t scripted_next(void *state)
{
    scripted_rng *r = state;
    return r->next < r->count ? r->values[r->next++] : 0;
}

typedef struct recorder {
    json_t *frames[MAX_FRAMES];
    unsigned frame_count;
    uint64_t frame_time[MAX_FRAMES];
    uint64_t now;
    int closes, close_code;
    int fatals, fatal_code;
    char fatal_message[512];
    int dispatches;
    char last_dispatch[64];
} recorder;

static void rec_send(void *user, const char *frame, size_t len)
{
    recorder *r = user;
    if (r->frame_count < MAX_FRAMES) {
        r->frame_time[r->frame_count] = r->now;
        r->frames[r->frame_count++] = json_loadb(frame, len, 0, NULL);
    }
}

static void rec_close(void *user, int code, const char *reason)
{
    recorder *r = user;
    (void)reason;
    r->closes++;
    r->close_code = code;
}

static void rec_dispatch(void *user, const char *type, const json_t *data)
{
    recorder *r = user;
    (void)data;
    r->dispatches++;
    snprintf(r->last_dispatch, sizeof r->last_dispatch, "%s", type);
}

static void rec_fatal(void *user, int code, const char *message)
{
    recorder *r = user;
    r->fatals++;
    r->fatal_code = code;
    snprintf(r->fatal_message, sizeof r->fatal_message, "%s", message);
}

static void rec_clear(recorder *r)
{
    for (unsigned i = 0; i < r->frame_count; i++)
        json_decref(r->frames[i]);
    r->frame_count = 0;
}

static int op_of(const json_t *frame)
{
    return (int)json_integer_value(json_object_get(frame, "op"));
}

static unsigned count_op(const recorder *r, int op)
{
    unsigned n = 0;
    for (unsigned i = 0; i < r->frame_count; i++)
        n += op_of(r->frames[i]) == op;
    return n;
}

static const json_t *last_op(const recorder *r, int op)
{
    for (unsigned i = r->frame_count; i-- > 0;)
        if (op_of(r->frames[i]) == op)
            return r->frames[i];
    return NULL;
}

typedef struct fixture {
    recorder rec;
    scripted_rng rng_state;
    lo_rng rng;
    lo_discord_gateway *g;
} fixture;

static void setup(fixture *f, lo_discord_identify_limits *limits, unsigned shard_id,
                  unsigned shard_count)
{
    memset(f, 0, sizeof *f);
    f->rng.next = scripted_next;
    f->rng.state = &f->rng_state;
    lo_discord_gateway_config config = {
        .token = TOKEN,
        .gateway_url = "wss://gateway.example",
        .shard_id = shard_id,
        .shard_count = shard_count,
        .identify_limits = limits,
        .rng = &f->rng,
        .sink = {rec_send, rec_close, rec_dispatch, rec_fatal, &f->rec},
    };
    f->g = lo_discord_gateway_new(&config);
}

static void teardown(fixture *f)
{
    rec_clear(&f->rec);
    lo_discord_gateway_free(f->g);
}

static void queue_random(fixture *f, uint64_t value)
{
    f->rng_state.values[f->rng_state.count++] = value;
}

static void frame(fixture *f, uint64_t now, const char *text)
{
    f->rec.now = now;
    lo_discord_gateway_frame(f->g, text, strlen(text), now);
}

static void tick(fixture *f, uint64_t now)
{
    f->rec.now = now;
    lo_discord_gateway_tick(f->g, now);
}

/* Connects and says Hello with a 1000 ms interval; the first heartbeat's jitter is `jitter`
 * (a fraction of 2^64). */
static void hello(fixture *f, uint64_t now, uint64_t jitter)
{
    queue_random(f, jitter);
    lo_discord_gateway_opened(f->g, now);
    frame(f, now, "{\"op\":10,\"d\":{\"heartbeat_interval\":1000},\"s\":null,\"t\":null}");
}

static void ready(fixture *f, uint64_t now)
{
    frame(f, now,
          "{\"op\":0,\"s\":1,\"t\":\"READY\",\"d\":{\"v\":10,\"session_id\":\"sess-1\","
          "\"resume_gateway_url\":\"wss://resume.example\",\"user\":{\"id\":\"999\"}}}");
}

static void test_hello_identify_and_jittered_first_heartbeat(void)
{
    fixture f;
    setup(&f, NULL, 0, 0);
    hello(&f, 100, UINT64_C(1) << 62); /* jitter 0.25 -> first heartbeat 250 ms after Hello */
    CHECK_EQ_U64(f.rec.frame_count, 1);
    const json_t *identify = last_op(&f.rec, 2);
    CHECK(identify != NULL);
    const json_t *d = json_object_get(identify, "d");
    CHECK_STR(json_string_value(json_object_get(d, "token")), TOKEN);
    CHECK_EQ_U64(json_integer_value(json_object_get(d, "intents")), 37377); /* 1|512|4096|32768 */
    const json_t *shard = json_object_get(d, "shard");
    CHECK_EQ_U64(json_integer_value(json_array_get(shard, 0)), 0);
    CHECK_EQ_U64(json_integer_value(json_array_get(shard, 1)), 1);
    CHECK(json_is_string(json_object_get(json_object_get(d, "properties"), "os")));
    CHECK_EQ_U64(lo_discord_gateway_next_deadline(f.g), 350);
    tick(&f, 349);
    CHECK_EQ_U64(count_op(&f.rec, 1), 0);
    tick(&f, 350);
    CHECK_EQ_U64(count_op(&f.rec, 1), 1);
    CHECK(json_is_null(json_object_get(last_op(&f.rec, 1), "d"))); /* no sequence yet */
    frame(&f, 360, "{\"op\":11}");
    CHECK_EQ_U64(lo_discord_gateway_next_deadline(f.g), 1350); /* then every interval */
    teardown(&f);
}

static void test_ready_and_sequence(void)
{
    fixture f;
    setup(&f, NULL, 3, 8);
    hello(&f, 0, 0);
    const json_t *shard = json_object_get(json_object_get(last_op(&f.rec, 2), "d"), "shard");
    CHECK_EQ_U64(json_integer_value(json_array_get(shard, 0)), 3);
    CHECK_EQ_U64(json_integer_value(json_array_get(shard, 1)), 8);
    CHECK(lo_discord_gateway_state_of(f.g) == LO_DG_IDENTIFYING);
    ready(&f, 10);
    CHECK(lo_discord_gateway_state_of(f.g) == LO_DG_READY);
    CHECK_STR(lo_discord_gateway_user_id(f.g), "999");
    CHECK_STR(f.rec.last_dispatch, "READY");
    frame(&f, 20, "{\"op\":0,\"s\":42,\"t\":\"MESSAGE_CREATE\",\"d\":{}}");
    CHECK_STR(f.rec.last_dispatch, "MESSAGE_CREATE");
    frame(&f, 21, "{\"op\":1,\"d\":null}"); /* the server asks: heartbeat now */
    CHECK_EQ_U64(json_integer_value(json_object_get(last_op(&f.rec, 1), "d")), 42);
    teardown(&f);
}

static void test_server_heartbeat_request_is_answered_at_once(void)
{
    fixture f;
    setup(&f, NULL, 0, 1);
    hello(&f, 0, UINT64_MAX / 2); /* first heartbeat at ~500 ms */
    ready(&f, 5);
    unsigned before = count_op(&f.rec, 1);
    frame(&f, 10, "{\"op\":1,\"d\":null}");
    CHECK_EQ_U64(count_op(&f.rec, 1), before + 1);
    CHECK_EQ_U64(f.rec.frame_time[f.rec.frame_count - 1], 10);
    teardown(&f);
}

static void test_zombie_closes_and_resumes(void)
{
    fixture f;
    setup(&f, NULL, 0, 1);
    hello(&f, 0, 0);
    ready(&f, 1);
    tick(&f, 0); /* heartbeat 1 (jitter 0) */
    CHECK_EQ_U64(count_op(&f.rec, 1), 1);
    frame(&f, 50, "{\"op\":11}");
    tick(&f, 1000); /* heartbeat 2, acked before: fine */
    CHECK_EQ_U64(count_op(&f.rec, 1), 2);
    CHECK_EQ_U64(f.rec.closes, 0);
    tick(&f, 2000); /* heartbeat 2 never acked: zombie */
    CHECK_EQ_U64(count_op(&f.rec, 1), 2);
    CHECK_EQ_U64(f.rec.closes, 1);
    CHECK(f.rec.close_code != 1000 && f.rec.close_code != 1001);
    CHECK_EQ_U64(lo_discord_gateway_stats_of(f.g).zombies, 1);
    lo_discord_reconnect next = lo_discord_gateway_closed(f.g, f.rec.close_code, 2001);
    CHECK(next.reconnect);
    CHECK(next.resume);
    CHECK_STR(next.url, "wss://resume.example/?v=10&encoding=json");
    rec_clear(&f.rec);
    hello(&f, 2100, 0);
    CHECK_EQ_U64(count_op(&f.rec, 2), 0);
    const json_t *resume = last_op(&f.rec, 6);
    CHECK(resume != NULL);
    const json_t *d = json_object_get(resume, "d");
    CHECK_STR(json_string_value(json_object_get(d, "session_id")), "sess-1");
    CHECK_STR(json_string_value(json_object_get(d, "token")), TOKEN);
    CHECK_EQ_U64(json_integer_value(json_object_get(d, "seq")), 1);
    CHECK(lo_discord_gateway_state_of(f.g) == LO_DG_RESUMING);
    frame(&f, 2200, "{\"op\":0,\"s\":2,\"t\":\"RESUMED\",\"d\":null}");
    CHECK(lo_discord_gateway_state_of(f.g) == LO_DG_READY);
    teardown(&f);
}

static void test_reconnect_op7_resumes_on_resume_url(void)
{
    fixture f;
    setup(&f, NULL, 0, 1);
    CHECK_STR(lo_discord_gateway_url(f.g), "wss://gateway.example/?v=10&encoding=json");
    hello(&f, 0, UINT64_MAX / 2);
    ready(&f, 1);
    frame(&f, 5, "{\"op\":7,\"d\":null}");
    CHECK_EQ_U64(f.rec.closes, 1);
    CHECK(f.rec.close_code != 1000 && f.rec.close_code != 1001);
    CHECK_EQ_U64(lo_discord_gateway_next_deadline(f.g),
                 UINT64_MAX);              /* no heartbeat while closing */
    frame(&f, 6, "{\"op\":1,\"d\":null}"); /* ignored while closing */
    CHECK_EQ_U64(count_op(&f.rec, 1), 0);
    lo_discord_reconnect next = lo_discord_gateway_closed(f.g, f.rec.close_code, 7);
    CHECK(next.reconnect && next.resume);
    CHECK_STR(next.url, "wss://resume.example/?v=10&encoding=json");
    teardown(&f);
}

static void test_invalid_session_false_identifies_after_pause(void)
{
    fixture f;
    setup(&f, NULL, 0, 1);
    hello(&f, 0, UINT64_MAX / 2);
    ready(&f, 1);
    rec_clear(&f.rec);
    queue_random(&f, 2500); /* pause = 1000 + 2500 % 4001 = 3500 ms */
    frame(&f, 100, "{\"op\":9,\"d\":false}");
    CHECK_EQ_U64(lo_discord_gateway_next_deadline(f.g) <= 3600, 1);
    f.rec.now = 3599;
    lo_discord_gateway_tick(f.g, 3599);
    frame(&f, 3599, "{\"op\":11}");
    CHECK_EQ_U64(count_op(&f.rec, 2), 0);
    tick(&f, 3600);
    CHECK_EQ_U64(count_op(&f.rec, 2), 1);
    CHECK_EQ_U64(count_op(&f.rec, 6), 0);
    /* the session is gone: a later drop identifies anew on the first URL */
    lo_discord_reconnect next = lo_discord_gateway_closed(f.g, 1006, 4000);
    CHECK(next.reconnect && !next.resume);
    CHECK_STR(next.url, "wss://gateway.example/?v=10&encoding=json");
    teardown(&f);
}

static void test_invalid_session_true_resumes_after_pause(void)
{
    fixture f;
    setup(&f, NULL, 0, 1);
    hello(&f, 0, UINT64_MAX / 2);
    ready(&f, 1);
    rec_clear(&f.rec);
    queue_random(&f, 0); /* shortest pause: exactly 1 s */
    frame(&f, 100, "{\"op\":9,\"d\":true}");
    tick(&f, 1099);
    CHECK_EQ_U64(count_op(&f.rec, 6), 0);
    tick(&f, 1100);
    CHECK_EQ_U64(count_op(&f.rec, 6), 1);
    CHECK_EQ_U64(count_op(&f.rec, 2), 0);
    frame(&f, 1100, "{\"op\":11}");
    /* the longest pause is 5 s */
    rec_clear(&f.rec);
    queue_random(&f, 4000);
    frame(&f, 2000, "{\"op\":9,\"d\":true}");
    frame(&f, 2000, "{\"op\":11}"); /* the heartbeat due at 2000 went out with it */
    tick(&f, 6999);
    CHECK_EQ_U64(count_op(&f.rec, 6), 0);
    tick(&f, 7000);
    CHECK_EQ_U64(count_op(&f.rec, 6), 1);
    teardown(&f);
}

static void test_fatal_close_codes_stop(void)
{
    static const int codes[] = {4004, 4010, 4011, 4012, 4013, 4014};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        fixture f;
        setup(&f, NULL, 0, 1);
        hello(&f, 0, 0);
        lo_discord_reconnect next = lo_discord_gateway_closed(f.g, codes[i], 10);
        CHECK(!next.reconnect);
        CHECK_EQ_U64(f.rec.fatals, 1);
        CHECK_EQ_U64(f.rec.fatal_code, codes[i]);
        CHECK(strstr(f.rec.fatal_message, "not reconnecting") != NULL);
        CHECK(strstr(f.rec.fatal_message, TOKEN) == NULL);
        CHECK(lo_discord_gateway_state_of(f.g) == LO_DG_STOPPED);
        if (codes[i] == 4014) {
            CHECK(strstr(f.rec.fatal_message, "Message Content Intent") != NULL);
            CHECK(strstr(f.rec.fatal_message, "developers/applications") != NULL);
        }
        if (codes[i] == 4004)
            CHECK(strstr(f.rec.fatal_message, "LEANON_DISCORD_TOKEN") != NULL);
        /* stopped stays stopped: no frames handled, no second verdict */
        lo_discord_gateway_opened(f.g, 20);
        frame(&f, 20, "{\"op\":10,\"d\":{\"heartbeat_interval\":1000}}");
        CHECK(!lo_discord_gateway_closed(f.g, 1006, 30).reconnect);
        CHECK_EQ_U64(f.rec.fatals, 1);
        teardown(&f);
    }
}

static void test_new_session_codes_and_resumable_codes(void)
{
    static const int new_session[] = {4007, 4009};
    for (size_t i = 0; i < 2; i++) {
        fixture f;
        setup(&f, NULL, 0, 1);
        hello(&f, 0, 0);
        ready(&f, 1);
        lo_discord_reconnect next = lo_discord_gateway_closed(f.g, new_session[i], 10);
        CHECK(next.reconnect && !next.resume);
        CHECK_STR(next.url, "wss://gateway.example/?v=10&encoding=json");
        rec_clear(&f.rec);
        hello(&f, 20, 0);
        CHECK_EQ_U64(count_op(&f.rec, 2), 1);
        CHECK_EQ_U64(count_op(&f.rec, 6), 0);
        teardown(&f);
    }
    static const int resumable[] = {1000, 1001, 1006, 4000, 4001, 4002, 4003, 4005, 4008};
    for (size_t i = 0; i < sizeof resumable / sizeof resumable[0]; i++) {
        fixture f;
        setup(&f, NULL, 0, 1);
        hello(&f, 0, 0);
        ready(&f, 1);
        lo_discord_reconnect next = lo_discord_gateway_closed(f.g, resumable[i], 10);
        CHECK(next.reconnect && next.resume);
        CHECK_EQ_U64(f.rec.fatals, 0);
        teardown(&f);
    }
    /* before READY there is nothing to resume */
    fixture f;
    setup(&f, NULL, 0, 1);
    hello(&f, 0, 0);
    lo_discord_reconnect next = lo_discord_gateway_closed(f.g, 1006, 10);
    CHECK(next.reconnect && !next.resume);
    teardown(&f);
}

static void test_identify_limits(void)
{
    lo_discord_identify_limits *limits = lo_discord_identify_limits_new();
    /* no start left: the first Identify waits for reset_after */
    lo_discord_identify_limits_learn(limits, 0, 3000, 2, 0);
    fixture a, b, c;
    setup(&a, limits, 0, 4);
    setup(&b, limits, 2, 4); /* same bucket as shard 0: 2 % 2 == 0 */
    setup(&c, limits, 1, 4); /* the other bucket */
    hello(&a, 0, UINT64_MAX / 2);
    hello(&b, 0, UINT64_MAX / 2);
    hello(&c, 0, UINT64_MAX / 2);
    CHECK_EQ_U64(count_op(&a.rec, 2) + count_op(&b.rec, 2) + count_op(&c.rec, 2), 0);
    tick(&a, 3000);
    tick(&b, 3000);
    tick(&c, 3000);
    CHECK_EQ_U64(count_op(&a.rec, 2), 1);
    CHECK_EQ_U64(count_op(&b.rec, 2), 0); /* its bucket allows one Identify per 5 s */
    CHECK_EQ_U64(count_op(&c.rec, 2), 1);
    frame(&b, 3000, "{\"op\":11}");
    CHECK_EQ_U64(lo_discord_gateway_next_deadline(b.g) <= 8000, 1);
    tick(&b, 7999);
    frame(&b, 7999, "{\"op\":11}");
    CHECK_EQ_U64(count_op(&b.rec, 2), 0);
    tick(&b, 8000);
    CHECK_EQ_U64(count_op(&b.rec, 2), 1);
    teardown(&a);
    teardown(&b);
    teardown(&c);

    /* one shard re-identifying is spaced too, and remaining counts down */
    lo_discord_identify_limits_learn(limits, 2, 60000, 1, 100000);
    CHECK_EQ_U64(lo_discord_identify_limits_reserve(limits, 0, 100000), 100000);
    CHECK_EQ_U64(lo_discord_identify_limits_reserve(limits, 0, 100000), 105000);
    CHECK_EQ_U64(lo_discord_identify_limits_reserve(limits, 0, 100000), 160000); /* none left */
    CHECK_EQ_U64(lo_discord_identify_limits_reserve(limits, 0, 100000), 165000);
    lo_discord_identify_limits_free(limits);
}

static void test_send_limit(void)
{
    fixture f;
    setup(&f, NULL, 0, 1);
    /* a 100 s interval, the first heartbeat at 99 s: the window test runs before it */
    queue_random(&f, UINT64_MAX / 100 * 99);
    lo_discord_gateway_opened(f.g, 0);
    frame(&f, 0, "{\"op\":10,\"d\":{\"heartbeat_interval\":100000}}"); /* Identify: 1 */
    ready(&f, 1); /* a dispatch in, nothing out: the session is up, no handshake deadline */
    for (int i = 0; i < 200; i++) /* a flood of heartbeat requests at t = 10 */
        frame(&f, 10, "{\"op\":1,\"d\":null}");
    CHECK_EQ_U64(f.rec.frame_count, LO_DISCORD_SEND_LIMIT);
    CHECK(lo_discord_gateway_stats_of(f.g).sends_deferred > 0);
    /* nothing more until the oldest send (Identify at t = 0) leaves the 60 s window */
    CHECK_EQ_U64(lo_discord_gateway_next_deadline(f.g) <= 60000, 1);
    tick(&f, 59999);
    CHECK_EQ_U64(f.rec.frame_count, LO_DISCORD_SEND_LIMIT);
    tick(&f, 60000);
    CHECK_EQ_U64(f.rec.frame_count, LO_DISCORD_SEND_LIMIT + 1);
    /* never more than the limit inside any 60 s window */
    for (unsigned i = LO_DISCORD_SEND_LIMIT; i < f.rec.frame_count; i++)
        CHECK(f.rec.frame_time[i] - f.rec.frame_time[i - LO_DISCORD_SEND_LIMIT] >=
              LO_DISCORD_SEND_WINDOW_MS);
    teardown(&f);
}

static void test_garbage_frames_are_ignored(void)
{
    fixture f;
    setup(&f, NULL, 0, 1);
    lo_discord_gateway_opened(f.g, 0);
    frame(&f, 0, "not json");
    frame(&f, 0, "[1,2]");
    frame(&f, 0, "{\"op\":\"10\"}");
    frame(&f, 0, "{\"op\":10,\"d\":{\"heartbeat_interval\":-5}}");
    CHECK_EQ_U64(f.rec.frame_count, 0);
    CHECK(lo_discord_gateway_state_of(f.g) == LO_DG_WAIT_HELLO);
    teardown(&f);
}

static void test_handshake_timeouts(void)
{
    /* no Hello: closed after 20 s */
    fixture f;
    setup(&f, NULL, 0, 1);
    lo_discord_gateway_opened(f.g, 1000);
    CHECK_EQ_U64(lo_discord_gateway_next_deadline(f.g), 21000);
    tick(&f, 20999);
    CHECK_EQ_U64(f.rec.closes, 0);
    tick(&f, 21000);
    CHECK_EQ_U64(f.rec.closes, 1);
    CHECK(f.rec.close_code != 1000 && f.rec.close_code != 1001);
    CHECK_EQ_U64(lo_discord_gateway_stats_of(f.g).handshake_timeouts, 1);
    teardown(&f);

    /* READY within 30 s of Identify clears the deadline */
    setup(&f, NULL, 0, 1);
    queue_random(&f, UINT64_MAX - 1); /* first heartbeat near 100 s: out of the way */
    lo_discord_gateway_opened(f.g, 0);
    frame(&f, 0, "{\"op\":10,\"d\":{\"heartbeat_interval\":100000}}");
    ready(&f, 29999);
    tick(&f, 30000);
    CHECK_EQ_U64(f.rec.closes, 0);
    teardown(&f);

    /* Identify without READY: closed 30 s later */
    setup(&f, NULL, 0, 1);
    queue_random(&f, UINT64_MAX - 1);
    lo_discord_gateway_opened(f.g, 0);
    frame(&f, 0, "{\"op\":10,\"d\":{\"heartbeat_interval\":100000}}");
    CHECK_EQ_U64(count_op(&f.rec, 2), 1);
    tick(&f, 29999);
    CHECK_EQ_U64(f.rec.closes, 0);
    tick(&f, 30000);
    CHECK_EQ_U64(f.rec.closes, 1);
    teardown(&f);
}

int main(void)
{
    test_hello_identify_and_jittered_first_heartbeat();
    test_ready_and_sequence();
    test_server_heartbeat_request_is_answered_at_once();
    test_zombie_closes_and_resumes();
    test_reconnect_op7_resumes_on_resume_url();
    test_invalid_session_false_identifies_after_pause();
    test_invalid_session_true_resumes_after_pause();
    test_fatal_close_codes_stop();
    test_new_session_codes_and_resumable_codes();
    test_identify_limits();
    test_send_limit();
    test_garbage_frames_are_ignored();
    test_handshake_timeouts();
    TEST_MAIN_END();
}
