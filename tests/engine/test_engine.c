/* test_engine.c - the whole pipeline on the fixture set: crisis first and
 * never outranked, idiom guards, precedence and its deterministic tie-break,
 * {name}/{echo} sanitising, followups, and flows with skip, pause, resume
 * and leave. argv[1] is the fixture set. */
#include <stdlib.h>
#include <string.h>

#include "engine/session.h"
#include "testing.h"
#include "leanon/engine.h"

static lo_engine *e;
static lo_sessions *sessions;

static lo_reply say(lo_session *conv, const char *text, const char *name)
{
    lo_message m = {
        .platform = "test", .author_name = name, .text = text, .text_len = strlen(text)};
    lo_reply r;
    lo_engine_reply(e, conv, &m, &(lo_reply_options){.region = "US"}, &r);
    CHECK(r.text != NULL);
    return r;
}

#define EXPECT(conv, text, rule)                                                                   \
    do {                                                                                           \
        lo_reply r_ = say((conv), (text), NULL);                                                   \
        CHECK_STR(r_.rule_id, rule);                                                               \
        lo_reply_clear(&r_);                                                                       \
    } while (0)

int main(int argc, char **argv)
{
    lo_diags *d = lo_diags_new();
    e = lo_engine_load(argc > 1 ? argv[1] : "data/set", d);
    lo_diags_print(d, stderr);
    lo_diags_free(d);
    CHECK(e != NULL);
    if (!e)
        TEST_MAIN_END();
    sessions = lo_sessions_new(NULL);

    /* crisis: first, flagged, with the region's lines, alert requested */
    lo_reply r = say(NULL, "honestly I want to die", NULL);
    CHECK(r.crisis && r.alert_moderators && r.source == LO_SOURCE_SAFETY);
    CHECK_STR(r.category, "crisis-suicide");
    CHECK(strstr(r.text, "988") && strstr(r.text, "911") && strstr(r.text, "findahelpline"));
    lo_reply_clear(&r);
    /* a crisis rule without {helplines} still carries them */
    r = say(NULL, "I cut myself again", NULL);
    CHECK(r.crisis && strstr(r.text, "988"));
    lo_reply_clear(&r);
    /* abuse gets domestic-violence lines */
    r = say(NULL, "he hits me every night", NULL);
    CHECK(r.crisis && strstr(r.text, "799-7233") && !strstr(r.text, "988"));
    lo_reply_clear(&r);
    /* a rule can ask for domestic-violence lines for another category */
    r = say(NULL, "my friend says her boyfriend hits her", NULL);
    CHECK_STR(r.category, "crisis-third-party");
    CHECK(strstr(r.text, "799-7233") && !strstr(r.text, "988"));
    lo_reply_clear(&r);
    /* unknown region: the international directory */
    {
        lo_message m = {.text = "kms", .text_len = 3};
        lo_engine_reply(e, NULL, &m, &(lo_reply_options){.region = "ZZ"}, &r);
        CHECK(r.crisis && strstr(r.text, "findahelpline") && !strstr(r.text, "988"));
        lo_reply_clear(&r);
    }
    /* regression text-len: the length is explicit; text needs no NUL and a
     * length of 0 is an empty message, never "read up to a NUL" */
    {
        char *exact = malloc(13);
        memcpy(exact, "I want to die", 13);
        lo_message m = {.text = exact, .text_len = 13};
        lo_engine_reply(e, NULL, &m, NULL, &r);
        CHECK(r.crisis);
        lo_reply_clear(&r);
        m.text_len = 0;
        lo_engine_reply(e, NULL, &m, NULL, &r);
        CHECK(r.text && !r.crisis);
        CHECK_STR(r.category, "fallback");
        lo_reply_clear(&r);
        free(exact);
    }
    /* negation and guard */
    EXPECT(NULL, "I'm not suicidal, just tired", "fallback");
    EXPECT(NULL, "i don't want to die", "fallback");
    EXPECT(NULL, "I don't want to live anymore", "suicide");
    EXPECT(NULL, "I cut myself shaving lol", "fallback");
    /* the guard covers only its own words: another crisis match still counts */
    EXPECT(NULL, "I cut myself shaving lol. also I want to die", "suicide");
    /* regression guard-star-bypass: words under a guard's '*' are not the
     * guard's to explain; only its own words cancel a crisis match */
    EXPECT(NULL, "I used to cut myself but I am clean now", "fallback");
    EXPECT(NULL, "I used to cut myself and now I want to die, I was clean", "suicide");
    EXPECT(NULL, "I used to cut myself, kms, years of being better", "suicide");
    /* a moderator's rule at the top priority, more specific, still loses to crisis */
    EXPECT(NULL, "i want to die for some pizza", "suicide");
    /* a guard on one occurrence does not hide a second one of the same pattern */
    EXPECT(NULL, "I cut myself shaving and later I cut myself on purpose", "selfharm");
    /* a crisis in a sentence that also matches ordinary rules */
    EXPECT(NULL, "hi, I feel so lonely I want to die", "suicide");

    /* precedence: more literal words win at equal priority */
    EXPECT(NULL, "I feel so lonely", "lonely");
    EXPECT(NULL, "I feel tired", "feel");
    /* exact words: "kms" has no typo allowance, is matched exactly */
    EXPECT(NULL, "kms", "suicide");

    /* {echo} reflects and cannot carry mentions or links */
    r = say(NULL, "I feel my boss @everyone hates me <!channel> https://127.0.0.1", NULL);
    CHECK_STR(r.text, "Why do you feel your boss hates you?");
    lo_reply_clear(&r);
    r = say(NULL, "I feel [click](http://127.0.0.1) @here <@123> sad", NULL);
    CHECK(!strstr(r.text, "@") && !strstr(r.text, "http") && !strstr(r.text, "<") &&
          !strstr(r.text, "](") && strstr(r.text, "sad"));
    lo_reply_clear(&r);
    /* {name} is cleaned too */
    r = say(NULL, "hello", "@everyone [me](http://127.0.0.1)");
    CHECK(!strstr(r.text, "@") && !strstr(r.text, "(") && !strstr(r.text, "http:"));
    lo_reply_clear(&r);
    r = say(NULL, "hello", NULL);
    CHECK(strstr(r.text, "friend") != NULL);
    lo_reply_clear(&r);

    /* no repeat within a conversation until used up */
    lo_session *c = lo_sessions_get(sessions, "norepeat", 0);
    char *seen[3];
    for (int i = 0; i < 3; i++) {
        r = say(c, "hi", NULL);
        CHECK_STR(r.rule_id, "greeting");
        seen[i] = r.text;
    }
    CHECK(strcmp(seen[0], seen[1]) != 0 && strcmp(seen[1], seen[2]) != 0 &&
          strcmp(seen[0], seen[2]) != 0);
    for (int i = 0; i < 3; i++)
        free(seen[i]);

    /* feedback names the rule of the previous reply, nothing of the text */
    c = lo_sessions_get(sessions, "feedback", 0);
    EXPECT(c, "I feel tired", "feel");
    r = say(c, "that was wrong", NULL);
    CHECK(r.feedback == -1);
    CHECK_STR(r.feedback_on, "feel");
    lo_reply_clear(&r);
    r = say(NULL, "that was wrong", NULL);
    CHECK(r.feedback == 0 && r.feedback_on[0] == '\0');
    lo_reply_clear(&r);

    /* followup: "yes" after an offer starts the flow */
    c = lo_sessions_get(sessions, "followup", 0);
    EXPECT(c, "I feel so lonely", "lonely");
    r = say(c, "yes", NULL);
    CHECK_STR(r.rule_id, "reflect");
    CHECK(strstr(r.text, "Question one?") != NULL);
    lo_reply_clear(&r);
    /* ... inside the flow, answers move it on */
    r = say(c, "yeah", NULL);
    CHECK(strstr(r.text, "Yes noted.") && strstr(r.text, "Question two?"));
    CHECK_STR(r.category, "affirmation");
    lo_reply_clear(&r);
    /* crisis inside a flow: answered first, the flow waits */
    r = say(c, "I want to die", NULL);
    CHECK(r.crisis);
    lo_reply_clear(&r);
    CHECK(c->flow_paused);
    r = say(c, "resume", NULL);
    CHECK(strstr(r.text, "Welcome back.") && strstr(r.text, "Question two?"));
    lo_reply_clear(&r);
    r = say(c, "anything at all", NULL);
    CHECK(strstr(r.text, "Got it.") && strstr(r.text, "All done."));
    CHECK(c->flow_hash == 0);
    lo_reply_clear(&r);

    /* skip, pause by starting again, leave */
    c = lo_sessions_get(sessions, "flow2", 0);
    EXPECT(c, "reflect", "reflect");
    r = say(c, "skip", NULL);
    CHECK(strstr(r.text, "Skipping.") && strstr(r.text, "Question two?"));
    lo_reply_clear(&r);
    r = say(c, "later", NULL);
    CHECK(strstr(r.text, "Paused.") && c->flow_paused);
    lo_reply_clear(&r);
    EXPECT(c, "I feel tired", "feel"); /* paused: ordinary rules answer */
    r = say(c, "reflect", NULL);       /* starting again resumes where it was */
    CHECK(strstr(r.text, "Welcome back.") && strstr(r.text, "Question two?"));
    lo_reply_clear(&r);
    r = say(c, "stop", NULL);
    CHECK(strstr(r.text, "Bye for now.") && c->flow_hash == 0);
    lo_reply_clear(&r);

    /* empty, huge and broken input all get a reply */
    EXPECT(NULL, "", "fallback");
    {
        size_t n = 1 << 20;
        char *big = malloc(n + 1);
        memset(big, 'a', n);
        memcpy(big + 100, " I want to die ", 15);
        big[n] = '\0';
        lo_reply rr = say(NULL, big, NULL);
        CHECK(rr.crisis);
        lo_reply_clear(&rr);
        for (size_t i = 0; i < n; i++)
            big[i] = (char)(0x80 + (i % 64));
        rr = say(NULL, big, NULL);
        CHECK_STR(rr.rule_id, "fallback");
        lo_reply_clear(&rr);
        free(big);
    }
    lo_sessions_free(sessions);
    lo_engine_free(e);
    TEST_MAIN_END();
}
