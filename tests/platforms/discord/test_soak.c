/* test_soak.c - 5,000 messages from many people in many channels through the platform and the
 * fake Discord, with faults injected throughout: dropped sockets (messages sent meanwhile must
 * come back by replay), op 7, op 9 resumable and not, zombie connections, route and global
 * 429s, and 5xx answers that lose the reply to a message already created. Every message must
 * get exactly one reply, in its own channel, referencing it; resume must be used whenever the
 * session survives. Prints the figures. */
#include "platforms/discord/discord_harness.h"

#include <stdio.h>

enum { MESSAGES = 5000, FAULT_EVERY = 250, BATCH = 50, CHANNELS = 37, PEOPLE = 211 };

typedef enum fault {
    FAULT_DROP,
    FAULT_RECONNECT,
    FAULT_INVALID_RESUMABLE,
    FAULT_ZOMBIE,
    FAULT_429_ROUTE,
    FAULT_500,
    FAULT_429_GLOBAL,
    FAULT_INVALID_NEW_SESSION,
    FAULT_KINDS
} fault;

static bool identifies_at_least(harness *h, const void *arg)
{
    return discord_fake_counts_of(h->fake).identifies >= *(const unsigned *)arg &&
           discord_fake_ready(h->fake);
}

static bool not_ready(harness *h, const void *arg)
{
    (void)arg;
    return !discord_fake_ready(h->fake);
}

static void dispatch_message(harness *h, unsigned i)
{
    char id[24], channel[24], author[24], text[64];
    snprintf(id, sizeof id, "%u", 1000000 + i);
    snprintf(channel, sizeof channel, "%u", 100 + i % CHANNELS);
    snprintf(author, sizeof author, "%u", 5000 + i % PEOPLE);
    snprintf(text, sizeof text, "<@%s> msg %u", DISCORD_FAKE_BOT_ID, i);
    discord_fake_dispatch(h->fake, "MESSAGE_CREATE",
                          message_event(id, channel, "30", author, text, true));
}

