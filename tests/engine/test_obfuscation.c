/* test_obfuscation.c - crisis words disguised on purpose: leet ("k!ll", "$elf",
 * "su1c1d3") read through the leet map, letters spelled out one by one
 * ("s u i c i d e", "k.i.l.l", "o.d") joined, and the everyday text that must
 * stay as it is ("gr8", "b4", "5 kms", "$50", "J K Rowling", "a b c"). */
#include <stdlib.h>
#include <string.h>

#include "engine/leet.h"
#include "engine/letters.h"
#include "engine/normalise.h"
#include "engine/text.h"
#include "engine/vocab.h"
#include "testing.h"
#include "common/buf.h"

static lo_normaliser norm;
static lo_vocab vocab;

static void add_leet(int32_t cp, const char *a, const char *b)
{
    norm.leet = realloc(norm.leet, (norm.nleet + 1) * sizeof *norm.leet);
    lo_leet *l = &norm.leet[norm.nleet++];
    memset(l, 0, sizeof *l);
    l->cp = cp;
    snprintf(l->reading[l->nreading++], sizeof l->reading[0], "%s", a);
    if (b)
        snprintf(l->reading[l->nreading++], sizeof l->reading[0], "%s", b);
}

static void add_repl(const char *from, const char *to)
{
    norm.repl = realloc(norm.repl, (norm.nrepl + 1) * sizeof *norm.repl);
    lo_replacement *r = &norm.repl[norm.nrepl++];
    r->from = strdup(from);
    r->nto = 1;
    r->to = calloc(1, sizeof(char *));
    r->to[0] = strdup(to);
}

/* The words of text; a word read through the leet map is written word[L:as written],
 * one joined from letters word[J:as written]; a clause end is '|'. */
static char *words(const char *text)
{
    lo_tokens t = {0};
    lo_text_tokenise(&norm, &vocab, NULL, text, strlen(text), &t);
    lo_strbuf b = {0};
    for (size_t i = 0; i < t.n; i++) {
        lo_strbuf_addf(&b, "%s%s", i ? " " : "", lo_token_word(&t, i));
        if (t.v[i].rewrite)
            lo_strbuf_addf(&b, "[%c:%s]", t.v[i].rewrite == LO_REWRITE_LEET ? 'L' : 'J',
                           lo_token_orig(&t, i));
        if (t.v[i].clause_end)
            lo_strbuf_adds(&b, "|");
    }
    lo_tokens_free(&t);
    return lo_strbuf_take(&b);
}

#define WORDS(text, want)                                                                          \
    do {                                                                                           \
        char *got_ = words(text);                                                                  \
        CHECK_STR(got_, want);                                                                     \
        free(got_);                                                                                \
    } while (0)

static uint32_t word_id(const char *w)
{
    return lo_vocab_find(&vocab, w, strlen(w));
}

