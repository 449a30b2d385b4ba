#!/usr/bin/python3
"""The curl examples of the documentation, run against a live rdsemu, so the docs cannot rot.

    /usr/bin/python3 doc_examples.py RDSEMU SOURCE_DIR [FILE.md ...]

(default files: SOURCE_DIR/docs/*.md and SOURCE_DIR/README.md)

For each Markdown file, a fresh rdsemu is started the way the README says (from the
repository root, `rdsemu --seed docs/examples/demo-seed.json`), on a free port and a temporary
database given through RDSEMU_LISTEN and RDSEMU_DB. Then the file's fenced ```sh blocks run,
in order, in one bash process (so the variables a block sets, like E and P, and the state the
examples build up carry over, as for a reader who pastes them one after the other), with
`127.0.0.1:8080` replaced by the test's address:

- a block runs when it holds a curl command, or only sets variables; other blocks (building,
  starting rdsemu, options) are listed as not run;
- inside a block, commands that start rdsemu or build it are skipped; but a doc that starts a
  second emulator on a port of its own (`rdsemu ... --listen 127.0.0.1:8081 --admin-token T`)
  gets it started too, with those options, and its port replaced the same way;
- every request curl makes is recorded (curl is wrapped in a shell function that adds
  -D to dump the response headers, and copies the body aside; background jobs and command
  substitutions included): each must answer, and with a status below 500, unless the
  example says otherwise;
- where the doc shows the answer in a comment after the command (`# 200 {...}`,
  `# 409 {"errCode":"RDS.3004",...}`, `# 204`; between them only commands that send no
  request, like a loop's `done`), the last request of the command must answer that status,
  and, when the comment shows an error code (`errCode`, `error_code`, `code`), that code; a
  comment of statuses only (`# 503 503 404`) gives the status of every request, in order.

The last line is "N passed, M failed"; the exit status is 0 only when nothing failed.
"""

import glob
import os
import re
import selectors
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

START_TIMEOUT = 15
FILE_TIMEOUT = 300  # seconds for one file's examples (a few of them sleep 3 s)
DOC_ADDRESS = re.compile(r"(127\.0\.0\.1|localhost):(\d+)")
START_RE = re.compile(r"^((?:[A-Z_][A-Z0-9_]*=\S*\s+)*)(?:\./build/)?rdsemu\s+(.*)$")
LISTEN_RE = re.compile(r"^rdsemu listening on http://127\.0\.0\.1:(\d+)\s*$")
FENCE_RE = re.compile(r"^```\s*([A-Za-z0-9_+-]*)\s*$")
EXPECT_RE = re.compile(r"^#\s*([1-5][0-9][0-9])\b(.*)$")
ASSIGN_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
SKIP_RE = re.compile(r"^(\S+=\S*\s+)*(\./build/rdsemu|rdsemu|\.ci/|cmake|ctest|make|echo \$\?)(\s|$)")
CODE_RE = re.compile(r'"(errCode|error_code|code)"\s*:\s*"([^"]+)"')

CURL_WRAPPER = r'''
__rdsemu_calls="$RDSEMU_DOC_CALLS"
__rdsemu_cmd=none
curl() {
  # One record per request: the command that made it (inherited by background jobs and
  # command substitutions), when it started, the headers, the body and curl's exit code.
  local f
  f="$__rdsemu_calls/call-$__rdsemu_cmd-$(date +%s%N)-$BASHPID"
  command curl -D "$f.h" "$@" | tee "$f.body"
  local rc=${PIPESTATUS[0]}
  echo "$rc" > "$f.rc"
  return "$rc"
}
'''

class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.failures = []

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            self.failures.append(what)
        return cond


R = Results()


def blocks_of(path):
    """(first line number, language, lines) of every fenced block."""
    out = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE_RE.match(lines[i].strip())
        if m:
            lang = m.group(1)
            indent = len(lines[i]) - len(lines[i].lstrip())
            start = i + 1
            j = start
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            body = [ln[indent:] if ln[:indent].strip() == "" else ln for ln in lines[start:j]]
            out.append((start + 1, lang, body))
            i = j + 1
        else:
            i += 1
    return out


class Command:
    def __init__(self, line, text):
        self.line = line        # line number in the file
        self.text = text        # the logical command (continuations joined)
        self.expect = None      # (status, rest of the comment)
        self.expect_seq = None  # the statuses of every request, for a loop (`# 503 503 404`)
        self.skipped = False
        self.curl = "curl" in text

    def summary(self):
        one = re.sub(r"\s+", " ", self.text.replace("\\\n", " "))
        return one if len(one) <= 110 else one[:107] + "..."