int main(void)
{
    harness h;
    start(&h, 400);
    CHECK(wait_until(&h, fake_ready, NULL, 10000));
    unsigned faults[FAULT_KINDS] = {0};
    unsigned expected_resumes = 0, expected_identifies = 1, sent = 0, next_fault = FAULT_EVERY;
    while (sent < MESSAGES) {
        if (sent >= next_fault) {
            fault kind = (fault)((next_fault / FAULT_EVERY - 1) % FAULT_KINDS);
            next_fault += FAULT_EVERY;
            faults[kind]++;
            unsigned want;
            switch (kind) {
            case FAULT_DROP:
                discord_fake_drop(h.fake);
                for (unsigned k = 0; k < 20; k++) /* sent while the bot is away: replayed */
                    dispatch_message(&h, sent++);
                want = ++expected_resumes;
                CHECK(wait_until(&h, resumes_accepted_at_least, &want, 20000));
                break;
            case FAULT_RECONNECT:
                discord_fake_send_reconnect(h.fake);
                want = ++expected_resumes;
                CHECK(wait_until(&h, resumes_accepted_at_least, &want, 20000));
                break;
            case FAULT_INVALID_RESUMABLE:
                discord_fake_send_invalid_session(h.fake, true);
                want = ++expected_resumes; /* resumed on the same connection after 1-5 s */
                CHECK(wait_until(&h, resumes_accepted_at_least, &want, 20000));
                break;
            case FAULT_ZOMBIE:
                discord_fake_set_acks(h.fake, false);
                want = ++expected_resumes;
                CHECK(wait_until(&h, resumes_accepted_at_least, &want, 20000));
                discord_fake_set_acks(h.fake, true);
                break;
            case FAULT_429_ROUTE:
                discord_fake_rest_fail_next(h.fake, 5, 429, 0.2, false);
                break;
            case FAULT_500:
                discord_fake_rest_fail_next(h.fake, 3, 500, 0, false);
                break;
            case FAULT_429_GLOBAL:
                discord_fake_rest_fail_next(h.fake, 2, 429, 0.1, true);
                break;
            case FAULT_INVALID_NEW_SESSION:
                discord_fake_send_invalid_session(h.fake, false);
                want = ++expected_identifies;
                wait_until(&h, not_ready, NULL, 100);
                CHECK(wait_until(&h, identifies_at_least, &want, 20000));
                break;
            default:
                break;
            }
        }
        for (unsigned k = 0; k < BATCH && sent < MESSAGES && sent < next_fault; k++)
            dispatch_message(&h, sent++);
        unsigned caught_up = sent > 200 ? sent - 200 : 0; /* keep at most 200 in flight */
        CHECK(wait_until(&h, messages_at_least, &caught_up, 30000));
    }
    unsigned all = MESSAGES;
    CHECK(wait_until(&h, messages_at_least, &all, 60000));
    wait_until(&h, never, NULL, 500);

    /* exactly one reply per message, in its channel, referencing it */
    /* cppcheck-suppress unassignedVariable ; static, so zero, and counted below */
    static unsigned replies[MESSAGES];
    unsigned wrong_channel = 0, wrong_reference = 0, unknown = 0;
    for (unsigned m = 0; m < discord_fake_messages(h.fake); m++) {
        const char *path;
        const json_t *body = discord_fake_message(h.fake, m, &path);
        unsigned i;
        if (sscanf(json_string_value(json_object_get(body, "content")), "echo: msg %u", &i) != 1 ||
            i >= MESSAGES) {
            unknown++;
            continue;
        }
        replies[i]++;
        char want_path[64], want_ref[24];
        snprintf(want_path, sizeof want_path, "/channels/%u/messages", 100 + i % CHANNELS);
        snprintf(want_ref, sizeof want_ref, "%u", 1000000 + i);
        wrong_channel += strcmp(path, want_path) != 0;
        const char *ref = json_string_value(
            json_object_get(json_object_get(body, "message_reference"), "message_id"));
        wrong_reference += !ref || strcmp(ref, want_ref) != 0;
    }
    unsigned lost = 0, duplicated = 0;
    for (unsigned i = 0; i < MESSAGES; i++) {
        lost += replies[i] == 0;
        duplicated += replies[i] > 1;
    }
    discord_fake_counts counts = discord_fake_counts_of(h.fake);
    unsigned injected = 0;
    for (unsigned k = 0; k < FAULT_KINDS; k++)
        injected += faults[k];
    printf("soak: messages=%u replies=%u lost=%u duplicated=%u wrong_channel=%u "
           "wrong_reference=%u faults=%u (drop=%u op7=%u op9_true=%u zombie=%u 429_route=%u "
           "500=%u 429_global=%u op9_false=%u) resumes=%u identifies=%u rest_429=%u rest_500=%u\n",
           (unsigned)MESSAGES, discord_fake_messages(h.fake), lost, duplicated, wrong_channel,
           wrong_reference, injected, faults[FAULT_DROP], faults[FAULT_RECONNECT],
           faults[FAULT_INVALID_RESUMABLE], faults[FAULT_ZOMBIE], faults[FAULT_429_ROUTE],
           faults[FAULT_500], faults[FAULT_429_GLOBAL], faults[FAULT_INVALID_NEW_SESSION],
           counts.resumes_accepted, counts.identifies, rest_status_count(&h, 429),
           rest_status_count(&h, 500));
    CHECK_EQ_U64(lost, 0);
    CHECK_EQ_U64(duplicated, 0);
    CHECK_EQ_U64(wrong_channel, 0);
    CHECK_EQ_U64(wrong_reference, 0);
    CHECK_EQ_U64(unknown, 0);
    CHECK_EQ_U64(h.answered, MESSAGES); /* no event handled twice */
    CHECK_EQ_U64(counts.resumes_accepted, expected_resumes);
    CHECK_EQ_U64(counts.identifies, expected_identifies);
    CHECK(injected >= 19);
    finish(&h);
    TEST_MAIN_END();
}
