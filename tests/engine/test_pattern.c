/* test_pattern.c - the pattern language: what matches, what does not, the
 * scores that rank matches, and the compile errors moderators will see. */
#include <stdlib.h>
#include <string.h>

#include "engine/normalise.h"
#include "engine/pattern.h"
#include "engine/text.h"
#include "engine/vocab.h"
#include "testing.h"
#include "common/buf.h"

static lo_vocab vocab;
static lo_normaliser norm;
static lo_concept concept;
static lo_pattern_context ctx;

static int try_match(const char *pattern, const char *text, lo_match *m)
{
    lo_pattern p;
    lo_strbuf err = {0};
    int col;
    if (lo_pattern_compile(&ctx, pattern, &p, &err, &col) < 0) {
        fprintf(stderr, "compile failed: %s: %s\n", pattern, err.data);
        lo_strbuf_free(&err);
        return -1;
    }
    lo_tokens t = {0};
    lo_text_tokenise(&norm, &vocab, NULL, text, strlen(text), &t);
    lo_match local;
    bool ok = lo_pattern_match(&p, &t, 0, m ? m : &local);
    lo_tokens_free(&t);
    lo_pattern_free(&p);
    return ok;
}

static const char *compile_error(const char *pattern, int *col)
{
    static char msg[512];
    lo_pattern p;
    lo_strbuf err = {0};
    if (lo_pattern_compile(&ctx, pattern, &p, &err, col) == 0) {
        lo_pattern_free(&p);
        return NULL;
    }
    snprintf(msg, sizeof msg, "%s", err.data);
    lo_strbuf_free(&err);
    return msg;
}

