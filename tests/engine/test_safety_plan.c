/* test_safety_plan.c - a flow that keeps the person's written answers (steps with "keep")
 * and shows them together at its end ({plan} in the finish), then forgets them; its offer
 * after a crisis reply of the categories it names (once a conversation, never inside it, never
 * in another language); the words kept with mentions and links taken out; and the load's
 * errors for a keep title, {plan} and the offer. On the fixture set (argv[1]) plus a small
 * plan flow, so the exact texts are known. */
#include <stdlib.h>
#include <string.h>

#include "engine/session.h"
#include "fixture.h"
#include "testing.h"
#include "leanon/engine.h"
#include "leanon/tools.h"

#define PLAN_FLOW(keep2, finish, offer)                                                            \
    "{\"flows\": [{\"id\": \"plan\", \"category\": \"safety-plan\", \"start\": [\"^ plan $\"],\n"  \
    " \"examples\": [\"plan\"], \"intro\": \"Let's plan.\",\n"                                     \
    " \"steps\": [\n"                                                                              \
    "  {\"id\": \"signs\", \"keep\": \"My signs\", \"prompt\": \"Signs?\",\n"                      \
    "   \"replies\": {\"text\": [\"Noted.\"]}},\n"                                                 \
    "  {\"id\": \"people\", " keep2                                                                \
    "\"prompt\": \"People?\", \"replies\": {\"text\": [\"Ok.\"]}}\n"                               \
    " ],\n"                                                                                        \
    " \"skip\": [\"Skipped.\"], \"pause\": [\"Paused.\"], \"resume\": [\"Back.\"],\n"              \
    " \"leave\": [\"Another time.\"], \"finish\": [" finish "]" offer "}]}\n"

static const char good[] =
    PLAN_FLOW("\"keep\": \"People I can ask\", ", "\"Your plan:\\n{plan}\\nSave it.\"",
              ", \"offer\": {\"en\": [\"Write plan to make a plan.\"]},"
              " \"offer_after\": [\"crisis-suicide\"]");

static lo_engine *engine;

static lo_reply say(lo_session *conv, const char *text)
{
    return fixture_say(engine, conv, text);
}

/* The reply's text ends with suffix. */
static bool ends_with(const char *text, const char *suffix)
{
    size_t n = strlen(text), k = strlen(suffix);
    return n >= k && strcmp(text + n - k, suffix) == 0;
}

#define EXPECT_TEXT(conv, said, want)                                                              \
    do {                                                                                           \
        lo_reply r_ = say((conv), (said));                                                         \
        CHECK_STR(r_.text, want);                                                                  \
        lo_reply_clear(&r_);                                                                       \
    } while (0)

static void keeps_and_shows(lo_sessions *s)
{
    lo_session *c = lo_sessions_get(s, "keep", 0);
    EXPECT_TEXT(c, "plan", "Let's plan.\n\nSigns?");
    EXPECT_TEXT(c, "when I stop eating", "Noted.\n\nPeople?");
    CHECK_STR(c->kept[0], "when I stop eating");
    /* explain tries a message on a copy: the conversation keeps its words (and ASan sees no
     * leak or double free of the copy's) */
    FILE *devnull = fopen("/dev/null", "w");
    lo_explain(engine, c, "my sister", false, devnull);
    lo_explain(engine, c, "skip", true, devnull);
    fclose(devnull);
    CHECK_STR(c->kept[0], "when I stop eating");
    CHECK(c->kept[1] == NULL);
    /* mentions, links and markup are taken out of what is kept and shown back */
    EXPECT_TEXT(c, "my sister @everyone <@123> see https://x.example/a",
                "Ok.\n\nYour plan:\nMy signs: when I stop eating\n"
                "People I can ask: my sister everyone 123 see https x.example a\nSave it.");
    /* shown once, then forgotten */
    for (size_t i = 0; i < LO_SESSION_KEPT; i++)
        CHECK(c->kept[i] == NULL);
    CHECK(c->flow_hash == 0);
}

