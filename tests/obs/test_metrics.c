/* test_metrics.c - counters, the label cap, the Prometheus rendering, series declared at 0,
 * and feedback attributed to a rule or to the fallback. */
#include "obs/metrics.h"

#include <stdlib.h>

#include "../testing.h"

int main(void)
{
    lo_metrics *m = lo_metrics_new();
    lo_metrics_add(m, LO_METRIC_MESSAGES_IN, "webchat", 1);
    lo_metrics_add(m, LO_METRIC_MESSAGES_IN, "webchat", 1);
    lo_metrics_add(m, LO_METRIC_CONNECTIONS, "webchat", 3);
    lo_metrics_add(m, LO_METRIC_CONNECTIONS, "webchat", -1);
    CHECK(lo_metrics_get(m, LO_METRIC_MESSAGES_IN, "webchat") == 2);
    CHECK(lo_metrics_get(m, LO_METRIC_CONNECTIONS, "webchat") == 2);
    CHECK(lo_metrics_get(m, LO_METRIC_MESSAGES_IN, "discord") == 0);

    char group[16];
    lo_metrics_category_group("crisis-suicide", group, sizeof group);
    CHECK_STR(group, "crisis");
    lo_metrics_category_group("greeting", group, sizeof group);
    CHECK_STR(group, "greeting");

    lo_metrics_reply(m, "crisis-suicide", 0.0003);
    lo_metrics_reply(m, "crisis-abuse", 0.002);
    lo_metrics_reply(m, "greeting", 2.0);
    CHECK(lo_metrics_get(m, LO_METRIC_REPLIES_OUT, "crisis") == 2);

    /* More label values than the cap end up under "other". */
    for (int i = 0; i < 100; i++) {
        char label[16];
        snprintf(label, sizeof label, "g%d", i);
        lo_metrics_add(m, LO_METRIC_ERRORS, label, 1);
    }
    CHECK(lo_metrics_get(m, LO_METRIC_ERRORS, "g0") == 1);
    CHECK(lo_metrics_get(m, LO_METRIC_ERRORS, "g99") == 0);
    CHECK(lo_metrics_get(m, LO_METRIC_ERRORS, "other") == 100 - (LO_METRICS_MAX_SERIES - 1));

    char *text = lo_metrics_render(m);
    CHECK(text != NULL);
    if (!text)
        TEST_MAIN_END();
    CHECK(strstr(text, "# TYPE leanon_messages_in_total counter\n") != NULL);
    CHECK(strstr(text, "leanon_messages_in_total{platform=\"webchat\"} 2\n") != NULL);
    CHECK(strstr(text, "leanon_replies_out_total{group=\"crisis\"} 2\n") != NULL);
    CHECK(strstr(text, "leanon_connections{platform=\"webchat\"} 2\n") != NULL);
    CHECK(strstr(text, "# TYPE leanon_reply_latency_seconds histogram\n") != NULL);
    CHECK(strstr(text, "leanon_reply_latency_seconds_bucket{le=\"0.0005\"} 1\n") != NULL);
    CHECK(strstr(text, "leanon_reply_latency_seconds_bucket{le=\"0.0025\"} 2\n") != NULL);
    CHECK(strstr(text, "leanon_reply_latency_seconds_bucket{le=\"1\"} 2\n") != NULL);
    CHECK(strstr(text, "leanon_reply_latency_seconds_bucket{le=\"+Inf\"} 3\n") != NULL);
    CHECK(strstr(text, "leanon_reply_latency_seconds_count 3\n") != NULL);
    free(text);
    lo_metrics_free(m);

    /* Declared series are exported at 0 before their first event; declaring again keeps the
     * count. Feedback on the fallback has its own family, exported from the start. */
    m = lo_metrics_new();
    text = lo_metrics_render(m);
    CHECK(text && strstr(text, "leanon_feedback_on_fallback_total{said=\"helpful\"} 0\n"));
    CHECK(text && strstr(text, "leanon_feedback_on_fallback_total{said=\"unhelpful\"} 0\n"));
    CHECK(text && strstr(text, "leanon_fallback_total{event=\"choice_taken\"} 0\n"));
    free(text);
    lo_metrics_declare(m, LO_METRIC_CRISIS_REPLIES, "webchat");
    text = lo_metrics_render(m);
    CHECK(text && strstr(text, "leanon_crisis_replies_total{platform=\"webchat\"} 0\n"));
    free(text);
    lo_metrics_add(m, LO_METRIC_CRISIS_REPLIES, "webchat", 1);
    lo_metrics_declare(m, LO_METRIC_CRISIS_REPLIES, "webchat");
    CHECK(lo_metrics_get(m, LO_METRIC_CRISIS_REPLIES, "webchat") == 1);

    lo_metrics_feedback(m, 1, "fallback", true);
    lo_metrics_feedback(m, -1, "", true); /* the built-in fallback has no rule id */
    lo_metrics_feedback(m, 1, "greeting", false);
    lo_metrics_feedback(m, -1, "greeting", false);
    CHECK(lo_metrics_get(m, LO_METRIC_FEEDBACK_ON_FALLBACK, "helpful") == 1);
    CHECK(lo_metrics_get(m, LO_METRIC_FEEDBACK_ON_FALLBACK, "unhelpful") == 1);
    CHECK(lo_metrics_get(m, LO_METRIC_HELPFUL, "fallback") == 0);
    CHECK(lo_metrics_get(m, LO_METRIC_UNHELPFUL, "") == 0);
    CHECK(lo_metrics_get(m, LO_METRIC_HELPFUL, "greeting") == 1);
    CHECK(lo_metrics_get(m, LO_METRIC_UNHELPFUL, "greeting") == 1);
    lo_metrics_free(m);
    TEST_MAIN_END();
}
