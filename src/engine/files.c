/* files.c - finding and reading the response files of a folder: every .json
 * below it (but not under tests/), each folder read once however many links
 * lead to it, with bounds on how many files and bytes a set may have, so a
 * link loop or a stray dump gives a clear error, not an exhausted machine.
 * Each file is read and parsed by common/json_file.h. */
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/json_file.h"
#include "engine/diag.h"
#include "engine/load.h"
#include "leanon/engine.h"
#include "common/buf.h"

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
        bool found = stat(path.data, &st) == 0;
        if (found && S_ISREG(st.st_mode) && is_json_name(name)) {
            add_file(w, dir, &path, &st); /* takes path */
            continue;
        }
        if (found && S_ISDIR(st.st_mode) && strcmp(name, "tests") != 0)
            list_folder(w, path.data, &st, depth + 1);
        lo_strbuf_free(&path);
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

/* Reading a file: its findings become diagnostics of that file. */
typedef struct file_diags {
    lo_diags *d;
    const char *path;
} file_diags;

static void add_error(void *ctx, int line, int column, const char *message)
{
    file_diags *f = ctx;
    lo_diags_add(f->d, LO_DIAG_ERROR, f->path, line, column, message);
}

json_t *lo_load_json(const char *path, lo_diags *d, lo_jpos **pos)
{
    file_diags f = {d, path};
    lo_sink sink = {.report = add_error, .ctx = &f};
    return lo_json_file(path, (size_t)LO_MAX_RESPONSE_BYTES, &sink, pos);
}
