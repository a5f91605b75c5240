/* fit_risk_model.c - fits the learned risk score (docs/risk-model.md) with
 * liblinear's logistic regression (L2-regularised for crisis against none,
 * L1 for the categories: the better of each as measured by cross validation),
 * on the labelled files that tests/safety/TRAINING lists, choosing C by cross
 * validation, and writes the model as deterministic JSON; or, with --evaluate, measures a written model
 * on a labelled file. Scoring always goes through the engine's lo_risk_score,
 * so the figures printed here are the engine's. With --topics it fits the
 * learned topic score the same way (the
 * part "the topic score" below).
 *
 *   fit_risk_model [--training LIST] [--out MODEL] [--bits B]
 *   fit_risk_model --evaluate FILE.tsv [--model MODEL] [--rules RESPONSES]
 *   fit_risk_model --topics [--training LIST] [--out MODEL] [--bits B] [--rules RESPONSES]
 *
 * Exit status: 0 done, 1 a file could not be read or written, 2 bad input. */
#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <linear.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/load.h"
#include "engine/risk_model.h"
#include "engine/set.h"
#include "engine/topic_model.h"

#define DEFAULT_TRAINING "tests/safety/TRAINING"
#define DEFAULT_MODEL "responses/safety/risk-model.json"
#define DEFAULT_BITS 18
#define DEFAULT_TOPIC_TRAINING "tests/content/TRAINING"
#define DEFAULT_TOPIC_MODEL "responses/rules/topic-model.json"
#define DEFAULT_RESPONSES "responses"
#define FOLDS 5
#define SEED 1
#define EPS 0.01 /* liblinear's default for both solvers */

static const double grid[] = {0.0625, 0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32};
#define NGRID (sizeof grid / sizeof *grid)
/* The topic score's C: fewer values, its 40-odd classes make each fit slower */
static const double topic_grid[] = {1, 4, 16};
#define NTOPIC_GRID (sizeof topic_grid / sizeof *topic_grid)
static const double thresholds[] = {0.5, 0.6, 0.7, 0.8, 0.9};
#define NTHRESHOLDS (sizeof thresholds / sizeof *thresholds)

typedef struct line {
    char *label; /* "none" or a crisis category */
    char *text;
    struct feature_node *x; /* its features for liblinear, bias and end included */
    int fold;
} line;

typedef struct lines {
    line *v;
    size_t n, cap;
    char **files;
    size_t nfiles, fcap;
    bool topics;          /* reading a "topics" file: every label but crisis-... is none */
    const lo_engine *set; /* --topics: the set whose rules say which labels are classes */
    size_t skipped;       /* --topics: lines of other labels */
} lines;

static void quiet(const char *s)
{
    (void)s;
}

