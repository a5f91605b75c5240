/* test_topic_model.c - the topic score: a small fixture model gives the exact
 * probabilities, ranking and carrying features of a message, routing follows the
 * threshold and the margin, and every kind of bad model file and bad
 * "topic_routing" is refused with the exact message at the exact place. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "engine/topic_model.h"
#include "testing.h"

/* Buckets in 2^20 of word "pills" and word "take" (the low 20 bits of the 24-bit buckets
 * test_risk_features.c checks). */
static const char *const fixture =
    "{\"comment\": \"a fixture\", \"topic_model\": {\"format\": 1, \"hash_bits\": 20,\n"
    " \"classes\": {\"sleep\": {\"bias\": -1, \"weights\": [[537764, 3, \"word\"]]},\n"
    "   \"fallback\": {\"bias\": 0, \"weights\": []},\n"
    "   \"grief\": {\"bias\": -1, \"weights\": [[408663, 2, \"word\"]]}},\n"
    " \"fitted\": {\"lines\": 3}}}\n";

/* Parses text as the file m.json; the model (NULL when refused) and the
 * diagnostics as "line:column: message" lines in *errors. */
static lo_topic_model *parse(const char *text, char **errors)
{
    json_error_t jerr;
    json_t *json = json_loads(text, 0, &jerr);
    CHECK(json != NULL);
    lo_jpos *pos = lo_jpos_parse(text, strlen(text));
    lo_diags *d = lo_diags_new();
    lo_topic_model *m = lo_topic_model_parse(json, pos, "m.json", d);
    lo_strbuf out = {0};
    for (size_t i = 0; i < lo_diags_count(d); i++) {
        const lo_diag *g = lo_diags_at(d, i);
        lo_strbuf_addf(&out, "%d:%d: %s\n", g->line, g->column, g->message);
    }
    *errors = out.data ? lo_strbuf_take(&out) : lo_xstrdup("");
    lo_diags_free(d);
    lo_jpos_free(pos);
    json_decref(json);
    return m;
}

static void check_refused(const char *text, const char *want)
{
    char *errors;
    lo_topic_model *m = parse(text, &errors);
    CHECK(m == NULL);
    CHECK_STR(errors, want);
    free(errors);
    lo_topic_model_free(m);
}

static double logistic(double x)
{
    return 1 / (1 + exp(-x));
}

static void check_scores(void)
{
    char *errors;
    lo_topic_model *m = parse(fixture, &errors);
    CHECK(m != NULL);
    CHECK_STR(errors, "");
    free(errors);
    if (!m)
        return;
    CHECK(m->bits == 20 && m->nclasses == 3);
    CHECK_STR(m->classes[0].name, "fallback"); /* by name */
    CHECK_STR(m->file, "m.json");
    lo_topic_guess g;
    lo_topic_score(m, "PILLS", 5, true, &g); /* sleep -1 + 3, fallback 0, grief -1 */
    double total = logistic(2) + logistic(0) + logistic(-1);
    CHECK_EQ_U64(g.nranked, 3);
    CHECK_STR(m->classes[g.ranked[0]].name, "sleep");
    CHECK_STR(m->classes[g.ranked[1]].name, "fallback");
    CHECK_STR(m->classes[g.ranked[2]].name, "grief");
    CHECK(fabs(g.p[0] - logistic(2) / total) < 1e-12);
    CHECK(fabs(g.p[1] - logistic(0) / total) < 1e-12);
    CHECK_EQ_U64(g.ntop, 1);
    CHECK_STR(g.top[0].text, "word \"pills\"");
    CHECK(g.top[0].weight == 3);
    /* p = 0.554, margin 0.554 - 0.272 = 0.282 */
    lo_topic_routing r = {.threshold = 0.5, .margin = 0.2};
    CHECK_STR(lo_topic_route(m, &r, &g), "sleep");
    r.threshold = 0.6;
    CHECK(lo_topic_route(m, &r, &g) == NULL);
    r = (lo_topic_routing){.threshold = 0.5, .margin = 0.3};
    CHECK(lo_topic_route(m, &r, &g) == NULL);
    /* the likeliest is the class of no topic: never routed */
    lo_topic_score(m, "hello", 5, false, &g);
    CHECK_STR(m->classes[g.ranked[0]].name, "fallback");
    CHECK_EQ_U64(g.ntop, 0);
    r = (lo_topic_routing){0};
    CHECK(lo_topic_route(m, &r, &g) == NULL);
    /* grief and sleep together: 1 + 2 = sleep 2, grief 1 */
    lo_topic_score(m, "take pills", 10, false, &g);
    CHECK_STR(m->classes[g.ranked[0]].name, "sleep");
    CHECK_STR(m->classes[g.ranked[1]].name, "grief");
    lo_topic_model_free(m);
}

