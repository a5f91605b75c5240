/* log.c - structured log lines with levels, written to stderr.
 *
 * One line per event in logfmt ("key=value" pairs), built in a stack buffer and
 * written with a single fwrite + fflush so that lines never interleave. The
 * module has no idea what a message is: keeping message text and tokens out of
 * the log is the callers' rule, and lo_log_redact / lo_log_quote are the tools
 * for the values they do log.
 *
 * Repeats are folded: a line identical to the previous one (level, event and
 * fields; the timestamp aside) within LO_LOG_REPEAT_WINDOW seconds of the
 * first of its run is not written, and the next different line (or the same one
 * after the window) is preceded by that line once more with repeated=N, the
 * number left out. A fault that logs in a tight loop costs a few lines, not
 * gigabytes.
 */
#include "obs/log.h"

#include "obs/log_json.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static lo_log_level min_level = LO_LOG_INFO;
static lo_log_format line_format = LO_LOG_LOGFMT;
static FILE *log_stream;

/* The previous line without its timestamp, when its run began, and how many
 * copies of it have been left out since. */
static char last_body[2048];
static size_t last_len;
static struct timespec last_start;
static unsigned long repeats;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void lo_log_set_level(lo_log_level level)
{
    min_level = level;
}

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

void lo_log_set_format(lo_log_format format)
{
    line_format = format;
}

int lo_log_format_parse(const char *name, lo_log_format *out)
{
    if (name && strcmp(name, "logfmt") == 0)
        *out = LO_LOG_LOGFMT;
    else if (name && strcmp(name, "json") == 0)
        *out = LO_LOG_JSON;
    else
        return -1;
    return 0;
}

void lo_log_set_stream(FILE *out)
{
    log_stream = out;
}

static void write_line(const struct timespec *when, const char *body, size_t len,
                       unsigned long repeated)
{
    char line[2200], ts[80]; /* room for any int fields the compiler cannot bound */
    struct tm tm;
    gmtime_r(&when->tv_sec, &tm);
    snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, when->tv_nsec / 1000000L);
    char full[sizeof last_body + 32];
    size_t n = len < sizeof full ? len : sizeof full - 1;
    memcpy(full, body, n);
    if (repeated)
        n += (size_t)snprintf(full + n, sizeof full - n, " repeated=%lu", repeated);
    if (line_format == LO_LOG_JSON) {
        n = lo_logfmt_to_json(ts, full, n, line, sizeof line - 1);
    } else {
        int head = snprintf(line, sizeof line, "ts=%s ", ts);
        memcpy(line + head, full, n);
        n += (size_t)head;
    }
    line[n++] = '\n';
    FILE *out = log_stream ? log_stream : stderr;
    fwrite(line, 1, n, out);
    fflush(out);
}

void lo_log(lo_log_level level, const char *event, const char *fields, ...)
{
    if (level < min_level)
        return;
    char body[sizeof last_body];
    int used = snprintf(body, sizeof body, "level=%s event=%s", level_names[level], event);
    if (used < 0)
        return;
    size_t len = (size_t)used < sizeof body ? (size_t)used : sizeof body - 1;
    if (fields && *fields && len + 1 < sizeof body - 1) {
        body[len++] = ' ';
        va_list ap;
        va_start(ap, fields);
        int more = vsnprintf(body + len, sizeof body - len, fields, ap);
        va_end(ap);
        if (more > 0)
            len += (size_t)more < sizeof body - len ? (size_t)more : sizeof body - len - 1;
    }
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    bool same = len == last_len && memcmp(body, last_body, len) == 0;
    if (same && difftime(now.tv_sec, last_start.tv_sec) < LO_LOG_REPEAT_WINDOW) {
        repeats++;
        return;
    }
    if (repeats)
        write_line(&now, last_body, last_len, repeats);
    repeats = 0;
    memcpy(last_body, body, len);
    last_len = len;
    last_start = now;
    write_line(&now, body, len, 0);
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
            esc[0] = '\\';
            esc[1] = (char)*p;
            esc_len = 2;
        } else if (*p == '\n') {
            memcpy(esc, "\\n", 2);
            esc_len = 2;
        } else if (*p < ' ' || *p == 0x7f) {
            esc_len = (size_t)snprintf(esc, sizeof esc, "\\x%02x", *p);
        } else {
            esc[0] = (char)*p;
            esc_len = 1;
        }
        if (n + esc_len + 2 > out_size) /* room for closing quote and NUL */
            break;
        memcpy(out + n, esc, esc_len);
        n += esc_len;
    }
    out[n++] = '"';
    out[n] = '\0';
    return out;
}
