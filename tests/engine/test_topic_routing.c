/* test_topic_routing.c - the learned topic score in the engine, on the fixture set with
 * two themed rules and a small topic model: a rule that matches always wins, the model
 * answers with its category's rule when it is sure enough, a message below the threshold
 * or the margin gets the asking fallback with the model's likeliest themes, a class that
 * names no rule is a warning, and a crisis message gets the crisis answer whatever the
 * model says. */
#include <stdio.h>
#include <string.h>

#include "engine/risk_features.h"
#include "fixture.h"
#include "testing.h"

/* The model's rules beside the fixture's, with a fallback that asks, and the thresholds. */
static const char *const rules =
    "{\"topic_routing\": {\"threshold\": 0.5, \"margin\": 0.2},\n"
    " \"rules\": [\n"
    "  {\"id\": \"greeting\", \"category\": \"greeting\", \"priority\": 20,\n"
    "   \"patterns\": [\"^ (hi|hello|hey) [there]\"], \"replies\": [\"Hi!\"]},\n"
    "  {\"id\": \"sleep\", \"category\": \"sleep\", \"priority\": 50, \"theme\": \"sleep\",\n"
    "   \"patterns\": [\"insomnia\"], \"replies\": [\"Sleep reply.\"]},\n"
    "  {\"id\": \"grief\", \"category\": \"grief\", \"priority\": 50, \"theme\": \"loss\",\n"
    "   \"patterns\": [\"bereaved\"], \"replies\": [\"Grief reply.\"]},\n"
    "  {\"id\": \"night\", \"category\": \"sleep\", \"priority\": 50,\n"
    "   \"patterns\": [\"nightmares\"], \"replies\": [\"Night reply.\"]},\n"
    "  {\"id\": \"fallback\", \"category\": \"fallback\", \"priority\": 0, \"patterns\": [\"^ $\"],\n"
    "   \"replies\": [\"Tell me more.\"], \"ask\": [\"Is it one of these?\"]}\n"
    " ]}\n";

/* The bucket of word w in 2^12 buckets. */
static unsigned word_bucket(const char *w)
{
    lo_risk_features f = {0};
    lo_risk_features_extract(w, strlen(w), 12, &f);
    unsigned b = 0;
    for (size_t i = 0; i < f.n; i++)
        if (f.v[i].kind == LO_RISK_WORD)
            b = f.v[i].bucket;
    lo_risk_features_free(&f);
    return b;
}

/* "zebra" is strongly sleep, "okapi" a little grief and a little sleep, "tapir" no topic. */
static void write_model(const char *path, const char *extra_class)
{
    unsigned zebra = word_bucket("zebra"), okapi = word_bucket("okapi"),
             tapir = word_bucket("tapir");
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fprintf(f,
            "{\"topic_model\": {\"format\": 1, \"hash_bits\": 12, \"classes\": {\n"
            " \"fallback\": {\"bias\": -2, \"weights\": [[%u, 6, \"word\"]]},\n"
            " \"grief\": {\"bias\": -2, \"weights\": [[%u, 1.5, \"word\"]]},\n"
            " \"sleep\": {\"bias\": -2, \"weights\": [[%u, 8, \"word\"], [%u, 1.5, \"w\"]]}%s\n"
            "}}}\n",
            tapir, okapi, zebra < okapi ? zebra : okapi, zebra < okapi ? okapi : zebra,
            extra_class);
    fclose(f);
}

static lo_reply say(const lo_engine *e, lo_session *conv, const char *text)
{
    lo_message msg = {.platform = "test",
                      .channel = "c",
                      .author = "a",
                      .is_dm = true,
                      .text = text,
                      .text_len = strlen(text)};
    lo_reply r;
    lo_engine_reply(e, conv, &msg, NULL, &r);
    return r;
}

