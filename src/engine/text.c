/* text.c - from raw bytes to the words that patterns are matched against.
 *
 * 1. Cut at LO_MAX_MESSAGE_BYTES on a character boundary; replace invalid
 *    UTF-8 with U+FFFD (never read past the input, never fail); leave out
 *    quoted lines and code (own_words.c).
 * 2. NFKC, case folding, accents and invisible characters stripped (utf8proc);
 *    what folds into more than MAX_FOLD_GROWTH times its bytes is cut there.
 * 3. Split on white space; drop chunks that are links or mentions, so they are
 *    neither matched nor echoed.
 * 4. Split chunks into words (letters, marks, digits, inner apostrophes of any
 *    style); emoji become words through the emoji table; clause punctuation
 *    is remembered because it ends a negation's reach.
 *    Before a chunk is split, a span of letters mixed with leet characters
 *    ("k!ll", "$elf") is read through the leet map (leet.c) when a reading is
 *    a word a pattern uses; and letters spelled out one by one ("s u i c i d e",
 *    "k.i.l.l") are joined into such words (letters.c).
 * 5. Stretched letters ("sooooo") keep a squeezed alternative ("so");
 *    replacements expand contractions and texting ("im" -> "i am").
 * 6. Negation: a negator marks the next few words as negated, up to
 *    punctuation or a breaker word ("but").
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "engine/fold.h"
#include "engine/leet.h"
#include "engine/letters.h"
#include "engine/normalise.h"
#include "engine/text.h"
#include "engine/typos.h"
#include "engine/vocab.h"
#include "common/buf.h"

/* Folding may grow a text at most this many times (U+FDFA alone becomes 18
 * letters); the rest is cut, so the work per input byte stays bounded. */
#define MAX_FOLD_GROWTH 2

static bool is_clause_punct(utf8proc_int32_t cp)
{
    return cp == '.' || cp == ',' || cp == '!' || cp == '?' || cp == ';' || cp == ':' ||
           cp == 0x2026 || cp == '\n' || cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F;
}

static bool is_space(utf8proc_int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
           utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS ||
           utf8proc_category(cp) == UTF8PROC_CATEGORY_ZL ||
           utf8proc_category(cp) == UTF8PROC_CATEGORY_ZP;
}

/* Copies at most cap bytes of text, cut on a character boundary, with every
 * invalid sequence and NUL replaced. */
static void repair_utf8(const char *text, size_t len, lo_strbuf *out, lo_tokens *toks)
{
    if (len > LO_MAX_MESSAGE_BYTES) {
        len = LO_MAX_MESSAGE_BYTES;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
        toks->truncated = true;
    }
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            lo_strbuf_adds(out, "\xEF\xBF\xBD");
            toks->repaired = true;
            i++;
        } else if (cp == 0) {
            lo_strbuf_add(out, " ", 1);
            i += (size_t)n;
        } else {
            lo_strbuf_add(out, text + i, (size_t)n);
            i += (size_t)n;
        }
    }
}

static bool chunk_is_link_or_mention(const char *s, size_t n)
{
    if (n == 0)
        return false;
    if (s[0] == '@' || (n > 1 && s[0] == '<' && (s[1] == '@' || s[1] == '!' || s[1] == '#')))
        return true;
    for (size_t i = 0; i + 2 < n; i++)
        if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
            return true;
    return n > 4 && strncmp(s, "www.", 4) == 0;
}

#define MAX_WORD_BYTES 255

/* Writes three forms of a word whose letters may be stretched ("hellooo"):
 * runs of 3+ cut to two (two: "helloo"), runs of 3+ cut to one with doubles
 * kept (one: "hello"), and every run cut to one (single: "helo"). Each buffer
 * holds MAX_WORD_BYTES + 1. Returns true when a run of three or more was found. */
