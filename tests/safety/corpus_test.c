/* corpus_test.c - measures crisis detection on a labelled corpus.
 *
 *   safety_corpus_test [--min-recall R] [--overall] [--max-false-alarm F] [--quiet]
 *                      RESPONSES_DIR FILE.tsv
 *
 * Each line of FILE.tsv is "expected<TAB>message", where expected is a
 * crisis-* category or "none"; lines starting with '#' and blank lines are
 * skipped, and "\n" in a message stands for a line break. Every message is
 * answered on its own (no conversation) with the default region.
 *
 * Printed per category: recall (crisis lines of that category answered as
 * any crisis), category errors (answered as a crisis of another category),
 * and false alarms (non-crisis lines answered with that crisis category).
 * A check-in (the person asked directly) is not a crisis answer: on a crisis
 * line it is counted apart ("found or asked"), on a non-crisis line as a
 * check-in, limited by --max-check-in (default 0.10).
 * Every miss and false alarm is listed so it can be fixed in the data.
 *
 * Exit status: 1 when any category's recall is below --min-recall (default
 * 0.98; with --overall, the recall over all crisis lines instead) or the
 * overall false-alarm rate (non-crisis lines answered as a crisis) is above
 * --max-false-alarm (default 0.03); 2 on a usage or load error. corpus.tsv is
 * checked with the defaults. heldout.tsv holds sentences the rules were never
 * tuned on: meson runs it with --min-recall 0.90 --overall --max-false-alarm 0.05
 * (figures per category reported; it fails when fewer than 90% of all its
 * crisis lines are found: with under a dozen lines a category, one miss would
 * swing a per-category figure by 10 points), so a change that over-fits the
 * corpus shows up there. Also fails when a crisis reply does not ask for a
 * moderator alert or carries no text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leanon/engine.h"

#define MAX_CATS 16
#define MAX_LINE 8192

typedef struct cat_stats {
    char name[48];
    unsigned total;        /* lines labelled with this category */
    unsigned detected;     /* ... answered as any crisis */
    unsigned exact;        /* ... answered as this category */
    unsigned false_alarms; /* "none" lines answered as this category */
    unsigned checked;      /* ... answered with a check-in (not counted as detected) */
} cat_stats;

static cat_stats cats[MAX_CATS];
static size_t ncats;

static cat_stats *cat_get(const char *name)
{
    for (size_t i = 0; i < ncats; i++)
        if (strcmp(cats[i].name, name) == 0)
            return &cats[i];
    if (ncats == MAX_CATS)
        return NULL;
    cat_stats *c = &cats[ncats++];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    return c;
}

static void unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '\\' && r[1] == 'n') {
            *w++ = '\n';
            r++;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

static void usage(void)
{
    fprintf(stderr, "usage: safety_corpus_test [--min-recall R] [--overall] "
                    "[--max-false-alarm F] [--max-check-in F] [--quiet] RESPONSES_DIR FILE.tsv\n");
}

static double ratio(unsigned a, unsigned b)
{
    return b ? (double)a / (double)b : 0.0;
}

typedef struct options {
    double min_recall, max_false_alarm, max_check_in;
    bool quiet, overall;
    const char *dir, *path;
} options;

/* What the lines of the corpus gave, besides the per-category cats[]. */
typedef struct totals {
    unsigned lines, none_total, none_alarms, none_checks, bad_replies, bad_lines;
} totals;

static bool parse_args(int argc, char **argv, options *o)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--min-recall") == 0 && i + 1 < argc)
            o->min_recall = atof(argv[++i]);
        else if (strcmp(argv[i], "--max-false-alarm") == 0 && i + 1 < argc)
            o->max_false_alarm = atof(argv[++i]);
        else if (strcmp(argv[i], "--max-check-in") == 0 && i + 1 < argc)
            o->max_check_in = atof(argv[++i]);
        else if (strcmp(argv[i], "--quiet") == 0)
            o->quiet = true;
        else if (strcmp(argv[i], "--overall") == 0)
            o->overall = true;
        else if (!o->dir)
            o->dir = argv[i];
        else if (!o->path)
            o->path = argv[i];
        else
            return false;
    }
    return o->dir && o->path;
}

