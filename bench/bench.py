#!/usr/bin/env python3
"""rdsemu benchmark driver (python3 standard library only). bench/run builds the binary and
calls this; see bench/README.md for what is measured and what each number means.

Every server runs on 127.0.0.1 only. Each measurement starts its own server process (rdsemu
on a fresh temporary database, or nginx), times it from exec to its first 200 answer to a
create, drives it with wrk, reads its peak RSS (VmHWM) and stops it. Every loop is bounded in
count and in time, and every process started here is stopped before the script ends.
"""
import argparse
import glob
import http.client
import json
import os
import platform
import secrets
import shlex
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HOST = "127.0.0.1"
BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH_DIR)
PROJECT = "benchproject"      # the create target: INSTANCES instances bench-0000 ..
LIST_PROJECT = "benchlist"    # the list target: LIST_BACKUPS backups (nginx.conf knows it)
INSTANCES = 512               # at least the largest connection count: no two requests in
                              # flight need to touch the same instance
LIST_INSTANCES = 4
LIST_BACKUPS = 100
CONNECTIONS = (1, 32, 256)
HEADLINE = 32                 # connections of the --sync full, list and 1M-store runs
WRK_TIMEOUT = "2s"            # a request unanswered for that long counts as a timeout
START_LIMIT = 10.0            # seconds a server may take to give its first 200
STOP_LIMIT = 15.0             # seconds a server may take to stop after SIGTERM (rdsemu drains
                              # for up to 10 s)


class BenchError(Exception):
    pass


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


# ---------------------------------------------------------------- processes

