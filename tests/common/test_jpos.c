/* test_jpos.c - positions in JSON text: line and column (in characters, not
 * bytes) of values and keys, through nesting, escapes and multi-byte text;
 * NULL for text that is not JSON. */
#include <string.h>

#include "common/jpos.h"
#include "testing.h"

int main(void)
{
    const char *text = "{\n"
                       "  \"rules\": [\n"
                       "    {\"id\": \"caf\xC3\xA9\", \"say\": \"a \\\"q\\\" b\", \"n\": 12},\n"
                       "    {\"id\": \"x\"}\n"
                       "  ],\n"
                       "  \"empty\": {}\n"
                       "}\n";
    lo_jpos *root = lo_jpos_parse(text, strlen(text));
    CHECK(root != NULL);
    const lo_jpos *rules = lo_jpos_key(root, "rules");
    CHECK(rules && rules->line == 2 && rules->column == 12);
    CHECK(rules && rules->key_line == 2 && rules->key_column == 3);
    const lo_jpos *first = lo_jpos_index(rules, 0);
    CHECK(first && first->line == 3 && first->column == 5);
    const lo_jpos *say = lo_jpos_key(first, "say");
    CHECK(say && say->line == 3 && say->column == 27); /* "café" is 4 characters, 5 bytes */
    const lo_jpos *n = lo_jpos_key(first, "n");
    CHECK(n && n->line == 3 && n->column == 45); /* escapes are 2 characters each */
    CHECK(lo_jpos_key(lo_jpos_index(rules, 1), "id") != NULL);
    CHECK(lo_jpos_index(rules, 2) == NULL);
    CHECK(lo_jpos_key(root, "missing") == NULL);
    CHECK(lo_jpos_key(root, "empty") && lo_jpos_key(root, "empty")->nchildren == 0);
    lo_jpos_free(root);

    CHECK(lo_jpos_parse("{\"a\": [1, 2", 11) == NULL);
    CHECK(lo_jpos_parse("{\"a\" 1}", 7) == NULL);
    char deep[300];
    memset(deep, '[', sizeof deep);
    CHECK(lo_jpos_parse(deep, sizeof deep) ==
          NULL); /* nesting is bounded, never a stack overflow */
    TEST_MAIN_END();
}
