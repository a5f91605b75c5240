/* log_json.h - one logfmt log line written as one JSON object instead, for hosts whose log
 * pipeline wants JSON (`leanon run --log-format json`): the same keys in the same order, every
 * value a JSON string. */
#ifndef LEANON_OBS_LOG_JSON_H
#define LEANON_OBS_LOG_JSON_H

#include <stddef.h>

/* Writes {"ts":"<ts>","k":"v",...} for the logfmt pairs of body (len bytes: key=value with
 * values bare or quoted as lo_log_quote writes them) into out, NUL-terminated, without a
 * newline. Cuts at a pair when out is too small, always leaving a closed object. Returns the
 * length written. */
size_t lo_logfmt_to_json(const char *ts, const char *body, size_t len, char *out, size_t out_size);

#endif