class Server:
    """One server process: started, timed to its first 200, measured, stopped."""

    name = "?"
    start_limit = START_LIMIT  # seconds it may take to give its first 200
    cpus = None                # "1": started through `taskset -c 1` (inherited by its threads)

    def __init__(self, port, workdir):
        self.port = port
        self.workdir = workdir
        self.proc = None
        self.start_ms = None
        self.stdout_path = os.path.join(workdir, "stdout.log")
        self.stderr_path = os.path.join(workdir, "stderr.log")

    def command(self):
        raise NotImplementedError

    def start(self):
        check_port_free(self.port)
        out = open(self.stdout_path, "wb")
        err = open(self.stderr_path, "wb")
        try:
            t0 = time.monotonic()
            cmd = self.command()
            if self.cpus is not None:
                cmd = ["taskset", "-c", self.cpus] + cmd  # taskset execs: same pid
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=err, cwd=self.workdir)
        finally:
            out.close()
            err.close()
        RUNNING.append(self)
        write_pidfile()
        self.start_ms = (probe_first_200(self, t0) - t0) * 1000.0
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def pids(self):
        return [self.proc.pid]

    def peak_rss_kb(self):
        """VmHWM of the server's processes (for nginx: master + worker), in kB."""
        total = 0
        for pid in self.pids():
            total += read_status_kb(pid, "VmHWM") or 0
        return total

    def stderr_tail(self, lines=15):
        try:
            with open(self.stderr_path, "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - 4000))
                data = f.read().decode("utf-8", "replace")
            return "\n".join(data.splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        if self.proc is None:
            return None
        code = self.proc.poll()
        if code is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                code = self.proc.wait(timeout=STOP_LIMIT)
            except subprocess.TimeoutExpired:
                log("%s (pid %d) did not stop in %.0f s; killing it"
                    % (self.name, self.proc.pid, STOP_LIMIT))
                self.proc.kill()
                code = self.proc.wait(timeout=5)
        if self in RUNNING:
            RUNNING.remove(self)
            write_pidfile()
        return code


class Rdsemu(Server):
    name = "rdsemu"

    def __init__(self, binary, port, workdir, db, seed, extra):
        super().__init__(port, workdir)
        self.binary = os.path.abspath(binary)
        self.db = os.path.abspath(db)
        self.seed = seed
        self.extra = extra

    def command(self):
        return [self.binary, "--listen", "%s:%d" % (HOST, self.port), "--db", self.db,
                "--seed", self.seed, "--backup-seconds", "0"] + self.extra


class Nginx(Server):
    name = "nginx"

    def __init__(self, binary, port, workdir):
        super().__init__(port, workdir)
        self.binary = binary
        os.makedirs(os.path.join(workdir, "tmp"), exist_ok=True)
        with open(os.path.join(BENCH_DIR, "nginx.conf")) as f:
            conf = f.read()
        if "listen 127.0.0.1:18090;" not in conf:
            raise BenchError("bench/nginx.conf must listen on 127.0.0.1:18090")
        conf = conf.replace("listen 127.0.0.1:18090;", "listen %s:%d;" % (HOST, port))
        self.conf = os.path.join(workdir, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(conf)

    def command(self):
        return [self.binary, "-p", self.workdir + "/", "-c", self.conf, "-e", "stderr"]

    def pids(self):
        master = self.proc.pid
        found = [master]
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open("/proc/%s/stat" % entry) as f:
                        stat = f.read()
                except OSError:
                    continue
                # pid (comm) state ppid ...: comm may hold spaces, so split after the ')'.
                fields = stat[stat.rfind(")") + 2:].split()
                if len(fields) > 1 and int(fields[1]) == master:
                    found.append(int(entry))
        return found


RUNNING = []
# The pids of the servers running now, one a line, for bench/run's trap: it stops whatever is
# left in it if this script dies without stopping them (set by main()).
PIDFILE = [None]


def write_pidfile():
    if PIDFILE[0] is None:
        return
    tmp = PIDFILE[0] + ".tmp"
    with open(tmp, "w") as f:
        for server in RUNNING:
            if server.proc is not None:
                f.write("%d\n" % server.proc.pid)
    os.replace(tmp, PIDFILE[0])


def stop_all():
    for server in list(RUNNING):
        try:
            server.stop()
        except Exception as e:  # keep stopping the others
            log("stopping %s: %s" % (server.name, e))


def read_status_kb(pid, key):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def check_port_free(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.settimeout(0.2)
        if s.connect_ex((HOST, port)) == 0:
            raise BenchError("something already listens on %s:%d; stop it, or choose other ports "
                             "with RDSEMU_BENCH_PORT / RDSEMU_BENCH_NGINX_PORT" % (HOST, port))
    finally:
        s.close()


PROBE_COUNTER = [0]


def create_body(instance, name):
    return ('{"backup": {"description": "My Backup", "instance": "%s", "name": "%s"}}'
            % (instance, name)).encode()


def probe_first_200(server, t0):
    """Polls the server with creates from exec until the first 200, in a tight loop bounded by
    the server's start_limit (seconds). Returns the time of that 200."""
    PROBE_COUNTER[0] += 1
    name = "probe%s%d" % (secrets.token_hex(4), PROBE_COUNTER[0])
    body = create_body("bench-0000", name)
    request = ("POST /rds/v1/%s/backups HTTP/1.1\r\nHost: %s:%d\r\nX-Auth-Token: bench-token\r\n"
               "Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
               % (PROJECT, HOST, server.port, len(body))).encode() + body
    last = "no answer"
    for _ in range(int(server.start_limit * 20000)):
        now = time.monotonic()
        if now - t0 > server.start_limit:
            break
        if server.proc.poll() is not None:
            raise BenchError("%s exited with code %s before answering; its stderr:\n%s"
                             % (server.name, server.proc.returncode, server.stderr_tail()))
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.settimeout(1.0)
            if s.connect_ex((HOST, server.port)) != 0:
                time.sleep(0.0002)
                continue
            s.sendall(request)
            data = b""
            while b"\r\n" not in data and len(data) < 4096:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            t = time.monotonic()
            status = data.split(b"\r\n", 1)[0]
            if status.startswith(b"HTTP/1.1 200") or status.startswith(b"HTTP/1.0 200"):
                return t
            last = status.decode("latin-1", "replace") or "empty answer"
        except OSError as e:
            last = str(e)
        finally:
            s.close()
        time.sleep(0.0002)
    raise BenchError("%s gave no 200 within %.0f s (last: %s); its stderr:\n%s"
                     % (server.name, server.start_limit, last, server.stderr_tail()))


# ---------------------------------------------------------------- wrk

RUN_COUNTER = [0]


def run_wrk(script, port, conns, duration, project, logdir, label, threads=None, cpus=None,
            instances=INSTANCES):
    """One wrk run; `threads` defaults to 2 (1 at 1 connection), `cpus` (e.g. "0") pins wrk
    with taskset."""
    RUN_COUNTER[0] += 1
    if threads is None:
        threads = min(2, conns)  # wrk needs at least one connection per thread
    env = dict(os.environ)
    env["RDSEMU_BENCH_INSTANCES"] = str(instances)
    env["RDSEMU_BENCH_PROJECT"] = project
    env["RDSEMU_BENCH_RUN"] = "%s%d" % (secrets.token_hex(3), RUN_COUNTER[0])
    cmd = ["wrk", "-t%d" % threads, "-c%d" % conns, "-d%ds" % duration, "--latency",
           "--timeout", WRK_TIMEOUT, "-s", script, "http://%s:%d/" % (HOST, port)]
    if cpus is not None:
        cmd = ["taskset", "-c", cpus] + cmd
    try:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env, timeout=duration + 30)
    except subprocess.TimeoutExpired:
        raise BenchError("wrk (%s) did not finish within %d s" % (label, duration + 30))
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    with open(os.path.join(logdir, "%03d-%s.txt" % (RUN_COUNTER[0], label)), "w") as f:
        f.write("$ %s\n%s\n%s" % (" ".join(shlex.quote(c) for c in cmd), out, err))
    result = None
    for line in out.splitlines():
        if line.startswith("BENCH_RESULT "):
            result = json.loads(line[len("BENCH_RESULT "):])
    if done.returncode != 0 or result is None:
        raise BenchError("wrk (%s) failed, code %d:\n%s%s"
                         % (label, done.returncode, out[-2000:], err[-2000:]))
    seconds = result["duration_us"] / 1e6
    return {
        "connections": conns,
        "wrk_threads": threads,
        "duration_s": round(seconds, 3),
        "requests": result["requests"],
        "rps": result["requests"] / seconds if seconds > 0 else 0.0,
        "p50_ms": result["p50_us"] / 1000.0,
        "p90_ms": result["p90_us"] / 1000.0,
        "p99_ms": result["p99_us"] / 1000.0,
        "max_ms": result["max_us"] / 1000.0,
        "socket_errors": result["connect_errors"] + result["read_errors"]
        + result["write_errors"],
        "connect_errors": result["connect_errors"],
        "read_errors": result["read_errors"],
        "write_errors": result["write_errors"],
        "timeouts": result["timeouts"],
        "non2xx": result["status_errors"],
        "non200": result["non200"],
        "first_non200": [l for l in err.splitlines() if l.startswith("non-200:")][:3],
    }


# ---------------------------------------------------------------- data

def write_seed(path):
    seed = {"projects": [
        {"id": PROJECT, "instances": [
            {"id": "bench-%04d" % i, "name": "bench-%04d" % i,
             "datastore": {"type": "MySQL", "version": "5.6.30"}} for i in range(INSTANCES)]},
        {"id": LIST_PROJECT, "instances": [
            {"id": "list-%d" % i, "name": "list-%d" % i,
             "datastore": {"type": "MySQL", "version": "5.6.30"}} for i in range(LIST_INSTANCES)]},
    ]}
    with open(path, "w") as f:
        json.dump(seed, f)


def http_call(port, method, path, body=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        headers = {"X-Auth-Token": "bench-token"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def fill_list_project(port):
    """Creates LIST_BACKUPS backups in the list project; returns the list answer's bytes."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        headers = {"X-Auth-Token": "bench-token", "Content-Type": "application/json"}
        for i in range(LIST_BACKUPS):
            body = create_body("list-%d" % (i % LIST_INSTANCES), "list%04d" % i)
            conn.request("POST", "/rds/v1/%s/backups" % LIST_PROJECT, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            if resp.status != 200:
                raise BenchError("list setup: create %d answered %d %s" % (i, resp.status, data))
    finally:
        conn.close()
    status, data = http_call(port, "GET", "/rds/v1/%s/backups" % LIST_PROJECT)
    backups = json.loads(data).get("backups") if status == 200 else None
    if backups is None or len(backups) != LIST_BACKUPS:
        raise BenchError("list setup: the list answered %d with %s backups"
                         % (status, None if backups is None else len(backups)))
    return data


def schema_columns(conn, table):
    return [(r[1], (r[2] or "").upper(), r[3], r[4], r[5])
            for r in conn.execute("PRAGMA table_info(%s)" % table)]


def fill_store(binary, seed, db, workdir, port, count):
    """A database with `count` completed backups (and their jobs) in the create project.

    rdsemu creates the schema and one real backup (the template); the rows are then written
    with a recursive CTE, every column of `backups` and `jobs` as schema/*.sql defines them
    (read here, at run time): the columns that make a row unique or tie it to its instance and
    job are computed, every other column copies the template, so each NOT NULL column is
    filled with a value rdsemu itself wrote."""
    t_start = time.monotonic()
    server = Rdsemu(binary, port, workdir, db, seed, [])
    server.start()
    try:
        # The probe's create is the template; reading the list settles it (0 s build).
        for _ in range(50):
            status, data = http_call(port, "GET", "/rds/v1/%s/backups" % PROJECT)
            if status == 200 and all(b.get("status") == "COMPLETED"
                                     for b in json.loads(data)["backups"]):
                break
            time.sleep(0.1)
        else:
            raise BenchError("fill: the template backup did not complete")
    finally:
        code = server.stop()
    if code != 0:
        raise BenchError("fill: rdsemu exited with code %s: %s" % (code, server.stderr_tail()))

    files = sorted(glob.glob(os.path.join(ROOT, "schema", "*.sql")))
    if not files:
        raise BenchError("no schema/*.sql files")
    mem = sqlite3.connect(":memory:")
    for path in files:
        with open(path) as f:
            mem.executescript(f.read())
    want = {t: schema_columns(mem, t) for t in ("backups", "jobs")}
    mem.close()

    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for table in ("backups", "jobs"):
            have = schema_columns(conn, table)
            if [c[:3] for c in have] != [c[:3] for c in want[table]]:
                raise BenchError("fill: the %s table rdsemu made differs from schema/*.sql "
                                 "(rebuild build-bench/?)\n  binary: %s\n  files:  %s"
                                 % (table, have, want[table]))
        conn.row_factory = sqlite3.Row
        template = conn.execute("SELECT * FROM backups WHERE project_id = ?",
                                (PROJECT,)).fetchall()
        if len(template) != 1:
            raise BenchError("fill: expected 1 template backup, found %d" % len(template))
        template = dict(template[0])
        job = conn.execute("SELECT * FROM jobs WHERE id = ?", (template["job_id"],)).fetchone()
        if job is None:
            raise BenchError("fill: the template backup has no job")
        job = dict(job)
        conn.row_factory = None

        tag = secrets.token_hex(4)
        created0 = int(template["created"]) - count // 1000 - 1
        build = int(template["ready_at"]) - int(template["created"])
        backup_expr = {
            "id": "printf('%s-0000-4000-8000-%%012x', n)" % tag,
            "project_id": ":project",
            "instance_id": "printf('bench-%04d', n % :instances)",
            "instance_name": "printf('bench-%04d', n % :instances)",  # the seed's names
            "name": "printf('fill%07d', n)",
            "created": ":created0 + n / 1000",
            "ready_at": ":created0 + n / 1000 + :build",
            "finished": ":created0 + n / 1000 + :build",
            "status": "'COMPLETED'",
            "job_id": "printf('%s%%024x', n)" % tag,
        }
        params = {"project": PROJECT, "instances": INSTANCES, "created0": created0,
                  "build": build, "count": count}
        if template.get("size_kb") is None and "size_at_ready" in template:
            backup_expr["size_kb"] = ":t_size_at_ready"
            params["t_size_at_ready"] = template["size_at_ready"]
        job_expr = {
            "id": "b.job_id", "backup_id": "b.id", "project_id": "b.project_id",
            "instance_id": "b.instance_id", "instance_name": "b.instance_name",
            "created": "b.created", "ended": "b.finished", "status": "'Completed'",
        }
        cols, exprs = [], []
        for name, ctype, notnull, default, pk in want["backups"]:
            if pk and ctype == "INTEGER":
                continue  # the rowid: SQLite numbers the rows
            cols.append(name)
            if name in backup_expr:
                exprs.append(backup_expr[name])
            else:
                exprs.append(":t_" + name)
                params["t_" + name] = template[name]
        jcols, jexprs = [], []
        for name, ctype, notnull, default, pk in want["jobs"]:
            jcols.append(name)
            if name in job_expr:
                jexprs.append(job_expr[name])
            else:
                jexprs.append(":j_" + name)
                params["j_" + name] = job[name]

        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -524288")  # 512 MB
        conn.execute("BEGIN")
        conn.execute("DELETE FROM jobs WHERE id = ?", (template["job_id"],))
        conn.execute("DELETE FROM backups WHERE id = ?", (template["id"],))
        conn.execute(
            "WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < :count - 1) "
            "INSERT INTO backups (%s) SELECT %s FROM c" % (", ".join(cols), ", ".join(exprs)),
            params)
        conn.execute("INSERT INTO jobs (%s) SELECT %s FROM backups AS b WHERE b.project_id = "
                     ":project ORDER BY b.job_id" % (", ".join(jcols), ", ".join(jexprs)),
                     params)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
        n_backups = conn.execute("SELECT count(*) FROM backups WHERE project_id = ?",
                                 (PROJECT,)).fetchone()[0]
        n_jobs = conn.execute("SELECT count(*) FROM jobs WHERE project_id = ?",
                              (PROJECT,)).fetchone()[0]
        building = conn.execute("SELECT count(*) FROM backups WHERE status = 'BUILDING'"
                                ).fetchone()[0]
    finally:
        conn.close()
    if n_backups != count or n_jobs != count or building != 0:
        raise BenchError("fill: %d backups, %d jobs, %d building (wanted %d, %d, 0)"
                         % (n_backups, n_jobs, building, count, count))
    return {"backups": count, "seconds": round(time.monotonic() - t_start, 1),
            "db_mb": round(os.path.getsize(db) / 1048576.0, 1)}


# ---------------------------------------------------------------- the run

class Bench:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.rounds = 1 if args.quick else 3
        self.duration = 1 if args.quick else 5
        self.fill_count = args.fill if args.fill else 1000000
        self.port = int(os.environ.get("RDSEMU_BENCH_PORT", "18081"))
        self.nginx_port = int(os.environ.get("RDSEMU_BENCH_NGINX_PORT", "18090"))
        self.extra = shlex.split(os.environ.get("RDSEMU_BENCH_ARGS", ""))
        self.tmp = tempfile.mkdtemp(prefix="rdsemu-bench-")
        self.logdir = os.path.join(os.path.dirname(os.path.abspath(args.out)), "bench-logs")
        shutil.rmtree(self.logdir, ignore_errors=True)
        os.makedirs(self.logdir)
        self.seed = os.path.join(self.tmp, "seed.json")
        write_seed(self.seed)
        self.nginx_dir = os.path.join(self.tmp, "nginx")
        os.makedirs(self.nginx_dir)
        # nginx started by root serves files as an unprivileged user: let it reach list.json.
        os.chmod(self.tmp, 0o711)
        os.chmod(self.nginx_dir, 0o755)
        self.samples = []  # one dict per measurement
        self.counter = 0
        self.deadline = time.monotonic() + (180 if args.quick else 900)

    def fresh_dir(self, label):
        self.counter += 1
        d = os.path.join(self.tmp, "%03d-%s" % (self.counter, label))
        os.makedirs(d)
        return d

    def check_deadline(self):
        if time.monotonic() > self.deadline:
            raise BenchError("the run took longer than its time limit; stopping")

    def measure(self, rnd, workload, server, script, project, conns, extra_args=None,
                db=None):
        """Starts one server, drives it with wrk, reads its peak RSS, stops it."""
        self.check_deadline()
        label = "r%d-%s-%s-c%d" % (rnd, workload, server, conns)
        log(label)
        if server == "nginx":
            srv = Nginx(self.args.nginx, self.nginx_port, self.nginx_dir)
            workdir = None
        else:
            workdir = self.fresh_dir(label)
            srv = Rdsemu(self.args.binary, self.port, workdir,
                         db or os.path.join(workdir, "rdsemu.db"), self.seed,
                         self.extra + (extra_args or []))
        srv.start()
        try:
            if workload == "list" and server == "rdsemu":
                body = fill_list_project(self.port)
                path = os.path.join(self.nginx_dir, "list.json")
                with open(path, "wb") as f:
                    f.write(body)
                os.chmod(path, 0o644)
            result = run_wrk(script, srv.port, conns, self.duration, project, self.logdir,
                             label)
            if not srv.alive():
                raise BenchError("%s died during the run (code %s): %s"
                                 % (srv.name, srv.proc.returncode, srv.stderr_tail()))
            result["peak_rss_mb"] = srv.peak_rss_kb() / 1024.0
        finally:
            code = srv.stop()
        result.update({"round": rnd, "workload": workload, "server": server,
                       "start_ms": srv.start_ms, "exit_code": code})
        if code != 0:
            log("warning: %s exited with code %s" % (server, code))
        if result["non200"] or result["socket_errors"] or result["timeouts"]:
            log("  %d non-200, %d socket errors, %d timeouts %s"
                % (result["non200"], result["socket_errors"], result["timeouts"],
                   result["first_non200"][:1]))
        log("  %.0f req/s, p50 %.2f ms, p99 %.2f ms, rss %.1f MB, start %.1f ms"
            % (result["rps"], result["p50_ms"], result["p99_ms"], result["peak_rss_mb"],
               result["start_ms"]))
        self.samples.append(result)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)  # its database, unless db was given
        return result

    def run(self):
        create = os.path.join(BENCH_DIR, "create.lua")
        listing = os.path.join(BENCH_DIR, "list.lua")
        big_db_dir = self.fresh_dir("store-%d" % self.fill_count)
        big_db = os.path.join(big_db_dir, "rdsemu.db")
        log("filling a database with %d backups" % self.fill_count)
        self.fill = fill_store(self.args.binary, self.seed, big_db, big_db_dir, self.port,
                               self.fill_count)
        log("  %(backups)d backups in %(seconds).1f s, %(db_mb).0f MB" % self.fill)
        order = ("rdsemu", "nginx")
        for rnd in range(1, self.rounds + 1):
            # Alternate which server goes first, so that a drift of the machine does not
            # always favour the same one.
            pair = order if rnd % 2 else order[::-1]
            for conns in (1, 256, 32):
                for server in pair:
                    self.measure(rnd, "create", server, create, PROJECT, conns)
            self.measure(rnd, "create-sync-full", "rdsemu", create, PROJECT, HEADLINE,
                         extra_args=["--sync", "full"])
            self.measure(rnd, "create-%s-stored" % self.fill_label(), "rdsemu", create,
                         PROJECT, HEADLINE, db=big_db)
            for server in ("rdsemu", "nginx"):
                self.measure(rnd, "list", server, listing, LIST_PROJECT, HEADLINE)
        shutil.rmtree(big_db_dir, ignore_errors=True)

    def fill_label(self):
        n = self.fill_count
        return "%dM" % (n // 1000000) if n % 1000000 == 0 else "%dk" % (n // 1000)

    # ------------------------------------------------------------ summary

    def rows(self):
        """One summary row per (workload, server, connections), with the medians over rounds,
        the error counts summed over rounds, and the ratio to its reference."""
        def pick(workload, server, conns):
            return [s for s in self.samples if s["workload"] == workload
                    and s["server"] == server and s["connections"] == conns]

        def ratio(num, den):
            """Median over rounds of the per-round ratio (both measured in the same round)."""
            r = []
            for a in num:
                b = [x for x in den if x["round"] == a["round"]]
                if b and b[0]["rps"] > 0:
                    r.append(a["rps"] / b[0]["rps"])
            return median(r)

        specs = []
        for conns in CONNECTIONS:
            specs.append(("create", "rdsemu", conns, ("create", "nginx", conns), "nginx"))
            specs.append(("create", "nginx", conns, None, None))
        specs.append(("create-sync-full", "rdsemu", HEADLINE, ("create", "nginx", HEADLINE),
                      "nginx"))
        big = "create-%s-stored" % self.fill_label()
        specs.append((big, "rdsemu", HEADLINE, ("create", "rdsemu", HEADLINE), "empty"))
        specs.append(("list", "rdsemu", HEADLINE, ("list", "nginx", HEADLINE), "nginx"))
        specs.append(("list", "nginx", HEADLINE, None, None))
        rows = []
        for workload, server, conns, ref, ref_name in specs:
            got = pick(workload, server, conns)
            if not got:
                continue
            row = {"workload": workload, "server": server, "connections": conns,
                   "rounds": len(got)}
            for key in ("rps", "p50_ms", "p90_ms", "p99_ms", "max_ms", "peak_rss_mb",
                        "start_ms"):
                row[key] = median([g[key] for g in got])
            for key in ("socket_errors", "timeouts", "non2xx", "non200"):
                row[key] = sum(g[key] for g in got)
            row["ratio"] = ratio(got, pick(*ref)) if ref else None
            row["ratio_to"] = ref_name
            rows.append(row)
        return rows

    def table(self, rows):
        names = {"create": "create", "create-sync-full": "create --sync full",
                 "list": "list (100 backups)"}
        big = "create-%s-stored" % self.fill_label()
        names[big] = "create, %s stored" % self.fill_label()
        head = ("workload", "server", "conns", "req/s", "ratio", "p50 ms", "p99 ms", "RSS MB",
                "start ms", "sock err", "timeouts", "non-2xx", "non-200")
        lines = []
        for r in rows:
            ratio = "" if r["ratio"] is None else "%.3f %s" % (r["ratio"], r["ratio_to"])
            lines.append((names.get(r["workload"], r["workload"]), r["server"],
                          str(r["connections"]), "%.0f" % r["rps"], ratio,
                          "%.2f" % r["p50_ms"], "%.2f" % r["p99_ms"],
                          "%.1f" % r["peak_rss_mb"], "%.1f" % r["start_ms"],
                          str(r["socket_errors"]), str(r["timeouts"]), str(r["non2xx"]),
                          str(r["non200"])))
        widths = [max(len(x) for x in col) for col in zip(head, *lines)]
        out = []
        for i, line in enumerate([head] + lines):
            cells = []
            for j, (cell, w) in enumerate(zip(line, widths)):
                cells.append(cell.ljust(w) if j < 2 else cell.rjust(w))
            out.append("  ".join(cells).rstrip())
            if i == 0:
                out.append("  ".join("-" * w for w in widths))
        return "\n".join(out)


def rounded(value):
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def machine_info(binary, nginx):
    def first_line(cmd):
        try:
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=10)
            if r.returncode != 0:
                return None
            return r.stdout.decode("utf-8", "replace").strip().splitlines()[0]
        except (OSError, subprocess.TimeoutExpired, IndexError):
            return None
    cpu = None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    commit = first_line(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    dirty = None
    try:
        r = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=10)
        dirty = bool(r.stdout.strip()) if r.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        pass
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cpus": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
        "rdsemu": first_line([binary, "--version"]),
        "git_commit": commit, "git_dirty": dirty,
        "nginx": first_line([nginx, "-v"]), "wrk": first_line(["wrk", "--version"]),
        "loadavg_at_start": open("/proc/loadavg").read().split()[:3],
    }


def run_incumbent(args):
    """The measurement bench/run has always made (rdsemu against nginx, several workloads)."""
    bench = None
    t0 = time.monotonic()
    try:
        info = machine_info(args.binary, args.nginx)
        bench = Bench(args)
        bench.run()
    finally:
        stop_all()
        if bench is not None:
            shutil.rmtree(bench.tmp, ignore_errors=True)
    rows = bench.rows()
    info["loadavg_at_end"] = open("/proc/loadavg").read().split()[:3]
    info["seconds"] = round(time.monotonic() - t0, 1)
    results = {
        "machine": info,
        "settings": {"rounds": bench.rounds, "duration_s": bench.duration,
                     "quick": bench.quick, "connections": list(CONNECTIONS),
                     "wrk_threads": "2 (1 at 1 connection)", "wrk_timeout": WRK_TIMEOUT,
                     "instances": INSTANCES,
                     "rdsemu_port": bench.port, "nginx_port": bench.nginx_port,
                     "rdsemu_extra_args": bench.extra, "list_backups": LIST_BACKUPS},
        "store_fill": bench.fill,
        "summary": rows,
        "samples": bench.samples,
    }
    with open(args.out, "w") as f:
        json.dump(rounded(results), f, indent=1)
        f.write("\n")
    title = ("rdsemu bench: %s, %d round%s of %d s per run, medians (error counts: totals); "
             "%s, %d CPUs" % (info["rdsemu"], bench.rounds, "" if bench.rounds == 1 else "s",
                              bench.duration, info["date"], info["cpus"] or 0))
    print(title)
    print(bench.table(rows))
    print("ratio: median over rounds of rdsemu/nginx req/s in the same round "
          "('empty': vs create at %d connections on an empty store)" % HEADLINE)
    print("load average at start %s, at end %s; store fill: %d backups in %.1f s"
          % (" ".join(info["loadavg_at_start"]), " ".join(info["loadavg_at_end"]),
             bench.fill["backups"], bench.fill["seconds"]))
    print("results: %s; wrk output: %s" % (args.out, os.path.relpath(bench.logdir, ROOT)))
    return 0


def main():
    p = argparse.ArgumentParser(description="rdsemu benchmark (run through bench/run)")
    p.add_argument("--binary", required=True, help="the rdsemu binary")
    p.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    p.add_argument("--out", required=True, help="the JSON results file")
    p.add_argument("--quick", action="store_true", help="one round, 1 s runs")
    p.add_argument("--fill", type=int, default=0,
                   help="backups in the large store (default 1000000)")
    p.add_argument("--peers", action="store_true",
                   help="only the peers section (nginx, WireMock, rdsemu in one run)")
    p.add_argument("--ladder", action="store_true", help="only the cost ladder per create")
    p.add_argument("--java", default=shutil.which("java") or "java",
                   help="the java binary for WireMock")
    p.add_argument("--wiremock-jar", help="WireMock's standalone jar (the npm package's)")
    p.add_argument("--pidfile", help="file listing the running servers' pids (for a trap)")
    args = p.parse_args()
    args.binary = os.path.abspath(args.binary)
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is not installed")
    PIDFILE[0] = args.pidfile
    write_pidfile()
    # No option: the measurement of old, then the peers. --peers, --ladder: those alone.
    sections = []
    if not args.peers and not args.ladder:
        sections = ["incumbent", "peers"]
    else:
        sections = [name for name in ("peers", "ladder") if getattr(args, name)]

    def on_signal(signum, frame):
        raise KeyboardInterrupt()
    signal.signal(signal.SIGTERM, on_signal)

    try:
        for name in sections:
            if name == "incumbent":
                run_incumbent(args)
            elif name == "peers":
                import peers
                peers.run(args)
            else:
                import ladder
                ladder.run(args)
    except BenchError as e:
        stop_all()
        log("error: %s" % e)
        return 1
    except KeyboardInterrupt:
        stop_all()
        log("interrupted")
        return 130
    finally:
        stop_all()
    return 0


if __name__ == "__main__":
    # peers.py and ladder.py `import bench`: let them share this module (its RUNNING list).
    sys.modules["bench"] = sys.modules[__name__]
    sys.exit(main())
