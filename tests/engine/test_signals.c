/* test_signals.c - crisis signals as data: English word forms, scoring per
 * sentence and pair of sentences, negation, the reach of negative signals
 * (clause, window, idiom words, "unless"), "someone else" redirects, signals
 * counted once, the three tiers, check-in answers in a conversation, and the
 * loader's errors. argv[1] is the fixture set (tests/engine/data/set), to
 * which each case adds one signals file. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/session.h"
#include "engine/morph.h"
#include "testing.h"
#include "leanon/engine.h"

static const char *fixture;

static const char *extra_file; /* a second file for the next load, or NULL */

/* The fixture set plus signals.json with text (and extra_file as model.json);
 * returns the engine (or NULL) and the first error's message in err. */
static lo_engine *load_with_signals(const char *text, char *err, size_t errlen)
{
    char dir[64] = "/tmp/leanon-signals-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp '%s'/*.json '%s'/", fixture, dir);
    CHECK(system(cmd) == 0);
    char path[128];
    snprintf(path, sizeof path, "%s/signals.json", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fputs(text, f);
    fclose(f);
    if (extra_file) {
        snprintf(path, sizeof path, "%s/model.json", dir);
        f = fopen(path, "w");
        CHECK(f != NULL);
        fputs(extra_file, f);
        fclose(f);
    }
    lo_diags *d = lo_diags_new();
    lo_engine *e = lo_engine_load(dir, d);
    err[0] = '\0';
    for (size_t i = 0; i < lo_diags_count(d); i++)
        if (lo_diags_at(d, i)->severity == LO_DIAG_ERROR && !err[0])
            snprintf(err, errlen, "%s", lo_diags_at(d, i)->message);
    lo_diags_free(d);
    CHECK_RM_TREE(dir);
    return e;
}

static const char *const check_ins =
    "\"check_in\": ["
    " {\"categories\": [\"crisis-suicide\", \"crisis-selfharm\", \"crisis-overdose\","
    "   \"crisis-harm-others\", \"crisis-third-party\"],"
    "  \"ask\": [\"ASK: are you thinking of suicide?\"], \"danger_answer\": \"yes\","
    "  \"safe_reply\": [\"SAFE: glad you are safe.\"]},"
    " {\"categories\": [\"crisis-abuse\"], \"ask\": [\"ASK: are you safe at home?\"],"
    "  \"danger_answer\": \"no\", \"safe_reply\": [\"SAFE: glad you are safe at home.\"]}]";

static lo_engine *scoring_set(void)
{
    char text[4096], err[512];
    snprintf(text, sizeof text,
             "{\"tiers\": {\"check_in\": 5, \"crisis\": 7, \"pattern\": 7},"
             " \"signals\": {"
             "  \"method\": {\"weight\": 4, \"category\": \"crisis-suicide\","
             "              \"words\": [\"rope\", \"hang\"]},"
             "  \"drug\": {\"weight\": 2, \"category\": \"crisis-overdose\", \"forms\": false,"
             "            \"words\": [\"pills\"]},"
             "  \"dose\": {\"weight\": 4, \"words\": [\"how many would it take\"]},"
             "  \"loss\": {\"weight\": 1, \"words\": [\"lost my job\"]},"
             "  \"time\": {\"weight\": 2, \"forms\": false, \"words\": [\"tonight\"]},"
             "  \"act\": {\"weight\": 7, \"category\": \"crisis-selfharm\","
             "           \"words\": [\"burn myself\", \"=suicidal\"]},"
             "  \"past\": {\"weight\": -6, \"forms\": false, \"unless\": [\"now\", \"act\"],"
             "            \"words\": [\"years ago\", \"years ago tonight\"]},"
             "  \"now\": {\"weight\": 0, \"forms\": false, \"words\": [\"tonight\"]},"
             "  \"safe\": {\"weight\": -8, \"reach\": \"window\", \"forms\": false,"
             "            \"words\": [\"i am safe now\"]},"
             "  \"idiom\": {\"weight\": -1, \"reach\": \"words\", \"forms\": false,"
             "             \"words\": [\"hang out\"]},"
             "  \"someone\": {\"weight\": 0, \"forms\": false, \"words\": [\"my sister\"],"
             "      \"redirect\": {\"crisis-suicide\": \"crisis-third-party\"}},"
             "  \"me\": {\"weight\": 0, \"self\": true, \"forms\": false, \"words\": [\"i\"]}"
             " }, %s}",
             check_ins);
    lo_engine *e = load_with_signals(text, err, sizeof err);
    if (!e)
        fprintf(stderr, "scoring set refused: %s\n", err);
    CHECK(e != NULL);
    return e;
}