static bool squeeze(const char *w, size_t n, char *two, char *one, char *single)
{
    bool stretched = false;
    size_t i = 0, t = 0, o = 0, s = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t cl =
            utf8proc_iterate((const utf8proc_uint8_t *)w + i, (utf8proc_ssize_t)(n - i), &cp);
        if (cl <= 0)
            cl = 1;
        size_t run = 1;
        while (i + run * (size_t)cl + (size_t)cl <= n &&
               memcmp(w + i, w + i + run * (size_t)cl, (size_t)cl) == 0)
            run++;
        stretched = stretched || run >= 3;
        const size_t reps[3] = {run >= 2 ? 2 : 1, run == 2 ? 2 : 1, 1};
        char *dst[3] = {two, one, single};
        size_t *len[3] = {&t, &o, &s};
        for (int f = 0; f < 3; f++)
            for (size_t r = 0; r < reps[f]; r++) {
                memcpy(dst[f] + *len[f], w + i, (size_t)cl);
                *len[f] += (size_t)cl;
            }
        i += run * (size_t)cl;
    }
    two[t] = one[o] = single[s] = '\0';
    return stretched;
}

typedef struct tokeniser {
    const lo_normaliser *norm;
    const lo_vocab *vocab;
    const lo_typos *typos;
    lo_tokens *toks;
} tokeniser;

static void push_token(tokeniser *t, const char *w, size_t n, const char *alt, size_t altn)
{
    lo_tokens *toks = t->toks;
    if (n == 0 || n > MAX_WORD_BYTES)
        return;
    lo_grow(&toks->v, &toks->cap, toks->n + 1, sizeof *toks->v);
    lo_token *tk = &toks->v[toks->n++];
    memset(tk, 0, sizeof *tk);
    tk->text_off = (uint32_t)toks->text.len;
    tk->text_len = (uint16_t)n;
    lo_strbuf_add(&toks->text, w, n);
    lo_strbuf_add(&toks->text, "", 1); /* the NUL separates words */
    tk->id = lo_vocab_find(t->vocab, w, n);
    if (alt)
        tk->alt_id = lo_vocab_find(t->vocab, alt, altn);
    if (tk->id == LO_WORD_NONE && tk->alt_id == LO_WORD_NONE && t->typos)
        tk->typo_id = lo_typos_lookup(t->typos, alt ? alt : w, alt ? altn : n);
}

/* A pattern word read from other text (orig): through the leet map, or joined from
 * letters. Text written as a pattern word itself ("k1ll") stays its alternative. */
static void push_rewritten(tokeniser *t, uint32_t id, const char *orig, size_t orign, uint8_t how)
{
    size_t before = t->toks->n;
    const char *w = t->vocab->words[id];
    push_token(t, w, strlen(w), NULL, 0);
    if (t->toks->n == before)
        return;
    lo_token *tk = &t->toks->v[before];
    tk->alt_id = lo_vocab_find(t->vocab, orig, orign);
    tk->rewrite = how;
    tk->orig_off = (uint32_t)t->toks->text.len;
    tk->orig_len = (uint16_t)orign;
    lo_strbuf_add(&t->toks->text, orig, orign);
    lo_strbuf_add(&t->toks->text, "", 1);
}

/* Emits the replacement of w if there is one; returns false otherwise. */
static bool push_replaced(tokeniser *t, const char *w)
{
    const lo_replacement *r = lo_normaliser_replace(t->norm, w);
    if (!r)
        return false;
    for (size_t i = 0; i < r->nto; i++)
        push_token(t, r->to[i], strlen(r->to[i]), NULL, 0);
    return true;
}

/* One word as found in the text (apostrophes already turned into '). */
static void emit_word(tokeniser *t, const char *w, size_t n)
{
    char plain[MAX_WORD_BYTES + 1], bare[MAX_WORD_BYTES + 1];
    char two[MAX_WORD_BYTES + 1], one[MAX_WORD_BYTES + 1], single[MAX_WORD_BYTES + 1];
    if (n > MAX_WORD_BYTES)
        return; /* no pattern word is this long; it cannot match or be echoed usefully */
    memcpy(plain, w, n);
    plain[n] = '\0';
    if (memchr(w, '\'', n) && push_replaced(t, plain))
        return;
    size_t nb = 0;
    for (size_t i = 0; i < n; i++)
        if (w[i] != '\'')
            bare[nb++] = w[i];
    bare[nb] = '\0';
    if (nb == 0)
        return;
    if (squeeze(bare, nb, two, one, single)) {
        /* the plain word may be any of the squeezed forms: prefer one a pattern knows */
        const char *alt = lo_vocab_find(t->vocab, one, strlen(one)) ? one : single;
        if (!push_replaced(t, one) && !push_replaced(t, single) && !push_replaced(t, two))
            push_token(t, two, strlen(two), alt, strlen(alt));
    } else if (!push_replaced(t, bare)) {
        push_token(t, bare, nb, NULL, 0);
    }
}

