#!/usr/bin/python3
"""A stand-in for podman that runs the built rdsemu instead of the image, for recipes_test.py.

It lets the suite run tests/contract/compose_recipe.sh (which the container stage of CI runs
with the real podman and the real image) on a machine without podman: it understands exactly
the calls that script makes, refuses any other option the way podman would (exit 125), and
runs the container's command, `rdsemu`, as the image would (RDSEMU_LISTEN=0.0.0.0:8080,
RDSEMU_DB=/data/rdsemu.db, the examples in /usr/share/rdsemu/examples/), translated to this
machine: the built binary on 127.0.0.1 and a free port, a database in the state directory,
the examples of docs/examples.

    podman [--runtime R] run -d --name N [-p IP::PORT] [-e K=V]... [--health-cmd C]
           [--health-interval D] [--health-timeout D] [--health-retries N]
           [--health-start-period D] IMAGE
    podman [--runtime R] healthcheck run N      (exit 0 healthy, 1 unhealthy)
    podman [--runtime R] port N PORT/tcp        (prints IP:HOSTPORT)
    podman [--runtime R] inspect --format '{{.State.Status}}' | '{{.State.ExitCode}}' N
    podman [--runtime R] stop [-t S] N
    podman [--runtime R] rm [-f] [-v] N
    podman [--runtime R] logs N
    podman_standin.py --cleanup                 (kills whatever is left)

Environment: PODMAN_STANDIN_STATE (a directory), PODMAN_STANDIN_RDSEMU (the binary),
PODMAN_STANDIN_SOURCE (the repository), PODMAN_STANDIN_IMAGE (the only image it knows).
Every call is appended to STATE/calls.log as one JSON line.
"""

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.request

IMAGE_DEFAULTS = {"RDSEMU_LISTEN": "0.0.0.0:8080", "RDSEMU_DB": "/data/rdsemu.db"}
IMAGE_EXAMPLES = "/usr/share/rdsemu/examples/"
STATE = os.environ.get("PODMAN_STANDIN_STATE", "")


def fail(message, code=125):
    print("Error: " + message, file=sys.stderr)
    sys.exit(code)


def state_path(name, ext):
    return os.path.join(STATE, name + ext)


def load(name):
    try:
        with open(state_path(name, ".json")) as f:
            return json.load(f)
    except FileNotFoundError:
        fail("no container with name or ID %r found: no such container" % name)


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def exit_code(name):
    try:
        with open(state_path(name, ".exit")) as f:
            return int(f.read().strip())
    except (FileNotFoundError, ValueError):
        return None


def running(c):
    return exit_code(c["name"]) is None and alive(c["pid"])


def take(args, flags_with_value, flags_alone):
    """Splits podman-style options (--flag value, --flag=value, -f) from the positionals."""
    opts, rest = [], []
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("-") and len(a) > 1:
            name, eq, value = a.partition("=")
            if name in flags_with_value:
                if not eq:
                    i += 1
                    if i >= len(args):
                        fail("flag needs an argument: %s" % name)
                    value = args[i]
                opts.append((name, value))
            elif name in flags_alone and not eq:
                opts.append((name, None))
            else:
                fail("unknown flag: %s" % name)
        else:
            rest.append(a)
        i += 1
    return opts, rest