static void skipping_and_leaving(lo_sessions *s)
{
    lo_session *c = lo_sessions_get(s, "skip", 0);
    EXPECT_TEXT(c, "plan", "Let's plan.\n\nSigns?");
    EXPECT_TEXT(c, "skip", "Skipped.\n\nPeople?");
    /* a skipped step is left out of the plan */
    EXPECT_TEXT(c, "my brother Sam",
                "Ok.\n\nYour plan:\nPeople I can ask: my brother Sam\nSave it.");
    /* nothing written: the leave text, never an empty plan */
    c = lo_sessions_get(s, "nothing", 0);
    EXPECT_TEXT(c, "plan", "Let's plan.\n\nSigns?");
    EXPECT_TEXT(c, "skip", "Skipped.\n\nPeople?");
    EXPECT_TEXT(c, "skip", "Skipped.\n\nAnother time.");
    /* leaving forgets what was written */
    c = lo_sessions_get(s, "leave", 0);
    EXPECT_TEXT(c, "plan", "Let's plan.\n\nSigns?");
    EXPECT_TEXT(c, "crying a lot", "Noted.\n\nPeople?");
    CHECK(c->kept[0] != NULL);
    EXPECT_TEXT(c, "stop", "Another time.");
    CHECK(c->kept[0] == NULL);
    /* a long answer is cut at a character, marked */
    c = lo_sessions_get(s, "long", 0);
    EXPECT_TEXT(c, "plan", "Let's plan.\n\nSigns?");
    char longest[700];
    memset(longest, 'a', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    lo_reply r = say(c, longest);
    lo_reply_clear(&r);
    CHECK(c->kept[0] && strlen(c->kept[0]) == 300 + 3 && ends_with(c->kept[0], "..."));
}

static void offered_after_crisis(lo_sessions *s)
{
    lo_session *c = lo_sessions_get(s, "offer", 0);
    lo_reply r = say(c, "I want to die");
    CHECK(r.crisis);
    CHECK(ends_with(r.text, "\n\nWrite plan to make a plan."));
    lo_reply_clear(&r);
    /* once a conversation */
    r = say(c, "I want to die");
    CHECK(r.crisis && !ends_with(r.text, "Write plan to make a plan."));
    lo_reply_clear(&r);
    /* not after the other crisis categories */
    lo_session *other = lo_sessions_get(s, "other", 0);
    r = say(other, "I cut myself");
    CHECK(r.crisis && !strstr(r.text, "Write plan"));
    lo_reply_clear(&r);
    /* not inside the plan itself: the crisis reply pauses it, resume goes on */
    lo_session *inside = lo_sessions_get(s, "inside", 0);
    EXPECT_TEXT(inside, "plan", "Let's plan.\n\nSigns?");
    r = say(inside, "I want to die");
    CHECK(r.crisis && !strstr(r.text, "Write plan"));
    lo_reply_clear(&r);
    EXPECT_TEXT(inside, "resume", "Back.\n\nSigns?");
    /* a one-off message (no conversation) gets no offer */
    r = say(NULL, "I want to die");
    CHECK(r.crisis && !strstr(r.text, "Write plan"));
    lo_reply_clear(&r);
}

static void load_errors(const char *fixture)
{
    char err[512], dir[64];
    static const struct {
        const char *file, *error;
    } cases[] = {
        {PLAN_FLOW("\"keep\": \"People I can ask for help when everything feels too much today\", ",
                   "\"{plan}\"", ""),
         "\"keep\" is the title the answer is shown under in {plan}: a short text, at most 60 "
         "bytes, without { }"},
        {PLAN_FLOW("", "\"Done.\"", ""),
         "finish text 1 must show the kept answers with {plan}: the steps with \"keep\" are "
         "kept only to be shown there"},
        {PLAN_FLOW("", "\"{plan} {pln}\"", ""),
         "text 1 has \"{pln\"; the placeholders are {name}, {echo}, {helplines} and {reason}"},
        {PLAN_FLOW("", "\"{plan}\"", ", \"offer\": [\"Write plan.\"]"),
         "\"offer\" and \"offer_after\" go together: the words of the offer, and the crisis "
         "categories whose replies carry it"},
        {PLAN_FLOW("", "\"{plan}\"",
                   ", \"offer\": [\"Write plan.\"], \"offer_after\": [\"grief\"]"),
         "\"offer_after\" lists crisis categories (\"crisis-suicide\"), not \"grief\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lo_engine *e =
            fixture_load(fixture, NULL, "plan.json", cases[i].file, false, err, sizeof err, dir);
        CHECK(e == NULL);
        CHECK_STR(err, cases[i].error);
        lo_engine_free(e);
    }
    /* {plan} in a flow that keeps nothing */
    static const char no_keep[] =
        "{\"flows\": [{\"id\": \"p2\", \"category\": \"safety-plan\", \"start\": [\"^ p2 $\"],\n"
        " \"examples\": [\"p2\"], \"steps\": [{\"id\": \"a\", \"prompt\": \"A?\",\n"
        " \"replies\": {\"text\": [\"Ok.\"]}}], \"skip\": [\"S.\"], \"pause\": [\"P.\"],\n"
        " \"resume\": [\"R.\"], \"leave\": [\"L.\"], \"finish\": [\"{plan}\"]}]}\n";
    lo_engine *e = fixture_load(fixture, NULL, "plan.json", no_keep, false, err, sizeof err, dir);
    CHECK(e == NULL);
    CHECK_STR(err, "finish text 1 has {plan}, but no step of this flow has \"keep\"");
    lo_engine_free(e);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_safety_plan FIXTURE_SET\n");
        return 2;
    }
    char err[512], dir[64];
    engine = fixture_load(argv[1], NULL, "plan.json", good, false, err, sizeof err, dir);
    CHECK_STR(err, "");
    if (engine) {
        lo_sessions *s = lo_sessions_new(NULL);
        keeps_and_shows(s);
        skipping_and_leaving(s);
        offered_after_crisis(s);
        lo_sessions_free(s);
        lo_engine_free(engine);
    }
    load_errors(argv[1]);
    TEST_MAIN_END();
}
