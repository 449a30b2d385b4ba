#!/usr/bin/python3
"""The recipes of docs/testing.md, run against the built binary, so they cannot rot.

    /usr/bin/python3 recipes_test.py RDSEMU SOURCE_DIR

Every block of docs/testing.md that follows a `<!-- recipe: NAME -->` line is a recipe; it is
taken as written (nothing is edited but the address of the server it talks to) and:

- pytest (conftest.py, test_backups.py): run with `python3 -m pytest`, the fixture starting the
  built binary (RDSEMU_BIN); every test passes, and the fixture checks the server exits 0;
- Go (go.mod, main_test.go, backups_test.go): run with `go test` in a temporary module, with
  GOPROXY=off, GOFLAGS unset and a temporary GOPATH and GOCACHE (nothing may be downloaded);
- shell (with-rdsemu.sh): the command sees a live server at RDSEMU_URL, the command's status
  is the script's, the server is gone afterwards, a server that cannot start fails the script;
- parallel runners: pytest with `-n 3` (one server per worker) and, through with-rdsemu.sh, one
  server shared by three workers, whose journal must show requests of several workers'
  projects, and every project deleted at the end;
- GitHub Actions, GitLab CI, docker-compose (github-workflow.yml, gitlab-ci.yml, compose.yaml):
  the YAML is parsed and its structure checked (the image, the ports, the health command,
  every RDSEMU_* variable an option of `rdsemu --help`, the seed one of docs/examples, the
  tests using the published port or the service's alias and port); the binary is started
  with the service's variables and the job's steps that talk to the emulator are run against
  it; `rdsemu health` is run against it (when this rdsemu has that subcommand);
  compose_recipe.sh, which runs the compose service with podman, is run against a stand-in
  for podman (podman_standin.py) that runs the built binary;
- Terraform (main.tf, credentials.json, terraform-seed.json): the requests the huaweicloud
  provider sends for a huaweicloud_rds_backup create, read and delete (traced from its code:
  the same headers, body bytes and SDK-HMAC-SHA256 signature) are replayed against rdsemu
  started with --auth tokens, that credentials file and that seed, and every answer the
  provider depends on is checked;
- Terraform, Open Telekom Cloud (otc.tf): the provider block is checked (auth_url ending in
  /v3, tenant_name the default --region, the access key of credentials.json on tenant_id), and
  the provider's configuration is replayed against rdsemu started with --auth tokens and the
  same files: the identity catalog for tenant_id and for the domain, signed with the
  Credential= form as gophertelekomcloud signs, then a backup created and listed through the
  catalog's URL.

Also run as `recipes_test.py --compose-podman-args DOC` by compose_recipe.sh: prints, as shell
assignments, the podman arguments of the compose recipe's service.

The last line is "N passed, M failed"; the exit status is 0 only when nothing failed.
Needs Debian's python3-yaml, python3-pytest, python3-pytest-xdist, golang-go and curl.
"""

import datetime
import http.client
import json
import os
import re
import selectors
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

import yaml

START_TIMEOUT = 15
STOP_TIMEOUT = 15
HTTP_TIMEOUT = 15
RUN_TIMEOUT = 120  # seconds for one recipe's command (pytest, go test, a CI step)
RECIPE_RE = re.compile(r"^<!--\s*recipe:\s*(\S+)\s*-->\s*$")
FENCE_RE = re.compile(r"^```\s*([A-Za-z0-9_+-]*)\s*$")
LISTEN_RE = re.compile(r"^rdsemu listening on (http://127\.0\.0\.1:(\d+))\s*$")
V3_TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$")
EXPECTED = ("conftest.py", "test_backups.py", "go.mod", "main_test.go", "backups_test.go",
            "with-rdsemu.sh", "github-workflow.yml", "gitlab-ci.yml", "compose.yaml",
            "main.tf", "credentials.json", "terraform-seed.json", "otc.tf")
IMAGE_EXAMPLES = "/usr/share/rdsemu/examples/"
IMAGE_DEFAULTS = {"RDSEMU_LISTEN": "0.0.0.0:8080", "RDSEMU_DB": "/data/rdsemu.db"}
IMAGE_NAME = "rdsemu:latest"
PYTEST_TESTS = 4  # test_backups.py: three parametrized runs and the clock test


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.failures = []

    def check(self, cond, what, detail=""):
        if cond:
            self.passed += 1
            print("ok   " + what, flush=True)
        else:
            self.failed += 1
            self.failures.append(what)
            print("FAIL " + what + (("\n     " + str(detail).replace("\n", "\n     "))
                                    if detail else ""), flush=True)
        return cond


R = Results()
STARTED = time.monotonic()


def section(title):
    print("\n== [%4.1f s] %s" % (time.monotonic() - STARTED, title), flush=True)


# --- the recipes ------------------------------------------------------------------------------

class Recipe:
    def __init__(self, name, line, lang, text):
        self.name = name
        self.line = line
        self.lang = lang
        self.text = text


def recipes_of(path):
    """{name: Recipe} of every fenced block right after a `<!-- recipe: NAME -->` line."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out = {}
    for i, line in enumerate(lines):
        m = RECIPE_RE.match(line.strip())
        if not m:
            continue
        fence = FENCE_RE.match(lines[i + 1].strip()) if i + 1 < len(lines) else None
        if fence is None:
            raise ValueError("%s:%d: recipe %s is not followed by a fenced block"
                             % (path, i + 1, m.group(1)))
        j = i + 2
        while j < len(lines) and lines[j].strip() != "```":
            j += 1
        if m.group(1) in out:
            raise ValueError("%s:%d: recipe %s given twice" % (path, i + 1, m.group(1)))
        out[m.group(1)] = Recipe(m.group(1), i + 3, fence.group(1), "\n".join(lines[i + 2:j]) + "\n")
    return out


def write_recipes(recipes, names, directory, executable=()):
    os.makedirs(directory, exist_ok=True)
    for name in names:
        path = os.path.join(directory, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(recipes[name].text)
        if name in executable:
            os.chmod(path, 0o755)


# --- servers and requests ---------------------------------------------------------------------

class Server:
    """The built binary on a free port and a database of its own."""

    def __init__(self, binary, workdir, args=(), env_extra=None, name="rdsemu"):
        env = {k: v for k, v in os.environ.items() if not k.startswith("RDSEMU_")}
        env.update(env_extra or {})
        env["RDSEMU_LISTEN"] = "127.0.0.1:0"
        env["RDSEMU_DB"] = os.path.join(workdir, name + ".db")
        self.log_path = os.path.join(workdir, name + ".log")
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen([binary, *args], cwd=workdir, env=env,
                                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=log)
        line = read_line(self.proc, START_TIMEOUT)
        m = LISTEN_RE.match(line)
        if not m:
            self.stop()
            raise RuntimeError("rdsemu did not start: %r; its log:\n%s" % (line, self.log()))
        self.url = m.group(1)
        self.port = int(m.group(2))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        return self.proc.returncode

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()


def read_line(proc, timeout):
    """The first line of proc's stdout, waiting at most `timeout` seconds ('' if none)."""
    line = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                break
            chunk = os.read(proc.stdout.fileno(), 1)
            if not chunk:
                break
            line += chunk
    return line.decode("utf-8", "replace")


