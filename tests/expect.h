/* expect.h - the smallest test harness: EXPECT(cond) records a failure with its
 * place and carries on; a test's main returns expect_finish() (0 when all held). */
#ifndef LEANON_TESTS_EXPECT_H
#define LEANON_TESTS_EXPECT_H

#include <stdio.h>
#include <string.h>

static int expect_failures;
static int expect_checks;

#define EXPECT(cond) do { \
    expect_checks++; \
    if (!(cond)) { \
        expect_failures++; \
        fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
    } \
} while (0)

#define EXPECT_STR(got, want) do { \
    const char *expect_got_ = (got), *expect_want_ = (want); \
    expect_checks++; \
    if (!expect_got_ || strcmp(expect_got_, expect_want_) != 0) { \
        expect_failures++; \
        fprintf(stderr, "%s:%d: expected \"%s\", got \"%s\"\n", __FILE__, __LINE__, \
                expect_want_, expect_got_ ? expect_got_ : "(null)"); \
    } \
} while (0)

static inline int expect_finish(void)
{
    fprintf(stderr, "%d checks, %d failed\n", expect_checks, expect_failures);
    return expect_failures ? 1 : 0;
}

#endif
