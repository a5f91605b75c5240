/* console_input.h - the lines `leanon console` reads: edited with libedit (arrows,
 * history, Ctrl-R ...) when stdin is a terminal, read plainly when it is a pipe or
 * a file, so the same console serves a moderator and a script. */
#ifndef LEANON_APP_CONSOLE_INPUT_H
#define LEANON_APP_CONSOLE_INPUT_H

#include <stddef.h>

typedef struct lo_console_input lo_console_input;

/* Starts reading stdin; the prompt is shown only on a terminal. */
lo_console_input *lo_console_input_open(const char *prompt);
void lo_console_input_close(lo_console_input *in);

/* The next line without its line end, valid until the next call, and its length
 * in *len; NULL at the end of input. An edited line that is not empty joins the
 * history (the Up arrow brings it back). */
const char *lo_console_input_read(lo_console_input *in, size_t *len);

#endif
