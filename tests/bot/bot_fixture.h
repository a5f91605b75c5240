/* bot_fixture.h - a bot for the bot tests: an opt-out store in a fresh temp
 * folder, metrics, and the engine loaded from a response set. */
#ifndef LEANON_TESTS_BOT_FIXTURE_H
#define LEANON_TESTS_BOT_FIXTURE_H

#include <stdlib.h>

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

#endif
