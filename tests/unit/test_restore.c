/* The rules of restore (docs/restore.md): restorable ranges and their clipping to a day, which
 * source may go to which target, the names and IDs a restore makes, a backup's files. */
#include <string.h>

#include "check.h"
#include "rdsemu/core/model.h"
#include "rdsemu/core/restore.h"

#define DAY 86400

static void test_ranges(void)
{
    struct time_range r[3];
    int64_t ends[] = {1000, 2000, 3000};
    /* keep_days > 0: one range from the oldest to now. */
    CHECK_INT(restore_ranges(ends, 3, 7, 5000, r), 1);
    CHECK(r[0].start_ms == 1000000 && r[0].end_ms == 5000000);
    /* keep_days 0: one point each. */
    CHECK_INT(restore_ranges(ends, 3, 0, 5000, r), 3);
    CHECK(r[1].start_ms == 2000000 && r[1].end_ms == 2000000);
    CHECK_INT(restore_ranges(ends, 0, 7, 5000, r), 0);
    /* At, inside and just outside. */
    CHECK_INT(restore_ranges(ends, 3, 7, 5000, r), 1);
    CHECK(restore_time_in(r, 1, 1000000));
    CHECK(restore_time_in(r, 1, 5000000));
    CHECK(restore_time_in(r, 1, 3000001));
    CHECK(!restore_time_in(r, 1, 999999));
    CHECK(!restore_time_in(r, 1, 5000001));
    /* A day clips: a range across two days keeps its part of the day asked. */
    int64_t day = 20000 * (int64_t)DAY;
    int64_t across[] = {day - 3600};
    CHECK_INT(restore_ranges(across, 1, 7, day + 7200, r), 1);
    CHECK_INT(restore_ranges_clip(r, 1, day), 1);
    CHECK(r[0].start_ms == day * 1000 && r[0].end_ms == (day + 7200) * 1000);
    CHECK_INT(restore_ranges(across, 1, 7, day + 7200, r), 1);
    CHECK_INT(restore_ranges_clip(r, 1, day - DAY), 1);
    CHECK(r[0].start_ms == (day - 3600) * 1000 && r[0].end_ms == day * 1000 - 1);
    CHECK_INT(restore_ranges(across, 1, 7, day + 7200, r), 1);
    CHECK_INT(restore_ranges_clip(r, 1, day + DAY), 0);
}

static bool compatible(const char *fe, const char *fv, const char *te, const char *tv, bool same)
{
    char why[200];
    return restore_compatible(fe, fv, te, tv, same, why, sizeof(why)) == 0;
}

static void test_compatibility(void)
{
    CHECK(compatible("MySQL", "5.7", "MySQL", "5.7", false));
    CHECK(compatible("MySQL", "5.7", "MySQL", "8.0", false));
    CHECK(compatible("MySQL", "8.0", "MySQL", "8.0.28", false));
    CHECK(!compatible("MySQL", "8.0", "MySQL", "5.7", false));
    CHECK(!compatible("MySQL", "8.0.28", "MySQL", "8.0", false));
    CHECK(compatible("MySQL", "8.0", "MySQL", "8.0", true)); /* onto itself: MySQL may */
    CHECK(!compatible("MySQL", "8.0", "PostgreSQL", "14", false));
    CHECK(compatible("PostgreSQL", "14", "PostgreSQL", "14.2", false));
    CHECK(!compatible("PostgreSQL", "14", "PostgreSQL", "15", false));
    CHECK(!compatible("PostgreSQL", "13", "PostgreSQL", "12", false));
    CHECK(compatible("PostgreSQL", "9.6", "PostgreSQL", "9.6.24", false));
    CHECK(!compatible("PostgreSQL", "9.5", "PostgreSQL", "9.6", false));
    CHECK(!compatible("PostgreSQL", "14", "PostgreSQL", "14", true)); /* onto itself: not PG */
    CHECK(compatible("SQLServer", "2019_SE", "SQLServer", "2017_EE", false));
    CHECK(compatible("SQLServer", "2019_SE", "SQLServer", "2019_SE", true));
}

static void test_names(void)
{
    char name[40];
    restore_job_name("MySQL", false, name);
    CHECK_STR(name, "RestoreMysqlInInstance");
    restore_job_name("PostgreSQL", true, name);
    CHECK_STR(name, "CreatePostgresqlSingleHAInstance");
    restore_job_name("SQLServer", false, name);
    CHECK_STR(name, "RestoreSqlserverInInstance");
    char a[37], b[37];
    restore_instance_id("MySQL", a);
    restore_instance_id("MySQL", b);
    CHECK_INT(strlen(a), 36);
    CHECK_INT(strspn(a, "0123456789abcdef"), 32);
    CHECK_STR(a + 32, "in01");
    CHECK(strcmp(a, b) != 0);
    restore_instance_id("PostgreSQL", a);
    CHECK_STR(a + 32, "in03");
    restore_instance_id("SQLServer", a);
    CHECK_STR(a + 32, "in04");
}

static void test_files(void)
{
    struct backup b = {.id = "b1", .engine = "MySQL", .size_kb = 1001};
    struct backup_file f[3];
    CHECK_INT(backup_files_of(&b, f), 1);
    CHECK_STR(f[0].name, "b1.qp");
    CHECK_INT(f[0].size_kb, 1001);
    CHECK(f[0].database == NULL);
    b.engine = "PostgreSQL";
    backup_files_of(&b, f);
    CHECK_STR(f[0].name, "b1.tar.gz");
    b.engine = "SQLServer";
    backup_files_of(&b, f);
    CHECK_STR(f[0].name, "b1.bak");
    name_list_add(&b.databases, "sales");
    name_list_add(&b.databases, "hr");
    name_list_add(&b.databases, "ops");
    CHECK_INT(backup_files_of(&b, f), 3);
    CHECK_STR(f[1].name, "b1_hr.bak");
    CHECK_STR(f[1].database, "hr");
    CHECK_INT(f[0].size_kb + f[1].size_kb + f[2].size_kb, 333 * 3); /* floor of 1001 / 3 */
    name_list_free(&b.databases);
}

int main(void)
{
    test_ranges();
    test_compatibility();
    test_names();
    test_files();
    return CHECK_DONE();
}
