/* dictionary.c - the words of the English language, so that typo tolerance
 * only ever corrects words that are not words: "lonley" may be read as
 * "lonely", but "thinks" is never read as "thanks", nor "loose" as "noose".
 *
 * The word lists are Debian's (wamerican, wbritish), read at load from
 * $LEANON_DICTIONARY (a colon-separated list of files) or
 * /usr/share/dict/american-english and british-english. Only the 64-bit
 * hashes of words of four letters or more are kept, sorted: about 1 MiB. The lists do not
 * change while leanon runs, so every load (and reload) shares one copy, read once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/fold.h"
#include "engine/dictionary.h"
#include "common/buf.h"

#define DEFAULT_DICTIONARIES "/usr/share/dict/american-english:/usr/share/dict/british-english"
#define MIN_WORD 4

struct lo_dictionary {
    uint64_t *hashes;
    size_t n;
};

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void read_list(const char *path, lo_dictionary *d, size_t *cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\r\n");
        line[n] = '\0';
        if (n < MIN_WORD || strchr(line, '\''))
            continue;
        bool ascii = true;
        for (size_t i = 0; i < n && ascii; i++) {
            ascii = (unsigned char)line[i] < 0x80;
            if (line[i] >= 'A' && line[i] <= 'Z')
                line[i] = (char)(line[i] - 'A' + 'a');
        }
        lo_strbuf folded = {0};
        if (ascii) /* most lines: already folded once lower-cased */
            lo_strbuf_add(&folded, line, n);
        else if (lo_fold_word(line, n, &folded) < 0)
            folded.len = 0;
        if (folded.len >= MIN_WORD) {
            lo_grow(&d->hashes, cap, d->n + 1, sizeof *d->hashes);
            d->hashes[d->n++] = lo_hash(folded.data, folded.len);
        }
        lo_strbuf_free(&folded);
    }
    fclose(f);
}

lo_dictionary *lo_dictionary_load(void)
{
    const char *env = getenv("LEANON_DICTIONARY");
    char *paths = lo_xstrdup(env && *env ? env : DEFAULT_DICTIONARIES);
    lo_dictionary *d = lo_xcalloc(1, sizeof *d);
    size_t cap = 0;
    for (char *save = NULL, *p = strtok_r(paths, ":", &save); p; p = strtok_r(NULL, ":", &save))
        read_list(p, d, &cap);
    free(paths);
    if (d->n > 1) {
        qsort(d->hashes, d->n, sizeof *d->hashes, cmp_u64);
        size_t u = 1;
        for (size_t i = 1; i < d->n; i++)
            if (d->hashes[i] != d->hashes[u - 1])
                d->hashes[u++] = d->hashes[i];
        d->n = u;
    }
    return d;
}

const lo_dictionary *lo_dictionary_shared(void)
{
    static lo_dictionary *shared; /* loads happen on one thread: the loop's or a command's */
    if (!shared)
        shared = lo_dictionary_load();
    return shared;
}

size_t lo_dictionary_size(const lo_dictionary *d)
{
    return d ? d->n : 0;
}

bool lo_dictionary_has(const lo_dictionary *d, const char *w, size_t n)
{
    if (!d || !d->n)
        return false;
    uint64_t h = lo_hash(w, n);
    return bsearch(&h, d->hashes, d->n, sizeof h, cmp_u64) != NULL;
}

void lo_dictionary_free(lo_dictionary *d)
{
    if (!d)
        return;
    free(d->hashes);
    free(d);
}