int main(void)
{
    lo_normaliser_init_defaults(&norm);
    lo_vocab_init(&vocab);
    const char *const pattern_words[] = {"i",    "want",    "to",       "kill", "myself", "self",
                                         "harm", "suicide", "overdose", "die",  "od",     "me",
                                         "sad",  "k1ll",    "pills",    "take", "all",    "my",
                                         "50",   "sh",      "shift"};
    for (size_t i = 0; i < sizeof pattern_words / sizeof *pattern_words; i++)
        lo_vocab_intern(&vocab, pattern_words[i], strlen(pattern_words[i]));
    add_leet('0', "o", NULL);
    add_leet('1', "i", "l");
    add_leet('3', "e", NULL);
    add_leet('4', "a", NULL);
    add_leet('5', "s", NULL);
    add_leet('8', "b", NULL);
    add_leet('@', "a", NULL);
    add_leet('$', "s", NULL);
    add_leet('!', "i", "l");
    add_repl("b4", "before");
    add_repl("u", "you");
    add_repl("k", "okay");
    lo_normaliser_sort(&norm);
    static const char *const units[] = {"h", "hrs", "mg", "d"};
    norm.namount_units = sizeof units / sizeof *units;
    norm.amount_units = calloc(norm.namount_units, sizeof(char *));
    for (size_t i = 0; i < norm.namount_units; i++)
        norm.amount_units[i] = strdup(units[i]);

    /* 1. digits and symbols for letters, inside one word */
    WORDS("i want to k!ll mys3lf", "i want to kill[L:k!ll] myself[L:mys3lf]");
    WORDS("$elf h@rm", "self[L:$elf] harm[L:h@rm]");
    WORDS("SU1C1D3", "suicide[L:su1c1d3]");
    WORDS("0verd0se", "overdose[L:0verd0se]");
    WORDS("i want to d1e! really", "i want to die[L:d1e]| really");
    WORDS("!!k!ll myself", "kill[L:k!ll] myself"); /* symbols before it are punctuation */
    WORDS("ki11 me", "kill[L:ki11] me");           /* '1' read as 'l' when 'i' reads nothing */
    WORDS("take all my pill$", "take all my pills[L:pill$]"); /* '$' at the end is a letter too */
    { /* a leet spelling a pattern uses itself stays its alternative */
        lo_tokens t = {0};
        lo_text_tokenise(&norm, &vocab, NULL, "k1ll", 4, &t);
        CHECK(t.n == 1 && t.v[0].id == word_id("kill") && t.v[0].alt_id == word_id("k1ll"));
        lo_tokens_free(&t);
    }
    /* each reading is tried, up to the bound */
    CHECK(lo_leet_read(&norm, &vocab, "ki11", 4, 4) == word_id("kill"));
    CHECK(lo_leet_read(&norm, &vocab, "ki11", 4, 3) == LO_WORD_NONE);
    CHECK(lo_leet_read(&norm, &vocab, "5!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", 37, 1000) ==
          LO_WORD_NONE);
    CHECK(lo_leet_read(&norm, &vocab, "50", 2, 8) == LO_WORD_NONE); /* no letter */
    CHECK(lo_leet_read(&norm, NULL, "d1e", 3, 8) == LO_WORD_NONE);

    /* ... and what must not change: no reading is a pattern word, or it is texting */
    WORDS("ran 5 kms, gr8", "ran 5 kms| gr8");
    WORDS("b4 work", "before work");
    WORDS("24/7 for $50", "24 7 for 50");
    WORDS("l33t h4x0r", "l33t h4x0r");
    WORDS("hi!!! kill!!!", "hi| kill|");
    WORDS("1am 2nd mp3", "1am 2nd mp3");
    WORDS("me@home", "me home");
    /* a number with a unit of measure is a time or amount, never leet ("5h" is not "sh") */
    WORDS("a 5h shift, 12hrs", "a 5h shift| 12hrs");
    WORDS("took 30mg", "took 30mg");
    WORDS("i 5hh", "i 5hh"); /* not a unit, and no reading is a pattern word */
    WORDS("i want to 5h", "i want to 5h");
    WORDS("0d last night", "od[L:0d] last night"); /* a lone 0 is the letter o */
    WORDS("$h again", "sh[L:$h] again");           /* a symbol for a letter is still read */

    /* 2. letters spelled out one by one */
    WORDS("s u i c i d e", "suicide[J:s u i c i d e]");
    WORDS("i want to k.i.l.l myself", "i want to kill[J:k.i.l.l] myself");
    WORDS("s-u-i-c-i-d-e.", "suicide[J:s-u-i-c-i-d-e]|");
    WORDS("s_u_i_c_i_d_e k*i*l*l", "suicide[J:s_u_i_c_i_d_e] kill[J:k*i*l*l]");
    WORDS("i might o.d", "i might od[J:o.d]");
    WORDS("i want to k i l l m y s e l f", "i want to kill[J:k i l l] myself[J:m y s e l f]");
    WORDS("k.i.l.l m.y.s.e.l.f", "kill[J:k.i.l.l] myself[J:m.y.s.e.l.f]");
    WORDS("I d i e", "i die[J:d i e]");
    WORDS("s u 1 c 1 d 3", "suicide[J:s u 1 c 1 d 3]");

    /* ... and what must not change */
    WORDS("J K Rowling", "j okay rowling");
    WORDS("a b c", "a b c");
    WORDS("o d", "o d"); /* two letters with a space: not a spelled word */
    WORDS("u r sad", "you r sad");
    WORDS("a.m. p.m.", "a| m| p| m|"); /* as before: no word joined */
    WORDS("i got an A. I was sad", "i got an a| i was sad");
    WORDS("x-ray t-shirt", "x ray t shirt");
    WORDS("1 0 0 pills", "1 0 0 pills"); /* digits alone spell no word */
    { /* a run longer than LO_SPELLED_MAX letters is left alone */
        lo_strbuf b = {0};
        for (int i = 0; i < LO_SPELLED_MAX; i++)
            lo_strbuf_adds(&b, "x ");
        lo_strbuf_adds(&b, "d i e");
        char *w = words(b.data);
        CHECK(strstr(w, "[J:") == NULL && strstr(w, "x d i e") != NULL);
        free(w);
        lo_strbuf_free(&b);
    }

    lo_vocab_free(&vocab);
    lo_normaliser_free(&norm);
    TEST_MAIN_END();
}
