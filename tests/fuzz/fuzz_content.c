/* fuzz_content.c - the content files the loader reads besides rules: normalisation (replace,
 * emoji, negation, concepts, as in responses/normalise/) and helplines (regions, as in
 * responses/safety/helplines.json). The input is one such file, and it is the only one in the
 * set: the surrounding set is the small engine fixture (tests/engine/data/set) without its
 * normalise.json and without its regions, so the load succeeds only with the fuzzed tables
 * (the shipped set is too slow to load on every input). A set that loads must answer messages
 * through the fuzzed normalisation and helplines, in both regions. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_engine.h"

static char dir[4096], content[4200];

static const char *const messages[] = {
    "hi there", "I feel so alone",          "i dont want to live anymore 😭", "im not sure",
    "yes",      "can u give me a helpline",
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    snprintf(dir, sizeof dir, "%s/set", fuzz_tempdir());
    fuzz_copy_tree(LEANON_FUZZ_FIXTURE_SET, dir);
    char path[4200];
    snprintf(path, sizeof path, "%s/normalise.json", dir);
    FUZZ_CHECK(remove(path) == 0);
    snprintf(path, sizeof path, "%s/safety.json", dir);
    json_t *safety = json_load_file(path, 0, NULL);
    FUZZ_CHECK(safety != NULL && json_object_del(safety, "regions") == 0);
    FUZZ_CHECK(json_dump_file(safety, path, JSON_INDENT(2)) == 0);
    json_decref(safety);
    snprintf(content, sizeof content, "%s/content.json", dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write(content, data, size);
    lo_engine *e = fuzz_load_set(dir, false);
    for (size_t i = 0; e && i < sizeof messages / sizeof *messages; i++)
        fuzz_reply(e, NULL, messages[i], strlen(messages[i]), i % 2 ? "US" : NULL);
    lo_engine_free(e);
    return 0;
}
