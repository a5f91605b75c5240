/* fuzz.h - what the libFuzzer harnesses in tests/fuzz share: invariant checks that abort (so
 * libFuzzer records the input), NUL-terminated copies, line splitting and temp files. */
#ifndef LEANON_TESTS_FUZZ_H
#define LEANON_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* A broken invariant is a finding: print it and abort, so libFuzzer saves the input. */
#define FUZZ_CHECK(cond) ((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond))
_Noreturn void fuzz_fail(const char *file, int line, const char *what);

/* A heap copy of data with a NUL after it. */
char *fuzz_strndup(const uint8_t *data, size_t size);

/* The next '\n'-separated line of [*p, end): its start and length (without the '\n'); advances
 * *p past it. NULL when nothing is left. */
const char *fuzz_next_line(const uint8_t **p, const uint8_t *end, size_t *len);

/* A new folder under $TMPDIR (or /tmp), removed with everything in it when the process exits. */
const char *fuzz_tempdir(void);
/* Writes data to path, creating the folders it needs. */
void fuzz_write(const char *path, const void *data, size_t size);
/* Copies the tree src into dst (which may exist); files are read whole. */
void fuzz_copy_tree(const char *src, const char *dst);
/* The whole file (heap, NUL-terminated) and its length; aborts when it cannot be read. */
char *fuzz_slurp(const char *path, size_t *len);

#endif
