/* risk_model.c - the learned risk score: reading a fitted model from its JSON
 * (every mistake named with file:line:column) and scoring a message with it
 * (what the model is: risk_model.h and docs/risk-model.md). */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/report.h"
#include "common/schema.h"
#include "engine/diag.h"
#include "engine/risk_model.h"

#define WEIGHT_EXAMPLE "[17, 0.8, \"word \\\"pills\\\"\"]"

typedef lo_risk_reader reader;

static void add_error(void *ctx, int line, int column, const char *message)
{
    reader *r = ctx;
    lo_diags_add(r->d, LO_DIAG_ERROR, r->file, line, column, message);
}

void lo_risk_reader_init(lo_risk_reader *r, const char *file, lo_diags *d)
{
    *r = (lo_risk_reader){.file = file, .d = d};
    r->sink = (lo_sink){.report = add_error, .ctx = r};
}

void lo_risk_fail(reader *r, const lo_jpos *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lo_vreport(&r->sink, at, false, fmt, ap);
    va_end(ap);
}

json_t *lo_risk_need(reader *r, json_t *obj, const lo_jpos *pos, const char *key, const char *what)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        lo_risk_fail(r, pos, "%s has no \"%s\"; refit the model (docs/risk-model.md)", what, key);
    return v;
}

bool lo_risk_only_keys(reader *r, json_t *obj, const lo_jpos *pos, const char *what,
                       const char *const *allowed, size_t n)
{
    lo_schema o = {.json = obj, .pos = pos, .what = what, .sink = &r->sink};
    return lo_schema_keys(&o, allowed, n);
}

/* One [bucket, weight, "feature"] of the list of class c. */
static bool read_weight(reader *r, json_t *item, const lo_jpos *at, size_t i, lo_risk_class *c)
{
    if (!json_is_array(item) || json_array_size(item) != 3 ||
        !json_is_integer(json_array_get(item, 0)) || !json_is_number(json_array_get(item, 1)) ||
        !json_is_string(json_array_get(item, 2))) {
        lo_risk_fail(r, at, "weight %zu of \"%s\" must be [bucket, weight, \"feature\"], e.g. %s",
                     i + 1, c->name, WEIGHT_EXAMPLE);
        return false;
    }
    json_int_t bucket = json_integer_value(json_array_get(item, 0));
    double w = json_number_value(json_array_get(item, 1));
    json_int_t last = (json_int_t)((1ull << r->bits) - 1);
    if (bucket < 0 || bucket > last) {
        lo_risk_fail(r, at,
                     "bucket %" JSON_INTEGER_FORMAT " of \"%s\" is outside the model's 2^%u "
                     "buckets (0 to %" JSON_INTEGER_FORMAT ")",
                     bucket, c->name, r->bits, last);
        return false;
    }
    if (c->n > 0 && (uint32_t)bucket <= c->buckets[c->n - 1]) {
        lo_risk_fail(r, at,
                     "bucket %" JSON_INTEGER_FORMAT " of \"%s\" comes after bucket %u; buckets "
                     "must be in increasing order, each once",
                     bucket, c->name, c->buckets[c->n - 1]);
        return false;
    }
    if (w == 0 || !isfinite(w)) {
        lo_risk_fail(r, at, "weight %zu of \"%s\" must be a number other than 0", i + 1, c->name);
        return false;
    }
    c->buckets[c->n] = (uint32_t)bucket;
    c->weights[c->n++] = w;
    return true;
}

