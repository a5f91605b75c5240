/* test_log.c - log lines: levels, fields, quoting, redaction and folding of repeats. */
#include "obs/log.h"

#include <stdlib.h>

#include "../testing.h"
#include "log_capture.h"

static void emit_info_and_debug(void)
{
    lo_log(LO_LOG_DEBUG, "hidden", "x=%d", 1);
    lo_log(LO_LOG_INFO, "webchat.open", "conn=%u", 7u);
}

static void emit_quoted(void)
{
    char quoted[64];
    lo_log(LO_LOG_WARN, "reload.refused", "reason=%s",
           lo_log_quote("bad \"file\"\n", quoted, sizeof quoted));
}

/* A fault logging in a tight loop (lws's accept failing with EMFILE) and then recovering. */
static void emit_accept_storm(void)
{
    for (int i = 0; i < 100000; i++)
        lo_log(LO_LOG_ERROR, "lws", "msg=\"accept: errno 24\"");
    lo_log(LO_LOG_INFO, "recovered", NULL);
}

static size_t count_lines(const char *text)
{
    size_t n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

int main(void)
{
    lo_log_set_level(LO_LOG_INFO);
    char *out = capture(emit_info_and_debug);
    CHECK(strstr(out, "hidden") == NULL);
    CHECK(strstr(out, "level=info event=webchat.open conn=7\n") != NULL);
    CHECK(strncmp(out, "ts=", 3) == 0);
    CHECK(strchr(out, '\n') == out + strlen(out) - 1); /* exactly one line */
    free(out);

    out = capture(emit_quoted);
    CHECK(strstr(out, "level=warn event=reload.refused reason=\"bad \\\"file\\\"\\n\"\n") != NULL);
    free(out);

    /* log-repeat-storm: 100000 identical lines come out as the first one, one line with the
     * count of the rest, and the next different line: three lines in all. */
    out = capture(emit_accept_storm);
    CHECK(count_lines(out) == 3);
    CHECK(strstr(out, "level=error event=lws msg=\"accept: errno 24\"\n") != NULL);
    CHECK(strstr(out, "level=error event=lws msg=\"accept: errno 24\" repeated=99999\n") != NULL);
    CHECK(strstr(out, "level=info event=recovered\n") != NULL);
    free(out);

    lo_log_level level;
    CHECK(lo_log_level_parse("WARN", &level) == 0 && level == LO_LOG_WARN);
    CHECK(lo_log_level_parse("loud", &level) == -1);

    char buf[64];
    CHECK_STR(lo_log_redact("xoxb-1234-secret", buf, sizeof buf), "[redacted 16 bytes]");
    CHECK(strstr(buf, "secret") == NULL);
    CHECK_STR(lo_log_quote("plain", buf, sizeof buf), "plain");
    CHECK_STR(lo_log_quote("", buf, sizeof buf), "\"\"");
    char tiny[6];
    lo_log_quote("a b c d e f", tiny, sizeof tiny);
    CHECK(tiny[0] == '"' && tiny[strlen(tiny) - 1] == '"' && strlen(tiny) < sizeof tiny);
    TEST_MAIN_END();
}
