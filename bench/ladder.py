"""The cost ladder per create (bench/run --ladder): what one documented v1 create costs rdsemu,
rung by rung. See bench/README.md, "Cost ladder per create".

rdsemu (Release, --sync normal, --backup-seconds 0, 200 instances, on CPU 1) under the create
load of wrk (1 thread, 32 connections, on CPU 0, as this script and its tools):

  A. a run of WINDOW seconds, measured from outside the process without slowing it:
     /proc/PID/io (bytes and write calls), /proc/PID/task/*/stat (CPU per thread), the WAL
     index (the -shm file: commits, WAL frames, checkpointed frames) polled every millisecond,
     and `perf stat` on the syscall tracepoints when perf can count them;
  B. `strace -f -c -p PID` for STRACE seconds under the same load (slowed by ptrace: its
     counts are taken per create, not per second);
  C. a fixed run of CALLGRIND_CREATES creates under `valgrind --tool=callgrind` (this machine
     counts no hardware instructions for perf: `perf stat -e instructions true` says "not
     supported"), its instructions grouped by function families, then turned into CPU time
     with the CPU time each thread group used per create in A.
The creates of a window are the rows the backups table gained in it.
"""
import collections
import glob
import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import sqlite3
import struct
import subprocess
import tempfile
import threading
import time

import bench as B
import peers as P

CONNS = 32
WINDOW = 6             # seconds of run A
STRACE = 4             # seconds of strace in run B
CALLGRIND_CREATES = 6000  # enough WAL (~20k frames) for the commit path to restart it
CALLGRIND_WARM = 320   # creates before the counters are zeroed (connections, statements)
CALLGRIND_START_LIMIT = 120.0
REP_BYTES_PER_INSN = 32  # see rep_correction()
TICK_US = 1e6 / os.sysconf("SC_CLK_TCK")
PERF_EVENTS = ["raw_syscalls:sys_enter"] + ["syscalls:sys_enter_%s" % s for s in (
    "fsync", "fdatasync", "pwrite64", "pread64", "futex", "poll", "recvfrom", "sendto",
    "sendmsg", "write")]


# ---------------------------------------------------------------- counters of a process

def read_io(pid):
    out = {}
    with open("/proc/%d/io" % pid) as f:
        for line in f:
            k, v = line.split(":")
            out[k.strip()] = int(v)
    return out


