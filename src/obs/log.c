/* log.c - structured log lines with levels, written to stderr.
 *
 * One line per event in logfmt ("key=value" pairs), built in a stack buffer and
 * written with a single fwrite + fflush so that lines never interleave. The
 * module has no idea what a message is: keeping message text and tokens out of
 * the log is the callers' rule, and lo_log_redact / lo_log_quote are the tools
 * for the values they do log.
 */
#include "obs/log.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static lo_log_level min_level = LO_LOG_INFO;
static FILE *log_stream;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void lo_log_set_level(lo_log_level level) { min_level = level; }

int lo_log_level_parse(const char *name, lo_log_level *out)
{
    for (size_t i = 0; i < sizeof level_names / sizeof level_names[0]; i++) {
        if (name && strcasecmp(name, level_names[i]) == 0) {
            *out = (lo_log_level)i;
            return 0;
        }
    }
    return -1;
}

void lo_log_set_stream(FILE *out) { log_stream = out; }

void lo_log(lo_log_level level, const char *event, const char *fields, ...)
{
    if (level < min_level)
        return;
    char line[2048];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm tm;
    gmtime_r(&now.tv_sec, &tm);
    int used = snprintf(line, sizeof line,
                        "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s event=%s",
                        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                        tm.tm_min, tm.tm_sec, now.tv_nsec / 1000000L,
                        level_names[level], event);
    if (used < 0)
        return;
    size_t len = (size_t)used < sizeof line ? (size_t)used : sizeof line - 1;
    if (fields && *fields && len + 1 < sizeof line) {
        line[len++] = ' ';
        va_list ap;
        va_start(ap, fields);
        int more = vsnprintf(line + len, sizeof line - len, fields, ap);
        va_end(ap);
        if (more > 0)
            len += (size_t)more < sizeof line - len ? (size_t)more : sizeof line - len - 1;
    }
    if (len >= sizeof line - 1)
        len = sizeof line - 2;
    line[len++] = '\n';
    FILE *out = log_stream ? log_stream : stderr;
    fwrite(line, 1, len, out);
    fflush(out);
}

char *lo_log_redact(const char *secret, char *out, size_t out_size)
{
    snprintf(out, out_size, "[redacted %zu bytes]", secret ? strlen(secret) : (size_t)0);
    return out;
}

static int needs_quotes(const char *value)
{
    if (!*value)
        return 1;
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        if (*p <= ' ' || *p == '"' || *p == '=' || *p == '\\' || *p == 0x7f)
            return 1;
    return 0;
}

char *lo_log_quote(const char *value, char *out, size_t out_size)
{
    if (out_size == 0)
        return out;
    if (!value)
        value = "";
    if (!needs_quotes(value)) {
        snprintf(out, out_size, "%s", value);
        return out;
    }
    size_t n = 0;
    if (out_size < 3) {
        out[0] = '\0';
        return out;
    }
    out[n++] = '"';
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        char esc[8];
        size_t esc_len;
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\'; esc[1] = (char)*p; esc_len = 2;
        } else if (*p == '\n') {
            memcpy(esc, "\\n", 2); esc_len = 2;
        } else if (*p < ' ' || *p == 0x7f) {
            esc_len = (size_t)snprintf(esc, sizeof esc, "\\x%02x", *p);
        } else {
            esc[0] = (char)*p; esc_len = 1;
        }
        if (n + esc_len + 2 > out_size)   /* room for closing quote and NUL */
            break;
        memcpy(out + n, esc, esc_len);
        n += esc_len;
    }
    out[n++] = '"';
    out[n] = '\0';
    return out;
}
