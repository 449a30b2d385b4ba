"""Peers, one run: nginx, WireMock and rdsemu answering the documented v1 create under the same
wrk settings, in interleaved rounds of the same run (bench/run --peers; also a section of
bench/run's default report). See bench/README.md, "Peers, one run".

For each wrk setting (1 thread, then 2 threads; 32 connections):
  1. the three servers are started, one after the other, each timed from exec to its first
     200 (rdsemu on a fresh database, 200 instances seeded);
  2. each is warmed up: short wrk runs until two in a row are within 3% (bounded);
  3. ROUNDS interleaved rounds: nginx, WireMock, rdsemu, nginx, WireMock, rdsemu, ...;
  4. the resident memory of each is read (VmRSS, VmHWM), and all three are stopped.
With 1 wrk thread, wrk runs on CPU 0 and every server on CPU 1 (taskset); this script pins
itself to CPU 0 too, so its polling never takes the server's core.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time

import bench as B

INSTANCES = 200          # instances seeded (at least CONNS: no two requests in flight share one)
CONNS = 32
ORDER = ("nginx", "wiremock", "rdsemu")
LABELS = {"nginx": "nginx", "wiremock": "WireMock", "rdsemu": "rdsemu"}
WARM_TOLERANCE = 0.03    # two warm-up runs in a row within 3% of each other: warm
# Seconds of warm-up at most: WireMock's JIT needs tens of seconds; nginx and rdsemu have
# nothing to compile, the same rule only shows that they are stable from the start.
WARM_LIMIT = {"wiremock": 90.0, "nginx": 16.0, "rdsemu": 16.0}
# Seconds of warm-up at least: a JIT compiles in tiers, and a plateau of the interpreted or
# first-tier code can look stable.
WARM_MIN = {"wiremock": 40.0, "nginx": 0.0, "rdsemu": 0.0}
WIREMOCK_START_LIMIT = 60.0
SETTLE_CPU = 0.05        # after warm-up: each server idle (under 5% of a core) ...
SETTLE_LIMIT = 10.0      # ... waited for at most 10 s
WIREMOCK_PORT = 18091


def static_create_answer():
    """The create answer nginx returns (bench/nginx.conf, `location /`); WireMock returns the
    same bytes."""
    with open(os.path.join(B.BENCH_DIR, "nginx.conf")) as f:
        conf = f.read()
    m = re.search(r"location / \{[^}]*?return 200 '([^']*)';", conf)
    if m is None:
        raise B.BenchError("bench/nginx.conf: no `return 200 '...'` in `location /`")
    return m.group(1)


def write_seed(path):
    seed = {"projects": [{"id": B.PROJECT, "instances": [
        {"id": "bench-%04d" % i, "name": "bench-%04d" % i,
         "datastore": {"type": "MySQL", "version": "5.6.30"}} for i in range(INSTANCES)]}]}
    with open(path, "w") as f:
        json.dump(seed, f)


class WireMock(B.Server):
    """WireMock standalone (the jar the npm package `wiremock` ships), one stub: the static
    create answer for POST /rds/v1/{project}/backups. No request journal (it would grow by
    every request) and no request logging."""

    name = "wiremock"
    start_limit = WIREMOCK_START_LIMIT

    def __init__(self, java, jar, port, workdir, body):
        super().__init__(port, workdir)
        self.java = java
        self.jar = jar
        os.makedirs(os.path.join(workdir, "mappings"), exist_ok=True)
        os.makedirs(os.path.join(workdir, "__files"), exist_ok=True)
        stub = {"request": {"method": "POST", "urlPathPattern": "/rds/v1/[^/]+/backups"},
                "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                             "body": body}}
        with open(os.path.join(workdir, "mappings", "create.json"), "w") as f:
            json.dump(stub, f)

    def command(self):
        return [self.java, "-jar", self.jar, "--port", str(self.port), "--bind-address", B.HOST,
                "--root-dir", self.workdir, "--disable-banner", "--no-request-journal",
                "--disable-request-logging"]


def cpu_ticks(pids):
    """utime + stime of the processes (all their threads), in clock ticks."""
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()  # fields[0] is field 3 (state)
        total += int(fields[11]) + int(fields[12])
    return total


TICK_MS = 1000.0 / os.sysconf("SC_CLK_TCK")


def first_line(cmd):
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
        return r.stdout.decode("utf-8", "replace").strip().splitlines()[0]
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return None


def wiremock_version(jar):
    m = re.search(r"wiremock-standalone-([0-9][^/]*)\.jar$", jar or "")
    return m.group(1) if m else None


class Peers:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.rounds = 1 if args.quick else 3
        self.duration = 1 if args.quick else 8
        self.warm_run = 1 if args.quick else 2
        self.warm_limit = dict(WARM_LIMIT)
        self.warm_min = dict(WARM_MIN)
        if args.quick:
            self.warm_limit = {"wiremock": 10.0, "nginx": 3.0, "rdsemu": 3.0}
            self.warm_min = {"wiremock": 5.0, "nginx": 0.0, "rdsemu": 0.0}
        if not args.wiremock_jar or not os.path.isfile(args.wiremock_jar):
            raise B.BenchError("WireMock's jar is missing (%s); bench/setup installs it"
                               % args.wiremock_jar)
        self.jar = os.path.abspath(args.wiremock_jar)
        self.java = args.java
        self.port = int(os.environ.get("RDSEMU_BENCH_PORT", "18081"))
        self.nginx_port = int(os.environ.get("RDSEMU_BENCH_NGINX_PORT", "18090"))
        self.wiremock_port = int(os.environ.get("RDSEMU_BENCH_WIREMOCK_PORT",
                                                str(WIREMOCK_PORT)))
        self.extra = shlex.split(os.environ.get("RDSEMU_BENCH_ARGS", ""))
        self.body = static_create_answer()
        self.outdir = os.path.dirname(os.path.abspath(args.out))
        self.logdir = os.path.join(self.outdir, "peers-logs")
        shutil.rmtree(self.logdir, ignore_errors=True)
        os.makedirs(self.logdir)
        self.all_cpus = os.sched_getaffinity(0)
        self.can_pin = {0, 1} <= self.all_cpus
        if not self.can_pin:
            B.log("peers: fewer than 2 CPUs (0 and 1) to run on: nothing is pinned")
        pin2 = os.environ.get("RDSEMU_BENCH_PEERS_PIN2", "") not in ("", "0")
        self.settings = [{"threads": 1, "pinned": self.can_pin},
                         {"threads": 2, "pinned": self.can_pin and pin2}]
        self.samples = []    # one dict per measured wrk run
        self.servers = {}    # per setting and server: start, warm-up, memory, exit code
        self.settled = {}    # per setting: the wait for idle servers after warm-up
        self.deadline = time.monotonic() + (300 if args.quick else 1200)

    def check_deadline(self):
        if time.monotonic() > self.deadline:
            raise B.BenchError("peers: the run took longer than its time limit; stopping")

    def new_server(self, name, tmp):
        workdir = os.path.join(tmp, name)
        os.makedirs(workdir)
        if name == "nginx":
            os.chmod(workdir, 0o755)
            return B.Nginx(self.args.nginx, self.nginx_port, workdir)
        if name == "wiremock":
            return WireMock(self.java, self.jar, self.wiremock_port, workdir, self.body)
        return B.Rdsemu(self.args.binary, self.port, workdir, os.path.join(workdir, "rdsemu.db"),
                        self.seed, ["--sync", "normal"] + self.extra)

    def wrk(self, srv, setting, duration, label):
        return B.run_wrk(os.path.join(B.BENCH_DIR, "create.lua"), srv.port, CONNS, duration,
                         B.PROJECT, self.logdir, label, threads=setting["threads"],
                         cpus="0" if setting["pinned"] else None, instances=INSTANCES)

    def warm(self, name, srv, setting, key):
        """Short wrk runs until two in a row are within WARM_TOLERANCE (after WARM_MIN
        seconds), bounded by WARM_LIMIT seconds."""
        t0 = time.monotonic()
        rates = []
        stable = False
        while True:
            self.check_deadline()
            r = self.wrk(srv, setting, self.warm_run, "%s-warm-%s" % (key, name))
            rates.append(r["rps"])
            if (len(rates) >= 2 and abs(rates[-1] - rates[-2]) <= WARM_TOLERANCE * rates[-2]
                    and time.monotonic() - t0 >= self.warm_min[name]):
                stable = True
                break
            if time.monotonic() - t0 + self.warm_run > self.warm_limit[name]:
                break
        seconds = time.monotonic() - t0
        B.log("  %s warm-up: %d runs, %.1f s, %s (%s req/s)"
              % (name, len(rates), seconds, "stable" if stable else "NOT stable",
                 ", ".join("%.0f" % x for x in rates)))
        return {"seconds": seconds, "runs": len(rates), "stable": stable, "rates": rates}

    def settle(self, running, info, key):
        """Waits until no server uses more than SETTLE_CPU of a core (a JIT still compiling,
        a collector): bounded by SETTLE_LIMIT seconds."""
        t0 = time.monotonic()
        while True:
            before = {n: cpu_ticks(info[n]["pids"]) for n in running}
            time.sleep(0.5)
            busy = {n: (cpu_ticks(info[n]["pids"]) - before[n]) * TICK_MS / 500.0
                    for n in running}
            quiet = all(v <= SETTLE_CPU for v in busy.values())
            if quiet or time.monotonic() - t0 > SETTLE_LIMIT:
                break
        self.settled[key] = {"seconds": time.monotonic() - t0, "quiet": quiet}
        if not quiet:
            B.log("  not quiet after %.0f s: %s" % (SETTLE_LIMIT, ", ".join(
                "%s %.0f%%" % (n, 100 * v) for n, v in busy.items())))

    def run_setting(self, setting):
        key = "t%d" % setting["threads"]
        pinned = setting["pinned"]
        B.log("peers: wrk -t%d -c%d, %s" % (setting["threads"], CONNS,
                                            "wrk on CPU 0, servers on CPU 1" if pinned
                                            else "nothing pinned"))
        os.sched_setaffinity(0, {0} if pinned else self.all_cpus)
        tmp = tempfile.mkdtemp(prefix="rdsemu-peers-%s-" % key)
        os.chmod(tmp, 0o711)  # nginx's worker (another user) reaches its directory
        running = {}
        info = {}
        try:
            for name in ORDER:
                self.check_deadline()
                srv = self.new_server(name, tmp)
                srv.cpus = "1" if pinned else None
                srv.start()
                running[name] = srv
                info[name] = {"start_ms": srv.start_ms, "pids": srv.pids()}
                B.log("  %s started in %.1f ms" % (name, srv.start_ms))
            for name in ORDER:
                info[name]["warm_up"] = self.warm(name, running[name], setting, key)
            self.settle(running, info, key)
            for rnd in range(1, self.rounds + 1):
                for name in ORDER:
                    self.check_deadline()
                    srv = running[name]
                    label = "%s-r%d-%s" % (key, rnd, name)
                    before = {n: cpu_ticks(info[n]["pids"]) for n in ORDER}
                    result = self.wrk(srv, setting, self.duration, label)
                    after = {n: cpu_ticks(info[n]["pids"]) for n in ORDER}
                    if not srv.alive():
                        raise B.BenchError("%s died during the run (code %s): %s"
                                           % (name, srv.proc.returncode, srv.stderr_tail()))
                    cpu_ms = {n: (after[n] - before[n]) * TICK_MS for n in ORDER}
                    result.update({
                        "setting": key, "round": rnd, "server": name,
                        "server_cpu_ms": cpu_ms[name],
                        "cpu_us_per_request": (cpu_ms[name] * 1000.0 / result["requests"]
                                               if result["requests"] else None),
                        "idle_servers_cpu_ms": {n: v for n, v in cpu_ms.items() if n != name},
                    })
                    self.samples.append(result)
                    errors = result["socket_errors"] + result["timeouts"] + result["non200"]
                    B.log("  %s: %.0f req/s, p50 %.2f ms, p99 %.2f ms%s"
                          % (label, result["rps"], result["p50_ms"], result["p99_ms"],
                             ", %d errors/timeouts/non-200" % errors if errors else ""))
            for name in ORDER:
                pids = running[name].pids()
                info[name]["rss_kb"] = sum(B.read_status_kb(p, "VmRSS") or 0 for p in pids)
                info[name]["hwm_kb"] = sum(B.read_status_kb(p, "VmHWM") or 0 for p in pids)
        finally:
            for name, srv in running.items():
                info[name]["exit_code"] = srv.stop()
            os.sched_setaffinity(0, self.all_cpus)
            shutil.rmtree(tmp, ignore_errors=True)
        for name in ORDER:
            code = info[name].get("exit_code")
            # The JVM exits with 128 + 15 on SIGTERM.
            if code not in (0, None) and not (name == "wiremock" and code == 143):
                B.log("warning: %s exited with code %s" % (name, code))
        self.servers[key] = info

    def run(self):
        self.tmp = tempfile.mkdtemp(prefix="rdsemu-peers-")
        try:
            os.chmod(self.tmp, 0o711)
            self.seed = os.path.join(self.tmp, "seed.json")
            write_seed(self.seed)
            for setting in self.settings:
                self.run_setting(setting)
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # ------------------------------------------------------------ summary

    def rows(self):
        def per_round_ratio(mine, ref):
            r = []
            for a in mine:
                b = [x for x in ref if x["round"] == a["round"]]
                if b and b[0]["rps"] > 0:
                    r.append(a["rps"] / b[0]["rps"])
            return B.median(r)

        rows = []
        for setting in self.settings:
            key = "t%d" % setting["threads"]
            got = {n: [s for s in self.samples if s["setting"] == key and s["server"] == n]
                   for n in ORDER}
            for name in ORDER:
                g = got[name]
                if not g:
                    continue
                info = self.servers.get(key, {}).get(name, {})
                rps = [x["rps"] for x in g]
                rows.append({
                    "setting": key, "wrk_threads": setting["threads"],
                    "pinned": setting["pinned"], "server": name, "rounds": len(g),
                    "rps": B.median(rps), "rps_min": min(rps), "rps_max": max(rps),
                    "ratio_nginx": per_round_ratio(g, got["nginx"]),
                    "ratio_wiremock": per_round_ratio(g, got["wiremock"]),
                    "p50_ms": B.median([x["p50_ms"] for x in g]),
                    "p99_ms": B.median([x["p99_ms"] for x in g]),
                    "cpu_us_per_request": B.median([x["cpu_us_per_request"] for x in g]),
                    "rss_mb": info.get("rss_kb", 0) / 1024.0,
                    "hwm_mb": info.get("hwm_kb", 0) / 1024.0,
                    "start_ms": info.get("start_ms"),
                    "warm_up": info.get("warm_up"),
                    "socket_errors": sum(x["socket_errors"] for x in g),
                    "timeouts": sum(x["timeouts"] for x in g),
                    "non200": sum(x["non200"] for x in g),
                })
        return rows

    def markdown(self, rows, info):
        head = ["wrk", "server", "req/s (median)", "range", "× nginx", "× WireMock", "p50 ms",
                "p99 ms", "RSS MB after (VmRSS / VmHWM)", "start ms", "warm-up",
                "CPU µs/req", "sock err", "timeouts", "non-200"]
        align = ["---", "---"] + ["--:"] * (len(head) - 2)
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]

        def fmt_ratio(x):
            return "" if x is None else ("%.3f" % x if x < 1 else "%.2f" % x)

        def fmt_ms(x):
            return "" if x is None else ("%.0f" % x if x >= 100 else "%.1f" % x)

        for r in rows:
            w = r["warm_up"] or {}
            warm = ("%d runs, %.0f s%s" % (w["runs"], w["seconds"],
                                           "" if w["stable"] else ", not stable")
                    if w else "")
            wrk = "-t%d -c%d%s" % (r["wrk_threads"], CONNS, ", pinned" if r["pinned"] else "")
            lines.append("| " + " | ".join([
                wrk, LABELS[r["server"]], "%.0f" % r["rps"],
                "%.0f–%.0f" % (r["rps_min"], r["rps_max"]),
                fmt_ratio(r["ratio_nginx"]), fmt_ratio(r["ratio_wiremock"]),
                "%.2f" % r["p50_ms"], "%.2f" % r["p99_ms"],
                "%.1f / %.1f" % (r["rss_mb"], r["hwm_mb"]), fmt_ms(r["start_ms"]), warm,
                "" if r["cpu_us_per_request"] is None else "%.1f" % r["cpu_us_per_request"],
                str(r["socket_errors"]), str(r["timeouts"]), str(r["non200"])]) + " |")
        idle = {}
        for s in self.samples:
            for n, v in s["idle_servers_cpu_ms"].items():
                idle[n] = max(idle.get(n, 0.0), v)
        notes = [
            "",
            "%s; %s, %s CPUs; load average at start %s, at end %s."
            % (info["date"], info["cpu"], info["cpus"], " ".join(info["loadavg_at_start"]),
               " ".join(info["loadavg_at_end"])),
            "rdsemu %s at %s%s (Release, `--sync normal --backup-seconds 0`, %d instances, "
            "default threads: %s); %s, 1 worker; WireMock %s on %s (`--no-request-journal "
            "--disable-request-logging`); %s."
            % ((info["rdsemu"] or "?").replace("rdsemu ", ""), info["git_commit"],
               " (uncommitted changes)" if info["git_dirty"] else "", INSTANCES,
               self.rdsemu_threads(), info["nginx"], info["wiremock"], info["java"],
               info["wrk"]),
            "%d interleaved round%s of %d s (nginx, WireMock, rdsemu, ...) per wrk setting, "
            "32 connections, the documented v1 create (`bench/create.lua`, a unique name per "
            "request). Pinned: wrk on CPU 0, each server on CPU 1 (`taskset`); else nothing is "
            "pinned. Ratios: median over rounds of the per-round ratio. Warm-up: %d-s runs "
            "until two in a row are within %.0f%% (WireMock: after %.0f s at least), at most "
            "%.0f s (WireMock), %.0f s (the others). CPU µs/req: the server's CPU time (all "
            "threads, user + kernel) over the requests of its runs. Idle while another was "
            "measured, the servers used at most: %s of CPU per %d-s run."
            % (self.rounds, "" if self.rounds == 1 else "s", self.duration, self.warm_run,
               100 * WARM_TOLERANCE, self.warm_min["wiremock"], self.warm_limit["wiremock"],
               self.warm_limit["nginx"],
               ", ".join("%s %.0f ms" % (LABELS[n], idle.get(n, 0)) for n in ORDER),
               self.duration),
        ]
        return "\n".join(lines + notes)

    def rdsemu_threads(self):
        for arg in self.extra:
            if arg.startswith("--threads"):
                return " ".join(self.extra)
        return "%d HTTP workers (one per online CPU; pinning does not change it), one writer" \
            % (os.sysconf("SC_NPROCESSORS_ONLN"))


def run(args):
    info = B.machine_info(args.binary, args.nginx)
    info["java"] = first_line([args.java, "-version"])
    info["wiremock"] = wiremock_version(args.wiremock_jar)
    wrk = first_line(["wrk", "-v"]) or ""  # exits 1 after printing its version
    info["wrk"] = wrk.split(" [")[0] or None
    t0 = time.monotonic()
    peers = Peers(args)
    peers.run()
    info["loadavg_at_end"] = open("/proc/loadavg").read().split()[:3]
    info["seconds"] = round(time.monotonic() - t0, 1)
    rows = peers.rows()
    text = "## Peers, one run\n\n" + peers.markdown(rows, info) + "\n"
    md = os.path.join(peers.outdir, "peers.md")
    with open(md, "w") as f:
        f.write(text)
    results = {"machine": info,
               "settings": {"rounds": peers.rounds, "duration_s": peers.duration,
                            "connections": CONNS, "instances": INSTANCES,
                            "wrk_settings": peers.settings, "warm_up_run_s": peers.warm_run,
                            "warm_up_tolerance": WARM_TOLERANCE,
                            "warm_up_limit_s": peers.warm_limit,
                            "rdsemu_extra_args": peers.extra},
               "servers": peers.servers, "settled": peers.settled, "summary": rows,
               "samples": peers.samples}
    path = os.path.join(peers.outdir, "peers.json")
    with open(path, "w") as f:
        json.dump(B.rounded(results), f, indent=1)
        f.write("\n")
    print(text)
    print("results: %s, %s; wrk output: %s" % tuple(os.path.relpath(x, B.ROOT)
                                                     for x in (md, path, peers.logdir)))
