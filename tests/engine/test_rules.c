/* test_rules.c - loading a response set: every mistake a moderator can make
 * is reported with its file, line and column and a hint, and a set with an
 * error is refused as a whole. argv[1] is the valid fixture set. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/set.h"
#include "engine/load.h"
#include "testing.h"
#include "leanon/engine.h"

static const char *fixture;
static char dir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void copy_fixture(const char *name)
{
    char src[512], *text;
    snprintf(src, sizeof src, "%s/%s", fixture, name);
    FILE *f = fopen(src, "r");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = calloc(1, (size_t)n + 1);
    CHECK(fread(text, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    write_file(name, text);
    free(text);
}

static void fresh_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/leanon-rules-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    copy_fixture("safety.json");
    copy_fixture("normalise.json");
    copy_fixture("flows.json");
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

/* Loads dir with one extra file; returns the first error (or NULL if it loads). */
static const lo_diag *load_with(const char *name, const char *text, lo_diags **out)
{
    fresh_dir();
    write_file(name, text);
    lo_diags *d = lo_diags_new();
    lo_engine *e = lo_engine_load(dir, d);
    *out = d;
    remove_dir();
    if (e) {
        lo_engine_free(e);
        return NULL;
    }
    for (size_t i = 0; i < lo_diags_count(d); i++)
        if (lo_diags_at(d, i)->severity == LO_DIAG_ERROR)
            return lo_diags_at(d, i);
    return NULL;
}

#define EXPECT_ERROR(text, want_line, want_col, want_words)                                        \
    do {                                                                                           \
        lo_diags *d_;                                                                              \
        const lo_diag *g_ = load_with("x.json", text, &d_);                                        \
        CHECK(g_ != NULL);                                                                         \
        if (g_) {                                                                                  \
            CHECK(g_->file &&strstr(g_->file, "x.json"));                                          \
            CHECK(g_->line == (want_line));                                                        \
            CHECK(g_->column == (want_col));                                                       \
            CHECK(strstr(g_->message, want_words) != NULL);                                        \
            if (g_->line != (want_line) || g_->column != (want_col) ||                             \
                !strstr(g_->message, want_words))                                                  \
                fprintf(stderr, "  got %d:%d: %s\n", g_->line, g_->column, g_->message);           \
        }                                                                                          \
        lo_diags_free(d_);                                                                         \
    } while (0)

/* Loading folder must fail with exactly one diagnostic, which says want_words. */
static void expect_only_error(const char *folder, const char *want_words)
{
    lo_diags *d = lo_diags_new();
    CHECK(lo_engine_load(folder, d) == NULL);
    CHECK(lo_diags_count(d) == 1 && strstr(lo_diags_at(d, 0)->message, want_words));
    lo_diags_free(d);
}

#define RULE(body) "{\"rules\": [\n  {\"id\": \"r\", \"category\": \"c\", " body "}\n]}"

