/* cmd_console.c - `leanon console`: one conversation in the terminal, for
 * moderators trying their edits. "/explain TEXT" shows why TEXT would get its
 * reply, "/reload" re-reads the files (keeping the conversation), "/quit"
 * or end of input leaves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/options.h"
#include "leanon/tools.h"
#include "obs/clock.h"

static const char usage[] =
    "usage: leanon console [--responses DIR] [--region CC] [--seed N]\n"
    "  one conversation in this terminal, for moderators trying edits:\n"
    "  /explain TEXT shows why TEXT gets its reply, /reload re-reads the files, /quit leaves.\n";

int lo_cmd_console(int argc, char **argv)
{
    lo_options o;
    int parsed = lo_options_parse(argc, argv, &o, LO_OPT_REGION | LO_OPT_SEED, usage);
    if (parsed != 0)
        return parsed > 0 ? 0 : 2;
    lo_engine *e = lo_options_load(&o);
    if (!e)
        return 1;
    bool tty = isatty(STDIN_FILENO);
    lo_sessions *sessions = lo_sessions_new(NULL);
    lo_sessions_seed(sessions, o.seed);
    lo_reply_options ro = {.region = o.region};
    printf("leanon console: talking to the response set in %s\n"
           "(/explain TEXT shows why, /reload re-reads the files, /quit leaves)\n",
           o.responses);
    char *line = NULL;
    size_t cap = 0;
    for (;;) {
        if (tty) {
            fputs("you> ", stdout);
            fflush(stdout);
        }
        ssize_t n = getline(&line, &cap, stdin);
        if (n < 0)
            break;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        lo_session *conv = lo_sessions_get(sessions, "console", lo_monotonic_seconds());
        if (strcmp(line, "/quit") == 0)
            break;
        if (strncmp(line, "/explain ", 9) == 0) {
            lo_explain(e, conv, line + 9, false, stdout);
            continue;
        }
        if (strcmp(line, "/reload") == 0) {
            lo_engine *fresh = lo_options_load(&o);
            if (fresh) {
                lo_engine_free(e);
                e = fresh;
                puts("(reloaded)");
            } else {
                puts("(kept the previous set: fix the errors above)");
            }
            continue;
        }
        lo_message msg = {.platform = "console",
                          .channel = "console",
                          .author = "you",
                          .is_dm = true,
                          .text = line,
                          .text_len = (size_t)n};
        lo_reply r;
        lo_engine_reply(e, conv, &msg, &ro, &r);
        printf("leanon [%s]> %s\n", r.category, r.text);
        lo_reply_clear(&r);
        fflush(stdout);
    }
    free(line);
    lo_sessions_free(sessions);
    lo_engine_free(e);
    return 0;
}
