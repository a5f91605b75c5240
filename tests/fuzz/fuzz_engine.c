/* fuzz_engine.c - the helpers of fuzz_engine.h. */
#include "fuzz_engine.h"

#include <stdio.h>

#include "fuzz.h"

lo_engine *fuzz_load_set(const char *dir, bool loud)
{
    lo_diags *d = lo_diags_new();
    lo_engine *e = lo_engine_load(dir, d);
    FUZZ_CHECK(e != NULL || lo_diags_errors(d) > 0);
    if (!e && loud)
        lo_diags_print(d, stderr);
    lo_diags_free(d);
    return e;
}

void fuzz_reply(const lo_engine *e, lo_session *conv, const char *text, size_t len,
                const char *region)
{
    lo_message msg = {.platform = "fuzz",
                      .channel = "c",
                      .author = "a",
                      .is_dm = true,
                      .text = text,
                      .text_len = len};
    lo_reply_options opts = {.region = region};
    lo_reply r = {0};
    lo_engine_reply(e, conv, &msg, &opts, &r);
    FUZZ_CHECK(r.text != NULL);
    FUZZ_CHECK(r.category[0] != '\0');
    lo_reply_clear(&r);
}
