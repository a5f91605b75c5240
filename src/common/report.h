/* report.h - where findings about a JSON document go: one small sink, so that the
 * engine feeds its lo_diags and the run config its error text from the same checks.
 * A finding is a line and column (from common/jpos.h; 0 and 0 for the file itself)
 * and a message saying what is wrong and what to write instead. */
#ifndef LEANON_COMMON_REPORT_H
#define LEANON_COMMON_REPORT_H

#include <stdarg.h>
#include <stdbool.h>

#include "common/jpos.h"

typedef struct lo_sink {
    void (*report)(void *ctx, int line, int column, const char *message);
    void *ctx;
    unsigned count; /* findings reported so far: a reader compares it before and after */
} lo_sink;

/* Reports a printf-style message at `at` (at its key when at_key and it has one). */
void lo_report(lo_sink *sink, const lo_jpos *at, bool at_key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void lo_vreport(lo_sink *sink, const lo_jpos *at, bool at_key, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

#endif
