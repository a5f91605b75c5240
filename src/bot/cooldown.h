/* cooldown.h - when did the bot last answer this person / in this channel?
 *
 * A bounded in-memory map from a key ("discord:user:42") to the time of the
 * bot's last reply. Entries older than the horizon are forgotten; when the
 * map is full even so, the oldest entry makes room.
 */
#ifndef LEANON_BOT_COOLDOWN_H
#define LEANON_BOT_COOLDOWN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct lo_cooldowns lo_cooldowns;

/* horizon: the longest cooldown in use, in seconds; max_entries: 0 = 100000. Never NULL (out of
 * memory aborts, the rule of leanon/engine.h). */
lo_cooldowns *lo_cooldowns_new(double horizon, size_t max_entries);
void lo_cooldowns_free(lo_cooldowns *cooldowns);

/* True when key was touched less than seconds before now. */
bool lo_cooldowns_active(const lo_cooldowns *cooldowns, const char *key, double seconds,
                         double now);
/* Records a reply for key at now. */
void lo_cooldowns_touch(lo_cooldowns *cooldowns, const char *key, double now);
/* Forgets key (nothing happens when it is not there). */
void lo_cooldowns_forget(lo_cooldowns *cooldowns, const char *key);
size_t lo_cooldowns_count(const lo_cooldowns *cooldowns);

#endif
