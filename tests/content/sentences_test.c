/* sentences_test.c - the long-message invariant (issue 13): a message of several sentences
 * never gets the fallback when one of its sentences alone gets a rule's answer (a pattern's, not
 * the learned topic score's). Every line of
 * the files given (category<TAB>message, as category_test reads them) is cut where the
 * engine ends a sentence (. ! ? ... or a line break, text.c), each sentence is answered
 * alone, then the whole; every break of the invariant is listed before the test fails.
 *
 *   sentences_test RESPONSES_DIR file.tsv...
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leanon/engine.h"

/* Whether text got the fallback; and (*by_rule) whether a rule's pattern answered it (not the
 * learned topic score, which reads a whole message and may be surer of one sentence alone). */
static bool fell_back(const lo_engine *e, const char *text, size_t len, bool *by_rule)
{
    lo_message msg = {.platform = "test", .is_dm = true, .text = text, .text_len = len};
    lo_reply r;
    lo_engine_reply(e, NULL, &msg, NULL, &r);
    bool fallback = r.source == LO_SOURCE_FALLBACK;
    *by_rule = !fallback && !r.by_topic_score;
    lo_reply_clear(&r);
    return fallback;
}

/* The length of the sentence at s (its end mark included), as text.c ends sentences. */
static size_t sentence_len(const char *s)
{
    static const char *const ends[] = {
        ".", "!", "?", "\n", "\xe2\x80\xa6", "\xe3\x80\x82", "\xef\xbc\x81", "\xef\xbc\x9f"};
    for (size_t i = 0; s[i]; i++)
        for (size_t k = 0; k < sizeof ends / sizeof *ends; k++)
            if (strncmp(s + i, ends[k], strlen(ends[k])) == 0)
                return i + strlen(ends[k]);
    return strlen(s);
}

/* 1 when text has several sentences, one of them answered alone, and the whole not. */
static int breaks_invariant(const lo_engine *e, const char *text, size_t lineno, size_t *multi)
{
    size_t n = 0, answered = 0;
    const char *alone = NULL;
    size_t alone_len = 0;
    for (const char *s = text; *s;) {
        size_t len = sentence_len(s);
        bool words = strspn(s, " \t.!?") < len;
        if (words) {
            n++;
            bool by_rule;
            fell_back(e, s, len, &by_rule);
            if (by_rule && !answered++) {
                alone = s;
                alone_len = len;
            }
        }
        s += len;
    }
    if (n < 2)
        return 0;
    (*multi)++;
    bool by_rule;
    if (!answered || !fell_back(e, text, strlen(text), &by_rule))
        return 0;
    printf("BROKEN line %zu: \"%s\" got the fallback, but its sentence \"%.*s\" alone did not\n",
           lineno, text, (int)alone_len, alone);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s RESPONSES_DIR file.tsv...\n", argv[0]);
        return 2;
    }
    lo_diags *diags = lo_diags_new();
    lo_engine *e = lo_engine_load(argv[1], diags);
    if (!e) {
        lo_diags_print(diags, stderr);
        lo_diags_free(diags);
        return 1;
    }
    size_t lines = 0, multi = 0, broken = 0;
    for (int a = 2; a < argc; a++) {
        FILE *f = fopen(argv[a], "r");
        if (!f) {
            perror(argv[a]);
            return 1;
        }
        char line[4096];
        size_t lineno = 0;
        while (fgets(line, sizeof line, f)) {
            lineno++;
            line[strcspn(line, "\r\n")] = '\0';
            char *tab = strchr(line, '\t');
            if (line[0] == '#' || !tab)
                continue;
            lines++;
            broken += (size_t)breaks_invariant(e, tab + 1, lineno, &multi);
        }
        fclose(f);
    }
    printf("%zu lines, %zu of several sentences, %zu broke the invariant\n", lines, multi, broken);
    lo_engine_free(e);
    lo_diags_free(diags);
    return broken == 0 && multi >= 100 ? 0 : 1;
}
