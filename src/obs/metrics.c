/* metrics.c - the bot's counters and reply latency histogram, and their
 * Prometheus text rendering.
 *
 * Everything runs on the one loop thread, so there are no atomics: a family is
 * a small fixed array of (label value, number) pairs, searched linearly (there
 * are a handful of values per family). The histogram has fixed buckets chosen
 * for a reply that should take well under a millisecond and must never take
 * seconds.
 */
#include "obs/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

#define LABEL_MAX 48

typedef struct series {
    char label[LABEL_MAX];
    double value;
} series;

typedef struct family {
    size_t count;
    series items[LO_METRICS_MAX_SERIES];
} family;

typedef struct family_info {
    const char *name;
    const char *help;
    const char *type;
    const char *label_name;
} family_info;

static const family_info infos[LO_METRIC_COUNT] = {
    [LO_METRIC_MESSAGES_IN] = {"leanon_messages_in_total",
                               "Messages received from people, before policy.", "counter",
                               "platform"},
    [LO_METRIC_REPLIES_OUT] = {"leanon_replies_out_total", "Replies sent, by category group.",
                               "counter", "group"},
    [LO_METRIC_CRISIS_REPLIES] = {"leanon_crisis_replies_total", "Crisis replies sent.", "counter",
                                  "platform"},
    [LO_METRIC_CHECK_INS] =
        {"leanon_check_ins_total",
         "Check-ins asked (a direct question about safety), by the category asked about.",
         "counter", "category"},
    [LO_METRIC_IGNORED] = {"leanon_ignored_total", "Messages the bot did not answer, by reason.",
                           "counter", "reason"},
    [LO_METRIC_ERRORS] = {"leanon_errors_total", "Errors, by kind.", "counter", "kind"},
    [LO_METRIC_RECONNECTS] = {"leanon_reconnects_total", "Platform reconnects.", "counter",
                              "platform"},
    [LO_METRIC_RATELIMIT_WAITS] = {"leanon_ratelimit_waits_total",
                                   "Sends delayed by a platform rate limit.", "counter",
                                   "platform"},
    [LO_METRIC_RELOADS] = {"leanon_reloads_total", "Response set reloads, by result.", "counter",
                           "result"},
    [LO_METRIC_CONNECTIONS] = {"leanon_connections",
                               "Open connections (web chat tabs, platform sockets).", "gauge",
                               "platform"},
    [LO_METRIC_UNHELPFUL] =
        {"leanon_feedback_unhelpful_total",
         "Replies people called wrong or unhelpful, by the rule that gave them.", "counter",
         "rule"},
    [LO_METRIC_HELPFUL] = {"leanon_feedback_helpful_total",
                           "Replies people said helped, by the rule that gave them.", "counter",
                           "rule"},
    [LO_METRIC_FEEDBACK_ON_FALLBACK] =
        {"leanon_feedback_on_fallback_total",
         "Feedback on the fallback reply (nothing matched), by what the person said.", "counter",
         "said"},
    [LO_METRIC_FALLBACK] = {"leanon_fallback_total",
                            "The fallback: given (nothing matched), with themes offered as "
                            "choices, and a reply to a theme the person chose.",
                            "counter", "event"},
};

/* Every series is exported from the start with 0: the code that counts a label declares it
 * when it starts (lo_metrics_declare); the ones this file chooses are declared here. */
static const char *const fallback_feedback[] = {"helpful", "unhelpful"};
static const char *const fallback_events[] = {"fallback", "choices_offered", "choice_taken"};

static const double latency_buckets[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                         0.01,   0.025,   0.05,   0.1,   0.5,    1.0};
#define BUCKETS (sizeof latency_buckets / sizeof latency_buckets[0])

struct lo_metrics {
    family families[LO_METRIC_COUNT];
    unsigned long long latency_counts[BUCKETS]; /* per bucket, not cumulative */
    unsigned long long latency_total;
    double latency_sum;
};

lo_metrics *lo_metrics_new(void)
{
    lo_metrics *metrics = lo_xcalloc(1, sizeof(lo_metrics));
    for (size_t i = 0; i < sizeof fallback_feedback / sizeof fallback_feedback[0]; i++)
        lo_metrics_declare(metrics, LO_METRIC_FEEDBACK_ON_FALLBACK, fallback_feedback[i]);
    for (size_t i = 0; i < sizeof fallback_events / sizeof fallback_events[0]; i++)
        lo_metrics_declare(metrics, LO_METRIC_FALLBACK, fallback_events[i]);
    return metrics;
}

void lo_metrics_free(lo_metrics *metrics)
{
    free(metrics);
}

