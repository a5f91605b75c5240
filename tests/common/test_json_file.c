/* test_json_file.c - what a JSON file that does not parse is reported as: a byte-order
 * mark, a trailing comma and a curly quote where a straight one belongs are named at
 * the place to fix (line and column in characters); curly quotes inside a text are
 * never blamed; any other mistake keeps jansson's words and place. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/json_file.h"
#include "testing.h"

static char dir[] = "/tmp/leanon-json-file-XXXXXX";

static void keep_first(void *ctx, int line, int column, const char *message)
{
    lo_strbuf *b = ctx;
    if (!b->len)
        lo_strbuf_addf(b, "%d:%d: %s", line, column, message);
}

/* Parsing text must fail with exactly want ("LINE:COLUMN: message"). */
static void expect_report(const char *text, const char *want)
{
    lo_strbuf got = {0};
    lo_sink sink = {.report = keep_first, .ctx = &got};
    lo_jpos *pos = NULL;
    json_t *json = lo_json_file(test_write_file(dir, "t.json", text), 4096, &sink, &pos);
    CHECK(json == NULL && pos == NULL && sink.count == 1);
    CHECK_STR(got.data, want);
    json_decref(json);
    lo_strbuf_free(&got);
}

static const char curly_hint[] =
    ": JSON needs a straight quote \" around every key and text (curly quotes are fine inside a "
    "text)";

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    char want[300];
    expect_report("\xef\xbb\xbf{\"a\": 1}",
                  "1:1: the file starts with a byte-order mark (an invisible character some "
                  "editors add); save it as UTF-8 without a byte-order mark (\"UTF-8\", not "
                  "\"UTF-8 with BOM\")");
    expect_report("{\"a\": [1,\n  2,\n  ]}",
                  "2:4: trailing comma: JSON allows no comma after the last item before ]; "
                  "remove this comma");
    expect_report("{\"é\": \"ü\",}", "1:10: trailing comma: JSON allows no comma after the "
                                     "last item before }; remove this comma");
    snprintf(want, sizeof want, "1:8: curly quote \u201c%s", curly_hint);
    expect_report("{\"a\": [\u201cx\u201d]}", want);
    snprintf(want, sizeof want, "1:9: curly quote \u2019%s", curly_hint);
    expect_report("{\"a\": \"x\u2019, \"b\": 1}", want);
    /* curly quotes inside a text are fine: the real mistake is reported */
    expect_report("{\"a\": \"he said \u201cno\u201d, fine\" 5}",
                  "1:28: this is not valid JSON: '}' expected near '5'. Look for a missing "
                  "comma, quote or bracket at or just before this place");
    expect_report("{\"a\": \"\u201cok\u201d\",\n \"b\": 1 \"c\": 2}",
                  "2:11: this is not valid JSON: '}' expected near '\"c\"'. Look for a missing "
                  "comma, quote or bracket at or just before this place");
    expect_report("{\"a\": 1, \"a\": 2}", "1:12: a key appears twice in the same { } (duplicate "
                                          "object key near '\"a\"'); keep only one");
    CHECK_RM_TREE(dir);
    TEST_MAIN_END();
}
