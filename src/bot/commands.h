/* commands.h - recognising "!leanon <command>" and the commands the bot
 * answers itself (stop, start, about). Every other command (help, reflect,
 * tips, resources, helpline, ...) goes to the engine as its text without the
 * prefix: the response set has rules for them.
 */
#ifndef LEANON_BOT_COMMANDS_H
#define LEANON_BOT_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#define LO_DEFAULT_PREFIX "!leanon"

typedef enum lo_command_kind {
    LO_COMMAND_ENGINE = 0, /* answered by the engine: text is what to ask it */
    LO_COMMAND_STOP,       /* opt out everywhere */
    LO_COMMAND_START,      /* opt back in */
    LO_COMMAND_ABOUT       /* what the bot is and what it stores */
} lo_command_kind;

typedef struct lo_command {
    lo_command_kind kind;
    const char *text; /* the words after the prefix, trimmed; points into the message */
    size_t text_len;
} lo_command;

/* True when text starts with prefix (case-insensitive, after leading spaces)
 * followed by a space, ':' ',' or the end. A bare prefix means "help". */
bool lo_command_parse(const char *prefix, const char *text, size_t text_len, lo_command *out);

/* In a DM the prefix is optional for the bot's own commands: true when the
 * whole text is "stop", "start" or "about" (any case, spaces around). */
bool lo_command_parse_bare(const char *text, size_t text_len, lo_command *out);

/* What the bot says for STOP, START and ABOUT (prefix names the commands,
 * memory_minutes is how long a conversation is kept); NULL for
 * LO_COMMAND_ENGINE. Returns a heap string. */
char *lo_command_answer(lo_command_kind kind, const char *prefix, unsigned memory_minutes);

/* What the bot says when STOP or START could not be saved: that it did not
 * take, to try again, and (for STOP) that leaving or muting always works.
 * Never a confirmation. NULL for the other kinds. Returns a heap string. */
char *lo_command_unsaved_answer(lo_command_kind kind, const char *prefix);

/* Category recorded for the bot's own answers ("command-stop", ...), and for
 * the answers that say a STOP or START was not saved ("command-stop-failed"). */
const char *lo_command_category(lo_command_kind kind);
const char *lo_command_unsaved_category(lo_command_kind kind);

#endif
