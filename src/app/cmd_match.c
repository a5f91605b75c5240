/* cmd_match.c - `leanon match`: the stable batch interface used by tests,
 * benchmarks and evaluations. One message per stdin line, each its own
 * conversation; one JSON object per stdout line:
 *   {"rule": id|null, "category": "...", "crisis": bool, "risk": "crisis"|"check-in"|"none",
 *    "alert": bool, "reply": "..."}
 * and "also": category when a long message's second theme was acknowledged.
 * Deterministic for a given --seed. With --explain, the explanation instead
 * (as JSON with --json). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/options.h"
#include "common/buf.h"
#include "leanon/tools.h"

static void print_reply(const lo_reply *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "rule", r->rule_id[0] ? json_string(r->rule_id) : json_null());
    json_object_set_new(o, "category", json_string(r->category));
    json_object_set_new(o, "crisis", json_boolean(r->crisis));
    static const char *const risks[] = {"none", "check-in", "crisis"};
    json_object_set_new(o, "risk", json_string(risks[r->risk]));
    json_object_set_new(o, "alert", json_boolean(r->alert_moderators));
    if (r->also_category[0])
        json_object_set_new(o, "also", json_string(r->also_category));
    json_object_set_new(o, "reply", json_string(r->text ? r->text : ""));
    char *s = lo_xcheck(json_dumps(o, JSON_COMPACT));
    puts(s);
    free(s);
    json_decref(o);
}

static const char usage[] =
    "usage: leanon match [--responses DIR] [--seed N] [--region CC] [--explain] [--json]\n"
    "  reads one message per line on stdin (each its own conversation) and writes one JSON\n"
    "  answer per line: rule, category, crisis, risk, alert, reply. Deterministic for a seed.\n"
    "  --explain shows why instead (as JSON with --json). --region picks the crisis lines.\n";

int lo_cmd_match(int argc, char **argv)
{
    lo_options o;
    int parsed =
        lo_options_parse(argc, argv, &o, LO_OPT_REGION | LO_OPT_SEED | LO_OPT_EXPLAIN, usage);
    if (parsed != 0)
        return parsed > 0 ? 0 : 2;
    lo_engine *e = lo_options_load(&o);
    if (!e)
        return 1;
    lo_sessions *sessions = lo_sessions_new(&(lo_sessions_limits){.max_sessions = 64});
    lo_sessions_seed(sessions, o.seed);
    lo_reply_options ro = {.region = o.region};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long long lineno = 0;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        char key[32];
        snprintf(key, sizeof key, "line:%llu", ++lineno);
        lo_session *conv = lo_sessions_get(sessions, key, 0);
        if (o.explain) {
            lo_explain(e, conv, line, o.json, stdout);
            continue;
        }
        lo_message msg = {.platform = "match",
                          .channel = key,
                          .author = key,
                          .text = line,
                          .text_len = (size_t)n};
        lo_reply r;
        lo_engine_reply(e, conv, &msg, &ro, &r);
        print_reply(&r);
        lo_reply_clear(&r);
    }
    free(line);
    lo_sessions_free(sessions);
    lo_engine_free(e);
    return 0;
}
