/* pattern.c - the pattern language, compiled once at load and matched per
 * message.
 *
 *   word      one word, normalised exactly like messages ("I'm" -> "i am")
 *   !word     the word, not inside a negation's scope
 *   =word     the word exactly: no typo allowance
 *   ~name     one of the phrases of a concept
 *   *         any number of words (lazy; greedy at the end, for {echo})
 *   [a|b c]   optional: one alternative or nothing
 *   (a|b c)   exactly one alternative
 *   ^ $       start / end of the message
 *
 * Matching is a small backtracking search with a step budget, so that no
 * pattern can make a message expensive. It reports the words matched
 * literally and the words covered by inner '*', which rank competing matches.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/pattern.h"
#include "engine/text.h"
#include "engine/vocab.h"
#include "common/buf.h"

#define MATCH_STEP_BUDGET 20000

/* ---- compiling ---- */

typedef struct el_list {
    lo_el *v;
    size_t n, cap;
} el_list;

static lo_el *el_push(el_list *l, uint8_t kind)
{
    lo_grow(&l->v, &l->cap, l->n + 1, sizeof *l->v);
    lo_el *e = &l->v[l->n++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    return e;
}

static bool is_syntax(char c)
{
    return c == '*' || c == '[' || c == ']' || c == '(' || c == ')' || c == '|' || c == '^' ||
           c == '$';
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Turns one written word (maybe "I'm" or "self-harm") into word elements. */
static int compile_words(const lo_pattern_context *ctx, const char *w, size_t n, uint8_t flags,
                         el_list *out, lo_strbuf *err)
{
    lo_tokens toks = {0};
    lo_text_tokenise(ctx->norm, NULL, NULL, w, n, &toks);
    if (toks.n == 0 || toks.repaired) {
        lo_strbuf_addf(err,
                       "\"%.*s\" has no letters or digits to match; write words, "
                       "or use * [ ] ( ) | ^ $ ~ ! = as described in responses/README.md",
                       (int)n, w);
        lo_tokens_free(&toks);
        return -1;
    }
    for (size_t i = 0; i < toks.n; i++) {
        const char *word = lo_token_word(&toks, i);
        lo_el *e = el_push(out, LO_EL_WORD);
        e->flags = flags;
        e->word = lo_vocab_intern(ctx->vocab, word, strlen(word));
    }
    lo_tokens_free(&toks);
    return 0;
}

static const lo_concept *find_concept(const lo_pattern_context *ctx, const char *name, size_t n)
{
    for (size_t i = 0; i < ctx->nconcepts; i++)
        if (strncmp(ctx->concepts[i].name, name, n) == 0 && ctx->concepts[i].name[n] == '\0')
            return &ctx->concepts[i];
    return NULL;
}

static void alt_copy(lo_alt *dst, const lo_alt *src)
{
    dst->n = src->n;
    dst->els = lo_xcalloc(src->n, sizeof *dst->els);
    memcpy(dst->els, src->els, src->n * sizeof *src->els);
}

typedef struct alt_list {
    lo_alt *v;
    size_t n, cap;
} alt_list;

static int add_concept(const lo_pattern_context *ctx, const char *name, size_t n, alt_list *alts,
                       lo_strbuf *err)
{
    const lo_concept *c = find_concept(ctx, name, n);
    if (!c) {
        lo_strbuf_addf(err,
                       "unknown concept \"~%.*s\"; concepts are defined under "
                       "\"concepts\" in responses/normalise/",
                       (int)n, name);
        return -1;
    }
    for (size_t i = 0; i < c->nalts; i++) {
        lo_grow(&alts->v, &alts->cap, alts->n + 1, sizeof *alts->v);
        alt_copy(&alts->v[alts->n++], &c->alts[i]);
    }
    return 0;
}

/* Reads a word chunk at s[*i]; returns its length (0 if none). */
static size_t chunk_len(const char *s, size_t i)
{
    size_t j = i;
    while (s[j] && !is_blank(s[j]) && !is_syntax(s[j]))
        j++;
    return j - i;
}

static uint8_t prefix_flags(const char **w, size_t *n)
{
    uint8_t flags = 0;
    while (*n > 1 && (**w == '!' || **w == '=')) {
        flags |= **w == '!' ? LO_WF_UNNEGATED : LO_WF_EXACT;
        (*w)++;
        (*n)--;
    }
    return flags;
}

static void free_alts(alt_list *alts)
{
    for (size_t i = 0; i < alts->n; i++)
        lo_alt_free(&alts->v[i]);
    free(alts->v);
}

/* Ends the choice cur at a '|' or the closing bracket; -1 when it is empty. */
static int end_choice(alt_list *alts, el_list *cur, lo_strbuf *err)
{
    if (cur->n == 0) {
        lo_strbuf_adds(err, "an empty choice inside brackets; remove the extra '|'");
        return -1;
    }
    lo_grow(&alts->v, &alts->cap, alts->n + 1, sizeof *alts->v);
    alts->v[alts->n].els = cur->v;
    alts->v[alts->n++].n = (uint16_t)cur->n;
    memset(cur, 0, sizeof *cur);
    return 0;
}

/* Reads the ~concept of n bytes at s[*i], which must be a choice on its own (cur_n: the
 * words of the choice before it) and adds its phrases to alts. Returns 1 when the
 * closer followed (*i after it), 0 when a '|' did, -1 on a mistake (*err_col set). */
static int group_concept(const lo_pattern_context *ctx, const char *s, size_t *i, size_t n,
                         char closer, size_t cur_n, alt_list *alts, lo_strbuf *err, int *err_col)
{
    const char *w = s + *i;
    if (cur_n) {
        lo_strbuf_adds(err, "a ~concept must be a choice on its own inside brackets");
        *err_col = (int)*i;
        return -1;
    }
    if (add_concept(ctx, w + 1, n - 1, alts, err) < 0) {
        *err_col = (int)*i;
        return -1;
    }
    *i += n;
    while (is_blank(s[*i]))
        (*i)++;
    if (s[*i] != '|' && s[*i] != closer) {
        lo_strbuf_adds(err, "a ~concept must be a choice on its own inside brackets");
        *err_col = (int)*i;
        return -1;
    }
    return s[(*i)++] == '|' ? 0 : 1;
}

/* The n-byte chunk at src[*i] as words, after its '!' and '=' prefixes; *i moves past it. */
static int compile_prefixed(const lo_pattern_context *ctx, const char *src, size_t *i, size_t n,
                            el_list *els, lo_strbuf *err, int *err_col)
{
    const char *w = src + *i;
    uint8_t flags = prefix_flags(&w, &n);
    if (compile_words(ctx, w, n, flags, els, err) < 0) {
        *err_col = (int)*i;
        return -1;
    }
    *i += (size_t)(w - (src + *i)) + n;
    return 0;
}

/* True (with err written) when c, which is not the closer, cannot be inside a group. */
static bool not_in_group(char c, char closer, lo_strbuf *err)
{
    if (c == '\0') {
        lo_strbuf_addf(err, "a bracket is not closed; add '%c'", closer);
        return true;
    }
    if (is_syntax(c)) {
        lo_strbuf_addf(err,
                       "'%c' cannot be used inside brackets; brackets hold words "
                       "separated by '|'",
                       c);
        return true;
    }
    return false;
}

/* One step of compile_group at s[*i], not a blank: 1 when the group closed, 0 to go on,
 * -1 on a mistake (*err_col set). */
static int group_step(const lo_pattern_context *ctx, const char *s, size_t *i, char closer,
                      alt_list *alts, el_list *cur, lo_strbuf *err, int *err_col)
{
    char c = s[*i];
    if (c == '|' || c == closer) {
        if (end_choice(alts, cur, err) < 0) {
            *err_col = (int)*i;
            return -1;
        }
        (*i)++;
        return c == closer;
    }
    if (not_in_group(c, closer, err)) {
        *err_col = (int)*i;
        return -1;
    }
    size_t n = chunk_len(s, *i);
    if (c == '~')
        return group_concept(ctx, s, i, n, closer, cur->n, alts, err, err_col);
    return compile_prefixed(ctx, s, i, n, cur, err, err_col);
}

/* Parses "[...]" or "(...)" starting after the bracket; *i ends after the closer. */
static int compile_group(const lo_pattern_context *ctx, const char *s, size_t *i, char closer,
                         lo_el *group, lo_strbuf *err, int *err_col)
{
    alt_list alts = {0};
    el_list cur = {0};
    int step = 0;
    while (step == 0) {
        if (is_blank(s[*i]))
            (*i)++;
        else
            step = group_step(ctx, s, i, closer, &alts, &cur, err, err_col);
    }
    if (step < 0) {
        free(cur.v);
        free_alts(&alts);
        return -1;
    }
    group->alts = alts.v;
    group->nalts = (uint16_t)alts.n;
    return 0;
}

/* '*': a run of them is one element; stars counts the runs. */
static int compile_star(el_list *els, size_t *stars, lo_strbuf *err)
{
    if (!els->n || els->v[els->n - 1].kind != LO_EL_STAR) {
        if (++*stars >= LO_MATCH_RUNS) { /* each '*' may start a new run of words */
            lo_strbuf_addf(err,
                           "a pattern can hold at most %d '*'; split it into "
                           "two patterns",
                           LO_MATCH_RUNS - 1);
            return -1;
        }
        el_push(els, LO_EL_STAR);
    }
    return 0;
}

/* '^', only at the start. */
static int compile_begin(el_list *els, lo_strbuf *err)
{
    if (els->n) {
        lo_strbuf_adds(err, "'^' (start of message) can only begin a pattern");
        return -1;
    }
    el_push(els, LO_EL_BEGIN);
    return 0;
}

/* '$' at src[i], only at the end. */
static int compile_end(const char *src, size_t i, el_list *els, lo_strbuf *err)
{
    size_t j = i + 1;
    while (is_blank(src[j]))
        j++;
    if (src[j]) {
        lo_strbuf_adds(err, "'$' (end of message) can only end a pattern");
        return -1;
    }
    el_push(els, LO_EL_END);
    return 0;
}

/* A word chunk at src[*i]: a ~concept (one element with its phrases) or words. */
static int compile_chunk(const lo_pattern_context *ctx, const char *src, size_t *i, el_list *els,
                         lo_strbuf *err, int *err_col)
{
    size_t n = chunk_len(src, *i);
    const char *w = src + *i;
    if (*w == '~') {
        alt_list alts = {0};
        if (add_concept(ctx, w + 1, n - 1, &alts, err) < 0) {
            *err_col = (int)*i;
            return -1;
        }
        lo_el group = {.kind = LO_EL_ONE, .alts = alts.v, .nalts = (uint16_t)alts.n};
        *el_push(els, LO_EL_ONE) = group;
        *i += n;
        return 0;
    }
    return compile_prefixed(ctx, src, i, n, els, err, err_col);
}

/* Compiles the element at src[*i] (not a blank) into els and moves *i past it; on a
 * mistake writes err and *err_col and returns -1. */
static int compile_element(const lo_pattern_context *ctx, const char *src, size_t *i, el_list *els,
                           size_t *stars, lo_strbuf *err, int *err_col)
{
    char c = src[*i];
    int rc;
    if (c == '*') {
        rc = compile_star(els, stars, err);
    } else if (c == '^') {
        rc = compile_begin(els, err);
    } else if (c == '$') {
        rc = compile_end(src, *i, els, err);
    } else if (c == '[' || c == '(') {
        lo_el group = {.kind = c == '[' ? LO_EL_OPT : LO_EL_ONE};
        (*i)++;
        if (compile_group(ctx, src, i, c == '[' ? ']' : ')', &group, err, err_col) < 0)
            return -1;
        *el_push(els, group.kind) = group;
        return 0;
    } else if (c == ']' || c == ')' || c == '|') {
        lo_strbuf_addf(err, "'%c' without an opening bracket before it", c);
        rc = -1;
    } else {
        return compile_chunk(ctx, src, i, els, err, err_col);
    }
    if (rc < 0) {
        *err_col = (int)*i;
        return -1;
    }
    (*i)++;
    return 0;
}

/* A word or a group; '*' alone would match anything. */
static bool has_content(const el_list *els)
{
    for (size_t k = 0; k < els->n; k++)
        if (els->v[k].kind == LO_EL_WORD || els->v[k].kind == LO_EL_OPT ||
            els->v[k].kind == LO_EL_ONE)
            return true;
    return false;
}

int lo_pattern_compile(const lo_pattern_context *ctx, const char *src, lo_pattern *out,
                       lo_strbuf *err, int *err_col)
{
    el_list els = {0};
    size_t i = 0, stars = 0;
    *err_col = 0;
    memset(out, 0, sizeof *out);
    while (src[i]) {
        if (is_blank(src[i])) {
            i++;
            continue;
        }
        if (compile_element(ctx, src, &i, &els, &stars, err, err_col) < 0)
            goto fail;
    }
    if (!has_content(&els) && !(els.n == 2 && els.v[0].kind == LO_EL_BEGIN)) {
        lo_strbuf_adds(err, "the pattern is empty; write at least one word");
        *err_col = (int)i;
        goto fail;
    }
    out->els = els.v;
    out->n = (uint16_t)els.n;
    out->source = lo_xstrdup(src);
    return 0;
fail:
    out->els = els.v;
    out->n = (uint16_t)els.n;
    lo_pattern_free(out);
    return -1;
}

int lo_pattern_compile_phrase(const lo_pattern_context *ctx, const char *src, lo_alt *out,
                              lo_strbuf *err)
{
    el_list els = {0};
    size_t i = 0;
    while (src[i]) {
        if (is_blank(src[i])) {
            i++;
            continue;
        }
        size_t n = chunk_len(src, i);
        if (n == 0) {
            lo_strbuf_addf(err, "'%c' cannot be used in a concept's words; write plain words",
                           src[i]);
            free(els.v);
            return -1;
        }
        if (compile_words(ctx, src + i, n, 0, &els, err) < 0) {
            free(els.v);
            return -1;
        }
        i += n;
    }
    if (!els.n) {
        lo_strbuf_adds(err, "an empty entry; write a word or phrase");
        return -1;
    }
    out->els = els.v;
    out->n = (uint16_t)els.n;
    return 0;
}

void lo_alt_free(lo_alt *a)
{
    free(a->els);
    a->els = NULL;
    a->n = 0;
}

void lo_pattern_free(lo_pattern *p)
{
    for (uint16_t i = 0; i < p->n; i++) {
        for (uint16_t j = 0; j < p->els[i].nalts; j++)
            lo_alt_free(&p->els[i].alts[j]);
        free(p->els[i].alts);
    }
    free(p->els);
    free(p->source);
    memset(p, 0, sizeof *p);
}

/* ---- matching ---- */

typedef struct acc {
    uint16_t literal, wildcard, typos;
    int first, last;          /* token span of the words matched literally */
    int echo_start, echo_end; /* first '*' */
    uint16_t nruns;           /* runs of adjacent literal words */
    uint16_t run_start[LO_MATCH_RUNS], run_end[LO_MATCH_RUNS];
} acc;

typedef struct search {
    const lo_pattern *p;
    const lo_tokens *t;
    unsigned budget;
    acc result;
} search;

static bool word_matches(const lo_el *w, const lo_token *tk, bool *typo)
{
    if ((w->flags & LO_WF_UNNEGATED) && tk->negated)
        return false;
    if (tk->id == w->word || tk->alt_id == w->word)
        return true;
    if (!(w->flags & LO_WF_EXACT) && tk->typo_id == w->word && w->word != LO_WORD_NONE) {
        *typo = true;
        return true;
    }
    return false;
}

static void note_literal(acc *a, size_t ti, bool typo)
{
    if (a->first < 0)
        a->first = (int)ti;
    a->last = (int)ti;
    a->literal++;
    if (a->nruns && a->run_end[a->nruns - 1] == ti)
        a->run_end[a->nruns - 1] = (uint16_t)(ti + 1);
    else if (a->nruns < LO_MATCH_RUNS) { /* lo_pattern_compile keeps patterns within the bound */
        a->run_start[a->nruns] = (uint16_t)ti;
        a->run_end[a->nruns++] = (uint16_t)(ti + 1);
    }
    if (typo)
        a->typos++;
}

/* The token after the filler words at ti ("i want to fucking die"), when a word of
 * the pattern has matched before them and no clause break lies on the way; else ti. */
static size_t past_fillers(const lo_tokens *t, size_t ti, const acc *a)
{
    if (a->last < 0 || ti == 0)
        return ti;
    size_t k = ti;
    while (k < t->n && t->v[k].is_filler && !t->v[k - 1].clause_end)
        k++;
    return k > ti && !t->v[k - 1].clause_end ? k : ti;
}

/* Matches word w at token *ti, or past the filler words there; moves *ti to the
 * token matched. */
static bool word_at(const lo_el *w, const lo_tokens *t, size_t *ti, const acc *a, bool *typo)
{
    if (*ti < t->n && word_matches(w, &t->v[*ti], typo))
        return true;
    size_t k = past_fillers(t, *ti, a);
    if (k == *ti || k >= t->n || !word_matches(w, &t->v[k], typo))
        return false;
    *ti = k;
    return true;
}

/* Matches alternative alt at token ti; returns words consumed or -1. */
static int alt_match(const lo_alt *alt, const lo_tokens *t, size_t ti, acc *a)
{
    acc tmp = *a;
    size_t at = ti;
    for (uint16_t k = 0; k < alt->n; k++, at++) {
        bool typo = false;
        if (!word_at(&alt->els[k], t, &at, &tmp, &typo))
            return -1;
        note_literal(&tmp, at, typo);
    }
    *a = tmp;
    return (int)(at - ti);
}

int lo_alt_match_at(const lo_alt *alt, const lo_tokens *t, size_t ti)
{
    acc a = {.first = -1, .last = -1, .echo_start = -1, .echo_end = -1};
    return alt_match(alt, t, ti, &a);
}

static bool only_end_after(const lo_pattern *p, size_t ei)
{
    for (size_t k = ei + 1; k < p->n; k++)
        if (p->els[k].kind != LO_EL_END)
            return false;
    return true;
}

static bool seq(search *s, size_t ei, size_t ti, acc a);

/* '*' at element ei: takes as few words as it can (as many at the end, for {echo}). */
static bool seq_star(search *s, size_t ei, size_t ti, acc a)
{
    const lo_pattern *p = s->p;
    size_t room = s->t->n - ti;
    bool edge = ei == 0 || (ei == 1 && p->els[0].kind == LO_EL_BEGIN) || only_end_after(p, ei);
    bool greedy = only_end_after(p, ei);
    for (size_t k = 0; k <= room; k++) {
        size_t take = greedy ? room - k : k;
        acc b = a;
        if (b.echo_start < 0) {
            b.echo_start = (int)ti;
            b.echo_end = (int)(ti + take);
        }
        if (!edge)
            b.wildcard = (uint16_t)(b.wildcard + take);
        if (seq(s, ei + 1, ti + take, b))
            return true;
        if (s->budget == 0)
            return false;
    }
    return false;
}

/* A group at element ei: each alternative in turn, then (optional groups) none. */
static bool seq_choice(search *s, const lo_el *e, size_t ei, size_t ti, acc a)
{
    for (uint16_t k = 0; k < e->nalts; k++) {
        acc b = a;
        int used = alt_match(&e->alts[k], s->t, ti, &b);
        if (used >= 0 && seq(s, ei + 1, ti + (size_t)used, b))
            return true;
    }
    return e->kind == LO_EL_OPT && seq(s, ei + 1, ti, a);
}

static bool seq(search *s, size_t ei, size_t ti, acc a)
{
    if (s->budget == 0)
        return false;
    s->budget--;
    const lo_pattern *p = s->p;
    const lo_tokens *t = s->t;
    if (ei == p->n) {
        s->result = a;
        return true;
    }
    const lo_el *e = &p->els[ei];
    switch (e->kind) {
    case LO_EL_BEGIN:
        return ti == 0 && seq(s, ei + 1, ti, a);
    case LO_EL_END:
        return ti == t->n && seq(s, ei + 1, ti, a);
    case LO_EL_WORD: {
        bool typo = false;
        if (!word_at(e, t, &ti, &a, &typo))
            return false;
        note_literal(&a, ti, typo);
        return seq(s, ei + 1, ti + 1, a);
    }
    case LO_EL_STAR:
        return seq_star(s, ei, ti, a);
    case LO_EL_OPT:
    case LO_EL_ONE:
        return seq_choice(s, e, ei, ti, a);
    }
    return false;
}

/* A cheap test of the first element before the search starts at ti. */
static bool could_start(const lo_pattern *p, const lo_tokens *t, size_t ti)
{
    if (!p->n || ti > t->n)
        return ti <= t->n;
    const lo_el *e = &p->els[0];
    bool typo = false;
    if (e->kind == LO_EL_WORD)
        return ti < t->n && word_matches(e, &t->v[ti], &typo);
    if (e->kind == LO_EL_ONE) {
        for (uint16_t k = 0; ti < t->n && k < e->nalts; k++)
            if (word_matches(&e->alts[k].els[0], &t->v[ti], &typo))
                return true;
        return false;
    }
    return true;
}

bool lo_pattern_match(const lo_pattern *p, const lo_tokens *toks, size_t from, lo_match *m)
{
    search s = {.p = p, .t = toks, .budget = MATCH_STEP_BUDGET};
    acc start = {.first = -1, .last = -1, .echo_start = -1, .echo_end = -1};
    /* a leading '*' can absorb any prefix, so one start is enough */
    bool one_start = p->n && (p->els[0].kind == LO_EL_BEGIN || p->els[0].kind == LO_EL_STAR);
    size_t last_start = one_start ? 0 : toks->n;
    if (from > last_start)
        return false;
    for (size_t ti = from; ti <= last_start; ti++) {
        if (!could_start(p, toks, ti))
            continue;
        if (seq(&s, 0, ti, start)) {
            memset(m, 0, sizeof *m);
            m->start = (uint16_t)(s.result.first < 0 ? ti : (size_t)s.result.first);
            m->end = (uint16_t)(s.result.last < 0 ? ti : (size_t)s.result.last + 1);
            m->literal = s.result.literal;
            m->wildcard = s.result.wildcard;
            m->typos = s.result.typos;
            m->nruns = s.result.nruns;
            memcpy(m->run_start, s.result.run_start, sizeof m->run_start);
            memcpy(m->run_end, s.result.run_end, sizeof m->run_end);
            m->echo_start = (uint16_t)(s.result.echo_start < 0 ? 0 : s.result.echo_start);
            m->echo_end = (uint16_t)(s.result.echo_start < 0 ? toks->n : (size_t)s.result.echo_end);
            return true;
        }
        if (s.budget == 0)
            return false;
    }
    return false;
}
