/* test_language.c - the language of a message (short, long, mixed, accents,
 * no words, ties), crisis replies and check-ins in that language with the
 * lines, English where no texts are written, and the loader's errors for
 * texts by language. argv[1] is the fixture set (tests/engine/data/set),
 * argv[2] the real responses/normalise/languages.json. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/matches.h"
#include "engine/session.h"
#include "engine/text.h"
#include "engine/language.h"
#include "fixture.h"
#include "testing.h"
#include "leanon/engine.h"
#include "common/buf.h"

static const char *fixture, *languages;

static const char *const lang_rules =
    "{\"rules\": [{\"id\": \"lang-suicide\", \"category\": \"crisis-suicide\", \"alert\": true,"
    "  \"patterns\": [\"quiero morir\", \"i want to end it all\"],"
    "  \"replies\": {\"en\": [\"EN: I am a bot. {helplines}\"],"
    "               \"es\": [\"ES: soy un bot. {helplines}\"]}}],"
    " \"tiers\": {\"check_in\": 5, \"crisis\": 7, \"pattern\": 7},"
    " \"signals\": {\"method\": {\"weight\": 5, \"category\": \"crisis-suicide\", \"forms\": false,"
    "              \"words\": [\"rope\", \"cuerda\"]}},"
    " \"check_in\": ["
    "  {\"categories\": [\"crisis-suicide\", \"crisis-selfharm\", \"crisis-overdose\","
    "    \"crisis-harm-others\", \"crisis-third-party\"],"
    "   \"ask\": {\"en\": [\"ASK: are you thinking of suicide?\"],"
    "           \"es\": [\"PREGUNTA: piensas en el suicidio?\"]},"
    "   \"danger_answer\": \"yes\","
    "   \"safe_reply\": {\"en\": [\"SAFE: glad you are safe.\"],"
    "                  \"es\": [\"SEGURO: me alegra que estes a salvo.\"]}},"
    "  {\"categories\": [\"crisis-abuse\"], \"ask\": [\"ASK: are you safe at home?\"],"
    "   \"danger_answer\": \"no\", \"safe_reply\": [\"SAFE: glad you are safe at home.\"]}]}";

/* The fixture set plus languages.json and lang.json with text; returns the
 * engine (or NULL) and the first error as "line:column: message" in err. */
static lo_engine *load_with(const char *text, char *err, size_t errlen)
{
    char dir[64];
    return fixture_load(fixture, languages, "lang.json", text, true, err, errlen, dir);
}

/* The language guessed for text, as "code" or "code?" when not decided. */
static void expect_language(const lo_engine *e, const char *text, const char *want)
{
    lo_tokens toks = {0};
    lo_engine_tokenise(e, text, strlen(text), &toks);
    lo_language_guess g;
    lo_language_guess_of(e, &toks, &g);
    char got[8];
    snprintf(got, sizeof got, "%s%s", lo_language_code(e, g.lang), g.decided ? "" : "?");
    if (strcmp(got, want) != 0)
        fprintf(stderr, "\"%.60s\": ", text);
    CHECK_STR(got, want);
    lo_tokens_free(&toks);
}

static void test_guess(const lo_engine *e)
{
    expect_language(e, "hola", "es");
    expect_language(e, "I want to die", "en");
    expect_language(e, "je ne veux plus vivre, je suis épuisée", "fr");
    expect_language(e, "ich bin so müde und will nicht mehr", "de");
    expect_language(e, "Não aguento mais, você não entende", "pt"); /* accents stripped */
    expect_language(e, "NAO AGUENTO MAIS, VOCE NAO ENTENDE", "pt");
    expect_language(e, "estoy muy mal y no sé qué hacer, i want to die", "es"); /* mixed */
    expect_language(e, "hola, i want to die and i feel alone", "en");
    expect_language(e, "", "en?");                       /* no words */
    expect_language(e, "asdf qwerty 12345 🙂", "en?"); /* no word of a language */
    expect_language(e, "de", "en?");                     /* es, fr and pt tie */
    expect_language(e, "no", "en?");
    /* a long message: only the first LO_LANGUAGE_WORDS_READ words are read */
    lo_strbuf b = {0};
    for (int i = 0; i < LO_LANGUAGE_WORDS_READ / 2; i++)
        lo_strbuf_adds(&b, "estoy cansada ");
    for (int i = 0; i < 300; i++)
        lo_strbuf_adds(&b, "i want to go ");
    expect_language(e, b.data, "es");
    b.len = 0;
    for (int i = 0; i < 300; i++)
        lo_strbuf_adds(&b, "i want to go, estoy cansada. ");
    expect_language(e, b.data, "en");
    lo_strbuf_free(&b);
}

static lo_reply answer(const lo_engine *e, lo_session *conv, const char *text)
{
    lo_message msg = {.platform = "test", .author = "a", .text = text, .text_len = strlen(text)};
    lo_reply r;
    lo_engine_reply(e, conv, &msg, NULL, &r);
    return r;
}