static bool is_sentence_punct(utf8proc_int32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == '\n' || cp == 0x3002 ||
           cp == 0xFF01 || cp == 0xFF1F;
}

static void mark_clause_end(lo_tokens *toks, utf8proc_int32_t cp)
{
    if (toks->n) {
        toks->v[toks->n - 1].clause_end = true;
        toks->v[toks->n - 1].sentence_end |= is_sentence_punct(cp);
    }
}

/* Readings of one span tried through the leet map; each span is tried once. */
#define LEET_TRIES 32

static bool in_leet_span(const lo_normaliser *norm, utf8proc_int32_t cp)
{
    return lo_fold_is_word_char(cp) || lo_normaliser_leet(norm, cp);
}

/* The end of the span of word and leet characters at s[i]; in *lead and *core the
 * span without the symbols before its first and after its last word character
 * ("!!k!ll!!" -> "k!ll"), which may be punctuation rather than letters; *leet when
 * the span holds a leet character (letters never are one). */
static size_t leet_span(const lo_normaliser *norm, const char *s, size_t n, size_t i, size_t *lead,
                        size_t *core, bool *leet)
{
    *lead = *core = 0;
    *leet = false;
    bool word = false;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t cl =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (cl <= 0 || !in_leet_span(norm, cp))
            break;
        *leet = *leet || (!lo_fold_is_letter(cp) && lo_normaliser_leet(norm, cp));
        if (lo_fold_is_word_char(cp)) {
            if (!word)
                *lead = i;
            word = true;
            *core = i + (size_t)cl;
        }
        i += (size_t)cl;
    }
    if (!word)
        *lead = *core = i;
    return i;
}

/* True when w is a number followed by a unit of measure from the leet file's
 * "amount_units" ("5h", "12hrs", "30mg"): a time or amount, never leet for "sh".
 * A lone "0" is still the letter o. */
static bool is_amount(const lo_normaliser *norm, const char *w, size_t n)
{
    size_t digits = 0;
    while (digits < n && w[digits] >= '0' && w[digits] <= '9')
        digits++;
    bool lone_zero = digits == 1 && w[0] == '0'; /* "0d" is "od", not zero days */
    return digits > 0 && !lone_zero && digits < n &&
           lo_normaliser_is_amount_unit(norm, w + digits, n - digits);
}

/* The word the leet characters of w (n bytes) stand for, unless w is a word of the
 * replacement table ("b4", "2day") or an amount with its unit ("5h"). */
static uint32_t leet_word(const tokeniser *t, const char *w, size_t n)
{
    char plain[MAX_WORD_BYTES + 1];
    if (n == 0 || n > MAX_WORD_BYTES || is_amount(t->norm, w, n))
        return LO_WORD_NONE;
    memcpy(plain, w, n);
    plain[n] = '\0';
    if (lo_normaliser_replace(t->norm, plain))
        return LO_WORD_NONE;
    return lo_leet_read(t->norm, t->vocab, w, n, LEET_TRIES);
}

/* Reads the span s[i, end) through the leet map: whole, then without the symbols
 * around it. Returns the word and its bytes [*from, *to), or LO_WORD_NONE. */
static uint32_t read_leet_span(const tokeniser *t, const char *s, size_t i, size_t end, size_t lead,
                               size_t core, size_t *from, size_t *to)
{
    const size_t starts[4] = {i, i, lead, lead}, ends[4] = {end, core, end, core};
    for (int k = 0; k < 4; k++) {
        if ((k & 1 && core == end) || (k >= 2 && lead == i))
            continue;
        uint32_t id = leet_word(t, s + starts[k], ends[k] - starts[k]);
        if (id != LO_WORD_NONE) {
            *from = starts[k];
            *to = ends[k];
            return id;
        }
    }
    return LO_WORD_NONE;
}

