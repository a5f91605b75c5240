/* test_text.c - normalisation: UTF-8 repair, folding, quotes, contractions,
 * stretched letters, emoji, links and mentions, negation scope, size cap. */
#include <stdlib.h>
#include <string.h>

#include "engine/fold.h"
#include "engine/normalise.h"
#include "engine/text.h"
#include "testing.h"
#include "common/buf.h"

static lo_normaliser norm;

static char *words(const char *text, size_t len)
{
    lo_tokens t = {0};
    lo_text_tokenise(&norm, NULL, NULL, text, len, &t);
    lo_strbuf b = {0};
    for (size_t i = 0; i < t.n; i++)
        lo_strbuf_addf(&b, "%s%s%s", i ? " " : "", t.v[i].negated ? "~" : "", lo_token_word(&t, i));
    lo_tokens_free(&t);
    return lo_strbuf_take(&b);
}

#define WORDS(text, want)                                                                          \
    do {                                                                                           \
        char *w = words(text, strlen(text));                                                       \
        CHECK_STR(w, want);                                                                        \
        free(w);                                                                                   \
    } while (0)

static void add_repl(const char *from, const char *to1, const char *to2)
{
    norm.repl = realloc(norm.repl, (norm.nrepl + 1) * sizeof *norm.repl);
    lo_replacement *r = &norm.repl[norm.nrepl++];
    r->from = strdup(from);
    r->nto = to2 ? 2 : 1;
    r->to = calloc(2, sizeof(char *));
    r->to[0] = strdup(to1);
    if (to2)
        r->to[1] = strdup(to2);
}

int main(void)
{
    lo_normaliser_init_defaults(&norm);
    add_repl("im", "i", "am");
    add_repl("i'm", "i", "am");
    add_repl("dont", "do", "not");
    add_repl("don't", "do", "not");
    add_repl("can't", "can", "not");
    norm.emoji = calloc(1, sizeof *norm.emoji);
    norm.emoji[0].from = strdup("\xF0\x9F\x98\xAD"); /* 😭 */
    norm.emoji[0].to = calloc(1, sizeof(char *));
    norm.emoji[0].to[0] = strdup("crying");
    norm.emoji[0].nto = 1;
    norm.nemoji = 1;
    lo_normaliser_sort(&norm);

    WORDS("", "");
    WORDS("   \t\n ", "");
    WORDS("Hello, WORLD!", "hello world");
    WORDS("I\xE2\x80\x99m fine", "i am fine"); /* curly apostrophe */
    WORDS("im fine", "i am fine");
    WORDS("I'm fine", "i am fine");
    WORDS("\xEF\xBC\xA8\xEF\xBD\x89", "hi");         /* full-width letters, NFKC */
    WORDS("caf\xC3\xA9 na\xC3\xAFve", "cafe naive"); /* accents stripped */
    WORDS("sooooo alone", "soo alone");              /* stretched, squeezed alt kept */
    WORDS("alone\xF0\x9F\x98\xAD\xF0\x9F\x98\xAD", "alone crying crying");
    WORDS("self-harm", "self harm");
    WORDS("hi @everyone and <@12345> see https://127.0.0.1/x www.x.com", "hi and see");
    WORDS("k\xE2\x80\x8Bms", "kms"); /* zero-width space removed */
    WORDS("'quoted' words", "quoted words");

    /* negation scope */
    WORDS("I don't want to die", "i do not ~want ~to ~die");
    WORDS("i am not suicidal, just tired", "i am not ~suicidal just tired");
    WORDS("not only sad but angry", "not only sad but angry");
    WORDS("never been happier", "never ~been ~happier");
    WORDS("I can't stop thinking about dying", "i can not ~stop ~thinking ~about dying");
    WORDS("no. I want to die", "no i want to die");

    /* invalid UTF-8 is repaired, not fatal, and never read past the end */
    {
        const char bad[] = "ok \xFF\xFE \xC3 end \xE2\x82";
        lo_tokens t = {0};
        lo_text_tokenise(&norm, NULL, NULL, bad, sizeof bad - 1, &t);
        CHECK(t.repaired);
        CHECK(t.n >= 2);
        CHECK_STR(lo_token_word(&t, 0), "ok");
        lo_tokens_free(&t);
    }
    /* embedded NUL is a separator */
    {
        char *w = words("a\0b", 3);
        CHECK_STR(w, "a b");
        free(w);
    }
    /* 1 MB message: cut at the cap on a character boundary */
    {
        size_t n = 1 << 20;
        char *big = malloc(n);
        for (size_t i = 0; i < n; i += 3)
            memcpy(big + i, i + 3 <= n ? "\xC3\xA9 " : "   ", i + 3 <= n ? 3 : n - i);
        lo_tokens t = {0};
        lo_text_tokenise(&norm, NULL, NULL, big, n, &t);
        CHECK(t.truncated);
        CHECK(t.n > 1000 && t.n <= LO_MAX_MESSAGE_BYTES);
        CHECK_STR(lo_token_word(&t, t.n - 1), "e");
        lo_tokens_free(&t);
        free(big);
    }
    /* regression normalise-cost: a code point that folds into 18 letters
     * (U+FDFA) is cut at twice the message's bytes, so 4,000 bytes of it give
     * no more words than 8,000 bytes of text would */
    {
        size_t n = (size_t)3 * 1333;
        char *wide = malloc(n); /* no NUL: the length is all there is */
        for (size_t i = 0; i < n; i += 3)
            memcpy(wide + i, "\xEF\xB7\xBA", 3);
        lo_tokens t = {0};
        lo_text_tokenise(&norm, NULL, NULL, wide, n, &t);
        CHECK(t.truncated);
        CHECK(t.n > 100 && t.text.len <= 2 * n);
        lo_tokens_free(&t);
        free(wide);
        lo_tokens plain = {0};
        lo_text_tokenise(&norm, NULL, NULL, "caf\xC3\xA9 \xEF\xAC\x83", 9, &plain);
        CHECK(!plain.truncated && plain.n == 2);
        lo_tokens_free(&plain);
    }
    /* pattern words fold like messages */
    {
        lo_strbuf b = {0};
        CHECK(lo_fold_word("Don\xE2\x80\x99T", strlen("Don\xE2\x80\x99T"), &b) == 0);
        CHECK_STR(b.data, "don't");
        lo_strbuf_free(&b);
        CHECK(lo_fold_word("a*b", 3, &b) < 0);
        lo_strbuf_free(&b);
    }
    lo_normaliser_free(&norm);
    TEST_MAIN_END();
}
