/* check.c - `leanon check`: the test suite moderators get for free. Every
 * rule's examples must choose that rule and its "not" lines must not; a guard's
 * examples must not be taken as a crisis; real ties (two rules taking an
 * example at the same score, parted only by id order) and shadowed rules (a
 * rule none of whose examples it wins) are named; golden conversations in
 * tests/ are replayed step by step with the explanation of any failure; a
 * region's helplines not yet verified, or verified more than 6 months ago, is
 * a warning, and more than 12 months ago a failure. */
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/date.h"
#include "engine/helplines.h"
#include "engine/matches.h"
#include "engine/pattern.h"
#include "engine/rules.h"
#include "engine/session.h"
#include "engine/set.h"
#include "engine/text.h"
#include "engine/load.h"
#include "leanon/tools.h"
#include "leanon/engine.h"
#include "common/buf.h"

static void one_reply(const lo_engine *e, lo_session *conv, const char *text, lo_reply *r)
{
    lo_message msg = {.platform = "check", .text = text, .text_len = strlen(text)};
    lo_engine_reply(e, conv, &msg, NULL, r);
}

/* The best match of rule r and the overall winner among its stage, on text. */
static bool tie_for(const lo_engine *e, const lo_rule *r, const char *text, const char **other)
{
    lo_tokens toks = {0};
    lo_matches ms = {0};
    lo_engine_tokenise(e, text, strlen(text), &toks);
    lo_engine_match_all(e, &toks, &ms);
    const lo_match *win = r->crisis ? lo_best_crisis(e, &ms, &toks) : lo_best_rule(e, &ms);
    bool tie = false;
    for (size_t i = 0; win && i < ms.n; i++) {
        const lo_match *m = &ms.v[i];
        const lo_pattern *p = &e->patterns[m->pattern];
        if (p->owner_kind != LO_OWNER_RULE || m == win)
            continue;
        const lo_rule *o = &e->rules[p->owner];
        const lo_rule *w = &e->rules[e->patterns[win->pattern].owner];
        if (o == w || o->crisis != w->crisis)
            continue;
        if (o->priority == w->priority && m->literal == win->literal &&
            m->wildcard == win->wildcard) {
            tie = true;
            *other = o == r ? w->id : o->id;
        }
    }
    lo_matches_free(&ms);
    lo_tokens_free(&toks);
    return tie;
}

/* s as one shell word: as it is when it is plain, else in single quotes. */
static void print_shell_word(const char *s, FILE *out)
{
    if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-=+,") ==
                  strlen(s)) {
        fputs(s, out);
        return;
    }
    fputc('\'', out);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", out); /* end the quotes, a quoted ', quotes again */
        else
            fputc(*s, out);
    }
    fputc('\'', out);
}

/* The command that explains how text is answered by the set in dir (NULL: the default). */
static void print_explain_command(const char *text, const char *dir, FILE *out)
{
    fputs("echo ", out);
    print_shell_word(text, out);
    fputs(" | leanon match --explain", out);
    if (dir) {
        fputs(" --responses ", out);
        print_shell_word(dir, out);
    }
}

/* Example k of rule r must choose r (and is reported when it ties with another rule);
 * returns whether it did. */
static bool check_example(const lo_engine *e, const lo_rule *r, size_t k, const char *dir,
                          FILE *out, lo_check_summary *s)
{
    lo_reply rep;
    one_reply(e, NULL, r->examples[k], &rep);
    s->examples++;
    const char *other = NULL;
    bool won = strcmp(rep.rule_id, r->id) == 0;
    int line = r->example_lines ? r->example_lines[k] : r->line;
    if (!won) {
        s->failures++;
        fprintf(out,
                "%s:%d: error: example \"%s\" of rule \"%s\" chose %s%s%s (%s) "
                "instead; see why with: ",
                r->file, line, r->examples[k], r->id, rep.rule_id[0] ? "rule \"" : "",
                rep.rule_id[0] ? rep.rule_id : "no rule", rep.rule_id[0] ? "\"" : "", rep.category);
        print_explain_command(r->examples[k], dir, out);
        fputc('\n', out);
    } else if (tie_for(e, r, r->examples[k], &other)) {
        s->ties++;
        fprintf(out,
                "%s:%d: warning: tie: example \"%s\" is matched by rules "
                "\"%s\" and \"%s\" at the same score; only id order decides. "
                "Give one a higher priority or a more specific pattern\n",
                r->file, line, r->examples[k], r->id, other);
    }
    lo_reply_clear(&rep);
    return won;
}

