/* commands.h - recognising "!leanon <command>" and the commands the bot
 * answers itself (stop, opt out, start, about), the bot's own words for them,
 * and the words of a "helpline <region>" request. Every other command (help,
 * reflect, tips, resources, helpline, why, human, ...) goes to the engine as its
 * text without the prefix: the response set has rules for them.
 */
#ifndef LEANON_BOT_COMMANDS_H
#define LEANON_BOT_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#define LO_DEFAULT_PREFIX "!leanon"

typedef enum lo_command_kind {
    LO_COMMAND_ENGINE = 0, /* answered by the engine: text is what to ask it */
    LO_COMMAND_STOP,       /* opt out everywhere, except inside a flow (where it ends the flow) */
    LO_COMMAND_OPT_OUT,    /* opt out everywhere, always ("opt out") */
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
 * whole text is "stop", "opt out", "start" or "about" (any case, spaces around). */
bool lo_command_parse_bare(const char *text, size_t text_len, lo_command *out);

/* How a person writes command (e.g. "start") on platform: the bare word where every
 * message is a direct conversation with the bot (the web chat, the console), else the
 * prefix and the word ("!leanon start"), which works in servers and DMs alike. */
void lo_command_words(const char *platform, const char *prefix, const char *command, char *out,
                      size_t size);

/* What the bot says for STOP / OPT_OUT (what opting out means and how to undo it on
 * platform), START and ABOUT (memory_minutes is how long a conversation is kept); NULL
 * for LO_COMMAND_ENGINE. Returns a heap string (out of memory aborts). */
char *lo_command_answer(lo_command_kind kind, const char *platform, const char *prefix,
                        unsigned memory_minutes);

/* What the bot says when an opt-out or START could not be saved: that it did not
 * take, to try again, and (for an opt-out) that leaving or muting always works.
 * Never a confirmation. NULL for the other kinds. Returns a heap string. */
char *lo_command_unsaved_answer(lo_command_kind kind, const char *platform, const char *prefix);

/* The sentence added to a crisis reply or check-in for a person who had opted out:
 * the bot stays with them in this conversation for stay_minutes, then goes quiet
 * again unless they write the words that opt back in. Returns a heap string. */
char *lo_command_stay_note(const char *platform, const char *prefix, unsigned stay_minutes);

/* The answer to "I want to talk to a person" where the community configured how to
 * reach its people (contact, the operator's text): that text, introduced as such,
 * and how to ask for crisis lines. Returns a heap string. */
char *lo_command_people_answer(const char *contact, const char *platform, const char *prefix);

/* "helpline uk", "hotlines new zealand": true with the region's words (1 to 3 words,
 * at most size - 1 bytes) in out when text asks for the lines of a region. */
bool lo_command_region_request(const char *text, size_t text_len, char *out, size_t size);

/* Category recorded for the bot's own answers ("command-stop", ...), and for
 * the answers that say a STOP or START was not saved ("command-stop-failed"). */
const char *lo_command_category(lo_command_kind kind);
const char *lo_command_unsaved_category(lo_command_kind kind);

#endif
