/* test_risk_model.c - the risk score: a small fixture model gives the exact
 * probability, top features and category of a message, and every kind of bad
 * model file is refused with the exact message at the exact place. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "engine/risk_model.h"
#include "testing.h"

/* Buckets in 2^24 of word "pills", word "take", bigram "take pills"
 * (tests/model/test_risk_features.c checks them). */
static const char *const fixture =
    "{\"comment\": \"a fixture\", \"risk_model\": {\"format\": 1, \"hash_bits\": 24,\n"
    " \"crisis\": {\"bias\": -1, \"weights\": [[6829220, 2.5, \"word \\\"pills\\\"\"],\n"
    "   [15088727, -0.5, \"word \\\"take\\\"\"], [16455438, 1, \"bigram \\\"take pills\\\"\"]]},\n"
    " \"categories\": {\"crisis-suicide\": {\"bias\": 0.5, \"weights\": []},\n"
    "   \"crisis-overdose\": {\"bias\": 0, \"weights\": [[6829220, 1, \"word \\\"pills\\\"\"]]}},\n"
    " \"fitted\": {\"lines\": 3}}}\n";

/* Parses text as the file m.json; returns the model, and the diagnostics as
 * "line:column: message" lines in *errors. */
static lo_risk_model *parse(const char *text, char **errors)
{
    json_error_t jerr;
    json_t *json = json_loads(text, 0, &jerr);
    CHECK(json != NULL);
    lo_jpos *pos = lo_jpos_parse(text, strlen(text));
    lo_diags *d = lo_diags_new();
    lo_risk_model *m = lo_risk_model_parse(json, pos, "m.json", d);
    lo_strbuf out = {0};
    for (size_t i = 0; i < lo_diags_count(d); i++) {
        const lo_diag *g = lo_diags_at(d, i);
        CHECK_STR(g->file, "m.json");
        CHECK(g->severity == LO_DIAG_ERROR);
        lo_strbuf_addf(&out, "%d:%d: %s\n", g->line, g->column, g->message);
    }
    *errors = lo_strbuf_take(&out);
    lo_diags_free(d);
    lo_jpos_free(pos);
    json_decref(json);
    return m;
}

static void check_refused(const char *text, const char *want)
{
    char *errors;
    lo_risk_model *m = parse(text, &errors);
    CHECK(m == NULL);
    CHECK_STR(errors, want);
    free(errors);
    lo_risk_model_free(m);
}

static void check_scores(void)
{
    char *errors;
    lo_risk_model *m = parse(fixture, &errors);
    CHECK(m != NULL);
    CHECK_STR(errors, "");
    free(errors);
    if (!m)
        return;
    CHECK(m->bits == 24 && m->crisis.n == 3 && m->ncategories == 2);
    lo_risk_why why;
    /* -1 + 2.5 - 0.5 + 1 = 2 */
    double p = lo_risk_score(m, "Take PILLS", 10, &why);
    CHECK(p == 1 / (1 + exp(-2.0)));
    CHECK(why.bias == -1);
    CHECK_EQ_U64(why.ntop, 3);
    CHECK_STR(why.top[0].text, "word \"pills\"");
    CHECK(why.top[0].weight == 2.5);
    CHECK_STR(why.top[1].text, "bigram \"take pills\"");
    CHECK(why.top[1].weight == 1);
    CHECK_STR(why.top[2].text, "word \"take\"");
    CHECK(why.top[2].weight == -0.5);
    CHECK_STR(why.category, "crisis-overdose"); /* 0 + 1 against 0.5 */
    /* no feature with a weight: the biases alone */
    p = lo_risk_score(m, "hello there", 11, &why);
    CHECK(p == 1 / (1 + exp(1.0)));
    CHECK_EQ_U64(why.ntop, 0);
    CHECK_STR(why.category, "crisis-suicide");
    CHECK(lo_risk_score(m, "pills", 5, NULL) == 1 / (1 + exp(-1.5)));
    lo_risk_model_free(m);
}

static void check_bad_models(void)
{
    check_refused("{\"rules\": []}",
                  "1:1: a risk model file must be one object {\"risk_model\": {...}}; refit the "
                  "model (docs/risk-model.md)\n");
    check_refused("{\"risk_model\": {\"format\": 1,\n"
                  "  \"crisis\": {\"bias\": 0, \"weights\": []}}}",
                  "1:16: the risk model has no \"hash_bits\"; refit the model "
                  "(docs/risk-model.md)\n");
    check_refused("{\"risk_model\": {\"format\": 1, \"hash_bits\": \"18\",\n"
                  "  \"crisis\": {\"bias\": 0, \"weights\": []}}}",
                  "1:43: \"hash_bits\" must be an integer from 8 to 24\n");
    check_refused("{\"risk_model\": {\"format\": 2, \"hash_bits\": 18,\n"
                  "  \"crisis\": {\"bias\": 0, \"weights\": []}}}",
                  "1:27: \"format\" must be 1 (the risk models this leanon reads); refit the "
                  "model (docs/risk-model.md)\n");
    check_refused("{\"risk_model\": {\"format\": 1, \"hash_bits\": 8,\n"
                  "  \"crisis\": {\"bias\": 0, \"weights\": [[255, 1, \"a\"],\n"
                  "    [256, 1, \"b\"]]}}}",
                  "3:5: bucket 256 of \"crisis\" is outside the model's 2^8 buckets (0 to 255)\n");
    check_refused("{\"risk_model\": {\"format\": 1, \"hash_bits\": 8,\n"
                  "  \"crisis\": {\"bias\": 0, \"weights\": [[5, 1, \"a\"], [5, 2, \"b\"]]}}}",
                  "2:50: bucket 5 of \"crisis\" comes after bucket 5; buckets must be in "
                  "increasing order, each once\n");
    check_refused("{\"risk_model\": {\"format\": 1, \"hash_bits\": 8,\n"
                  "  \"crisis\": {\"bias\": 0, \"weights\": [[5, 1]]}}}",
                  "2:37: weight 1 of \"crisis\" must be [bucket, weight, \"feature\"], e.g. "
                  "[17, 0.8, \"word \\\"pills\\\"\"]\n");
    check_refused("{\"risk_model\": {\"format\": 1, \"hash_bits\": 8,\n"
                  "  \"crisis\": {\"bias\": \"low\", \"weights\": []}}}",
                  "2:22: \"bias\" of \"crisis\" must be a number\n");
    check_refused("{\"risk_model\": {\"format\": 1, \"hash_bits\": 8,\n"
                  "  \"crisis\": {\"bias\": 0, \"weights\": [], \"weight\": 1}}}",
                  "2:40: unknown key \"weight\" in \"crisis\"; did you mean \"weights\"? (allowed: "
                  "\"bias\", \"weights\")\n");
    check_refused("{\"risk_model\": {\"format\": 1, \"hash_bits\": 8,\n"
                  "  \"crisis\": [],\n"
                  "  \"categories\": {}}}",
                  "2:13: \"crisis\" must be an object like {\"bias\": -2.1, \"weights\": [[17, "
                  "0.8, \"word \\\"pills\\\"\"]]}\n");
    check_refused("{\"risk_model\": {\"format\": 1, \"hash_bits\": 8,\n"
                  "  \"crisis\": {\"bias\": 0, \"weights\": []},\n"
                  "  \"categories\": {\"none\": {\"bias\": 0, \"weights\": []}}}}",
                  "3:26: \"none\" in \"categories\" is not a crisis category (they start with "
                  "\"crisis-\")\n");
}

int main(void)
{
    check_scores();
    check_bad_models();
    TEST_MAIN_END();
}
