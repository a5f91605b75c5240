/* log_capture.h - the log tests' one helper: what emit() wrote to the log, as a string the
 * caller frees. */
#ifndef LEANON_TESTS_LOG_CAPTURE_H
#define LEANON_TESTS_LOG_CAPTURE_H

#include <stdio.h>

#include "obs/log.h"

static inline char *capture(void (*emit)(void))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    lo_log_set_stream(out);
    emit();
    lo_log_set_stream(NULL);
    fclose(out);
    return buf;
}

#endif