static const char *const lines =
    "• Find A Helpline https://findahelpline.com\n"
    "If anyone is in immediate danger, call your local emergency number.";

static void expect_reply(const lo_engine *e, lo_session *conv, const char *text, lo_risk risk,
                         const char *head, bool with_lines)
{
    lo_reply r = answer(e, conv, text);
    char want[512];
    snprintf(want, sizeof want, "%s%s", head, with_lines ? lines : "");
    CHECK(r.risk == risk);
    CHECK_STR(r.text, want);
    lo_reply_clear(&r);
}

static void test_replies(const lo_engine *e)
{
    expect_reply(e, NULL, "quiero morir", LO_RISK_CRISIS, "ES: soy un bot. ", true);
    expect_reply(e, NULL, "i want to end it all", LO_RISK_CRISIS, "EN: I am a bot. ", true);
    /* French has no texts: English */
    expect_reply(e, NULL, "je suis seule et quiero morir", LO_RISK_CRISIS, "EN: I am a bot. ",
                 true);
    expect_reply(e, NULL, "tengo una cuerda", LO_RISK_CHECK_IN,
                 "PREGUNTA: piensas en el suicidio?\n\n", true);
    expect_reply(e, NULL, "i have a rope", LO_RISK_CHECK_IN,
                 "ASK: are you thinking of suicide?\n\n", true);
    lo_sessions *ss = lo_sessions_new(&(lo_sessions_limits){0});
    /* "no" has no language of its own: the check-in's language answers it */
    lo_session *c = lo_sessions_get(ss, "es", 0);
    expect_reply(e, c, "tengo una cuerda", LO_RISK_CHECK_IN,
                 "PREGUNTA: piensas en el suicidio?\n\n", true);
    expect_reply(e, c, "no", LO_RISK_NONE, "SEGURO: me alegra que estes a salvo.", false);
    c = lo_sessions_get(ss, "es-yes", 0);
    expect_reply(e, c, "tengo una cuerda", LO_RISK_CHECK_IN,
                 "PREGUNTA: piensas en el suicidio?\n\n", true);
    expect_reply(e, c, "yes", LO_RISK_CRISIS, "ES: soy un bot. ", true);
    c = lo_sessions_get(ss, "en", 0);
    expect_reply(e, c, "i have a rope", LO_RISK_CHECK_IN, "ASK: are you thinking of suicide?\n\n",
                 true);
    expect_reply(e, c, "no", LO_RISK_NONE, "SAFE: glad you are safe.", false);
    lo_sessions_free(ss);
}

static void expect_refused(const char *text, const char *want)
{
    char err[512];
    lo_engine *e = load_with(text, err, sizeof err);
    CHECK(e == NULL);
    CHECK_STR(err, want);
    lo_engine_free(e);
}

static void test_errors(void)
{
    expect_refused("{\"rules\": [{\"id\": \"r\", \"category\": \"c\", \"patterns\": [\"hi\"],\n"
                   " \"replies\": {\"en\": [\"Hi.\"], \"sp\": [\"Hola.\"]}}]}",
                   "2:29: \"replies\" has texts in \"sp\", which is not a language of this set; "
                   "use one of en, es, fr, de, pt (languages are listed in "
                   "normalise/languages.json)");
    expect_refused("{\"rules\": [{\"id\": \"r\", \"category\": \"c\", \"patterns\": [\"hi\"],\n"
                   " \"replies\": {\"en\": [\"Hi.\"], \"es\": \"Hola.\"}}]}",
                   "2:35: \"es\" must be a list: put the text in [ ], e.g. [\"Hola.\"]");
    expect_refused("{\"rules\": [{\"id\": \"r\", \"category\": \"c\", \"patterns\": [\"hi\"],\n"
                   " \"replies\": {\"es\": [\"Hola.\"]}}]}",
                   "2:13: \"replies\" needs its English texts too, under \"en\": they are given "
                   "when a message is in a language without texts");
    expect_refused("{\"languages\": {\"spa\": [\"hola\"]}}",
                   "1:16: \"spa\" is not a language code; use two lower-case letters, like \"es\"");
    expect_refused("{\"languages\": {\"it\": [\"ciao amici\"]}}",
                   "1:23: \"ciao amici\" must be one word of letters (no spaces or apostrophes)");
}

int main(int argc, char **argv)
{
    fixture = argc > 1 ? argv[1] : "data/set";
    languages = argc > 2 ? argv[2] : "../../responses/normalise/languages.json";
    char err[512];
    lo_engine *e = load_with(lang_rules, err, sizeof err);
    if (!e)
        fprintf(stderr, "set refused: %s\n", err);
    CHECK(e != NULL);
    if (e) {
        test_guess(e);
        test_replies(e);
        lo_engine_free(e);
    }
    test_errors();
    TEST_MAIN_END();
}