int main(void)
{
    lo_vocab_init(&vocab);
    lo_normaliser_init_defaults(&norm);
    norm.repl = calloc(1, sizeof *norm.repl);
    norm.repl[0].from = strdup("i'm");
    norm.repl[0].to = calloc(2, sizeof(char *));
    norm.repl[0].to[0] = strdup("i");
    norm.repl[0].to[1] = strdup("am");
    norm.repl[0].nto = 2;
    norm.nrepl = 1;
    concept.name = "family";
    ctx = (lo_pattern_context){&vocab, &norm, &concept, 1};
    lo_strbuf err = {0};
    concept.alts = calloc(2, sizeof *concept.alts);
    CHECK(lo_pattern_compile_phrase(&ctx, "mom", &concept.alts[0], &err) == 0);
    CHECK(lo_pattern_compile_phrase(&ctx, "step dad", &concept.alts[1], &err) == 0);
    concept.nalts = 2;

    lo_match m = {0};
    /* plain words match anywhere, in order, next to each other */
    CHECK(try_match("feel alone", "sometimes I feel alone at night", &m) == 1);
    CHECK(m.literal == 2 && m.wildcard == 0 && m.start == 2 && m.end == 4);
    CHECK(try_match("feel alone", "alone I feel", NULL) == 0);
    CHECK(try_match("feel alone", "feel so alone", NULL) == 0);
    /* '*' spans any words; inner spans are counted */
    CHECK(try_match("i feel * alone", "i feel so very alone", &m) == 1);
    CHECK(m.literal == 3 && m.wildcard == 2);
    CHECK(try_match("i feel * alone", "i feel alone", &m) == 1);
    CHECK(m.wildcard == 0);
    /* a trailing '*' takes the rest, for {echo}, without counting as inner */
    CHECK(try_match("i feel *", "i feel like nobody cares", &m) == 1);
    CHECK(m.echo_start == 2 && m.echo_end == 5 && m.wildcard == 0);
    /* optional words count only when present */
    CHECK(try_match("[i] feel alone", "feel alone", &m) == 1);
    CHECK(m.literal == 2);
    CHECK(try_match("[i] feel alone", "i feel alone", &m) == 1);
    CHECK(m.literal == 3);
    CHECK(try_match("nobody (gets|understands) [me|it]", "nobody understands me", &m) == 1);
    CHECK(m.literal == 3);
    CHECK(try_match("nobody (gets|understands) me", "nobody likes me", NULL) == 0);
    /* multi-word alternatives */
    CHECK(try_match("(no one|nobody) cares", "no one cares", &m) == 1);
    CHECK(m.literal == 3);
    /* concepts */
    CHECK(try_match("my ~family hurts me", "my step dad hurts me", NULL) == 1);
    CHECK(try_match("my ~family hurts me", "my mom hurts me", NULL) == 1);
    CHECK(try_match("my ~family hurts me", "my dog hurts me", NULL) == 0);
    /* negation: !word refuses a negated word; a plain word does not care */
    CHECK(try_match("i am !suicidal", "i am suicidal", NULL) == 1);
    CHECK(try_match("i am !suicidal", "i am not suicidal", NULL) == 0);
    CHECK(try_match("am !suicidal", "i am not suicidal", NULL) == 0);
    CHECK(try_match("suicidal", "i am not suicidal", NULL) == 1);
    /* anchors */
    CHECK(try_match("^ hi $", "hi", NULL) == 1);
    CHECK(try_match("^ hi $", "hi there", NULL) == 0);
    CHECK(try_match("^ hi", "oh hi", NULL) == 0);
    CHECK(try_match("bye $", "ok bye", NULL) == 1);
    CHECK(try_match("^ $", "", NULL) == 1);
    /* stretched letters meet the plain word */
    CHECK(try_match("so alone", "sooooo aloooone", NULL) == 1);
    CHECK(try_match("hello", "hellooooo", NULL) == 1); /* a double letter stays double */
    CHECK(try_match("sorry", "sorryyyy", NULL) == 1);
    CHECK(try_match("good", "gooood", NULL) == 1);
    CHECK(try_match("so", "soo", NULL) == 0); /* two letters are spelling, not stretching */
    /* contractions are the pattern's too: written either way */
    CHECK(try_match("i'm tired", "I am tired", NULL) == 1);
    /* brackets do not count as words: "* not suicidal" beats "[*] suicidal" */
    {
        lo_match a = {0}, b = {0};
        CHECK(try_match("* suicidal", "i am not suicidal", &a) == 1);
        CHECK(try_match("* not suicidal", "i am not suicidal", &b) == 1);
        CHECK(b.literal > a.literal);
    }
    /* a pathological pattern stays within its step budget */
    CHECK(try_match("a * a * a * a * a * b",
                    "a a a a a a a a a a a a a a a a a a a a a a a a "
                    "a a a a a a a a a a a a a",
                    NULL) == 0);

    /* compile errors name what to do and where */
    int col = -1;
    const char *e = compile_error("nobody (gets|understands", &col);
    CHECK(e && strstr(e, "not closed"));
    e = compile_error("(a|) b", &col);
    CHECK(e && strstr(e, "empty choice"));
    CHECK(col == 3);
    e = compile_error("a ( b (c) )", &col);
    CHECK(e && strstr(e, "inside brackets"));
    e = compile_error("hello )", &col);
    CHECK(e && strstr(e, "without an opening"));
    CHECK(col == 6);
    e = compile_error("my ~pets", &col);
    CHECK(e && strstr(e, "unknown concept"));
    e = compile_error("hi ^", &col);
    CHECK(e && strstr(e, "begin"));
    e = compile_error("$ hi", &col);
    CHECK(e && strstr(e, "end"));
    e = compile_error("?!", &col);
    CHECK(e && strstr(e, "no letters"));
    e = compile_error("*", &col);
    CHECK(e && strstr(e, "empty"));

    /* filler and swear words between two words of a pattern are skipped, never before
     * the first word, never across a clause break */
    static const char *const fillers[] = {"fucking", "damn", "totally"};
    norm.nfillers = sizeof fillers / sizeof *fillers;
    norm.fillers = calloc(norm.nfillers, sizeof(char *));
    for (size_t i = 0; i < norm.nfillers; i++)
        norm.fillers[i] = strdup(fillers[i]);
    CHECK(try_match("want to die", "i want to fucking die", &m) == 1);
    CHECK(m.literal == 3 && m.start == 1 && m.end == 5);
    CHECK(try_match("take all [the] pills", "take all the damn pills", NULL) == 1);
    CHECK(try_match("gonna end it", "gonna totally damn end it", NULL) == 1);
    CHECK(try_match("want to die", "i want to fucking, die", NULL) == 0);     /* clause break */
    CHECK(try_match("want to die", "i want to, fucking die", NULL) == 0);     /* clause break */
    CHECK(try_match("want to die", "i want to fucking kill die", NULL) == 0); /* not a filler */
    CHECK(try_match("want fucking die", "want fucking die", NULL) == 1); /* named: still a word */

    lo_strbuf_free(&err);
    for (int i = 0; i < 2; i++)
        lo_alt_free(&concept.alts[i]);
    free(concept.alts);
    lo_normaliser_free(&norm);
    lo_vocab_free(&vocab);
    TEST_MAIN_END();
}
