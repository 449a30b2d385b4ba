/* The SQLite store on a temporary file (docs/architecture.md "Storage"). */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdbool.h>

#include "check.h"

/* What the last look-up found: the store tells it through a `bool *found`; the checks below
 * read the old three-way answers, 0 found / 1 absent / -1 failed (`lookup`), and 1 yes /
 * 0 no / -1 failed (`exists`). */
static bool found;

static int lookup(int rc)
{
    return rc != 0 ? -1 : found ? 0 : 1;
}

static int exists(int rc)
{
    return rc != 0 ? -1 : found ? 1 : 0;
}
#include "rdsemu/store/schema.h"
#include "rdsemu/store/store.h"

static char dir[] = "/tmp/rdsemu-store-XXXXXX";
/* No automated backups in these tests unless one asks for them. */
static const struct settle_rules rules = {AUTO_BACKUPS_OFF, 3};
static char path[256];

static struct instance make_instance(const char *project, const char *id)
{
    struct instance inst = {.project_id = (char *)project,
                            .id = (char *)id,
                            .name = "inst",
                            .engine = "MySQL",
                            .version = "8.0",
                            .status = "ACTIVE",
                            .backup_seconds = -1,
                            .size_kb = -1,
                            .delete_seconds = -1,
                            .auto_cursor = -1};
    policy_default(&inst.policy);
    return inst;
}

static struct backup make_backup(const char *id, const char *project, const char *instance,
                                 const char *name, int64_t created, int64_t ready_at)
{
    struct backup b = {.project_id = (char *)project,
                       .instance_id = (char *)instance,
                       .instance_name = "inst",
                       .name = (char *)name,
                       .engine = "MySQL",
                       .version = "8.0",
                       .created = created,
                       .ready_at = ready_at,
                       .size_at_ready = 4096,
                       .finished = -1,
                       .size_kb = -1,
                       .expires = -1};
    snprintf(b.id, sizeof(b.id), "%s", id);
    snprintf(b.job_id, sizeof(b.job_id), "job%s", id);
    return b;
}

static int count_backup(struct backup *b, void *arg)
{
    (void)b;
    (*(int *)arg)++;
    return 0;
}

static int collect_names(struct backup *b, void *arg)
{
    strcat(arg, b->name);
    strcat(arg, ",");
    return 0;
}

static int user_version(const char *file)
{
    sqlite3 *db;
    sqlite3_stmt *stmt;
    sqlite3_open(file, &db);
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL);
    sqlite3_step(stmt);
    int v = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return v;
}