static lo_reply answer(const lo_engine *e, lo_session *conv, const char *text)
{
    lo_message msg = {.platform = "test", .author = "a", .text = text, .text_len = strlen(text)};
    lo_reply r;
    lo_engine_reply(e, conv, &msg, NULL, &r);
    return r;
}

/* The risk tier and category of a one-off message. */
static void expect(const lo_engine *e, const char *text, lo_risk risk, const char *category)
{
    lo_reply r = answer(e, NULL, text);
    if (r.risk != risk || strcmp(r.category, category) != 0)
        fprintf(stderr, "\"%s\": got risk %d category %s, want %d %s\n", text, (int)r.risk,
                r.category, (int)risk, category);
    CHECK(r.risk == risk);
    CHECK_STR(r.category, category);
    CHECK(r.crisis == (risk == LO_RISK_CRISIS));
    CHECK(r.alert_moderators == (risk == LO_RISK_CRISIS));
    lo_reply_clear(&r);
}

static void test_forms(void)
{
    char f[LO_MORPH_FORMS][LO_MORPH_LEN];
    CHECK_EQ_U64(lo_morph_forms("die", f), 4);
    CHECK_STR(f[0], "die");
    CHECK_STR(f[1], "dies");
    CHECK_STR(f[2], "died");
    CHECK_STR(f[3], "dying");
    CHECK_EQ_U64(lo_morph_forms("stab", f), 4);
    CHECK_STR(f[2], "stabbed");
    CHECK_STR(f[3], "stabbing");
    lo_morph_forms("cry", f);
    CHECK_STR(f[1], "cries");
    CHECK_STR(f[2], "cried");
    CHECK_STR(f[3], "crying");
    lo_morph_forms("overdose", f);
    CHECK_STR(f[2], "overdosed");
    CHECK_STR(f[3], "overdosing");
    lo_morph_forms("push", f);
    CHECK_STR(f[1], "pushes");
    CHECK_STR(f[3], "pushing");
    CHECK_EQ_U64(lo_morph_forms("bite", f), 6); /* irregular: past and participle too */
    CHECK_STR(f[3], "biting");
    CHECK_STR(f[4], "bit");
    CHECK_STR(f[5], "bitten");
    CHECK_EQ_U64(lo_morph_forms("hold", f), 5); /* past and participle are one word */
    CHECK_STR(f[4], "held");
    CHECK_EQ_U64(lo_morph_forms("run", f), 5); /* the participle is the word itself */
    CHECK_STR(f[4], "ran");
    CHECK_EQ_U64(lo_morph_forms("do", f), 3); /* two letters: its irregular forms only */
    CHECK_STR(f[1], "did");
    CHECK_STR(f[2], "done");
    CHECK_EQ_U64(lo_morph_forms("took", f), 5); /* an irregular past: its verb's forms */
    CHECK_STR(f[1], "take");
    CHECK_STR(f[2], "takes");
    CHECK_STR(f[3], "taking");
    CHECK_STR(f[4], "taken");
    CHECK_EQ_U64(lo_morph_forms("did", f), 3); /* a two-letter verb: no regular forms */
    CHECK_STR(f[1], "do");
    CHECK_STR(f[2], "done");
    CHECK_EQ_U64(lo_morph_forms("hung", f), 4); /* past and participle are one word */
    CHECK_STR(f[3], "hanging");
    CHECK_EQ_U64(lo_morph_forms("beat", f), 6); /* a past that is its base: a base */
    CHECK_EQ_U64(lo_morph_forms("od", f), 1);   /* too short: itself only */
    CHECK_EQ_U64(lo_morph_forms("k1ll", f), 1); /* not letters */
}

