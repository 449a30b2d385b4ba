#!/usr/bin/python3
"""A real client against the real binary: the OpenStack Trove client, unmodified.

Starts the built rdsemu on port 0 with a temporary database and the seed file beside this
script, points a keystoneauth1 token-endpoint session at http://127.0.0.1:PORT/rds/v1/PROJECT,
and drives the v1 backup API through troveclient.v1 (docs/api.md).

    /usr/bin/python3 trove_client_test.py PATH/TO/rdsemu [SEED_FILE]

It also runs check_v1_siblings_list_and_delete() (backups.list() and backups.delete(), docs/api.md
section 3).

Errors: the real v1 API answers {"errCode", "externalMessage"} (docs/api.md), and
troveclient's error parser (troveclient/apiclient/exceptions.py, from_response) only reads
OpenStack's shapes ({"message": ...} or {"<kind>": {"message": ...}}), so on any v1 error it
fails with an AttributeError inside that parser instead of raising its Conflict/NotFound/...
That is the library meeting the real service's error shape, not an emulator fault (see
docs/clients.md). For error cases the test therefore requires that the call fails (either the
mapped exception or that parser failure, never a return value) and checks status, errCode and
externalMessage on the wire.

Every HTTP exchange is observed (never altered) through a requests response hook, so each
check can look at the wire as well as at what the library made of it. The last line is
"N passed, M failed"; the exit status is 0 only when nothing failed.

Needs only Debian packages: python3-troveclient, python3-keystoneauth1.
"""

import datetime
import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import uuid

import requests
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint
from troveclient import exceptions as trove_exc
from troveclient.v1 import backups as trove_backups
from troveclient.v1 import client as trove_client

# --- the seed (trove-seed.json) -----------------------------------------------------------
PROJECT = "trove-client-project-01"
SLOW = "3c1f7e2a-5b9d-4e8f-a1c2-7d6e5f4a3b21"      # MySQL 5.6.30, backups stay BUILDING 1 h
INSTANT = "8e4d2c1b-0a9f-4b7e-86d5-4c3b2a190f87"   # MySQL 5.6.30, build time 0, 1 GB
POSTGRES = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"  # PostgreSQL 14, BUILDING 1 h
REPLICA = "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e"   # MySQL read replica
OTHER_PROJECT_INSTANCE = "f0e1d2c3-b4a5-4697-8877-665544332211"  # in trove-client-project-02
OUR_INSTANCES = {SLOW, INSTANT, POSTGRES, REPLICA}

TOKEN = "trove-client-test-token"
START_TIMEOUT = 15    # seconds to wait for the "listening on" line
STOP_TIMEOUT = 15     # seconds to wait for exit after SIGTERM
HTTP_TIMEOUT = 15     # per HTTP request

# The documented member order of the v1 create response's "backup" (docs/api.md).
BACKUP_MEMBERS = ["created", "dataStore", "description", "id", "instance_id", "locationRef",
                  "name", "parent_id", "size", "status", "updated", "backuptype"]

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
JOB_RE = re.compile(r"^[0-9a-f]{32}$")
V1_TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
LISTEN_RE = re.compile(r"^rdsemu listening on (http://127\.0\.0\.1:(\d+))\s*$")


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, what, detail=None):
        if cond:
            self.passed += 1
            print("ok   - %s" % what)
        else:
            self.failed += 1
            print("FAIL - %s" % what)
            if detail:
                for line in str(detail).splitlines():
                    print("       %s" % line)
        sys.stdout.flush()
        return bool(cond)

    def equal(self, got, want, what):
        return self.check(got == want, what, "got  %r\nwant %r" % (got, want))


class Exchange:
    """One HTTP request and its answer, as seen on the wire."""

    def __init__(self, resp):
        req = resp.request
        self.method = req.method
        self.url = req.url
        self.req_headers = dict(req.headers)
        body = req.body
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        self.req_body = body
        self.status = resp.status_code
        self.headers = resp.headers
        self.text = resp.text

    def json(self):
        try:
            return json.loads(self.text, object_pairs_hook=_ordered_pairs)
        except ValueError:
            return None

    def describe(self):
        return "request: %s %s %s\nanswer:  %d %s" % (
            self.method, self.url, self.req_body or "", self.status, self.text)


