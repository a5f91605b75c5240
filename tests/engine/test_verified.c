/* test_verified.c - `leanon check` and the helplines' "verified" dates: a
 * region not yet verified and one verified more than 6 months ago are
 * warnings, one verified more than 12 months ago is a failure, with exact
 * messages; today is injected with LEANON_TODAY. A date that is not
 * YYYY-MM-DD is a load error. argv[1] is the fixture set. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leanon/tools.h"
#include "fixture.h"
#include "testing.h"

static const char *fixture;

/* The fixture set plus regions.json with text, loaded from dir (now
 * removed); the first error as "line:column: message" in err. */
static lo_engine *load_with(const char *text, char *dir, char *err, size_t errlen)
{
    return fixture_load(fixture, NULL, "regions.json", text, true, err, errlen, dir);
}

#define REGION(code, verified)                                                                     \
    "\"" code "\": {\"name\": \"" code "\", \"emergency\": \"112\"" verified                       \
    ", \"crisis\": [{\"name\": \"Line\", \"call\": \"1\"}]}"

static void test_dates(void)
{
    char dir[64], err[512];
    lo_engine *e = load_with(
        "{\"regions\": {\n" REGION("XA", "") ",\n" REGION("XB", ", \"verified\": \"2026-06-01\"") ",\n" REGION(
            "XC",
            ", \"verified\": \"2025-12-01\"") ",\n" REGION("XD",
                                                           ", \"verified\": \"2026-06-02\"") ",\n" REGION("XE",
                                                                                                          ", \"verified\": \"2025-12-02\"") "\n}}\n",
        dir, err, sizeof err);
    CHECK(e != NULL);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    lo_check_summary s;
    setenv("LEANON_TODAY", "2026-12-02", 1);
    lo_check_run(e, NULL, out, &s);
    fclose(out);
    char want[2048];
    snprintf(want, sizeof want,
             "%s/regions.json:2:7: warning: region \"XA\" is not yet verified: check it against "
             "its source and add the date (\"verified\": \"YYYY-MM-DD\")\n"
             "%s/regions.json:3:7: warning: region \"XB\" was verified on 2026-06-01, more than "
             "6 months ago: check it against its source and update the date\n"
             "%s/regions.json:4:7: error: region \"XC\" was verified on 2025-12-01, more than 12 "
             "months ago: check it against its source and update the date\n"
             "%s/regions.json:6:7: warning: region \"XE\" was verified on 2025-12-02, more than "
             "6 months ago: check it against its source and update the date\n",
             dir, dir, dir, dir);
    /* the fixture's own regions (checked 2026-11-01) and XD (exactly 6 months) are fine */
    CHECK_STR(text, want);
    CHECK(s.failures == 1);
    CHECK(s.warnings == 3);
    free(text);
    lo_engine_free(e);
}

static void test_bad_date(void)
{
    char dir[64], err[512];
    lo_engine *e =
        load_with("{\"regions\": {\n" REGION("XA", ", \"verified\": \"2026-13-01\"") "}}\n", dir,
                  err, sizeof err);
    CHECK(e == NULL);
    CHECK_STR(err, "2:54: region \"XA\": \"verified\" must be the date its numbers were last "
                   "checked against its source, as YYYY-MM-DD");
    lo_engine_free(e);
}

int main(int argc, char **argv)
{
    fixture = argc > 1 ? argv[1] : "data/set";
    test_dates();
    test_bad_date();
    TEST_MAIN_END();
}
