/* category_test.c - feeds held-out messages (messages.tsv: expected category,
 * a tab, the message) to the shipped response set and checks the category of
 * each reply. Every mismatch is listed (message, expected, got) before the
 * test fails; the accuracy is printed either way. It also checks that asking
 * the same thing twice in one conversation does not repeat a rule's reply.
 *
 *   category_test RESPONSES_DIR messages.tsv
 */
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

static int reply_to(const lo_engine *e, lo_session *conv, const char *text, lo_reply *r)
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
    return 0;
}

/* Two replies in a row to the same message in one conversation: when both come
 * from the same ordinary rule, the texts must differ. Returns 1 on a repeat. */
static int repeats(const lo_engine *e, lo_sessions *sessions, size_t lineno, const char *text)
{
    char key[32];
    snprintf(key, sizeof key, "line-%zu", lineno);
    lo_session *conv = lo_sessions_get(sessions, key, (double)lineno);
    lo_reply a, b;
    if (reply_to(e, conv, text, &a) != 0)
        return 1;
    conv = lo_sessions_get(sessions, key, (double)lineno);
    if (reply_to(e, conv, text, &b) != 0) {
        lo_reply_clear(&a);
        return 1;
    }
    int bad = a.source == LO_SOURCE_RULE && b.source == LO_SOURCE_RULE &&
              strcmp(a.rule_id, b.rule_id) == 0 && a.text && b.text && strcmp(a.text, b.text) == 0;
    if (bad)
        printf("REPEAT   line %zu: \"%s\" got the same reply twice from rule %s\n", lineno, text,
               a.rule_id);
    lo_reply_clear(&a);
    lo_reply_clear(&b);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s RESPONSES_DIR messages.tsv\n", argv[0]);
        return 2;
    }
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
    size_t lineno = 0, total = 0, right = 0, repeated = 0, malformed = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        chomp(line);
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *tab = strchr(line, '\t');
        if (!tab || tab == line || tab[1] == '\0') {
            printf("MALFORMED line %zu: want expected_category<TAB>message\n", lineno);
            malformed++;
            continue;
        }
        *tab = '\0';
        const char *expected = line, *text = tab + 1;
        lo_reply r;
        if (reply_to(e, NULL, text, &r) != 0) {
            printf("ERROR    line %zu: out of memory\n", lineno);
            malformed++;
            continue;
        }
        total++;
        if (strcmp(r.category, expected) == 0)
            right++;
        else
            printf("MISMATCH line %zu: \"%s\": expected %s, got %s (rule \"%s\")\n", lineno, text,
                   expected, r.category, r.rule_id);
        lo_reply_clear(&r);
        repeated += (size_t)repeats(e, sessions, lineno, text);
    }
    fclose(f);
    printf("accuracy: %zu/%zu = %.1f%%; repeated replies: %zu\n", right, total,
           total ? 100.0 * (double)right / (double)total : 0.0, repeated);
    lo_sessions_free(sessions);
    lo_engine_free(e);
    lo_diags_free(diags);
    if (total < 100) {
        printf("too few messages: %zu (want 100 or more)\n", total);
        return 1;
    }
    return (right == total && repeated == 0 && malformed == 0) ? 0 : 1;
}
