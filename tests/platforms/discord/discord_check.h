/* discord_check.h - the project's test harness (tests/testing.h) plus the one comparison the
 * Discord tests need that it lacks: two unsigned numbers, both printed when they differ. */
#ifndef LEANON_TESTS_DISCORD_CHECK_H
#define LEANON_TESTS_DISCORD_CHECK_H

#include "testing.h"

#define CHECK_EQ_U64(a, b)                                                             \
    do {                                                                               \
        unsigned long long check_a_ = (a), check_b_ = (b);                            \
        test_checks++;                                                                 \
        if (check_a_ != check_b_) {                                                    \
            test_failures++;                                                           \
            fprintf(stderr, "%s:%d: check failed: %s == %s (%llu != %llu)\n",           \
                    __FILE__, __LINE__, #a, #b, check_a_, check_b_);                   \
        }                                                                              \
    } while (0)

#endif
