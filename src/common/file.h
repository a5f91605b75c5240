/* file.h - the one file reader: a whole file into memory, with a byte limit, so that a
 * stray dump or a device never exhausts the machine. I/O errors are returned as -errno. */
#ifndef LEANON_COMMON_FILE_H
#define LEANON_COMMON_FILE_H

#include <stddef.h>

#include "common/buf.h"

/* Reads the file at path into *text (NUL-terminated, *len bytes, free it). Returns 0, or
 * -errno (-EFBIG when the file is over max bytes) with *text NULL and, when why is not
 * NULL, "PATH: cannot read: REASON" added to it. */
int lo_file_read(const char *path, size_t max, char **text, size_t *len, lo_strbuf *why);

#endif
