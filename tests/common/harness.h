/* Runs the real rdsemu binary as a child process for the tests (tests start the
 * real server on port 0"). Every server gets its own temporary directory, so test programs
 * run in parallel (`ctest -j`); every wait is bounded, so a broken server fails a test
 * instead of hanging it. */
#ifndef RDSEMU_TEST_HARNESS_H
#define RDSEMU_TEST_HARNESS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define HARNESS_MAX_ARGS         32
#define HARNESS_MAX_ENV          16
#define HARNESS_START_TIMEOUT_MS 10000
/* Longer than the server's own drain limit (10 s), so a slow drain is not taken for a hang. */
#define HARNESS_STOP_TIMEOUT_MS 15000
#define HARNESS_RUN_TIMEOUT_MS  10000

/* The rdsemu binary under test (borrowed): $RDSEMU_TEST_BINARY when set, else the binary
 * built with the tests (the RDSEMU_BINARY compile definition). */
const char *harness_binary(void);

/* Makes a fresh directory "<$TMPDIR or /tmp>/rdsemu-<label>-XXXXXX" into `out`. 0 or -1. */
int harness_tmpdir_create(const char *label, char *out, size_t outlen);
/* Removes `dir` and everything in it. 0 or -1. */
int harness_tmpdir_remove(const char *dir);

/* Writes `len` bytes to `path` (created or truncated). 0 or -1. */
int harness_write_file(const char *path, const void *data, size_t len);
/* The whole file, NUL-terminated (new: free()), or NULL. `len` may be NULL. */
char *harness_read_file(const char *path, size_t *len);

/* One running (or stopped) server. emu_start fills it; after emu_start (even a failed one)
 * call emu_cleanup once. */
struct emu {
    char dir[PATH_MAX];      /* its temporary directory, removed by emu_cleanup */
    char db_path[PATH_MAX];  /* <dir>/test.db, given as --db (extra args may override it) */
    char log_path[PATH_MAX]; /* the server's stderr, appended to over restarts */
    char base_url[64];       /* "http://127.0.0.1:PORT" while running */
    char listen_host[64];    /* the host of the listening line: "127.0.0.1", "[::]"... */
    unsigned port;
    pid_t pid; /* 0 when not running */
    int stdout_fd;
    size_t extra_stdout; /* bytes printed to stdout after the "listening on" line */
    int exit_status;     /* of the last stop or failed start (see emu_stop); -1 unknown */
    bool quiet;          /* a failed start says nothing (emu_try_start) */
    char *args[HARNESS_MAX_ARGS + 1]; /* new copies of the extra arguments, for restarts */
    char *env[HARNESS_MAX_ENV + 1];   /* new copies of the extra "NAME=value" entries */
};

/* Starts `rdsemu --listen 127.0.0.1:0 --db <dir>/test.db <args...>` with the environment of
 * this process (minus any RDSEMU_* variable) plus `env` ("NAME=value"), and waits (bounded)
 * for its "rdsemu listening on http://127.0.0.1:PORT" line. `args` and `env` are
 * NULL-terminated arrays or NULL. A later flag wins, so `args` may override --db. 0 when the
 * server is up, -1 (after saying why on stderr) otherwise. */
int emu_start(struct emu *emu, const char *label, const char *const *args, const char *const *env);
/* As emu_start, but a server that exits before it is ready is an expected outcome: nothing
 * is printed, and emu->exit_status and emu->log_path tell what happened. */
int emu_try_start(struct emu *emu, const char *label, const char *const *args,
                  const char *const *env);
/* Sends SIGTERM and waits (bounded). The exit status, 128 + the signal that killed it, or -1
 * when it had to be killed after the timeout. */
int emu_stop(struct emu *emu);
/* As emu_stop with another signal (SIGINT...). */
int emu_stop_with(struct emu *emu, int sig);
/* Starts the server again on the same directory, database and arguments (it must be
 * stopped). 0 or -1. The port usually changes. */
int emu_restart(struct emu *emu);
/* Kills the server if it still runs, prints its log when `show_log`, removes its directory
 * and frees the copies. */
void emu_cleanup(struct emu *emu, bool show_log);
/* Prints the server's stderr so far to our stderr, for a failing test. */
void emu_print_log(const struct emu *emu);

/* The outcome of a run of the binary to its end. */
struct run_result {
    int exit_status; /* exit code, 128 + signal, or -1 when it was killed after the timeout */
    char *out;       /* new: everything it printed to stdout */
    char *err;       /* new: everything it printed to stderr */
};

/* Runs `rdsemu <args...>` in `dir` (its working directory, which also receives its output
 * files) with this process's environment (minus RDSEMU_*) plus `env`, and waits at most
 * `timeout_ms` for it to exit. 0 when it ran (whatever its status), -1 when it could not. */
int harness_run(const char *dir, const char *const *args, const char *const *env, int timeout_ms,
                struct run_result *out);
/* As harness_run, with the binary run by `wrapper` (a NULL-terminated command whose first
 * word is a path, such as {"/usr/bin/setpriv", "--reuid=65534", ..., NULL}); NULL: none. */
int harness_run_wrapped(const char *dir, const char *const *wrapper, const char *const *args,
                        const char *const *env, int timeout_ms, struct run_result *out);
void run_result_free(struct run_result *r);

#endif
