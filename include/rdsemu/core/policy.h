/* The automated backup policy of an instance (docs/policy.md): one stored policy seen through
 * the v1 shape (keepday, starttime), the v3 shape (keep_days, start_time "hh:mm-HH:MM",
 * period) and the instance API's backup_strategy, and the windows at which it makes automated
 * backups. Pure functions of their arguments. */
#ifndef RDSEMU_POLICY_H
#define RDSEMU_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#define POLICY_KEEPDAY_MAX      732  /* v1, any engine */
#define POLICY_KEEP_DAYS_MAX    732  /* v3: MySQL and SQL Server, from 1 */
#define POLICY_KEEP_DAYS_PG_MAX 3660 /* v3: PostgreSQL, from 0 */
#define POLICY_DEFAULT_KEEP     7
#define POLICY_DEFAULT_START    "00:00:00"
#define POLICY_ALL_WEEKDAYS     0x7f /* bit d-1 for ISO weekday d: 1 Monday .. 7 Sunday */
#define POLICY_PERIOD_TEXT_MAX  14   /* "1,2,3,4,5,6,7" and its NUL */
#define POLICY_WINDOW_TEXT_LEN  11   /* "hh:mm-HH:MM" */
#define POLICY_WINDOW_SECONDS   3600 /* the backup window: one hour from its start */

/* Which instances get automated backups (--auto-backups). */
enum auto_backups {
    AUTO_BACKUPS_SET, /* those whose policy was set through an API, the seed or the control plane */
    AUTO_BACKUPS_ALL, /* every primary, from its creation */
    AUTO_BACKUPS_OFF, /* none */
};

struct backup_policy {
    int keep_days;     /* 0: automated backups are off */
    char start[9];     /* hh:mm:ss, UTC */
    unsigned weekdays; /* POLICY_ALL_WEEKDAYS bits */
};

/* A new instance's: 7 days, 00:00:00, every day. */
void policy_default(struct backup_policy *out);

/* v1: 0 with `out` = "hh:mm:ss" when `in` is "hh:mm" or "hh:mm:ss" in range; -1 otherwise. */
int policy_starttime_normalize(const char *in, char out[9]);

/* v3 start_time "hh:mm-HH:MM": HH is hh + 1 (23 -> 00), mm = MM, one of 00, 15, 30, 45. 0 with
 * `start` = "hh:mm:00", or -1. */
int policy_window_parse(const char *in, char start[9]);
/* "hh:mm-HH:MM" of a stored start (its seconds dropped: a v1 start off the quarter hour shows
 * as it is). */
void policy_window_format(const char start[9], char out[POLICY_WINDOW_TEXT_LEN + 1]);

/* v3 period: weekdays 1 to 7, comma-separated, no spaces, strictly ascending. 0 with the bits,
 * or -1 (an empty text included). */
int policy_period_parse(const char *in, unsigned *weekdays);
/* "1,2,3,4,5,6,7" for every day; "" for none. */
void policy_period_format(unsigned weekdays, char out[POLICY_PERIOD_TEXT_MAX]);

/* The v3 keep_days range of an engine: [*min, *max]. */
void policy_keep_days_range(const char *engine, int *min, int *max);

/* The first window start strictly after `after`: the start time on a UTC day whose ISO
 * weekday is one of the policy's. -1 when the policy has no weekday. */
int64_t policy_next_window(const struct backup_policy *p, int64_t after);

/* The ISO weekday (1 Monday .. 7 Sunday) of a time. */
int policy_weekday(int64_t t);

#endif
