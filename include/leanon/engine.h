/* engine.h - load a response set and ask it for replies.
 *
 * The engine is pure: no sockets, no threads, no clocks it does not get told.
 * A loaded lo_engine is immutable and may be shared; all per-conversation
 * state lives in lo_session objects kept by a lo_sessions store.
 *
 *   lo_diags *d = lo_diags_new();
 *   lo_engine *e = lo_engine_load("responses", d);   // NULL: see lo_diags_print
 *   lo_sessions *s = lo_sessions_new(&(lo_sessions_limits){0});
 *   lo_session *conv = lo_sessions_get(s, "webchat:tab42", now_seconds);
 *   lo_reply r; lo_engine_reply(e, conv, &msg, &r);  ... lo_reply_clear(&r);
 *
 * The error rule, for the engine and every part of leanon:
 * - Out of memory aborts with a message (lo_xcalloc and friends, common/buf.h), as in
 *   redis; no function returns an error for it, and no caller checks for one.
 * - Mistakes in content (response files, a config) are findings with file:line:column:
 *   lo_diags here, a report sink (common/report.h) for the checks every reader shares.
 * - I/O fails with -errno (or NULL and errno), and the caller says what it was doing.
 * - An error is never disguised as a decision: a failure is reported and counted as a
 *   failure, never turned into "not addressed", "no match" or silence.
 */
#ifndef LEANON_ENGINE_H
#define LEANON_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "leanon/message.h"

typedef struct lo_engine lo_engine;
typedef struct lo_session lo_session;
typedef struct lo_sessions lo_sessions;

/* ---- diagnostics: every problem in a response set, with its place ---- */
typedef enum lo_severity { LO_DIAG_ERROR, LO_DIAG_WARNING } lo_severity;

typedef struct lo_diag {
    lo_severity severity;
    char *file;    /* path as given, may be NULL for set-wide problems */
    int line;      /* 1-based, 0 when unknown */
    int column;    /* 1-based, 0 when unknown */
    char *message; /* what is wrong and what to do */
} lo_diag;

typedef struct lo_diags lo_diags;

lo_diags *lo_diags_new(void);
void lo_diags_free(lo_diags *diags);
size_t lo_diags_count(const lo_diags *diags);
size_t lo_diags_errors(const lo_diags *diags);
const lo_diag *lo_diags_at(const lo_diags *diags, size_t i);
/* Prints "file:line:col: error: message" lines. */
void lo_diags_print(const lo_diags *diags, FILE *out);

/* ---- loading ---- */

/* Loads every *.json file under dir (recursively; files under a "tests"
 * folder are transcripts, not rules). Returns NULL if any error was found;
 * warnings alone do not fail the load. */
lo_engine *lo_engine_load(const char *dir, lo_diags *diags);
void lo_engine_free(lo_engine *engine);

/* Number of rules (all stages) in a loaded set. */
size_t lo_engine_rule_count(const lo_engine *engine);

/* The helpline regions a loaded set defines (responses/safety/helplines.json), in file order:
 * how many, and the code of the i-th ("international", "US", ...); a region option is one of
 * these codes, compared without case. */
size_t lo_engine_region_count(const lo_engine *engine);
const char *lo_engine_region_code(const lo_engine *engine, size_t i);
/* The region's name as helplines.json gives it ("United Kingdom"), or its code. */
const char *lo_engine_region_name(const lo_engine *engine, size_t i);
/* The code of the region a person named (its code, one of its "aliases", or its name or a
 * part of its name between " / ", without case: "uk", "gb", "united kingdom", "germany"),
 * or NULL when no region of the set is called that. */
const char *lo_engine_region_lookup(const lo_engine *engine, const char *words);

/* ---- conversations ---- */

typedef struct lo_sessions_limits {
    double ttl_seconds;  /* idle time before a conversation is forgotten; 0 = 1800 */
    size_t max_sessions; /* oldest evicted beyond this; 0 = 10000 */
} lo_sessions_limits;

lo_sessions *lo_sessions_new(const lo_sessions_limits *limits);
void lo_sessions_free(lo_sessions *sessions);
/* Finds or creates the conversation for key at time now (seconds, any epoch
 * that only moves forward). Expired conversations are dropped first.
 * The pointer stays valid until the next lo_sessions_get or _expire call. */
lo_session *lo_sessions_get(lo_sessions *sessions, const char *key, double now);
/* The conversation for key when there is a live one (as lo_sessions_get, which it
 * refreshes), else NULL: creates nothing. */
lo_session *lo_sessions_find(lo_sessions *sessions, const char *key, double now);
/* True when conv is in a guided flow that waits for an answer (started, neither paused nor
 * finished): a "stop" then ends the flow, not the bot. conv may be NULL. */
bool lo_session_in_flow(const lo_session *conv);
void lo_sessions_expire(lo_sessions *sessions, double now);
size_t lo_sessions_count(const lo_sessions *sessions);
/* Seeds the reply choice of new conversations (deterministic output). */
void lo_sessions_seed(lo_sessions *sessions, uint64_t seed);

/* ---- replies ---- */

typedef struct lo_reply_options {
    const char *region; /* helpline region, e.g. "US"; NULL = "international" */
} lo_reply_options;

/* Chooses the reply to msg in conversation conv (which may be NULL for a
 * one-off answer). Always produces a reply, the fallback at worst: like every
 * allocation in leanon, running out of memory aborts rather than fails. */
void lo_engine_reply(const lo_engine *engine, lo_session *conv, const lo_message *msg,
                     const lo_reply_options *opts, lo_reply *out);
/* A reply given outside the engine (the bot's own commands: stop, start, about), remembered as
 * conv's last one, so that "why" and feedback are about it. conv may be NULL. */
void lo_session_remember(lo_session *conv, const lo_reply *reply);

#endif
