/* test_long.c - long messages and the asking fallback on a small set (the fixture's
 * files with rules.json replaced): a sentence that matches alone matches inside a long
 * message, '^' reads a sentence's start, a second theme in another sentence adds its rule's
 * "also" line, explain names the sentence that carried the match; the fallback never gives
 * the same text twice in a row, offers the nearest themes by number, and a number or a
 * theme's name answers as that theme's rule, for one message only; and the load refuses
 * "also", "theme" and "ask" where they do not belong. argv[1] is the fixture set. */
#include <stdlib.h>
#include <string.h>

#include "engine/session.h"
#include "fixture.h"
#include "testing.h"
#include "leanon/engine.h"
#include "leanon/tools.h"

static const char rules[] =
    "{\"rules\": [\n"
    " {\"id\": \"greeting\", \"category\": \"greeting\", \"priority\": 5,\n"
    "  \"patterns\": [\"^ (hi|hello) $\"], \"replies\": [\"Hi!\"]},\n"
    " {\"id\": \"sleep\", \"category\": \"sleep\", \"priority\": 30,\n"
    "  \"patterns\": [\"(cannot|can't|cant) sleep\", \"^ awake all night\"],\n"
    "  \"replies\": [\"Sleep trouble is hard.\"], \"also\": [\"And the sleep too.\"],\n"
    "  \"theme\": \"sleep\"},\n"
    " {\"id\": \"grief\", \"category\": \"grief\", \"priority\": 45,\n"
    "  \"patterns\": [\"(dad|mum|dog) died\"], \"replies\": [\"I'm so sorry.\"],\n"
    "  \"also\": [\"And your loss too.\"], \"theme\": \"grief and loss\"},\n"
    " {\"id\": \"work\", \"category\": \"stress\", \"priority\": 34,\n"
    "  \"patterns\": [\"my boss (shouts|yells) at me\"], \"replies\": [\"Work sounds heavy.\"],\n"
    "  \"theme\": \"work stress\"},\n"
    " {\"id\": \"fallback\", \"category\": \"fallback\", \"priority\": 0, \"patterns\": [\"^ $\"],\n"
    "  \"replies\": [\"Tell me more.\", \"Say a bit more?\", \"I'm listening.\"],\n"
    "  \"ask\": [\"Is it one of these?\"]}\n"
    "]}\n";

static lo_engine *engine;

static lo_reply say(lo_session *conv, const char *text)
{
    return fixture_say(engine, conv, text);
}

#define EXPECT(conv, text, rule, also)                                                             \
    do {                                                                                           \
        lo_reply r_ = say((conv), (text));                                                         \
        CHECK_STR(r_.rule_id, rule);                                                               \
        CHECK_STR(r_.also_category, also);                                                         \
        lo_reply_clear(&r_);                                                                       \
    } while (0)

static void long_messages(void)
{
    /* one theme in the third sentence of a long message */
    EXPECT(NULL, "It was a long week. Nothing much happened. I cant sleep though.", "sleep", "");
    /* '^' reads the start of each sentence, not only of the message */
    EXPECT(NULL, "So that was Monday. Awake all night again.", "sleep", "");
    EXPECT(NULL, "Well. hi", "greeting", "");
    /* two themes in two sentences: the stronger answers, the other's "also" line follows */
    lo_reply r = say(NULL, "I cant sleep at all. And my dad died in May.");
    CHECK_STR(r.rule_id, "grief");
    CHECK_STR(r.also_category, "sleep");
    CHECK_STR(r.text, "I'm so sorry. And the sleep too.");
    lo_reply_clear(&r);
    /* in one sentence, or from a rule without "also" lines, nothing is added */
    EXPECT(NULL, "I cant sleep since my dad died", "grief", "");
    EXPECT(NULL, "My dad died. My boss yells at me.", "grief", "");
    /* safety first, whatever the topics say */
    r = say(NULL, "My dad died. I cant sleep. I want to die.");
    CHECK(r.crisis);
    CHECK_STR(r.also_category, "");
    lo_reply_clear(&r);
    /* explain names the sentence that carried the match */
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    lo_explain(engine, NULL, "It was a long week. I cant sleep though.", false, f);
    fclose(f);
    CHECK(out && strstr(out, "carried by sentence 2: \"i can not sleep though\""));
    free(out);
}