def thread_times(pid):
    """{tid: (comm, utime ticks, stime ticks)} of every thread of `pid`."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                comm = f.read().strip()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        out[int(tid)] = (comm, int(fields[11]), int(fields[12]))
    return out


def thread_groups(pid, before, after):
    """CPU ticks per thread group over a window: the HTTP workers (named MHD-worker), the
    writer (the busiest unnamed thread besides the main one: the one that runs every
    transaction), and the rest (the checkpoint thread, the delay thread, the main thread)."""
    deltas = {}
    for tid, (comm, u, s) in after.items():
        b = before.get(tid, (comm, 0, 0))
        deltas[tid] = (comm, u - b[1], s - b[2])
    groups = {g: [0, 0] for g in ("workers", "writer", "others")}
    unnamed = sorted((t for t, d in deltas.items() if t != pid and d[0] != "MHD-worker"),
                     key=lambda t: -(deltas[t][1] + deltas[t][2]))
    writer = unnamed[0] if unnamed else None
    for tid, (comm, u, s) in deltas.items():
        g = "workers" if comm == "MHD-worker" else "writer" if tid == writer else "others"
        groups[g][0] += u
        groups[g][1] += s
    return groups


class WalIndexPoller(threading.Thread):
    """Reads the WAL index header (the -shm file SQLite maps: two copies of WalIndexHdr, then
    WalCkptInfo) every `interval` seconds and adds up what changed: iChange counts commits,
    mxFrame the frames in the WAL, nBackfill the frames copied into the database; a new salt
    means the WAL started over (frames since then: the new mxFrame; the old WAL was wholly
    copied before, so its last frames count as checkpointed)."""

    HDR = struct.Struct("=3I2BH2I2I2I2I")  # 48 bytes, native byte order

    def __init__(self, path, interval=0.001):
        super().__init__(daemon=True)
        self.path = path
        self.interval = interval
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.totals = {"commits": 0, "frames": 0, "backfilled": 0, "resets": 0, "samples": 0,
                       "torn": 0}
        self.last = None
        self.page_size = None

    def read(self, fd):
        data = os.pread(fd, 136, 0)
        if len(data) < 136 or data[:48] != data[48:96]:
            return None  # being written: the two copies differ
        h = self.HDR.unpack_from(data, 0)
        if not h[3]:
            return None  # not initialised
        page = h[5] if h[5] != 1 else 65536
        backfill = struct.unpack_from("=I", data, 96)[0]
        return {"change": h[2], "frames": h[6], "salt": (h[10], h[11]), "backfill": backfill,
                "page": page}

    def run(self):
        fd = os.open(self.path, os.O_RDONLY)
        try:
            while not self.stopping.is_set():
                cur = self.read(fd)
                with self.lock:
                    self.totals["samples"] += 1
                    if cur is None:
                        self.totals["torn"] += 1
                    else:
                        self.add(cur)
                time.sleep(self.interval)
        finally:
            os.close(fd)

    def add(self, cur):
        self.page_size = cur["page"]
        last, self.last = self.last, cur
        if last is None:
            return
        t = self.totals
        t["commits"] += (cur["change"] - last["change"]) & 0xFFFFFFFF
        if cur["salt"] != last["salt"]:
            t["resets"] += 1
            t["frames"] += cur["frames"]
            t["backfilled"] += max(0, last["frames"] - last["backfill"]) + cur["backfill"]
        else:
            t["frames"] += max(0, cur["frames"] - last["frames"])
            t["backfilled"] += max(0, cur["backfill"] - last["backfill"])

    def snapshot(self):
        with self.lock:
            return dict(self.totals)

    def stop(self):
        self.stopping.set()
        self.join(timeout=5)


def perf_usable():
    if shutil.which("perf") is None:
        return False
    try:
        r = subprocess.run(["perf", "stat", "-x,", "-e", ",".join(PERF_EVENTS), "true"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0 and b"not supported" not in r.stderr


def parse_perf_csv(path):
    counts = {}
    with open(path) as f:
        for line in f:
            parts = line.strip().split(",")
            if len(parts) >= 3 and parts[0].isdigit():
                counts[parts[2]] = int(parts[0])
    return counts


def parse_strace(path):
    """`strace -c` summary: {syscall: calls}, and 'total'."""
    calls = {}
    with open(path) as f:
        for line in f:
            tokens = line.split()
            if len(tokens) < 4 or not re.match(r"^[\d.]+$", tokens[0]):
                continue
            nums = tokens[:-1]
            if len(nums) == 5:    # % time, seconds, usecs/call, calls, errors
                n = int(nums[3])
            elif len(nums) == 4:  # % time, seconds, usecs/call, calls
                n = int(nums[3])
            else:
                continue
            calls[tokens[-1]] = n
    return calls


# ---------------------------------------------------------------- a load of exact size

def drive_creates(port, total, conns, tag, limit_s):
    """`total` creates over `conns` keep-alive connections (one thread each), every name
    unique; bounded by `limit_s` seconds. Returns the counts by status."""
    lock = threading.Lock()
    state = {"next": 0, "status": collections.Counter(), "errors": 0}
    deadline = time.monotonic() + limit_s

    def worker():
        conn = http.client.HTTPConnection(B.HOST, port, timeout=60)
        headers = {"X-Auth-Token": "bench-token", "Content-Type": "application/json"}
        try:
            while time.monotonic() < deadline:
                with lock:
                    i = state["next"]
                    if i >= total:
                        return
                    state["next"] += 1
                body = B.create_body("bench-%04d" % (i % P.INSTANCES), "%s_%d" % (tag, i))
                try:
                    conn.request("POST", "/rds/v1/%s/backups" % B.PROJECT, body=body,
                                 headers=headers)
                    resp = conn.getresponse()
                    resp.read()
                    with lock:
                        state["status"][resp.status] += 1
                except (OSError, http.client.HTTPException):
                    with lock:
                        state["errors"] += 1
                    conn.close()
                    conn = http.client.HTTPConnection(B.HOST, port, timeout=60)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1.0, deadline - time.monotonic() + 5))
    if time.monotonic() > deadline:
        raise B.BenchError("callgrind load: %d creates not done within %.0f s"
                           % (total, limit_s))
    return {"status": dict(state["status"]), "errors": state["errors"]}


# ---------------------------------------------------------------- callgrind

class CallgrindRdsemu(B.Rdsemu):
    name = "rdsemu (callgrind)"
    start_limit = CALLGRIND_START_LIMIT

    def __init__(self, *args, outdir=None, **kw):
        super().__init__(*args, **kw)
        self.outdir = outdir

    def command(self):
        return ["valgrind", "--tool=callgrind", "--separate-threads=yes", "--dump-instr=yes",
                "--compress-strings=no", "--compress-pos=no",
                # memset, memcpy and memmove named after their caller: see rep_correction()
                "--separate-callers1=*memset*", "--separate-callers1=*memcpy*",
                "--separate-callers1=*memmove*",
                "--callgrind-out-file=%s/callgrind.out.%%p" % self.outdir] + super().command()


def object_symbols(build_dir):
    """{function name: source file} of rdsemu's own code, from the objects of the build
    (static functions too: the Release binary has no line information)."""
    out = {}
    for obj in glob.glob(os.path.join(build_dir, "CMakeFiles", "*", "src", "**", "*.c.o"),
                         recursive=True):
        src = obj.split(os.sep + "src" + os.sep, 1)[1][:-2]  # e.g. core/validate.c
        r = subprocess.run(["nm", "--defined-only", obj], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, timeout=30)
        for line in r.stdout.decode("utf-8", "replace").splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tT":
                out.setdefault(parts[2], set()).add("src/" + src)
    return out


class Profile:
    """One thread's callgrind dump: self cost per function (rep-string iterations apart),
    inclusive cost per call edge."""

    def __init__(self, path):
        self.path = path
        self.self_cost = collections.Counter()
        self.rep = collections.Counter()       # iterations of rep-prefixed instructions
        self.edges = collections.Counter()     # (caller, callee) -> inclusive cost
        self.calls = collections.Counter()     # (caller, callee) -> count
        self.parse()

    @staticmethod
    def key(ob, fn):
        return (ob or "", re.sub(r"'\d+$", "", fn))  # "f'2": a recursion level of f

    def parse(self):
        npos = 1
        ob = fn = cob = cfn = None
        pending = None
        last_pos = last_cost = None
        with open(self.path, errors="replace") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line:
                    continue
                c = line[0]
                if c.isdigit() or c in "+-*":
                    parts = line.split()
                    pos = tuple(parts[:npos])
                    cost = int(parts[npos]) if len(parts) > npos else 0
                    if pending is not None:
                        self.edges[(fn, pending)] += cost
                        pending = None
                        last_pos = None
                    elif pos == last_pos and cost >= 16 * max(last_cost, 1):
                        # Valgrind runs a rep-prefixed instruction as a loop at one address:
                        # the second line of that address counts its iterations.
                        self.rep[fn] += cost
                        last_pos = None
                    else:
                        self.self_cost[fn] += cost
                        last_pos, last_cost = pos, cost
                    continue
                last_pos = None
                if line.startswith("positions:"):
                    npos = len(line.split()) - 1
                elif line.startswith("ob="):
                    ob = line[3:]
                elif line.startswith("fn="):
                    fn = self.key(ob, line[3:])
                    cob = None
                elif line.startswith("cob="):
                    cob = line[4:]
                elif line.startswith("cfn="):
                    cfn = self.key(cob if cob is not None else ob, line[4:])
                elif line.startswith("calls="):
                    pending = cfn
                    self.calls[(fn, cfn)] += int(line[6:].split()[0])
                    cob = None
        self.names = {k[1] for k in self.self_cost} | {k[1] for k in self.rep}
        self.names |= {b[1] for (_, b) in self.edges}

    def kind(self):
        if "writer_run" in self.names or "run_batch" in self.names:
            return "writer"
        if "checkpoint_run" in self.names:
            return "checkpointer"
        if "on_access" in self.names:
            return "workers"
        return "others"

    def calls_to(self, name):
        return sum(n for (a, b), n in self.calls.items() if b[1] == name)

    def total(self):
        """Instructions, each rep iteration counted as 1/REP_BYTES_PER_INSN of one."""
        return sum(self.self_cost.values()) + sum(self.rep.values()) / REP_BYTES_PER_INSN

    def families(self, family_of):
        """Cost per family, each function's cost going to the innermost family on its call
        path (a function of no family counts for its caller's): a family's cost is the
        inclusive cost of the calls into it from outside, less that of its calls into other
        families. Rep iterations are then taken out where they were counted (rep_correction)."""
        fam = {}

        def f(key):
            if key not in fam:
                fam[key] = family_of(key)
            return fam[key]

        cost = collections.Counter()
        for (a, b), c in self.edges.items():
            fa, fb = f(a), f(b)
            if fb is not None and fa != fb:
                cost[fb] += c
            if fa is not None and fb is not None and fa != fb:
                cost[fa] -= c
        # Cost outside every family: the thread's root (start_thread, clone) itself.
        self.rep_correction(cost, f)
        return cost

    def rep_correction(self, cost, f):
        """Callgrind counts a `rep stosb` / `rep movsb` once per byte (libmicrohttpd clears its
        connection pool with a 32 KiB memset per request: 32,768 "instructions"), where the
        CPU stores ~32 bytes per cycle. Each iteration is counted here as 1/32 of an
        instruction. memset, memcpy and memmove are separated by caller (the suffix after the
        quote), so their surplus is taken from the caller's family; any other function's from
        its own family, else from its caller's (the largest)."""
        surplus = collections.Counter()
        for key, iterations in self.rep.items():
            extra = iterations - iterations / REP_BYTES_PER_INSN
            target = f(key)
            if target is None:
                callers = collections.Counter()
                for (a, b), c in self.edges.items():
                    if b == key:
                        callers[a] += c
                for a, _ in callers.most_common():
                    if f(a) is not None:
                        target = f(a)
                        break
            surplus[target] += extra
        for fam_name, extra in surplus.items():
            if fam_name is not None:
                cost[fam_name] -= extra
        self.rep_surplus = surplus


WORKER_FAMILIES = {
    "src/core/validate.c": "validate",
    "src/api/backup_json.c": "json",
    "src/api/render.c": "reply", "src/base/strbuf.c": "reply", "src/api/respond.c": "reply", "src/http/reply.c": "reply",
}
# The writer's own loop and the create's own code; every other function of rdsemu on the
# writer is a helper whose cost is its caller's.
WRITER_OWN = {"src/store/commit_queue.c", "src/api/backup_create.c"}
WRITER_FUNCTIONS = {
    "store_instance_get": "lookup",
    "store_backup_building_exists": "checks", "store_backup_name_taken": "checks",
    "store_backup_insert": "insert",
    "store_begin": "txn", "store_exec": "txn", "settle_due": "txn",
    "store_backups_settle": "txn",
    "store_commit": "commit",
    "on_commit": "checkpoint", "sqlite3_wal_checkpoint_v2": "checkpoint",
    "create_done": "answer",
}


def family_function(kind, symbols, binary):
    binary = os.path.realpath(binary)

    def ours(key):
        return os.path.realpath(key[0]) == binary if key[0] else False

    def source(name):
        files = symbols.get(name.split("'")[0])
        return next(iter(files)) if files and len(files) == 1 else None

    def family(key):
        ob, name = key
        if kind == "checkpointer":
            return "checkpoint_thread"
        if kind == "others":
            return "others"
        if kind == "workers":
            if "libmicrohttpd" in ob:
                return "http"
            if "libjansson" in ob:
                return "json"
            if ours(key):
                return WORKER_FAMILIES.get(source(name), "handler")
            return None
        # the writer
        if name in WRITER_FUNCTIONS:
            return WRITER_FUNCTIONS[name]
        if "libmicrohttpd" in ob:
            return "answer"  # MHD_resume_connection: the answer handed back to its worker
        if ours(key):
            src = source(name)
            if src == "src/core/validate.c":
                return "validate"
            if src in WRITER_OWN:
                return "writer_rest"
        # SQLite, libc, and rdsemu's helpers (statements, row reading, the file layer SQLite
        # calls through): the cost of their caller.
        return None
    return family


# ---------------------------------------------------------------- the ladder

ROWS = [
    # (family, thread group, label)
    ("http", "workers", "HTTP: libmicrohttpd (parsing, its connection pool, sending)"),
    ("json", "workers", "JSON: jansson parse and free, api/backup_json.c"),
    ("validate", "workers", "validation: core/validate.c (request; instance check on the writer)"),
    ("handler", "workers", "request handling: http/server.c, routing, auth and header checks, "
                           "journal, log line, metrics, IDs, hand-off to the writer"),
    ("reply", "workers", "reply: api/render.c, base/strbuf.c, http/reply.c"),
    ("lookup", "writer", "writer's SQL: instance look-up (store_instance_get)"),
    ("checks", "writer", "writer's SQL: already running? name taken? (two index probes)"),
    ("insert", "writer", "writer's SQL: insert backup + job (store_backup_insert)"),
    ("txn", "writer", "writer's SQL: BEGIN, SAVEPOINT/RELEASE per create, settle"),
    ("commit", "writer", "commit: WAL frames written (sqlite3_step COMMIT)"),
    ("checkpoint", "writer", "checkpoint, in the commit (near its 64 MiB bound)"),
    ("checkpoint_thread", "others", "checkpoint thread (WAL copied into the database)"),
    ("answer", "writer", "answer handed back: done callback, MHD_resume_connection"),
    ("writer_rest", "writer", "writer, the rest: batching, create_run's own code, malloc"),
    ("others", "others", "other threads (main, delay queue)"),
    ("unattributed", None, "not attributed (thread starts, rounding)"),
]


GROUP_LABELS = {"workers": "HTTP workers", "writer": "writer", "others": "others"}


class Ladder:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.window = 2 if args.quick else WINDOW
        self.strace_s = 2 if args.quick else STRACE
        self.cg_creates = 300 if args.quick else int(
            os.environ.get("RDSEMU_BENCH_CALLGRIND_CREATES", CALLGRIND_CREATES))
        self.port = int(os.environ.get("RDSEMU_BENCH_PORT", "18081"))
        self.extra = shlex.split(os.environ.get("RDSEMU_BENCH_ARGS", ""))
        self.outdir = os.path.dirname(os.path.abspath(args.out))
        self.logdir = os.path.join(self.outdir, "ladder-logs")
        shutil.rmtree(self.logdir, ignore_errors=True)
        os.makedirs(self.logdir)
        self.all_cpus = os.sched_getaffinity(0)
        self.pinned = {0, 1} <= self.all_cpus
        self.deadline = time.monotonic() + (600 if args.quick else 1200)
        self.result = {}

    def check_deadline(self):
        if time.monotonic() > self.deadline:
            raise B.BenchError("ladder: the run took longer than its time limit; stopping")

    def rdsemu(self, workdir, cls=B.Rdsemu, **kw):
        srv = cls(self.args.binary, self.port, workdir, os.path.join(workdir, "rdsemu.db"),
                  self.seed, ["--sync", "normal"] + self.extra, **kw)
        srv.cpus = "1" if self.pinned else None
        return srv

    def wrk(self, srv, duration, label):
        return B.run_wrk(os.path.join(B.BENCH_DIR, "create.lua"), srv.port, CONNS, duration,
                         B.PROJECT, self.logdir, label, threads=1,
                         cpus="0" if self.pinned else None, instances=P.INSTANCES)

    def run(self):
        tmp = tempfile.mkdtemp(prefix="rdsemu-ladder-")
        try:
            if self.pinned:
                os.sched_setaffinity(0, {0})
            self.seed = os.path.join(tmp, "seed.json")
            P.write_seed(self.seed)
            workdir = os.path.join(tmp, "native")
            os.makedirs(workdir)
            srv = self.rdsemu(workdir)
            srv.start()
            try:
                self.native(srv, os.path.join(workdir, "rdsemu.db"))
            finally:
                srv.stop()
            cgdir = os.path.join(tmp, "callgrind")
            os.makedirs(cgdir)
            self.callgrind(cgdir)
        finally:
            os.sched_setaffinity(0, self.all_cpus)
            shutil.rmtree(tmp, ignore_errors=True)

    def native(self, srv, db):
        pid = srv.proc.pid
        B.log("ladder: warm-up")
        self.wrk(srv, 2, "warm")
        conn = sqlite3.connect(db, timeout=10)

        def count():
            return conn.execute("SELECT count(*) FROM backups").fetchone()[0]

        try:
            # A: the window measured from outside.
            self.check_deadline()
            poller = WalIndexPoller(db + "-shm")
            poller.start()
            time.sleep(0.1)
            perf = None
            perf_out = os.path.join(self.logdir, "perf-stat.csv")
            if perf_usable():
                perf = subprocess.Popen(["perf", "stat", "-x,", "-o", perf_out, "-e",
                                         ",".join(PERF_EVENTS), "-p", str(pid)],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
                time.sleep(0.2)
            B.log("ladder: run A, %d s" % self.window)
            io0, th0, n0, w0, t0 = read_io(pid), thread_times(pid), count(), poller.snapshot(), \
                time.monotonic()
            wrk = self.wrk(srv, self.window, "A")
            time.sleep(0.3)
            io1, th1, n1, w1, t1 = read_io(pid), thread_times(pid), count(), poller.snapshot(), \
                time.monotonic()
            perf_counts = None
            if perf is not None:
                perf.send_signal(signal.SIGINT)
                try:
                    perf.wait(timeout=15)
                    perf_counts = parse_perf_csv(perf_out)
                except subprocess.TimeoutExpired:
                    perf.kill()
                    perf.wait(timeout=5)
            poller.stop()
            creates = n1 - n0
            if creates <= 0:
                raise B.BenchError("ladder: no create was stored during run A")
            self.result["A"] = {
                "seconds": t1 - t0, "creates": creates, "wrk": wrk,
                "io": {k: io1[k] - io0[k] for k in io1},
                "threads": thread_groups(pid, th0, th1),
                "wal": {k: w1[k] - w0[k] for k in w1}, "page_size": poller.page_size,
                "perf": perf_counts,
            }
            # B: strace, under the same load.
            self.check_deadline()
            B.log("ladder: run B, strace for %d s" % self.strace_s)
            box = {}
            load = threading.Thread(target=lambda: box.update(
                wrk=self.wrk(srv, self.strace_s + 4, "B")), daemon=True)
            load.start()
            time.sleep(1.5)
            out = os.path.join(self.logdir, "strace-c.txt")
            n0, t0 = count(), time.monotonic()
            try:
                subprocess.run(["timeout", "-s", "INT", str(self.strace_s), "strace", "-f", "-c",
                                "-o", out, "-p", str(pid)], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=self.strace_s + 30)
            except subprocess.TimeoutExpired:
                raise B.BenchError("ladder: strace did not stop")
            t1, n1 = time.monotonic(), count()
            load.join(timeout=self.strace_s + 40)
            self.result["B"] = {"seconds": t1 - t0, "creates": n1 - n0,
                                "calls": parse_strace(out) if os.path.exists(out) else {}}
        finally:
            conn.close()

    def callgrind(self, cgdir):
        self.check_deadline()
        B.log("ladder: run C, callgrind: %d creates (after %d to warm up)"
              % (self.cg_creates, CALLGRIND_WARM))
        workdir = os.path.join(cgdir, "server")
        os.makedirs(workdir)
        srv = self.rdsemu(workdir, cls=CallgrindRdsemu, outdir=cgdir)
        srv.start()
        pid = srv.proc.pid
        try:
            tag = "cg%s" % secrets.token_hex(3)
            drive_creates(self.port, CALLGRIND_WARM, CONNS, tag + "w", 300)
            self.callgrind_control("-z", pid)
            t0 = time.monotonic()
            load = drive_creates(self.port, self.cg_creates, CONNS, tag, 900)
            seconds = time.monotonic() - t0
            self.callgrind_control("-d", pid)
        finally:
            srv.stop()
        files = sorted(glob.glob(os.path.join(cgdir, "callgrind.out.%d.1-*" % pid)))
        if not files:
            raise B.BenchError("ladder: callgrind wrote no dump")
        for path in files:  # kept for callgrind_annotate
            shutil.copy(path, self.logdir)
        symbols = object_symbols(os.path.dirname(self.args.binary))
        per_kind = collections.defaultdict(collections.Counter)
        totals = collections.Counter()
        rep = collections.Counter()
        creates = commits = 0
        for path in files:
            prof = Profile(path)
            kind = prof.kind()
            if kind == "checkpointer":
                fam = {"checkpoint_thread": prof.total()}
            elif kind == "others":
                fam = {"others": prof.total()}
            else:
                fam = prof.families(family_function(kind, symbols, self.args.binary))
            per_kind[kind].update(fam)
            per_kind[kind]["unattributed"] += prof.total() - sum(fam.values())
            totals[kind] += prof.total()
            rep[kind] += sum(prof.rep.values())
            if kind == "writer":
                creates += prof.calls_to("create_run")
                commits += prof.calls_to("store_commit")
        self.result["C"] = {"creates_answered": load, "seconds": seconds,
                            "creates": creates, "commits": commits,
                            "families": {k: dict(v) for k, v in per_kind.items()},
                            "totals": dict(totals), "rep_iterations": dict(rep)}

    def callgrind_control(self, what, pid):
        r = subprocess.run(["callgrind_control", what, str(pid)], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        if r.returncode != 0:
            raise B.BenchError("callgrind_control %s failed: %s"
                               % (what, r.stdout.decode("utf-8", "replace")))

    # ------------------------------------------------------------ the tables

    def markdown(self, info):
        a, b, c = self.result["A"], self.result["B"], self.result["C"]
        n = a["creates"]
        rate = n / a["seconds"]
        io, wal, page = a["io"], a["wal"], a["page_size"] or 4096
        lines = []

        def row(*cells):
            lines.append("| " + " | ".join(cells) + " |")

        def fmt(x, digits=1):
            if x is None:
                return ""
            if abs(x) >= 100:
                return "{:,.0f}".format(x)
            return ("%%.%df" % digits) % x

        lines.append("Run A: %d creates in %.1f s (%.0f/s; wrk: %.0f req/s, p50 %.2f ms, "
                     "p99 %.2f ms, %d errors/non-200)."
                     % (n, a["seconds"], rate, a["wrk"]["rps"], a["wrk"]["p50_ms"],
                        a["wrk"]["p99_ms"], a["wrk"]["socket_errors"] + a["wrk"]["timeouts"]
                        + a["wrk"]["non200"]))
        lines.append("")
        row("rung", "per create", "per commit", "per second", "how")
        row("---", "--:", "--:", "--:", "---")
        commits = wal["commits"] or None
        row("(a) bytes written to disk (`write_bytes`)", fmt(io["write_bytes"] / n, 0),
            fmt(io["write_bytes"] / commits, 0) if commits else "",
            fmt(io["write_bytes"] / a["seconds"], 0), "/proc/PID/io, run A")
        row("(a) bytes handed to write calls, sockets included (`wchar`)",
            fmt(io["wchar"] / n, 0), "", fmt(io["wchar"] / a["seconds"], 0), "/proc/PID/io")
        row("(a) write syscalls (`syscw`)", fmt(io["syscw"] / n, 2),
            fmt(io["syscw"] / commits, 1) if commits else "", fmt(io["syscw"] / a["seconds"], 0),
            "/proc/PID/io")
        perf = a.get("perf")
        if perf:
            fs = perf.get("syscalls:sys_enter_fsync", 0) + perf.get(
                "syscalls:sys_enter_fdatasync", 0)
            row("(b) syscalls, all", fmt(perf.get("raw_syscalls:sys_enter", 0) / n, 2), "",
                fmt(perf.get("raw_syscalls:sys_enter", 0) / a["seconds"], 0),
                "`perf stat` on the syscall tracepoints, run A")
            row("(b) fsync + fdatasync", fmt(fs / n, 4), fmt(fs / commits, 4) if commits else "",
                fmt(fs / a["seconds"], 2), "`perf stat`, run A")
            for name in ("pwrite64", "pread64", "futex", "poll", "recvfrom", "sendto", "sendmsg",
                         "write"):
                k = "syscalls:sys_enter_" + name
                if perf.get(k):
                    row("(b) &nbsp; %s" % name, fmt(perf[k] / n, 2), "",
                        fmt(perf[k] / a["seconds"], 0), "`perf stat`")
        if b["creates"] > 0 and b["calls"]:
            calls = b["calls"]
            fs = calls.get("fsync", 0) + calls.get("fdatasync", 0)
            row("(b) syscalls under strace, all", fmt(calls.get("total", 0) / b["creates"], 2),
                "", "", "`strace -f -c -p PID`, %.1f s, %d creates (%.0f/s: ptrace slows it)"
                % (b["seconds"], b["creates"], b["creates"] / b["seconds"]))
            row("(b) fsync + fdatasync under strace", fmt(fs / b["creates"], 4), "",
                fmt(fs / b["seconds"], 2), "strace, per second of the slowed process")
            top = sorted(((v, k) for k, v in calls.items() if k != "total"), reverse=True)[:6]
            for v, k in top:
                row("(b) &nbsp; %s" % k, fmt(v / b["creates"], 2), "", "", "strace")
        if commits:
            fb = page + 24
            row("(c) commits", fmt(commits / n, 3), "1", fmt(commits / a["seconds"], 0),
                "WAL index: iChange (%.1f creates per commit)" % (n / commits))
            row("(c) WAL frames (pages) written", fmt(wal["frames"] / n, 2),
                fmt(wal["frames"] / commits, 1), fmt(wal["frames"] / a["seconds"], 0),
                "WAL index: mxFrame, across %d restarts of the WAL" % wal["resets"])
            row("(c) WAL bytes written", fmt(wal["frames"] * fb / n, 0),
                fmt(wal["frames"] * fb / commits, 0), fmt(wal["frames"] * fb / a["seconds"], 0),
                "frames × (%d-byte page + 24-byte frame header)" % page)
            row("(c) WAL frames checkpointed (each page's latest frame copied into the database)",
                fmt(wal["backfilled"] / n, 2), fmt(wal["backfilled"] / commits, 1),
                fmt(wal["backfilled"] / a["seconds"], 0),
                "WAL index: nBackfill (pages copied: about the pread64 count)")
        # (d) CPU
        groups = a["threads"]
        user = {g: v[0] * TICK_US / n for g, v in groups.items()}
        system = {g: v[1] * TICK_US / n for g, v in groups.items()}
        lines.append("")
        lines.append("(d) CPU per create. Run A (native): %s µs in all (user %s, kernel %s); "
                     "by thread: HTTP workers %s + %s, writer %s + %s, other threads %s + %s "
                     "(user + kernel, µs). Run C (callgrind): %d creates, %.1f creates per "
                     "commit (run A: %s)."
                     % (fmt(sum(user.values()) + sum(system.values())), fmt(sum(user.values())),
                        fmt(sum(system.values())), fmt(user["workers"]), fmt(system["workers"]),
                        fmt(user["writer"]), fmt(system["writer"]), fmt(user["others"]),
                        fmt(system["others"]), c["creates"],
                        c["creates"] / max(c["commits"], 1),
                        fmt(n / commits) if commits else "?"))
        lines.append("")
        row("phase", "thread", "instructions per create (callgrind)", "share of its thread",
            "CPU µs per create")
        row("---", "---", "--:", "--:", "--:")
        fam = c["families"]
        totals = c["totals"]
        cg_n = max(c["creates"], 1)
        kinds_of_group = {"workers": ["workers"], "writer": ["writer"],
                          "others": ["checkpointer", "others"]}
        total_us = 0.0
        for family, group, label in ROWS:
            ir = 0.0
            us = 0.0
            for g, kinds in kinds_of_group.items():
                g_total = sum(totals.get(k, 0) for k in kinds)
                g_ir = sum(fam.get(k, {}).get(family, 0) for k in kinds)
                if g_total > 0:
                    us += user[g] * g_ir / g_total
                ir += g_ir
            g_total = sum(totals.get(k, 0) for k in kinds_of_group.get(group, []))
            total_us += us
            row(label, GROUP_LABELS.get(group, ""), fmt(ir / cg_n, 0),
                "%.0f%%" % (100.0 * ir / g_total) if g_total else "", fmt(us, 2))
        for g, label in (("workers", "kernel, HTTP workers: socket reads and writes, poll"),
                         ("writer", "kernel, writer: WAL writes, futex"),
                         ("others", "kernel, other threads: checkpoint copy and fsync")):
            total_us += system[g]
            row(label, GROUP_LABELS[g], "", "", fmt(system[g], 2))
        row("**total**", "", fmt(sum(totals.values()) / cg_n, 0), "", "**%s**" % fmt(total_us, 1))
        rep = c["rep_iterations"]
        lines.append("")
        lines.append(
            "Instructions: callgrind's count on the Release binary, each function's cost given to "
            "the innermost family on its call path (libc's to its caller's); a `rep stos`/`rep "
            "movs` iteration, which callgrind counts once per byte, counts as 1/%d instruction "
            "(%s such iterations per create on the HTTP workers, %s on the writer). µs: each "
            "thread group's user time per create in run A, split by that group's instruction "
            "shares; kernel time as measured in run A. Instructions are not time: a B-tree page "
            "missed in the cache costs more than its count."
            % (REP_BYTES_PER_INSN, fmt(rep.get("workers", 0) / cg_n, 0),
               fmt(rep.get("writer", 0) / cg_n, 0)))
        return "\n".join(lines)


def run(args):
    info = B.machine_info(args.binary, args.nginx)
    ladder = Ladder(args)
    ladder.run()
    info["loadavg_at_end"] = open("/proc/loadavg").read().split()[:3]
    body = ladder.markdown(info)
    text = ("## Cost ladder per create\n\n%s at %s%s; %s, %s CPUs; load average at start %s, "
            "at end %s. rdsemu (Release, `--sync normal --backup-seconds 0`, %d instances) on "
            "CPU 1, wrk `-t1 -c%d` and the tools on CPU 0.\n\n%s\n"
            % (info["date"], info["git_commit"],
               " (uncommitted changes)" if info["git_dirty"] else "", info["cpu"],
               info["cpus"], " ".join(info["loadavg_at_start"]),
               " ".join(info["loadavg_at_end"]), P.INSTANCES, CONNS, body))
    md = os.path.join(ladder.outdir, "ladder.md")
    with open(md, "w") as f:
        f.write(text)
    path = os.path.join(ladder.outdir, "ladder.json")
    with open(path, "w") as f:
        json.dump(B.rounded({"machine": info, "pinned": ladder.pinned,
                             "window_s": ladder.window, "strace_s": ladder.strace_s,
                             "callgrind_creates": ladder.cg_creates,
                             "rep_bytes_per_instruction": REP_BYTES_PER_INSN,
                             "runs": ladder.result}), f, indent=1)
        f.write("\n")
    print(text)
    print("results: %s, %s; logs, perf, strace and callgrind files: %s"
          % tuple(os.path.relpath(x, B.ROOT) for x in (md, path, ladder.logdir)))