class OrderedObject(dict):
    """A dict that also remembers the members in the order the server sent them."""

    def __init__(self, pairs):
        super().__init__(pairs)
        self.member_order = [k for k, _ in pairs]


def _ordered_pairs(pairs):
    return OrderedObject(pairs)


class Wire:
    """Records every exchange of a requests.Session through a response hook."""

    def __init__(self):
        self.exchanges = []
        self._mark = 0

    def hook(self, resp, *args, **kwargs):
        self.exchanges.append(Exchange(resp))

    def mark(self):
        self._mark = len(self.exchanges)

    def since_mark(self):
        return self.exchanges[self._mark:]


# --- the server -----------------------------------------------------------------------------

class Server:
    def __init__(self, binary, tmpdir, seed):
        self.stderr_path = os.path.join(tmpdir, "rdsemu.stderr")
        self.base = None
        self.proc = None
        env = {k: v for k, v in os.environ.items() if not k.startswith("RDSEMU_")}
        self._stderr = open(self.stderr_path, "wb")
        try:
            self.proc = subprocess.Popen(
                [binary, "--listen", "127.0.0.1:0", "--db", os.path.join(tmpdir, "t.db"),
                 "--seed", seed],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._stderr, env=env)
        except OSError:
            self._stderr.close()
            raise

    def wait_listening(self, timeout):
        """Reads the one stdout line; returns the base URL or None (bounded wait)."""
        fd = self.proc.stdout.fileno()
        sel = selectors.DefaultSelector()
        sel.register(fd, selectors.EVENT_READ)
        buf = b""
        deadline = time.monotonic() + timeout
        try:
            while b"\n" not in buf:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None, "no 'listening on' line within %d s" % timeout
                if not sel.select(left):
                    continue
                chunk = os.read(fd, 4096)
                if not chunk:
                    return None, "stdout closed (exit status %r) before the line" % (
                        self.proc.poll(),)
                buf += chunk
        finally:
            sel.close()
        line = buf.split(b"\n", 1)[0].decode("utf-8", "replace")
        m = LISTEN_RE.match(line)
        if not m:
            return None, "unexpected first stdout line %r" % line
        self.base = m.group(1)
        return self.base, line

    def stop(self, timeout):
        """SIGTERM, then a bounded wait; returns (exit status or None, note)."""
        if self.proc.poll() is not None:
            return self.proc.returncode, "had already exited"
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout), "exited after SIGTERM"
        except subprocess.TimeoutExpired:
            self.proc.kill()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            return None, "still running %d s after SIGTERM; killed" % timeout

    def close(self):
        if self.proc.stdout:
            self.proc.stdout.close()
        self._stderr.close()

    def stderr_tail(self, lines=20):
        try:
            with open(self.stderr_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


# --- helpers --------------------------------------------------------------------------------

def expect_error(res, wire, what, call, exc_class, status, code):
    """Runs call(); it must raise troveclient's exc_class with http_status == status, and
    the answer on the wire must be that status with errCode == code (v1 error shape)."""
    wire.mark()
    raised = None
    try:
        call()
    except Exception as e:  # noqa: BLE001 -- anything the library raises is judged below
        raised = e
    seen = wire.since_mark()
    last = seen[-1] if seen else None
    answer = last.describe() if last else "(no HTTP exchange was recorded)"
    if raised is None:
        res.check(False, "%s: troveclient raises %s" % (what, exc_class.__name__),
                  "no exception was raised\n" + answer)
    elif isinstance(raised, AttributeError) and any(
            f.filename.endswith("troveclient/apiclient/exceptions.py")
            for f in traceback.extract_tb(raised.__traceback__)):
        res.check(True, "%s: the call fails (troveclient's parser cannot read the v1 error "
                  "shape)" % what)
    elif isinstance(raised, exc_class):
        res.check(getattr(raised, "http_status", None) == status,
                  "%s: troveclient raises %s (%d)" % (what, exc_class.__name__, status),
                  "http_status %r\n%s" % (getattr(raised, "http_status", None), answer))
    else:
        where = traceback.extract_tb(raised.__traceback__)[-1]
        res.check(False, "%s: troveclient raises %s" % (what, exc_class.__name__),
                  "troveclient raised %s: %s (at %s:%d) instead\n%s" % (
                      type(raised).__name__, raised, where.filename, where.lineno, answer))
    res.equal(len(seen), 1, "%s: exactly one HTTP request was sent" % what)
    if last is None:
        return
    body = last.json()
    got = (last.status, body.get("errCode") if isinstance(body, dict) else None)
    res.check(got == (status, code) and isinstance(body, dict)
              and isinstance(body.get("externalMessage"), str) and body["externalMessage"],
              "%s: answer is %d with errCode %s and an externalMessage" % (what, status, code),
              answer)


def check_backup_object(res, what, b, name, instance, description, ds_type, ds_version):
    """The library's Backup object has every documented member with the right values."""
    res.check(isinstance(b, trove_backups.Backup), "%s: returns a troveclient Backup" % what,
              "got %r" % (b,))
    if not isinstance(b, trove_backups.Backup):
        return
    info = b.to_dict()
    res.equal(sorted(info), sorted(BACKUP_MEMBERS), "%s: Backup has the documented members" % what)
    res.check(isinstance(getattr(b, "id", None), str) and UUID_RE.match(b.id),
              "%s: id is a lowercase UUID" % what, "id %r" % getattr(b, "id", None))
    res.equal(getattr(b, "name", None), name, "%s: name" % what)
    res.equal(getattr(b, "description", None), description, "%s: description" % what)
    res.equal(getattr(b, "instance_id", None), instance, "%s: instance_id" % what)
    res.equal(getattr(b, "status", None), "BUILDING", "%s: status BUILDING" % what)
    ds = getattr(b, "dataStore", None)
    ok = (isinstance(ds, dict) and ds.get("type") == ds_type and ds.get("version") == ds_version
          and isinstance(ds.get("version_id"), str) and UUID_RE.match(ds["version_id"]))
    res.check(ok, "%s: dataStore is %s %s with a version_id UUID" % (what, ds_type, ds_version),
              "dataStore %r" % (ds,))
    created = getattr(b, "created", None)
    ok = isinstance(created, str) and V1_TIME_RE.match(created)
    if ok:
        t = datetime.datetime.strptime(created, "%Y-%m-%dT%H:%M:%S")
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        ok = abs((now - t).total_seconds()) < 300
    res.check(ok, "%s: created is YYYY-MM-DDTHH:MM:SS UTC, now (fresh DB, no clock offset)"
              % what, "created %r" % (created,))
    for member in ("locationRef", "parent_id", "size", "updated"):
        res.check(member in info and info[member] is None, "%s: %s is null" % (what, member),
                  "%s %r" % (member, info.get(member, "<absent>")))
    res.equal(getattr(b, "backuptype", None), "1", "%s: backuptype \"1\"" % what)


def check_create_wire(res, wire, what, endpoint, body_backup):
    """The single exchange since the mark: what troveclient sent and the raw 200 answer."""
    seen = wire.since_mark()
    res.equal(len(seen), 1, "%s: exactly one HTTP request was sent" % what)
    if not seen:
        return None
    ex = seen[-1]
    res.equal((ex.method, ex.url), ("POST", endpoint + "/backups"),
              "%s: troveclient sent POST {endpoint}/backups" % what)
    res.equal(ex.req_headers.get("X-Auth-Token"), TOKEN, "%s: X-Auth-Token sent" % what)
    sent = json.loads(ex.req_body) if ex.req_body else None
    res.equal(sent, {"backup": body_backup},
              "%s: request body (with troveclient's \"incremental\": 0)" % what)
    res.equal(ex.status, 200, "%s: answer is 200" % what)
    res.check(ex.headers.get("Content-Type", "").startswith("application/json"),
              "%s: answer Content-Type application/json" % what,
              "Content-Type %r" % ex.headers.get("Content-Type"))
    body = ex.json()
    if not res.check(isinstance(body, dict) and isinstance(body.get("backup"), dict),
                     "%s: answer is {\"backup\": {...}, ...}" % what, ex.describe()):
        return None
    res.equal(body.member_order, ["backup", "extendparam"], "%s: top-level members" % what)
    res.equal(body["backup"].member_order, BACKUP_MEMBERS,
              "%s: backup members in the documented order" % what)
    jobs = (body.get("extendparam") or {}).get("jobs")
    res.check(isinstance(jobs, list) and len(jobs) == 1 and isinstance(jobs[0], str)
              and JOB_RE.match(jobs[0]),
              "%s: extendparam.jobs holds one 32-hex job id" % what, "jobs %r" % (jobs,))
    return body["backup"]


def create_ok(res, wire, client, endpoint, what, name, instance, description=None,
              ds=("MySQL", "5.6.30")):
    """backups.create() that must succeed; returns the Backup or None."""
    wire.mark()
    try:
        b = client.backups.create(name, instance, description=description)
    except Exception as e:  # noqa: BLE001
        seen = wire.since_mark()
        res.check(False, "%s: backups.create succeeds" % what,
                  "%s: %s\n%s" % (type(e).__name__, e,
                                  seen[-1].describe() if seen else "(no exchange)"))
        return None
    sent = {"name": name, "incremental": 0, "instance": instance}
    if description:
        sent["description"] = description
    check_create_wire(res, wire, what, endpoint, sent)
    check_backup_object(res, what, b, name, instance, description, ds[0], ds[1])
    return b


# --- the checks -------------------------------------------------------------------------------

def check_v1_create(res, wire, client, endpoint, created):
    """POST /rds/v1/{project_id}/backups through backups.create() (docs/api.md).

    Appends every backup the server accepted to created (oldest first)."""
    first = create_ok(res, wire, client, endpoint, "create with description",
                      "trove_full-01", SLOW, description="made by python-troveclient")
    if first is None:
        return
    created.append(first)

    expect_error(res, wire, "second create while the first is BUILDING",
                 lambda: client.backups.create("trove_second", SLOW),
                 trove_exc.Conflict, 409, "RDS.3004")

    pg = create_ok(res, wire, client, endpoint, "create without description (PostgreSQL)",
                   "pg_backup", POSTGRES, ds=("PostgreSQL", "14"))
    if pg is not None:
        created.append(pg)

    # Build time 0: only the create response itself shows BUILDING.
    inst = create_ok(res, wire, client, endpoint, "create, 4-character name",
                     "Abcd", INSTANT, description="短" * 256)
    if inst is not None:
        created.append(inst)
        res.equal(inst.dataStore.get("version_id"), first.dataStore.get("version_id"),
                  "same engine+version gives the same dataStore.version_id")
        if pg is not None:
            res.check(pg.dataStore.get("version_id") != first.dataStore.get("version_id"),
                      "another engine gives another dataStore.version_id",
                      "both %r" % first.dataStore.get("version_id"))
        res.check(inst.id != first.id, "each backup gets a fresh id", "both %r" % inst.id)

    longest = create_ok(res, wire, client, endpoint, "create, 64-character name",
                        "Z" + "y_-9" * 15 + "abc", INSTANT)
    if longest is not None:
        created.append(longest)

    expect_error(res, wire, "a name already used on the instance",
                 lambda: client.backups.create("Abcd", INSTANT),
                 trove_exc.Conflict, 409, "RDS.0031")

    for label, name in (("3-character name", "abc"),
                        ("65-character name", "Z" + "y" * 64),
                        ("name starting with a digit", "1abcd"),
                        ("name with a space", "ab cd"),
                        ("name with '!'", "abcd!"),
                        ("name with a non-ASCII letter", "abcdé"),
                        ("empty name", "")):
        expect_error(res, wire, "invalid name (%s)" % label,
                     lambda name=name: client.backups.create(name, INSTANT),
                     trove_exc.BadRequest, 400, "RDS.0001")

    expect_error(res, wire, "description of 257 code points",
                 lambda: client.backups.create("desc_long", INSTANT, description="短" * 257),
                 trove_exc.BadRequest, 400, "RDS.0001")
    expect_error(res, wire, "description with '<'",
                 lambda: client.backups.create("desc_bad", INSTANT, description="a <b> c"),
                 trove_exc.BadRequest, 400, "RDS.0001")
    expect_error(res, wire, "unknown instance",
                 lambda: client.backups.create("nowhere", str(uuid.uuid4())),
                 trove_exc.NotFound, 404, "RDS.0002")
    expect_error(res, wire, "instance of another project",
                 lambda: client.backups.create("elsewhere", OTHER_PROJECT_INSTANCE),
                 trove_exc.NotFound, 404, "RDS.0002")
    expect_error(res, wire, "read replica",
                 lambda: client.backups.create("replica_bk", REPLICA),
                 trove_exc.Conflict, 409, "RDS.0056")


def check_v1_siblings_list_and_delete(res, wire, client, endpoint, created):
    """GET and DELETE /rds/v1/{project_id}/backups[/{backup_id}] through backups.list() and
    backups.delete() (docs/api.md).

    created: the backups check_v1_create made, oldest first (at least the SLOW one and an
    INSTANT one are needed)."""
    slow = [b for b in created if b.instance_id == SLOW]
    instant = [b for b in created if b.instance_id == INSTANT]
    if not res.check(slow and instant, "list/delete: create made the backups they need",
                     "created %r" % (created,)):
        return

    def listed(what):
        wire.mark()
        try:
            items = client.backups.list()
        except Exception as e:  # noqa: BLE001
            seen = wire.since_mark()
            res.check(False, "%s: backups.list succeeds" % what,
                      "%s: %s\n%s" % (type(e).__name__, e,
                                      seen[-1].describe() if seen else "(no exchange)"))
            return None
        seen = wire.since_mark()
        if seen:
            ex = seen[-1]
            res.equal((ex.method, ex.url, ex.status), ("GET", endpoint + "/backups", 200),
                      "%s: troveclient sent GET {endpoint}/backups, answer 200" % what)
            body = ex.json()
            elems = body.get("backups") if isinstance(body, dict) else None
            ok = isinstance(elems, list) and all(
                isinstance(e, dict) and e.member_order == BACKUP_MEMBERS for e in elems)
            res.check(ok, "%s: each element has the create's members, in order" % what,
                      ex.describe())
        res.check(all(isinstance(b, trove_backups.Backup) for b in items),
                  "%s: returns troveclient Backup objects" % what, "got %r" % (items,))
        return items

    items = listed("list")
    if items is None:
        return
    res.equal([b.id for b in items], [b.id for b in created],
              "list: every backup of the project, oldest first, no other project's")
    by_id = {b.id: b for b in items}

    s = by_id.get(slow[0].id)
    if res.check(s is not None, "list: the BUILDING backup is listed"):
        res.equal((s.status, s.size, s.updated), ("BUILDING", None, None),
                  "list: BUILDING backup has status BUILDING, size and updated null")
        res.equal({k: getattr(s, k, None) for k in ("name", "description", "instance_id",
                                                    "created", "dataStore")},
                  {k: getattr(slow[0], k, None) for k in ("name", "description",
                                                          "instance_id", "created",
                                                          "dataStore")},
                  "list: BUILDING backup's members equal the create's")
    i = by_id.get(instant[0].id)
    if res.check(i is not None, "list: the build-time-0 backup is listed"):
        res.equal((i.status, i.size, i.updated), ("COMPLETED", 1, instant[0].created),
                  "list: build-time-0 backup is COMPLETED, size 1 GB, updated == created")

    expect_error(res, wire, "delete while BUILDING",
                 lambda: client.backups.delete(slow[0].id),
                 trove_exc.Conflict, 409, "RDS.3004")
    expect_error(res, wire, "delete an unknown backup",
                 lambda: client.backups.delete(str(uuid.uuid4())),
                 trove_exc.NotFound, 404, "RDS.3026")

    victim = instant[0]
    wire.mark()
    try:
        ret = client.backups.delete(victim.id)
        res.check(ret is None, "delete a COMPLETED backup: backups.delete returns", repr(ret))
    except Exception as e:  # noqa: BLE001
        seen = wire.since_mark()
        res.check(False, "delete a COMPLETED backup: backups.delete succeeds",
                  "%s: %s\n%s" % (type(e).__name__, e,
                                  seen[-1].describe() if seen else "(no exchange)"))
    seen = wire.since_mark()
    if res.equal(len(seen), 1, "delete: exactly one HTTP request was sent"):
        ex = seen[0]
        res.equal((ex.method, ex.url, ex.status, ex.json()),
                  ("DELETE", "%s/backups/%s" % (endpoint, victim.id), 200, {}),
                  "delete: DELETE {endpoint}/backups/{id} answered 200 {}")

    items = listed("list after delete")
    if items is not None:
        res.equal([b.id for b in items], [b.id for b in created if b.id != victim.id],
                  "list after delete: the deleted backup is gone, the rest in order")
    expect_error(res, wire, "delete the deleted backup again",
                 lambda: client.backups.delete(victim.id),
                 trove_exc.NotFound, 404, "RDS.3026")
    again = create_ok(res, wire, client, endpoint, "create with the deleted backup's name",
                      victim.name, INSTANT, description=victim.description)
    if again is not None:
        res.check(again.id != victim.id, "the name is free again; the new backup has a new id",
                  "same id %r" % again.id)


def run(binary, seed):
    res = Results()
    tmpdir = tempfile.mkdtemp(prefix="rdsemu-trove-")
    server = None
    try:
        # troveclient writes a bash-completion cache on create/list; keep it in the temp dir.
        os.environ["TROVECLIENT_UUID_CACHE_DIR"] = os.path.join(tmpdir, "troveclient-cache")
        os.environ["no_proxy"] = os.environ["NO_PROXY"] = "127.0.0.1,localhost"

        try:
            server = Server(binary, tmpdir, seed)
        except OSError as e:
            res.check(False, "start %s" % binary, "%s: %s" % (type(e).__name__, e))
            return res
        base, line = server.wait_listening(START_TIMEOUT)
        if not res.check(base is not None, "server prints 'rdsemu listening on http://127.0.0.1:PORT'",
                         "%s\nstderr:\n%s" % (line, server.stderr_tail())):
            return res
        endpoint = "%s/rds/v1/%s" % (base, PROJECT)
        print("#    %s; endpoint %s" % (line, endpoint))

        wire = Wire()
        http = requests.Session()
        http.hooks["response"].append(wire.hook)
        sess = ks_session.Session(auth=token_endpoint.Token(endpoint, TOKEN), session=http,
                                  timeout=HTTP_TIMEOUT)
        client = trove_client.Client(session=sess)

        created = []
        try:
            check_v1_create(res, wire, client, endpoint, created)
        except Exception:  # noqa: BLE001
            res.check(False, "create checks ran to the end", traceback.format_exc())

        try:
            check_v1_siblings_list_and_delete(res, wire, client, endpoint, created)
        except Exception:  # noqa: BLE001
            res.check(False, "list/delete checks ran to the end", traceback.format_exc())

        missing = [ex for ex in wire.exchanges if not UUID_RE.match(
            ex.headers.get("X-Request-Id", "").lower())]
        res.check(wire.exchanges and not missing,
                  "every answer (%d) carries an X-Request-Id UUID" % len(wire.exchanges),
                  "\n".join(ex.describe() for ex in missing[:3]))
        http.close()
    finally:
        # Clean up first, report afterwards: nothing below may leave a server or a directory.
        stopped = stderr_tail = None
        if server is not None:
            stopped = server.stop(STOP_TIMEOUT)
            stderr_tail = server.stderr_tail()
            server.close()
        shutil.rmtree(tmpdir, ignore_errors=True)
        if stopped is not None:
            rc, note = stopped
            res.check(rc == 0, "SIGTERM stops the server with exit status 0",
                      "server %s; exit status %r" % (note, rc))
            if res.failed:
                print("#    server stderr (last lines):")
                for line in stderr_tail.splitlines():
                    print("#    %s" % line)
    return res


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: %s PATH/TO/rdsemu [SEED_FILE]" % argv[0], file=sys.stderr)
        return 2
    binary = argv[1]
    seed = argv[2] if len(argv) == 3 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "trove-seed.json")
    res = run(binary, seed)
    print("%d passed, %d failed" % (res.passed, res.failed))
    return 0 if res.failed == 0 and res.passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
