/* Child-process control for the tests: temporary directories, starting the built rdsemu on
 * port 0, reading its "listening on" line, stopping it with a signal. Every wait has a
 * deadline. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "harness.h"

#ifndef RDSEMU_BINARY
#error "RDSEMU_BINARY must name the rdsemu binary (a compile definition from CMake)"
#endif

#define READY_PREFIX "rdsemu listening on http://"

extern char **environ;

const char *harness_binary(void)
{
    const char *override = getenv("RDSEMU_TEST_BINARY");
    return override != NULL && override[0] != '\0' ? override : RDSEMU_BINARY;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

int harness_tmpdir_create(const char *label, char *out, size_t outlen)
{
    const char *base = getenv("TMPDIR");
    if (base == NULL || base[0] == '\0')
        base = "/tmp";
    int n = snprintf(out, outlen, "%s/rdsemu-%s-XXXXXX", base, label);
    if (n < 0 || (size_t)n >= outlen) {
        fprintf(stderr, "harness: temporary directory name too long\n");
        return -1;
    }
    if (mkdtemp(out) == NULL) {
        fprintf(stderr, "harness: mkdtemp %s: %s\n", out, strerror(errno));
        return -1;
    }
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0)
        fprintf(stderr, "harness: cannot remove %s: %s\n", path, strerror(errno));
    return 0;
}

int harness_tmpdir_remove(const char *dir)
{
    if (dir == NULL || dir[0] == '\0')
        return 0;
    return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

int harness_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "harness: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t written = fwrite(data, 1, len, f);
    int closed = fclose(f);
    return written == len && closed == 0 ? 0 : -1;
}

char *harness_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, used = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        used += fread(buf + used, 1, cap - used - 1, f);
        if (used < cap - 1)
            break;
        char *grown = realloc(buf, cap * 2);
        if (grown == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    fclose(f);
    if (buf != NULL) {
        buf[used] = '\0';
        if (len != NULL)
            *len = used;
    }
    return buf;
}

/* This process's environment without RDSEMU_* (a developer's settings must not leak into a
 * test), plus `extra`. New array of borrowed strings. */
static char **child_environment(const char *const *extra)
{
    size_t count = 0, extra_count = 0;
    while (environ[count] != NULL)
        count++;
    while (extra != NULL && extra[extra_count] != NULL)
        extra_count++;
    char **env = calloc(count + extra_count + 1, sizeof(*env));
    if (env == NULL)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        if (strncmp(environ[i], "RDSEMU_", 7) != 0)
            env[n++] = environ[i];
    for (size_t i = 0; i < extra_count; i++)
        env[n++] = (char *)extra[i];
    env[n] = NULL;
    return env;
}

