/* json_file.h - a JSON file read (common/file.h), parsed by jansson and the position of
 * each of its values recorded (common/jpos.h): how response files and the run config
 * are opened, with the same messages when one cannot be read or is not JSON. */
#ifndef LEANON_COMMON_JSON_FILE_H
#define LEANON_COMMON_JSON_FILE_H

#include <jansson.h>
#include <stddef.h>

#include "common/jpos.h"
#include "common/report.h"

/* Reads and parses the file at path (at most max bytes; a key twice in one object is
 * refused). Returns the document and its positions in *pos, or NULL after reporting to
 * sink: at 0:0 when the file cannot be read, at jansson's line and column when it is not
 * JSON. */
json_t *lo_json_file(const char *path, size_t max, lo_sink *sink, lo_jpos **pos);

#endif