/* No "not" line of rule r may choose it. */
static void check_nots(const lo_engine *e, const lo_rule *r, FILE *out, lo_check_summary *s)
{
    for (size_t k = 0; k < r->nnots; k++) {
        lo_reply rep;
        one_reply(e, NULL, r->nots[k], &rep);
        s->nots++;
        if (strcmp(rep.rule_id, r->id) == 0) {
            s->failures++;
            fprintf(out,
                    "%s:%d:%d: error: \"not\" line \"%s\" of rule \"%s\" chose that "
                    "rule; make its patterns narrower\n",
                    r->file, r->line, r->column, r->nots[k], r->id);
        }
        lo_reply_clear(&rep);
    }
}

static void check_rules(const lo_engine *e, const char *dir, FILE *out, lo_check_summary *s)
{
    for (size_t i = 0; i < e->nrules; i++) {
        const lo_rule *r = &e->rules[i];
        size_t won = 0;
        s->rules++;
        for (size_t k = 0; k < r->nexamples; k++)
            won += check_example(e, r, k, dir, out, s);
        if (r->nexamples && won == 0)
            fprintf(out,
                    "%s:%d:%d: error: rule \"%s\" is shadowed: it wins none of its own "
                    "examples\n",
                    r->file, r->line, r->column, r->id);
        check_nots(e, r, out, s);
    }
}

static void check_guards(const lo_engine *e, FILE *out, lo_check_summary *s)
{
    for (size_t i = 0; i < e->nguards; i++) {
        const lo_guard *g = &e->guards[i];
        for (size_t k = 0; k < g->nexamples; k++) {
            lo_reply rep;
            one_reply(e, NULL, g->examples[k], &rep);
            s->guard_examples++;
            if (rep.crisis) {
                s->failures++;
                fprintf(out,
                        "%s:%d:%d: error: example \"%s\" of guard \"%s\" is still taken "
                        "as a crisis by rule \"%s\"\n",
                        g->file, g->line, g->column, g->examples[k], g->id, rep.rule_id);
            }
            lo_reply_clear(&rep);
        }
    }
}

/* Step i of a golden conversation (its place sp): the reply to "say" must be the rule
 * or category "expect" (and, when the step has "also", acknowledge that category in an
 * "also" line); the explanation is printed when it is not. */
static void replay_step(const lo_engine *e, const char *path, lo_session *conv, size_t i,
                        json_t *step, const lo_jpos *sp, FILE *out, lo_check_summary *s)
{
    const char *say = json_string_value(json_object_get(step, "say"));
    const char *expect = json_string_value(json_object_get(step, "expect"));
    if (!say || !expect) {
        fprintf(out, "%s:%d:%d: error: each step needs \"say\" and \"expect\"\n", path,
                sp ? sp->line : 0, sp ? sp->column : 0);
        s->failures++;
        return;
    }
    s->transcript_steps++;
    lo_session before;
    lo_session_copy(&before, conv);
    lo_reply rep;
    one_reply(e, conv, say, &rep);
    const char *also = json_string_value(json_object_get(step, "also"));
    if (also && strcmp(rep.also_category, also) != 0) {
        s->failures++;
        fprintf(out, "%s:%d:%d: error: step %zu, \"%s\": expected an \"also\" line of %s, got %s\n",
                path, sp ? sp->line : 0, sp ? sp->column : 0, i + 1, say, also,
                rep.also_category[0] ? rep.also_category : "none");
    }
    if (strcmp(rep.rule_id, expect) != 0 && strcmp(rep.category, expect) != 0) {
        s->failures++;
        fprintf(out,
                "%s:%d:%d: error: step %zu, \"%s\": expected %s, got rule \"%s\" "
                "(%s). Explanation:\n",
                path, sp ? sp->line : 0, sp ? sp->column : 0, i + 1, say, expect, rep.rule_id,
                rep.category);
        lo_explain(e, &before, say, false, out);
    }
    lo_session_forget_kept(&before);
    lo_reply_clear(&rep);
}

