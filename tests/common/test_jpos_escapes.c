/* test_jpos_escapes.c - jpos-escaped-key: keys are matched decoded, as jansson holds them, so
 * an error under a key written with escapes points at its value, not at the parent. Every
 * JSON escape: the short ones, \uXXXX in either case, surrogate pairs; U+0000 and lone
 * surrogates become U+FFFD and never cut a name short. */
#include <string.h>

#include "common/jpos.h"
#include "testing.h"

/* Parses text, looks key up in the root object and checks the value's line:column. */
static void check_at(const char *text, const char *key, int line, int column)
{
    lo_jpos *root = lo_jpos_parse(text, strlen(text));
    CHECK(root != NULL);
    const lo_jpos *at = lo_jpos_key(root, key);
    if (!at || at->line != line || at->column != column)
        fprintf(stderr, "  %s: key not at %d:%d (%d:%d)\n", text, line, column, at ? at->line : 0,
                at ? at->column : 0);
    CHECK(at && at->line == line && at->column == column);
    lo_jpos_free(root);
}

static void check_missing(const char *text, const char *key)
{
    lo_jpos *root = lo_jpos_parse(text, strlen(text));
    CHECK(root != NULL);
    CHECK(lo_jpos_key(root, key) == NULL);
    lo_jpos_free(root);
}

int main(void)
{
    /* the defect: {"communities": {"a\u0062": {"bogus": 1}}} was located at 1:17 */
    const char *repro = "{\"communities\": {\"a\\u0062\": {\"bogus\": 1}}}";
    lo_jpos *root = lo_jpos_parse(repro, strlen(repro));
    const lo_jpos *ab = lo_jpos_key(lo_jpos_key(root, "communities"), "ab");
    CHECK(ab && ab->line == 1 && ab->column == 29 && ab->key_column == 18);
    const lo_jpos *bogus = lo_jpos_key(ab, "bogus");
    CHECK(bogus && bogus->line == 1 && bogus->column == 39);
    CHECK(lo_jpos_key(lo_jpos_key(root, "communities"), "a\\u0062") == NULL); /* not the raw text */
    lo_jpos_free(root);

    check_at("{\"\\\"\\\\\\/\\b\\f\\n\\r\\t\": 1}", "\"\\/\b\f\n\r\t", 1, 22);
    check_at("{\"caf\\u00e9\": 1}", "caf\xC3\xA9", 1, 15);
    check_at("{\"caf\\u00E9\": 1}", "caf\xC3\xA9", 1, 15);
    check_at("{\"\\u20AC\": 1}", "\xE2\x82\xAC", 1, 12);
    check_at("{\"\\ud83d\\ude00!\": 1}", "\xF0\x9F\x98\x80!", 1, 19); /* one character, 4 bytes */
    check_at("{\"\\uD83D\\uDE00\": 1}", "\xF0\x9F\x98\x80", 1, 18);
    check_at("{\"a\\u0000b\": 1}",
             "a\xEF\xBF\xBD"
             "b",
             1, 14);
    check_missing("{\"a\\u0000b\": 1}", "a");              /* never cut short at NUL */
    check_at("{\"\\ud800x\": 1}", "\xEF\xBF\xBDx", 1, 13); /* lone high surrogate */
    check_at("{\"\\udc00\": 1}", "\xEF\xBF\xBD", 1, 12);   /* lone low surrogate */
    check_at("{\n  \"x\": {},\n  \"n\\u0061me\": [1]\n}", "name", 3, 16);
    /* an escaped quote inside a value does not end the string early */
    check_at("{\"a\": \"say \\\"hi\\\"\", \"b\": 2}", "b", 1, 26);

    CHECK(lo_jpos_parse("{\"\\u12\": 1}", 11) == NULL); /* not JSON: no crash, no position */
    CHECK(lo_jpos_parse("{\"\\q\": 1}", 9) == NULL);
    TEST_MAIN_END();
}
