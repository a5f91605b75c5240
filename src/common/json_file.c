/* json_file.c - reading and parsing a JSON file with positions (see json_file.h). When
 * the text is not JSON, the mistakes people make most in a text editor are named where
 * they are: a byte-order mark, a trailing comma, a curly quote where JSON needs a
 * straight one; anything else gets jansson's words and where it stopped. */
#include "common/json_file.h"

#include <stdlib.h>
#include <string.h>

#include "common/file.h"

/* The line and column (characters, from 1, as common/jpos.h counts) of byte off. */
static lo_jpos position_of(const char *text, size_t off)
{
    lo_jpos at = {.line = 1, .column = 1};
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            at.line++;
            at.column = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            at.column++;
        }
    }
    return at;
}

/* The length of the curly quote at s (“ ” ‘ ’ „), 0 when there is none. */
static size_t curly_quote_at(const char *s, size_t left)
{
    static const char *const quotes[] = {"\u201c", "\u201d", "\u2018", "\u2019", "\u201e"};
    for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++) {
        size_t n = strlen(quotes[i]);
        if (left >= n && memcmp(s, quotes[i], n) == 0)
            return n;
    }
    return 0;
}

/* Whether the text after s (n bytes) goes on as if a string had just ended: spaces,
 * then , : } ] or the line's end. */
static bool ends_like_string(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i == n || (s[i] && strchr(",:}]\r\n", s[i]));
}

/* The curly quote that broke the text before byte end (of len), or -1: the first one
 * outside a string, else one that seems to close the last string ("hello”, "b": ...):
 * followed by what follows a string, in a string that then ends at a straight quote
 * right before more text, as when that quote was meant to open the next string. */
static long breaking_curly_quote(const char *text, size_t end, size_t len)
{
    bool in_string = false;
    long closing = -1; /* in the last string, a curly quote that looks like its end */
    for (size_t i = 0; i < end; i++) {
        size_t q = curly_quote_at(text + i, end - i);
        if (q && !in_string)
            return (long)i;
        if (q) {
            if (closing < 0 && ends_like_string(text + i + q, end - i - q))
                closing = (long)i;
            i += q - 1;
        } else if (in_string && text[i] == '\\') {
            i++;
        } else if (text[i] == '"' && in_string) {
            in_string = false;
            if (i + 1 >= len || (text[i + 1] && strchr(" \t\r\n,:}]", text[i + 1])))
                closing = -1; /* a string that ends as strings do */
        } else if (text[i] == '"') {
            in_string = true;
            closing = -1;
        }
    }
    return closing;
}

/* The comma before the ] or } jansson stopped at (the byte before end), or -1. */
static long trailing_comma(const char *text, size_t end)
{
    if (end == 0 || (text[end - 1] != ']' && text[end - 1] != '}'))
        return -1;
    size_t i = end - 1;
    while (i > 0 && text[i - 1] && strchr(" \t\r\n", text[i - 1]))
        i--;
    return i > 0 && text[i - 1] == ',' ? (long)i - 1 : -1;
}

/* Reports why text is not JSON, at the place to fix. */
static void report_not_json(const char *text, size_t len, const json_error_t *jerr, lo_sink *sink)
{
    size_t end = jerr->position > 0 && (size_t)jerr->position <= len ? (size_t)jerr->position : 0;
    long comma = trailing_comma(text, end);
    long quote = breaking_curly_quote(text, end, len);
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        lo_jpos at = {.line = 1, .column = 1};
        lo_report(sink, &at, false,
                  "the file starts with a byte-order mark (an invisible character some editors "
                  "add); save it as UTF-8 without a byte-order mark (\"UTF-8\", not \"UTF-8 with "
                  "BOM\")");
    } else if (comma >= 0) {
        lo_jpos at = position_of(text, (size_t)comma);
        lo_report(sink, &at, false,
                  "trailing comma: JSON allows no comma after the last item before %c; remove "
                  "this comma",
                  text[end - 1]);
    } else if (quote >= 0) {
        lo_jpos at = position_of(text, (size_t)quote);
        lo_report(sink, &at, false,
                  "curly quote %.*s: JSON needs a straight quote \" around every key and text "
                  "(curly quotes are fine inside a text)",
                  (int)curly_quote_at(text + quote, len - (size_t)quote), text + quote);
    } else if (strstr(jerr->text, "duplicate object key")) {
        lo_jpos at = {.line = jerr->line, .column = jerr->column};
        lo_report(sink, &at, false, "a key appears twice in the same { } (%s); keep only one",
                  jerr->text);
    } else {
        lo_jpos at = {.line = jerr->line, .column = jerr->column};
        lo_report(sink, &at, false,
                  "this is not valid JSON: %s. Look for a missing comma, "
                  "quote or bracket at or just before this place",
                  jerr->text);
    }
}

json_t *lo_json_file(const char *path, size_t max, lo_sink *sink, lo_jpos **pos)
{
    *pos = NULL;
    char *text;
    size_t len;
    int rc = lo_file_read(path, max, &text, &len, NULL);
    if (rc < 0) {
        lo_report(sink, NULL, false, "cannot read this file (%s)", strerror(-rc));
        return NULL;
    }
    json_error_t jerr;
    json_t *json = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (json)
        *pos = lo_jpos_parse(text, len);
    else
        report_not_json(text, len, &jerr, sink);
    free(text);
    return json;
}