static void replay(const lo_engine *e, const char *path, FILE *out, lo_check_summary *s)
{
    lo_diags *d = lo_diags_new();
    lo_jpos *pos = NULL;
    json_t *root = lo_load_json(path, d, &pos);
    json_t *steps = root ? json_object_get(root, "conversation") : NULL;
    if (!json_is_array(steps)) {
        if (root)
            fprintf(out,
                    "%s:1:1: error: a golden conversation needs \"conversation\": "
                    "[{\"say\": \"...\", \"expect\": \"rule-or-category\"}, ...]\n",
                    path);
        else
            lo_diags_print(d, out);
        s->failures++;
        goto done;
    }
    lo_sessions *sessions = lo_sessions_new(NULL);
    lo_sessions_seed(sessions, 1);
    lo_session *conv = lo_sessions_get(sessions, path, 0);
    size_t i;
    json_t *step;
    json_array_foreach (steps, i, step)
        replay_step(e, path, conv, i, step, lo_jpos_index(lo_jpos_key(pos, "conversation"), i), out,
                    s);
    lo_sessions_free(sessions);
done:
    json_decref(root);
    lo_jpos_free(pos);
    lo_diags_free(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check_transcripts(const lo_engine *e, const char *dir, FILE *out, lo_check_summary *s)
{
    lo_strbuf tdir = {0};
    lo_strbuf_addf(&tdir, "%s/tests", dir);
    DIR *d = opendir(tdir.data);
    char **files = NULL;
    size_t n = 0, cap = 0;
    struct dirent *ent;
    while (d && (ent = readdir(d))) {
        size_t len = strlen(ent->d_name);
        if (ent->d_name[0] == '.' || len < 6 || strcmp(ent->d_name + len - 5, ".json") != 0)
            continue;
        lo_strbuf p = {0};
        lo_strbuf_addf(&p, "%s/%s", tdir.data, ent->d_name);
        lo_grow(&files, &cap, n + 1, sizeof *files);
        files[n++] = lo_strbuf_take(&p);
    }
    if (d)
        closedir(d);
    if (n > 1)
        qsort(files, n, sizeof *files, cmp_str);
    for (size_t i = 0; i < n; i++) {
        replay(e, files[i], out, s);
        free(files[i]);
    }
    free(files);
    lo_strbuf_free(&tdir);
}

/* Today (UTC), or LEANON_TODAY (YYYY-MM-DD) when set: for tests only, so
 * they do not depend on the clock. */
static lo_date today(void)
{
    lo_date d;
    if (lo_date_parse(getenv("LEANON_TODAY"), &d))
        return d;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return (lo_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

/* Helplines move: a region's numbers are checked against its source at
 * least every 6 months, and refused after 12. */
static void check_helplines(const lo_engine *e, FILE *out, lo_check_summary *s)
{
    lo_date now = today(), v;
    for (size_t i = 0; i < e->nregions; i++) {
        const lo_region *r = &e->regions[i];
        if (!lo_date_parse(r->verified, &v)) {
            s->warnings++;
            fprintf(out,
                    "%s:%d:%d: warning: region \"%s\" is not yet verified: check it "
                    "against its source and add the date (\"verified\": \"YYYY-MM-DD\")\n",
                    r->file, r->line, r->column, r->code);
        } else if (lo_date_older_than(v, now, 12)) {
            s->failures++;
            fprintf(out,
                    "%s:%d:%d: error: region \"%s\" was verified on %s, more than 12 "
                    "months ago: check it against its source and update the date\n",
                    r->file, r->line, r->column, r->code, r->verified);
        } else if (lo_date_older_than(v, now, 6)) {
            s->warnings++;
            fprintf(out,
                    "%s:%d:%d: warning: region \"%s\" was verified on %s, more than 6 "
                    "months ago: check it against its source and update the date\n",
                    r->file, r->line, r->column, r->code, r->verified);
        }
    }
}

void lo_check_run(const lo_engine *e, const char *dir, FILE *out, lo_check_summary *s)
{
    memset(s, 0, sizeof *s);
    check_rules(e, dir, out, s);
    check_guards(e, out, s);
    check_helplines(e, out, s);
    if (dir)
        check_transcripts(e, dir, out, s);
}
