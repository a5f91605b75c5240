/* tools.h - the moderators' tools over a loaded set: `leanon check` (every
 * example, guard and golden conversation) and `--explain` (why a message
 * gets the reply it gets). */
#ifndef LEANON_TOOLS_H
#define LEANON_TOOLS_H

#include <stdbool.h>
#include <stdio.h>

#include "leanon/engine.h"

typedef struct lo_check_summary {
    size_t rules, examples, nots, guard_examples, transcript_steps;
    size_t failures, ties, warnings;
} lo_check_summary;

/* Runs every check of a loaded set (dir is the folder it came from, for the
 * golden conversations in dir/tests). Problems go to out. */
void lo_check_run(const lo_engine *e, const char *dir, FILE *out, lo_check_summary *sum);

/* Explains how text would be answered in conv (NULL: a new conversation),
 * as readable text or as one JSON object. Does not change conv. */
void lo_explain(const lo_engine *e, const lo_session *conv, const char *text, bool json, FILE *out);

#endif
