/* The rules of restore (include/rdsemu/core/restore.h, docs/restore.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rdsemu/core/ids.h"
#include "rdsemu/core/model.h"
#include "rdsemu/core/restore.h"

#define DAY_SECONDS 86400

size_t restore_ranges(const int64_t *ends, size_t n, int keep_days, int64_t now,
                      struct time_range *out)
{
    if (n == 0)
        return 0;
    if (keep_days > 0) {
        out[0].start_ms = ends[0] * 1000;
        out[0].end_ms = (now > ends[0] ? now : ends[0]) * 1000;
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        out[i].start_ms = out[i].end_ms = ends[i] * 1000;
    return n;
}

size_t restore_ranges_clip(struct time_range *ranges, size_t n, int64_t day)
{
    int64_t first = day * 1000, last = (day + DAY_SECONDS) * 1000 - 1;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        struct time_range r = ranges[i];
        if (r.end_ms < first || r.start_ms > last)
            continue;
        r.start_ms = r.start_ms < first ? first : r.start_ms;
        r.end_ms = r.end_ms > last ? last : r.end_ms;
        ranges[kept++] = r;
    }
    return kept;
}

bool restore_time_in(const struct time_range *ranges, size_t n, int64_t ms)
{
    for (size_t i = 0; i < n; i++)
        if (ms >= ranges[i].start_ms && ms <= ranges[i].end_ms)
            return true;
    return false;
}

/* Compares dotted versions part by part, as numbers where both parts are numbers ("5.7" <
 * "8.0" < "8.0.28"), as text otherwise; a version that runs out first is the smaller. */
static int version_compare(const char *a, const char *b)
{
    for (;;) {
        size_t la = strcspn(a, "."), lb = strcspn(b, ".");
        bool na = la > 0 && strspn(a, "0123456789") >= la,
             nb = lb > 0 && strspn(b, "0123456789") >= lb;
        int c;
        if (na && nb) {
            long x = strtol(a, NULL, 10), y = strtol(b, NULL, 10);
            c = x < y ? -1 : x > y;
        } else {
            c = strncmp(a, b, la < lb ? la : lb);
            if (c == 0)
                c = la < lb ? -1 : la > lb;
        }
        if (c != 0)
            return c;
        a += la;
        b += lb;
        if (*a == '\0' || *b == '\0')
            return *a == '\0' ? (*b == '\0' ? 0 : -1) : 1;
        a++;
        b++;
    }
}

/* A PostgreSQL major version: the first number from 10 on, the first two before ("9.6"). */
static void postgres_major(const char *v, char out[32])
{
    size_t n = strcspn(v, ".");
    if (atoi(v) < 10 && v[n] == '.')
        n += 1 + strcspn(v + n + 1, ".");
    snprintf(out, 32, "%.*s", (int)(n < 31 ? n : 31), v);
}

int restore_compatible(const char *from_engine, const char *from_version, const char *to_engine,
                       const char *to_version, bool same_instance, char *why, size_t whylen)
{
    if (strcmp(from_engine, to_engine) != 0) {
        snprintf(why, whylen, "a %s backup cannot be restored to a %s instance", from_engine,
                 to_engine);
        return -1;
    }
    if (strcmp(from_engine, "MySQL") == 0 && version_compare(to_version, from_version) < 0) {
        snprintf(why, whylen,
                 "a MySQL %.32s backup cannot be restored to MySQL %.32s, an older "
                 "version",
                 from_version, to_version);
        return -1;
    }
    if (strcmp(from_engine, "PostgreSQL") == 0) {
        char a[32], b[32];
        postgres_major(from_version, a);
        postgres_major(to_version, b);
        if (strcmp(a, b) != 0) {
            snprintf(why, whylen, "a PostgreSQL %s backup can only be restored to PostgreSQL %s", a,
                     a);
            return -1;
        }
        if (same_instance) {
            snprintf(why, whylen, "a PostgreSQL instance cannot be restored onto itself");
            return -1;
        }
    }
    return 0;
}

/* "Mysql", "Postgresql", "Sqlserver". */
static const char *engine_word(const char *engine)
{
    if (strcmp(engine, "PostgreSQL") == 0)
        return "Postgresql";
    if (strcmp(engine, "SQLServer") == 0)
        return "Sqlserver";
    return "Mysql";
}

void restore_job_name(const char *engine, bool new_instance, char out[40])
{
    snprintf(out, 40, new_instance ? "Create%sSingleHAInstance" : "Restore%sInInstance",
             engine_word(engine));
}

void restore_instance_id(const char *engine, char out[37])
{
    char uuid[UUID_TEXT_LEN + 1], hex[33];
    ids_uuid_random(uuid); /* random, as the real IDs look: its 32 hex digits */
    size_t n = 0;
    for (const char *p = uuid; *p != '\0'; p++)
        if (*p != '-')
            hex[n++] = *p;
    hex[n] = '\0';
    const char *suffix = strcmp(engine, "PostgreSQL") == 0  ? "in03"
                         : strcmp(engine, "SQLServer") == 0 ? "in04"
                                                            : "in01";
    snprintf(out, 37, "%s%s", hex, suffix);
}

size_t backup_files_of(const struct backup *b, struct backup_file *out)
{
    long long size = b->size_kb > 0 ? b->size_kb : 0;
    if (strcmp(b->engine, "SQLServer") == 0 && b->databases.count > 0) {
        long long each = size / (long long)b->databases.count;
        for (size_t i = 0; i < b->databases.count; i++) {
            snprintf(out[i].name, sizeof(out[i].name), "%s_%.100s.bak", b->id,
                     b->databases.names[i]);
            out[i].size_kb = each;
            out[i].database = b->databases.names[i];
        }
        return b->databases.count;
    }
    const char *ext = strcmp(b->engine, "PostgreSQL") == 0  ? "tar.gz"
                      : strcmp(b->engine, "SQLServer") == 0 ? "bak"
                                                            : "qp";
    snprintf(out[0].name, sizeof(out[0].name), "%s.%s", b->id, ext);
    out[0].size_kb = size;
    out[0].database = NULL;
    return 1;
}
