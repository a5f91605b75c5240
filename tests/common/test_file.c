/* test_file.c - the one file reader: a whole file, an empty one, a missing one (-ENOENT,
 * the path in the message), a folder (-EISDIR), and one over the limit (-EFBIG). */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/file.h"
#include "testing.h"

static char dir[] = "/tmp/leanon-file-XXXXXX";

static void test_read(void)
{
    char *text;
    size_t len;
    lo_strbuf why = {0};
    CHECK(lo_file_read(test_write_file(dir, "a.json", "{\"a\": 1}\n"), 100, &text, &len, &why) ==
          0);
    CHECK_STR(text, "{\"a\": 1}\n");
    CHECK(len == 9 && why.len == 0);
    free(text);
    CHECK(lo_file_read(test_write_file(dir, "exact", "12345"), 5, &text, &len, NULL) == 0 &&
          len == 5);
    free(text);
    CHECK(lo_file_read(test_write_file(dir, "empty", ""), 5, &text, &len, NULL) == 0);
    CHECK(text && len == 0 && text[0] == '\0');
    free(text);
}

/* Reading path fails with rc and the message "PATH: cannot read: reason". */
static void expect_failure(const char *path, size_t max, int rc, const char *reason)
{
    char *text = (char *)"unset";
    size_t len = 1;
    lo_strbuf why = {0};
    char want[400];
    CHECK(lo_file_read(path, max, &text, &len, &why) == rc);
    CHECK(text == NULL && len == 0);
    snprintf(want, sizeof want, "%s: cannot read: %s", path, reason);
    CHECK_STR(why.data, want);
    lo_strbuf_free(&why);
    CHECK(lo_file_read(path, max, &text, &len, NULL) == rc); /* no message asked for */
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    test_read();
    char path[300];
    snprintf(path, sizeof path, "%s/missing.json", dir);
    expect_failure(path, 100, -ENOENT, "No such file or directory");
    expect_failure(dir, 100, -EISDIR, "Is a directory");
    expect_failure(test_write_file(dir, "big", "123456"), 5, -EFBIG,
                   "the file is larger than 5 bytes");
    CHECK_RM_TREE(dir);
    TEST_MAIN_END();
}
