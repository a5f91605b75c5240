/* report.c - a finding formatted and handed to a sink (see report.h). */
#include "common/report.h"

#include "common/buf.h"

void lo_vreport(lo_sink *sink, const lo_jpos *at, bool at_key, const char *fmt, va_list ap)
{
    lo_strbuf text = {0};
    lo_strbuf_vaddf(&text, fmt, ap);
    int line, column;
    lo_jpos_where(at, at_key, &line, &column);
    sink->count++;
    sink->report(sink->ctx, line, column, text.data ? text.data : "");
    lo_strbuf_free(&text);
}

void lo_report(lo_sink *sink, const lo_jpos *at, bool at_key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lo_vreport(sink, at, at_key, fmt, ap);
    va_end(ap);
}