static void test_scoring(const lo_engine *e)
{
    /* alone a method is none; with a time it is a check-in; with preparation-like
     * strength (a dose question after a loss) across two sentences a crisis */
    expect(e, "there is a rope in the shed", LO_RISK_NONE, "fallback");
    expect(e, "the rope, tonight", LO_RISK_CHECK_IN, "check-in-suicide");
    expect(e, "i am hanging the rope tonight", LO_RISK_CHECK_IN, "check-in-suicide");
    expect(e, "i lost my job. how many would it take, the pills", LO_RISK_CRISIS,
           "crisis-overdose");
    /* with a sentence between, the loss no longer adds to the question */
    expect(e, "i lost my job. it rained. how many would it take, the pills", LO_RISK_CHECK_IN,
           "check-in-overdose");
    /* a signal counts once however often it is said */
    expect(e, "pills pills pills pills pills pills", LO_RISK_NONE, "fallback");
    /* word forms of an entry; negation; an exact entry */
    expect(e, "i keep burning myself", LO_RISK_CRISIS, "crisis-selfharm");
    expect(e, "i am not suicidal", LO_RISK_NONE, "fallback");
    /* a crisis rule's pattern is a signal of weight "pattern" */
    expect(e, "i want to die", LO_RISK_CRISIS, "crisis-suicide");
    /* past lowers its clause, unless the clause says now; safe reaches the window */
    expect(e, "years ago i wanted to die", LO_RISK_NONE, "fallback");
    expect(e, "years ago it started and tonight i want to die", LO_RISK_CRISIS, "crisis-suicide");
    /* ... but a "now" inside the past's own words does not stop it: the longer entry
     * ("years ago tonight" beside "years ago") is the one read, an anniversary */
    expect(e, "years ago tonight i wanted to die", LO_RISK_NONE, "fallback");
    /* ... nor when it names a signal that is never lowered by the past */
    expect(e, "years ago i burned myself", LO_RISK_CRISIS, "crisis-selfharm");
    expect(e, "i want to die. i am safe now", LO_RISK_NONE, "fallback");
    expect(e, "i am safe now. i want to die", LO_RISK_NONE, "fallback");
    expect(e, "i am safe now. it rained. i want to die", LO_RISK_CRISIS, "crisis-suicide");
    /* an idiom covers its own words only */
    expect(e, "let us hang out tonight", LO_RISK_NONE, "fallback");
    /* someone else before the danger, with no word for the writer between */
    expect(e, "my sister has a rope tonight", LO_RISK_CHECK_IN, "check-in-third-party");
    expect(e, "my sister yelled and i have a rope tonight", LO_RISK_CHECK_IN, "check-in-suicide");
    expect(e, "the rope is ready tonight and my sister has one too", LO_RISK_CHECK_IN,
           "check-in-suicide"); /* the writer's danger came first */
}

static void test_check_in_answers(const lo_engine *e)
{
    lo_sessions *ss = lo_sessions_new(&(lo_sessions_limits){0});
    lo_session *c = lo_sessions_get(ss, "one", 0);
    lo_reply r = answer(e, c, "the rope, tonight");
    CHECK(r.risk == LO_RISK_CHECK_IN);
    CHECK(strstr(r.text, "ASK: are you thinking of suicide?") == r.text);
    /* the lines below the question (the fixture's international region) */
    CHECK(strstr(r.text, "Find A Helpline") > strstr(r.text, "ASK:"));
    lo_reply_clear(&r);
    r = answer(e, c, "yes");
    CHECK(r.risk == LO_RISK_CRISIS);
    CHECK(r.alert_moderators);
    CHECK_STR(r.category, "crisis-suicide");
    lo_reply_clear(&r);
    /* a "no" gets the warm word, and the next message is checked as always */
    c = lo_sessions_get(ss, "two", 0);
    lo_reply_clear((r = answer(e, c, "the rope, tonight"), &r));
    r = answer(e, c, "no");
    CHECK(r.risk == LO_RISK_NONE);
    CHECK_STR(r.text, "SAFE: glad you are safe.");
    lo_reply_clear(&r);
    r = answer(e, c, "i want to die");
    CHECK(r.risk == LO_RISK_CRISIS);
    lo_reply_clear(&r);
    /* "no, but" with danger in the answer is not taken as safe */
    c = lo_sessions_get(ss, "three", 0);
    lo_reply_clear((r = answer(e, c, "the rope, tonight"), &r));
    r = answer(e, c, "no. i keep burning myself");
    CHECK(r.risk == LO_RISK_CRISIS);
    CHECK_STR(r.category, "crisis-selfharm");
    lo_reply_clear(&r);
    /* any other text goes on through the stages */
    c = lo_sessions_get(ss, "four", 0);
    lo_reply_clear((r = answer(e, c, "the rope, tonight"), &r));
    r = answer(e, c, "what is the weather like");
    CHECK(r.risk == LO_RISK_NONE);
    CHECK(strncmp(r.text, "SAFE", 4) != 0);
    lo_reply_clear(&r);
    lo_sessions_free(ss);
}

/* Each mistake in a signals file is refused with a message that says what to do. */
static void expect_refused(const char *text, const char *words)
{
    char err[512];
    lo_engine *e = load_with_signals(text, err, sizeof err);
    CHECK(e == NULL);
    if (!strstr(err, words))
        fprintf(stderr, "error \"%s\" lacks \"%s\"\n", err, words);
    CHECK(strstr(err, words) != NULL);
    lo_engine_free(e);
}

