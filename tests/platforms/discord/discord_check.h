/* discord_check.h - the assertion macros the Discord tests share: report file:line and the
 * failed expression, count failures, and let main() return the verdict. */
#ifndef LEANON_TESTS_DISCORD_CHECK_H
#define LEANON_TESTS_DISCORD_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
            check_failures++;                                                          \
        }                                                                              \
    } while (0)

#define CHECK_EQ_U64(a, b)                                                             \
    do {                                                                               \
        unsigned long long check_a_ = (a), check_b_ = (b);                            \
        if (check_a_ != check_b_) {                                                    \
            fprintf(stderr, "%s:%d: check failed: %s == %s (%llu != %llu)\n",           \
                    __FILE__, __LINE__, #a, #b, check_a_, check_b_);                   \
            check_failures++;                                                          \
        }                                                                              \
    } while (0)

#define CHECK_STR(a, b)                                                                \
    do {                                                                               \
        const char *check_a_ = (a), *check_b_ = (b);                                   \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {               \
            fprintf(stderr, "%s:%d: check failed: %s == %s (\"%s\" != \"%s\")\n",       \
                    __FILE__, __LINE__, #a, #b, check_a_ ? check_a_ : "(null)",        \
                    check_b_ ? check_b_ : "(null)");                                   \
            check_failures++;                                                          \
        }                                                                              \
    } while (0)

#define CHECK_DONE() \
    (check_failures ? (fprintf(stderr, "%d check(s) failed\n", check_failures), 1) : 0)

#endif