static void flush_word(tokeniser *t, lo_strbuf *word)
{
    if (word->len) {
        emit_word(t, word->data, word->len);
        word->len = 0;
    }
}

/* At s[*i], the start of a span of word and leet characters (*span_end past it): when
 * the span reads as a word through the leet map, emits the word before it and that
 * word, moves *i past it and returns true. */
static bool take_leet_span(tokeniser *t, const char *s, size_t n, size_t *i, size_t *span_end,
                           lo_strbuf *word)
{
    size_t lead, core, from = 0, to = 0;
    bool leet;
    *span_end = leet_span(t->norm, s, n, *i, &lead, &core, &leet);
    uint32_t id = leet ? read_leet_span(t, s, *i, *span_end, lead, core, &from, &to) : LO_WORD_NONE;
    if (id == LO_WORD_NONE)
        return false;
    flush_word(t, word);
    for (; *i < from; (*i)++) /* symbols before the word: ASCII, such as '!' */
        if (is_clause_punct((unsigned char)s[*i]))
            mark_clause_end(t->toks, (unsigned char)s[*i]);
    push_rewritten(t, id, s + from, to - from, LO_REWRITE_LEET);
    *i = to;
    return true;
}

/* A character cp (cl bytes at s) that is not part of a word: an emoji's words or the
 * end of a clause. */
static void not_a_word_char(tokeniser *t, const char *s, size_t cl, utf8proc_int32_t cp)
{
    const lo_replacement *e = lo_normaliser_emoji(t->norm, s, cl);
    if (e) {
        for (size_t k = 0; k < e->nto; k++)
            push_token(t, e->to[k], strlen(e->to[k]), NULL, 0);
    } else if (is_clause_punct(cp)) {
        mark_clause_end(t->toks, cp);
    }
}

static void tokenise_chunk(tokeniser *t, const char *s, size_t n)
{
    lo_strbuf word = {0};
    size_t i = 0, span_end = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t cl =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (cl <= 0) { /* cannot happen after repair, but never loop forever */
            i++;
            continue;
        }
        if (i >= span_end && t->norm && t->norm->nleet && in_leet_span(t->norm, cp) &&
            take_leet_span(t, s, n, &i, &span_end, &word))
            continue;
        if (lo_fold_is_word_char(cp)) {
            lo_strbuf_add(&word, s + i, (size_t)cl);
        } else if (lo_fold_is_apostrophe(cp) && word.len > 0) {
            lo_strbuf_add(&word, "'", 1);
        } else {
            flush_word(t, &word);
            not_a_word_char(t, s + i, (size_t)cl, cp);
        }
        i += (size_t)cl;
    }
    flush_word(t, &word);
    lo_strbuf_free(&word);
}

/* Emits a run of spelled-out letters: joined words, and the letters kept as they are. */
static void emit_spelled(tokeniser *t, const char *s, const lo_spelled *seg, size_t nseg)
{
    for (size_t k = 0; k < nseg; k++) {
        const char *w = s + seg[k].start;
        size_t n = seg[k].end - seg[k].start;
        if (seg[k].id != LO_WORD_NONE)
            push_rewritten(t, seg[k].id, w, n, LO_REWRITE_JOINED);
        else
            tokenise_chunk(t, w, n);
        if (k + 1 < nseg && memchr(s + seg[k].end, '.', seg[k + 1].start - seg[k].end))
            mark_clause_end(t->toks, ','); /* dots between spelled words end no sentence */
    }
}

static void mark_fillers(const lo_normaliser *norm, lo_tokens *toks)
{
    for (size_t i = 0; i < toks->n; i++)
        toks->v[i].is_filler = lo_normaliser_is_filler(norm, lo_token_word(toks, i));
}