static int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fit_risk_model: ", stderr);
    /* ap is started just above; the analyser loses that through the format attribute */
    vfprintf(stderr, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

static bool is_crisis(const char *label)
{
    return strncmp(label, "crisis-", 7) == 0;
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = '\0';
}

/* Calls each with every line of path that is not blank or a '#' comment, until
 * one returns non-zero; returns that, or an exit status. */
static int each_line(const char *path, lines *out,
                     int (*each)(const char *path, int lineno, char *text, lines *out))
{
    FILE *f = fopen(path, "r");
    if (!f)
        return fail(1, "%s: cannot read it (%s)", path, strerror(errno));
    char *buf = NULL;
    size_t cap = 0;
    int lineno = 0, rc = 0;
    while (rc == 0 && getline(&buf, &cap, f) >= 0) {
        lineno++;
        chomp(buf);
        if (buf[0] != '\0' && buf[0] != '#')
            rc = each(path, lineno, buf, out);
    }
    free(buf);
    fclose(f);
    return rc;
}

/* One label<TAB>message line of a labelled file. */
static int add_labelled(const char *path, int lineno, char *text, lines *out)
{
    char *tab = strchr(text, '\t');
    if (tab)
        *tab = '\0';
    if (tab && out->topics && !is_crisis(text) && *text)
        text = "none"; /* a topic ("greeting", "burden") is not a crisis */
    if (!tab || (strcmp(text, "none") != 0 && (!is_crisis(text) || !text[7])))
        return fail(2,
                    "%s:%d: a line must be label<TAB>message, the label \"none\" or "
                    "\"crisis-...\"",
                    path, lineno);
    lo_grow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
    out->v[out->n++] = (line){.label = lo_xstrdup(text), .text = lo_xstrdup(tab + 1)};
    return 0;
}

static int read_tsv(const char *path, lines *out)
{
    return each_line(path, out, add_labelled);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* One file named by the training list: read, unless it is held out. A line
 * "FILE topics" reads a file labelled with topic categories, as none unless
 * the label is a crisis category. */
static int add_training_file(const char *list, int lineno, char *file, lines *out)
{
    char *space = strchr(file, ' ');
    out->topics = false;
    if (space) {
        *space = '\0';
        if (strcmp(space + 1, "topics") != 0)
            return fail(2, "%s:%d: after the file name only \"topics\" may follow", list, lineno);
        out->topics = true;
    }
    if (strncmp(base_name(file), "heldout", 7) == 0)
        return fail(2,
                    "%s: %s is held out for measuring and is never training data; take "
                    "it out of the list",
                    list, file);
    lo_grow(&out->files, &out->fcap, out->nfiles + 1, sizeof *out->files);
    out->files[out->nfiles++] = lo_xstrdup(file);
    return read_tsv(file, out);
}

/* Reads every file the list names (one a line, '#' comments), never a heldout one. */
static int read_training(const char *list, lines *out)
{
    int rc = each_line(list, out, add_training_file);
    if (rc == 0 && out->n == 0)
        rc = fail(2, "%s: the files it lists hold no labelled lines", list);
    return rc;
}

static void free_lines(lines *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        free(ls->v[i].label);
        free(ls->v[i].text);
        free(ls->v[i].x);
    }
    for (size_t i = 0; i < ls->nfiles; i++)
        free(ls->files[i]);
    free(ls->v);
    free(ls->files);
}

/* Each line's features as liblinear rows (index = bucket + 1, then the bias),
 * and its fold, from a hash of its text so that it does not depend on order. */
static void featurise(lines *ls, unsigned bits)
{
    lo_risk_features f = {0};
    for (size_t i = 0; i < ls->n; i++) {
        line *l = &ls->v[i];
        lo_risk_features_extract(l->text, strlen(l->text), bits, &f);
        l->x = lo_xcalloc(f.n + 2, sizeof *l->x);
        for (size_t k = 0; k < f.n; k++)
            l->x[k] = (struct feature_node){.index = (int)f.v[k].bucket + 1, .value = 1};
        l->x[f.n] = (struct feature_node){.index = (1 << bits) + 1, .value = 1};
        l->x[f.n + 1].index = -1;
        l->fold = (int)(lo_hash(l->text, strlen(l->text)) % FOLDS);
    }
    lo_risk_features_free(&f);
}

/* A task: which lines it learns from and the class of each (crisis: +1 or -1;
 * categories: 1 + the category's index, crisis lines only). */
typedef struct task {
    const lines *ls;
    int solver;               /* L2R_LR or L1R_LR */
    const char *const *names; /* class names; for crisis, NULL */
    size_t nnames;
    int *y; /* per line, 0 = not in this task */
} task;

static struct model *fit(const task *t, unsigned bits, double C, int skip_fold)
{
    struct problem p = {.n = (1 << bits) + 1, .bias = 1};
    p.y = lo_xcalloc(t->ls->n, sizeof *p.y);
    /* liblinear's rows are pointers to feature_node arrays */
    // NOLINTNEXTLINE(bugprone-sizeof-expression)
    p.x = lo_xcalloc(t->ls->n, sizeof *p.x);
    for (size_t i = 0; i < t->ls->n; i++)
        if (t->y[i] != 0 && t->ls->v[i].fold != skip_fold) {
            p.y[p.l] = t->y[i];
            p.x[p.l++] = t->ls->v[i].x;
        }
    struct parameter param = {.solver_type = t->solver, .eps = EPS, .C = C};
    srand(SEED); /* liblinear's solver shuffles with rand() */
    struct model *m = train(&p, &param);
    free(p.y);
    free(p.x);
    return m;
}

/* The weights of one class of m as the engine keeps them (non-zero only); a
 * class m never saw (a small fold can miss one) is never chosen. */
static void to_class(const struct model *m, int label, const char *name, lo_risk_class *c)
{
    int idx = 0, nf = get_nr_feature(m);
    while (idx < m->nr_class && m->label[idx] != label)
        idx++;
    c->name = lo_xstrdup(name);
    if (idx == m->nr_class) {
        c->bias = -INFINITY;
        return;
    }
    c->bias = get_decfun_bias(m, idx);
    c->buckets = lo_xcalloc((size_t)nf, sizeof *c->buckets);
    c->weights = lo_xcalloc((size_t)nf, sizeof *c->weights);
    for (int j = 1; j <= nf; j++) {
        double w = get_decfun_coef(m, j, idx);
        if (w != 0) {
            c->buckets[c->n] = (uint32_t)(j - 1);
            c->weights[c->n++] = w;
        }
    }
}

/* The engine's model from a crisis fit and (may be NULL) a category fit. */
static lo_risk_model *to_model(const struct model *crisis, const struct model *cats, const task *ct,
                               unsigned bits)
{
    lo_risk_model *m = lo_xcalloc(1, sizeof *m);
    m->bits = bits;
    to_class(crisis, 1, "crisis", &m->crisis);
    if (cats) {
        m->ncategories = ct->nnames;
        m->categories = lo_xcalloc(ct->nnames, sizeof *m->categories);
        for (size_t k = 0; k < ct->nnames; k++)
            to_class(cats, (int)k + 1, ct->names[k], &m->categories[k]);
    }
    return m;
}

/* ---- measuring ---- */

typedef struct scores {
    double *p;         /* probability of crisis, per line */
    bool *category_ok; /* crisis lines: the likeliest category is the label */
    bool *rules;       /* with --rules: the rules answered the line as a crisis */
    double log_loss;
    size_t crisis, safe, category_right;
} scores;

static void score_line(const lo_risk_model *m, const line *l, scores *s, size_t i)
{
    lo_risk_why why;
    double p = lo_risk_score(m, l->text, strlen(l->text), &why);
    s->p[i] = p;
    bool crisis = is_crisis(l->label);
    double q = crisis ? p : 1 - p;
    s->log_loss -= log(q > 1e-12 ? q : 1e-12);
    if (crisis) {
        s->crisis++;
        s->category_ok[i] = why.category && strcmp(why.category, l->label) == 0;
        s->category_right += s->category_ok[i];
    } else {
        s->safe++;
    }
}

/* Crisis lines caught and safe lines raised at threshold t (t > 1: never), by
 * the model, or by the model or the rules. */
static void count_at(const lines *ls, const scores *s, double t, bool or_rules, size_t *caught,
                     size_t *alarms)
{
    *caught = *alarms = 0;
    for (size_t i = 0; i < ls->n; i++) {
        bool raised = s->p[i] >= t || (or_rules && s->rules[i]);
        bool crisis = is_crisis(ls->v[i].label);
        *caught += raised && crisis;
        *alarms += raised && !crisis;
    }
}

static void print_counts(const scores *s, size_t caught, size_t alarms)
{
    printf("  %4zu/%-4zu = %.3f  %4zu/%-4zu = %.3f", caught, s->crisis,
           s->crisis ? (double)caught / (double)s->crisis : 0, alarms, s->safe,
           s->safe ? (double)alarms / (double)s->safe : 0);
}

static void print_figures(const lines *ls, const scores *s)
{
    size_t caught, alarms;
    printf("  threshold  recall              false alarms%s\n",
           s->rules ? "        rules or model: recall, false alarms" : "");
    for (size_t t = 0; t < NTHRESHOLDS; t++) {
        printf("  %.1f      ", thresholds[t]);
        count_at(ls, s, thresholds[t], false, &caught, &alarms);
        print_counts(s, caught, alarms);
        if (s->rules) {
            count_at(ls, s, thresholds[t], true, &caught, &alarms);
            print_counts(s, caught, alarms);
        }
        putchar('\n');
    }
    if (s->rules) {
        printf("  the rules alone:");
        count_at(ls, s, 2, true, &caught, &alarms);
        print_counts(s, caught, alarms);
        putchar('\n');
    }
    printf("  likeliest category right on %zu/%zu crisis lines\n", s->category_right, s->crisis);
}

static scores new_scores(size_t n)
{
    return (scores){.p = lo_xcalloc(n ? n : 1, sizeof(double)),
                    .category_ok = lo_xcalloc(n ? n : 1, sizeof(bool))};
}

static void free_scores(scores *s)
{
    free(s->p);
    free(s->category_ok);
    free(s->rules);
}

/* Out-of-fold scores of the lines at (C, category C). */
static scores cross_validate(const lines *ls, const task *crisis, const task *cats, unsigned bits,
                             double C, double cat_C)
{
    scores s = new_scores(ls->n);
    for (int k = 0; k < FOLDS; k++) {
        struct model *cm = fit(crisis, bits, C, k);
        struct model *km = cats ? fit(cats, bits, cat_C, k) : NULL;
        lo_risk_model *m = to_model(cm, km, cats, bits);
        for (size_t i = 0; i < ls->n; i++)
            if (ls->v[i].fold == k)
                score_line(m, &ls->v[i], &s, i);
        lo_risk_model_free(m);
        free_and_destroy_model(&cm);
        if (km)
            free_and_destroy_model(&km);
    }
    return s;
}

/* ---- writing ---- */

static void put_string(FILE *f, const char *s)
{
    json_t *j = json_string(s);
    char *text = json_dumps(j, JSON_ENCODE_ANY);
    fputs(text, f);
    free(text);
    json_decref(j);
}

typedef struct namer {
    uint32_t bucket;
    char best[LO_RISK_DESCRIPTION_BYTES];
    size_t best_count;
    char **seen; /* descriptions found in this bucket, with counts */
    size_t *counts, n, cap, ccap;
} namer;

static int cmp_namer(const void *key, const void *elem)
{
    uint32_t b = *(const uint32_t *)key, e = ((const namer *)elem)->bucket;
    return b < e ? -1 : b > e;
}

/* Names each bucket of c by the feature that fell in it most often in the
 * training lines (the first in byte order among equals): for people reading
 * the file; scoring names the features of the message itself. */
static namer *name_buckets(const lines *ls, const lo_risk_class *c, unsigned bits)
{
    namer *nm = lo_xcalloc(c->n ? c->n : 1, sizeof *nm);
    for (size_t i = 0; i < c->n; i++)
        nm[i].bucket = c->buckets[i];
    lo_risk_features f = {0};
    char d[LO_RISK_DESCRIPTION_BYTES];
    for (size_t i = 0; i < ls->n; i++) {
        lo_risk_features_extract(ls->v[i].text, strlen(ls->v[i].text), bits, &f);
        for (size_t k = 0; k < f.n; k++) {
            namer *b = bsearch(&f.v[k].bucket, nm, c->n, sizeof *nm, cmp_namer);
            if (!b)
                continue;
            lo_risk_feature_describe(&f, &f.v[k], d);
            size_t j = 0;
            while (j < b->n && strcmp(b->seen[j], d) != 0)
                j++;
            if (j == b->n) {
                lo_grow(&b->seen, &b->cap, b->n + 1, sizeof *b->seen);
                lo_grow(&b->counts, &b->ccap, b->n + 1, sizeof *b->counts);
                b->seen[b->n] = lo_xstrdup(d);
                b->counts[b->n++] = 0;
            }
            size_t cnt = ++b->counts[j];
            if (cnt > b->best_count || (cnt == b->best_count && strcmp(d, b->best) < 0)) {
                b->best_count = cnt;
                memcpy(b->best, d, sizeof d);
            }
        }
    }
    lo_risk_features_free(&f);
    return nm;
}

static void free_namers(namer *nm, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < nm[i].n; j++)
            free(nm[i].seen[j]);
        free(nm[i].seen);
        free(nm[i].counts);
    }
    free(nm);
}

