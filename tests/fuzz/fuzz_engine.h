/* fuzz_engine.h - what the engine harnesses (load, content, message) share: loading a set with
 * the loader's promise checked, and one reply with the engine's promises checked. */
#ifndef LEANON_TESTS_FUZZ_ENGINE_H
#define LEANON_TESTS_FUZZ_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "leanon/engine.h"

/* Loads dir; NULL is allowed only with at least one error. Prints the errors when loud. */
lo_engine *fuzz_load_set(const char *dir, bool loud);

/* Answers text in conv (may be NULL) for region (NULL = international): a reply with text and a
 * category must come back. */
void fuzz_reply(const lo_engine *e, lo_session *conv, const char *text, size_t len,
                const char *region);

#endif