def commands_of(first_line, lines):
    cmds = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        if stripped.startswith("#"):
            m = EXPECT_RE.match(stripped)
            # The answer shown applies to the last command of the block that sent a request
            # (a loop's `done` may stand between them), once.
            target = next((c for c in reversed(cmds) if c.curl), None)
            if m and target is not None and target.expect is None:
                seq = stripped[1:].split()
                if all(re.match(r"^[1-5][0-9][0-9]$", t) for t in seq) and len(seq) > 1:
                    target.expect_seq = [int(t) for t in seq]
                target.expect = (int(m.group(1)), m.group(2))
            i += 1
            continue
        start = i
        text = line
        while text.endswith("\\") and i + 1 < len(lines):
            i += 1
            text += "\n" + lines[i]
        cmds.append(Command(first_line + start, text))
        i += 1
    return cmds


def block_runs(lang, cmds):
    if lang not in ("sh", "bash", "shell", "console"):
        return False
    if any(c.curl for c in cmds):
        return True
    return bool(cmds) and all(ASSIGN_RE.match(c.text.strip()) for c in cmds)


def start_server(binary, source_dir, work, args=None, env_extra=None, name="rdsemu"):
    """Starts rdsemu from the repository root, as the README does; its address and database are
    the test's (a free port, a temporary file) whatever the doc's command says."""
    env = dict(os.environ)
    env.update(env_extra or {})
    env["RDSEMU_LISTEN"] = "127.0.0.1:0"
    env["RDSEMU_DB"] = os.path.join(work, name + ".db")
    args = list(args if args is not None else ["--seed", "docs/examples/demo-seed.json"])
    for flag, value in (("--listen", "127.0.0.1:0"), ("--db", env["RDSEMU_DB"])):
        for k, a in enumerate(args):
            if a == flag and k + 1 < len(args):
                args[k + 1] = value if args[k + 1] != ":memory:" else args[k + 1]
            elif a.startswith(flag + "="):
                args[k] = flag + "=" + value
    err = open(os.path.join(work, name + ".stderr"), "wb")
    proc = subprocess.Popen([binary] + args, cwd=source_dir,
                            env=env, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + START_TIMEOUT
    line = b""
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not sel.select(left):
            proc.kill()
            proc.wait()
            raise RuntimeError("rdsemu did not start within %ds" % START_TIMEOUT)
        chunk = os.read(proc.stdout.fileno(), 1)
        if not chunk:
            proc.wait()
            raise RuntimeError("rdsemu exited %s before listening" % proc.returncode)
        line += chunk
    m = LISTEN_RE.match(line.decode())
    if not m:
        proc.kill()
        proc.wait()
        raise RuntimeError("unexpected first line %r" % line)
    return proc, int(m.group(1))


def stop_server(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def read_calls(calls_dir, index):
    """[(status or None, curl exit code, body)] of the requests command `index` made, in the
    order they started."""
    out = []
    names = set()
    for name in os.listdir(calls_dir):
        m = re.match(r"^(call-%d-(\d+)-\d+)\.(h|rc|body)$" % index, name)
        if m:
            names.add((int(m.group(2)), m.group(1)))
    for _started, stem in sorted(names):
        base = os.path.join(calls_dir, stem)
        status = None
        if os.path.exists(base + ".h"):
            with open(base + ".h", "rb") as f:
                for ln in f.read().decode("latin-1").split("\r\n"):
                    m = re.match(r"^HTTP/\S+\s+(\d{3})", ln)
                    if m:
                        status = int(m.group(1))  # the last status line wins (100 Continue)
        rc = None
        if os.path.exists(base + ".rc"):
            with open(base + ".rc") as f:
                rc = int(f.read().strip() or "-1")
        body = b""
        if os.path.exists(base + ".body"):
            with open(base + ".body", "rb") as f:
                body = f.read()
        out.append((status, rc, body))
    return out


def run_file(binary, source_dir, path):
    rel = os.path.relpath(path, source_dir)
    print("\n== %s" % rel, flush=True)
    commands = []
    not_run = []
    for first, lang, lines in blocks_of(path):
        cmds = commands_of(first, lines)
        if block_runs(lang, cmds):
            for c in cmds:
                c.skipped = bool(SKIP_RE.match(c.text.strip()))
            commands.extend(cmds)
        elif lang in ("sh", "bash", "shell") and cmds:
            not_run.append(first)
    if not_run:
        print("   blocks not run (no curl): lines %s" % ", ".join(map(str, not_run)))
    if not any(c.curl and not c.skipped for c in commands):
        print("   no curl example")
        return
    # A doc that starts another emulator on a port of its own (`rdsemu ... --listen
    # 127.0.0.1:8081 --admin-token ...`) gets it started too, with those options.
    extras = {}
    for _first, _lang, lines in blocks_of(path):
        for c in commands_of(_first, lines):
            m = START_RE.match(c.text.strip().split(" #")[0].rstrip(" &"))
            listen = re.search(r"--listen[ =](?:127\.0\.0\.1|localhost):(\d+)", c.text)
            if m and listen and int(listen.group(1)) != 8080:
                env_extra = dict(a.split("=", 1) for a in m.group(1).split())
                extras[int(listen.group(1))] = (shlex.split(m.group(2)), env_extra, c.line)
    work = tempfile.mkdtemp(prefix="rdsemu-docs-")
    procs = []
    ports = {}
    try:
        proc, ports[8080] = start_server(binary, source_dir, work)
        procs.append(proc)
        for doc_port, (args, env_extra, line) in sorted(extras.items()):
            print("   also started, as line %d says: rdsemu %s" % (line, " ".join(args)))
            proc, ports[doc_port] = start_server(binary, source_dir, work, args, env_extra,
                                                 "rdsemu-%d" % doc_port)
            procs.append(proc)
    except RuntimeError as e:
        R.check(False, "%s: %s" % (rel, e))
        for proc in procs:
            stop_server(proc)
        shutil.rmtree(work, ignore_errors=True)
        return
    try:
        calls = os.path.join(work, "calls")
        os.mkdir(calls)
        script = ["set +e", CURL_WRAPPER]
        for i, c in enumerate(commands):
            script.append("__rdsemu_cmd=%d" % i)
            script.append(": skipped" if c.skipped else DOC_ADDRESS.sub(
                lambda m: "127.0.0.1:%d" % ports.get(int(m.group(2)), int(m.group(2))), c.text))
        script_path = os.path.join(work, "examples.sh")
        with open(script_path, "w") as f:
            f.write("\n".join(script) + "\n")
        env = dict(os.environ, RDSEMU_DOC_CALLS=calls)
        try:
            done = subprocess.run(["bash", script_path], cwd=source_dir, env=env,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=FILE_TIMEOUT)
            output = done.stdout.decode(errors="replace")
        except subprocess.TimeoutExpired:
            R.check(False, "%s: the examples did not finish within %ds" % (rel, FILE_TIMEOUT))
            return
        shell_errors = [ln for ln in output.split("\n")
                        if re.search(r"examples\.sh: line \d+:", ln)]
        for ln in shell_errors:
            R.check(False, "%s: shell error: %s" % (rel, ln.strip()))
        for i, c in enumerate(commands):
            if not c.curl or c.skipped:
                continue
            where = "%s:%d" % (rel, c.line)
            made = read_calls(calls, i)
            if not R.check(made, "%s: made no request: %s" % (where, c.summary())):
                print("   FAIL %s  %s\n        made no request" % (where, c.summary()))
                continue
            problems = []
            for status, rc, _body in made:
                if status is None:
                    problems.append("no answer (curl exit %s)" % rc)
            last_status, _rc, last_body = made[-1]
            if c.expect_seq is not None:
                got_seq = [st for st, _rc, _b in made]
                if got_seq != c.expect_seq:
                    problems.append("answered %s, the doc says %s" % (
                        " ".join(map(str, got_seq)), " ".join(map(str, c.expect_seq))))
            elif c.expect is not None:
                want, rest = c.expect
                if last_status != want:
                    problems.append("answered %s, the doc says %d" % (last_status, want))
                else:
                    m = CODE_RE.search(rest)
                    got = CODE_RE.search(last_body.decode("utf-8", "replace"))
                    if m and got and m.group(2) != got.group(2):
                        problems.append("answered code %s, the doc says %s"
                                        % (got.group(2), m.group(2)))
                    elif m and not got:
                        problems.append("answered no error code, the doc says %s" % m.group(2))
                for status, _rc, _b in made[:-1]:
                    if status is not None and status >= 500:
                        problems.append("an earlier request answered %d" % status)
            else:
                for status, _rc, _b in made:
                    if status is not None and status >= 500:
                        problems.append("answered %d" % status)
            shown = "%s (doc: %s)" % (last_status, c.expect[0] if c.expect else "-")
            if R.check(not problems, "%s: %s: %s; answer %s" % (
                    where, c.summary(), "; ".join(problems), last_body[:300])):
                print("   ok   %-22s %-9s %s" % (where, shown, c.summary()))
            else:
                print("   FAIL %-22s %-9s %s\n        %s\n        answer: %s"
                      % (where, shown, c.summary(), "; ".join(problems),
                         last_body[:300].decode("utf-8", "replace")))
    finally:
        for proc in procs:
            stop_server(proc)
        shutil.rmtree(work, ignore_errors=True)


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    source_dir = os.path.abspath(sys.argv[2])
    files = [os.path.abspath(f) for f in sys.argv[3:]]
    if not files:
        files = sorted(glob.glob(os.path.join(source_dir, "docs", "*.md")))
        files.append(os.path.join(source_dir, "README.md"))
    if shutil.which("curl") is None:
        print("doc_examples: curl is needed (Debian package curl)")
        print("0 passed, 1 failed")
        return 1
    for path in files:
        run_file(binary, source_dir, path)
    if R.failures:
        print("\nfailures:")
        for f in R.failures:
            print("  - " + f)
    print("%d passed, %d failed" % (R.passed, R.failed))
    return 0 if R.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
