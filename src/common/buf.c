/* buf.c - memory helpers shared by all of leanon: checked allocation, a growable
 * string buffer, array growth and the FNV-1a hash. Allocation failure aborts
 * with a message: there is no sensible way to continue without memory. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

static void out_of_memory(void)
{
    fputs("leanon: out of memory\n", stderr);
    abort();
}

void *lo_xcheck(void *p)
{
    if (!p)
        out_of_memory();
    return p;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *lo_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *lo_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory();
    return q;
}

char *lo_xstrdup(const char *s)
{
    return lo_xstrndup(s, strlen(s));
}

char *lo_xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void lo_grow(void *p, size_t *cap, size_t need, size_t elem)
{
    void **arr = p;
    if (need <= *cap)
        return;
    size_t ncap = *cap ? *cap * 2 : 8;
    while (ncap < need)
        ncap *= 2;
    *arr = lo_xrealloc(*arr, ncap * elem);
    *cap = ncap;
}

void lo_strbuf_add(lo_strbuf *b, const char *s, size_t n)
{
    lo_grow(&b->data, &b->cap, b->len + n + 1, 1);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void lo_strbuf_adds(lo_strbuf *b, const char *s)
{
    lo_strbuf_add(b, s, strlen(s));
}

void lo_strbuf_vaddf(lo_strbuf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n >= 0) {
        lo_grow(&b->data, &b->cap, b->len + (size_t)n + 1, 1);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
}

void lo_strbuf_addf(lo_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lo_strbuf_vaddf(b, fmt, ap);
    va_end(ap);
}

char *lo_strbuf_take(lo_strbuf *b)
{
    char *s = b->data ? b->data : lo_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void lo_strbuf_free(lo_strbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

uint64_t lo_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h ? h : 1;
}
