/* topic_model.c - the learned topic score: reading a fitted model from its JSON
 * (every mistake named with file:line:column, each class read by risk_model.c's
 * class reader), the routing thresholds, and scoring a message against every
 * class (what the model is: topic_model.h and docs/risk-model.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "engine/diag.h"
#include "engine/topic_model.h"

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool read_classes(lo_risk_reader *r, json_t *obj, const lo_jpos *pos, lo_topic_model *m)
{
    if (!json_is_object(obj) || json_object_size(obj) < 2) {
        lo_risk_fail(r, pos,
                     "\"classes\" must be an object of two or more topic categories, like "
                     "{\"grief\": {\"bias\": -1.2, \"weights\": [...]}, \"sleep\": {...}}");
        return false;
    }
    m->classes = lo_xcalloc(json_object_size(obj), sizeof *m->classes);
    const char **names = lo_xcalloc(json_object_size(obj), sizeof *names);
    const char *key;
    json_t *v;
    json_object_foreach (obj, key, v) {
        names[m->nclasses++] = key;
    }
    qsort(names, m->nclasses, sizeof *names, cmp_names);
    bool ok = true;
    for (size_t i = 0; i < m->nclasses && ok; i++) {
        if (strncmp(names[i], "crisis-", 7) == 0) {
            lo_risk_fail(r, lo_jpos_key(pos, names[i]),
                         "\"%s\" in \"classes\" is a crisis category; the topic model never "
                         "answers for safety (the crisis rules and signals do)",
                         names[i]);
            ok = false;
        } else {
            ok = lo_risk_class_read(r, json_object_get(obj, names[i]), lo_jpos_key(pos, names[i]),
                                    names[i], &m->classes[i]);
        }
    }
    free(names);
    return ok;
}

void lo_topic_model_index(lo_topic_model *m)
{
    size_t nb = (size_t)1 << m->bits, total = 0;
    m->first = lo_xcalloc(nb + 1, sizeof *m->first);
    for (size_t c = 0; c < m->nclasses; c++) {
        for (size_t i = 0; i < m->classes[c].n; i++)
            m->first[m->classes[c].buckets[i] + 1]++;
        total += m->classes[c].n;
    }
    for (size_t b = 0; b < nb; b++)
        m->first[b + 1] += m->first[b];
    m->entry_class = lo_xcalloc(total ? total : 1, sizeof *m->entry_class);
    m->entry_weight = lo_xcalloc(total ? total : 1, sizeof *m->entry_weight);
    uint32_t *next = lo_xcalloc(nb, sizeof *next);
    memcpy(next, m->first, nb * sizeof *next);
    for (size_t c = 0; c < m->nclasses; c++)
        for (size_t i = 0; i < m->classes[c].n; i++) {
            uint32_t at = next[m->classes[c].buckets[i]]++;
            m->entry_class[at] = (uint32_t)c;
            m->entry_weight[at] = m->classes[c].weights[i];
        }
    free(next);
}

static bool read_model(lo_risk_reader *r, json_t *obj, const lo_jpos *pos, lo_topic_model *m)
{
    static const char *const keys[] = {"format", "hash_bits", "classes", "fitted"};
    static const char *const what = "the topic model";
    if (!json_is_object(obj)) {
        lo_risk_fail(r, pos,
                     "\"topic_model\" must be an object with \"format\", \"hash_bits\" and "
                     "\"classes\"");
        return false;
    }
    json_t *format = lo_risk_need(r, obj, pos, "format", what);
    json_t *bits = lo_risk_need(r, obj, pos, "hash_bits", what);
    json_t *classes = lo_risk_need(r, obj, pos, "classes", what);
    if (!lo_risk_only_keys(r, obj, pos, what, keys, sizeof keys / sizeof *keys) || !format ||
        !bits || !classes)
        return false;
    if (!json_is_integer(format) || json_integer_value(format) != LO_TOPIC_FORMAT) {
        lo_risk_fail(r, lo_jpos_key(pos, "format"),
                     "\"format\" must be %d (the topic models this leanon reads); refit the "
                     "model (docs/risk-model.md)",
                     LO_TOPIC_FORMAT);
        return false;
    }
    if (!json_is_integer(bits) || json_integer_value(bits) < LO_RISK_MIN_BITS ||
        json_integer_value(bits) > LO_RISK_DENSE_BITS) {
        lo_risk_fail(r, lo_jpos_key(pos, "hash_bits"),
                     "\"hash_bits\" must be an integer from %d to %d", LO_RISK_MIN_BITS,
                     LO_RISK_DENSE_BITS);
        return false;
    }
    m->bits = r->bits = (unsigned)json_integer_value(bits);
    if (!read_classes(r, classes, lo_jpos_key(pos, "classes"), m))
        return false;
    lo_topic_model_index(m);
    return true;
}

lo_topic_model *lo_topic_model_parse(json_t *doc, const lo_jpos *pos, const char *file, lo_diags *d)
{
    static const char *const keys[] = {"topic_model", "comment"};
    lo_risk_reader r;
    lo_risk_reader_init(&r, file, d);
    lo_topic_model *m = lo_xcalloc(1, sizeof *m);
    m->file = lo_xstrdup(file);
    json_t *model = json_is_object(doc) ? json_object_get(doc, "topic_model") : NULL;
    bool ok = false;
    if (!model)
        lo_risk_fail(&r, pos,
                     "a topic model file must be one object {\"topic_model\": {...}}; refit "
                     "the model (docs/risk-model.md)");
    else
        ok = lo_risk_only_keys(&r, doc, pos, "a topic model file", keys, 2) &&
             read_model(&r, model, lo_jpos_key(pos, "topic_model"), m);
    if (!ok) {
        lo_topic_model_free(m);
        return NULL;
    }
    return m;
}

void lo_topic_model_free(lo_topic_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nclasses; i++)
        lo_risk_class_free(&m->classes[i]);
    free(m->classes);
    free(m->file);
    free(m->first);
    free(m->entry_class);
    free(m->entry_weight);
    free(m);
}

/* One of the two thresholds: a number from 0 to 1. */
static bool read_fraction(lo_risk_reader *r, json_t *obj, const lo_jpos *pos, const char *key,
                          double *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return true;
    double x = json_number_value(v);
    if (!json_is_number(v) || x < 0 || x > 1) {
        lo_risk_fail(r, lo_jpos_key(pos, key),
                     "\"%s\" of \"topic_routing\" must be a number from 0 to 1, like 0.5", key);
        return false;
    }
    *out = x;
    return true;
}