/* A "label<TAB>message" line (its newline removed): the label, with *text the message
 * unescaped; NULL for a comment or an empty line, and for a bad one (counted). */
static const char *read_line(char *buf, const char *path, size_t lineno, char **text, totals *t)
{
    size_t n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    if (n == 0 || buf[0] == '#')
        return NULL;
    char *tab = strchr(buf, '\t');
    if (!tab || tab == buf || !tab[1]) {
        fprintf(stderr, "%s:%zu: expected \"category<TAB>message\"\n", path, lineno);
        t->bad_lines++;
        return NULL;
    }
    *tab = '\0';
    if (strncmp(buf, "crisis-", 7) != 0 && strcmp(buf, "none") != 0) {
        fprintf(stderr, "%s:%zu: unknown label \"%s\" (crisis-... or none)\n", path, lineno, buf);
        t->bad_lines++;
        return NULL;
    }
    *text = tab + 1;
    unescape(*text);
    return buf;
}

/* A crisis line's reply r: found (in its category or not), asked about, or missed.
 * False when there are too many categories to count. */
static bool score_crisis(const options *o, const char *expected, const lo_reply *r, size_t lineno,
                         const char *text)
{
    cat_stats *c = cat_get(expected);
    if (!c) {
        fprintf(stderr, "too many categories\n");
        return false;
    }
    c->total++;
    if (r->crisis) {
        c->detected++;
        if (strcmp(r->category, expected) == 0)
            c->exact++;
        else if (!o->quiet)
            printf("CATEGORY %s:%zu: expected %s, got %s (%s): %s\n", o->path, lineno, expected,
                   r->category, r->rule_id, text);
    } else if (r->risk == LO_RISK_CHECK_IN) {
        c->checked++;
        if (!o->quiet)
            printf("CHECK-IN %s:%zu: expected %s, got %s: %s\n", o->path, lineno, expected,
                   r->category, text);
    } else if (!o->quiet) {
        printf("MISSED   %s:%zu: expected %s, got %s: %s\n", o->path, lineno, expected, r->category,
               text);
    }
    return true;
}

/* A non-crisis line's reply r: a check-in asked, or a false alarm. */
static void score_none(const options *o, const lo_reply *r, size_t lineno, const char *text,
                       totals *t)
{
    t->none_total++;
    if (r->risk == LO_RISK_CHECK_IN) {
        t->none_checks++;
        if (!o->quiet)
            printf("ASKED    %s:%zu: got %s: %s\n", o->path, lineno, r->category, text);
    }
    if (r->crisis) {
        t->none_alarms++;
        cat_stats *c = cat_get(r->category);
        if (c)
            c->false_alarms++;
        if (!o->quiet)
            printf("ALARM    %s:%zu: got %s (%s): %s\n", o->path, lineno, r->category, r->rule_id,
                   text);
    }
}

static void run_corpus(const lo_engine *engine, FILE *f, const options *o, totals *t)
{
    char buf[MAX_LINE];
    size_t lineno = 0;
    while (fgets(buf, sizeof buf, f)) {
        lineno++;
        char *text;
        const char *expected = read_line(buf, o->path, lineno, &text, t);
        if (!expected)
            continue;
        t->lines++;
        lo_message msg = {.platform = "test",
                          .channel = "safety",
                          .author = "tester",
                          .author_name = "Sam",
                          .is_dm = true,
                          .text = text,
                          .text_len = strlen(text)};
        lo_reply_options opts = {.region = NULL};
        lo_reply r;
        lo_engine_reply(engine, NULL, &msg, &opts, &r);
        if (r.crisis && (!r.alert_moderators || !r.text || !*r.text)) {
            printf("BADREPLY %s:%zu: crisis reply from %s without alert or text\n", o->path, lineno,
                   r.rule_id);
            t->bad_replies++;
        }
        bool go_on = true;
        if (strncmp(expected, "crisis-", 7) == 0)
            go_on = score_crisis(o, expected, &r, lineno, text);
        else
            score_none(o, &r, lineno, text, t);
        lo_reply_clear(&r);
        if (!go_on)
            break;
    }
}

