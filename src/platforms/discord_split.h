/* discord_split.h - cutting a reply into messages Discord accepts: at most `limit` characters
 * each (2,000 for message content), cut between words, never inside a UTF-8 sequence.
 *
 * Characters are counted as UTF-16 code units (a character outside the Basic Multilingual Plane,
 * such as most emoji, counts two), which is never fewer than what Discord counts, so a piece
 * that fits here fits there. Pure: no allocation, no I/O.
 */
#ifndef LEANON_PLATFORMS_DISCORD_SPLIT_H
#define LEANON_PLATFORMS_DISCORD_SPLIT_H

#include <stddef.h>

#define LO_DISCORD_MESSAGE_LIMIT 2000u

/* The next piece of text[*offset .. len): skips leading white space, then returns the piece's
 * length in bytes and stores its start in *start; advances *offset past it. Returns 0 when
 * nothing but white space is left. A piece ends at the last white space that keeps it within
 * limit, or, for a single word longer than limit, at the last whole character that fits. */
size_t lo_discord_split_next(const char *text, size_t len, size_t *offset, size_t limit,
                             size_t *start);

#endif