static const series *lookup_series(const family *f, const char *label)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].label, label ? label : "") == 0)
            return &f->items[i];
    return NULL;
}

static series *find_series(family *f, const char *label)
{
    if (!label)
        label = "";
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].label, label) == 0)
            return &f->items[i];
    if (f->count == LO_METRICS_MAX_SERIES - 1 && strcmp(label, "other") != 0)
        return find_series(f, "other");
    if (f->count == LO_METRICS_MAX_SERIES)
        return &f->items[f->count - 1];
    series *s = &f->items[f->count++];
    snprintf(s->label, sizeof s->label, "%s", label);
    s->value = 0;
    return s;
}

void lo_metrics_add(lo_metrics *metrics, lo_metric metric, const char *label, double delta)
{
    if (!metrics || metric >= LO_METRIC_COUNT)
        return;
    find_series(&metrics->families[metric], label)->value += delta;
}

void lo_metrics_declare(lo_metrics *metrics, lo_metric metric, const char *label)
{
    lo_metrics_add(metrics, metric, label, 0);
}

void lo_metrics_feedback(lo_metrics *metrics, int verdict, const char *rule_id, bool on_fallback)
{
    if (on_fallback)
        lo_metrics_add(metrics, LO_METRIC_FEEDBACK_ON_FALLBACK, fallback_feedback[verdict < 0], 1);
    else
        lo_metrics_add(metrics, verdict < 0 ? LO_METRIC_UNHELPFUL : LO_METRIC_HELPFUL, rule_id, 1);
}

double lo_metrics_get(const lo_metrics *metrics, lo_metric metric, const char *label)
{
    if (!metrics || metric >= LO_METRIC_COUNT)
        return 0;
    const series *s = lookup_series(&metrics->families[metric], label);
    return s ? s->value : 0;
}

void lo_metrics_category_group(const char *category, char *out, size_t out_size)
{
    if (!category || !*category)
        category = "none";
    size_t n = strcspn(category, "-");
    if (n >= out_size)
        n = out_size - 1;
    memcpy(out, category, n);
    out[n] = '\0';
}

void lo_metrics_reply(lo_metrics *metrics, const char *category, double latency_seconds)
{
    if (!metrics)
        return;
    char group[LABEL_MAX];
    lo_metrics_category_group(category, group, sizeof group);
    lo_metrics_add(metrics, LO_METRIC_REPLIES_OUT, group, 1);
    size_t b = 0;
    while (b < BUCKETS && latency_seconds > latency_buckets[b])
        b++;
    if (b < BUCKETS)
        metrics->latency_counts[b]++;
    metrics->latency_total++;
    metrics->latency_sum += latency_seconds;
}

/* Label values are chosen by the code, but escape them as the format asks. */
static void append_label_value(lo_strbuf *t, const char *value)
{
    for (const char *p = value; *p; p++) {
        if (*p == '\\' || *p == '"')
            lo_strbuf_addf(t, "\\%c", *p);
        else if (*p == '\n')
            lo_strbuf_adds(t, "\\n");
        else
            lo_strbuf_add(t, p, 1);
    }
}

char *lo_metrics_render(const lo_metrics *metrics)
{
    lo_strbuf t = {0};
    for (size_t m = 0; m < LO_METRIC_COUNT; m++) {
        const family_info *info = &infos[m];
        const family *f = &metrics->families[m];
        lo_strbuf_addf(&t, "# HELP %s %s\n# TYPE %s %s\n", info->name, info->help, info->name,
                       info->type);
        for (size_t i = 0; i < f->count; i++) {
            lo_strbuf_addf(&t, "%s{%s=\"", info->name, info->label_name);
            append_label_value(&t, f->items[i].label);
            lo_strbuf_addf(&t, "\"} %.17g\n", f->items[i].value);
        }
    }
    const char *h = "leanon_reply_latency_seconds";
    lo_strbuf_addf(&t,
                   "# HELP %s Time from a message's arrival to its reply being queued.\n"
                   "# TYPE %s histogram\n",
                   h, h);
    unsigned long long cumulative = 0;
    for (size_t b = 0; b < BUCKETS; b++) {
        cumulative += metrics->latency_counts[b];
        lo_strbuf_addf(&t, "%s_bucket{le=\"%g\"} %llu\n", h, latency_buckets[b], cumulative);
    }
    lo_strbuf_addf(&t, "%s_bucket{le=\"+Inf\"} %llu\n", h, metrics->latency_total);
    lo_strbuf_addf(&t, "%s_sum %.17g\n%s_count %llu\n", h, metrics->latency_sum, h,
                   metrics->latency_total);
    return lo_strbuf_take(&t);
}
