/* leet.c - words written with digits and symbols for letters ("k!ll", "mys3lf",
 * "$elf", "0verd0se"): the readings of a word through the leet map are tried in
 * order, each leet character as each of its letters, up to a bound, and the
 * first reading that a pattern uses is the word. Ordinary text ("gr8", "$50",
 * "l33t") has no such reading and is left alone by the caller (text.c). */
#include <string.h>
#include <utf8proc.h>

#include "engine/fold.h"
#include "engine/leet.h"
#include "engine/normalise.h"
#include "engine/vocab.h"

/* A longer span is no word a pattern uses; the bound keeps the work per byte flat. */
#define LEET_MAX_CHARS 32
#define LEET_MAX_BYTES 64

typedef struct piece {
    const char *s; /* the character as written */
    uint8_t len;
    const lo_leet *leet; /* its readings, or NULL for a character read as itself */
} piece;

/* Steps choice to the next reading (the last leet character turns fastest);
 * false after the last one. */
static bool next_reading(const piece *p, size_t np, uint8_t *choice)
{
    for (size_t k = np; k-- > 0;) {
        if (!p[k].leet)
            continue;
        if (++choice[k] < p[k].leet->nreading)
            return true;
        choice[k] = 0;
    }
    return false;
}

uint32_t lo_leet_read(const lo_normaliser *norm, const lo_vocab *vocab, const char *w, size_t n,
                      int max_tries)
{
    if (!vocab || !norm || !norm->nleet || n > LEET_MAX_BYTES)
        return LO_WORD_NONE;
    piece p[LEET_MAX_CHARS];
    size_t np = 0;
    bool letter = false, leet = false;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t cl =
            utf8proc_iterate((const utf8proc_uint8_t *)w + i, (utf8proc_ssize_t)(n - i), &cp);
        if (cl <= 0 || np == LEET_MAX_CHARS)
            return LO_WORD_NONE;
        p[np] = (piece){w + i, (uint8_t)cl, lo_normaliser_leet(norm, cp)};
        leet = leet || p[np].leet;
        letter = letter || (!p[np].leet && lo_fold_is_letter(cp));
        np++;
        i += (size_t)cl;
    }
    if (!leet || !letter)
        return LO_WORD_NONE;
    uint8_t choice[LEET_MAX_CHARS] = {0};
    char buf[LEET_MAX_CHARS * 4];
    for (int tries = 0; tries < max_tries; tries++) {
        size_t len = 0;
        for (size_t k = 0; k < np; k++) {
            const char *r = p[k].leet ? p[k].leet->reading[choice[k]] : p[k].s;
            size_t rl = p[k].leet ? strlen(r) : p[k].len;
            memcpy(buf + len, r, rl);
            len += rl;
        }
        uint32_t id = lo_vocab_find(vocab, buf, len);
        if (id != LO_WORD_NONE || !next_reading(p, np, choice))
            return id;
    }
    return LO_WORD_NONE;
}
