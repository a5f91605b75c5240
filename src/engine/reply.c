/* reply.c - turning a chosen rule into the text a person reads.
 *
 * lo_pick gives each conversation every reply of a rule once before any
 * repeats (and never the same one twice in a row). lo_reply_render fills the
 * placeholders: {name} (display name, cleaned of mentions and markup),
 * {echo} (the person's words turned around, ELIZA-style: "my" -> "your"),
 * {helplines} (the region's lines), {reason} (why the last reply came, for "why"). {echo} is built only from normalised
 * words joined by spaces, so it cannot carry a mention, a link or markup.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "engine/helplines.h"
#include "engine/pattern.h"
#include "engine/reply.h"
#include "engine/session.h"
#include "engine/text.h"
#include "leanon/engine.h"
#include "common/buf.h"

#define MAX_ECHO_WORDS 30
#define MAX_NAME_BYTES 40

const char *lo_pick(lo_session *conv, uint64_t key_hash, char *const *texts, size_t n)
{
    if (n == 0)
        return "";
    if (!conv || n == 1)
        return texts[conv ? lo_session_random(conv) % n : 0];
    if (n > 64)
        n = 64;
    lo_used_replies *u = lo_session_used(conv, key_hash);
    uint64_t all = n == 64 ? ~0ull : ((1ull << n) - 1);
    uint64_t blocked = u->mask & all;
    if (blocked == all) { /* all used: a new round, but not starting with the last one */
        u->mask = 0;
        blocked = u->last ? 1ull << (u->last - 1) : 0;
    }
    size_t free_count = 0;
    for (size_t i = 0; i < n; i++)
        free_count += !(blocked >> i & 1);
    if (free_count == 0) /* cannot happen (a round always leaves one), but never divide by 0 */
        return texts[0];
    size_t k = (size_t)(lo_session_random(conv) % free_count);
    for (size_t i = 0; i < n; i++) {
        if (blocked >> i & 1)
            continue;
        if (k-- == 0) {
            u->mask |= 1ull << i;
            u->last = (uint32_t)i + 1;
            return texts[i];
        }
    }
    return texts[0];
}

typedef struct swap {
    const char *from, *to;
} swap;

static const swap swaps[] = {
    {"i", "you"},           {"me", "you"},     {"my", "your"}, {"mine", "yours"},
    {"myself", "yourself"}, {"am", "are"},     {"we", "you"},  {"us", "you"},
    {"our", "your"},        {"ours", "yours"}, {"your", "my"}, {"yours", "mine"},
    {"yourself", "myself"},
};

static const char *swap_word(const char *w, const char *prev, const char *next)
{
    if (strcmp(w, "you") == 0) /* subject before a verb-ish word, else object */
        return (!prev || strcmp(prev, "and") == 0 || strcmp(prev, "that") == 0 ||
                strcmp(prev, "but") == 0 ||
                (next && (strcmp(next, "are") == 0 || strcmp(next, "do") == 0)))
                   ? "i"
                   : "me";
    if (strcmp(w, "are") == 0 && prev && strcmp(prev, "you") == 0)
        return "am";
    if (strcmp(w, "was") == 0 && prev && strcmp(prev, "i") == 0)
        return "were";
    for (size_t i = 0; i < sizeof swaps / sizeof *swaps; i++)
        if (strcmp(w, swaps[i].from) == 0)
            return swaps[i].to;
    return w;
}

/* Appends "you"-turned words of toks[start,end) to out. */
static void reflect(const lo_tokens *toks, size_t start, size_t end, lo_strbuf *out)
{
    if (end > toks->n)
        end = toks->n;
    if (end > start + MAX_ECHO_WORDS)
        end = start + MAX_ECHO_WORDS;
    for (size_t i = start; i < end; i++) {
        const char *prev = i > start ? lo_token_word(toks, i - 1) : NULL;
        const char *next = i + 1 < end ? lo_token_word(toks, i + 1) : NULL;
        if (i > start)
            lo_strbuf_add(out, " ", 1);
        lo_strbuf_adds(out, swap_word(lo_token_word(toks, i), prev, next));
    }
}

void lo_reply_safe_text(const char *text, size_t n, size_t max_bytes, const char *cut,
                        lo_strbuf *out)
{
    size_t start = out->len;
    bool space = false;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)text + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) { /* invalid UTF-8: skip the byte */
            i++;
            continue;
        }
        bool markup = cp < 0x80 && strchr("@<>[]()*_~`|:/\\#!{}", (int)cp) != NULL;
        if (cp < 0x20 || cp == 0x7F || markup || cp == ' ') {
            space = out->len > start;
        } else {
            if (out->len - start + (size_t)k + (space ? 1 : 0) > max_bytes) {
                lo_strbuf_adds(out, cut);
                break;
            }
            if (space)
                lo_strbuf_add(out, " ", 1);
            space = false;
            lo_strbuf_add(out, text + i, (size_t)k);
        }
        i += (size_t)k;
    }
}

/* Writes a display name with mentions, links and markup removed ("friend" when none is left). */
static void safe_name(const char *name, lo_strbuf *out)
{
    size_t start = out->len;
    lo_reply_safe_text(name ? name : "", name ? strlen(name) : 0, MAX_NAME_BYTES, "", out);
    if (out->len == start)
        lo_strbuf_adds(out, "friend");
}

/* {echo}: the words the match's first * covered (the whole message when it covered none),
 * turned around. */
static void render_echo(const lo_tokens *toks, const lo_match *m, lo_strbuf *b)
{
    size_t s = m ? m->echo_start : 0, t = m ? m->echo_end : toks->n;
    if (s >= t) {
        s = 0;
        t = toks->n;
    }
    lo_strbuf echo = {0};
    reflect(toks, s, t, &echo);
    lo_strbuf_adds(b, echo.len ? echo.data : "that");
    lo_strbuf_free(&echo);
}

char *lo_reply_render(const lo_engine *e, const char *tmpl, const lo_message *msg,
                      const lo_tokens *toks, const lo_match *m, const char *region, bool crisis,
                      bool domestic, const char *reason)
{
    lo_strbuf b = {0};
    bool had_helplines = false;
    for (const char *p = tmpl; *p;) {
        if (strncmp(p, "{name}", 6) == 0) {
            safe_name(msg ? msg->author_name : NULL, &b);
            p += 6;
        } else if (strncmp(p, "{echo}", 6) == 0) {
            render_echo(toks, m, &b);
            p += 6;
        } else if (strncmp(p, "{reason}", 8) == 0) {
            lo_strbuf_adds(&b, reason ? reason : "");
            p += 8;
        } else if (strncmp(p, "{helplines}", 11) == 0) {
            lo_helplines_render(e, region, domestic, &b);
            had_helplines = true;
            p += 11;
        } else {
            lo_strbuf_add(&b, p, 1);
            p++;
        }
    }
    if (crisis && !had_helplines) { /* crisis replies always carry the lines */
        lo_strbuf_adds(&b, "\n\n");
        lo_helplines_render(e, region, domestic, &b);
    }
    return lo_strbuf_take(&b);
}
