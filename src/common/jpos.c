/* jpos.c - a small JSON scanner that records where each value and key
 * starts. It trusts jansson to have validated the text first and simply gives
 * up (returns NULL) on anything it does not expect. Columns count characters,
 * not bytes, as editors do. Keys are decoded (every JSON escape, surrogate pairs
 * included) so that a key written "a\u0062" is found as "ab", the name jansson
 * gives it. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "common/buf.h"
#include "common/jpos.h"

#define MAX_DEPTH 64

typedef struct scanner {
    const char *s;
    size_t n, i;
    int line, column;
    int depth;
} scanner;

static void advance(scanner *sc)
{
    unsigned char c = (unsigned char)sc->s[sc->i++];
    if (c == '\n') {
        sc->line++;
        sc->column = 1;
    } else if ((c & 0xC0) != 0x80) {
        sc->column++;
    }
}

static void skip_space(scanner *sc)
{
    while (sc->i < sc->n && strchr(" \t\r\n", sc->s[sc->i]) && sc->s[sc->i])
        advance(sc);
}

/* Four hex digits at the scanner, or -1. */
static long hex4(scanner *sc)
{
    long v = 0;
    for (int k = 0; k < 4; k++) {
        char c = (char)(sc->i < sc->n ? sc->s[sc->i] : '\0');
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
        advance(sc);
    }
    return v;
}

/* The escape after a backslash, decoded into b as jansson decodes it: \uXXXX as UTF-8, a
 * surrogate pair as one character. U+0000 and lone surrogates (which jansson refuses) become
 * U+FFFD, so a decoded name never ends early. */
static bool scan_escape(scanner *sc, lo_strbuf *b)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    char c = (char)(sc->i < sc->n ? sc->s[sc->i] : '\0');
    const char *simple = c ? strchr(from, c) : NULL;
    advance(sc);
    if (simple) {
        lo_strbuf_add(b, &to[simple - from], 1);
        return true;
    }
    if (c != 'u')
        return false;
    long cp = hex4(sc);
    if (cp < 0)
        return false;
    if (cp >= 0xD800 && cp <= 0xDBFF && sc->i + 1 < sc->n && sc->s[sc->i] == '\\' &&
        sc->s[sc->i + 1] == 'u') {
        advance(sc);
        advance(sc);
        long low = hex4(sc);
        if (low < 0)
            return false;
        cp = low >= 0xDC00 && low <= 0xDFFF ? 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00)
                                            : 0xFFFD;
    }
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    utf8proc_uint8_t bytes[4];
    lo_strbuf_add(b, (const char *)bytes,
                  (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, bytes));
    return true;
}

/* A string; with out, its decoded text (keys are matched decoded, as jansson holds them). */
static bool scan_string(scanner *sc, char **out)
{
    if (sc->i >= sc->n || sc->s[sc->i] != '"')
        return false;
    advance(sc);
    lo_strbuf b = {0};
    bool ok = true;
    while (ok && sc->i < sc->n && sc->s[sc->i] != '"') {
        if (sc->s[sc->i] == '\\') {
            advance(sc);
            ok = scan_escape(sc, &b);
            continue;
        }
        lo_strbuf_add(&b, sc->s + sc->i, 1);
        advance(sc);
    }
    if (!ok || sc->i >= sc->n) {
        lo_strbuf_free(&b);
        return false;
    }
    advance(sc);
    if (out)
        *out = lo_strbuf_take(&b);
    else
        lo_strbuf_free(&b);
    return true;
}

static bool scan_value(scanner *sc, lo_jpos *node);

static lo_jpos *add_child(lo_jpos *node, size_t *cap)
{
    lo_grow(&node->children, cap, node->nchildren + 1, sizeof *node->children);
    lo_jpos *c = &node->children[node->nchildren++];
    memset(c, 0, sizeof *c);
    return c;
}

static bool scan_container(scanner *sc, lo_jpos *node, char close, bool object)
{
    size_t cap = 0;
    if (++sc->depth > MAX_DEPTH)
        return false;
    advance(sc);
    skip_space(sc);
    if (sc->i < sc->n && sc->s[sc->i] == close) {
        advance(sc);
        sc->depth--;
        return true;
    }
    for (;;) {
        skip_space(sc);
        lo_jpos *child = add_child(node, &cap);
        if (object) {
            child->key_line = sc->line;
            child->key_column = sc->column;
            if (!scan_string(sc, &child->key))
                return false;
            skip_space(sc);
            if (sc->i >= sc->n || sc->s[sc->i] != ':')
                return false;
            advance(sc);
            skip_space(sc);
        }
        if (!scan_value(sc, child))
            return false;
        skip_space(sc);
        if (sc->i >= sc->n)
            return false;
        if (sc->s[sc->i] == ',') {
            advance(sc);
            continue;
        }
        if (sc->s[sc->i] == close) {
            advance(sc);
            sc->depth--;
            return true;
        }
        return false;
    }
}

static bool scan_value(scanner *sc, lo_jpos *node)
{
    skip_space(sc);
    if (sc->i >= sc->n)
        return false;
    node->line = sc->line;
    node->column = sc->column;
    char c = sc->s[sc->i];
    if (c == '{')
        return scan_container(sc, node, '}', true);
    if (c == '[')
        return scan_container(sc, node, ']', false);
    if (c == '"')
        return scan_string(sc, NULL);
    while (sc->i < sc->n && !strchr(",]} \t\r\n", sc->s[sc->i]))
        advance(sc);
    return true;
}

lo_jpos *lo_jpos_parse(const char *text, size_t len)
{
    scanner sc = {.s = text, .n = len, .line = 1, .column = 1};
    lo_jpos *root = lo_xcalloc(1, sizeof *root);
    if (!scan_value(&sc, root)) {
        lo_jpos_free(root);
        return NULL;
    }
    return root;
}

static void free_node(lo_jpos *p)
{
    for (size_t i = 0; i < p->nchildren; i++)
        free_node(&p->children[i]);
    free(p->children);
    free(p->key);
}

void lo_jpos_free(lo_jpos *p)
{
    if (!p)
        return;
    free_node(p);
    free(p);
}

const lo_jpos *lo_jpos_key(const lo_jpos *obj, const char *key)
{
    if (!obj)
        return NULL;
    for (size_t i = 0; i < obj->nchildren; i++)
        if (obj->children[i].key && strcmp(obj->children[i].key, key) == 0)
            return &obj->children[i];
    return NULL;
}

const lo_jpos *lo_jpos_index(const lo_jpos *arr, size_t i)
{
    return arr && i < arr->nchildren ? &arr->children[i] : NULL;
}

void lo_jpos_where(const lo_jpos *at, bool at_key, int *line, int *column)
{
    bool key = at && at_key && at->key;
    *line = at ? (key ? at->key_line : at->line) : 0;
    *column = at ? (key ? at->key_column : at->column) : 0;
}
