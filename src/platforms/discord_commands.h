/* discord_commands.h - the /leanon slash command: its definition for registration, and reading
 * an INTERACTION_CREATE that invokes it.
 *
 * /leanon has subcommands help, reflect [text], resources, helpline, stop and start
 * (https://discord.com/developers/docs/interactions/application-commands). An invocation becomes
 * a lo_message whose text is the subcommand and its words ("reflect I feel lost"), so the bot
 * answers it as it answers "!leanon reflect I feel lost". The interaction token is a secret
 * (it lets anyone answer as the bot for 15 minutes): it is kept for the callback path only.
 */
#ifndef LEANON_PLATFORMS_DISCORD_COMMANDS_H
#define LEANON_PLATFORMS_DISCORD_COMMANDS_H

#include <stdbool.h>

#include <jansson.h>

#include "platforms/discord_message.h"

#define LO_DISCORD_COMMAND_NAME "leanon"

/* The command list for PUT .../commands (a new reference). */
json_t *lo_discord_commands_definition(void);

typedef struct lo_discord_invocation {
    lo_discord_inbound in; /* msg.text = "<subcommand> <words>" */
    char interaction_id[LO_DISCORD_ID_SIZE];
    char application_id[LO_DISCORD_ID_SIZE];
    char subcommand[16];
    char *token; /* heap; secret */
} lo_discord_invocation;

/* Reads an INTERACTION_CREATE payload. False when it is not /leanon from a person, or malformed. */
bool lo_discord_invocation_parse(const json_t *d, lo_discord_invocation *out);

/* Whether the answer to this subcommand is shown only to the person (helpline, stop, start);
 * crisis answers are ephemeral whatever the subcommand. */
bool lo_discord_invocation_private(const lo_discord_invocation *inv);

void lo_discord_invocation_clear(lo_discord_invocation *inv);

/* A press of the "Not helpful" button under a reply (an INTERACTION_CREATE of type 3, message
 * component): the rule that chose the reply, for the moderators' metrics, and what is needed
 * to thank the person (privately). Only the rule id is kept, never the reply's text. */
typedef struct lo_discord_feedback {
    char interaction_id[LO_DISCORD_ID_SIZE];
    char rule_id[64];
    char *token; /* heap; secret */
} lo_discord_feedback;

/* False when d is not a press of our button by a person, or is malformed. */
bool lo_discord_feedback_parse(const json_t *d, lo_discord_feedback *out);
void lo_discord_feedback_clear(lo_discord_feedback *fb);

#endif