static void put_class(FILE *f, const lines *ls, const lo_risk_class *c, unsigned bits,
                      const char *indent)
{
    namer *nm = name_buckets(ls, c, bits);
    fprintf(f, "{\n%s  \"bias\": %.9g,\n%s  \"weights\": [", indent, c->bias, indent);
    for (size_t i = 0; i < c->n; i++) {
        fprintf(f, "%s\n%s    [%u, %.9g, ", i ? "," : "", indent, c->buckets[i], c->weights[i]);
        put_string(f, nm[i].best);
        fputc(']', f);
    }
    fprintf(f, "%s%s]\n%s}", c->n ? "\n  " : "", c->n ? indent : "", indent);
    free_namers(nm, c->n);
}

static int write_model(const char *path, const lo_risk_model *m, const lines *ls, double C,
                       double cat_C)
{
    lo_strbuf tmp = {0};
    lo_strbuf_addf(&tmp, "%s.tmp", path);
    FILE *f = fopen(tmp.data, "w");
    if (!f) {
        int rc = fail(1, "%s: cannot write it (%s)", tmp.data, strerror(errno));
        lo_strbuf_free(&tmp);
        return rc;
    }
    fputs("{\n  \"comment\": \"the learned risk score, written by tools/fit_risk_model; refit, "
          "never edit (docs/risk-model.md)\",\n  \"risk_model\": {\n",
          f);
    if (m->ncategories) {
        fputs("    \"categories\": {", f);
        for (size_t k = 0; k < m->ncategories; k++) {
            fprintf(f, "%s\n      ", k ? "," : "");
            put_string(f, m->categories[k].name);
            fputs(": ", f);
            put_class(f, ls, &m->categories[k], m->bits, "      ");
        }
        fputs("\n    },\n", f);
    }
    fputs("    \"crisis\": ", f);
    put_class(f, ls, &m->crisis, m->bits, "    ");
    fprintf(f,
            ",\n    \"fitted\": {\n      \"C\": %g,\n      \"categories_C\": %g,\n"
            "      \"files\": [",
            C, cat_C);
    for (size_t i = 0; i < ls->nfiles; i++) {
        fputs(i ? ", " : "", f);
        put_string(f, ls->files[i]);
    }
    fprintf(f,
            "],\n      \"folds\": %d,\n      \"lines\": %zu,\n"
            "      \"solver\": \"L2R_LR, categories L1R_LR\"\n"
            "    },\n    \"format\": %d,\n    \"hash_bits\": %u\n  }\n}\n",
            FOLDS, ls->n, LO_RISK_FORMAT, m->bits);
    bool bad = ferror(f) != 0;
    bad = fclose(f) != 0 || bad;
    int rc = 0;
    if (bad || rename(tmp.data, path) != 0)
        rc = fail(1, "%s: cannot write it (%s)", path, strerror(errno));
    lo_strbuf_free(&tmp);
    return rc;
}

