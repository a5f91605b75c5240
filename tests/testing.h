/* testing.h - the smallest test harness: CHECK records a failure with its
 * place and goes on; TEST_MAIN_END prints the count and sets the exit code. */
#ifndef LEANON_TESTING_H
#define LEANON_TESTING_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failures;
static int test_checks;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        test_checks++;                                                                \
        if (!(cond)) {                                                                \
            test_failures++;                                                          \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);  \
        }                                                                             \
    } while (0)

#define CHECK_STR(got, want)                                                          \
    do {                                                                              \
        const char *g_ = (got), *w_ = (want);                                         \
        test_checks++;                                                                \
        if (!g_ || strcmp(g_, w_) != 0) {                                             \
            test_failures++;                                                          \
            fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__,   \
                    g_ ? g_ : "(null)", w_);                                          \
        }                                                                             \
    } while (0)

/* Removes a test's temp folder and all in it, checking that it went. */
#define CHECK_RM_TREE(dir)                                                            \
    do {                                                                              \
        char rm_[1024];                                                               \
        snprintf(rm_, sizeof rm_, "rm -rf '%s'", (dir));                              \
        CHECK(system(rm_) == 0);                                                      \
    } while (0)

#define TEST_MAIN_END()                                                               \
    do {                                                                              \
        printf("%d checks, %d failed\n", test_checks, test_failures);                 \
        return test_failures ? 1 : 0;                                                 \
    } while (0)

#endif
