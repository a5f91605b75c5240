/* fuzz_message.c - messages through reply and explain against the shipped responses/, loaded
 * once. Each input line is one message of a conversation (at most 16), so flows and follow-ups
 * can start and go on: each line is explained in that conversation (text or JSON, by turns) and
 * then answered in it, alternating the helpline region. Every message must get a reply. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "fuzz_engine.h"
#include "leanon/tools.h"

#define MAX_TURNS 16

static lo_engine *engine;
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    engine = fuzz_load_set(LEANON_SOURCE_RESPONSES, true);
    FUZZ_CHECK(engine != NULL);
    devnull = fopen("/dev/null", "w");
    FUZZ_CHECK(devnull != NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lo_sessions *sessions = lo_sessions_new(&(lo_sessions_limits){0});
    lo_sessions_seed(sessions, 42);
    const uint8_t *p = data, *end = data + size;
    size_t len;
    const char *line;
    for (int turn = 0; turn < MAX_TURNS && (line = fuzz_next_line(&p, end, &len)); turn++) {
        char *text = fuzz_strndup((const uint8_t *)line, len);
        lo_session *conv = lo_sessions_get(sessions, "fuzz:conversation", turn);
        lo_explain(engine, conv, text, turn % 2, devnull);
        fuzz_reply(engine, conv, text, len, turn % 2 ? "US" : NULL);
        free(text);
    }
    lo_sessions_free(sessions);
    return 0;
}
