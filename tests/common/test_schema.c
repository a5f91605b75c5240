/* test_schema.c - the one JSON walker: known keys (an unknown one reported at its own line
 * and column, with a "did you mean" when one is close, the allowed list when none is), each
 * typed getter on a good value, a wrong type and a number out of range (reported at the value,
 * the fallback returned), nested objects, lists of texts (every bad item at its place),
 * required keys, and keys written with escapes (matched and placed as jansson decodes them). */
#include <string.h>

#include "common/buf.h"
#include "common/jpos.h"
#include "common/schema.h"
#include "testing.h"

static lo_strbuf found; /* every finding, "line:column: message\n" */

static void record(void *ctx, int line, int column, const char *message)
{
    (void)ctx;
    lo_strbuf_addf(&found, "%d:%d: %s\n", line, column, message);
}

static lo_sink sink = {.report = record};

typedef struct doc {
    json_t *json;
    lo_jpos *pos;
    lo_schema root;
} doc;

static doc parse(const char *text)
{
    doc d = {.json = json_loads(text, JSON_REJECT_DUPLICATES, NULL),
             .pos = lo_jpos_parse(text, strlen(text))};
    CHECK(d.json && d.pos);
    d.root = (lo_schema){.json = d.json, .pos = d.pos, .what = "the file", .sink = &sink};
    return d;
}

static void done(doc *d)
{
    json_decref(d->json);
    lo_jpos_free(d->pos);
}

/* The findings since the last call are exactly want. */
static void expect_found(const char *want)
{
    CHECK_STR(found.data ? found.data : "", want);
    lo_strbuf_free(&found);
}

static const char *const keys[] = {"name", "count", "flag", "inner", "bad"};

static const char good[] =
    "{\n"
    "  \"name\": \"x\", \"count\": 7, \"flag\": true,\n"
    "  \"inner\": {\"deep\": {\"colour\": \"red\"}, \"tags\": [\"a\", \"b\"]}\n"
    "}\n";

static void test_good_values(void)
{
    doc d = parse(good);
    CHECK(lo_schema_keys(&d.root, keys, 5));
    CHECK_STR(lo_schema_string(&d.root, "name", true, NULL), "x");
    CHECK(lo_schema_whole(&d.root, "count", -1, 0, 7, "") == 7); /* the bound is in */
    CHECK(lo_schema_bool(&d.root, "flag", false) == true);
    done(&d);
}

static void test_absent(void)
{
    doc d = parse(good);
    CHECK(lo_schema_bool(&d.root, "absent", true) == true); /* absent: fallback */
    CHECK(lo_schema_whole(&d.root, "absent", 42, 0, 7, "") == 42);
    CHECK_STR(lo_schema_string(&d.root, "absent", false, "dflt"), "dflt");
    done(&d);
}

static void test_good_objects(void)
{
    doc d = parse(good);
    lo_schema inner, deep;
    CHECK(lo_schema_object(&d.root, "inner", "inner", &inner) && strcmp(inner.what, "inner") == 0);
    CHECK(lo_schema_object(&inner, "deep", "inner.deep", &deep));
    CHECK_STR(lo_schema_string(&deep, "colour", false, NULL), "red");
    CHECK(!lo_schema_object(&inner, "absent", "x", &deep));
    done(&d);
}

static void test_good_lists(void)
{
    doc d = parse(good);
    lo_schema inner;
    CHECK(lo_schema_object(&d.root, "inner", "inner", &inner));
    lo_strings tags;
    CHECK(lo_schema_strings(&inner, "tags", true, 10, &tags) && tags.n == 2);
    CHECK_STR(tags.v[1], "b");
    CHECK(tags.v[2] == NULL); /* NULL-terminated */
    lo_strings_free(&tags);
    CHECK(lo_schema_strings(&inner, "absent", false, 0, &tags) && tags.v == NULL && tags.n == 0);
    CHECK(sink.count == 0);
    expect_found("");
    done(&d);
}

static const char bad[] = "{\n"
                          "  \"nmae\": 1,\n"
                          "  \"count\": 1.5, \"big\": 11, \"flag\": \"yes\", \"name\": \"\",\n"
                          "  \"inner\": [],\n"
                          "  \"tags\": [\"a\", 3, \" \", \"toolong\"], \"one\": \"text\",\n"
                          "  \"zzzzzz\": {}\n"
                          "}\n";

static const char *const bad_keys[] = {"name", "count", "big", "flag", "inner", "tags", "one"};

static void test_unknown_keys(void)
{
    doc d = parse(bad);
    d.root.what = "a thing";
    CHECK(!lo_schema_keys(&d.root, bad_keys, 7));
    expect_found("2:3: unknown key \"nmae\" in a thing; did you mean \"name\"? (allowed: \"name\", "
                 "\"count\", \"big\", \"flag\", \"inner\", \"tags\", \"one\")\n"
                 "6:3: unknown key \"zzzzzz\" in a thing; remove it or use one of \"name\", "
                 "\"count\", \"big\", \"flag\", \"inner\", \"tags\", \"one\"\n");
    done(&d);
}

