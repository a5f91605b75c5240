/* testing.h - the one test harness of leanon's C tests: CHECK records a failure
 * with its place and goes on (CHECK_STR and CHECK_EQ_U64, which compares integers of
 * any types by value, print both values);
 * TEST_MAIN_END returns from main, CHECK_DONE() is the same verdict as a value. */
#ifndef LEANON_TESTING_H
#define LEANON_TESTING_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int test_failures;
static int test_checks;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        test_checks++;                                                                             \
        if (!(cond)) {                                                                             \
            test_failures++;                                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        test_checks++;                                                                             \
        if (!g_ || strcmp(g_, w_) != 0) {                                                          \
            test_failures++;                                                                       \
            fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__,                \
                    g_ ? g_ : "(null)", w_);                                                       \
        }                                                                                          \
    } while (0)

/* Removes a test's temp folder and all in it, checking that it went. */
#define CHECK_RM_TREE(dir)                                                                         \
    do {                                                                                           \
        char rm_[1024];                                                                            \
        snprintf(rm_, sizeof rm_, "rm -rf '%s'", (dir));                                           \
        CHECK(system(rm_) == 0);                                                                   \
    } while (0)

/* CHECK_EQ_U64 compares two integers of any types by value: each side becomes a
 * check_int_ (sign and magnitude) through check_int_s_ (signed types: long long) or
 * check_int_u_ (unsigned types: unsigned long long), so -1 never equals UINT64_MAX
 * as it would after a plain conversion to unsigned, and a negative value prints as one. */
typedef struct {
    int negative;
    unsigned long long magnitude;
} check_int_;

static inline check_int_ check_int_s_(long long v)
{
    /* the magnitude of a negative value computed in unsigned arithmetic (no overflow at LLONG_MIN) */
    check_int_ r = {v < 0, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v};
    return r;
}

static inline check_int_ check_int_u_(unsigned long long v)
{
    check_int_ r = {0, v};
    return r;
}

#define CHECK_INT_(x)                                                                              \
    _Generic((x), _Bool                                                                            \
             : check_int_u_, unsigned char                                                         \
             : check_int_u_, unsigned short                                                        \
             : check_int_u_, unsigned int                                                          \
             : check_int_u_, unsigned long                                                         \
             : check_int_u_, unsigned long long                                                    \
             : check_int_u_, default                                                               \
             : check_int_s_)(x)

#define CHECK_EQ_U64(a, b)                                                                         \
    do {                                                                                           \
        check_int_ check_a_ = CHECK_INT_(a), check_b_ = CHECK_INT_(b);                             \
        test_checks++;                                                                             \
        if (check_a_.negative != check_b_.negative || check_a_.magnitude != check_b_.magnitude) {  \
            test_failures++;                                                                       \
            fprintf(stderr, "%s:%d: check failed: %s == %s (%s%llu != %s%llu)\n", __FILE__,        \
                    __LINE__, #a, #b, check_a_.negative ? "-" : "", check_a_.magnitude,            \
                    check_b_.negative ? "-" : "", check_b_.magnitude);                             \
        }                                                                                          \
    } while (0)

/* Sleeps ms milliseconds (nanosleep: usleep is obsolete and may refuse a second or more). */
/* Writes text to dir/name (for tests that need a file on disk); returns the
 * path, valid until the next call. A file that cannot be written fails the test. */
static inline const char *test_write_file(const char *dir, const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0) {
        fprintf(stderr, "cannot write %s\n", path);
        test_failures++;
    }
    if (f)
        fclose(f);
    return path;
}

static inline int test_sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    return nanosleep(&ts, NULL);
}

/* The exit status of main: 0 when every check held; prints the count. */
#define CHECK_DONE()                                                                               \
    (printf("%d checks, %d failed\n", test_checks, test_failures), test_failures ? 1 : 0)

#define TEST_MAIN_END()                                                                            \
    do {                                                                                           \
        printf("%d checks, %d failed\n", test_checks, test_failures);                              \
        return test_failures ? 1 : 0;                                                              \
    } while (0)

#endif
