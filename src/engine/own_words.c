/* own_words.c - which parts of a message are the person's own words.
 *
 * Quoted text and code are someone else's words, or not words at all: a line
 * that starts with '>' (a quote in Markdown, Discord, Slack, Matrix and
 * e-mail), everything after a line that starts with ">>>" (Discord's quote of
 * the rest), lines between ``` fences, and `inline code`. They are left out,
 * so "> I want to die" quoted from a song is not read as the person's crisis,
 * and a pasted log is not read at all. Spoilers (||text||) are the person's
 * own words and stay. Line breaks are kept, so sentences still end there.
 */
#include <stdbool.h>
#include <string.h>

#include "engine/text.h"
#include "common/buf.h"

static bool starts_with(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

/* Appends line [s, s+n) without its `inline code` spans (paired backticks). */
static void add_without_code(const char *s, size_t n, lo_strbuf *out)
{
    size_t i = 0;
    while (i < n) {
        const char *tick = memchr(s + i, '`', n - i);
        const char *close = tick ? memchr(tick + 1, '`', (size_t)(s + n - tick - 1)) : NULL;
        if (!close) {
            lo_strbuf_add(out, s + i, n - i);
            return;
        }
        lo_strbuf_add(out, s + i, (size_t)(tick - (s + i)));
        lo_strbuf_add(out, " ", 1);
        i = (size_t)(close + 1 - s);
    }
}

void lo_own_words(const char *s, size_t n, lo_strbuf *out)
{
    bool fenced = false;
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) : n;
        size_t lead = i;
        while (lead < end && (s[lead] == ' ' || s[lead] == '\t'))
            lead++;
        const char *line = s + lead;
        size_t len = end - lead;
        if (starts_with(line, len, "```"))
            fenced = !fenced;
        else if (!fenced && starts_with(line, len, ">>>"))
            return; /* Discord: the rest of the message is a quote */
        else if (!fenced && !starts_with(line, len, ">"))
            add_without_code(s + i, end - i, out);
        if (nl)
            lo_strbuf_add(out, "\n", 1);
        i = end + (nl ? 1 : 0);
    }
}
