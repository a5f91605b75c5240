/* net_check.h - the assertion macro the net tests share: report file:line and the failed
 * expression, count failures, and let main() return the verdict. */
#ifndef LEANON_TESTS_NET_CHECK_H
#define LEANON_TESTS_NET_CHECK_H

#include <stdio.h>

static int check_failures;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            check_failures++;                                                  \
        }                                                                      \
    } while (0)

#define CHECK_EQ_U64(a, b)                                                     \
    do {                                                                       \
        unsigned long long check_a_ = (a), check_b_ = (b);                    \
        if (check_a_ != check_b_) {                                            \
            fprintf(stderr, "%s:%d: check failed: %s == %s (%llu != %llu)\n",   \
                    __FILE__, __LINE__, #a, #b, check_a_, check_b_);           \
            check_failures++;                                                  \
        }                                                                      \
    } while (0)

#define CHECK_DONE() (check_failures ? (fprintf(stderr, "%d check(s) failed\n", check_failures), 1) : 0)

#endif
