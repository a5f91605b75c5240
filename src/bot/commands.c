/* commands.c - the command prefix and the commands the bot answers without
 * the engine.
 *
 * stop/opt out/start/about are about the bot itself (its memory of a person,
 * what it is), so their words live here rather than in the moderators'
 * response set, and so do the words of its promise to a person who opted out
 * and then reached out in a crisis. Each says how to write the next command on
 * the person's platform (bare "start" in the web chat, "!leanon start" on
 * Discord). When an opt-out or start cannot be saved the bot says so instead of
 * confirming. A command is the whole text after the prefix; anything else is
 * handed to the engine unchanged.
 */
#include "bot/commands.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"

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
    if (word_is(word, len, "opt out") || word_is(word, len, "optout") ||
        word_is(word, len, "opt-out") || word_is(word, len, "opt me out"))
        return LO_COMMAND_OPT_OUT;
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

/* Platforms where every message is a direct conversation with the bot, so the bare
 * command words always reach it. */
static const char *const direct_only_platforms[] = {"webchat", "console"};

void lo_command_words(const char *platform, const char *prefix, const char *command, char *out,
                      size_t size)
{
    for (size_t i = 0; platform && i < sizeof direct_only_platforms / sizeof *direct_only_platforms;
         i++) {
        if (strcmp(platform, direct_only_platforms[i]) == 0) {
            snprintf(out, size, "%s", command);
            return;
        }
    }
    snprintf(out, size, "%s %s", prefix ? prefix : LO_DEFAULT_PREFIX, command);
}

char *lo_command_answer(lo_command_kind kind, const char *platform, const char *prefix,
                        unsigned memory_minutes)
{
    char buf[1024], start[96], opt_out[96];
    lo_command_words(platform, prefix, "start", start, sizeof start);
    lo_command_words(platform, prefix, "opt out", opt_out, sizeof opt_out);
    switch (kind) {
    case LO_COMMAND_STOP:
    case LO_COMMAND_OPT_OUT:
        snprintf(buf, sizeof buf,
                 "Okay, you have opted out: I will not reply to you any more, here or anywhere "
                 "else I am, until you write \"%s\". All I keep is that you opted out, nothing "
                 "you wrote. If you ever write that you are in danger, I will still answer with "
                 "crisis lines and stay with you for a while.",
                 start);
        break;
    case LO_COMMAND_START:
        snprintf(buf, sizeof buf,
                 "Welcome back. I will reply to you again. Write \"%s\" at any time "
                 "and I will leave you be.",
                 opt_out);
        break;
    case LO_COMMAND_ABOUT:
        snprintf(buf, sizeof buf,
                 "I am leanon, a bot: a program, not a person and not a therapist. "
                 "I answer with words people in this community wrote for moments like this, "
                 "and I can point you to crisis lines. I keep a conversation only in memory, "
                 "for up to %u minutes, and I store nothing about you except, if you ask "
                 "with \"%s\", that you do not want replies.",
                 memory_minutes, opt_out);
        break;
    default:
        return NULL;
    }
    return lo_xstrdup(buf);
}

char *lo_command_unsaved_answer(lo_command_kind kind, const char *platform, const char *prefix)
{
    char buf[1024], words[96];
    if (kind == LO_COMMAND_STOP || kind == LO_COMMAND_OPT_OUT) {
        lo_command_words(platform, prefix, "opt out", words, sizeof words);
        snprintf(buf, sizeof buf,
                 "I am sorry: something went wrong on my side and I could not save that you want "
                 "me to stop, so I may still reply to you. Please write \"%s\" again in a "
                 "little while. You can also leave this chat or mute me at any time.",
                 words);
    } else if (kind == LO_COMMAND_START) {
        lo_command_words(platform, prefix, "start", words, sizeof words);
        snprintf(buf, sizeof buf,
                 "I am sorry: something went wrong on my side and I could not save that you want "
                 "me back, so I may stay quiet for now. Please write \"%s\" again in a "
                 "little while.",
                 words);
    } else {
        return NULL;
    }
    return lo_xstrdup(buf);
}

char *lo_command_stay_note(const char *platform, const char *prefix, unsigned stay_minutes)
{
    char buf[512], start[96];
    lo_command_words(platform, prefix, "start", start, sizeof start);
    snprintf(buf, sizeof buf,
             "You had asked me to stop replying. Because you reached out, I will stay with you "
             "here and answer you for the next %u minutes; after that I will go quiet again, "
             "unless you write \"%s\".",
             stay_minutes, start);
    return lo_xstrdup(buf);
}

char *lo_command_people_answer(const char *contact, const char *platform, const char *prefix)
{
    char helpline[96];
    lo_command_words(platform, prefix, "helpline", helpline, sizeof helpline);
    static const char intro[] =
        "I am a bot, so I cannot be that person, but the people of this community can be "
        "reached like this:\n";
    size_t size = sizeof intro + strlen(contact) + sizeof helpline + 128;
    char *text = lo_xcalloc(1, size);
    snprintf(text, size,
             "%s%s\nIf you are in danger right now, write \"%s\" for lines you can call or "
             "text.",
             intro, contact, helpline);
    return text;
}

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool lo_command_region_request(const char *text, size_t text_len, char *out, size_t size)
{
    static const char *const asks[] = {"helpline", "helplines", "hotline", "hotlines"};
    const char *end = text + text_len;
    while (text < end && is_space(*text))
        text++;
    while (end > text && (is_space(end[-1]) || end[-1] == '.' || end[-1] == '?'))
        end--;
    size_t first = 0;
    while (text + first < end && !is_space(text[first]))
        first++;
    bool asked = false;
    for (size_t i = 0; i < sizeof asks / sizeof *asks; i++)
        asked = asked || word_is(text, first, asks[i]);
    const char *rest = text + first;
    while (rest < end && is_space(*rest))
        rest++;
    if (!asked || rest == end || (size_t)(end - rest) >= size)
        return false;
    size_t words = 1;
    for (const char *p = rest; p < end; p++) {
        if (is_space(*p) && !is_space(p[-1]))
            words++;
        else if (!is_space(*p) && !is_letter(*p) && *p != '-')
            return false;
    }
    if (words > 3)
        return false;
    snprintf(out, size, "%.*s", (int)(end - rest), rest);
    return true;
}

const char *lo_command_unsaved_category(lo_command_kind kind)
{
    return kind == LO_COMMAND_START ? "command-start-failed" : "command-stop-failed";
}

const char *lo_command_category(lo_command_kind kind)
{
    switch (kind) {
    case LO_COMMAND_STOP:
    case LO_COMMAND_OPT_OUT: /* one confirmation, one count, however it was asked */
        return "command-stop";
    case LO_COMMAND_START:
        return "command-start";
    case LO_COMMAND_ABOUT:
        return "command-about";
    default:
        return "command";
    }
}
