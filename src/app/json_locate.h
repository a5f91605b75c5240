/* json_locate.h - finds where a value sits in JSON text (line and column), so
 * that errors found after parsing (a wrong type, a missing key) can name the
 * place as precisely as jansson names syntax errors.
 */
#ifndef LEANON_APP_JSON_LOCATE_H
#define LEANON_APP_JSON_LOCATE_H

#include <stddef.h>

/* path: object keys, or array indices written as decimal strings, from the
 * root down. On success sets line and column (1-based) of the value's first
 * character and returns 0; -1 when the path is not in the text (then line and
 * column are those of the deepest value found). */
int lo_json_locate(const char *text, size_t len, const char *const *path, size_t depth, int *line,
                   int *column);

#endif
