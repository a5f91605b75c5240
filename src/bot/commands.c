/* commands.c - the command prefix and the three commands the bot answers
 * without the engine.
 *
 * stop/start/about are about the bot itself (its memory of a person, what it
 * is), so their words live here rather than in the moderators' response set.
 * When stop or start cannot be saved the bot says so instead of confirming.
 * Matching is on the first word only; anything else after the prefix is
 * handed to the engine unchanged.
 */
#include "bot/commands.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool word_is(const char *word, size_t len, const char *name)
{
    return strlen(name) == len && strncasecmp(word, name, len) == 0;
}

/* The bot's own command named by the whole of word, else LO_COMMAND_ENGINE. */
static lo_command_kind own_command(const char *word, size_t len)
{
    if (word_is(word, len, "stop"))
        return LO_COMMAND_STOP;
    if (word_is(word, len, "start"))
        return LO_COMMAND_START;
    if (word_is(word, len, "about"))
        return LO_COMMAND_ABOUT;
    return LO_COMMAND_ENGINE;
}

bool lo_command_parse(const char *prefix, const char *text, size_t text_len, lo_command *out)
{
    if (!prefix || !*prefix || !text)
        return false;
    const char *end = text + text_len;
    const char *p = text;
    while (p < end && is_space(*p))
        p++;
    size_t prefix_len = strlen(prefix);
    if ((size_t)(end - p) < prefix_len || strncasecmp(p, prefix, prefix_len) != 0)
        return false;
    p += prefix_len;
    if (p < end && !is_space(*p) && *p != ':' && *p != ',')
        return false; /* "!leanonx" is not our prefix */
    while (p < end && (is_space(*p) || *p == ':' || *p == ','))
        p++;
    while (end > p && is_space(end[-1]))
        end--;
    if (p == end) {
        out->kind = LO_COMMAND_ENGINE;
        out->text = "help";
        out->text_len = 4;
        return true;
    }
    out->text = p;
    out->text_len = (size_t)(end - p);
    out->kind = own_command(p, out->text_len);
    return true;
}

bool lo_command_parse_bare(const char *text, size_t text_len, lo_command *out)
{
    if (!text)
        return false;
    const char *end = text + text_len;
    while (text < end && is_space(*text))
        text++;
    while (end > text && is_space(end[-1]))
        end--;
    lo_command_kind kind = own_command(text, (size_t)(end - text));
    if (kind == LO_COMMAND_ENGINE)
        return false;
    *out = (lo_command){.kind = kind, .text = text, .text_len = (size_t)(end - text)};
    return true;
}

char *lo_command_answer(lo_command_kind kind, const char *prefix, unsigned memory_minutes)
{
    char buf[1024];
    switch (kind) {
    case LO_COMMAND_STOP:
        snprintf(buf, sizeof buf,
                 "Okay, I will stop replying to you, here and everywhere I am. "
                 "If you ever write that you are in danger, I will still share crisis lines. "
                 "Write \"%s start\" if you want me back.",
                 prefix);
        break;
    case LO_COMMAND_START:
        snprintf(buf, sizeof buf,
                 "Welcome back. I will reply to you again. Write \"%s stop\" at any time "
                 "and I will leave you be.",
                 prefix);
        break;
    case LO_COMMAND_ABOUT:
        snprintf(buf, sizeof buf,
                 "I am leanon, a bot: a program, not a person and not a therapist. "
                 "I answer with words people in this community wrote for moments like this, "
                 "and I can point you to crisis lines. I keep a conversation only in memory, "
                 "for up to %u minutes, and I store nothing about you except, if you ask "
                 "with \"%s stop\", that you do not want replies.",
                 memory_minutes, prefix);
        break;
    default:
        return NULL;
    }
    return strdup(buf);
}

char *lo_command_unsaved_answer(lo_command_kind kind, const char *prefix)
{
    char buf[1024];
    if (kind == LO_COMMAND_STOP)
        snprintf(buf, sizeof buf,
                 "I am sorry: something went wrong on my side and I could not save that you want "
                 "me to stop, so I may still reply to you. Please write \"%s stop\" again in a "
                 "little while. You can also leave this chat or mute me at any time.",
                 prefix);
    else if (kind == LO_COMMAND_START)
        snprintf(buf, sizeof buf,
                 "I am sorry: something went wrong on my side and I could not save that you want "
                 "me back, so I may stay quiet for now. Please write \"%s start\" again in a "
                 "little while.",
                 prefix);
    else
        return NULL;
    return strdup(buf);
}

const char *lo_command_unsaved_category(lo_command_kind kind)
{
    return kind == LO_COMMAND_STOP ? "command-stop-failed" : "command-start-failed";
}

const char *lo_command_category(lo_command_kind kind)
{
    switch (kind) {
    case LO_COMMAND_STOP:
        return "command-stop";
    case LO_COMMAND_START:
        return "command-start";
    case LO_COMMAND_ABOUT:
        return "command-about";
    default:
        return "command";
    }
}