static void check_bad_models(void)
{
    check_refused("{\"risk_model\": {}}",
                  "1:1: a topic model file must be one object {\"topic_model\": {...}}; refit the "
                  "model (docs/risk-model.md)\n");
    check_refused("{\"topic_model\": {}, \"extra\": 1}",
                  "1:21: unknown key \"extra\" in a topic model file; remove it or use one of "
                  "\"topic_model\", \"comment\"\n");
    check_refused("{\"topic_model\": 3}",
                  "1:17: \"topic_model\" must be an object with \"format\", \"hash_bits\" and "
                  "\"classes\"\n");
    check_refused("{\"topic_model\": {\"format\": 1, \"hash_bits\": 12}}",
                  "1:17: the topic model has no \"classes\"; refit the model "
                  "(docs/risk-model.md)\n");
    check_refused("{\"topic_model\": {\"format\": 2, \"hash_bits\": 12, \"classes\": {}}}",
                  "1:28: \"format\" must be 1 (the topic models this leanon reads); refit the "
                  "model (docs/risk-model.md)\n");
    check_refused("{\"topic_model\": {\"format\": 1, \"hash_bits\": 22, \"classes\": {}}}",
                  "1:44: \"hash_bits\" must be an integer from 8 to 20\n");
    check_refused("{\"topic_model\": {\"format\": 1, \"hash_bits\": 12, \"classes\": {\"a\": {}}}}",
                  "1:59: \"classes\" must be an object of two or more topic categories, like "
                  "{\"grief\": {\"bias\": -1.2, \"weights\": [...]}, \"sleep\": {...}}\n");
    check_refused("{\"topic_model\": {\"format\": 1, \"hash_bits\": 12, \"classes\": {\n"
                  "\"crisis-suicide\": {\"bias\": 0, \"weights\": []},\n"
                  "\"grief\": {\"bias\": 0, \"weights\": []}}}}",
                  "2:19: \"crisis-suicide\" in \"classes\" is a crisis category; the topic model "
                  "never answers for safety (the crisis rules and signals do)\n");
    check_refused("{\"topic_model\": {\"format\": 1, \"hash_bits\": 12, \"classes\": {\n"
                  "\"sleep\": {\"bias\": 0, \"weights\": []},\n"
                  "\"grief\": {\"bias\": 0, \"weights\": [[5000, 1, \"w\"]]}}}}",
                  "3:34: bucket 5000 of \"grief\" is outside the model's 2^12 buckets (0 to "
                  "4095)\n");
}

/* Parses text as "topic_routing"'s value in r.json; the first error or "". */
static void check_routing(const char *text, const char *want, double threshold, double margin)
{
    json_error_t jerr;
    json_t *json = json_loads(text, 0, &jerr);
    CHECK(json != NULL);
    lo_jpos *pos = lo_jpos_parse(text, strlen(text));
    lo_diags *d = lo_diags_new();
    lo_topic_routing r = {LO_TOPIC_THRESHOLD_DEFAULT, LO_TOPIC_MARGIN_DEFAULT};
    bool ok = lo_topic_routing_parse(json, pos, "r.json", d, &r);
    char got[512] = "";
    if (lo_diags_count(d)) {
        const lo_diag *g = lo_diags_at(d, 0);
        snprintf(got, sizeof got, "%d:%d: %s", g->line, g->column, g->message);
    }
    CHECK(ok == (want[0] == '\0'));
    CHECK_STR(got, want);
    CHECK(r.threshold == threshold && r.margin == margin);
    lo_diags_free(d);
    lo_jpos_free(pos);
    json_decref(json);
}

int main(void)
{
    check_scores();
    check_bad_models();
    check_routing("{\"threshold\": 0.7}", "", 0.7, LO_TOPIC_MARGIN_DEFAULT);
    check_routing("{}", "", LO_TOPIC_THRESHOLD_DEFAULT, LO_TOPIC_MARGIN_DEFAULT);
    check_routing("{\"threshold\": 1.5}",
                  "1:15: \"threshold\" of \"topic_routing\" must be a number from 0 to 1, like "
                  "0.5",
                  LO_TOPIC_THRESHOLD_DEFAULT, LO_TOPIC_MARGIN_DEFAULT);
    check_routing("{\"margn\": 0.1}",
                  "1:2: unknown key \"margn\" in \"topic_routing\"; did you mean \"margin\"? "
                  "(allowed: \"threshold\", \"margin\")",
                  LO_TOPIC_THRESHOLD_DEFAULT, LO_TOPIC_MARGIN_DEFAULT);
    check_routing("[0.5]",
                  "1:1: \"topic_routing\" must be an object like {\"threshold\": 0.5, \"margin\": "
                  "0.2}",
                  LO_TOPIC_THRESHOLD_DEFAULT, LO_TOPIC_MARGIN_DEFAULT);
    TEST_MAIN_END();
}