def http_call(url, method, path, body=None, headers=None):
    """(status, headers, raw body) of one request; status None when nothing answered."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=HTTP_TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    except OSError as e:
        return None, {}, str(e).encode()
    finally:
        conn.close()


def control(url, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if data is not None else {}
    status, _h, raw = http_call(url, method, path, data, headers)
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw


def refuses_connections(url):
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=2):
            return False
    except OSError:
        return True


def run(cmd, cwd, env, timeout=RUN_TIMEOUT):
    """(exit status, output); status None on a timeout."""
    try:
        done = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        return done.returncode, done.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode("utf-8", "replace") if e.stdout else ""
        return None, out + "\n(did not finish within %d s)" % timeout


def tail(text, lines=40):
    return "\n".join(text.rstrip("\n").split("\n")[-lines:])


def pytest_summary(output):
    """The counts of pytest's last line, e.g. {'passed': 3, 'skipped': 1}."""
    for line in reversed(output.strip().split("\n")):
        counts = dict((w, int(n)) for n, w in re.findall(r"(\d+) (passed|failed|skipped|errors?)",
                                                          line))
        if counts:
            return counts
    return {}


PYTHON_BIN = []  # a directory whose python3 is this interpreter (the one with pytest), first


def base_env(binary):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RDSEMU_")}
    env["PATH"] = os.pathsep.join(PYTHON_BIN + [env.get("PATH", "")])
    env["RDSEMU_BIN"] = binary
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


# --- pytest and the parallel runners ----------------------------------------------------------

def check_pytest(binary, recipes, work):
    section("pytest (conftest.py, test_backups.py)")
    tests = os.path.join(work, "pytest")
    write_recipes(recipes, ("conftest.py", "test_backups.py"), tests)
    env = base_env(binary)
    status, out = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                       "--basetemp", os.path.join(work, "pytest-tmp")], tests, env)
    R.check(status == 0 and pytest_summary(out) == {"passed": PYTEST_TESTS},
            "pytest: the fixture starts the binary, %d tests pass, the server exits 0"
            % PYTEST_TESTS, tail(out))

    section("parallel runners: one server per worker (pytest -n 3)")
    basetemp = os.path.join(work, "xdist-tmp")
    status, out = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "3",
                       "--basetemp", basetemp], tests, env)
    R.check(status == 0 and pytest_summary(out) == {"passed": PYTEST_TESTS},
            "pytest -n 3: every test passes, each worker's server exits 0", tail(out))
    logs = []
    for root, _dirs, files in os.walk(basetemp):
        logs += [os.path.join(root, f) for f in files if f == "rdsemu.log"]
    workers = {p.split(os.sep)[len(basetemp.split(os.sep))] for p in logs}
    R.check(len(logs) >= 2 and len(workers) == len(logs),
            "pytest -n 3: the workers started servers of their own, each with its own database "
            "(%d servers)" % len(logs), logs)
    return tests


SHARED_CHECK = r'''
import json, re, subprocess, sys, urllib.request
url = sys.argv[1]
done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "3"],
                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
with urllib.request.urlopen(url + "/_emulator/requests") as resp:
    journal = json.load(resp)["requests"]
projects = sorted({m.group(0) for e in journal
                   for m in [re.search(r"test-gw\d+-[0-9a-f]{32}", e["path"])] if m})
left = {}
for p in projects:
    with urllib.request.urlopen(url + "/_emulator/projects/" + p + "/instances") as resp:
        left[p] = len(json.load(resp)["instances"])
print(done.stdout.decode())
print("SHARED " + json.dumps({"status": done.returncode, "projects": projects, "left": left,
                               "statuses": sorted({e["status"] for e in journal})}))
'''


