/* bot_fixture.h - a bot for the bot tests: an opt-out store in a fresh temp
 * folder, metrics, and the engine loaded from a response set; bot_say sends it one message. */
#ifndef LEANON_TESTS_BOT_FIXTURE_H
#define LEANON_TESTS_BOT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/bot.h"
#include "../testing.h"

typedef struct bot_fixture {
    char dir[64];
    lo_optout *optouts;
    lo_metrics *metrics;
    lo_bot *bot;
} bot_fixture;

/* Fills f with a bot on the responses in set; checks that each part was made. */
static void bot_fixture_open(bot_fixture *f, const char *set)
{
    char path[256], err[256];
    snprintf(f->dir, sizeof f->dir, "/tmp/leanon-bot-XXXXXX");
    CHECK(mkdtemp(f->dir) != NULL);
    snprintf(path, sizeof path, "%s/optouts.sqlite", f->dir);
    f->optouts = lo_optout_open(path, NULL, err, sizeof err);
    f->metrics = lo_metrics_new();
    lo_diags *diags = lo_diags_new();
    lo_engine *engine = lo_engine_load(set, diags);
    if (!engine)
        lo_diags_print(diags, stderr);
    CHECK(engine != NULL && f->optouts != NULL);
    lo_diags_free(diags);
    f->bot = lo_bot_new(engine, f->optouts, f->metrics, NULL, "leanon-bot");
}

/* Frees the bot (and its engine), the store, the metrics and the folder. */
static void bot_fixture_close(bot_fixture *f)
{
    lo_bot_free(f->bot);
    lo_optout_close(f->optouts);
    lo_metrics_free(f->metrics);
    CHECK_RM_TREE(f->dir);
}

/* What the bot did with one message: its verdict, and when it answered, the reply's category
 * and text (copied, so the reply is freed here). */
typedef struct bot_said {
    lo_verdict verdict;
    char category[48];
    char text[4096];
} bot_said;

/* Sends text as m (its other fields as given) to the fixture's bot at time now. */
static inline bot_said bot_say(bot_fixture *f, const lo_community_settings *community, lo_message m,
                               const char *text, double now)
{
    m.text = text;
    m.text_len = strlen(text);
    lo_reply r;
    bot_said s = {.verdict = lo_bot_handle(f->bot, community, &m, now, &r)};
    if (s.verdict == LO_VERDICT_ANSWER) {
        snprintf(s.category, sizeof s.category, "%s", r.category);
        snprintf(s.text, sizeof s.text, "%s", r.text);
    }
    lo_reply_clear(&r);
    return s;
}

#endif