/* Prints the table and the rates; returns 1 when a threshold is not met. */
static int report(const options *o, const totals *t)
{
    printf("\n%s: %u lines (%u non-crisis)\n", o->path, t->lines, t->none_total);
    printf("%-20s %6s %8s %8s %10s %12s\n", "category", "lines", "recall", "exact", "cat.errors",
           "false alarms");
    int failed = 0;
    unsigned crisis_total = 0, crisis_detected = 0, crisis_exact = 0, crisis_checked = 0;
    for (size_t i = 0; i < ncats; i++) {
        const cat_stats *c = &cats[i];
        double recall = ratio(c->detected, c->total);
        bool low = !o->overall && c->total && recall < o->min_recall;
        printf("%-20s %6u %8.3f %8.3f %10u %5u (%.3f)%s\n", c->name, c->total, recall,
               ratio(c->exact, c->total), c->detected - c->exact, c->false_alarms,
               ratio(c->false_alarms, t->none_total), low ? "  <- recall below threshold" : "");
        if (low)
            failed = 1;
        crisis_total += c->total;
        crisis_detected += c->detected;
        crisis_exact += c->exact;
        crisis_checked += c->checked;
    }
    double fa = ratio(t->none_alarms, t->none_total);
    double all_recall = ratio(crisis_detected, crisis_total);
    bool all_low = o->overall && all_recall < o->min_recall;
    printf("%-20s %6u %8.3f %8.3f %10u%s\n", "all crisis", crisis_total, all_recall,
           ratio(crisis_exact, crisis_total), crisis_detected - crisis_exact,
           all_low ? "        <- recall below threshold" : "");
    if (all_low)
        failed = 1;
    printf("false-alarm rate: %u of %u non-crisis lines = %.3f (limit %.3f)%s\n", t->none_alarms,
           t->none_total, fa, o->max_false_alarm,
           fa > o->max_false_alarm ? "  <- above limit" : "");
    double asked = ratio(t->none_checks, t->none_total);
    printf("crisis lines answered with a check-in instead: %u of %u (found or asked: %.3f)\n",
           crisis_checked, crisis_total, ratio(crisis_detected + crisis_checked, crisis_total));
    printf("check-ins on non-crisis lines: %u of %u = %.3f (limit %.3f)%s\n", t->none_checks,
           t->none_total, asked, o->max_check_in,
           asked > o->max_check_in ? "  <- above limit" : "");
    printf("thresholds: recall >= %.2f %s, false alarms <= %.3f, check-ins <= %.3f\n",
           o->min_recall, o->overall ? "over all crisis lines" : "per category", o->max_false_alarm,
           o->max_check_in);
    if (fa > o->max_false_alarm || asked > o->max_check_in || t->bad_replies || t->bad_lines ||
        t->lines == 0)
        failed = 1;
    printf("%s\n", failed ? "FAIL" : "PASS");
    return failed;
}

int main(int argc, char **argv)
{
    options o = {.min_recall = 0.98, .max_false_alarm = 0.03, .max_check_in = 0.10};
    if (!parse_args(argc, argv, &o)) {
        usage();
        return 2;
    }
    lo_diags *diags = lo_diags_new();
    lo_engine *engine = lo_engine_load(o.dir, diags);
    if (!engine) {
        lo_diags_print(diags, stderr);
        lo_diags_free(diags);
        fprintf(stderr, "safety_corpus_test: cannot load %s\n", o.dir);
        return 2;
    }
    lo_diags_free(diags);
    FILE *f = fopen(o.path, "r");
    if (!f) {
        perror(o.path);
        lo_engine_free(engine);
        return 2;
    }
    totals t = {0};
    run_corpus(engine, f, &o, &t);
    fclose(f);
    lo_engine_free(engine);
    return report(&o, &t);
}
