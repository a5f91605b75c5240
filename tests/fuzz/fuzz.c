/* fuzz.c - the helpers of fuzz.h: the pieces every harness would otherwise repeat. */
#define _XOPEN_SOURCE 700
#include "fuzz.h"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    abort();
}

char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    FUZZ_CHECK(s != NULL);
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

const char *fuzz_next_line(const uint8_t **p, const uint8_t *end, size_t *len)
{
    if (*p >= end)
        return NULL;
    const uint8_t *start = *p, *nl = memchr(start, '\n', (size_t)(end - start));
    *len = (size_t)((nl ? nl : end) - start);
    *p = nl ? nl + 1 : end;
    return (const char *)start;
}

static char tempdir[4096];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_tempdir(void)
{
    nftw(tempdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_tempdir(void)
{
    if (tempdir[0])
        return tempdir;
    const char *tmp = getenv("TMPDIR");
    snprintf(tempdir, sizeof tempdir, "%s/leanon-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    FUZZ_CHECK(mkdtemp(tempdir) != NULL);
    atexit(remove_tempdir);
    return tempdir;
}

static void make_parents(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(dir, 0700);
        *slash = '/';
    }
}

void fuzz_write(const char *path, const void *data, size_t size)
{
    make_parents(path);
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(fwrite(data, 1, size, f) == size);
    FUZZ_CHECK(fclose(f) == 0);
}

char *fuzz_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    FUZZ_CHECK(f != NULL);
    size_t cap = 4096, n = 0, got;
    char *text = malloc(cap);
    FUZZ_CHECK(text != NULL);
    while ((got = fread(text + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *bigger = realloc(text, cap *= 2);
            FUZZ_CHECK(bigger != NULL);
            text = bigger;
        }
    }
    FUZZ_CHECK(!ferror(f));
    fclose(f);
    text[n] = '\0';
    *len = n;
    return text;
}

void fuzz_copy_tree(const char *src, const char *dst)
{
    DIR *d = opendir(src);
    FUZZ_CHECK(d != NULL);
    struct dirent *ent;
    while ((ent = readdir(d))) {
        if (ent->d_name[0] == '.')
            continue;
        char from[4096], to[4096];
        snprintf(from, sizeof from, "%s/%s", src, ent->d_name);
        snprintf(to, sizeof to, "%s/%s", dst, ent->d_name);
        struct stat st;
        FUZZ_CHECK(stat(from, &st) == 0);
        if (S_ISDIR(st.st_mode)) {
            fuzz_copy_tree(from, to);
        } else {
            size_t len;
            char *text = fuzz_slurp(from, &len);
            fuzz_write(to, text, len);
            free(text);
        }
    }
    closedir(d);
}
