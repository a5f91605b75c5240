/* clock.h - monotonic seconds, for conversation lifetimes, cooldowns, drain deadlines and
 * reply latency: one clock everywhere, never moved by changes to the wall clock. */
#ifndef LEANON_OBS_CLOCK_H
#define LEANON_OBS_CLOCK_H

double lo_monotonic_seconds(void);

#endif
