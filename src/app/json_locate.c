/* json_locate.c - a scanner that walks JSON text along a path of keys and
 * indices, counting lines and columns.
 *
 * It only skips values (it builds nothing), and it trusts the text to be
 * valid JSON because jansson parsed it first; on malformed text it stops
 * safely at the end. Keys are compared as written, escapes included, which is
 * fine for the ASCII keys of leanon's config.
 */
#include "app/json_locate.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct scanner {
    const char *p, *end;
    int line, column;
} scanner;

static void advance(scanner *s)
{
    if (s->p >= s->end)
        return;
    if (*s->p == '\n') {
        s->line++;
        s->column = 1;
    } else if (((unsigned char)*s->p & 0xC0) != 0x80) {
        s->column++;   /* count characters, not UTF-8 continuation bytes */
    }
    s->p++;
}

static void skip_space(scanner *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        advance(s);
}

/* At an opening quote: skips the string, reporting its raw contents. */
static void skip_string(scanner *s, const char **start, size_t *len)
{
    advance(s);
    const char *from = s->p;
    while (s->p < s->end && *s->p != '"') {
        if (*s->p == '\\')
            advance(s);
        advance(s);
    }
    if (start) {
        *start = from;
        *len = (size_t)(s->p - from);
    }
    advance(s);
}

static void skip_value(scanner *s, int depth)
{
    skip_space(s);
    if (s->p >= s->end || depth > 512)
        return;
    if (*s->p == '"') {
        skip_string(s, NULL, NULL);
    } else if (*s->p == '{' || *s->p == '[') {
        char close = *s->p == '{' ? '}' : ']';
        advance(s);
        for (;;) {
            skip_space(s);
            if (s->p >= s->end)
                return;
            if (*s->p == close) {
                advance(s);
                return;
            }
            if (*s->p == ',' || *s->p == ':') {
                advance(s);
                continue;
            }
            skip_value(s, depth + 1);
        }
    } else {
        while (s->p < s->end && !strchr(",:]} \t\r\n", *s->p))
            advance(s);
    }
}

/* At a value: moves to the child named by step; false if there is none. */
static bool enter(scanner *s, const char *step)
{
    skip_space(s);
    if (s->p >= s->end)
        return false;
    if (*s->p == '{') {
        advance(s);
        for (;;) {
            skip_space(s);
            if (s->p >= s->end || *s->p != '"')
                return false;
            const char *key;
            size_t key_len;
            skip_string(s, &key, &key_len);
            skip_space(s);
            if (s->p >= s->end || *s->p != ':')
                return false;
            advance(s);
            skip_space(s);
            if (s->p >= s->end)
                return false;
            if (key_len == strlen(step) && memcmp(key, step, key_len) == 0)
                return true;
            skip_value(s, 0);
            skip_space(s);
            if (s->p < s->end && *s->p == ',')
                advance(s);
            else
                return false;
        }
    }
    if (*s->p == '[') {
        char *stop;
        long index = strtol(step, &stop, 10);
        if (*stop || index < 0)
            return false;
        advance(s);
        for (long i = 0;; i++) {
            skip_space(s);
            if (s->p >= s->end || *s->p == ']')
                return false;
            if (i == index)
                return true;
            skip_value(s, 0);
            skip_space(s);
            if (s->p < s->end && *s->p == ',')
                advance(s);
            else
                return false;
        }
    }
    return false;
}

int lo_json_locate(const char *text, size_t len, const char *const *path, size_t depth,
                   int *line, int *column)
{
    scanner s = {.p = text, .end = text + len, .line = 1, .column = 1};
    int found = 0;
    for (size_t i = 0; i < depth; i++) {
        scanner before = s;
        if (!enter(&s, path[i])) {
            s = before;
            found = -1;
            break;
        }
    }
    skip_space(&s);
    *line = s.line;
    *column = s.column;
    return found;
}
