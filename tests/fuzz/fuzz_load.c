/* fuzz_load.c - the response-set loader on one fuzzed response file: the input is written as
 * rules/fuzz.json into an otherwise empty folder and loaded. Every top-level key (rules, guards,
 * flows, answers, regions, replace, emoji, concepts, negation) is parsed from it. The set must
 * load or be refused with at least one error; a loaded set must answer a message. */
#include <stdio.h>

#include "fuzz.h"
#include "fuzz_engine.h"

static char dir[4096], file[4200];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    snprintf(dir, sizeof dir, "%s/set", fuzz_tempdir());
    snprintf(file, sizeof file, "%s/rules/fuzz.json", dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write(file, data, size);
    lo_engine *e = fuzz_load_set(dir, false);
    if (e)
        fuzz_reply(e, NULL, "hello", 5, NULL);
    lo_engine_free(e);
    return 0;
}