static void test_instances_and_backups(struct store *store)
{
    struct store_conn *conn = store_acquire(store);
    CHECK(conn != NULL);
    struct instance inst = make_instance("p1", "i1");
    inst.has_databases = true;
    name_list_add(&inst.databases, "db1");
    CHECK_INT(store_instance_put(conn, &inst, 100, &rules), 0);
    name_list_free(&inst.databases);

    struct instance got;
    CHECK_INT(lookup(store_instance_get(conn, "p1", "i1", &got, &found)), 0);
    CHECK_STR(got.engine, "MySQL");
    CHECK(got.has_databases && got.databases.count == 1);
    CHECK_INT(got.backup_seconds, -1);
    CHECK_INT(got.policy.keep_days, 7);
    CHECK_STR(got.policy.start, "00:00:00");
    CHECK_INT(got.policy.weekdays, POLICY_ALL_WEEKDAYS);
    CHECK(!got.policy_set);
    CHECK_INT(got.created, 100);
    CHECK_INT(got.updated, 100);
    instance_free(&got);
    CHECK_INT(lookup(store_instance_get(conn, "p2", "i1", &got, &found)), 1); /* another project */

    /* A backup BUILDING until t=110 blocks the instance until then; names are per instance. */
    CHECK_INT(store_begin(conn), 0);
    struct backup b1 = make_backup("b1", "p1", "i1", "first", 100, 110);
    CHECK_INT(store_backup_insert(conn, &b1, 100), 0);
    CHECK_INT(store_commit(conn), 0);
    CHECK_INT(exists(store_backup_building_exists(conn, "p1", "i1", 105, &found)), 1);
    CHECK_INT(exists(store_backup_building_exists(conn, "p1", "i1", 110, &found)),
              0); /* due, unsettled */
    CHECK_INT(exists(store_backup_building_exists(conn, "p2", "i1", 105, &found)), 0);
    CHECK_INT(exists(store_backup_name_taken(conn, "p1", "i1", "first", &found)), 1);
    CHECK_INT(exists(store_backup_name_taken(conn, "p1", "i2", "first", &found)), 0);

    /* Stored as created until settled; settling before ready_at changes nothing; at
     * ready_at the backup completes with its completion time = ready_at, not the time
     * someone looked. */
    struct backup got_b;
    CHECK_INT(lookup(store_backup_get(conn, "p1", "b1", &got_b, &found)), 0);
    CHECK_INT(got_b.status, BACKUP_BUILDING);
    backup_free(&got_b);
    CHECK_INT(store_settle(conn, 109, &rules), 0);
    CHECK_INT(lookup(store_backup_get(conn, "p1", "b1", &got_b, &found)), 0);
    CHECK_INT(got_b.status, BACKUP_BUILDING);
    backup_free(&got_b);
    CHECK_INT(store_settle(conn, 500, &rules), 0); /* in a transaction of its own */
    CHECK_INT(lookup(store_backup_get(conn, "p1", "b1", &got_b, &found)), 0);
    CHECK_INT(got_b.status, BACKUP_COMPLETED);
    CHECK_INT(got_b.finished, 110);
    CHECK_INT(got_b.size_kb, 4096);
    backup_free(&got_b);
    CHECK_INT(lookup(store_backup_get(conn, "p2", "b1", &got_b, &found)), 1);
    struct job job;
    CHECK_INT(lookup(store_job_get(conn, "p1", "jobb1", &job, &found)), 0);
    CHECK_INT(job.status, JOB_COMPLETED);
    CHECK_INT(job.ended, 110);
    job_free(&job);

    /* A backup already due when created is stored final at once: FAILED without a size. */
    CHECK_INT(store_begin(conn), 0);
    struct backup b2 = make_backup("b2", "p1", "i1", "second", 200, 200);
    b2.outcome = OUTCOME_FAIL;
    CHECK_INT(store_backup_insert(conn, &b2, 200), 0);
    CHECK_INT(store_commit(conn), 0);
    CHECK_INT(lookup(store_backup_get(conn, "p1", "b2", &got_b, &found)), 0);
    CHECK_INT(got_b.status, BACKUP_FAILED);
    CHECK_INT(got_b.size_kb, -1);
    CHECK_INT(got_b.finished, 200);
    CHECK(got_b.fail_reason != NULL);
    backup_free(&got_b);
    CHECK_INT(lookup(store_job_get(conn, "p1", "jobb2", &job, &found)), 0);
    CHECK_INT(job.status, JOB_FAILED);
    CHECK(job.fail_reason != NULL);
    job_free(&job);

    /* A forced transition ends a BUILDING backup now, with its job. */
    CHECK_INT(store_begin(conn), 0);
    struct backup b3 = make_backup("b3", "p1", "i1", "third", 300, 900);
    CHECK_INT(store_backup_insert(conn, &b3, 300), 0);
    CHECK_INT(store_backup_finish(conn, "b3", BACKUP_FAILED, 310, "forced"), 0);
    CHECK_INT(store_commit(conn), 0);
    CHECK_INT(lookup(store_backup_get(conn, "p1", "b3", &got_b, &found)), 0);
    CHECK_INT(got_b.status, BACKUP_FAILED);
    CHECK_INT(got_b.finished, 310);
    CHECK_STR(got_b.fail_reason, "forced");
    backup_free(&got_b);
    CHECK_INT(lookup(store_job_get(conn, "p1", "jobb3", &job, &found)), 0);
    CHECK_INT(job.status, JOB_FAILED);
    CHECK_STR(job.fail_reason, "forced");
    job_free(&job);
    CHECK_INT(store_begin(conn), 0);
    CHECK_INT(lookup(store_backup_delete(conn, "p1", "b3", &found)), 0);
    CHECK_INT(store_commit(conn), 0);
    CHECK_INT(lookup(store_backup_get(conn, "p1", "b3", &got_b, &found)), 1);
    CHECK_INT(lookup(store_job_get(conn, "p1", "jobb3", &job, &found)),
              0); /* the job outlives it */
    job_free(&job);

    char names[256] = "";
    CHECK_INT(store_backup_list(conn, "p1", collect_names, names), 0);
    CHECK_STR(names, "first,second,"); /* oldest first */
    int64_t n = 0;
    CHECK_INT(store_backup_count(conn, "p1", &n), 0);
    CHECK_INT(n, 2);
    int64_t counts[BACKUP_STATUS_COUNT];
    CHECK_INT(store_backup_status_counts(conn, 1000, counts), 0);
    CHECK_INT(counts[BACKUP_COMPLETED], 1);
    CHECK_INT(counts[BACKUP_FAILED], 1);
    store_release(store, conn);
}

