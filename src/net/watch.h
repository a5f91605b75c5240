/* watch.h - tells the loop when files under a folder change, debounced: a
 * burst of changes (an editor saving, a git checkout) gives one callback. */
#ifndef LEANON_NET_WATCH_H
#define LEANON_NET_WATCH_H

#include <stddef.h>
#include <uv.h>

typedef struct lo_watch lo_watch;
typedef void (*lo_watch_fn)(void *user);

/* Watches dir and the folders under it as they are now, calling changed
 * once debounce_ms after the last change to a *.json file. NULL with a
 * reason in err. */
lo_watch *lo_watch_start(uv_loop_t *loop, const char *dir, unsigned debounce_ms,
                         lo_watch_fn changed, void *user, char *err, size_t err_size);
/* Stops watching; the handles close on the loop and free themselves. */
void lo_watch_stop(lo_watch *watch);

#endif
