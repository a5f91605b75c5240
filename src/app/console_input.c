/* console_input.c - reading the console's lines (see console_input.h): libedit's
 * own interface on a terminal (emacs keys, a history of the session's lines), getline
 * otherwise. ~/.editrc is not read, so every moderator gets the same keys. */
#include "app/console_input.h"

#include <histedit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"

/* Lines kept in the history of one console session. */
#define HISTORY_LINES 500

struct lo_console_input {
    EditLine *editor; /* NULL: stdin is not a terminal */
    History *history;
    char *prompt;
    char *line; /* the line handed out last */
    size_t cap;
};

static char *prompt_of(EditLine *editor)
{
    void *in = NULL;
    el_get(editor, EL_CLIENTDATA, &in);
    return ((lo_console_input *)in)->prompt;
}

/* libedit on stdin, stdout and stderr, with emacs keys and the session's history;
 * when libedit cannot start, lines are read plainly. */
static void start_editor(lo_console_input *in)
{
    HistEvent event;
    in->history = history_init();
    in->editor = in->history ? el_init("leanon", stdin, stdout, stderr) : NULL;
    if (!in->editor) {
        if (in->history)
            history_end(in->history);
        in->history = NULL;
        return;
    }
    history(in->history, &event, H_SETSIZE, HISTORY_LINES);
    history(in->history, &event, H_SETUNIQUE, 1);
    el_set(in->editor, EL_CLIENTDATA, in);
    el_set(in->editor, EL_PROMPT, prompt_of);
    el_set(in->editor, EL_EDITOR, "emacs");
    el_set(in->editor, EL_SIGNAL, 1);
    el_set(in->editor, EL_HIST, history, in->history);
}

lo_console_input *lo_console_input_open(const char *prompt)
{
    lo_console_input *in = lo_xcalloc(1, sizeof *in);
    in->prompt = lo_xstrdup(prompt);
    if (isatty(STDIN_FILENO))
        start_editor(in);
    return in;
}

void lo_console_input_close(lo_console_input *in)
{
    if (!in)
        return;
    if (in->editor)
        el_end(in->editor);
    if (in->history)
        history_end(in->history);
    free(in->prompt);
    free(in->line);
    free(in);
}

/* Keeps a copy of the n bytes at s as the current line, without its line end. */
static const char *keep_line(lo_console_input *in, const char *s, size_t n, size_t *len)
{
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    if (n + 1 > in->cap) {
        in->cap = n + 1;
        in->line = lo_xrealloc(in->line, in->cap);
    }
    memcpy(in->line, s, n);
    in->line[n] = '\0';
    *len = n;
    return in->line;
}

const char *lo_console_input_read(lo_console_input *in, size_t *len)
{
    if (!in->editor) {
        ssize_t n = getline(&in->line, &in->cap, stdin);
        if (n < 0)
            return NULL;
        return keep_line(in, in->line, (size_t)n, len);
    }
    int count = 0;
    const char *s = el_gets(in->editor, &count);
    if (!s || count <= 0)
        return NULL;
    const char *line = keep_line(in, s, (size_t)count, len);
    if (*len > 0) {
        HistEvent event;
        history(in->history, &event, H_ENTER, line);
    }
    return line;
}
