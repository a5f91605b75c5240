/* log_json.c - logfmt pairs rewritten as a JSON object (see log_json.h). Each pair is first
 * decoded (the logfmt quoting's escapes \" \\ \n \xNN undone), then written as a JSON string with
 * quotes, backslashes and control characters escaped, so the output is valid JSON for any
 * value the logger quoted. */
#include "obs/log_json.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef struct out_buf {
    char *data;
    size_t len, size; /* size includes room for the NUL */
} out_buf;

static bool put(out_buf *o, const char *s, size_t n)
{
    if (o->len + n >= o->size)
        return false;
    memcpy(o->data + o->len, s, n);
    o->len += n;
    return true;
}

static bool put_json_char(out_buf *o, unsigned char c)
{
    char esc[8];
    if (c == '"' || c == '\\') {
        esc[0] = '\\';
        esc[1] = (char)c;
        return put(o, esc, 2);
    }
    if (c < 0x20 || c == 0x7f) {
        int n = snprintf(esc, sizeof esc, "\\u%04x", c);
        return put(o, esc, (size_t)n);
    }
    return put(o, (const char *)&c, 1);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The character an escape at s (just after its backslash) stands for; moves *s to its last byte. */
static unsigned char unescape(const char **s, const char *end)
{
    const char *e = *s;
    if (*e == 'n')
        return '\n';
    if (*e == 'x' && e + 2 < end && hex_digit(e[1]) >= 0 && hex_digit(e[2]) >= 0) {
        *s = e + 2;
        return (unsigned char)(hex_digit(e[1]) * 16 + hex_digit(e[2]));
    }
    return (unsigned char)*e;
}

/* Writes the logfmt value at *p (bare or quoted) as a JSON string; moves *p past it. */
static bool put_value(out_buf *o, const char **p, const char *end)
{
    const char *s = *p;
    bool ok = put(o, "\"", 1);
    bool quoted = s < end && *s == '"';
    for (s += quoted; s < end && *s != (quoted ? '"' : ' '); s++) {
        unsigned char c = (unsigned char)*s;
        if (quoted && c == '\\' && s + 1 < end) {
            s++;
            c = unescape(&s, end);
        }
        ok = ok && put_json_char(o, c);
    }
    if (quoted && s < end)
        s++; /* the closing quote */
    *p = s;
    return ok && put(o, "\"", 1);
}

size_t lo_logfmt_to_json(const char *ts, const char *body, size_t len, char *out, size_t out_size)
{
    out_buf o = {out, 0, out_size};
    if (out_size < 3) {
        if (out_size)
            out[0] = '\0';
        return 0;
    }
    out_size -= 1; /* keep room for the closing brace */
    o.size = out_size;
    put(&o, "{\"ts\":\"", 7);
    for (const char *t = ts; *t; t++)
        put_json_char(&o, (unsigned char)*t);
    put(&o, "\"", 1);
    const char *p = body, *end = body + len;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (!eq)
            break;
        size_t mark = o.len;
        bool ok = put(&o, ",\"", 2);
        for (const char *k = p; k < eq; k++)
            ok = ok && put_json_char(&o, (unsigned char)*k);
        ok = ok && put(&o, "\":", 2);
        p = eq + 1;
        if (!(ok && put_value(&o, &p, end))) {
            o.len = mark; /* the pair did not fit: leave it out whole */
            break;
        }
    }
    out[o.len++] = '}';
    out[o.len] = '\0';
    return o.len;
}
