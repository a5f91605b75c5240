/* files.c - finding and reading the response files of a folder: every .json
 * below it (but not under tests/), each folder read once however many links
 * lead to it, with bounds on how many files and bytes a set may have, so a
 * link loop or a stray dump gives a clear error, not an exhausted machine. */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/diag.h"
#include "engine/internal.h"
#include "engine/load.h"

#define MAX_DEPTH 8

typedef struct walk {
    lo_diags *d;
    char **files;
    size_t n, cap;
    struct {
        dev_t dev;
        ino_t ino;
    } * seen; /* folders already read */
    size_t nseen, seencap;
    unsigned long long bytes;
    bool over; /* a bound was hit and reported */
} walk;

static bool seen_before(walk *w, const struct stat *st)
{
    for (size_t i = 0; i < w->nseen; i++)
        if (w->seen[i].dev == st->st_dev && w->seen[i].ino == st->st_ino)
            return true;
    lo_grow(&w->seen, &w->seencap, w->nseen + 1, sizeof *w->seen);
    w->seen[w->nseen].dev = st->st_dev;
    w->seen[w->nseen++].ino = st->st_ino;
    return false;
}

static void too_much(walk *w, const char *dir, const char *what)
{
    if (w->over)
        return;
    w->over = true;
    lo_strbuf m = {0};
    lo_strbuf_addf(&m,
                   "the response set has %s; remove files that are not responses, or "
                   "links that lead back into the set",
                   what);
    lo_diags_add(w->d, LO_DIAG_ERROR, dir, 0, 0, m.data);
    lo_strbuf_free(&m);
}

static bool is_json_name(const char *name)
{
    size_t len = strlen(name);
    return len > 5 && strcmp(name + len - 5, ".json") == 0;
}

static void add_file(walk *w, const char *dir, lo_strbuf *path, const struct stat *st)
{
    w->bytes += (unsigned long long)st->st_size;
    if (w->n >= LO_MAX_RESPONSE_FILES) {
        too_much(w, dir, "more than " LO_STR(LO_MAX_RESPONSE_FILES) " .json files");
        lo_strbuf_free(path);
    } else if (w->bytes > LO_MAX_RESPONSE_BYTES) {
        too_much(w, dir, "more than " LO_STR(LO_MAX_RESPONSE_MIB) " MiB of .json files");
        lo_strbuf_free(path);
    } else {
        lo_grow(&w->files, &w->cap, w->n + 1, sizeof *w->files);
        w->files[w->n++] = lo_strbuf_take(path);
    }
}

static void list_folder(walk *w, const char *dir, const struct stat *dir_st, int depth)
{
    if (depth > MAX_DEPTH || seen_before(w, dir_st))
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *ent;
    while (!w->over && (ent = readdir(d))) {
        const char *name = ent->d_name;
        if (name[0] == '.')
            continue;
        lo_strbuf path = {0};
        lo_strbuf_addf(&path, "%s/%s", dir, name);
        struct stat st;
        /* NOLINTNEXTLINE(bugprone-branch-clone): a path that cannot be read is skipped too */
        if (stat(path.data, &st) != 0) {
            lo_strbuf_free(&path);
        } else if (S_ISDIR(st.st_mode)) {
            if (strcmp(name, "tests") != 0)
                list_folder(w, path.data, &st, depth + 1);
            lo_strbuf_free(&path);
        } else if (S_ISREG(st.st_mode) && is_json_name(name)) {
            add_file(w, dir, &path, &st);
        } else {
            lo_strbuf_free(&path);
        }
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **lo_list_response_files(const char *dir, lo_diags *d, size_t *count)
{
    walk w = {.d = d};
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        lo_diags_add(d, LO_DIAG_ERROR, dir, 0, 0,
                     "this response folder does not exist; pass --responses with the folder "
                     "that holds rules/, safety/ and flows/");
    } else {
        list_folder(&w, dir, &st, 0);
        if (w.n == 0 && !w.over)
            lo_diags_add(d, LO_DIAG_ERROR, dir, 0, 0, "no .json response files in this folder");
    }
    free(w.seen);
    if (w.over) { /* a set past a bound is refused whole */
        for (size_t i = 0; i < w.n; i++)
            free(w.files[i]);
        w.n = 0;
    }
    if (w.n > 1)
        qsort(w.files, w.n, sizeof *w.files, cmp_str);
    *count = w.n;
    return w.files;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    lo_strbuf b = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= LO_MAX_RESPONSE_BYTES)
        lo_strbuf_add(&b, chunk, got);
    bool failed = ferror(f) || b.len > LO_MAX_RESPONSE_BYTES;
    if (b.len > LO_MAX_RESPONSE_BYTES)
        errno = EFBIG;
    fclose(f);
    if (failed) {
        lo_strbuf_free(&b);
        return NULL;
    }
    *len = b.len;
    return lo_strbuf_take(&b);
}

json_t *lo_load_json(const char *path, lo_diags *d, lo_jpos **pos)
{
    size_t len = 0;
    char *text = read_file(path, &len);
    if (!text) {
        lo_strbuf m = {0};
        lo_strbuf_addf(&m, "cannot read this file (%s)", strerror(errno));
        lo_diags_add(d, LO_DIAG_ERROR, path, 0, 0, m.data);
        lo_strbuf_free(&m);
        return NULL;
    }
    json_error_t jerr;
    json_t *json = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json) {
        lo_strbuf m = {0};
        if (strstr(jerr.text, "duplicate object key"))
            lo_strbuf_addf(&m, "a key appears twice in the same { } (%s); keep only one",
                           jerr.text);
        else
            lo_strbuf_addf(&m,
                           "this is not valid JSON: %s. Look for a missing comma, quote "
                           "or bracket at or just before this place",
                           jerr.text);
        lo_diags_add(d, LO_DIAG_ERROR, path, jerr.line, jerr.column, m.data);
        lo_strbuf_free(&m);
        free(text);
        return NULL;
    }
    *pos = lo_jpos_parse(text, len);
    free(text);
    return json;
}
