/* log.h - structured log lines ("logfmt": ts=... level=... event=... key=value, or the same
 * as JSON) to stderr.
 *
 * Callers log events and ids, never message text and never secrets. Values that
 * might hold a secret go through lo_log_redact first. Lines are written with one
 * write(2) each, so lines from one process never interleave. A line repeated
 * within LO_LOG_REPEAT_WINDOW seconds is written once, then once more with
 * repeated=N (see log.c).
 */
#ifndef LEANON_OBS_LOG_H
#define LEANON_OBS_LOG_H

#include <stddef.h>
#include <stdio.h>

/* Seconds over which identical consecutive lines are folded into one. */
#define LO_LOG_REPEAT_WINDOW 10

typedef enum lo_log_level { LO_LOG_DEBUG = 0, LO_LOG_INFO, LO_LOG_WARN, LO_LOG_ERROR } lo_log_level;

typedef enum lo_log_format { LO_LOG_LOGFMT = 0, LO_LOG_JSON } lo_log_format;

/* logfmt (the default), or one JSON object per line with the same keys (obs/log_json.h). */
void lo_log_set_format(lo_log_format format);
/* Parses "logfmt" or "json"; returns -1 for anything else. */
int lo_log_format_parse(const char *name, lo_log_format *out);

/* Lines below this level are dropped (default LO_LOG_INFO). */
void lo_log_set_level(lo_log_level level);
/* Parses "debug", "info", "warn", "error"; returns -1 for anything else. */
int lo_log_level_parse(const char *name, lo_log_level *out);
/* Sends lines to out instead of stderr (tests); NULL restores stderr. */
void lo_log_set_stream(FILE *out);

/* Writes one line: ts=... level=... event=<event> <fields>. fields is a
 * printf format for further key=value pairs (may be NULL). Values containing
 * spaces, quotes or '=' should be quoted with lo_log_quote. */
void lo_log(lo_log_level level, const char *event, const char *fields, ...)
    __attribute__((format(printf, 3, 4)));

/* Replaces a secret by a safe description: "[redacted N bytes]".
 * Returns out. */
char *lo_log_redact(const char *secret, char *out, size_t out_size);

/* Writes value as a logfmt value into out: bare if it is safe, otherwise in
 * double quotes with '"', '\\' and control characters escaped. Truncates to
 * fit (never splits an escape). Returns out. */
char *lo_log_quote(const char *value, char *out, size_t out_size);

#endif