/* fork + execve with the given standard streams (closed here, in the parent). */
static pid_t spawn(char **argv, char **envp, const char *cwd, int out_fd, int err_fd)
{
    int in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid_t parent = getpid();
    pid_t pid = in_fd < 0 ? -1 : fork();
    if (pid == 0) {
#ifdef __linux__
        /* A test program killed by ctest's timeout must not leave servers behind. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
#else
        (void)parent;
#endif
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        if ((cwd != NULL && chdir(cwd) != 0) || dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 ||
            dup2(err_fd, 2) < 0)
            _exit(127);
        execve(argv[0], argv, envp);
        _exit(127);
    }
    if (pid < 0)
        fprintf(stderr, "harness: cannot start %s: %s\n", argv[0], strerror(errno));
    if (in_fd >= 0)
        close(in_fd);
    return pid;
}

static int decode_status(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

/* Waits at most `timeout_ms` for `pid`; after that it is killed and -1 returned. */
static int wait_exit(pid_t pid, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    int status;
    for (;;) {
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid)
            return decode_status(status);
        if (done < 0 && errno != EINTR) {
            fprintf(stderr, "harness: waitpid %d: %s\n", (int)pid, strerror(errno));
            return -1;
        }
        if (now_ms() >= deadline)
            break;
        pause_ms(5);
    }
    fprintf(stderr, "harness: process %d did not exit within %d ms; killing it\n", (int)pid,
            timeout_ms);
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return -1;
}

static void free_strings(char **list)
{
    for (size_t i = 0; list[i] != NULL; i++) {
        free(list[i]);
        list[i] = NULL;
    }
}

static int copy_strings(char **dst, size_t max, const char *const *src)
{
    size_t n = 0;
    for (; src != NULL && src[n] != NULL; n++) {
        if (n == max || (dst[n] = strdup(src[n])) == NULL) {
            fprintf(stderr, "harness: too many arguments or out of memory\n");
            return -1;
        }
    }
    dst[n] = NULL;
    return 0;
}

void emu_print_log(const struct emu *emu)
{
    char *log = harness_read_file(emu->log_path, NULL);
    fprintf(stderr, "---- rdsemu stderr (%s) ----\n%s---- end ----\n", emu->log_path,
            log != NULL ? log : "(none)\n");
    free(log);
}

/* Reads the "listening on" line within the deadline; fills port and base_url. */
static int read_ready_line(struct emu *emu)
{
    char line[256];
    size_t used = 0;
    long long deadline = now_ms() + HARNESS_START_TIMEOUT_MS;
    for (;;) {
        char *newline = memchr(line, '\n', used);
        if (newline != NULL) {
            *newline = '\0';
            emu->extra_stdout = used - (size_t)(newline + 1 - line);
            break;
        }
        long long left = deadline - now_ms();
        if (left <= 0 || used == sizeof(line) - 1) {
            fprintf(stderr, "harness: no \"listening on\" line within %d ms\n",
                    HARNESS_START_TIMEOUT_MS);
            return -1;
        }
        struct pollfd pfd = {emu->stdout_fd, POLLIN, 0};
        int ready = poll(&pfd, 1, (int)left);
        if (ready < 0 && errno != EINTR)
            return -1;
        if (ready <= 0)
            continue;
        ssize_t n = read(emu->stdout_fd, line + used, sizeof(line) - 1 - used);
        if (n == 0) {
            if (!emu->quiet)
                fprintf(stderr, "harness: rdsemu closed its stdout before it was ready\n");
            return -1;
        }
        if (n > 0)
            used += (size_t)n;
    }
    /* "http://HOST:PORT": HOST is 127.0.0.1 unless a test listens elsewhere (`[::]`,
     * `0.0.0.0`); the tests always connect through loopback. */
    char *end = line;
    unsigned long port = 0;
    char *colon = strrchr(line, ':');
    size_t prefix = strlen(READY_PREFIX);
    if (strncmp(line, READY_PREFIX, prefix) == 0 && colon != NULL && colon > line + prefix &&
        (size_t)(colon - line - prefix) < sizeof(emu->listen_host)) {
        memcpy(emu->listen_host, line + prefix, (size_t)(colon - line - prefix));
        emu->listen_host[colon - line - prefix] = '\0';
        port = strtoul(colon + 1, &end, 10);
    }
    if (port == 0 || port > 65535 || *end != '\0') {
        fprintf(stderr, "harness: unexpected first line on stdout: \"%s\"\n", line);
        return -1;
    }
    emu->port = (unsigned)port;
    snprintf(emu->base_url, sizeof(emu->base_url), "http://127.0.0.1:%u", emu->port);
    return 0;
}

static int emu_spawn(struct emu *emu)
{
    const char *fixed[] = {harness_binary(), "--listen", "127.0.0.1:0", "--db", emu->db_path};
    const size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
    char *argv[sizeof(fixed) / sizeof(fixed[0]) + HARNESS_MAX_ARGS + 1];
    size_t argc = 0;
    for (; argc < nfixed; argc++)
        argv[argc] = (char *)fixed[argc];
    for (size_t i = 0; emu->args[i] != NULL; i++)
        argv[argc++] = emu->args[i];
    argv[argc] = NULL;

    int pipe_fds[2] = {-1, -1};
    int log_fd = open(emu->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    char **envp = child_environment((const char *const *)emu->env);
    int rc = -1;
    if (log_fd < 0 || envp == NULL || pipe(pipe_fds) != 0) {
        fprintf(stderr, "harness: cannot prepare the server's streams: %s\n", strerror(errno));
        goto out;
    }
    fcntl(pipe_fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(pipe_fds[1], F_SETFD, FD_CLOEXEC);
    emu->pid = spawn(argv, envp, emu->dir, pipe_fds[1], log_fd);
    if (emu->pid < 0) {
        emu->pid = 0;
        goto out;
    }
    emu->stdout_fd = pipe_fds[0];
    pipe_fds[0] = -1;
    close(pipe_fds[1]);
    pipe_fds[1] = -1;
    if (read_ready_line(emu) != 0) {
        /* SIGKILL only matters if it still runs; the status is its own when it exited. */
        int status = emu_stop_with(emu, SIGKILL);
        if (!emu->quiet) {
            fprintf(stderr, "harness: rdsemu did not start (status %d)\n", status);
            emu_print_log(emu);
        }
        goto out;
    }
    rc = 0;
out:
    for (int i = 0; i < 2; i++)
        if (pipe_fds[i] >= 0)
            close(pipe_fds[i]);
    if (log_fd >= 0)
        close(log_fd);
    free(envp);
    return rc;
}

static int emu_begin(struct emu *emu, const char *label, const char *const *args,
                     const char *const *env, bool quiet)
{
    memset(emu, 0, sizeof(*emu));
    emu->stdout_fd = -1;
    emu->exit_status = -1;
    emu->quiet = quiet;
    if (copy_strings(emu->args, HARNESS_MAX_ARGS, args) != 0 ||
        copy_strings(emu->env, HARNESS_MAX_ENV, env) != 0 ||
        harness_tmpdir_create(label, emu->dir, sizeof(emu->dir)) != 0) {
        emu_cleanup(emu, false);
        return -1;
    }
    snprintf(emu->db_path, sizeof(emu->db_path), "%.*s/test.db", PATH_MAX - 16, emu->dir);
    snprintf(emu->log_path, sizeof(emu->log_path), "%.*s/stderr.log", PATH_MAX - 16, emu->dir);
    return emu_spawn(emu);
}

int emu_start(struct emu *emu, const char *label, const char *const *args, const char *const *env)
{
    return emu_begin(emu, label, args, env, false);
}

int emu_try_start(struct emu *emu, const char *label, const char *const *args,
                  const char *const *env)
{
    return emu_begin(emu, label, args, env, true);
}

int emu_restart(struct emu *emu)
{
    if (emu->pid != 0) {
        fprintf(stderr, "harness: emu_restart on a running server\n");
        return -1;
    }
    return emu_spawn(emu);
}

/* Counts what the server printed after its ready line, up to the end of its stdout. */
static void drain_stdout(struct emu *emu)
{
    if (emu->stdout_fd < 0)
        return;
    fcntl(emu->stdout_fd, F_SETFL, O_NONBLOCK);
    char buf[512];
    ssize_t n;
    while ((n = read(emu->stdout_fd, buf, sizeof(buf))) > 0)
        emu->extra_stdout += (size_t)n;
    close(emu->stdout_fd);
    emu->stdout_fd = -1;
}

int emu_stop_with(struct emu *emu, int sig)
{
    if (emu->pid == 0)
        return -1;
    kill(emu->pid, sig);
    int status = wait_exit(emu->pid, HARNESS_STOP_TIMEOUT_MS);
    emu->exit_status = status;
    emu->pid = 0;
    emu->port = 0;
    emu->base_url[0] = '\0';
    drain_stdout(emu);
    return status;
}

int emu_stop(struct emu *emu)
{
    return emu_stop_with(emu, SIGTERM);
}

void emu_cleanup(struct emu *emu, bool show_log)
{
    if (emu->pid != 0)
        emu_stop_with(emu, SIGKILL);
    if (emu->stdout_fd >= 0)
        close(emu->stdout_fd);
    emu->stdout_fd = -1;
    if (show_log && emu->dir[0] != '\0')
        emu_print_log(emu);
    harness_tmpdir_remove(emu->dir);
    emu->dir[0] = '\0';
    free_strings(emu->args);
    free_strings(emu->env);
}

int harness_run(const char *dir, const char *const *args, const char *const *env, int timeout_ms,
                struct run_result *out)
{
    return harness_run_wrapped(dir, NULL, args, env, timeout_ms, out);
}

int harness_run_wrapped(const char *dir, const char *const *wrapper, const char *const *args,
                        const char *const *env, int timeout_ms, struct run_result *out)
{
    static unsigned run_counter;
    memset(out, 0, sizeof(*out));
    out->exit_status = -1;
    char out_path[PATH_MAX], err_path[PATH_MAX];
    unsigned n = run_counter++;
    snprintf(out_path, sizeof(out_path), "%.*s/run-%u.out", PATH_MAX - 32, dir, n);
    snprintf(err_path, sizeof(err_path), "%.*s/run-%u.err", PATH_MAX - 32, dir, n);

    char *argv[2 * HARNESS_MAX_ARGS + 2];
    size_t argc = 0;
    for (size_t i = 0; wrapper != NULL && wrapper[i] != NULL && argc < HARNESS_MAX_ARGS; i++)
        argv[argc++] = (char *)wrapper[i];
    argv[argc++] = (char *)harness_binary();
    for (size_t i = 0; args != NULL && args[i] != NULL; i++) {
        if (argc == 2 * HARNESS_MAX_ARGS + 1) {
            fprintf(stderr, "harness: too many arguments\n");
            return -1;
        }
        argv[argc++] = (char *)args[i];
    }
    argv[argc] = NULL;

    int out_fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int err_fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    char **envp = child_environment(env);
    int rc = -1;
    pid_t pid = -1;
    if (out_fd >= 0 && err_fd >= 0 && envp != NULL)
        pid = spawn(argv, envp, dir, out_fd, err_fd);
    if (pid > 0) {
        out->exit_status = wait_exit(pid, timeout_ms);
        out->out = harness_read_file(out_path, NULL);
        out->err = harness_read_file(err_path, NULL);
        rc = out->out != NULL && out->err != NULL ? 0 : -1;
    }
    if (out_fd >= 0)
        close(out_fd);
    if (err_fd >= 0)
        close(err_fd);
    unlink(out_path);
    unlink(err_path);
    free(envp);
    return rc;
}

void run_result_free(struct run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = NULL;
    r->err = NULL;
}
