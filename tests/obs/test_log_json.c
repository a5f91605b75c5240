/* test_log_json.c - --log-format json: each log line one JSON object with the logfmt keys in
 * order, quoted values decoded and re-escaped, repeats folded the same way, and a line that
 * does not fit still a closed object. */
#include "obs/log.h"
#include "obs/log_json.h"

#include <jansson.h>
#include <stdlib.h>

#include "../testing.h"
#include "log_capture.h"

static void emit_lines(void)
{
    char quoted[64];
    lo_log(LO_LOG_WARN, "reload.refused", "reason=%s rules=%d",
           lo_log_quote("bad \"file\"\n\x01", quoted, sizeof quoted), 3);
    lo_log(LO_LOG_WARN, "reload.refused", "reason=%s rules=%d", quoted, 3);
    lo_log(LO_LOG_INFO, "stopped", NULL);
}

int main(void)
{
    lo_log_format format;
    CHECK(lo_log_format_parse("json", &format) == 0 && format == LO_LOG_JSON);
    CHECK(lo_log_format_parse("logfmt", &format) == 0 && format == LO_LOG_LOGFMT);
    CHECK(lo_log_format_parse("JSONL", &format) == -1);
    CHECK(lo_log_format_parse(NULL, &format) == -1);

    lo_log_set_format(LO_LOG_JSON);
    char *out = capture(emit_lines);
    lo_log_set_format(LO_LOG_LOGFMT);
    char *save = NULL;
    int lines = 0;
    for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_error_t error;
        json_t *o = json_loads(line, 0, &error);
        CHECK(o != NULL);
        if (!o)
            continue;
        lines++;
        CHECK(json_string_value(json_object_get(o, "ts")) != NULL);
        CHECK_STR(json_string_value(json_object_get(o, "level")), lines == 3 ? "info" : "warn");
        if (lines < 3) {
            CHECK_STR(json_string_value(json_object_get(o, "reason")), "bad \"file\"\n\x01");
            CHECK_STR(json_string_value(json_object_get(o, "rules")), "3");
            const char *repeated = json_string_value(json_object_get(o, "repeated"));
            CHECK(lines == 1 ? repeated == NULL : repeated && strcmp(repeated, "1") == 0);
        } else {
            CHECK_STR(json_string_value(json_object_get(o, "event")), "stopped");
        }
        json_decref(o);
    }
    CHECK(lines == 3); /* the repeat was folded, then written with repeated=1 */
    free(out);

    char small[40];
    const char body[] = "level=info event=listening url=\"http://127.0.0.1:8080/\"";
    size_t n =
        lo_logfmt_to_json("2026-12-02T00:00:00.000Z", body, sizeof body - 1, small, sizeof small);
    CHECK(n == strlen(small) && n < sizeof small);
    CHECK_STR(small, "{\"ts\":\"2026-12-02T00:00:00.000Z\"}");
    char big[256];
    lo_logfmt_to_json("T", body, sizeof body - 1, big, sizeof big);
    CHECK_STR(big, "{\"ts\":\"T\",\"level\":\"info\",\"event\":\"listening\","
                   "\"url\":\"http://127.0.0.1:8080/\"}");
    TEST_MAIN_END();
}
