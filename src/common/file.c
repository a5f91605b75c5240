/* file.c - reading a whole file with a byte limit (see file.h). */
#include "common/file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* Reads fd to its end into b, stopping once b holds more than max bytes. 0 or -errno. */
static int read_all(int fd, size_t max, lo_strbuf *b)
{
    char chunk[65536];
    for (;;) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -errno;
        if (got == 0)
            return 0;
        lo_strbuf_add(b, chunk, (size_t)got);
        if (b->len > max)
            return -EFBIG;
    }
}

int lo_file_read(const char *path, size_t max, char **text, size_t *len, lo_strbuf *why)
{
    *text = NULL;
    *len = 0;
    lo_strbuf b = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc = fd < 0 ? -errno : read_all(fd, max, &b);
    if (fd >= 0)
        close(fd);
    if (rc < 0) {
        lo_strbuf_free(&b);
        if (why && rc == -EFBIG)
            lo_strbuf_addf(why, "%s: cannot read: the file is larger than %zu bytes", path, max);
        else if (why)
            lo_strbuf_addf(why, "%s: cannot read: %s", path, strerror(-rc));
        return rc;
    }
    *len = b.len;
    *text = lo_strbuf_take(&b);
    return 0;
}