static void check_routing(const char *fixture)
{
    char model[] = "/tmp/leanon-topic-XXXXXX.json";
    int fd = mkstemps(model, 5);
    CHECK(fd >= 0);
    close(fd);
    write_model(model, "");
    char dir[64], err[512];
    lo_engine *e = fixture_load(fixture, model, "rules.json", rules, true, err, sizeof err, dir);
    CHECK_STR(err, "");
    if (!e) {
        unlink(model);
        return;
    }
    lo_reply r = say(e, NULL, "the zebra again");
    CHECK_STR(r.rule_id, "sleep"); /* the model, sure: sleep's own rule */
    CHECK_STR(r.text, "Sleep reply.");
    lo_reply_clear(&r);
    r = say(e, NULL, "hello zebra");
    CHECK_STR(r.rule_id, "greeting"); /* a rule that matches wins over the model */
    lo_reply_clear(&r);
    r = say(e, NULL, "bereaved zebra");
    CHECK_STR(r.rule_id, "grief");
    lo_reply_clear(&r);
    r = say(e, NULL, "tapir tapir");
    CHECK_STR(r.category, "fallback"); /* the model's likeliest is "no topic"... */
    CHECK(r.choices_offered == 2);     /* ...and each theme still has 0.098 */
    lo_reply_clear(&r);
    /* okapi: sleep and grief equally likely, below the margin: ask, offering both */
    lo_sessions *store = lo_sessions_new(&(lo_sessions_limits){0});
    lo_session *conv = lo_sessions_get(store, "test:okapi", 1);
    r = say(e, conv, "an okapi");
    CHECK_STR(r.category, "fallback");
    CHECK(r.choices_offered == 2);
    CHECK(strstr(r.text, "Is it one of these?\n1. loss\n2. sleep") != NULL);
    lo_reply_clear(&r);
    r = say(e, conv, "2");
    CHECK_STR(r.rule_id, "sleep"); /* the offered theme continues */
    lo_reply_clear(&r);
    lo_sessions_free(store);
    /* crisis wins over everything */
    r = say(e, NULL, "i want to kill myself zebra");
    CHECK(r.crisis);
    lo_reply_clear(&r);
    lo_engine_free(e);
    unlink(model);
}

/* A class whose rule is not there loads with a warning; a class whose rule is of another
 * category is refused. */
static void check_classes_tied(const char *fixture)
{
    char model[] = "/tmp/leanon-topic-XXXXXX.json";
    int fd = mkstemps(model, 5);
    CHECK(fd >= 0);
    close(fd);
    write_model(model, ",\n \"anger\": {\"bias\": -3, \"weights\": []}");
    char dir[64];
    lo_diags *d = lo_diags_new();
    lo_engine *e = fixture_plus(fixture, model, "rules.json", rules, dir, d);
    CHECK(e != NULL);
    bool warned = false;
    for (size_t i = 0; i < lo_diags_count(d); i++) {
        const lo_diag *g = lo_diags_at(d, i);
        warned = warned ||
                 (g->severity == LO_DIAG_WARNING && g->line == 5 &&
                  strcmp(g->message, "topic class \"anger\" names no rule with that id, so the "
                                     "model never answers with it; refit the model "
                                     "(docs/risk-model.md)") == 0);
    }
    CHECK(warned);
    lo_engine_free(e);
    lo_diags_free(d);
    write_model(model, ",\n \"night\": {\"bias\": -3, \"weights\": []}");
    char err[512];
    e = fixture_load(fixture, model, "rules.json", rules, true, err, sizeof err, dir);
    CHECK(e == NULL);
    CHECK_STR(err, "5:11: topic class \"night\" must answer with a rule of category "
                   "\"night\" that is not a crisis rule and starts no flow; refit the model "
                   "(docs/risk-model.md)");
    lo_engine_free(e);
    unlink(model);
}

int main(int argc, char **argv)
{
    const char *fixture = argc > 1 ? argv[1] : "data/set";
    check_routing(fixture);
    check_classes_tied(fixture);
    TEST_MAIN_END();
}
