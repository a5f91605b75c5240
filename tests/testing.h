/* testing.h - the one test harness of leanon's C tests: CHECK records a failure
 * with its place and goes on (CHECK_STR and CHECK_EQ_U64 print both values);
 * TEST_MAIN_END returns from main, CHECK_DONE() is the same verdict as a value. */
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

#define CHECK_EQ_U64(a, b)                                                            \
    do {                                                                              \
        unsigned long long check_a_ = (a), check_b_ = (b);                           \
        test_checks++;                                                                \
        if (check_a_ != check_b_) {                                                   \
            test_failures++;                                                          \
            fprintf(stderr, "%s:%d: check failed: %s == %s (%llu != %llu)\n",          \
                    __FILE__, __LINE__, #a, #b, check_a_, check_b_);                  \
        }                                                                             \
    } while (0)

/* The exit status of main: 0 when every check held; prints the count. */
#define CHECK_DONE() \
    (printf("%d checks, %d failed\n", test_checks, test_failures), test_failures ? 1 : 0)

#define TEST_MAIN_END()                                                               \
    do {                                                                              \
        printf("%d checks, %d failed\n", test_checks, test_failures);                 \
        return test_failures ? 1 : 0;                                                 \
    } while (0)

#endif