int main(int argc, char **argv)
{
    fixture = argc > 1 ? argv[1] : "data/set";

    /* the fixture itself loads */
    {
        lo_diags *d;
        CHECK(load_with("empty.json", "{}", &d) == NULL);
        lo_diags_free(d);
    }
    /* bad JSON: jansson's place */
    EXPECT_ERROR("{\"rules\": [\n  {\"id\": \"a\" \"category\": \"b\"}\n]}", 2, 23,
                 "not valid JSON");
    /* a duplicate key inside one object */
    EXPECT_ERROR("{\"rules\": [], \"rules\": []}", 1, 21, "appears twice");
    /* unknown key, with a suggestion */
    EXPECT_ERROR(RULE("\"patern\": [\"x\"], \"patterns\": [\"x\"], \"replies\": [\"y\"]"), 2, 32,
                 "did you mean \"patterns\"");
    EXPECT_ERROR("{\"ruls\": []}", 1, 2, "did you mean \"rules\"");
    /* empty replies */
    EXPECT_ERROR(RULE("\"patterns\": [\"x\"], \"replies\": []"), 2, 62, "\"replies\" is empty");
    /* a reply that is not a list */
    EXPECT_ERROR(RULE("\"patterns\": [\"x\"], \"replies\": \"hello\""), 2, 62, "must be a list");
    /* a pattern that cannot compile points into the pattern */
    EXPECT_ERROR(RULE("\"patterns\": [\"nobody (gets\"], \"replies\": [\"y\"]"), 2, 58,
                 "not closed");
    /* an unknown placeholder, with a suggestion */
    EXPECT_ERROR(RULE("\"patterns\": [\"x\"], \"replies\": [\"hi {nmae}\"]"), 2, 63,
                 "did you mean {name}");
    /* priority out of range */
    EXPECT_ERROR(RULE("\"priority\": 500, \"patterns\": [\"x\"], \"replies\": [\"y\"]"), 2, 44,
                 "0 to 100");
    /* a followup that names nothing, with a suggestion */
    EXPECT_ERROR(RULE("\"patterns\": [\"x\"], \"replies\": [\"y\"], \"followup\": \"reflct\""), 2,
                 3, "did you mean \"reflect\"");
    /* a bad id */
    EXPECT_ERROR(RULE("\"patterns\": [\"x\"], \"replies\": [\"y\"], \"id\": \"Bad Id\""), 2, 72,
                 "appears twice"); /* duplicate key "id" */
    EXPECT_ERROR("{\"rules\": [{\"id\": \"Bad Id\", \"category\": \"c\", \"patterns\": [\"x\"], "
                 "\"replies\": [\"y\"]}]}",
                 1, 19, "may only use");
    /* duplicate id across files names the first place */
    {
        lo_diags *d;
        const lo_diag *g = load_with(
            "x.json",
            "{\"rules\": [{\"id\": \"suicide\", \"category\": \"c\", \"patterns\": [\"x\"], "
            "\"replies\": [\"y\"]}]}",
            &d);
        CHECK(g && strstr(g->message, "already used") && strstr(g->message, "safety.json"));
        lo_diags_free(d);
    }
    /* the safety minimum: without crisis rules nothing loads */
    {
        fresh_dir();
        char path[256];
        snprintf(path, sizeof path, "%s/safety.json", dir);
        unlink(path);
        write_file("rules.json", "{\"regions\": {}}");
        lo_diags *d = lo_diags_new();
        lo_engine *e = lo_engine_load(dir, d);
        CHECK(e == NULL);
        bool named = false, intl = false;
        for (size_t i = 0; i < lo_diags_count(d); i++) {
            named = named || strstr(lo_diags_at(d, i)->message, "crisis-overdose");
            intl = intl || strstr(lo_diags_at(d, i)->message, "international");
        }
        CHECK(named && intl);
        lo_diags_free(d);
        remove_dir();
    }
    /* an edit that stops catching a crisis is refused, whatever it changed */
    {
        lo_diags *d;
        const lo_diag *g = load_with(
            "x.json", "{\"guards\": [{\"id\": \"hide\", \"patterns\": [\"want to die\"]}]}", &d);
        CHECK(g && strstr(g->message, "no longer answer") && strstr(g->message, "want to die"));
        lo_diags_free(d);
    }
    /* regression guard-star-bypass: a guard that would cancel a canary said next
     * to its own example is refused at load (and so by leanon check), naming it */
    {
        lo_diags *d;
        const lo_diag *g =
            load_with("x.json",
                      "{\"guards\": [{\"id\": \"joke\", \"patterns\": [\"want to die i\"],\n"
                      "  \"examples\": [\"i want to die i said\"]}]}",
                      &d);
        CHECK(g && strstr(g->message, "guard \"joke\" hides a crisis") &&
              strstr(g->message,
                     "i want to die. I cut myself shaving lol\" is answered as fallback") &&
              g->line == 1 && strstr(g->file, "x.json"));
        lo_diags_free(d);
    }
    /* more '*' than a match can keep runs of words for is refused */
    EXPECT_ERROR(RULE("\"patterns\": [\"a * b * c * d * e * f * g\"], \"replies\": [\"x\"]"), 2, 68,
                 "at most 5 '*'");
    /* regression symlink-loop: links back into the set are read once, so the
     * set loads with each rule once */
    {
        fresh_dir();
        copy_fixture("rules.json");
        char sub[128], link[160];
        snprintf(sub, sizeof sub, "%s/more", dir);
        CHECK(mkdir(sub, 0700) == 0);
        const char *names[] = {"a", "b", "c"};
        for (int i = 0; i < 3; i++) {
            snprintf(link, sizeof link, "%s/%s", sub, names[i]);
            CHECK(symlink(i == 2 ? dir : ".", link) == 0);
        }
        lo_diags *d = lo_diags_new();
        lo_engine *e = lo_engine_load(dir, d);
        lo_diags_print(d, stderr);
        CHECK(e != NULL && lo_diags_errors(d) == 0);
        lo_diags_free(d);
        lo_diags *d2 = lo_diags_new();
        lo_engine *plain = lo_engine_load(fixture, d2);
        CHECK(e && plain && e->nrules == plain->nrules && e->npatterns == plain->npatterns);
        lo_engine_free(e);
        lo_engine_free(plain);
        lo_diags_free(d2);
        remove_dir();
    }
    /* a set past its bounds is refused with what to do: too many files ... */
    {
        fresh_dir();
        for (int i = 0; i < LO_MAX_RESPONSE_FILES; i++) {
            char name[32];
            snprintf(name, sizeof name, "extra-%04d.json", i);
            write_file(name, "{}");
        }
        expect_only_error(dir, "more than 2000 .json files");
        remove_dir();
    }
    /* ... or too many bytes (a sparse file: no disk is used) */
    {
        fresh_dir();
        char big[128];
        snprintf(big, sizeof big, "%s/dump.json", dir);
        FILE *f = fopen(big, "w");
        CHECK(f && ftruncate(fileno(f), (off_t)LO_MAX_RESPONSE_BYTES) == 0);
        fclose(f);
        expect_only_error(dir, "more than 64 MiB of .json files");
        remove_dir();
    }
    /* a missing folder */
    {
        lo_diags *d = lo_diags_new();
        CHECK(lo_engine_load("/nonexistent/leanon", d) == NULL);
        CHECK(lo_diags_errors(d) == 1);
        lo_diags_free(d);
    }
    TEST_MAIN_END();
}
