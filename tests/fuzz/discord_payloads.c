/* discord_payloads.c - fuzz_discord_payload (discord_payloads.h): every parser of dispatch data
 * on one payload, and what a parsed message must look like. */
#include "discord_payloads.h"

#include <string.h>

#include "fuzz.h"
#include "platforms/discord_commands.h"
#include "platforms/discord_message.h"

static void check_inbound(const lo_discord_inbound *in)
{
    FUZZ_CHECK(in->msg.text != NULL && strlen(in->msg.text) == in->msg.text_len);
    FUZZ_CHECK(lo_discord_is_snowflake(in->channel_id));
    FUZZ_CHECK(lo_discord_is_snowflake(in->author_id));
    FUZZ_CHECK(in->guild_id[0] == '\0' ? in->msg.is_dm : lo_discord_is_snowflake(in->guild_id));
}

void fuzz_discord_payload(const char *type, const json_t *d, const char *self_id)
{
    if (!type || strcmp(type, "MESSAGE_CREATE") == 0) {
        lo_discord_inbound in;
        memset(&in, 0, sizeof in);
        if (lo_discord_message_parse(d, self_id, &in)) {
            check_inbound(&in);
            FUZZ_CHECK(lo_discord_is_snowflake(in.message_id));
        }
        lo_discord_inbound_clear(&in);
    }
    if (!type || strcmp(type, "INTERACTION_CREATE") == 0) {
        lo_discord_invocation inv;
        memset(&inv, 0, sizeof inv);
        if (lo_discord_invocation_parse(d, &inv)) {
            check_inbound(&inv.in);
            FUZZ_CHECK(inv.token != NULL && lo_discord_is_snowflake(inv.interaction_id));
            (void)lo_discord_invocation_private(&inv);
        }
        lo_discord_invocation_clear(&inv);
        lo_discord_feedback fb;
        memset(&fb, 0, sizeof fb);
        if (lo_discord_feedback_parse(d, &fb))
            FUZZ_CHECK(fb.token != NULL && lo_discord_is_snowflake(fb.interaction_id));
        lo_discord_feedback_clear(&fb);
    }
}
