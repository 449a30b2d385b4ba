/* The rules of restore (docs/restore.md): the times an instance can be restored to, which
 * source may go to which target, and the names and IDs a restore makes. Pure functions. */
#ifndef RDSEMU_RESTORE_H
#define RDSEMU_RESTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A restorable range, UNIX milliseconds, both ends included. */
struct time_range {
    int64_t start_ms;
    int64_t end_ms;
};

/* The ranges of an instance from the end times (seconds, ascending) of its COMPLETED full
 * backups: with keep_days > 0 one range from the oldest to `now` (the logs are continuous);
 * with keep_days 0 one point per backup; none without a backup. `out` has room for `n`
 * ranges (or 1). Returns how many it wrote. */
size_t restore_ranges(const int64_t *ends, size_t n, int keep_days, int64_t now,
                      struct time_range *out);
/* Keeps what of the ranges falls on the UTC day starting at `day` (seconds), clipped to it;
 * returns how many remain (moved to the front). */
size_t restore_ranges_clip(struct time_range *ranges, size_t n, int64_t day);
/* True when `ms` falls in one of the ranges. */
bool restore_time_in(const struct time_range *ranges, size_t n, int64_t ms);

/* 0 when a backup of `from_engine` `from_version` may be restored onto `to_engine`
 * `to_version` (`same_instance`: onto its own instance); -1 with why in `why`: another engine,
 * a MySQL target older than the source, a PostgreSQL target of another major version, or a
 * PostgreSQL instance onto itself. */
int restore_compatible(const char *from_engine, const char *from_version, const char *to_engine,
                       const char *to_version, bool same_instance, char *why, size_t whylen);

/* The job's name: RestoreMysqlInInstance (onto an existing instance) or
 * CreateMysqlSingleHAInstance (a new one); Postgresql, Sqlserver for the other engines. */
void restore_job_name(const char *engine, bool new_instance, char out[40]);
/* A new instance's ID: 32 lowercase hex digits and in01 (MySQL), in03 (PostgreSQL) or in04
 * (SQL Server). */
void restore_instance_id(const char *engine, char out[37]);

/* A file of a backup (docs/restore.md "Backup files"). */
struct backup_file {
    char name[160];
    long long size_kb;
    const char *database; /* borrowed from the backup; NULL for the whole instance */
};

struct backup;
/* The files of a COMPLETED backup: one <id>.qp (MySQL), .tar.gz (PostgreSQL) or .bak (SQL
 * Server) of its size; a partial SQL Server backup has one <id>_<db>.bak per database, the
 * size split evenly (rounded down). `out` has room for max(1, databases) files. Returns how
 * many it wrote. */
size_t backup_files_of(const struct backup *b, struct backup_file *out);

#endif
