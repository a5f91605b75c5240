/* test_tools.c - the moderators' tools: `check` reports failing examples,
 * real ties and shadowed rules by name, and replays golden conversations;
 * `explain` shows negated words, the guard that cancelled a crisis match,
 * why the losers lost, typo corrections, and words read through the leet map or
 * joined from spelled-out letters, as text and as JSON, and on a fallback the rules
 * whose patterns came closest.
 * argv[1] is the fixture set (its safety and normalise files are reused). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leanon/tools.h"
#include "testing.h"

static char *run_check(const lo_engine *e, const char *dir, lo_check_summary *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    lo_check_run(e, dir, out, s);
    fclose(out);
    return text;
}

static char *explain(const lo_engine *e, const char *msg, bool json)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    lo_explain(e, NULL, msg, json, out);
    fclose(out);
    return text;
}

int main(int argc, char **argv)
{
    const char *fixture = argc > 1 ? argv[1] : "data/set";
    char dir[] = "/tmp/leanon-tools-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp %s/safety.json %s/normalise.json %s/flows.json '%s'/", fixture,
             fixture, fixture, dir);
    CHECK(system(cmd) == 0);
    snprintf(cmd, sizeof cmd, "%s/rules.json", dir);
    FILE *f = fopen(cmd, "w");
    fputs("{\"rules\": [\n"
          " {\"id\": \"hello-a\", \"category\": \"greeting\", \"patterns\": [\"hello friend\"],\n"
          "  \"replies\": [\"a\"], \"examples\": [\"hello friend\"]},\n"
          " {\"id\": \"hello-b\", \"category\": \"greeting\", \"patterns\": [\"hello friend\"],\n"
          "  \"replies\": [\"b\"]},\n"
          " {\"id\": \"tired\", \"category\": \"x\", \"priority\": 60, \"patterns\": [\"tired\"],\n"
          "  \"replies\": [\"t\"]},\n"
          " {\"id\": \"so-tired\", \"category\": \"x\", \"patterns\": [\"so tired\"],\n"
          "  \"replies\": [\"s\"], \"examples\": [\"I am so tired\"]},\n"
          " {\"id\": \"lonely\", \"category\": \"loneliness\", \"patterns\": [\"lonely\"],\n"
          "  \"replies\": [\"l\"], \"examples\": [\"so lonely\"], \"not\": [\"lonely planet\"]},\n"
          " {\"id\": \"reflect-offer\", \"category\": \"x\", \"patterns\": [\"offer\"],\n"
          "  \"replies\": [\"o\"], \"followup\": \"reflect\"}\n"
          "]}\n",
          f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s/leet.json", dir);
    f = fopen(cmd, "w");
    fputs("{\"leet\": {\"0\": \"o\", \"1\": [\"i\", \"l\"]}}\n", f);
    fclose(f);
    lo_diags *d = lo_diags_new();
    lo_engine *e = lo_engine_load(dir, d);
    lo_diags_print(d, stderr);
    lo_diags_free(d);
    CHECK(e != NULL);
    if (!e)
        TEST_MAIN_END();

    lo_check_summary s;
    char *out = run_check(e, dir, &s);
    /* a real tie names both rules and the example */
    CHECK(s.ties == 1);
    CHECK(strstr(out, "tie") && strstr(out, "\"hello-a\"") && strstr(out, "\"hello-b\"") &&
          strstr(out, "\"hello friend\""));
    /* a shadowed rule: its only example goes to a higher-priority rule */
    CHECK(strstr(out, "rule \"so-tired\" is shadowed") != NULL);
    CHECK(strstr(out, "chose rule \"tired\"") != NULL);
    /* a "not" line that is taken */
    CHECK(strstr(out, "\"lonely planet\"") && strstr(out, "make its patterns narrower"));
    CHECK(s.failures == 2);
    free(out);

    /* a golden conversation that fails prints the step, the expectation and the explanation */
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/tests' && printf '%%s' '{\"conversation\": [{\"say\": "
             "\"hello friend\", \"expect\": \"greeting\"}, {\"say\": \"so lonely\", \"expect\": "
             "\"greeting\"}]}' > '%s/tests/t.json'",
             dir, dir);
    CHECK(system(cmd) == 0);
    out = run_check(e, dir, &s);
    CHECK(s.transcript_steps == 2);
    CHECK(strstr(out, "step 2, \"so lonely\": expected greeting, got rule \"lonely\"") != NULL);
    CHECK(strstr(out, "answer: lonely (loneliness)") != NULL);
    free(out);

    /* explain: negation, guard, losers, typos */
    out = explain(e, "I'm not suicidal", false);
    CHECK(strstr(out, "words: i am not ~suicidal") != NULL);
    free(out);
    out = explain(e, "I cut myself shaving", false);
    CHECK(strstr(out, "cancelled by guard shaving") != NULL);
    CHECK(strstr(out, "from the fallback stage") != NULL);
    free(out);
    /* a fallback names the nearest misses: the rules whose patterns came closest, their files */
    out = explain(e, "hello there my friend", false);
    snprintf(cmd, sizeof cmd,
             "from the fallback stage\n"
             "nearest rules (no pattern matched; these came closest):\n"
             "  rule hello-a [greeting] in %s/rules.json:2: \"hello friend\" has hello, friend; "
             "0 more words or choices missing\n"
             "  rule hello-b [greeting] in %s/rules.json:4: \"hello friend\" has hello, friend; "
             "0 more words or choices missing\n",
             dir, dir);
    CHECK(strstr(out, cmd) != NULL);
    free(out);
    out = explain(e, "zzzz qqqq", false);
    CHECK(strstr(out, "nearest rules: no pattern shares a word with this message\n") != NULL);
    free(out);
    out = explain(e, "I am so tired", false);
    CHECK(strstr(out, "rule so-tired") && strstr(out, "lost: lower priority"));
    free(out);
    out = explain(e, "so lonley", true);
    json_error_t jerr;
    json_t *j = json_loads(out, 0, &jerr);
    CHECK(j != NULL);
    CHECK_STR(json_string_value(json_object_get(j, "rule")), "lonely");
    CHECK_STR(json_string_value(
                  json_object_get(json_array_get(json_object_get(j, "words"), 1), "typo_of")),
              "lonely");
    CHECK(json_is_false(json_object_get(j, "crisis")));
    json_decref(j);
    free(out);
    out = explain(e, "so 1onely and so l o n e l y", false);
    CHECK(strstr(out, "words: so lonely(leet 1onely) and so lonely(joined from l o n e l y)\n"));
    free(out);
    out = explain(e, "so l0nely", true);
    j = json_loads(out, 0, &jerr);
    CHECK_STR(
        json_string_value(json_object_get(json_array_get(json_object_get(j, "words"), 1), "leet")),
        "l0nely");
    CHECK_STR(json_string_value(json_object_get(j, "rule")), "lonely");
    json_decref(j);
    free(out);
    out = explain(e, "I cut myself shaving", true);
    j = json_loads(out, 0, &jerr);
    json_t *m;
    CHECK(j && json_object_get(j, "matches") &&
          json_array_size(json_object_get(j, "matches")) >= 2);
    bool cancelled = false;
    size_t i;
    json_array_foreach (json_object_get(j, "matches"), i, m)
        cancelled =
            cancelled || json_string_value(json_object_get(m, "cancelled_by_guard")) != NULL;
    CHECK(cancelled);
    json_decref(j);
    free(out);

    lo_engine_free(e);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    TEST_MAIN_END();
}
