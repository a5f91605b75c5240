/* risk_features.c - a message's hashed features for the learned risk score:
 * folded words, word pairs and the character runs of each word (what and why
 * in risk_features.h). Fitting and scoring both use this file alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "engine/fold.h"
#include "engine/text.h"
#include "engine/risk_features.h"
#include "common/buf.h"

/* Folding may grow a text at most this many times; the rest is cut, so the
 * work per input byte stays bounded (as in text.c). */
#define MAX_FOLD_GROWTH 2
#define MIN_CHARS 3
#define MAX_CHARS 5

static const char tags[][3] = {
    [LO_RISK_WORD] = "w ", [LO_RISK_BIGRAM] = "b ", [LO_RISK_CHARS] = "c "};
static const char *const kind_names[] = {
    [LO_RISK_WORD] = "word", [LO_RISK_BIGRAM] = "bigram", [LO_RISK_CHARS] = "chars"};

/* At most LO_MAX_MESSAGE_BYTES of text, cut on a character boundary, with
 * every invalid sequence and NUL made a space. */
static void valid_utf8(const char *text, size_t len, lo_strbuf *out)
{
    if (len > LO_MAX_MESSAGE_BYTES) {
        len = LO_MAX_MESSAGE_BYTES;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
    }
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)text + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0 || cp == 0) {
            lo_strbuf_add(out, " ", 1);
            i += n <= 0 ? 1 : (size_t)n;
        } else {
            lo_strbuf_add(out, text + i, (size_t)n);
            i += (size_t)n;
        }
    }
}

static void add_feature(lo_risk_features *f, uint64_t mask, uint8_t kind, size_t off, size_t len)
{
    f->scratch.len = 0;
    lo_strbuf_add(&f->scratch, tags[kind], 2);
    lo_strbuf_add(&f->scratch, f->text.data + off, len);
    lo_grow(&f->v, &f->cap, f->n + 1, sizeof *f->v);
    f->v[f->n] =
        (lo_risk_feature){.bucket = (uint32_t)(lo_hash(f->scratch.data, f->scratch.len) & mask),
                          .seq = (uint32_t)f->n,
                          .off = (uint32_t)off,
                          .len = (uint32_t)len,
                          .kind = kind};
    f->n++;
}

/* Ends the word that started at start in f->text: kept with its trailing
 * space when short enough, dropped otherwise. */
static void end_word(lo_risk_features *f, size_t start)
{
    size_t n = f->text.len - start;
    if (n == 0)
        return;
    if (n > LO_RISK_MAX_WORD_BYTES) {
        f->text.len = start;
        return;
    }
    lo_strbuf_add(&f->text, " ", 1);
    lo_grow(&f->words, &f->wcap, 2 * (f->nwords + 1), sizeof *f->words);
    f->words[2 * f->nwords] = (uint32_t)start;
    f->words[2 * f->nwords + 1] = (uint32_t)n;
    f->nwords++;
}

/* Splits folded text s (n bytes) into words written to f->text as " a b c ". */
static void split_words(lo_risk_features *f, const char *s, size_t n)
{
    lo_strbuf_add(&f->text, " ", 1);
    size_t start = f->text.len;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t cl =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (cl <= 0) { /* cannot happen after valid_utf8, but never loop forever */
            i++;
            continue;
        }
        bool inner_apostrophe = lo_fold_is_apostrophe(cp) && f->text.len > start;
        if (lo_fold_is_word_char(cp)) {
            lo_strbuf_add(&f->text, s + i, (size_t)cl);
        } else if (!inner_apostrophe) {
            end_word(f, start);
            start = f->text.len;
        }
        i += (size_t)cl;
    }
    end_word(f, start);
}

/* The character runs of the word at off (len bytes) with its boundary spaces. */
static void add_char_runs(lo_risk_features *f, uint64_t mask, size_t off, size_t len)
{
    size_t starts[LO_RISK_MAX_WORD_BYTES + 3], nchars = 0;
    const char *w = f->text.data + off - 1;
    for (size_t i = 0; i < len + 2; i++)
        if (((unsigned char)w[i] & 0xC0) != 0x80)
            starts[nchars++] = i;
    starts[nchars] = len + 2;
    for (size_t k = MIN_CHARS; k <= MAX_CHARS; k++)
        for (size_t c = 0; c + k <= nchars; c++)
            add_feature(f, mask, LO_RISK_CHARS, off - 1 + starts[c], starts[c + k] - starts[c]);
}

