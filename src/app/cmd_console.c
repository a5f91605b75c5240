/* cmd_console.c - `leanon console`: one conversation in the terminal, for
 * moderators trying their edits. Every message goes through the bot as a direct
 * message does on the platforms (so stop, start and about behave as there, with an
 * opt-out store that lives only as long as the console), and every reply shows the
 * rule and the category that chose it. Lines starting with "/" are the console's
 * own commands; an unknown one is refused, never sent as a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/console_input.h"
#include "app/options.h"
#include "bot/bot.h"
#include "common/buf.h"
#include "common/schema.h"
#include "leanon/tools.h"
#include "obs/clock.h"

typedef struct console {
    lo_options options;
    lo_engine *engine; /* the set the bot answers with (the bot owns it) */
    lo_bot *bot;
    lo_optout *optouts;
} console;

typedef enum command_result { KEEP_GOING, LEAVE } command_result;

typedef struct console_command {
    const char *name;
    const char *argument; /* what follows the name, "" when nothing may */
    const char *what;
    command_result (*run)(console *c, const char *argument);
} console_command;

/* The message the console sends for text: a direct message from one person. */
static lo_message console_message(const char *text, size_t len)
{
    return (lo_message){.platform = "console",
                        .channel = "console",
                        .author = "you",
                        .is_dm = true,
                        .text = text,
                        .text_len = len};
}

static command_result explain(console *c, const char *text)
{
    lo_message msg = console_message(text, strlen(text));
    lo_explain(c->engine, lo_bot_conversation(c->bot, &msg, lo_monotonic_seconds()), text, false,
               stdout);
    return KEEP_GOING;
}

static command_result reload(console *c, const char *unused)
{
    (void)unused;
    lo_engine *fresh = lo_options_load(&c->options);
    if (!fresh) {
        puts("(kept the previous set: fix the errors above)");
        return KEEP_GOING;
    }
    lo_bot_set_engine(c->bot, fresh);
    c->engine = fresh;
    puts("(reloaded)");
    return KEEP_GOING;
}

static command_result help(console *c, const char *unused);

static command_result quit(console *c, const char *unused)
{
    (void)c;
    (void)unused;
    return LEAVE;
}

static const console_command commands[] = {
    {"/explain", " TEXT", "shows why TEXT would get its reply in this conversation", explain},
    {"/reload", "", "re-reads the response files, keeping the conversation", reload},
    {"/help", "", "lists these commands", help},
    {"/quit", "", "leaves (so does Ctrl-D)", quit},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static command_result help(console *c, const char *unused)
{
    (void)c;
    (void)unused;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        char shown[32];
        snprintf(shown, sizeof shown, "%s%s", commands[i].name, commands[i].argument);
        printf("  %-14s %s\n", shown, commands[i].what);
    }
    puts("  Anything else is sent to leanon; write // to send a message that starts with /.");
    return KEEP_GOING;
}

/* "/explian hi": refused with the known commands, so a typo is never sent. */
static void refuse_unknown(const char *name, size_t len)
{
    char *word = lo_xstrndup(name, len);
    const char *names[NCOMMANDS];
    for (size_t i = 0; i < NCOMMANDS; i++)
        names[i] = commands[i].name;
    const char *close = lo_suggest(word, names, NCOMMANDS);
    printf("(unknown command \"%.*s\": nothing was sent.%s%s%s The commands are:", (int)len, name,
           close ? " Did you mean " : "", close ? close : "", close ? "?" : "");
    for (size_t i = 0; i < NCOMMANDS; i++)
        printf("%s %s%s", i ? "," : "", commands[i].name, commands[i].argument);
    puts(". Write // to send a message that starts with /.)");
    free(word);
}

/* Runs the console command of line (which starts with '/'). */
static command_result run_command(console *c, const char *line)
{
    size_t len = strcspn(line, " \t");
    const char *argument = line + len + strspn(line + len, " \t");
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const console_command *cmd = &commands[i];
        if (strlen(cmd->name) != len || strncmp(cmd->name, line, len) != 0)
            continue;
        if (*cmd->argument && !*argument) {
            printf("(%s needs a message after it, as in: %s I feel alone)\n", cmd->name, cmd->name);
            return KEEP_GOING;
        }
        if (!*cmd->argument && *argument) {
            printf("(%s takes nothing after it; nothing was sent)\n", cmd->name);
            return KEEP_GOING;
        }
        return cmd->run(c, argument);
    }
    refuse_unknown(line, len);
    return KEEP_GOING;
}

/* Sends text as the person's message and prints the reply with its rule and
 * category, or why the bot stays quiet. */
static void say(console *c, const char *text, size_t len)
{
    lo_message msg = console_message(text, len);
    lo_reply r;
    lo_community_settings community = {.region = c->options.region};
    lo_verdict verdict = lo_bot_handle(c->bot, &community, &msg, lo_monotonic_seconds(), &r);
    if (verdict == LO_VERDICT_ANSWER) {
        printf("leanon [rule %s, category %s]> %s\n", r.rule_id[0] ? r.rule_id : "none", r.category,
               r.text);
        lo_reply_clear(&r);
    } else if (verdict == LO_VERDICT_SKIP_OPTED_OUT) {
        puts("(no reply: you opted out, so leanon stays quiet, as it would on every platform; "
             "a crisis message still gets the crisis reply. Write start to undo)");
    } else {
        printf("(no reply: %s)\n", lo_verdict_name(verdict));
    }
    fflush(stdout);
}

static const char usage[] =
    "usage: leanon console [--responses DIR] [--region CC] [--seed N]\n"
    "  one conversation in this terminal, for moderators trying edits:\n"
    "  /explain TEXT shows why TEXT gets its reply, /reload re-reads the files, /help lists the\n"
    "  commands, /quit leaves.\n";

/* 0 when the console is ready; -1 after --help (nothing to run); else the exit code. */
static int start(console *c, int argc, char **argv)
{
    int parsed = lo_options_parse(argc, argv, &c->options, LO_OPT_REGION | LO_OPT_SEED, usage);
    if (parsed != 0)
        return parsed > 0 ? -1 : 2;
    c->engine = lo_options_load(&c->options);
    if (!c->engine)
        return 1;
    char err[512];
    c->optouts = lo_optout_open(":memory:", NULL, err, sizeof err);
    if (!c->optouts) {
        fprintf(stderr, "leanon console: %s\n", err);
        lo_engine_free(c->engine);
        return 1;
    }
    c->bot = lo_bot_new(c->engine, c->optouts, NULL, NULL, NULL);
    lo_bot_seed(c->bot, c->options.seed);
    return 0;
}

int lo_cmd_console(int argc, char **argv)
{
    console c = {0};
    int rc = start(&c, argc, argv);
    if (rc)
        return rc < 0 ? 0 : rc;
    printf("leanon console: talking to the response set in %s\n"
           "(/explain TEXT shows why, /reload re-reads the files, /help lists the commands, "
           "/quit leaves)\n",
           c.options.responses);
    fflush(stdout);
    lo_console_input *in = lo_console_input_open("you> ");
    const char *line;
    size_t len;
    while ((line = lo_console_input_read(in, &len)) != NULL) {
        if (len == 0)
            continue;
        if (line[0] == '/' && line[1] != '/') {
            if (run_command(&c, line) == LEAVE)
                break;
            fflush(stdout);
        } else if (line[0] == '/') {
            say(&c, line + 1, len - 1);
        } else {
            say(&c, line, len);
        }
    }
    lo_console_input_close(in);
    lo_bot_free(c.bot);
    lo_optout_close(c.optouts);
    return 0;
}