static void asking_fallback(void)
{
    lo_sessions *s = lo_sessions_new(NULL);
    lo_sessions_seed(s, 3);
    lo_session *c = lo_sessions_get(s, "ask", 0);
    /* the fallback's text never repeats in a row */
    char last[256] = "";
    for (int i = 0; i < 12; i++) {
        lo_reply r = say(c, "purple elephants");
        CHECK(r.source == LO_SOURCE_FALLBACK && r.choices_offered == 0);
        CHECK(strcmp(r.text, last) != 0);
        snprintf(last, sizeof last, "%s", r.text);
        lo_reply_clear(&r);
    }
    /* near misses become numbered themes: "sleep" and "dad" are words of two rules */
    lo_reply r = say(c, "dad and sleep stuff");
    CHECK(r.source == LO_SOURCE_FALLBACK);
    CHECK_EQ_U64(r.choices_offered, 2);
    CHECK(strstr(r.text, "\n\nIs it one of these?\n1. grief and loss\n2. sleep") != NULL);
    lo_reply_clear(&r);
    /* "2" is the second theme: the conversation goes on as if the person had said it */
    r = say(c, " 2. ");
    CHECK_STR(r.rule_id, "sleep");
    CHECK(r.choice_taken && r.source == LO_SOURCE_RULE);
    lo_reply_clear(&r);
    /* the offer held for one message only */
    r = say(c, "1");
    CHECK(r.source == LO_SOURCE_FALLBACK && !r.choice_taken);
    lo_reply_clear(&r);
    /* a theme's name, without case, chooses it too */
    lo_reply_clear((r = say(c, "dad and sleep stuff"), &r));
    r = say(c, "Grief and Loss");
    CHECK_STR(r.rule_id, "grief");
    CHECK(r.choice_taken);
    lo_reply_clear(&r);
    /* a number nobody offered is an ordinary message */
    lo_reply_clear((r = say(c, "dad and sleep stuff"), &r));
    r = say(c, "3");
    CHECK(r.source == LO_SOURCE_FALLBACK && !r.choice_taken);
    lo_reply_clear(&r);
    /* safety comes before a choice */
    lo_reply_clear((r = say(c, "dad and sleep stuff"), &r));
    r = say(c, "1 I want to die");
    CHECK(r.crisis && !r.choice_taken);
    lo_reply_clear(&r);
    lo_sessions_free(s);
}

static void refuses(const char *fixture, const char *rule, const char *want)
{
    char file[1024], err[512], dir[64];
    snprintf(file, sizeof file, "{\"rules\": [%s]}\n", rule);
    lo_engine *bad = fixture_load(fixture, NULL, "more.json", file, false, err, sizeof err, dir);
    CHECK(bad == NULL);
    CHECK_STR(err, want);
    lo_engine_free(bad);
}

int main(int argc, char **argv)
{
    const char *fixture = argc > 1 ? argv[1] : "data/set";
    char dir[64];
    lo_diags *d = lo_diags_new();
    engine = fixture_plus(fixture, NULL, "rules.json", rules, dir, d);
    lo_diags_print(d, stderr);
    lo_diags_free(d);
    CHECK(engine != NULL);
    if (!engine)
        TEST_MAIN_END();
    long_messages();
    asking_fallback();
    lo_engine_free(engine);

    refuses(fixture,
            "{\"id\": \"x\", \"category\": \"crisis-suicide\", \"patterns\": [\"end it all now\"], "
            "\"replies\": [\"a\"], \"also\": [\"b\"]}",
            "\"also\" lines are for ordinary rules: a crisis answer or the fallback is never "
            "given beside another reply");
    refuses(
        fixture,
        "{\"id\": \"x\", \"category\": \"x\", \"patterns\": [\"purple\"], \"replies\": [\"a\"], "
        "\"ask\": [\"b\"]}",
        "only the rule with id \"fallback\" may have \"ask\" (the invitation before the "
        "themes it offers)");
    refuses(
        fixture,
        "{\"id\": \"x\", \"category\": \"x\", \"patterns\": [\"purple\"], \"replies\": [\"a\"], "
        "\"theme\": \"{name}\"}",
        "a \"theme\" is a short name of 2 to 40 bytes, one line, without placeholders");
    TEST_MAIN_END();
}
