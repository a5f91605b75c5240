/* metrics.h - counters, gauges and the reply latency histogram, rendered in the
 * Prometheus text exposition format for /metrics.
 *
 * Every series carries at most one label whose values are ids the code chooses
 * (platform names, category groups, reasons): never message text or user ids.
 * Each family keeps at most LO_METRICS_MAX_SERIES label values; later ones are
 * counted under "other" so a response set cannot blow up the cardinality.
 */
#ifndef LEANON_OBS_METRICS_H
#define LEANON_OBS_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#define LO_METRICS_MAX_SERIES 32

typedef enum lo_metric {
    LO_METRIC_MESSAGES_IN,     /* counter, label platform */
    LO_METRIC_REPLIES_OUT,     /* counter, label group (category up to the first '-') */
    LO_METRIC_CRISIS_REPLIES,  /* counter, label platform */
    LO_METRIC_CHECK_INS,       /* counter, label category (the crisis category asked about) */
    LO_METRIC_IGNORED,         /* counter, label reason (not_addressed, cooldown, opted_out, bot) */
    LO_METRIC_ERRORS,          /* counter, label kind */
    LO_METRIC_RECONNECTS,      /* counter, label platform */
    LO_METRIC_RATELIMIT_WAITS, /* counter, label platform */
    LO_METRIC_RELOADS,         /* counter, label result (ok, refused) */
    LO_METRIC_CONNECTIONS,     /* gauge, label platform */
    LO_METRIC_UNHELPFUL,       /* counter, label rule (the rule a person called wrong) */
    LO_METRIC_HELPFUL,         /* counter, label rule (the rule a person said helped) */
    LO_METRIC_FEEDBACK_ON_FALLBACK, /* counter, label said (helpful, unhelpful): feedback on
                                       a fallback reply, which no rule gave */
    LO_METRIC_FALLBACK,             /* counter, label event (fallback, choices_offered,
                                       choice_taken): the asking fallback */
    LO_METRIC_COUNT
} lo_metric;

typedef struct lo_metrics lo_metrics;

/* Never NULL. */
lo_metrics *lo_metrics_new(void);
void lo_metrics_free(lo_metrics *metrics);

/* Adds delta (may be negative for gauges) to the series with this label. */
void lo_metrics_add(lo_metrics *metrics, lo_metric metric, const char *label, double delta);
/* Creates the series with this label at 0 unless it exists, so that it is exported before its
 * first event. */
void lo_metrics_declare(lo_metrics *metrics, lo_metric metric, const char *label);
/* Counts feedback on a reply (verdict +1 helpful, -1 unhelpful): for the rule that gave it, or,
 * when the reply was the fallback, as feedback on the fallback (no rule chose it). */
void lo_metrics_feedback(lo_metrics *metrics, int verdict, const char *rule_id, bool on_fallback);
/* Current value of one series (0 when it does not exist). */
double lo_metrics_get(const lo_metrics *metrics, lo_metric metric, const char *label);

/* Records one reply: replies_out{group of category}, and the latency histogram. */
void lo_metrics_reply(lo_metrics *metrics, const char *category, double latency_seconds);

/* Writes the category group ("crisis-suicide" -> "crisis") into out. */
void lo_metrics_category_group(const char *category, char *out, size_t out_size);

/* Renders everything in Prometheus text format: a heap string the caller frees,
 * never NULL (out of memory aborts, the error rule in leanon/engine.h). */
char *lo_metrics_render(const lo_metrics *metrics);

#endif
