/* letters.c - words spelled out one letter at a time to get past filters:
 * "s u i c i d e", "k.i.l.l", "s-u-i-c-i-d-e", "o.d", "k i l l m y s e l f".
 *
 * A run is single letters (or leet characters, "s u 1 c 1 d 3") each standing
 * alone, separated by spaces, '.', '-', '_' or '*'. It is split into the fewest
 * pieces, each either one letter kept as it is or two or more letters joined
 * into a word a pattern uses; the run is read that way only when it joins a
 * word of three letters or more, or is one word spelled without spaces ("o.d").
 * Otherwise the letters stay as they are ("J K Rowling", "a b c"). Runs longer
 * than LO_SPELLED_MAX letters are left alone, so the work per byte is bounded. */
#include <string.h>
#include <utf8proc.h>

#include "engine/fold.h"
#include "engine/leet.h"
#include "engine/letters.h"
#include "engine/normalise.h"
#include "engine/vocab.h"

#define JOIN_MAX 16  /* letters in one joined word */
#define SEP_MAX 3    /* characters between two letters ("k . i") */
#define LEET_TRIES 4 /* readings tried for a joined word with leet characters */

static bool is_spacing(utf8proc_int32_t cp)
{
    return cp == ' ' || cp == '\t' || utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

static bool is_separator(utf8proc_int32_t cp)
{
    return is_spacing(cp) || cp == '.' || cp == '-' || cp == '_' || cp == '*';
}

static bool is_ascii_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); /* the text is folded */
}

static utf8proc_ssize_t next_cp(const char *s, size_t n, size_t i, utf8proc_int32_t *cp)
{
    return utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), cp);
}

typedef struct run {
    size_t start[LO_SPELLED_MAX], end[LO_SPELLED_MAX];
    bool letter[LO_SPELLED_MAX]; /* a letter, not a leet character */
    size_t n;                    /* items, may pass LO_SPELLED_MAX */
    bool spaced;                 /* some separator holds a space */
    size_t covered;              /* bytes up to the end of the last item */
} run;

/* The single letters at the start of s, up to the first thing that is not one. */
static void find_run(const lo_normaliser *norm, const char *s, size_t n, run *r)
{
    size_t i = 0, sep = 0, sep_len = 0; /* the first separator: the run's own */
    bool gap_spaced = false;
    r->n = r->covered = 0;
    r->spaced = false;
    while (i < n) {
        utf8proc_int32_t cp, after;
        utf8proc_ssize_t cl = next_cp(s, n, i, &cp);
        if (cl <= 0 || !(lo_fold_is_letter(cp) || lo_normaliser_leet(norm, cp)))
            return;
        size_t e = i + (size_t)cl;
        if (e < n && next_cp(s, n, e, &after) > 0 && lo_fold_is_word_char(after))
            return; /* the start of a longer word */
        if (r->n < LO_SPELLED_MAX) {
            r->start[r->n] = i;
            r->end[r->n] = e;
            r->letter[r->n] = lo_fold_is_letter(cp);
        }
        r->n++;
        r->covered = e;
        r->spaced = r->spaced || gap_spaced;
        gap_spaced = false;
        size_t j = e, nsep = 0;
        while (j < n && nsep < SEP_MAX && (cl = next_cp(s, n, j, &cp)) > 0 && is_separator(cp)) {
            gap_spaced = gap_spaced || is_spacing(cp);
            j += (size_t)cl;
            nsep++;
        }
        /* one way of spelling per run: "a.m. p.m." is two runs, "k i l l" one */
        if (nsep == 0 || (r->n > 1 && (j - e != sep_len || memcmp(s + e, s + sep, sep_len) != 0)))
            return;
        sep = e;
        sep_len = j - e;
        i = j;
    }
}

/* The pattern word items [from, to) of r spell, or LO_WORD_NONE. */
static uint32_t joined_word(const lo_normaliser *norm, const lo_vocab *vocab, const char *s,
                            const run *r, size_t from, size_t to)
{
    char buf[JOIN_MAX * 4];
    size_t len = 0;
    size_t letters = 0;
    for (size_t k = from; k < to; k++) {
        memcpy(buf + len, s + r->start[k], r->end[k] - r->start[k]);
        len += r->end[k] - r->start[k];
        letters += r->letter[k];
    }
    if (letters == 0)
        return LO_WORD_NONE;
    if (letters == to - from) /* no leet character: the letters are the word */
        return lo_vocab_find(vocab, buf, len);
    return lo_leet_read(norm, vocab, buf, len, LEET_TRIES);
}

size_t lo_letters_read(const lo_normaliser *norm, const lo_vocab *vocab, const char *s, size_t n,
                       lo_spelled seg[LO_SPELLED_MAX], size_t *nseg)
{
    *nseg = 0;
    if (!vocab || (n >= 2 && is_ascii_alnum(s[0]) && is_ascii_alnum(s[1])))
        return 0; /* most chunks: a word of two letters or more starts no run */
    run r;
    find_run(norm, s, n, &r);
    if (r.n > LO_SPELLED_MAX || r.n < (r.spaced ? 3u : 2u))
        return r.covered;
    /* fewest pieces for items [0, j): best[j], the last piece starting at from[j] */
    uint8_t best[LO_SPELLED_MAX + 1], from[LO_SPELLED_MAX + 1];
    uint32_t word[LO_SPELLED_MAX + 1];
    best[0] = 0;
    for (size_t j = 1; j <= r.n; j++) {
        best[j] = (uint8_t)(best[j - 1] + 1);
        from[j] = (uint8_t)(j - 1);
        word[j] = LO_WORD_NONE;
        for (size_t len = j < JOIN_MAX ? j : JOIN_MAX; len >= 2; len--) {
            if (best[j - len] + 1 >= best[j])
                continue;
            uint32_t id = joined_word(norm, vocab, s, &r, j - len, j);
            if (id != LO_WORD_NONE) {
                best[j] = (uint8_t)(best[j - len] + 1);
                from[j] = (uint8_t)(j - len);
                word[j] = id;
            }
        }
    }
    bool long_word = false;
    size_t k = 0;
    for (size_t j = r.n; j > 0; j = from[j], k++)
        long_word = long_word || (word[j] && j - from[j] >= 3) ||
                    (word[j] && !r.spaced && from[j] == 0 && j == r.n);
    if (!long_word)
        return r.covered;
    *nseg = k;
    for (size_t j = r.n; j > 0; j = from[j])
        seg[--k] = (lo_spelled){r.start[from[j]], r.end[j - 1], word[j]};
    return r.covered;
}