def check_shell(binary, recipes, work, tests):
    section("shell (with-rdsemu.sh)")
    bindir = os.path.join(work, "shell")
    write_recipes(recipes, ("with-rdsemu.sh",), bindir, executable=("with-rdsemu.sh",))
    script = os.path.join(bindir, "with-rdsemu.sh")
    env = base_env(binary)

    url_file = os.path.join(bindir, "url")
    status, out = run([script, "bash", "-c",
                       'curl -fsS "$RDSEMU_URL/_emulator/health" && echo "$RDSEMU_URL" > "$0"',
                       url_file], bindir, env, timeout=60)
    url = open(url_file).read().strip() if os.path.exists(url_file) else ""
    R.check(status == 0 and '"status":"ok"' in out and url.startswith("http://127.0.0.1:"),
            "with-rdsemu.sh: the command sees a live server at RDSEMU_URL (%s)" % url, tail(out))
    R.check(url != "" and refuses_connections(url),
            "with-rdsemu.sh: the server is stopped when the command ends")

    status, out = run([script, "bash", "-c", 'echo "$RDSEMU_URL" > "$0"; exit 3', url_file],
                      bindir, env, timeout=60)
    url = open(url_file).read().strip()
    R.check(status == 3 and refuses_connections(url),
            "with-rdsemu.sh: a failing command's status (3) is the script's, the server stopped",
            "status %s\n%s" % (status, tail(out)))

    started = time.monotonic()
    status, out = run([script, "true"], bindir, dict(env, RDSEMU_BIN="/bin/false"), timeout=60)
    R.check(status == 1 and "exited before listening" in out and time.monotonic() - started < 15,
            "with-rdsemu.sh: a server that cannot start fails the script at once",
            "status %s\n%s" % (status, tail(out)))

    # A cancelled job: SIGTERM to the script while the command runs (bash acts on it once the
    # command has ended).
    status, out = run([script, "bash", "-c", 'echo "$RDSEMU_URL" > "$0"; kill -TERM $PPID; sleep 1',
                       url_file], bindir, env, timeout=60)
    url = open(url_file).read().strip()
    R.check(status == 143 and refuses_connections(url),
            "with-rdsemu.sh: SIGTERM (a cancelled job) stops the server, the script exits 143",
            "status %s\n%s" % (status, tail(out)))

    section("parallel runners: one server, one project per worker (with-rdsemu.sh, -n 3)")
    checker = os.path.join(work, "shared_check.py")
    with open(checker, "w") as f:
        f.write(SHARED_CHECK)
    status, out = run([script, "bash", "-c", 'exec "$0" "$1" "$RDSEMU_URL"', sys.executable,
                       checker], tests, env)
    m = re.search(r"^SHARED (.*)$", out, re.M)
    shared = json.loads(m.group(1)) if m else {}
    R.check(status == 0 and shared.get("status") == 0
            and pytest_summary(out) == {"passed": PYTEST_TESTS - 1, "skipped": 1},
            "one shared server, pytest -n 3: %d tests pass, the clock test is skipped"
            % (PYTEST_TESTS - 1), tail(out))
    workers = {p.split("-")[1] for p in shared.get("projects", [])}
    R.check(len(shared.get("projects", [])) == PYTEST_TESTS - 1 and len(workers) >= 2,
            "one shared server: the journal shows %d projects of %d workers (%s)"
            % (len(shared.get("projects", [])), len(workers), ", ".join(sorted(workers))),
            shared)
    R.check(shared.get("left") and not any(shared["left"].values())
            and shared.get("statuses") == [200],
            "one shared server: every request succeeded and every test's project was deleted",
            shared)


# --- Go -------------------------------------------------------------------------------------

def start_go(binary, recipes, work):
    """Starts `go test` in the background (it compiles for a while); check_go collects it."""
    section("Go (go.mod, main_test.go, backups_test.go): started in the background")
    module = os.path.join(work, "go")
    write_recipes(recipes, ("go.mod", "main_test.go", "backups_test.go"), module)
    go = shutil.which("go")
    if go is None:
        return None
    env = base_env(binary)
    env.pop("GOFLAGS", None)
    env.pop("GO111MODULE", None)
    env.update(GOPROXY="off", GOPATH=os.path.join(work, "gopath"), GOENV="off",
               GOCACHE=os.path.join(work, "gocache"), GOTOOLCHAIN="local")
    out = open(os.path.join(work, "go-test.out"), "wb")
    proc = subprocess.Popen([go, "test", "-count=1", "-v", "./..."], cwd=module, env=env,
                            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    out.close()
    return proc


def check_go(proc, work):
    section("Go: go test")
    if not R.check(proc is not None, "go is installed (Debian golang-go)"):
        return
    try:
        status = proc.wait(RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        status = proc.wait()
    with open(os.path.join(work, "go-test.out"), encoding="utf-8", errors="replace") as f:
        out = f.read()
    R.check(status == 0 and "--- PASS: TestCreateThenList" in out and re.search(r"^ok\s", out, re.M),
            "go test: TestMain starts the binary, TestCreateThenList passes, the server exits 0",
            tail(out))
    downloads = os.path.join(work, "gopath", "pkg", "mod", "cache", "download")
    R.check(not os.path.exists(downloads) or not os.listdir(downloads),
            "go test: nothing downloaded (GOPROXY=off, no requirements)")


# --- the CI service containers ----------------------------------------------------------------

def rdsemu_options(binary):
    out = subprocess.run([binary, "--help"], stdout=subprocess.PIPE, check=True).stdout.decode()
    return set(re.findall(r"\bRDSEMU_[A-Z_]+\b", out))


def split_port(spec):
    """'8080:8080', '127.0.0.1:8080:8080' or '8080' -> (host ip or None, host port, container)."""
    parts = str(spec).split("/")[0].split(":")
    if len(parts) == 1:
        return None, None, int(parts[0])
    if len(parts) == 2:
        return None, int(parts[0]), int(parts[1])
    return parts[0], int(parts[1]) if parts[1] else None, int(parts[2])


def listen_port(env):
    listen = env.get("RDSEMU_LISTEN", IMAGE_DEFAULTS["RDSEMU_LISTEN"])
    return int(listen.rsplit(":", 1)[1])


def check_service_env(what, env, options, source_dir):
    """Variables of the service: real options, the seed one of docs/examples. Returns the env to
    start the local binary with (the seed path mapped to the repository's copy)."""
    unknown = sorted(k for k in env if k.startswith("RDSEMU_") and k not in options)
    R.check(env and not unknown, "%s: every RDSEMU_* variable (%s) is an option of rdsemu --help"
            % (what, ", ".join(sorted(env))), "not options: %s" % unknown)
    R.check(all(isinstance(v, str) for v in env.values()),
            "%s: every variable's value is a string in the YAML" % what, env)
    local = {k: str(v) for k, v in env.items()}
    seed = local.get("RDSEMU_SEED")
    if seed is not None:
        name = seed[len(IMAGE_EXAMPLES):] if seed.startswith(IMAGE_EXAMPLES) else None
        path = os.path.join(source_dir, "docs", "examples", name) if name else None
        R.check(path is not None and "/" not in name and os.path.isfile(path),
                "%s: RDSEMU_SEED is one of the image's examples (%s)" % (what, seed))
        if path:
            local["RDSEMU_SEED"] = path
    if "RDSEMU_LISTEN" in local:
        R.check(local["RDSEMU_LISTEN"].startswith("0.0.0.0:"),
                "%s: RDSEMU_LISTEN listens on every interface of the container" % what)
    return local


def seed_applied(server, env):
    seed = env.get("RDSEMU_SEED")
    if seed is None:
        return True
    with open(seed) as f:
        doc = json.load(f)
    for project in doc["projects"]:
        status, body = control(server.url, "GET", "/_emulator/projects/%s/instances" % project["id"])
        if status != 200 or len(body["instances"]) != len(project.get("instances", [])):
            return False
    return True


def health_subcommand(binary, server, what):
    """Runs `rdsemu health` against the server, as the health check does in the image (the URL
    derived from RDSEMU_LISTEN), and with the URL given; and against a closed port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RDSEMU_")}
    env["RDSEMU_LISTEN"] = "127.0.0.1:%d" % server.port
    done = subprocess.run([binary, "health"], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=30)
    if done.returncode == 2 and b"unexpected argument 'health'" in done.stderr:
        print("note %s: this rdsemu has no health subcommand yet: `rdsemu health` not run" % what)
        return
    R.check(done.returncode == 0, "%s: `rdsemu health` exits 0 against the live server" % what,
            done.stderr.decode(errors="replace"))
    done = subprocess.run([binary, "health", server.url], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=30)
    R.check(done.returncode == 0, "%s: `rdsemu health URL` exits 0 against the live server"
            % what, done.stderr.decode(errors="replace"))
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    done = subprocess.run([binary, "health", "http://127.0.0.1:%d" % port], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    R.check(done.returncode != 0, "%s: `rdsemu health` fails when nothing listens" % what)


def run_steps(what, steps, address, server, tests, binary):
    """Runs each (name, script, env) step, in bash -e, with `address` replaced by the server's."""
    for name, script, step_env in steps:
        env = base_env(binary)
        env.update({k: str(v).replace(address, "127.0.0.1:%d" % server.port)
                    for k, v in step_env.items()})
        status, out = run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                           script.replace(address, "127.0.0.1:%d" % server.port)], tests, env)
        counts = pytest_summary(out) if "pytest" in script else None
        R.check(status == 0 and (counts is None or (counts.get("passed") and not counts.get("failed"))),
                "%s: the step '%s' passes against the live server" % (what, name), tail(out))