/* Appends each project ID and a ',' to the text `arg`. */
static int collect_project(const char *id, void *arg)
{
    strcat(arg, id);
    strcat(arg, ",");
    return 0;
}

static void test_projects(struct store *store)
{
    struct store_conn *conn = store_acquire(store);
    struct instance other = make_instance("p2", "i9");
    CHECK_INT(store_instance_put(conn, &other, 100, &rules), 0);
    struct instance second = make_instance("p2", "i8");
    CHECK_INT(store_instance_put(conn, &second, 100, &rules), 0);
    /* Each project with an instance, once, in ID order. */
    char projects[64] = "";
    CHECK_INT(store_project_list(conn, collect_project, projects), 0);
    CHECK_STR(projects, "p1,p2,");
    CHECK_INT(lookup(store_instance_delete(conn, "p2", "i8", &found)), 0);
    CHECK_INT(store_begin(conn), 0);
    CHECK_INT(store_project_delete(conn, "p1"), 0);
    CHECK_INT(store_commit(conn), 0);
    struct instance got;
    CHECK_INT(lookup(store_instance_get(conn, "p1", "i1", &got, &found)), 1);
    CHECK_INT(lookup(store_instance_get(conn, "p2", "i9", &got, &found)), 0);
    instance_free(&got);
    int count = 0;
    CHECK_INT(store_backup_list(conn, "p1", count_backup, &count), 0);
    CHECK_INT(count, 0);
    projects[0] = '\0';
    CHECK_INT(store_project_list(conn, collect_project, projects), 0);
    CHECK_STR(projects, "p2,"); /* p1 went with its instances */
    CHECK_INT(lookup(store_instance_delete(conn, "p2", "i9", &found)), 0);
    CHECK_INT(lookup(store_instance_delete(conn, "p2", "i9", &found)), 1);
    projects[0] = '\0';
    CHECK_INT(store_project_list(conn, collect_project, projects), 0);
    CHECK_STR(projects, "");
    CHECK_INT(store_meta_set_int(conn, "k", 42), 0);
    int64_t v = 0;
    CHECK_INT(lookup(store_meta_get_int(conn, "k", &v, &found)), 0);
    CHECK_INT(v, 42);
    CHECK_INT(store_reset(conn), 0);
    CHECK_INT(lookup(store_meta_get_int(conn, "k", &v, &found)), 1);
    store_release(store, conn);
}

struct paged {
    struct backup_cursor last;
    char names[256];
};

static int collect_page(struct backup *b, const struct backup_cursor *at, void *arg)
{
    struct paged *paged = arg;
    CHECK_INT(at->created, b->created);
    paged->last = *at;
    strcat(paged->names, b->name);
    strcat(paged->names, ",");
    return 0;
}

/* Pages of the creation order (created, then seq) go on from where the last one ended, and
 * together give the whole list, whatever order the times were given in. */
static void test_pages(struct store *store)
{
    static const int64_t created[] = {50, 10, 10, 30, 10, 50, 20};
    struct store_conn *conn = store_acquire(store);
    CHECK_INT(store_begin(conn), 0);
    for (size_t i = 0; i < sizeof(created) / sizeof(created[0]); i++) {
        char id[16], name[16];
        snprintf(id, sizeof(id), "pg%zu", i);
        snprintf(name, sizeof(name), "n%zu", i);
        struct backup b = make_backup(id, "pages", "i1", name, created[i], created[i]);
        CHECK_INT(store_backup_insert(conn, &b, created[i]), 0);
    }
    CHECK_INT(store_commit(conn), 0);
    char whole[256] = "";
    CHECK_INT(store_backup_list(conn, "pages", collect_names, whole), 0);
    CHECK_STR(whole, "n1,n2,n4,n6,n3,n0,n5,");
    struct paged paged = {{0, 0}, ""};
    bool first = true;
    for (int page = 0; page < 10; page++) {
        size_t before = strlen(paged.names);
        CHECK_INT(store_backup_list_page(conn, "pages", first ? NULL : &paged.last, 2, collect_page,
                                         &paged),
                  0);
        first = false;
        if (strlen(paged.names) == before)
            break;
    }
    CHECK_STR(paged.names, whole);
    store_release(store, conn);
}

