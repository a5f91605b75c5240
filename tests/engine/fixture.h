/* fixture.h - the engine tests' way to load the fixture set with one file
 * added: copy it to a temp folder, write the file, load, remove the folder;
 * the first error of a load, for exact comparisons; and one message said in a conversation. */
#ifndef LEANON_TESTS_FIXTURE_H
#define LEANON_TESTS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leanon/engine.h"
#include "testing.h"

/* The fixture set's files (and the file extra, when not NULL) plus name with
 * text, loaded with diagnostics into d; dir (at least 64 bytes) is where it
 * was, now removed. */
static lo_engine *fixture_plus(const char *fixture, const char *extra, const char *name,
                               const char *text, char *dir, lo_diags *d)
{
    snprintf(dir, 64, "/tmp/leanon-test-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp '%s'/*.json %s%s%s '%s'/", fixture, extra ? "'" : "",
             extra ? extra : "", extra ? "'" : "", dir);
    CHECK(system(cmd) == 0);
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    lo_engine *e = lo_engine_load(dir, d);
    CHECK_RM_TREE(dir);
    return e;
}

/* The first error of d into err ("line:column: message" with position, else
 * the message); "" when there is none. */
static void first_error(const lo_diags *d, bool position, char *err, size_t errlen)
{
    err[0] = '\0';
    for (size_t i = 0; i < lo_diags_count(d) && !err[0]; i++) {
        const lo_diag *g = lo_diags_at(d, i);
        if (g->severity != LO_DIAG_ERROR)
            continue;
        if (position)
            snprintf(err, errlen, "%d:%d: %s", g->line, g->column, g->message);
        else
            snprintf(err, errlen, "%s", g->message);
    }
}

/* fixture_plus, and its first error into err (see first_error). */
static lo_engine *fixture_load(const char *fixture, const char *extra, const char *name,
                               const char *text, bool position, char *err, size_t errlen, char *dir)
{
    lo_diags *d = lo_diags_new();
    lo_engine *e = fixture_plus(fixture, extra, name, text, dir, d);
    first_error(d, position, err, errlen);
    lo_diags_free(d);
    return e;
}

/* text said in conv (NULL: a one-off message) to e, without options; the reply, whose text must
 * be there (the caller clears it). */
static inline lo_reply fixture_say(const lo_engine *e, lo_session *conv, const char *text)
{
    lo_message m = {.platform = "test", .text = text, .text_len = strlen(text)};
    lo_reply r;
    lo_engine_reply(e, conv, &m, NULL, &r);
    CHECK(r.text != NULL);
    return r;
}

#endif
