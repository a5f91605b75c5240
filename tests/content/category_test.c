/* category_test.c - feeds held-out messages (messages.tsv: expected category,
 * a tab, the message) to the shipped response set and checks the category of
 * each reply. Every mismatch is listed (message, expected, got) before the
 * test fails; the accuracy is printed either way. It also checks that asking
 * the same thing twice in one conversation does not repeat a rule's reply.
 * A label "a/b" accepts either category.
 *
 *   category_test RESPONSES_DIR messages.tsv
 *   category_test RESPONSES_DIR batch.tsv MIN_ACCURACY MAX_FALLBACK
 *
 * With the two figures (a batch written by authors who never saw the rules), the test
 * fails when the accuracy falls below MIN_ACCURACY or the share of lines with a topic
 * that got the fallback rises above MAX_FALLBACK (both fractions, e.g. 0.50 0.45);
 * without them every line must be right.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leanon/engine.h"

static char *chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static void reply_to(const lo_engine *e, lo_session *conv, const char *text, lo_reply *r)
{
    lo_message msg = {.platform = "test",
                      .channel = "content",
                      .author = "tester",
                      .author_name = "Sam",
                      .is_dm = true,
                      .text = text,
                      .text_len = strlen(text)};
    lo_reply_options opts = {.region = NULL};
    memset(r, 0, sizeof *r);
    lo_engine_reply(e, conv, &msg, &opts, r);
}

/* category is one of the '/'-separated labels. */
static bool label_has(const char *labels, const char *category)
{
    size_t n = strlen(category);
    for (const char *p = labels; p;) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, category, n) == 0)
            return true;
        p = end ? end + 1 : NULL;
    }
    return false;
}

/* Two replies in a row to the same message in one conversation: when both come
 * from the same ordinary rule, the texts must differ. Returns 1 on a repeat. */
static int repeats(const lo_engine *e, lo_sessions *sessions, size_t lineno, const char *text)
{
    char key[32];
    snprintf(key, sizeof key, "line-%zu", lineno);
    lo_session *conv = lo_sessions_get(sessions, key, (double)lineno);
    lo_reply a, b;
    reply_to(e, conv, text, &a);
    conv = lo_sessions_get(sessions, key, (double)lineno);
    reply_to(e, conv, text, &b);
    int bad = a.source == LO_SOURCE_RULE && b.source == LO_SOURCE_RULE &&
              strcmp(a.rule_id, b.rule_id) == 0 && a.text && b.text && strcmp(a.text, b.text) == 0;
    if (bad)
        printf("REPEAT   line %zu: \"%s\" got the same reply twice from rule %s\n", lineno, text,
               a.rule_id);
    lo_reply_clear(&a);
    lo_reply_clear(&b);
    return bad;
}

/* What the lines of a file came to. */
typedef struct tally {
    size_t total, right, repeated, malformed, topic, fell;
} tally;

/* One line of the file (numbered lineno, newline removed) into n. */
static void score_line(const lo_engine *e, lo_sessions *sessions, char *line, size_t lineno,
                       tally *n)
{
    if (line[0] == '#' || line[0] == '\0')
        return;
    char *tab = strchr(line, '\t');
    if (!tab || tab == line || tab[1] == '\0') {
        printf("MALFORMED line %zu: want expected_category<TAB>message\n", lineno);
        n->malformed++;
        return;
    }
    *tab = '\0';
    const char *expected = line, *text = tab + 1;
    lo_reply r;
    reply_to(e, NULL, text, &r);
    n->total++;
    if (!label_has(expected, "fallback")) {
        n->topic++;
        n->fell += strcmp(r.category, "fallback") == 0;
    }
    if (label_has(expected, r.category))
        n->right++;
    else
        printf("MISMATCH line %zu: \"%s\": expected %s, got %s (rule \"%s\")\n", lineno, text,
               expected, r.category, r.rule_id);
    lo_reply_clear(&r);
    n->repeated += (size_t)repeats(e, sessions, lineno, text);
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: %s RESPONSES_DIR messages.tsv [MIN_ACCURACY MAX_FALLBACK]\n",
                argv[0]);
        return 2;
    }
    bool batch = argc == 5;
    double min_accuracy = batch ? atof(argv[3]) : 1.0, max_fallback = batch ? atof(argv[4]) : 1.0;
    lo_diags *diags = lo_diags_new();
    lo_engine *e = lo_engine_load(argv[1], diags);
    if (!e) {
        fprintf(stderr, "could not load %s:\n", argv[1]);
        lo_diags_print(diags, stderr);
        lo_diags_free(diags);
        return 1;
    }
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        lo_engine_free(e);
        lo_diags_free(diags);
        return 1;
    }
    lo_sessions *sessions = lo_sessions_new(&(lo_sessions_limits){0});
    lo_sessions_seed(sessions, 7);
    char line[2048];
    tally n = {0};
    size_t lineno = 0;
    while (fgets(line, sizeof line, f))
        score_line(e, sessions, chomp(line), ++lineno, &n);
    fclose(f);
    double accuracy = n.total ? (double)n.right / (double)n.total : 0.0;
    double fallback = n.topic ? (double)n.fell / (double)n.topic : 0.0;
    printf("accuracy: %zu/%zu = %.1f%%; fallback on lines with a topic: %zu/%zu = %.1f%%; "
           "repeated replies: %zu\n",
           n.right, n.total, 100.0 * accuracy, n.fell, n.topic, 100.0 * fallback, n.repeated);
    lo_sessions_free(sessions);
    lo_engine_free(e);
    lo_diags_free(diags);
    if (n.total < 100) {
        printf("too few messages: %zu (want 100 or more)\n", n.total);
        return 1;
    }
    if (batch) {
        bool ok = accuracy >= min_accuracy && fallback <= max_fallback && n.malformed == 0;
        if (!ok)
            printf("below the batch's floor: accuracy %.3f (want >= %.3f), fallback %.3f (want "
                   "<= %.3f)\n",
                   accuracy, min_accuracy, fallback, max_fallback);
        return ok ? 0 : 1;
    }
    return (n.right == n.total && n.repeated == 0 && n.malformed == 0) ? 0 : 1;
}