bool lo_risk_class_read(reader *r, json_t *obj, const lo_jpos *pos, const char *name,
                        lo_risk_class *c)
{
    static const char *const keys[] = {"bias", "weights"};
    c->name = lo_xstrdup(name);
    if (!json_is_object(obj)) {
        lo_risk_fail(r, pos, "\"%s\" must be an object like {\"bias\": -2.1, \"weights\": [%s]}",
                     name, WEIGHT_EXAMPLE);
        return false;
    }
    lo_strbuf what = {0};
    lo_strbuf_addf(&what, "\"%s\"", name);
    json_t *bias = lo_risk_need(r, obj, pos, "bias", what.data);
    json_t *weights = lo_risk_need(r, obj, pos, "weights", what.data);
    bool ok = lo_risk_only_keys(r, obj, pos, what.data, keys, 2) && bias && weights;
    lo_strbuf_free(&what);
    if (!ok)
        return false;
    if (!json_is_number(bias) || !isfinite(json_number_value(bias))) {
        lo_risk_fail(r, lo_jpos_key(pos, "bias"), "\"bias\" of \"%s\" must be a number", name);
        return false;
    }
    c->bias = json_number_value(bias);
    const lo_jpos *wpos = lo_jpos_key(pos, "weights");
    if (!json_is_array(weights)) {
        lo_risk_fail(r, wpos,
                     "\"weights\" of \"%s\" must be a list of [bucket, weight, \"feature\"], "
                     "e.g. [%s]",
                     name, WEIGHT_EXAMPLE);
        return false;
    }
    size_t n = json_array_size(weights);
    c->buckets = lo_xcalloc(n ? n : 1, sizeof *c->buckets);
    c->weights = lo_xcalloc(n ? n : 1, sizeof *c->weights);
    for (size_t i = 0; i < n; i++)
        if (!read_weight(r, json_array_get(weights, i), lo_jpos_index(wpos, i), i, c))
            return false;
    return true;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool read_categories(reader *r, json_t *obj, const lo_jpos *pos, lo_risk_model *m)
{
    if (!json_is_object(obj)) {
        lo_risk_fail(r, pos,
                     "\"categories\" must be an object of crisis categories, like "
                     "{\"crisis-overdose\": {\"bias\": -1.2, \"weights\": [...]}}");
        return false;
    }
    m->categories = lo_xcalloc(json_object_size(obj) + 1, sizeof *m->categories);
    const char **names = lo_xcalloc(json_object_size(obj) + 1, sizeof *names);
    const char *key;
    json_t *v;
    json_object_foreach (obj, key, v) {
        names[m->ncategories++] = key;
    }
    qsort(names, m->ncategories, sizeof *names, cmp_names);
    bool ok = true;
    for (size_t i = 0; i < m->ncategories && ok; i++) {
        if (strncmp(names[i], "crisis-", 7) != 0) {
            lo_risk_fail(r, lo_jpos_key(pos, names[i]),
                         "\"%s\" in \"categories\" is not a crisis "
                         "category (they start with \"crisis-\")",
                         names[i]);
            ok = false;
        } else {
            ok = lo_risk_class_read(r, json_object_get(obj, names[i]), lo_jpos_key(pos, names[i]),
                                    names[i], &m->categories[i]);
        }
    }
    free(names);
    return ok;
}

/* Fills c->dense: every bucket's weight, 0 where c has none. */
static void spread(lo_risk_class *c, unsigned bits)
{
    c->dense = lo_xcalloc((size_t)1 << bits, sizeof *c->dense);
    for (size_t i = 0; i < c->n; i++)
        c->dense[c->buckets[i]] = c->weights[i];
}

static bool read_model(reader *r, json_t *obj, const lo_jpos *pos, lo_risk_model *m)
{
    static const char *const keys[] = {"format", "hash_bits", "crisis", "categories", "fitted"};
    static const char *const what = "the risk model";
    if (!json_is_object(obj)) {
        lo_risk_fail(r, pos,
                     "\"risk_model\" must be an object with \"format\", \"hash_bits\", "
                     "\"crisis\" and \"categories\"");
        return false;
    }
    json_t *format = lo_risk_need(r, obj, pos, "format", what);
    json_t *bits = lo_risk_need(r, obj, pos, "hash_bits", what);
    json_t *crisis = lo_risk_need(r, obj, pos, "crisis", what);
    if (!lo_risk_only_keys(r, obj, pos, what, keys, sizeof keys / sizeof *keys) || !format ||
        !bits || !crisis)
        return false;
    if (!json_is_integer(format) || json_integer_value(format) != LO_RISK_FORMAT) {
        lo_risk_fail(r, lo_jpos_key(pos, "format"),
                     "\"format\" must be %d (the risk models this "
                     "leanon reads); refit the model (docs/risk-model.md)",
                     LO_RISK_FORMAT);
        return false;
    }
    if (!json_is_integer(bits) || json_integer_value(bits) < LO_RISK_MIN_BITS ||
        json_integer_value(bits) > LO_RISK_MAX_BITS) {
        lo_risk_fail(r, lo_jpos_key(pos, "hash_bits"),
                     "\"hash_bits\" must be an integer from %d to %d", LO_RISK_MIN_BITS,
                     LO_RISK_MAX_BITS);
        return false;
    }
    m->bits = r->bits = (unsigned)json_integer_value(bits);
    if (!lo_risk_class_read(r, crisis, lo_jpos_key(pos, "crisis"), "crisis", &m->crisis))
        return false;
    if (m->bits <= LO_RISK_DENSE_BITS)
        spread(&m->crisis, m->bits);
    json_t *categories = json_object_get(obj, "categories");
    return !categories || read_categories(r, categories, lo_jpos_key(pos, "categories"), m);
}

lo_risk_model *lo_risk_model_parse(json_t *doc, const lo_jpos *pos, const char *file, lo_diags *d)
{
    static const char *const keys[] = {"risk_model", "comment"};
    reader r;
    lo_risk_reader_init(&r, file, d);
    lo_risk_model *m = lo_xcalloc(1, sizeof *m);
    json_t *model = json_is_object(doc) ? json_object_get(doc, "risk_model") : NULL;
    bool ok = false;
    if (!model)
        lo_risk_fail(&r, pos,
                     "a risk model file must be one object {\"risk_model\": {...}}; refit "
                     "the model (docs/risk-model.md)");
    else
        ok = lo_risk_only_keys(&r, doc, pos, "a risk model file", keys, 2) &&
             read_model(&r, model, lo_jpos_key(pos, "risk_model"), m);
    if (!ok) {
        lo_risk_model_free(m);
        return NULL;
    }
    return m;
}

void lo_risk_class_free(lo_risk_class *c)
{
    free(c->name);
    free(c->buckets);
    free(c->weights);
    free(c->dense);
}

void lo_risk_model_free(lo_risk_model *m)
{
    if (!m)
        return;
    lo_risk_class_free(&m->crisis);
    for (size_t i = 0; i < m->ncategories; i++)
        lo_risk_class_free(&m->categories[i]);
    free(m->categories);
    free(m);
}

double lo_risk_weight_of(const lo_risk_class *c, uint32_t b)
{
    if (c->dense)
        return c->dense[b];
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->buckets[mid] < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n && c->buckets[lo] == b ? c->weights[lo] : 0;
}

double lo_risk_decision(const lo_risk_class *c, const lo_risk_features *f)
{
    double sum = c->bias;
    for (size_t i = 0; i < f->n; i++)
        sum += lo_risk_weight_of(c, f->v[i].bucket);
    return sum;
}

/* Keeps feature f (weight w) among top (*ntop of them): largest |w| first, ties
 * to the one found first (f arrive in bucket order, so compare seq). */
static void consider(lo_risk_reason *top, size_t *ntop, const lo_risk_features *fs,
                     const lo_risk_feature *f, double w, uint32_t *seqs)
{
    size_t at = *ntop;
    while (at > 0 && (fabs(top[at - 1].weight) < fabs(w) ||
                      (fabs(top[at - 1].weight) == fabs(w) && seqs[at - 1] > f->seq)))
        at--;
    if (at >= LO_RISK_WHY_TOP)
        return;
    size_t last = *ntop < LO_RISK_WHY_TOP ? *ntop : LO_RISK_WHY_TOP - 1;
    memmove(&top[at + 1], &top[at], (last - at) * sizeof *top);
    memmove(&seqs[at + 1], &seqs[at], (last - at) * sizeof *seqs);
    top[at].weight = w;
    seqs[at] = f->seq;
    lo_risk_feature_describe(fs, f, top[at].text);
    if (*ntop < LO_RISK_WHY_TOP)
        (*ntop)++;
}

size_t lo_risk_top_features(const lo_risk_class *c, const lo_risk_features *f,
                            lo_risk_reason top[LO_RISK_WHY_TOP])
{
    size_t ntop = 0;
    uint32_t seqs[LO_RISK_WHY_TOP];
    for (size_t i = 0; i < f->n; i++) {
        double w = lo_risk_weight_of(c, f->v[i].bucket);
        if (w != 0)
            consider(top, &ntop, f, &f->v[i], w, seqs);
    }
    return ntop;
}

static void explain(const lo_risk_model *m, const lo_risk_features *f, lo_risk_why *why)
{
    memset(why, 0, sizeof *why);
    why->bias = m->crisis.bias;
    why->ntop = lo_risk_top_features(&m->crisis, f, why->top);
    double best = 0;
    for (size_t c = 0; c < m->ncategories; c++) {
        double v = lo_risk_decision(&m->categories[c], f);
        if (!why->category || v > best) {
            why->category = m->categories[c].name;
            best = v;
        }
    }
}

double lo_risk_score(const lo_risk_model *m, const char *text, size_t len, lo_risk_why *why)
{
    lo_risk_features f = {0};
    lo_risk_features_extract(text, len, m->bits, &f);
    double p = 1 / (1 + exp(-lo_risk_decision(&m->crisis, &f)));
    if (why)
        explain(m, &f, why);
    lo_risk_features_free(&f);
    return p;
}
