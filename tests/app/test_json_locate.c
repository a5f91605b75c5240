/* test_json_locate.c - finding a value's line and column by path, escaped keys included. */
#include "app/json_locate.h"

#include "../testing.h"

static int line, column;

static int locate(const char *text, const char *const *path, size_t depth)
{
    return lo_json_locate(text, strlen(text), path, depth, &line, &column);
}

int main(void)
{
    const char *text =
        "{\n  \"a\": {\"b\": [10, {\"c\": \"x\"}]},\n  \"d\\\"e\": true,\n  \"é\": 1, \"f\": 2\n}";
    const char *abc[] = {"a", "b", "1", "c"};
    CHECK(locate(text, abc, 4) == 0 && line == 2 && column == 25);
    CHECK(locate(text, abc, 2) == 0 && line == 2 && column == 14);
    CHECK(locate(text, abc, 0) == 0 && line == 1 && column == 1);
    const char *f[] = {"f"};
    CHECK(locate(text, f, 1) == 0 && line == 4 && column == 16); /* columns count characters */
    const char *missing[] = {"a", "zzz"};
    CHECK(locate(text, missing, 2) == -1 && line == 2 && column == 8); /* deepest found: "a" */
    const char *past_end[] = {"a", "b", "5"};
    CHECK(locate(text, past_end, 3) == -1);
    /* keys are matched decoded: "a\u0062" is the key "ab" (jpos-escaped-key) */
    const char *escaped = "{\"c\": {\"a\\u0062\": {\"bogus\": 1}}}";
    const char *ab_bogus[] = {"c", "ab", "bogus"};
    CHECK(locate(escaped, ab_bogus, 3) == 0 && line == 1 && column == 29);
    const char *pair[] = {"\xF0\x9F\x98\x80"};
    CHECK(locate("{\n \"\\ud83d\\ude00\": 5}", pair, 1) == 0 && line == 2 && column == 18);
    const char *truncated[] = {"a", "b"};
    CHECK(locate("{\"a\": {\"b\"", truncated, 2) == -1);
    TEST_MAIN_END();
}