def cmd_run(args):
    opts, rest = take(args, {"--name", "-p", "--publish", "-e", "--env", "--health-cmd",
                             "--health-interval", "--health-timeout", "--health-retries",
                             "--health-start-period"}, {"-d", "--detach"})
    if len(rest) != 1:
        fail("run takes one image and no command here (the image's ENTRYPOINT is rdsemu)")
    if rest[0] != os.environ["PODMAN_STANDIN_IMAGE"]:
        fail("%s: image not known" % rest[0])
    given = dict((k, v) for k, v in opts if k not in ("-p", "--publish", "-e", "--env"))
    if "-d" not in given and "--detach" not in given:
        fail("the stand-in only runs detached containers")
    name = given.get("--name") or fail("--name is needed")
    if os.path.exists(state_path(name, ".json")):
        fail("the container name %r is already in use" % name)
    env = dict(IMAGE_DEFAULTS)
    for k, v in opts:
        if k in ("-e", "--env"):
            key, eq, value = v.partition("=")
            if not eq:
                fail("-e %s: only KEY=VALUE is supported" % v)
            env[key] = value
    ports = []
    for k, v in opts:
        if k in ("-p", "--publish"):
            m = re.fullmatch(r"(\d+\.\d+\.\d+\.\d+):(\d*):(\d+)(/tcp)?", v)
            if not m:
                fail("-p %s: the stand-in knows IP:[HOSTPORT]:PORT only" % v)
            ports.append((m.group(1), int(m.group(3))))
    listen_port = int(env["RDSEMU_LISTEN"].rsplit(":", 1)[1])
    health = given.get("--health-cmd")
    if health is not None:
        health = json.loads(health) if health.startswith("[") else ["/bin/sh", "-c", health]
    for flag in ("--health-interval", "--health-timeout", "--health-start-period"):
        value = given.get(flag)
        if value is not None and value != "disable" and not re.fullmatch(r"(\d+(\.\d+)?(ms|s|m|h))+", value):
            fail("invalid duration for %s: %r" % (flag, value))

    # The container, on this machine.
    local = {k: v for k, v in os.environ.items() if not k.startswith("RDSEMU_")}
    local.update(env)
    local["RDSEMU_LISTEN"] = "127.0.0.1:0"
    local["RDSEMU_DB"] = state_path(name, ".db")
    seed = env.get("RDSEMU_SEED", "")
    if seed.startswith(IMAGE_EXAMPLES):
        local["RDSEMU_SEED"] = os.path.join(os.environ["PODMAN_STANDIN_SOURCE"], "docs",
                                            "examples", seed[len(IMAGE_EXAMPLES):])
    # A shell keeps the exit code of rdsemu (the container's main process) in NAME.exit.
    script = '%s & echo $! > %s; wait $!; echo $? > %s' % (
        shlex.quote(os.environ["PODMAN_STANDIN_RDSEMU"]), shlex.quote(state_path(name, ".pid")),
        shlex.quote(state_path(name, ".exit")))
    with open(state_path(name, ".out"), "wb") as out, open(state_path(name, ".log"), "wb") as log:
        subprocess.Popen(["/bin/sh", "-c", script], env=local, stdin=subprocess.DEVNULL,
                         stdout=out, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 10
    line = ""
    while time.monotonic() < deadline:
        with open(state_path(name, ".out")) as f:
            line = f.readline()
        if line.endswith("\n") or os.path.exists(state_path(name, ".exit")):
            break
        time.sleep(0.05)
    m = re.match(r"^rdsemu listening on http://127\.0\.0\.1:(\d+)$", line.strip())
    pid = None
    if os.path.exists(state_path(name, ".pid")):
        with open(state_path(name, ".pid")) as f:
            pid = int(f.read().strip() or 0)
    c = {"name": name, "pid": pid or 0, "host_port": int(m.group(1)) if m else None,
         "listen_port": listen_port, "ports": ports, "health": health,
         "health_timeout": given.get("--health-timeout")}
    with open(state_path(name, ".json"), "w") as f:
        json.dump(c, f)
    print("%064x" % abs(hash(name)))


def duration(value, default):
    if not value or value == "disable":
        return default
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    return sum(float(n) * units[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", value))


def cmd_healthcheck(args):
    if len(args) != 2 or args[0] != "run":
        fail("the stand-in knows `healthcheck run NAME` only")
    c = load(args[1])
    if c["health"] is None:
        fail("container %s has no defined healthcheck" % c["name"])
    if not running(c):
        fail("container %s is not running" % c["name"])
    cmd = list(c["health"])
    if cmd[0] != "rdsemu":
        fail("the stand-in runs the health command `rdsemu ...` only, not %r" % cmd)
    # Inside the container, `rdsemu health` finds the server through RDSEMU_LISTEN; here it is
    # the built binary, with the address the server really listens on.
    env = {k: v for k, v in os.environ.items() if not k.startswith("RDSEMU_")}
    env["RDSEMU_LISTEN"] = "127.0.0.1:%d" % c["host_port"]
    timeout = duration(c.get("health_timeout"), 30)
    try:
        done = subprocess.run([os.environ["PODMAN_STANDIN_RDSEMU"]] + cmd[1:], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        healthy = done.returncode == 0
        if done.returncode == 2 and b"unexpected argument 'health'" in done.stderr:
            # This rdsemu has no health subcommand yet: ask the route it would ask.
            url = "http://127.0.0.1:%d/_emulator/health" % c["host_port"]
            with urllib.request.urlopen(url, timeout=timeout) as resp:
                healthy = resp.status == 200
    except (subprocess.TimeoutExpired, OSError):
        healthy = False
    print("healthy" if healthy else "unhealthy")
    sys.exit(0 if healthy else 1)


def cmd_port(args):
    if len(args) != 2:
        fail("the stand-in knows `port NAME PORT/tcp` only")
    c = load(args[0])
    port = int(args[1].split("/")[0])
    published = [ip for ip, p in c["ports"] if p == port]
    if not published:
        fail("failed to find published port %s" % args[1])
    if port != c["listen_port"]:
        fail("port %d is published but rdsemu listens on %d in the container"
             % (port, c["listen_port"]), 1)
    print("%s:%d" % (published[0], c["host_port"]))


def cmd_inspect(args):
    opts, rest = take(args, {"--format", "-f"}, set())
    fmt = dict(opts).get("--format") or dict(opts).get("-f")
    if len(rest) != 1:
        fail("the stand-in inspects one container")
    c = load(rest[0])
    if fmt == "{{.State.Status}}":
        print("running" if running(c) else "exited")
    elif fmt == "{{.State.ExitCode}}":
        print(exit_code(c["name"]) if exit_code(c["name"]) is not None else 0)
    else:
        fail("the stand-in knows the formats {{.State.Status}} and {{.State.ExitCode}} only")


def stop(c, wait_s):
    if running(c):
        os.kill(c["pid"], signal.SIGTERM)
        deadline = time.monotonic() + wait_s
        while running(c) and time.monotonic() < deadline:
            time.sleep(0.05)
        if running(c):
            os.kill(c["pid"], signal.SIGKILL)
        deadline = time.monotonic() + 5
        while exit_code(c["name"]) is None and time.monotonic() < deadline:
            time.sleep(0.05)


def cmd_stop(args):
    opts, rest = take(args, {"-t", "--time"}, set())
    wait_s = float(dict(opts).get("-t") or dict(opts).get("--time") or 10)
    for name in rest:
        stop(load(name), wait_s)
        print(name)


def remove(name):
    for ext in (".json", ".pid", ".exit", ".out", ".log", ".db", ".db-wal", ".db-shm"):
        try:
            os.remove(state_path(name, ext))
        except FileNotFoundError:
            pass


def cmd_rm(args):
    opts, rest = take(args, set(), {"-f", "--force", "-v", "--volumes"})
    force = any(k in ("-f", "--force") for k, _v in opts)
    for name in rest:
        if not os.path.exists(state_path(name, ".json")):
            if force:
                continue
            fail("no container with name or ID %r found: no such container" % name, 1)
        c = load(name)
        if running(c):
            if not force:
                fail("cannot remove container %s as it is running" % name, 2)
            stop(c, 0)
        remove(name)
        print(name)


def cmd_logs(args):
    if len(args) != 1:
        fail("the stand-in knows `logs NAME` only")
    load(args[0])
    with open(state_path(args[0], ".log"), "rb") as f:
        sys.stdout.buffer.write(f.read())


def cleanup():
    if not STATE or not os.path.isdir(STATE):
        return 0
    for name in os.listdir(STATE):
        if name.endswith(".json") and name != "calls.json":
            with open(os.path.join(STATE, name)) as f:
                c = json.load(f)
            if c.get("pid") and running(c):
                os.kill(c["pid"], signal.SIGKILL)
    return 0


def main():
    args = sys.argv[1:]
    if args == ["--cleanup"]:
        return cleanup()
    if not STATE:
        fail("PODMAN_STANDIN_STATE is not set")
    global_opts = []
    while args and args[0].startswith("--"):
        name, eq, value = args[0].partition("=")
        if name != "--runtime":
            fail("unknown flag: %s" % name)
        if eq:
            global_opts += [name, value]
            args = args[1:]
        else:
            global_opts += args[:2]
            args = args[2:]
    with open(os.path.join(STATE, "calls.log"), "a") as f:
        f.write(json.dumps({"global": global_opts, "command": args[0] if args else None,
                            "args": args[1:],
                            "containers_conf": os.environ.get("CONTAINERS_CONF")}) + "\n")
    if not args:
        fail("no command")
    commands = {"run": cmd_run, "healthcheck": cmd_healthcheck, "port": cmd_port,
                "inspect": cmd_inspect, "stop": cmd_stop, "rm": cmd_rm, "logs": cmd_logs}
    if args[0] not in commands:
        fail("the stand-in does not know `podman %s`" % args[0])
    commands[args[0]](args[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