static void test_errors(void)
{
    char buf[4096];
#define SET(sigs)                                                                                  \
    (snprintf(buf, sizeof buf,                                                                     \
              "{\"tiers\": {\"check_in\": 5, \"crisis\": 7, "                                      \
              "\"pattern\": 7}, \"signals\": {" sigs "}, %s}",                                     \
              check_ins),                                                                          \
     buf)
    expect_refused(SET("\"a\": {\"weight\": 40, \"words\": [\"x\"]}"), "from -20 to 20");
    expect_refused(SET("\"a\": {\"weight\": 2, \"wrods\": [\"x\"]}"), "did you mean \"words\"");
    expect_refused(SET("\"a\": {\"weight\": 2, \"category\": \"sad\", \"words\": [\"x\"]}"),
                   "not a crisis category");
    expect_refused(SET("\"a\": {\"weight\": 2, \"reach\": \"window\", \"words\": [\"x\"]}"),
                   "a weight below 0");
    expect_refused(SET("\"a\": {\"weight\": -2, \"reach\": \"far\", \"words\": [\"x\"]}"),
                   "\"reach\" must be");
    expect_refused(SET("\"a\": {\"weight\": -2, \"unless\": \"nope\", \"words\": [\"x\"]}"),
                   "no signal has that name");
    expect_refused(SET("\"a\": {\"weight\": 2}"), "words");
    expect_refused("{\"tiers\": {\"check_in\": 7, \"crisis\": 7, \"pattern\": 7}}",
                   "must be below the \"crisis\" score");
    expect_refused("{\"signals\": {\"a\": {\"weight\": 2, \"words\": [\"x\"]}}}", "no \"tiers\"");
    expect_refused("{\"tiers\": {\"check_in\": 5, \"crisis\": 7, \"pattern\": 7},"
                   " \"signals\": {\"a\": {\"weight\": 2, \"words\": [\"x\"]}}}",
                   "has no \"check_in\"");
    expect_refused(
        SET("\"a\": {\"weight\": 2, \"words\": [\"x\"]}, "
            "\"b\": {\"weight\": 2, \"category\": \"crisis-nothing\", \"words\": [\"y\"]}"),
        "no crisis rule has it");
#undef SET
}

/* The learned score counts from the tiers' "model": its weight goes to the
 * category it finds likeliest, alone or added to that category's signals. */
static void test_model(void)
{
    extra_file =
        "{\"risk_model\": {\"format\": 1, \"hash_bits\": 24,"
        " \"crisis\": {\"bias\": -1, \"weights\": [[6829220, 2.5, \"word \\\"pills\\\"\"],"
        "   [15088727, -0.5, \"word \\\"take\\\"\"], [16455438, 1, \"bigram \\\"take pills\\\"\"]]},"
        " \"categories\": {\"crisis-suicide\": {\"bias\": 0.5, \"weights\": []},"
        "   \"crisis-overdose\": {\"bias\": 0, \"weights\": [[6829220, 1, \"word \\\"pills\\\"\"]]}},"
        " \"fitted\": {\"lines\": 3}}}";
    char text[2048], err[512];
    snprintf(text, sizeof text,
             "{\"tiers\": {\"check_in\": 5, \"crisis\": 7, \"pattern\": 7, \"model\": 0.85,"
             " \"model_weight\": 5}, \"signals\": {\"drug\": {\"weight\": 2, \"category\":"
             " \"crisis-overdose\", \"forms\": false, \"words\": [\"pills\"]}}, %s}",
             check_ins);
    lo_engine *e = load_with_signals(text, err, sizeof err);
    extra_file = NULL;
    if (!e)
        fprintf(stderr, "model set refused: %s\n", err);
    CHECK(e != NULL);
    if (!e)
        return;
    expect(e, "take", LO_RISK_NONE, "fallback");                /* 0.18: below 0.85 */
    expect(e, "pills", LO_RISK_NONE, "fallback");               /* 0.82: below; the signal is 2 */
    expect(e, "take pills", LO_RISK_CRISIS, "crisis-overdose"); /* 0.88: 2 + 5 */
    expect(e, "take take pills ok", LO_RISK_CRISIS, "crisis-overdose");
    lo_engine_free(e);
    char bad[2048];
    snprintf(bad, sizeof bad,
             "{\"tiers\": {\"check_in\": 5, \"crisis\": 7, \"pattern\": 7,"
             " \"model\": 1.5, \"model_weight\": 5}, %s}",
             check_ins);
    expect_refused(bad, "\"model\" is the learned score");
}

int main(int argc, char **argv)
{
    fixture = argc > 1 ? argv[1] : "data/set";
    test_forms();
    lo_engine *e = scoring_set();
    if (e) {
        test_scoring(e);
        test_check_in_answers(e);
        lo_engine_free(e);
    }
    test_errors();
    test_model();
    TEST_MAIN_END();
}
