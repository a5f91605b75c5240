/* watch.c - folder watching with libuv fs events (inotify on Linux).
 *
 * inotify does not recurse, so every folder under the root gets its own
 * uv_fs_event handle; folders created later are not watched (SIGHUP still
 * reloads). Each event for a *.json name (or an unnamed one) restarts a
 * one-shot timer; its expiry is the single callback for the burst. Stopping
 * closes every handle; the struct is freed by the last close callback.
 */
#include "net/watch.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/buf.h"

#define MAX_FOLDERS 256

struct lo_watch {
    uv_timer_t debounce;
    uv_fs_event_t *events;
    size_t count, open_handles;
    unsigned debounce_ms;
    lo_watch_fn changed;
    void *user;
};

static void on_debounced(uv_timer_t *timer)
{
    lo_watch *w = timer->data;
    w->changed(w->user);
}

static bool is_json(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

static void on_event(uv_fs_event_t *handle, const char *filename, int events, int status)
{
    (void)events;
    lo_watch *w = handle->data;
    if (status < 0 || (filename && !is_json(filename)))
        return;
    uv_timer_start(&w->debounce, on_debounced, w->debounce_ms, 0);
}

/* Collects dir and its subfolders (depth first) into paths. */
static void collect(const char *dir, char **paths, size_t *count)
{
    if (*count >= MAX_FOLDERS)
        return;
    paths[(*count)++] = lo_xstrdup(dir);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            collect(path, paths, count);
    }
    closedir(d);
}

static void on_closed(uv_handle_t *handle)
{
    lo_watch *w = handle->data;
    if (--w->open_handles == 0) {
        free(w->events);
        free(w);
    }
}

lo_watch *lo_watch_start(uv_loop_t *loop, const char *dir, unsigned debounce_ms,
                         lo_watch_fn changed, void *user, char *err, size_t err_size)
{
    char *paths[MAX_FOLDERS];
    size_t count = 0;
    collect(dir, paths, &count);
    lo_watch *w = lo_xcalloc(1, sizeof *w);
    uv_fs_event_t *events = lo_xcalloc(count, sizeof *events);
    w->events = events;
    w->debounce_ms = debounce_ms;
    w->changed = changed;
    w->user = user;
    uv_timer_init(loop, &w->debounce);
    w->debounce.data = w;
    w->open_handles = 1;
    int failed = 0;
    for (size_t i = 0; i < count; i++) {
        uv_fs_event_init(loop, &w->events[i]);
        w->events[i].data = w;
        w->open_handles++;
        w->count++;
        int rc = uv_fs_event_start(&w->events[i], on_event, paths[i], 0);
        if (rc < 0 && !failed) {
            failed = rc;
            snprintf(err, err_size, "cannot watch %s: %s", paths[i], uv_strerror(rc));
        }
    }
    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    if (failed) {
        lo_watch_stop(w);
        return NULL;
    }
    return w;
}

void lo_watch_stop(lo_watch *watch)
{
    if (!watch)
        return;
    uv_timer_stop(&watch->debounce);
    uv_close((uv_handle_t *)&watch->debounce, on_closed);
    for (size_t i = 0; i < watch->count; i++) {
        uv_fs_event_stop(&watch->events[i]);
        uv_close((uv_handle_t *)&watch->events[i], on_closed);
    }
}
