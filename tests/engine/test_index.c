/* test_index.c - the trigger index: a message finds the patterns its words
 * can start, and no others, however many patterns there are; patterns with no
 * required word are always tried; the rarest required element is the trigger. */
#include <stdlib.h>
#include <string.h>

#include "engine/index.h"
#include "engine/normalise.h"
#include "engine/pattern.h"
#include "engine/text.h"
#include "engine/vocab.h"
#include "testing.h"
#include "common/buf.h"

static lo_vocab vocab;
static lo_normaliser norm;

static lo_pattern compile(const char *src)
{
    lo_pattern_context ctx = {&vocab, &norm, NULL, 0};
    lo_pattern p;
    lo_strbuf err = {0};
    int col;
    CHECK(lo_pattern_compile(&ctx, src, &p, &err, &col) == 0);
    lo_strbuf_free(&err);
    return p;
}

static size_t candidates(const lo_index *ix, const char *text, uint32_t **out, size_t *cap)
{
    lo_tokens t = {0};
    lo_text_tokenise(&norm, &vocab, NULL, text, strlen(text), &t);
    size_t n = lo_index_candidates(ix, &t, out, cap);
    lo_tokens_free(&t);
    return n;
}

int main(void)
{
    lo_vocab_init(&vocab);
    lo_normaliser_init_defaults(&norm);
    enum { N = 2000 };
    lo_pattern *pats = calloc(N + 3, sizeof *pats);
    char src[64];
    for (int i = 0; i < N; i++) { /* "feel" is common; "w<i>" is rare and must be the trigger */
        snprintf(src, sizeof src, "i feel w%d", i);
        pats[i] = compile(src);
    }
    pats[N] = compile("[maybe] *");                    /* only optional words: always tried */
    pats[N + 1] = compile("(lonely|alone) [tonight]"); /* a choice triggers on each first word */
    pats[N + 2] = compile("so [very] lonely");
    lo_index ix;
    lo_index_build(&ix, pats, N + 3, vocab.count);
    uint32_t *cand = NULL;
    size_t cap = 0;

    size_t n = candidates(&ix, "i feel w1234 today", &cand, &cap);
    CHECK(n == 2 && cand[0] == 1234 && cand[1] == N); /* its own pattern and the always one */
    n = candidates(&ix, "i feel fine", &cand, &cap);
    CHECK(n == 1 && cand[0] == N); /* common words trigger nothing */
    n = candidates(&ix, "alone", &cand, &cap);
    CHECK(n == 2 && cand[0] == N && cand[1] == N + 1);
    n = candidates(&ix, "lonely", &cand, &cap); /* "so [very] lonely" triggers on its rarer "so" */
    CHECK(n == 2 && cand[1] == N + 1);
    n = candidates(&ix, "so lonely and alone", &cand, &cap);
    CHECK(n == 3 && cand[0] == N && cand[1] == N + 1 && cand[2] == N + 2); /* sorted, unique */
    for (size_t i = 1; i < n; i++)
        CHECK(cand[i - 1] < cand[i]);

    free(cand);
    lo_index_free(&ix);
    for (int i = 0; i < N + 3; i++)
        lo_pattern_free(&pats[i]);
    free(pats);
    lo_normaliser_free(&norm);
    lo_vocab_free(&vocab);
    TEST_MAIN_END();
}