/* ---- the two commands ---- */

static int cmp_label(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The crisis task and the category task (NULL with fewer than two categories). */
static void make_tasks(const lines *ls, task *crisis, task *cats, const char ***names)
{
    *names = lo_xcalloc(ls->n + 1, sizeof **names);
    size_t n = 0;
    for (size_t i = 0; i < ls->n; i++)
        if (is_crisis(ls->v[i].label))
            (*names)[n++] = ls->v[i].label;
    qsort(*names, n, sizeof **names, cmp_label);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (distinct == 0 || strcmp((*names)[distinct - 1], (*names)[i]) != 0)
            (*names)[distinct++] = (*names)[i];
    *crisis = (task){.ls = ls, .solver = L2R_LR, .y = lo_xcalloc(ls->n, sizeof(int))};
    *cats = (task){.ls = ls,
                   .solver = L1R_LR,
                   .names = *names,
                   .nnames = distinct,
                   .y = lo_xcalloc(ls->n, sizeof(int))};
    for (size_t i = 0; i < ls->n; i++) {
        bool c = is_crisis(ls->v[i].label);
        crisis->y[i] = c ? 1 : -1;
        for (size_t k = 0; c && k < distinct; k++)
            if (strcmp((*names)[k], ls->v[i].label) == 0)
                cats->y[i] = (int)k + 1;
    }
}

static int fit_command(const char *list, const char *out, unsigned bits)
{
    lines ls = {0};
    int rc = read_training(list, &ls);
    if (rc) {
        free_lines(&ls);
        return rc;
    }
    featurise(&ls, bits);
    task crisis, cats;
    const char **names;
    make_tasks(&ls, &crisis, &cats, &names);
    task *ct = cats.nnames >= 2 ? &cats : NULL;
    size_t ncrisis = 0;
    for (size_t i = 0; i < ls.n; i++)
        ncrisis += crisis.y[i] > 0;
    if (ncrisis == 0 || ncrisis == ls.n) {
        rc = fail(2, "%s: the training lines need both crisis and \"none\" lines", list);
    } else {
        printf("training: %zu lines (%zu crisis, %zu none) from %zu files, %u hash bits\n", ls.n,
               ncrisis, ls.n - ncrisis, ls.nfiles, bits);
        printf("%d-fold cross validation, logistic regression (crisis L2, categories L1):\n",
               FOLDS);
        printf("  C       log loss  recall@0.5  false alarms@0.5  category right\n");
        double best_C = grid[0], best_cat_C = grid[0], best_loss = INFINITY;
        size_t best_right = 0;
        for (size_t g = 0; g < NGRID; g++) {
            scores s = cross_validate(&ls, &crisis, ct, bits, grid[g], grid[g]);
            size_t caught, alarms;
            count_at(&ls, &s, 0.5, false, &caught, &alarms);
            double loss = s.log_loss / (double)ls.n;
            printf("  %-6g  %.4f    %.3f       %.3f             %zu/%zu\n", grid[g], loss,
                   (double)caught / (double)s.crisis, (double)alarms / (double)s.safe,
                   s.category_right, s.crisis);
            if (loss < best_loss) {
                best_loss = loss;
                best_C = grid[g];
            }
            if (s.category_right > best_right) {
                best_right = s.category_right;
                best_cat_C = grid[g];
            }
            free_scores(&s);
        }
        printf("chosen: C = %g (least log loss), categories C = %g (most right)\n", best_C,
               best_cat_C);
        printf("cross-validated figures at the chosen C:\n");
        scores s = cross_validate(&ls, &crisis, ct, bits, best_C, best_cat_C);
        print_figures(&ls, &s);
        free_scores(&s);
        struct model *cm = fit(&crisis, bits, best_C, -1);
        struct model *km = ct ? fit(ct, bits, best_cat_C, -1) : NULL;
        lo_risk_model *m = to_model(cm, km, ct, bits);
        rc = write_model(out, m, &ls, best_C, best_cat_C);
        if (rc == 0) {
            size_t nz = m->crisis.n;
            for (size_t k = 0; k < m->ncategories; k++)
                nz += m->categories[k].n;
            printf("wrote %s: %zu non-zero weights (%zu for crisis, %zu for categories)\n", out, nz,
                   m->crisis.n, nz - m->crisis.n);
        }
        lo_risk_model_free(m);
        free_and_destroy_model(&cm);
        if (km)
            free_and_destroy_model(&km);
    }
    free(crisis.y);
    free(cats.y);
    free(names);
    free_lines(&ls);
    return rc;
}

/* ---- the topic score ----
 * Classes: the categories of the training labels that have an ordinary rule whose id is
 * the category (the rule the engine answers with), and "fallback" (lines that fit no
 * topic); never a crisis category, never a command (responses/commands/). Lines: every
 * such rule's examples from the loaded response set, then the listed files; a line
 * labelled "a/b" (either is right) is skipped, as is a line of another category. */

/* The rule that class `name` answers with, or NULL when it can be no class. */
static const lo_rule *class_rule(const lo_engine *e, const char *name)
{
    for (size_t i = 0; i < e->nrules; i++) {
        const lo_rule *r = &e->rules[i];
        if (strcmp(r->id, name) == 0)
            return !r->crisis && r->flow < 0 && strcmp(r->category, name) == 0 &&
                           !strstr(r->file, "/commands/")
                       ? r
                       : NULL;
    }
    return NULL;
}

static bool is_class(const lo_engine *e, const char *label)
{
    return strcmp(label, LO_TOPIC_NONE) == 0 || class_rule(e, label);
}

static void add_line(lines *out, const char *label, const char *text)
{
    lo_grow(&out->v, &out->cap, out->n + 1, sizeof *out->v);
    out->v[out->n++] = (line){.label = lo_xstrdup(label), .text = lo_xstrdup(text)};
}

/* One label<TAB>message line of a topic file: kept when its label is a class. */
static int add_topic_line(const char *path, int lineno, char *text, lines *out)
{
    char *tab = strchr(text, '\t');
    if (!tab || tab == text || is_crisis(text))
        return fail(2, "%s:%d: a line must be label<TAB>message, the label a topic category", path,
                    lineno);
    *tab = '\0';
    if (is_class(out->set, text))
        add_line(out, text, tab + 1);
    else
        out->skipped++;
    return 0;
}

static int add_topic_file(const char *list, int lineno, char *file, lines *out)
{
    (void)lineno;
    if (strncmp(base_name(file), "heldout", 7) == 0)
        return fail(2,
                    "%s: %s is held out for measuring and is never training data; take "
                    "it out of the list",
                    list, file);
    lo_grow(&out->files, &out->fcap, out->nfiles + 1, sizeof *out->files);
    out->files[out->nfiles++] = lo_xstrdup(file);
    return each_line(file, out, add_topic_line);
}

/* The examples of every rule that answers for a class, and the "not" lines of every topic rule
 * as the fallback class (a moderator wrote each to say "not this rule", so the score must not
 * answer it with that rule either); then the listed files. */
static int read_topic_training(const lo_engine *e, const char *list, lines *out)
{
    for (size_t i = 0; i < e->nrules; i++) {
        const lo_rule *r = &e->rules[i];
        if (class_rule(e, r->id))
            for (size_t k = 0; k < r->nexamples; k++)
                add_line(out, r->category, r->examples[k]);
        if (!r->crisis && r->flow < 0 && !strstr(r->file, "/commands/"))
            for (size_t k = 0; k < r->nnots; k++)
                add_line(out, LO_TOPIC_NONE, r->nots[k]);
    }
    out->set = e;
    return each_line(list, out, add_topic_file);
}

/* The classes (sorted names) and each line's class, 1 + its index. */
static task topic_task(const lines *ls, const char ***names)
{
    *names = lo_xcalloc(ls->n + 1, sizeof **names);
    for (size_t i = 0; i < ls->n; i++)
        (*names)[i] = ls->v[i].label;
    qsort(*names, ls->n, sizeof **names, cmp_label);
    size_t distinct = 0;
    for (size_t i = 0; i < ls->n; i++)
        if (distinct == 0 || strcmp((*names)[distinct - 1], (*names)[i]) != 0)
            (*names)[distinct++] = (*names)[i];
    task t = {.ls = ls,
              .solver = L1R_LR,
              .names = *names,
              .nnames = distinct,
              .y = lo_xcalloc(ls->n ? ls->n : 1, sizeof(int))};
    for (size_t i = 0; i < ls->n; i++)
        for (size_t k = 0; k < distinct; k++)
            if (strcmp((*names)[k], ls->v[i].label) == 0)
                t.y[i] = (int)k + 1;
    return t;
}

static lo_topic_model *to_topic_model(const struct model *fitted, const task *t, unsigned bits)
{
    lo_topic_model *m = lo_xcalloc(1, sizeof *m);
    m->bits = bits;
    m->nclasses = t->nnames;
    m->classes = lo_xcalloc(t->nnames, sizeof *m->classes);
    for (size_t k = 0; k < t->nnames; k++)
        to_class(fitted, (int)k + 1, t->names[k], &m->classes[k]);
    lo_topic_model_index(m);
    return m;
}

/* How many lines' likeliest class is their label, scoring each with the model fitted
 * without its fold (the engine's lo_topic_score). */
static size_t topic_cross_validate(const task *t, unsigned bits, double C)
{
    size_t right = 0;
    for (int k = 0; k < FOLDS; k++) {
        struct model *fitted = fit(t, bits, C, k);
        lo_topic_model *m = to_topic_model(fitted, t, bits);
        for (size_t i = 0; i < t->ls->n; i++) {
            const line *l = &t->ls->v[i];
            if (l->fold != k)
                continue;
            lo_topic_guess g;
            lo_topic_score(m, l->text, strlen(l->text), false, &g);
            right += g.nranked && g.ranked[0] == t->y[i] - 1;
        }
        lo_topic_model_free(m);
        free_and_destroy_model(&fitted);
    }
    return right;
}

static int write_topic_model(const char *path, const lo_topic_model *m, const lines *ls,
                             const char *rules, double C)
{
    lo_strbuf tmp = {0};
    lo_strbuf_addf(&tmp, "%s.tmp", path);
    FILE *f = fopen(tmp.data, "w");
    if (!f) {
        int rc = fail(1, "%s: cannot write it (%s)", tmp.data, strerror(errno));
        lo_strbuf_free(&tmp);
        return rc;
    }
    fputs("{\n  \"comment\": \"the learned topic score, written by tools/fit_risk_model "
          "--topics; refit, never edit (docs/risk-model.md)\",\n  \"topic_model\": {\n"
          "    \"classes\": {",
          f);
    for (size_t k = 0; k < m->nclasses; k++) {
        fprintf(f, "%s\n      ", k ? "," : "");
        put_string(f, m->classes[k].name);
        fputs(": ", f);
        put_class(f, ls, &m->classes[k], m->bits, "      ");
    }
    fprintf(f, "\n    },\n    \"fitted\": {\n      \"C\": %g,\n      \"examples_of\": ", C);
    put_string(f, rules);
    fputs(",\n      \"files\": [", f);
    for (size_t i = 0; i < ls->nfiles; i++) {
        fputs(i ? ", " : "", f);
        put_string(f, ls->files[i]);
    }
    fprintf(f,
            "],\n      \"folds\": %d,\n      \"lines\": %zu,\n"
            "      \"solver\": \"L1R_LR, one against the rest\"\n"
            "    },\n    \"format\": %d,\n    \"hash_bits\": %u\n  }\n}\n",
            FOLDS, ls->n, LO_TOPIC_FORMAT, m->bits);
    bool bad = ferror(f) != 0;
    bad = fclose(f) != 0 || bad;
    int rc = 0;
    if (bad || rename(tmp.data, path) != 0)
        rc = fail(1, "%s: cannot write it (%s)", path, strerror(errno));
    lo_strbuf_free(&tmp);
    return rc;
}

/* Fits the topic score on the examples of the set in rules and the files list names. */
static int topics_command(const char *list, const char *out, const char *rules, unsigned bits)
{
    lo_diags *d = lo_diags_new();
    lo_engine *e = lo_engine_load(rules, d);
    if (!e) {
        lo_diags_print(d, stderr);
        lo_diags_free(d);
        return fail(2, "%s: the response set does not load", rules);
    }
    lines ls = {0};
    int rc = read_topic_training(e, list, &ls);
    const char **names = NULL;
    task t = {0};
    if (rc == 0) {
        featurise(&ls, bits);
        t = topic_task(&ls, &names);
        if (t.nnames < 2)
            rc = fail(2, "%s: the training lines need two or more topic categories", list);
    }
    if (rc == 0) {
        printf("training: %zu lines in %zu classes (the examples of %s and %zu files; %zu lines "
               "of other labels skipped), %u hash bits\n",
               ls.n, t.nnames, rules, ls.nfiles, ls.skipped, bits);
        printf("%d-fold cross validation, logistic regression L1, one against the rest:\n"
               "  C       likeliest class right\n",
               FOLDS);
        double best_C = topic_grid[0];
        size_t best_right = 0;
        for (size_t g = 0; g < NTOPIC_GRID; g++) {
            size_t right = topic_cross_validate(&t, bits, topic_grid[g]);
            printf("  %-6g  %zu/%zu = %.3f\n", topic_grid[g], right, ls.n,
                   (double)right / (double)ls.n);
            fflush(stdout);
            if (right > best_right) {
                best_right = right;
                best_C = topic_grid[g];
            }
        }
        printf("chosen: C = %g (most right)\n", best_C);
        struct model *fitted = fit(&t, bits, best_C, -1);
        lo_topic_model *m = to_topic_model(fitted, &t, bits);
        rc = write_topic_model(out, m, &ls, rules, best_C);
        if (rc == 0) {
            size_t nz = 0;
            for (size_t k = 0; k < m->nclasses; k++)
                nz += m->classes[k].n;
            printf("wrote %s: %zu non-zero weights in %zu classes\n", out, nz, m->nclasses);
        }
        lo_topic_model_free(m);
        free_and_destroy_model(&fitted);
    }
    free(t.y);
    free(names);
    free_lines(&ls);
    lo_engine_free(e);
    lo_diags_free(d);
    return rc;
}

/* Whether the rules of engine e answer each line as a crisis. */
static bool *rules_verdicts(const lo_engine *e, const lines *ls)
{
    bool *crisis = lo_xcalloc(ls->n ? ls->n : 1, sizeof *crisis);
    for (size_t i = 0; i < ls->n; i++) {
        lo_message msg = {.platform = "fit_risk_model",
                          .channel = "evaluate",
                          .author = "a",
                          .is_dm = true,
                          .text = ls->v[i].text,
                          .text_len = strlen(ls->v[i].text)};
        lo_reply_options opts = {.region = NULL};
        lo_reply r;
        lo_engine_reply(e, NULL, &msg, &opts, &r);
        crisis[i] = r.crisis;
        lo_reply_clear(&r);
    }
    return crisis;
}

static int evaluate_command(const char *tsv, const char *model_path, const char *rules_dir)
{
    lo_diags *d = lo_diags_new();
    lo_jpos *pos = NULL;
    json_t *json = lo_load_json(model_path, d, &pos);
    lo_risk_model *m = json ? lo_risk_model_parse(json, pos, model_path, d) : NULL;
    json_decref(json);
    lo_jpos_free(pos);
    int rc = 0;
    if (!m) {
        lo_diags_print(d, stderr);
        rc = fail(2, "%s: not a risk model", model_path);
    }
    lo_engine *e = rc == 0 && rules_dir ? lo_engine_load(rules_dir, d) : NULL;
    if (rc == 0 && rules_dir && !e) {
        lo_diags_print(d, stderr);
        rc = fail(2, "%s: the response set does not load", rules_dir);
    }
    lines ls = {0};
    if (rc == 0)
        rc = read_tsv(tsv, &ls);
    if (rc == 0) {
        scores s = new_scores(ls.n);
        s.rules = e ? rules_verdicts(e, &ls) : NULL;
        for (size_t i = 0; i < ls.n; i++)
            score_line(m, &ls.v[i], &s, i);
        printf("%s on %s: %zu lines (%zu crisis, %zu none)\n", model_path, tsv, ls.n, s.crisis,
               s.safe);
        print_figures(&ls, &s);
        free_scores(&s);
    }
    free_lines(&ls);
    lo_risk_model_free(m);
    lo_engine_free(e);
    lo_diags_free(d);
    return rc;
}

static const char usage[] = "usage: fit_risk_model [--training LIST] [--out MODEL] [--bits B] | "
                            "--evaluate FILE.tsv [--model MODEL] [--rules RESPONSES] | --topics "
                            "[--training LIST] [--out MODEL] [--bits B] [--rules RESPONSES]";

typedef struct options {
    const char *list, *out, *evaluate, *rules;
    long bits;
    bool topics;
} options;

/* The command line into o; 0, or the exit status of a mistake (reported). */
static int parse_options(int argc, char **argv, options *o)
{
    *o = (options){.bits = DEFAULT_BITS};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--topics") == 0) {
            o->topics = true;
            continue;
        }
        if (!v)
            return fail(2, "%s needs a value; %s", a, usage);
        if (strcmp(a, "--training") == 0)
            o->list = v;
        else if (strcmp(a, "--out") == 0 || strcmp(a, "--model") == 0)
            o->out = v;
        else if (strcmp(a, "--evaluate") == 0)
            o->evaluate = v;
        else if (strcmp(a, "--rules") == 0)
            o->rules = v;
        else if (strcmp(a, "--bits") == 0)
            o->bits = strtol(v, NULL, 10);
        else
            return fail(2, "unknown option %s; %s", a, usage);
        i++;
    }
    if (o->bits < LO_RISK_MIN_BITS || o->bits > LO_RISK_MAX_BITS)
        return fail(2, "--bits must be from %d to %d", LO_RISK_MIN_BITS, LO_RISK_MAX_BITS);
    return 0;
}

int main(int argc, char **argv)
{
    options o;
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc;
    set_print_string_function(quiet);
    if (o.topics)
        return topics_command(o.list ? o.list : DEFAULT_TOPIC_TRAINING,
                              o.out ? o.out : DEFAULT_TOPIC_MODEL,
                              o.rules ? o.rules : DEFAULT_RESPONSES, (unsigned)o.bits);
    return o.evaluate ? evaluate_command(o.evaluate, o.out ? o.out : DEFAULT_MODEL, o.rules)
                      : fit_command(o.list ? o.list : DEFAULT_TRAINING,
                                    o.out ? o.out : DEFAULT_MODEL, (unsigned)o.bits);
}