static void test_persistence(void)
{
    char err[512];
    struct store *store;
    CHECK_INT(store_open(path, STORE_SYNC_FULL, &store, err, sizeof(err)), 0);
    struct store_conn *conn = store_acquire(store);
    struct instance inst = make_instance("p3", "i3");
    CHECK_INT(store_instance_put(conn, &inst, 100, &rules), 0);
    store_release(store, conn);
    store_close(store);

    CHECK_INT(store_open(path, STORE_SYNC_NORMAL, &store, err, sizeof(err)), 0);
    conn = store_acquire(store);
    struct instance got;
    CHECK_INT(lookup(store_instance_get(conn, "p3", "i3", &got, &found)), 0);
    instance_free(&got);
    store_release(store, conn);
    store_close(store);
    CHECK_INT(user_version(path), schema_migrations[schema_migration_count - 1].version);
    CHECK(schema_migration_count >= 2);
}

static void test_refusals(void)
{
    char err[512];
    struct store *store;
    /* A file that is not a database: refused, and left byte for byte as it was. */
    char junk[300];
    snprintf(junk, sizeof(junk), "%s/junk.db", dir);
    const char content[] = "this is not a database, it is a text file of some length....\n";
    FILE *f = fopen(junk, "w");
    for (int i = 0; i < 100; i++)
        fputs(content, f);
    fclose(f);
    struct stat before, after;
    stat(junk, &before);
    CHECK_INT(store_open(junk, STORE_SYNC_NORMAL, &store, err, sizeof(err)), -1);
    CHECK(strstr(err, "not a usable rdsemu database") != NULL);
    stat(junk, &after);
    CHECK_INT(after.st_size, before.st_size);
    CHECK(after.st_mtime == before.st_mtime);

    /* A database from a newer rdsemu: refused with the versions named. */
    char newer[300];
    snprintf(newer, sizeof(newer), "%s/newer.db", dir);
    sqlite3 *db;
    sqlite3_open(newer, &db);
    sqlite3_exec(db, "PRAGMA user_version=999", NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK_INT(store_open(newer, STORE_SYNC_NORMAL, &store, err, sizeof(err)), -1);
    CHECK(strstr(err, "999") != NULL);
    CHECK_INT(user_version(newer), 999);

    /* :memory: is one shared database. */
    CHECK_INT(store_open(":memory:", STORE_SYNC_NORMAL, &store, err, sizeof(err)), 0);
    struct store_conn *conn = store_acquire(store);
    struct instance inst = make_instance("m", "i");
    CHECK_INT(store_instance_put(conn, &inst, 100, &rules), 0);
    store_release(store, conn);
    conn = store_acquire(store);
    struct instance got;
    CHECK_INT(lookup(store_instance_get(conn, "m", "i", &got, &found)), 0);
    instance_free(&got);
    store_release(store, conn);
    store_close(store);
}

/* Inserts backups `first` .. `first + count - 1` of instance `instance` (project "pw"), their
 * keys scattered as random UUIDs are, so that each commit touches many pages. 0, or -1 at the
 * first failure. */
static int insert_scattered(struct store_conn *conn, const char *instance, int first, int count)
{
    for (int n = first; n < first + count; n++) {
        char id[40], name[24];
        snprintf(id, sizeof(id), "%s-%08x", instance, (unsigned)(n * 2654435761u));
        snprintf(name, sizeof(name), "name%08d", n);
        struct backup b = make_backup(id, "pw", instance, name, 100, 100);
        if (store_backup_insert(conn, &b, 100) != 0)
            return -1;
    }
    return 0;
}

/* The WAL does not grow without end under a steady stream of commits: checkpoints copy it
 * into the database and it starts over (src/store/checkpoint.c). */
static void test_wal_bounded(void)
{
    char err[512], file[300], wal[310];
    snprintf(file, sizeof(file), "%s/wal.db", dir);
    snprintf(wal, sizeof(wal), "%s-wal", file);
    struct store *store;
    CHECK_INT(store_open(file, STORE_SYNC_NORMAL, &store, err, sizeof(err)), 0);
    struct store_conn *conn = store_acquire(store);
    long long largest = 0;
    int n = 0;
    for (int batch = 0; batch < 160; batch++, n += 500) {
        CHECK_INT(store_begin(conn), 0);
        CHECK_INT(insert_scattered(conn, "iw", n, 500), 0);
        CHECK_INT(store_commit(conn), 0);
        struct stat st;
        if (stat(wal, &st) == 0 && st.st_size > largest)
            largest = st.st_size;
    }
    store_release(store, conn);
    store_close(store);
    /* 80000 backups are about 500 MiB of WAL frames; the WAL stays near its 64 MiB bound, also
     * under valgrind, which starves the checkpoint thread (src/store/checkpoint.c: the commit
     * that passes the bound waits for the thread's copy, then copies the rest). */
    CHECK(largest > 0);
    CHECK(largest < 96LL * 1024 * 1024);
    printf("the WAL reached %lld bytes at most\n", largest);
}

/* Copies a file byte for byte (the test's own "crash": what is on disk at that moment). */
static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    CHECK(in != NULL && out != NULL);
    if (in == NULL || out == NULL)
        return;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        CHECK_INT(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

/* The store's VFS writes each WAL frame's header and page in one call, where SQLite writes
 * two (src/store/fault_vfs.c): once a commit returns, each of its frames must be in the file
 * whole. The database and its WAL are copied while the store is still open, as a crash would
 * leave them, and a plain SQLite connection must recover every committed backup from the
 * copy (a frame written at a wrong place or left half would break the WAL's checksums, and
 * recovery would drop it and every frame after it). Few enough pages that no checkpoint
 * runs: the WAL holds all of it. */
static void test_wal_frames_whole(void)
{
    char err[512], file[300], wal[310], copy[300], copy_wal[310];
    snprintf(file, sizeof(file), "%s/frames.db", dir);
    snprintf(wal, sizeof(wal), "%s-wal", file);
    snprintf(copy, sizeof(copy), "%s/frames-copy.db", dir);
    snprintf(copy_wal, sizeof(copy_wal), "%s-wal", copy);
    struct store *store;
    CHECK_INT(store_open(file, STORE_SYNC_NORMAL, &store, err, sizeof(err)), 0);
    struct store_conn *conn = store_acquire(store);
    int committed = 0;
    for (int batch = 0; batch < 300; batch++) {
        CHECK_INT(store_begin(conn), 0);
        CHECK_INT(insert_scattered(conn, "if", committed, 1 + batch % 3), 0);
        committed += 1 + batch % 3;
        CHECK_INT(store_commit(conn), 0);
    }
    /* A transaction larger than what the VFS holds at once (wal_batch.c), and one rolled
     * back, whose backups must not appear. */
    CHECK_INT(store_begin(conn), 0);
    CHECK_INT(insert_scattered(conn, "if", committed, 3000), 0);
    committed += 3000;
    CHECK_INT(store_commit(conn), 0);
    CHECK_INT(store_begin(conn), 0);
    struct backup gone = make_backup("fr-rolled-back", "pw", "if", "rolledBack", 100, 100);
    CHECK_INT(store_backup_insert(conn, &gone, 100), 0);
    store_rollback(conn);
    struct stat st;
    CHECK_INT(stat(wal, &st), 0);
    CHECK(st.st_size > 32 + 300 * (24 + 4096)); /* every commit is in the WAL */
    copy_file(file, copy);
    copy_file(wal, copy_wal);
    store_release(store, conn);
    store_close(store);

    sqlite3 *db;
    sqlite3_stmt *count;
    CHECK_INT(sqlite3_open(copy, &db), SQLITE_OK);
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT count(*) FROM backups WHERE instance_id = 'if'", -1,
                                 &count, NULL),
              SQLITE_OK);
    CHECK_INT(sqlite3_step(count), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(count, 0), committed);
    sqlite3_finalize(count);
    sqlite3_close(db);
}

int main(void)
{
    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(path, sizeof(path), "%s/store.db", dir);
    char err[512];
    struct store *store;
    CHECK_INT(store_open(path, STORE_SYNC_NORMAL, &store, err, sizeof(err)), 0);
    test_instances_and_backups(store);
    test_projects(store);
    test_pages(store);
    store_close(store);
    test_persistence();
    test_refusals();
    test_wal_bounded();
    test_wal_frames_whole();
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    return CHECK_DONE();
}
