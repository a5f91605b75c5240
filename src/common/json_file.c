/* json_file.c - reading and parsing a JSON file with positions (see json_file.h). */
#include "common/json_file.h"

#include <stdlib.h>
#include <string.h>

#include "common/file.h"

json_t *lo_json_file(const char *path, size_t max, lo_sink *sink, lo_jpos **pos)
{
    *pos = NULL;
    char *text;
    size_t len;
    int rc = lo_file_read(path, max, &text, &len, NULL);
    if (rc < 0) {
        lo_report(sink, NULL, false, "cannot read this file (%s)", strerror(-rc));
        return NULL;
    }
    json_error_t jerr;
    json_t *json = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (json) {
        *pos = lo_jpos_parse(text, len);
    } else {
        lo_jpos at = {.line = jerr.line, .column = jerr.column};
        if (strstr(jerr.text, "duplicate object key"))
            lo_report(sink, &at, false, "a key appears twice in the same { } (%s); keep only one",
                      jerr.text);
        else
            lo_report(sink, &at, false,
                      "this is not valid JSON: %s. Look for a missing comma, "
                      "quote or bracket at or just before this place",
                      jerr.text);
    }
    free(text);
    return json;
}