static void mark_negation(const lo_normaliser *norm, lo_tokens *toks)
{
    int scope = norm ? norm->negation_scope : 3;
    for (size_t i = 0; i < toks->n; i++) {
        if (!lo_normaliser_is_negator(norm, lo_token_word(toks, i)))
            continue;
        toks->v[i].is_negator = true;
        if (toks->v[i].clause_end)
            continue;
        for (size_t j = i + 1, k = 0; j < toks->n && (int)k < scope; j++, k++) {
            if (lo_normaliser_is_breaker(norm, lo_token_word(toks, j)))
                break;
            toks->v[j].negated = true;
            if (toks->v[j].clause_end)
                break;
        }
    }
}

/* The folded text to read, cut (toks->truncated) when folding made it too long; *mapped
 * is what the caller frees. */
static const char *folded(const lo_strbuf *text, utf8proc_uint8_t **mapped, size_t *n,
                          lo_tokens *toks)
{
    utf8proc_ssize_t mlen = lo_fold_map(text->data, text->len, mapped);
    const char *s = mlen >= 0 ? (const char *)*mapped : text->data;
    *n = mlen >= 0 ? (size_t)mlen : text->len;
    if (*n > text->len * MAX_FOLD_GROWTH) { /* a few code points can fold into many */
        *n = text->len * MAX_FOLD_GROWTH;
        while (*n > 0 && ((unsigned char)s[*n] & 0xC0) == 0x80)
            (*n)--;
        toks->truncated = true;
    }
    return s;
}

/* At s[*i], letters not yet tried as a spelled run (*run_end past those tried): when
 * they are one ("s u i c i d e"), emits it, moves *i past it and returns true. */
static bool take_spelled(tokeniser *t, const char *s, size_t n, size_t *i, size_t *run_end)
{
    lo_spelled seg[LO_SPELLED_MAX];
    size_t nseg;
    *run_end = *i + lo_letters_read(t->norm, t->vocab, s + *i, n - *i, seg, &nseg);
    if (!nseg)
        return false;
    emit_spelled(t, s + *i, seg, nseg);
    *i = *run_end;
    return true;
}

/* The end of the chunk of characters that are not spaces at s[i] (i < n), one byte past
 * a sequence that cannot be read. */
static size_t chunk_end(const char *s, size_t n, size_t i)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t cl = 1;
    while (i < n) {
        cl = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (cl <= 0 || is_space(cp))
            break;
        i += (size_t)cl;
    }
    if (cl <= 0 && i < n)
        i++;
    return i;
}

void lo_text_tokenise(const lo_normaliser *norm, const lo_vocab *vocab, const lo_typos *typos,
                      const char *text, size_t len, lo_tokens *toks)
{
    toks->n = 0;
    toks->text.len = 0;
    toks->truncated = toks->repaired = false;
    if (!text)
        return;
    lo_strbuf repaired = {0};
    repair_utf8(text, len, &repaired, toks);
    lo_strbuf own = {0};
    lo_own_words(repaired.data ? repaired.data : "", repaired.len, &own);
    lo_strbuf_free(&repaired);
    repaired = own;
    if (repaired.len == 0) {
        lo_strbuf_free(&repaired);
        return;
    }
    utf8proc_uint8_t *mapped = NULL;
    size_t n;
    const char *s = folded(&repaired, &mapped, &n, toks);

    tokeniser t = {norm, vocab, typos, toks};
    size_t i = 0, run_end = 0; /* letters before run_end were tried as a spelled run */
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t cl =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (cl <= 0) {
            i++;
            continue;
        }
        if (is_space(cp)) {
            if (cp == '\n')
                mark_clause_end(toks, cp);
            i += (size_t)cl;
            continue;
        }
        if (i >= run_end && take_spelled(&t, s, n, &i, &run_end))
            continue;
        size_t start = i;
        i = chunk_end(s, n, i);
        if (!chunk_is_link_or_mention(s + start, i - start))
            tokenise_chunk(&t, s + start, i - start);
    }
    mark_negation(norm, toks);
    mark_fillers(norm, toks);
    free(mapped);
    lo_strbuf_free(&repaired);
}

void lo_tokens_free(lo_tokens *toks)
{
    free(toks->v);
    lo_strbuf_free(&toks->text);
    memset(toks, 0, sizeof *toks);
}