static void test_wrong_scalars(void)
{
    doc d = parse(bad);
    CHECK(lo_schema_whole(&d.root, "count", 5, 0, 10, "") == 5);
    CHECK(lo_schema_whole(&d.root, "big", 5, 0, 10, ", or \"auto\"") == 5);
    CHECK(lo_schema_whole(&d.root, "big", 5, 0, 11, "") == 11);
    CHECK(lo_schema_bool(&d.root, "flag", true) == true);
    CHECK(lo_schema_string(&d.root, "name", false, NULL) == NULL);
    lo_schema inner;
    CHECK(!lo_schema_object(&d.root, "inner", "inner", &inner));
    expect_found("3:12: \"count\" must be a whole number from 0 to 10\n"
                 "3:24: \"big\" must be a whole number from 0 to 10, or \"auto\"\n"
                 "3:36: \"flag\" must be true or false\n"
                 "3:51: \"name\" must be a non-empty text in quotes\n"
                 "4:12: \"inner\" must be an object in { }\n");
    done(&d);
}

/* true or false in quotes is named as such; any other text is not told to lose its quotes. */
static void test_quoted_flag(void)
{
    doc d = parse("{\"a\": \"true\", \"b\": \"yes\"}");
    CHECK(lo_schema_bool(&d.root, "a", false) == false);
    CHECK(lo_schema_bool(&d.root, "b", false) == false);
    expect_found("1:7: \"a\" must be true or false, without quotes\n"
                 "1:20: \"b\" must be true or false\n");
    done(&d);
}

static void test_wrong_lists(void)
{
    doc d = parse(bad);
    d.root.what = "a thing";
    lo_strings list;
    CHECK(!lo_schema_strings(&d.root, "tags", false, 4, &list) && list.v == NULL);
    CHECK(!lo_schema_strings(&d.root, "one", false, 0, &list));
    CHECK(!lo_schema_strings(&d.root, "inner", true, 0, &list));
    CHECK(!lo_schema_strings(&d.root, "absent", true, 0, &list));
    CHECK(lo_schema_string(&d.root, "absent", true, NULL) == NULL);
    expect_found(
        "5:17: item 2 of \"tags\" must be a text in quotes\n"
        "5:20: item 3 of \"tags\" is empty; write a text or remove it\n"
        "5:25: item 4 of \"tags\" is 7 bytes long; keep it under 4\n"
        "5:44: \"one\" must be a list: put the text in [ ], e.g. [\"text\"]\n"
        "4:12: \"inner\" is empty; a thing needs at least one\n"
        "1:1: a thing needs \"absent\": a list of texts in [ ], e.g. \"absent\": [\"...\"]\n"
        "1:1: a thing needs \"absent\"\n");
    CHECK(sink.count == 14);
    done(&d);
}

/* Keys written with escapes are found by the name jansson gives them, and placed where they
 * are written; columns count characters, not bytes (once app/json_locate's assertions). */
static void test_escapes_and_columns(void)
{
    doc d = parse(
        "{\"c\": {\"a\\u0062\": {\"bogus\": 1}},\n \"\xC3\xA9t\xC3\xA9\": 1, \"f\": [10, {\"g\": 2}]}");
    lo_schema c, ab, f;
    CHECK(lo_schema_object(&d.root, "c", "c", &c) && lo_schema_object(&c, "ab", "c.ab", &ab));
    static const char *const none[] = {"good"};
    CHECK(!lo_schema_keys(&ab, none, 1));
    CHECK(lo_schema_whole(&d.root, "\xC3\xA9t\xC3\xA9", 0, 2, 3, "") == 0);
    CHECK(!lo_schema_object(&d.root, "f", "f", &f));
    lo_sink *s = &sink;
    lo_report(s, lo_jpos_key(lo_jpos_index(lo_jpos_key(d.pos, "f"), 1), "g"), false, "here");
    lo_report(s, NULL, false, "the file itself");
    expect_found("1:20: unknown key \"bogus\" in c.ab; remove it or use one of \"good\"\n"
                 "2:9: \"\xC3\xA9t\xC3\xA9\" must be a whole number from 2 to 3\n"
                 "2:17: \"f\" must be an object in { }\n"
                 "2:28: here\n"
                 "0:0: the file itself\n");
    done(&d);
}

static void test_suggest(void)
{
    static const char *const words[] = {"responses", "listen", "platforms"};
    CHECK_STR(lo_suggest("respones", words, 3), "responses"); /* one edit */
    CHECK_STR(lo_suggest("lsiten", words, 3), "listen");      /* two edits */
    CHECK(lo_suggest("xyz", words, 3) == NULL);               /* too far from all */
    CHECK(lo_suggest("lis", words, 3) == NULL);               /* three edits */
}

int main(void)
{
    test_good_values();
    test_absent();
    test_good_objects();
    test_good_lists();
    test_unknown_keys();
    test_wrong_scalars();
    test_wrong_lists();
    test_quoted_flag();
    test_escapes_and_columns();
    test_suggest();
    TEST_MAIN_END();
}
