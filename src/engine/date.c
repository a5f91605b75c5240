/* date.c - YYYY-MM-DD dates and their age in calendar months. */
#include <stdio.h>
#include <string.h>

#include "engine/date.h"

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

bool lo_date_parse(const char *s, lo_date *out)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    lo_date d;
    if (sscanf(s, "%4d-%2d-%2d", &d.year, &d.month, &d.day) != 3 || d.year < 2000 ||
        d.year > 2999 || d.month < 1 || d.month > 12 || d.day < 1 ||
        d.day > days_in_month(d.year, d.month))
        return false;
    *out = d;
    return true;
}

/* Dates ordered as whole numbers: months since year 0, then the day. */
static long key(int year, int month, int day)
{
    return ((long)year * 12 + (month - 1)) * 32 + day;
}

bool lo_date_older_than(lo_date date, lo_date today, int months)
{
    return key(date.year, date.month, date.day) < key(today.year, today.month - months, today.day);
}