def check_github(binary, recipe, options, source_dir, work, tests):
    what = "GitHub Actions"
    section("%s (github-workflow.yml)" % what)
    doc = yaml.safe_load(recipe.text)
    jobs = doc.get("jobs", {}) if isinstance(doc, dict) else {}
    job = next((j for j in jobs.values() if isinstance(j, dict) and "services" in j), None)
    if not R.check(job is not None and "rdsemu" in job["services"],
                   "%s: a job with a service rdsemu" % what, doc):
        return
    svc = job["services"]["rdsemu"]
    R.check(str(svc.get("image", "")).endswith(IMAGE_NAME), "%s: the service's image is %s"
            % (what, IMAGE_NAME), svc.get("image"))
    env = svc.get("env", {})
    local = check_service_env(what, env, options, source_dir)
    ports = [split_port(p) for p in svc.get("ports", [])]
    published = [(ip, h, c) for ip, h, c in ports if c == listen_port(env) and h]
    if not R.check(published, "%s: the container's port %d is published" % (what, listen_port(env)),
                   svc.get("ports")):
        return
    host_port = published[0][1]
    opts = shlex.split(svc.get("options", ""))
    flags = {opts[i]: opts[i + 1] for i in range(0, len(opts) - 1) if opts[i].startswith("--")}
    R.check(flags.get("--health-cmd") == "rdsemu health"
            and all(f in flags for f in ("--health-interval", "--health-timeout", "--health-retries")),
            "%s: the health command is `rdsemu health`, with its interval, timeout and retries"
            % what, flags)
    address = "127.0.0.1:%d" % host_port
    steps = []
    for step in job.get("steps", []):
        script = step.get("run")
        step_env = step.get("env", {}) or {}
        if script and (address in script or any(address in str(v) for v in step_env.values())):
            steps.append((step.get("name", script.split("\n")[0]), script, step_env))
    R.check(len(steps) >= 2 and any(
        str(e.get("RDSEMU_URL")) == "http://" + address and "pytest" in s for _n, s, e in steps),
        "%s: the steps talk to the published port (%s), the tests get RDSEMU_URL" % (what, address),
        [n for n, _s, _e in steps])
    server = Server(binary, work, env_extra=local, name="github")
    try:
        R.check(seed_applied(server, local), "%s: the binary starts with the service's variables, "
                "the seed applied" % what)
        run_steps(what, steps, address, server, tests, binary)
        health_subcommand(binary, server, what)
    finally:
        code = server.stop()
    R.check(code == 0, "%s: the server exits 0 on SIGTERM" % what, server.log())


def check_gitlab(binary, recipe, options, source_dir, work, tests):
    what = "GitLab CI"
    section("%s (gitlab-ci.yml)" % what)
    doc = yaml.safe_load(recipe.text)
    job = next((j for j in doc.values() if isinstance(j, dict) and "services" in j), None) \
        if isinstance(doc, dict) else None
    if not R.check(job is not None, "%s: a job with services" % what, doc):
        return
    svc = next((s for s in job["services"] if isinstance(s, dict)
                and str(s.get("name", "")).endswith(IMAGE_NAME)), None)
    if not R.check(svc is not None and svc.get("alias"),
                   "%s: a service of the image %s, with an alias" % (what, IMAGE_NAME),
                   job["services"]):
        return
    env = svc.get("variables", {})
    local = check_service_env(what, env, options, source_dir)
    job_vars = {k: str(v) for k, v in (job.get("variables") or {}).items()}
    address = "%s:%d" % (svc["alias"], listen_port(env))
    R.check(job_vars.get("RDSEMU_URL") == "http://" + address,
            "%s: the tests reach the service by its alias and the container's port (%s)"
            % (what, address), job_vars)
    script = "\n".join(job.get("script", []))
    R.check("$RDSEMU_URL" in script and "pytest" in script and "_emulator/health" in script,
            "%s: the script waits for the health route, then runs the tests" % what, script)
    # GitLab gives the job's variables to the services too: rdsemu must start with them.
    server = Server(binary, work, env_extra=dict(job_vars, **local), name="gitlab")
    try:
        R.check(seed_applied(server, local), "%s: the binary starts with the job's and the "
                "service's variables, the seed applied" % what)
        run_steps(what, [("script", script, job_vars)], address, server, tests, binary)
    finally:
        code = server.stop()
    R.check(code == 0, "%s: the server exits 0 on SIGTERM" % what, server.log())


