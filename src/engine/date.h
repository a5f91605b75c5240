/* date.h - calendar dates as moderators write them (YYYY-MM-DD), and their
 * age in whole months, for the helplines' "verified" dates (date.c). */
#ifndef LEANON_ENGINE_DATE_H
#define LEANON_ENGINE_DATE_H

#include <stdbool.h>

typedef struct lo_date {
    int year, month, day;
} lo_date;

/* Parses s as YYYY-MM-DD (a real day of a year from 2000 to 2999). */
bool lo_date_parse(const char *s, lo_date *out);
/* Whether date is more than months calendar months before today. */
bool lo_date_older_than(lo_date date, lo_date today, int months);

#endif
