/* buf.h - growable strings and arrays, and allocation that never returns
 * NULL (buf.c): out of memory aborts with a message, as in redis. */
#ifndef LEANON_COMMON_BUF_H
#define LEANON_COMMON_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lo_strbuf {
    char *data;
    size_t len, cap;
} lo_strbuf;

void lo_strbuf_add(lo_strbuf *b, const char *s, size_t n);
void lo_strbuf_adds(lo_strbuf *b, const char *s);
void lo_strbuf_addf(lo_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lo_strbuf_vaddf(lo_strbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
char *lo_strbuf_take(lo_strbuf *b); /* returns the string (never NULL), resets b */
void lo_strbuf_free(lo_strbuf *b);

void *lo_xcalloc(size_t n, size_t size);
void *lo_xrealloc(void *p, size_t n);
char *lo_xstrdup(const char *s);
char *lo_xstrndup(const char *s, size_t n);
/* p, which a library returned: NULL there means it ran out of memory, and aborts here. */
void *lo_xcheck(void *p);
/* Grows *p (an array of elem bytes, *cap elements) to hold at least need elements. */
void lo_grow(void *p, size_t *cap, size_t need, size_t elem);
uint64_t lo_hash(const char *s, size_t n); /* FNV-1a 64 */

#endif