def compose_service(recipe):
    doc = yaml.safe_load(recipe.text)
    return doc["services"]["rdsemu"]


def duration_seconds(value):
    """A compose duration ('2s', '1m30s', '500ms') in seconds."""
    total = 0.0
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6}
    text = str(value)
    for number, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", text):
        total += float(number) * units[unit]
    if not re.fullmatch(r"((\d+(?:\.\d+)?)(ms|us|h|m|s))+", text):
        raise ValueError("not a duration: %r" % value)
    return total


def compose_podman_args(doc_path):
    """The compose recipe's rdsemu service as `podman run` arguments, and how to wait for it."""
    recipe = recipes_of(doc_path)["compose.yaml"]
    svc = compose_service(recipe)
    env = {k: str(v) for k, v in (svc.get("environment") or {}).items()}
    container_port = listen_port(env)
    args = []
    for spec in svc.get("ports", []):
        ip, _host, cport = split_port(spec)
        # The host port is left to podman (a free one, so that runs never collide), on the
        # loopback address like the recipe's.
        args += ["-p", "%s::%d" % (ip or "127.0.0.1", cport)]
    for k, v in env.items():
        args += ["-e", "%s=%s" % (k, v)]
    hc = svc["healthcheck"]
    test = hc["test"]
    if isinstance(test, str):
        cmd = test
    elif test[0] == "CMD":
        cmd = json.dumps(test[1:])
    elif test[0] == "CMD-SHELL":
        cmd = test[1]
    else:
        raise ValueError("healthcheck.test must start with CMD or CMD-SHELL")
    interval = duration_seconds(hc.get("interval", "30s"))
    timeout = duration_seconds(hc.get("timeout", "30s"))
    start = duration_seconds(hc.get("start_period", "0s"))
    retries = int(hc.get("retries", 3))
    # The script runs the checks itself, every `interval`, so podman's own timer (a systemd
    # unit, absent in a CI container) is not needed.
    args += ["--health-cmd", cmd, "--health-interval", "disable",
             "--health-timeout", "%gs" % timeout, "--health-retries", str(retries),
             "--health-start-period", "%gs" % start]
    project, instance = smoke_target(os.path.dirname(os.path.dirname(os.path.abspath(doc_path))),
                                     env)
    values = {"container_port": container_port, "health_interval": "%g" % interval,
              "health_timeout": "%d" % max(1, round(timeout)), "health_retries": retries,
              "health_start_attempts": int(-(-start // interval)) if interval else 0,
              "smoke_project": project, "smoke_instance": instance}
    lines = ["run_args=(%s)" % " ".join(shlex.quote(a) for a in args)]
    lines += ["%s=%s" % (k, shlex.quote(str(v))) for k, v in values.items()]
    return "\n".join(lines)


def smoke_target(source_dir, env):
    """A project and an instance of the service's seed that a v1 create can back up."""
    seed = env.get("RDSEMU_SEED", "")
    if not seed.startswith(IMAGE_EXAMPLES):
        raise ValueError("the compose service needs an RDSEMU_SEED of the image's examples")
    with open(os.path.join(source_dir, "docs", "examples", seed[len(IMAGE_EXAMPLES):])) as f:
        doc = json.load(f)
    for project in doc["projects"]:
        for inst in project.get("instances", []):
            if inst.get("status", "ACTIVE") == "ACTIVE" and inst.get("role", "primary") == "primary":
                return project["id"], inst["id"]
    raise ValueError("the seed has no instance a v1 create can back up")


def check_compose(binary, recipe, options, source_dir, work):
    what = "docker-compose"
    section("%s (compose.yaml)" % what)
    svc = compose_service(recipe)
    R.check(svc.get("image") == IMAGE_NAME, "%s: the service's image is %s" % (what, IMAGE_NAME),
            svc.get("image"))
    env = {k: v for k, v in (svc.get("environment") or {}).items()}
    local = check_service_env(what, env, options, source_dir)
    ports = [split_port(p) for p in svc.get("ports", [])]
    R.check(ports and all(ip == "127.0.0.1" and h and c == listen_port(env) for ip, h, c in ports),
            "%s: the container's port %d is published on the host's loopback"
            % (what, listen_port(env)), svc.get("ports"))
    hc = svc.get("healthcheck", {})
    R.check(hc.get("test") == ["CMD", "rdsemu", "health"]
            and all(k in hc for k in ("interval", "timeout", "retries")),
            "%s: the health check is [CMD, rdsemu, health], with its interval, timeout and retries"
            % what, hc)
    try:
        durations = [duration_seconds(hc[k]) for k in ("interval", "timeout", "start_period")
                     if k in hc]
        R.check(all(d > 0 for d in durations), "%s: the health check's durations are valid" % what)
    except ValueError as e:
        R.check(False, "%s: the health check's durations are valid" % what, e)
    server = Server(binary, work, env_extra=local, name="compose")
    try:
        R.check(seed_applied(server, local), "%s: the binary starts with the service's "
                "variables, the seed applied" % what)
        health_subcommand(binary, server, what)
    finally:
        code = server.stop()
    R.check(code == 0, "%s: the server exits 0 on SIGTERM" % what, server.log())

    section("%s: compose_recipe.sh, against a stand-in for podman that runs the built binary"
            % what)
    here = os.path.dirname(os.path.abspath(__file__))
    state = os.path.join(work, "podman-state")
    bindir = os.path.join(work, "podman-bin")
    os.makedirs(state)
    os.makedirs(bindir)
    with open(os.path.join(bindir, "podman"), "w") as f:
        f.write('#!/bin/sh\nexec %s %s "$@"\n' % (shlex.quote(sys.executable),
                                                  shlex.quote(os.path.join(here, "podman_standin.py"))))
    os.chmod(os.path.join(bindir, "podman"), 0o755)
    env = base_env(binary)
    env.update(PATH=bindir + os.pathsep + env.get("PATH", ""), PODMAN_STANDIN_STATE=state,
               PODMAN_STANDIN_RDSEMU=binary, PODMAN_STANDIN_SOURCE=source_dir,
               PODMAN_STANDIN_IMAGE="localhost/rdsemu:recipes",
               CONTAINERS_CONF=os.path.join(work, "containers.conf"))
    try:
        status, out = run(["bash", os.path.join(here, "compose_recipe.sh"),
                           "localhost/rdsemu:recipes"], work, env)
        R.check(status == 0 and re.search(r"^compose_recipe: \d+ passed, 0 failed$", out, re.M),
                "compose_recipe.sh: runs the service, waits for its health check, a v1 create "
                "through the published port passes, the container is removed", tail(out))
        with open(os.path.join(state, "calls.log")) as f:
            calls = [json.loads(line) for line in f]
        R.check(all(c["global"] == ["--runtime", "runc"] for c in calls)
                and any(c["command"] == "rm" for c in calls),
                "compose_recipe.sh: every podman call uses --runtime runc, the container is "
                "removed at the end", calls)
        R.check(not [n for n in os.listdir(state) if n.endswith(".json")],
                "compose_recipe.sh: no container is left")
    finally:
        subprocess.run([sys.executable, os.path.join(here, "podman_standin.py"), "--cleanup"],
                       env=env)


# --- Terraform ----------------------------------------------------------------------------------

PROVIDER_UA = "terraform-provider-iac golangsdk/2.0.0"


def hcl_block(text, kind):
    """The attributes (`name = "value"`, `name = true`, `name = 0`) of the first block of that
    kind, and of `endpoints = { rds = "..." }`."""
    m = re.search(r'^%s[^{\n]*\{(.*?)^\}' % re.escape(kind), text, re.M | re.S)
    if not m:
        raise ValueError("no %s block" % kind)
    attrs = {}
    for name, value in re.findall(r'^\s*(\w+)\s*=\s*("[^"]*"|true|false|\d+|\{[^}]*\})', m.group(1),
                                  re.M):
        if value.startswith('"'):
            attrs[name] = value[1:-1]
        elif value.startswith("{"):
            attrs[name] = dict(re.findall(r'(\w+)\s*=\s*"([^"]*)"', value))
        else:
            attrs[name] = value
    return attrs


class Provider:
    """Sends requests as the huaweicloud provider does (chnsz/golangsdk's ProviderClient with an
    AK/SK): Content-Type (with a body), Accept and User-Agent set, then X-Sdk-Date; every header
    then present is signed (the host is not: Go keeps it outside the header map); the query is
    put on the wire in its canonical form; X-Project-Id is added after signing; Go's transport
    adds Accept-Encoding: gzip."""

    def __init__(self, signer, endpoint, ak, sk, project_id):
        self.signer = signer
        self.endpoint = endpoint
        self.ak = ak
        self.sk = sk
        self.project_id = project_id
        self.signed = []  # the SignedHeaders of every request sent

    def request(self, method, url, json_body=None, sk=None):
        body = None
        if json_body is not None:
            # Go's json.Encoder on a map: keys sorted, no spaces, no HTML escaping, a newline.
            body = (json.dumps(json_body, sort_keys=True, separators=(",", ":"),
                               ensure_ascii=False) + "\n").encode("utf-8")
        parts = urllib.parse.urlsplit(url)
        headers = {}
        if body is not None:
            headers["Content-Type"] = "application/json"
        headers["Accept"] = "application/json"
        headers["User-Agent"] = PROVIDER_UA
        headers["X-Sdk-Date"] = self.signer.sdk_date(datetime.datetime.now(datetime.timezone.utc))
        signed = sorted(k.lower() for k in headers)
        pairs = self.signer.query_pairs(parts.query)
        canonical = self.signer.canonical_request(method, parts.path, pairs, headers, signed,
                                                  body or b"")
        sig = self.signer.signature(sk or self.sk,
                                    self.signer.string_to_sign(canonical, headers["X-Sdk-Date"]))
        headers["Authorization"] = "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (
            self.ak, ";".join(signed), sig)
        headers["X-Project-Id"] = self.project_id
        headers["Accept-Encoding"] = "gzip"
        self.signed.append((method, ";".join(signed)))
        query = self.signer.canonical_query(pairs)
        target = parts.path + ("?" + query if query else "")
        status, resp_headers, raw = http_call(url, method, target, body, headers)
        try:
            doc = json.loads(raw) if raw else None
        except ValueError:
            doc = None
        return status, resp_headers, raw, doc


def check_terraform(binary, recipes, source_dir, work):
    section("Terraform (main.tf, credentials.json, terraform-seed.json): the provider's "
            "requests replayed")
    sys.path.insert(0, os.path.join(source_dir, "tests", "clients"))
    import sign_request as signer  # noqa: E402 (the repository's SDK-HMAC-SHA256 signer)

    tf = recipes["main.tf"].text
    provider = hcl_block(tf, 'provider "huaweicloud"')
    resource = hcl_block(tf, 'resource "huaweicloud_rds_backup"')
    ak, sk, project_id = provider["access_key"], provider["secret_key"], provider["project_id"]
    rds = provider.get("endpoints", {}).get("rds", "")
    R.check(rds.endswith("/") and provider.get("domain_id") and provider.get("max_retries") == "0"
            and provider.get("skip_check_website_type") == "true",
            "Terraform: the provider block gives the rds endpoint (the server root), a project "
            "ID, a domain ID, skip_check_website_type and max_retries = 0", provider)
    credentials = json.loads(recipes["credentials.json"].text)
    R.check(credentials.get(ak, {}).get("secret") == sk
            and project_id in credentials.get(ak, {}).get("projects", []),
            "Terraform: credentials.json gives main.tf's access key its secret and project")
    seed = json.loads(recipes["terraform-seed.json"].text)
    seeded = {(p["id"], i["id"]): i for p in seed["projects"] for i in p.get("instances", [])}
    instance = seeded.get((project_id, resource.get("instance_id")))
    R.check(instance is not None and instance.get("backup_seconds") == 0,
            "Terraform: terraform-seed.json has the resource's instance in the provider's "
            "project, with backup_seconds 0")

    tfdir = os.path.join(work, "terraform")
    write_recipes(recipes, ("credentials.json", "terraform-seed.json"), tfdir)
    server = Server(binary, tfdir, ["--auth", "tokens", "--credentials", "credentials.json",
                                    "--seed", "terraform-seed.json"], name="terraform")
    try:
        endpoint = DOC_ADDRESS_RE.sub("127.0.0.1:%d" % server.port, rds)
        client = Provider(signer, endpoint, ak, sk, project_id)
        # The documented resource, then the same with a description (the body's third member).
        variants = [dict(resource),
                    dict(resource, name=resource["name"] + "-described",
                         description="made by terraform")]
        for n, res in enumerate(variants):
            replay_resource(client, res, "resource %d (%s)" % (n + 1, ", ".join(sorted(res))))
        # A wrong secret: proof that the signatures above were verified.
        status, _h, raw, doc = client.request(
            "GET", endpoint + "v3/%s/backups?instance_id=%s" % (project_id, resource["instance_id"]),
            sk=sk + "x")
        R.check(status == 401 and (doc or {}).get("error_code") == "APIGW.0301"
                and "signature mismatch" in raw.decode(),
                "Terraform: the same request signed with another secret is refused (401): the "
                "signatures are verified", raw[:300])
        R.check({s for _m, s in client.signed} == {"accept;content-type;user-agent;x-sdk-date",
                                                  "accept;user-agent;x-sdk-date"},
                "Terraform: SignedHeaders=accept;[content-type;]user-agent;x-sdk-date",
                client.signed)
        status, journal = control(server.url, "GET", "/_emulator/requests?project_id=" + project_id)
        entries = journal["requests"] if status == 200 else []
        headers_ok = all(
            e["headers"].get("X-Project-Id") == project_id
            and e["headers"].get("User-Agent", "").startswith("terraform-provider-iac")
            for e in entries)
        R.check(entries and headers_ok and [e["status"] for e in entries].count(401) == 1
                and all(e["status"] == 200 for e in entries if e["status"] != 401),
                "Terraform: the journal shows every request with X-Project-Id and the provider's "
                "User-Agent, each answered 200 (but the wrong secret's)",
                [(e["method"], e["status"], e["reason"]) for e in entries])
    finally:
        code = server.stop()
    R.check(code == 0, "Terraform: the server exits 0 on SIGTERM", server.log())


DOC_ADDRESS_RE = re.compile(r"(127\.0\.0\.1|localhost):\d+")
DEFAULT_REGION = "cn-north-4"  # rdsemu's --region when not given


def check_terraform_otc(binary, recipes, source_dir, work):
    section("Terraform, Open Telekom Cloud (otc.tf): the provider's configuration replayed")
    sys.path.insert(0, os.path.join(source_dir, "tests", "clients"))
    import sign_request as signer  # noqa: E402 (the repository's signer, both forms)

    provider = hcl_block(recipes["otc.tf"].text, 'provider "opentelekomcloud"')
    auth_url, ak, sk = provider.get("auth_url", ""), provider["access_key"], provider["secret_key"]
    pid, region = provider.get("tenant_id", ""), provider.get("tenant_name")
    R.check(auth_url.endswith("/v3") and region == DEFAULT_REGION and provider.get("domain_id")
            and provider.get("domain_name"),
            "otc.tf: auth_url ends in /v3 (no version lookup), tenant_name is rdsemu's default "
            "--region, domain_id and domain_name are set", provider)
    credentials = json.loads(recipes["credentials.json"].text)
    R.check(credentials.get(ak, {}).get("secret") == sk
            and pid in credentials.get(ak, {}).get("projects", []),
            "otc.tf: credentials.json gives its access key its secret and tenant_id")
    seed = json.loads(recipes["terraform-seed.json"].text)
    instances = [i["id"] for p in seed["projects"] if p["id"] == pid for i in p["instances"]]
    R.check(instances, "otc.tf: terraform-seed.json has an instance in tenant_id")
    tfdir = os.path.join(work, "terraform-otc")
    write_recipes(recipes, ("credentials.json", "terraform-seed.json"), tfdir)
    server = Server(binary, tfdir, ["--auth", "tokens", "--credentials", "credentials.json",
                                    "--seed", "terraform-seed.json"], name="terraform-otc")
    try:
        base = DOC_ADDRESS_RE.sub("127.0.0.1:%d" % server.port, auth_url)

        def signed(method, url, project=None, body=b"", query=()):
            parts = urllib.parse.urlsplit(url)
            target, headers = signer.credential_sign(method, url, parts.path, list(query), body,
                                                     ak, sk, project)
            status, _h, raw = http_call(url, method, target, body or None, headers)
            try:
                return status, json.loads(raw) if raw else None, raw
            except ValueError:
                return status, None, raw

        # The project client, then the domain client (no project): both ask for the catalog.
        status, doc, raw = signed("GET", base + "/auth/catalog", project=pid)
        entries = [e for c in (doc or {}).get("catalog", []) if c.get("type") == "rdsv3"
                   for e in c.get("endpoints", []) if e.get("interface") == "public"
                   and e.get("region") == region]
        R.check(status == 200 and len(entries) == 1,
                "otc.tf: the catalog for tenant_id has one public rdsv3 endpoint in tenant_name's "
                "region", raw[:400])
        status, doc, raw = signed("GET", base + "/auth/catalog")
        R.check(status == 200 and doc == {"catalog": []},
                "otc.tf: the domain client's catalog (no project) answers an empty catalog", raw)
        url = entries[0]["url"] if entries else base + "/" + pid
        R.check(url == "http://127.0.0.1:%d/v3/%s" % (server.port, pid),
                "otc.tf: the endpoint is the server's own v3 API of tenant_id", url)
        if instances:
            body = json.dumps({"instance_id": instances[0], "name": "otc-recipe"}).encode()
            status, doc, raw = signed("POST", url + "/backups", project=pid, body=body)
            R.check(status == 200 and (doc or {}).get("backup", {}).get("id"),
                    "otc.tf: a backup created through the catalog's URL", raw[:300])
            status, doc, raw = signed("GET", url + "/backups", project=pid,
                                      query=[("backup_id", ""), ("instance_id", instances[0])])
            R.check(status == 200 and (doc or {}).get("total_count") == 1,
                    "otc.tf: the backup listed through the catalog's URL, with the SDK's empty "
                    "backup_id", raw[:300])
        status, doc, raw = signed("GET", base + "/auth/catalog", project="another-project")
        R.check(status == 403 and (doc or {}).get("error_code") == "APIGW.0302",
                "otc.tf: the access key on a project it is not given: 403 APIGW.0302", raw)
    finally:
        code = server.stop()
    R.check(code == 0, "otc.tf: the server exits 0 on SIGTERM", server.log())


def replay_resource(client, res, what):
    pid, iid, name = client.project_id, res["instance_id"], res["name"]
    base = client.endpoint + "v3/" + pid + "/backups"
    body = {k: res[k] for k in ("name", "instance_id", "description") if res.get(k)}
    status, _h, raw, doc = client.request("POST", base, body)
    backup_id = ((doc or {}).get("backup") or {}).get("id")
    R.check(status == 200 and isinstance(backup_id, str) and backup_id,
            "Terraform %s: create answers 200 with backup.id" % what, "%s %s" % (status, raw[:300]))
    if not backup_id:
        return
    # The provider's own query string: backup_id first, then instance_id, as fmt builds it.
    poll = base + "?backup_id=%s&instance_id=%s" % (backup_id, iid)
    polls = 0
    state = None
    while polls < 5 and state != "COMPLETED":  # the provider: every 30 s until the timeout
        polls += 1
        status, _h, raw, doc = client.request("GET", poll)
        if status != 200 or not (doc or {}).get("backups"):
            break
        state = doc["backups"][0].get("status")
        if state == "FAILED":
            break
        if state != "COMPLETED":
            time.sleep(0.2)
    R.check(state == "COMPLETED" and polls == 1,
            "Terraform %s: the first wait poll answers 200 with backups[0].status COMPLETED "
            "(each poll is 30 s of the provider's time)" % what,
            "%s polls, %s %s" % (polls, status, raw[:300]))
    status, _h, raw, doc = client.request("GET", poll)
    got = (doc or {}).get("backups") or [{}]
    b = got[0]
    R.check(status == 200 and doc.get("total_count") == 1 and len(got) == 1
            and b.get("id") == backup_id and b.get("name") == name and b.get("instance_id") == iid
            and b.get("status") == "COMPLETED"
            and all(isinstance(b.get(k), str) and V3_TIME_RE.match(b[k])
                    for k in ("begin_time", "end_time"))
            and type(b.get("size")) is int and b["size"] >= 0,
            "Terraform %s: read answers 200 with backups[0] name, instance_id, begin_time, "
            "end_time, status and size (a whole number)" % what, "%s %s" % (status, raw[:400]))
    R.check("description" not in b,
            "Terraform %s: read shows no description, as the real service's list (the provider "
            "stores it empty)" % what, b)
    status, _h, raw, _doc = client.request("DELETE", base + "/" + backup_id)
    R.check(status == 200, "Terraform %s: delete answers 200" % what, "%s %s" % (status, raw[:300]))
    status, _h, raw, doc = client.request("GET", poll)
    R.check(status == 200 and (doc or {}).get("total_count") == 0
            and type(doc.get("total_count")) is int,
            "Terraform %s: the wait after the delete answers 200 with total_count 0" % what,
            "%s %s" % (status, raw[:300]))


# --- main ---------------------------------------------------------------------------------------

def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--compose-podman-args":
        print(compose_podman_args(sys.argv[2]))
        return 0
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    source_dir = os.path.abspath(sys.argv[2])
    started = time.monotonic()
    doc = os.path.join(source_dir, "docs", "testing.md")
    try:
        recipes = recipes_of(doc)
    except ValueError as e:
        R.check(False, "docs/testing.md: the recipes are marked right", e)
        recipes = {}
    missing = [n for n in EXPECTED if n not in recipes]
    if not R.check(not missing, "docs/testing.md has every recipe (%d)" % len(EXPECTED), missing):
        print("%d passed, %d failed" % (R.passed, R.failed))
        return 1
    for tool in ("curl",):
        R.check(shutil.which(tool) is not None, "%s is installed" % tool)

    work = tempfile.mkdtemp(prefix="rdsemu-recipes-")
    go = None
    try:
        # The recipes say `python3`: make it this interpreter, whatever else is on PATH.
        os.mkdir(os.path.join(work, "python-bin"))
        os.symlink(sys.executable, os.path.join(work, "python-bin", "python3"))
        PYTHON_BIN.append(os.path.join(work, "python-bin"))
        go = start_go(binary, recipes, work)
        tests = check_pytest(binary, recipes, work)
        check_shell(binary, recipes, work, tests)
        options = rdsemu_options(binary)
        check_github(binary, recipes["github-workflow.yml"], options, source_dir, work, tests)
        check_gitlab(binary, recipes["gitlab-ci.yml"], options, source_dir, work, tests)
        check_compose(binary, recipes["compose.yaml"], options, source_dir, work)
        check_terraform(binary, recipes, source_dir, work)
        check_terraform_otc(binary, recipes, source_dir, work)
        check_go(go, work)
    except Exception:  # a crash of this test is a failure, with its cause
        R.check(False, "the recipe checks ran to the end", traceback.format_exc())
    finally:
        if go is not None and go.poll() is None:
            go.kill()
            go.wait()
        shutil.rmtree(work, ignore_errors=True)

    if R.failures:
        print("\nfailures:")
        for f in R.failures:
            print("  - " + f)
    print("\nrecipes checked in %.1f s" % (time.monotonic() - started))
    print("%d passed, %d failed" % (R.passed, R.failed))
    return 0 if R.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
