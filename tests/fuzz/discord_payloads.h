/* discord_payloads.h - reads the data of a Discord dispatch the way the platform does
 * (discord.c's sink_dispatch): MESSAGE_CREATE as a message, INTERACTION_CREATE as a /leanon
 * invocation or a feedback button press, checking what the parsers promise. */
#ifndef LEANON_TESTS_FUZZ_DISCORD_PAYLOADS_H
#define LEANON_TESTS_FUZZ_DISCORD_PAYLOADS_H

#include <jansson.h>

/* The bot's own user id the harnesses use for mentions. */
#define FUZZ_DISCORD_SELF_ID "111111111111111111"

void fuzz_discord_payload(const char *type, const json_t *d, const char *self_id);

#endif