#define RADIX_BITS 8

/* One stable counting-sort pass of v (n features) into to, on the 8 bits of
 * the bucket from shift up. */
static void radix_pass(const lo_risk_feature *v, size_t n, unsigned shift, lo_risk_feature *to)
{
    size_t start[(1u << RADIX_BITS) + 1] = {0};
    uint32_t mask = (1u << RADIX_BITS) - 1;
    for (size_t i = 0; i < n; i++)
        start[((v[i].bucket >> shift) & mask) + 1]++;
    for (size_t d = 1; d <= mask + 1; d++)
        start[d] += start[d - 1];
    for (size_t i = 0; i < n; i++)
        to[start[(v[i].bucket >> shift) & mask]++] = v[i];
}

/* Sorts by bucket, keeping the order found within a bucket (features are
 * added in that order, and each pass is stable), then keeps the first feature
 * of each bucket. A radix sort over the bucket's bits: linear in the number
 * of features, where qsort was most of the learned score's cost. */
static void keep_distinct(lo_risk_features *f, unsigned bits)
{
    if (f->n > 1) {
        lo_grow(&f->sorting, &f->sorting_cap, f->n, sizeof *f->sorting);
        lo_risk_feature *from = f->v, *to = f->sorting;
        for (unsigned shift = 0; shift < bits; shift += RADIX_BITS) {
            radix_pass(from, f->n, shift, to);
            lo_risk_feature *was = from;
            from = to;
            to = was;
        }
        if (from != f->v)
            memcpy(f->v, from, f->n * sizeof *f->v);
    }
    size_t kept = 0;
    for (size_t i = 0; i < f->n; i++)
        if (kept == 0 || f->v[kept - 1].bucket != f->v[i].bucket)
            f->v[kept++] = f->v[i];
    f->n = kept;
}

void lo_risk_features_extract(const char *text, size_t len, unsigned bits, lo_risk_features *out)
{
    out->n = out->nwords = 0;
    out->text.len = 0;
    uint64_t mask = (1ull << bits) - 1;
    lo_strbuf valid = {0};
    valid_utf8(text, len, &valid);
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t flen = valid.len ? lo_fold_map(valid.data, valid.len, &folded) : -1;
    /* as in text.c, text utf8proc cannot fold is read as it is */
    const char *s = flen >= 0 ? (const char *)folded : valid.data;
    size_t n = flen >= 0 ? (size_t)flen : valid.len;
    if (n > MAX_FOLD_GROWTH * valid.len) {
        n = MAX_FOLD_GROWTH * valid.len;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        split_words(out, s, n);
    free(folded);
    lo_strbuf_free(&valid);
    for (size_t i = 0; i < out->nwords; i++) {
        size_t off = out->words[2 * i], wlen = out->words[2 * i + 1];
        add_feature(out, mask, LO_RISK_WORD, off, wlen);
        if (i > 0) {
            size_t prev = out->words[2 * i - 2];
            add_feature(out, mask, LO_RISK_BIGRAM, prev, off + wlen - prev);
        }
        add_char_runs(out, mask, off, wlen);
    }
    keep_distinct(out, bits);
}

void lo_risk_features_free(lo_risk_features *f)
{
    free(f->v);
    free(f->words);
    free(f->sorting);
    lo_strbuf_free(&f->text);
    lo_strbuf_free(&f->scratch);
    memset(f, 0, sizeof *f);
}

void lo_risk_feature_describe(const lo_risk_features *fs, const lo_risk_feature *f,
                              char out[LO_RISK_DESCRIPTION_BYTES])
{
    snprintf(out, LO_RISK_DESCRIPTION_BYTES, "%s \"%.*s\"", kind_names[f->kind], (int)f->len,
             fs->text.data + f->off);
}
