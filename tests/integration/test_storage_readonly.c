/* A database rdsemu cannot write stops the start (docs/configuration.md "Exit codes",
 * "Storage"): exit 1, nothing on stdout (no "listening" line), and one line on stderr naming
 * the database file, with or without --seed (the seed is not blamed). Three cases: the file
 * read-only; the file in a read-only directory, where SQLite cannot make its WAL files; WAL
 * files left read-only beside it. As root every file is writable, so the binary then runs as
 * an unprivileged user (setpriv from util-linux); as another user, chmod is enough. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "expect.h"

#define NOBODY 65534

static char top[PATH_MAX];      /* root's temporary directory, passable by anyone */
static char data[PATH_MAX + 8]; /* the directory of the database, the user's */
static char db[PATH_MAX + 32];
static char seed[PATH_MAX + 16];
static char binary[PATH_MAX + 16];
static const char *wrapper[] = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                                "--clear-groups", NULL};
static bool as_root;

/* Copies `from` to `to` with `mode`. 0 or -1. */
static int copy_file(const char *from, const char *to, mode_t mode)
{
    size_t len = 0;
    char *bytes = harness_read_file(from, &len);
    int rc = bytes != NULL ? harness_write_file(to, bytes, len) : -1;
    free(bytes);
    return rc == 0 ? chmod(to, mode) : -1;
}

/* The file `path` given to the user who runs the binary. */
static void give(const char *path)
{
    if (as_root && chown(path, NOBODY, NOBODY) != 0)
        fprintf(stderr, "chown %s: %s\n", path, strerror(errno));
}

static bool setup(void)
{
    as_root = geteuid() == 0;
    if (harness_tmpdir_create("readonly", top, sizeof(top)) != 0)
        return false;
    snprintf(data, sizeof(data), "%s/data", top);
    snprintf(db, sizeof(db), "%s/rdsemu.db", data);
    snprintf(seed, sizeof(seed), "%s/seed.json", top);
    snprintf(binary, sizeof(binary), "%s/rdsemu", top);
    /* The binary and the seed are copied where the user can reach them: the build tree may
     * sit in a directory only root enters. */
    bool ok = chmod(top, 0711) == 0 && mkdir(data, 0755) == 0 &&
              copy_file(RDSEMU_DEMO_SEED, seed, 0644) == 0 &&
              copy_file(harness_binary(), binary, 0755) == 0;
    if (as_root && access(wrapper[0], X_OK) != 0) {
        fprintf(stderr, "%s is needed to run rdsemu as another user than root\n", wrapper[0]);
        ok = false;
    }
    give(data);
    CHECK(ok);
    return ok;
}

/* A database made by rdsemu itself (then stopped as `stop_signal` says), given to the user. */
static bool make_database(int stop_signal)
{
    struct emu emu;
    const char *args[] = {"--db", db, NULL};
    if (emu_start(&emu, "readonly-make", args, NULL) != 0) {
        emu_cleanup(&emu, true);
        CHECK(!"rdsemu made the database");
        return false;
    }
    emu_stop_with(&emu, stop_signal);
    emu_cleanup(&emu, false);
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char path[sizeof(db) + 8];
        snprintf(path, sizeof(path), "%s%s", db, suffixes[i]);
        if (access(path, F_OK) == 0)
            give(path);
    }
    return true;
}

/* rdsemu on the database, as the user, with and without --seed: refused at start. */
static void refused(const char *label, const char *reason)
{
    for (int with_seed = 0; with_seed < 2; with_seed++) {
        /* The copy runs (harness_binary() reads this variable), then the one given before. */
        const char *given = getenv("RDSEMU_TEST_BINARY");
        char *saved = given != NULL ? strdup(given) : NULL;
        setenv("RDSEMU_TEST_BINARY", binary, 1);
        const char *args[] = {"--listen", "127.0.0.1:0", "--db", db, with_seed ? "--seed" : NULL,
                              seed,       NULL};
        struct run_result run;
        int rc = harness_run_wrapped(top, as_root ? wrapper : NULL, args, NULL, 5000, &run);
        if (saved != NULL)
            setenv("RDSEMU_TEST_BINARY", saved, 1);
        else
            unsetenv("RDSEMU_TEST_BINARY");
        free(saved);
        CHECK_INT(rc, 0);
        if (rc != 0)
            continue;
        bool ok = run.exit_status == 1 && strstr(run.out, "listening") == NULL &&
                  strncmp(run.err, "rdsemu: ", 8) == 0 && strstr(run.err, db) != NULL &&
                  strstr(run.err, reason) != NULL && strstr(run.err, "seed") == NULL;
        if (!ok)
            fprintf(stderr,
                    "%s%s: expected exit 1 and a line naming %s (\"%s\"), not the seed; got "
                    "exit %d, stdout \"%s\", stderr \"%s\"\n",
                    label, with_seed ? " with --seed" : "", db, reason, run.exit_status, run.out,
                    run.err);
        CHECK(ok);
        run_result_free(&run);
    }
}

int main(void)
{
    if (!setup()) {
        harness_tmpdir_remove(top);
        return CHECK_DONE();
    }
    /* The file read-only. */
    if (make_database(SIGTERM)) {
        CHECK_INT(chmod(db, 0444), 0);
        refused("a read-only file", "for reading and writing");
        CHECK_INT(chmod(db, 0644), 0);
    }
    /* A writable file in a read-only directory: SQLite cannot make rdsemu.db-wal there. */
    CHECK_INT(chmod(data, 0555), 0);
    refused("a read-only directory", "cannot write the database");
    CHECK_INT(chmod(data, 0755), 0);
    /* WAL files left read-only beside a writable file (a killed rdsemu leaves them). */
    if (make_database(SIGKILL)) {
        char wal[sizeof(db) + 8], shm[sizeof(db) + 8];
        snprintf(wal, sizeof(wal), "%s-wal", db);
        snprintf(shm, sizeof(shm), "%s-shm", db);
        CHECK_INT(chmod(wal, 0444), 0);
        CHECK_INT(chmod(shm, 0444), 0);
        refused("read-only WAL files", "cannot write the database");
    }
    harness_tmpdir_remove(top);
    return CHECK_DONE();
}
