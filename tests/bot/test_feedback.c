/* test_feedback.c - feedback counted honestly, with the shipped responses (issue 14, item 9):
 * "thanks, it helps a bit" or "that didn't help" after a fallback is feedback on the fallback
 * (leanon_feedback_on_fallback_total), never "helpful" for a rule; after a rule's reply it is
 * counted for that rule; every series the bot counts is in /metrics with 0 from the start; and
 * the asking fallback is counted: fallbacks, offers of themes, and a theme chosen (issue 13). */
#include "bot_fixture.h"

static void say(lo_bot *bot, const char *author, const char *text, double now, const char *rule,
                const char *category)
{
    lo_message m = {.platform = "webchat",
                    .community = "webchat",
                    .channel = author,
                    .author = author,
                    .is_dm = true,
                    .text = text,
                    .text_len = strlen(text)};
    lo_reply r;
    CHECK(lo_bot_handle(bot, NULL, &m, now, &r) == LO_VERDICT_ANSWER);
    if (strcmp(r.rule_id, rule) != 0 || strcmp(r.category, category) != 0)
        fprintf(stderr, "  \"%s\" got %s (%s), wanted %s (%s)\n", text, r.rule_id, r.category, rule,
                category);
    CHECK_STR(r.rule_id, rule);
    CHECK_STR(r.category, category);
    lo_reply_clear(&r);
}

/* Whether the rendered metrics hold this exact line. */
static bool exported(const lo_metrics *metrics, const char *line)
{
    char *text = lo_metrics_render(metrics);
    bool found = text && strstr(text, line);
    if (!found)
        fprintf(stderr, "  /metrics lacks: %s", line);
    free(text);
    return found;
}

int main(void)
{
    bot_fixture f;
    bot_fixture_open(&f, RESPONSES);

    /* Before any message: every series the bot counts, at 0. */
    static const char *const at_start[] = {
        "leanon_ignored_total{reason=\"not_addressed\"} 0\n",
        "leanon_ignored_total{reason=\"cooldown\"} 0\n",
        "leanon_ignored_total{reason=\"opted_out\"} 0\n",
        "leanon_ignored_total{reason=\"bot\"} 0\n",
        "leanon_errors_total{kind=\"optout_store\"} 0\n",
        "leanon_replies_out_total{group=\"crisis\"} 0\n",
        "leanon_replies_out_total{group=\"check\"} 0\n",
        "leanon_replies_out_total{group=\"fallback\"} 0\n",
        "leanon_replies_out_total{group=\"command\"} 0\n",
        "leanon_feedback_on_fallback_total{said=\"helpful\"} 0\n",
        "leanon_feedback_on_fallback_total{said=\"unhelpful\"} 0\n",
        "leanon_fallback_total{event=\"fallback\"} 0\n",
        "leanon_fallback_total{event=\"choices_offered\"} 0\n",
        "leanon_fallback_total{event=\"choice_taken\"} 0\n",
    };
    for (size_t i = 0; i < sizeof at_start / sizeof at_start[0]; i++)
        CHECK(exported(f.metrics, at_start[i]));

    /* After a fallback: feedback on the fallback, not "helpful" for a rule named fallback. */
    say(f.bot, "p1", "blorp quux zebra", 1, "fallback", "fallback");
    say(f.bot, "p1", "thanks, it helps a bit", 2, "feedback-better", "feedback");
    CHECK(lo_metrics_get(f.metrics, LO_METRIC_FEEDBACK_ON_FALLBACK, "helpful") == 1);
    CHECK(lo_metrics_get(f.metrics, LO_METRIC_HELPFUL, "fallback") == 0);
    CHECK(exported(f.metrics, "leanon_feedback_on_fallback_total{said=\"helpful\"} 1\n"));

    say(f.bot, "p2", "blorp quux zebra", 3, "fallback", "fallback");
    say(f.bot, "p2", "that didn't help", 4, "feedback-unhelpful", "feedback");
    CHECK(lo_metrics_get(f.metrics, LO_METRIC_FEEDBACK_ON_FALLBACK, "unhelpful") == 1);
    CHECK(lo_metrics_get(f.metrics, LO_METRIC_UNHELPFUL, "fallback") == 0);

    /* After a rule's reply: counted for that rule. */
    say(f.bot, "p3", "hello", 5, "greeting", "greeting");
    say(f.bot, "p3", "that didn't help", 6, "feedback-unhelpful", "feedback");
    CHECK(lo_metrics_get(f.metrics, LO_METRIC_UNHELPFUL, "greeting") == 1);
    CHECK(lo_metrics_get(f.metrics, LO_METRIC_FEEDBACK_ON_FALLBACK, "unhelpful") == 1);

    /* Feedback on feedback is about the feedback rule's reply, not the fallback before it. */
    say(f.bot, "p1", "that didn't help", 7, "feedback-unhelpful", "feedback");
    CHECK(lo_metrics_get(f.metrics, LO_METRIC_UNHELPFUL, "feedback-better") == 1);
    CHECK(lo_metrics_get(f.metrics, LO_METRIC_FEEDBACK_ON_FALLBACK, "unhelpful") == 1);

    /* The asking fallback: two plain fallbacks above, then one that offers themes (a message no
     * rule matched and the topic score is not sure of), and "2" taken as the second theme. */
    say(f.bot, "p4", "dad stuff", 8, "fallback", "fallback");
    say(f.bot, "p4", "2", 9, "anger", "anger");
    CHECK(exported(f.metrics, "leanon_fallback_total{event=\"fallback\"} 3\n"));
    CHECK(exported(f.metrics, "leanon_fallback_total{event=\"choices_offered\"} 1\n"));
    CHECK(exported(f.metrics, "leanon_fallback_total{event=\"choice_taken\"} 1\n"));

    bot_fixture_close(&f);
    TEST_MAIN_END();
}
