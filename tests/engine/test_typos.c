/* test_typos.c - one edit (insert, delete, substitute, swap) for words of
 * five letters or more, only against pattern words, never for exact ones; and
 * for four-letter words, only against words with short typos allowed. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/dictionary.h"
#include "engine/typos.h"
#include "engine/vocab.h"
#include "testing.h"
#include "common/buf.h"

/* A dictionary read from a word list file holding words. */
static lo_dictionary *dictionary_of(const char *words)
{
    char path[] = "/tmp/leanon-dict-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs(words, f);
    fclose(f);
    setenv("LEANON_DICTIONARY", path, 1);
    lo_dictionary *d = lo_dictionary_load();
    unsetenv("LEANON_DICTIONARY");
    unlink(path);
    return d;
}

int main(void)
{
    lo_vocab v;
    lo_vocab_init(&v);
    uint32_t lonely = lo_vocab_intern(&v, "lonely", 6);
    uint32_t therapy = lo_vocab_intern(&v, "therapy", 7);
    uint32_t exact = lo_vocab_intern(&v, "unalive", 7);
    lo_vocab_intern(&v, "sad", 3);
    bool *exact_only = calloc(v.count, sizeof(bool));
    exact_only[exact] = true;
    lo_typos *t = lo_typos_build(&v, exact_only, NULL, NULL);

    CHECK(lo_typos_lookup(t, "lonley", 6) == lonely);  /* swap */
    CHECK(lo_typos_lookup(t, "lonly", 5) == lonely);   /* deletion */
    CHECK(lo_typos_lookup(t, "loneely", 7) == lonely); /* insertion */
    CHECK(lo_typos_lookup(t, "lonelu", 6) == lonely);  /* substitution */
    CHECK(lo_typos_lookup(t, "therepy", 7) == therapy);
    CHECK(lo_typos_lookup(t, "lnoley", 6) == LO_WORD_NONE);  /* two edits */
    CHECK(lo_typos_lookup(t, "onelyx", 6) == LO_WORD_NONE);  /* two edits, same deletion */
    CHECK(lo_typos_lookup(t, "unalivd", 7) == LO_WORD_NONE); /* exact-only word */
    CHECK(lo_typos_lookup(t, "sadd", 4) == LO_WORD_NONE);    /* too short */
    CHECK(lo_typos_lookup(t, "happy", 5) == LO_WORD_NONE);

    lo_typos_free(t);
    /* with a dictionary, real words are never corrected */
    lo_vocab_intern(&v, "thanks", 6);
    exact_only = lo_xrealloc(exact_only, v.count * sizeof(bool));
    memset(exact_only, 0, v.count * sizeof(bool));
    lo_dictionary *dict = dictionary_of("thinks\nloose\nlonely\nabc\n");
    CHECK(lo_dictionary_size(dict) == 3); /* "abc" is too short to matter */
    t = lo_typos_build(&v, exact_only, NULL, dict);
    CHECK(lo_typos_lookup(t, "thinks", 6) == LO_WORD_NONE);
    CHECK(lo_typos_lookup(t, "thankz", 6) != LO_WORD_NONE);
    CHECK(lo_typos_lookup(t, "lonley", 6) == lonely);
    lo_typos_free(t);

    /* short typos: four-letter message words, only for the words marked (crisis rules') */
    uint32_t kill = lo_vocab_intern(&v, "kill", 4);
    uint32_t die = lo_vocab_intern(&v, "die", 3);
    uint32_t pills = lo_vocab_intern(&v, "pills", 5);
    lo_vocab_intern(&v, "hope", 4);
    uint32_t od = lo_vocab_intern(&v, "od", 2);
    exact_only = lo_xrealloc(exact_only, v.count * sizeof(bool));
    memset(exact_only, 0, v.count * sizeof(bool));
    bool *short_ok = calloc(v.count, sizeof(bool));
    short_ok[kill] = short_ok[die] = short_ok[pills] = short_ok[od] = true;
    t = lo_typos_build(&v, exact_only, short_ok, dict);
    CHECK(lo_typos_lookup(t, "kiil", 4) == kill);         /* substitution */
    CHECK(lo_typos_lookup(t, "kil", 3) == LO_WORD_NONE);  /* three letters: never */
    CHECK(lo_typos_lookup(t, "klil", 4) == kill);         /* swap */
    CHECK(lo_typos_lookup(t, "kiill", 5) == kill);        /* five letters to four */
    CHECK(lo_typos_lookup(t, "diee", 4) == die);          /* four letters to three */
    CHECK(lo_typos_lookup(t, "pils", 4) == pills);        /* four letters to five */
    CHECK(lo_typos_lookup(t, "hopw", 4) == LO_WORD_NONE); /* not marked */
    CHECK(lo_typos_lookup(t, "sadd", 4) == LO_WORD_NONE); /* not marked */
    CHECK(lo_typos_lookup(t, "oddd", 4) == LO_WORD_NONE); /* two letters is no typo target */
    CHECK(lo_typos_lookup(t, "k1ll", 4) == LO_WORD_NONE); /* digits: leet, not a typo */
    CHECK(lo_typos_lookup(t, "thinks", 6) == LO_WORD_NONE);
    lo_typos_free(t);
    /* a real four-letter word is never corrected */
    lo_dictionary *dict4 = dictionary_of("Bill\nkiln\n");
    CHECK(lo_dictionary_size(dict4) == 2);
    t = lo_typos_build(&v, exact_only, short_ok, dict4);
    CHECK(lo_typos_lookup(t, "bill", 4) == LO_WORD_NONE);
    CHECK(lo_typos_lookup(t, "kiln", 4) == LO_WORD_NONE);
    CHECK(lo_typos_lookup(t, "kilk", 4) == kill);
    lo_typos_free(t);
    t = lo_typos_build(&v, exact_only, NULL, dict4); /* no words marked: as before */
    CHECK(lo_typos_lookup(t, "kilk", 4) == LO_WORD_NONE);
    lo_typos_free(t);
    lo_dictionary_free(dict4);
    free(short_ok);
    lo_dictionary_free(dict);
    free(exact_only);
    lo_vocab_free(&v);
    TEST_MAIN_END();
}
