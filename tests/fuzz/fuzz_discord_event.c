/* fuzz_discord_event.c - the Discord event parsers on their own: the input is the "d" object of
 * a dispatch, read as a MESSAGE_CREATE (lo_discord_message_parse, mention stripping, id checks)
 * and as an INTERACTION_CREATE (a /leanon invocation, a feedback button press). The gateway
 * harness reaches them too, but only through a whole frame; here every input is a payload. */
#include <stdint.h>

#include "discord_payloads.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *d = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    fuzz_discord_payload(NULL, d, FUZZ_DISCORD_SELF_ID);
    json_decref(d);
    return 0;
}