bool lo_topic_routing_parse(json_t *obj, const lo_jpos *pos, const char *file, lo_diags *d,
                            lo_topic_routing *out)
{
    static const char *const keys[] = {"threshold", "margin"};
    lo_risk_reader r;
    lo_risk_reader_init(&r, file, d);
    if (!json_is_object(obj)) {
        lo_risk_fail(&r, pos,
                     "\"topic_routing\" must be an object like {\"threshold\": 0.5, "
                     "\"margin\": 0.2}");
        return false;
    }
    return lo_risk_only_keys(&r, obj, pos, "\"topic_routing\"", keys, 2) &&
           read_fraction(&r, obj, pos, "threshold", &out->threshold) &&
           read_fraction(&r, obj, pos, "margin", &out->margin);
}

/* Keeps class c (probability p) among g's ranked ones: likeliest first, ties to
 * the first class by name. */
static void rank(lo_topic_guess *g, int c, double p)
{
    size_t at = g->nranked;
    while (at > 0 && g->p[at - 1] < p)
        at--;
    if (at >= LO_TOPIC_RANKED)
        return;
    size_t last = g->nranked < LO_TOPIC_RANKED ? g->nranked : LO_TOPIC_RANKED - 1;
    memmove(&g->ranked[at + 1], &g->ranked[at], (last - at) * sizeof *g->ranked);
    memmove(&g->p[at + 1], &g->p[at], (last - at) * sizeof *g->p);
    g->ranked[at] = c;
    g->p[at] = p;
    if (g->nranked < LO_TOPIC_RANKED)
        g->nranked++;
}

void lo_topic_score(const lo_topic_model *m, const char *text, size_t len, bool why,
                    lo_topic_guess *g)
{
    memset(g, 0, sizeof *g);
    lo_risk_features f = {0};
    lo_risk_features_extract(text, len, m->bits, &f);
    double *sum = lo_xcalloc(m->nclasses, sizeof *sum);
    for (size_t c = 0; c < m->nclasses; c++)
        sum[c] = m->classes[c].bias;
    for (size_t i = 0; i < f.n; i++) {
        uint32_t b = f.v[i].bucket;
        for (uint32_t k = m->first[b]; k < m->first[b + 1]; k++)
            sum[m->entry_class[k]] += m->entry_weight[k];
    }
    /* liblinear's probabilities for one against the rest: each class's
     * logistic, scaled so that they sum to 1 */
    double total = 0;
    for (size_t c = 0; c < m->nclasses; c++) {
        sum[c] = 1 / (1 + exp(-sum[c]));
        total += sum[c];
    }
    for (size_t c = 0; c < m->nclasses; c++)
        rank(g, (int)c, sum[c] / total);
    free(sum);
    if (why && g->nranked)
        g->ntop = lo_risk_top_features(&m->classes[g->ranked[0]], &f, g->top);
    lo_risk_features_free(&f);
}

const char *lo_topic_route(const lo_topic_model *m, const lo_topic_routing *r,
                           const lo_topic_guess *g)
{
    if (g->nranked < 2 || g->p[0] < r->threshold || g->p[0] - g->p[1] < r->margin)
        return NULL;
    const char *name = m->classes[g->ranked[0]].name;
    return strcmp(name, LO_TOPIC_NONE) == 0 ? NULL : name;
}
