/* fold.c - Unicode folding, the leaf of the engine that text.c (messages) and
 * the loader, dictionary and typo table (pattern and list words) share, so
 * that both sides fold alike: NFKC, case folding, accents and invisible
 * characters stripped, with utf8proc. Nothing here calls back into the engine. */
#include <stdlib.h>
#include <string.h>

#include "engine/fold.h"

#define MAP_OPTIONS                                                                                \
    (UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |                    \
     UTF8PROC_STRIPMARK | UTF8PROC_IGNORE)

bool lo_fold_is_apostrophe(utf8proc_int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == '`' ||
           cp == 0x00B4 || cp == 0x2032;
}

bool lo_fold_is_word_char(utf8proc_int32_t cp)
{
    if (cp < 0x80) /* most text: no table look-up */
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO);
}

bool lo_fold_is_letter(utf8proc_int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

utf8proc_ssize_t lo_fold_map(const char *s, size_t n, utf8proc_uint8_t **out)
{
    return utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, out, MAP_OPTIONS);
}

int lo_fold_word(const char *w, size_t n, lo_strbuf *out)
{
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t mlen = lo_fold_map(w, n, &mapped);
    if (mlen < 0)
        return -1;
    int rc = 0;
    for (utf8proc_ssize_t i = 0; i < mlen;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t cl = utf8proc_iterate(mapped + i, mlen - i, &cp);
        if (cl <= 0) {
            rc = -1;
            break;
        }
        if (lo_fold_is_apostrophe(cp))
            lo_strbuf_add(out, "'", 1);
        else if (lo_fold_is_word_char(cp))
            lo_strbuf_add(out, (const char *)mapped + i, (size_t)cl);
        else
            rc = -1;
        i += cl;
    }
    free(mapped);
    return rc;
}
