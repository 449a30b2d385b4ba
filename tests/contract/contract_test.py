#!/usr/bin/python3
"""The published contract against the running server: docs/openapi.yaml vs the built rdsemu.

    /usr/bin/python3 contract_test.py RDSEMU SPEC SEED SOURCE_DIR

Starts the built binary on port 0 with a temporary database and the demo seed, sends real
requests to every route of the spec (a success, and each error the route can give), and
validates every answer against the spec:

- the route (method + path) must be in the spec (or the answer must be the gateway's
  unknown-route 404 of `info.x-rdsemu-unknown-route`);
- the status must be documented for that route: an injected fault's answer follows the
  route's `default` response (and, for 401/403/500 without an `error_code`, also the
  response documented for its status, since it takes the catalogue's code);
- every header the response declares `required` (X-Request-Id) must be there and valid;
- the Content-Type must be the declared media type (no body at all when none is declared),
  and the body must validate against its schema (JSON Schema 2020-12, $refs resolved
  within the spec);
- request bodies the test sends expecting a success must validate against the route's
  request schema, and bodies refused for their content must not.

It also starts the binary with --admin-token (every control-plane route must answer 401, but
those whose only security requirement is {}, the download links of backup files) and with
--auth tokens (every emulated route that asks for credentials must answer 403 on a foreign
project: the path's, or an identity route's X-Project-Id; a login on a foreign project too),
and checks:
every route of src/api/routes.c is in the spec with the same operationId and vice versa;
every route and every documented status was exercised (only the control plane's 500, which
needs a storage failure, is exempt); every example of the spec validates against its
schema; GET /_emulator/openapi.yaml answers docs/openapi.yaml byte for byte; info.version is
the version the health route reports; docs/rdsemu.1 describes every option of
src/app/config.c with its variable.

The last line is "N passed, M failed"; the exit status is 0 only when nothing failed.
Needs only Debian packages: python3-yaml, python3-jsonschema (4.10 or later).
"""

import datetime
import http.client
import json
import os
import re
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

import jsonschema
import yaml

START_TIMEOUT = 15
STOP_TIMEOUT = 15
HTTP_TIMEOUT = 15
BASE_URI = "urn:rdsemu:openapi"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
LISTEN_RE = re.compile(r"^rdsemu listening on (http://127\.0\.0\.1:(\d+))\s*$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# A row of the route table: {{"METHOD", <pattern>}, handler, <flavour and flags>, "operation"},
# where the pattern is string literals and the table's own string macros, side by side.
ROUTE_RE = re.compile(r'\{\{\s*"(GET|HEAD|POST|PUT|DELETE|PATCH)"\s*,\s*((?:"[^"]*"|\w+|\s)+)\}\s*,'
                      r'\s*(\w+)\s*,[^{}"]*"(\w+)"\s*\}')
STRING_MACRO_RE = re.compile(r'^#define\s+(\w+)\s+"([^"]*)"\s*$', re.M)

DEMO = "0549c4d2e6c74b2a9e3b0f0c2f6a1d7e"
DEMO_MYSQL = "44b277eb-39be-4921-be31-3d61b43651d7"
DEMO_MSSQL = "c2aac04b4b44460aa75674fc0fd878b2no04"
DEMO_PG = "7d3f1c2a9b8e4f60a1d2c3b4e5f60718in01"
DEMO_REPLICA = "9a8b7c6d5e4f40312a1b2c3d4e5f6071no02"
Q = "contract-q"        # the test's own project
BIG = 70000             # bytes: over the default --max-body (65536)

# Documented statuses no request can provoke: a storage failure of the control plane
# (emulated routes get their 500 through an injected fault).
UNREACHABLE = {"500": "needs a storage or internal failure (faults never apply to the control plane)"}


class Failures:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.messages = []

    def ok(self):
        self.passed += 1

    def fail(self, what):
        self.failed += 1
        self.messages.append(what)
        print("FAIL: " + what, flush=True)

    def check(self, cond, what):
        if cond:
            self.ok()
        else:
            self.fail(what)
        return cond


R = Failures()


# --- the spec ---------------------------------------------------------------------------

def pointer_of(parts):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


class Spec:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.raw = f.read()
        self.doc = yaml.safe_load(self.raw)
        self.ops = []  # (method, template, regex, op, pointer parts)
        for template, item in self.doc["paths"].items():
            regex = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]*", re.escape(template)) + "$")
            for method in METHODS:
                if method in item:
                    self.ops.append((method.upper(), template, regex, item[method],
                                     ["paths", template, method]))
        self._validators = {}
        try:  # jsonschema >= 4.18 resolves through `referencing`
            import referencing
            import referencing.jsonschema
            resource = referencing.jsonschema.DRAFT202012.create_resource(self.doc)
            self._registry = referencing.Registry().with_resource(BASE_URI, resource)
            self._resolver = None
        except ImportError:  # Debian 12's jsonschema 4.10
            self._registry = None
            self._resolver = jsonschema.RefResolver(base_uri=BASE_URI, referrer=self.doc)

    def node(self, parts):
        node = self.doc
        for p in parts:
            node = node[p]
        return node

    def deref(self, parts):
        """The node at `parts`, following a local $ref; (node, its parts)."""
        node = self.node(parts)
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 16:
            ref = node["$ref"]
            assert ref.startswith("#/"), ref
            parts = [p.replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/")]
            node = self.node(parts)
            seen += 1
        return node, parts

    def validator(self, parts):
        key = tuple(parts)
        if key not in self._validators:
            fragment = urllib.parse.quote(pointer_of(parts), safe="/~")
            schema = {"$ref": BASE_URI + "#" + fragment}
            cls = jsonschema.Draft202012Validator
            if self._registry is not None:
                self._validators[key] = cls(schema, registry=self._registry)
            else:
                self._validators[key] = cls(schema, resolver=self._resolver)
        return self._validators[key]

    def errors(self, parts, instance):
        """Validation errors of `instance` against the schema at `parts` (a list of texts)."""
        v = self.validator(parts)
        return ["%s at %s" % (e.message, "/".join(str(p) for p in e.absolute_path) or "(root)")
                for e in sorted(v.iter_errors(instance), key=lambda e: list(e.absolute_path))]

    def find(self, method, path):
        for m, template, regex, op, parts in self.ops:
            if m == method and regex.match(path):
                return template, op, parts
        return None


# --- the server -------------------------------------------------------------------------

class Server:
    def __init__(self, binary, args, workdir, name):
        self.name = name
        self.stderr_path = os.path.join(workdir, name + ".stderr")
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([binary] + args, stdout=subprocess.PIPE, stderr=self.stderr,
                                     stdin=subprocess.DEVNULL, cwd=workdir)
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + START_TIMEOUT
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                self.kill()
                raise RuntimeError("%s: no 'listening' line within %ds; stderr: %s"
                                   % (name, START_TIMEOUT, self.tail()))
            chunk = os.read(self.proc.stdout.fileno(), 1)
            if not chunk:
                self.proc.wait()
                raise RuntimeError("%s: exited %s before listening; stderr: %s"
                                   % (name, self.proc.returncode, self.tail()))
            line += chunk
        m = LISTEN_RE.match(line.decode())
        if not m:
            self.kill()
            raise RuntimeError("%s: unexpected first line %r" % (name, line))
        self.port = int(m.group(2))

    def tail(self):
        self.stderr.flush()
        with open(self.stderr_path, "rb") as f:
            return f.read()[-2000:].decode(errors="replace")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
                R.fail("%s: did not stop within %ds of SIGTERM" % (self.name, STOP_TIMEOUT))
                return
        R.check(self.proc.returncode == 0,
                "%s: exit status %s after SIGTERM" % (self.name, self.proc.returncode))


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case name -> value
        self.body = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None


# --- the client that checks every answer ------------------------------------------------

class Contract:
    def __init__(self, spec):
        self.spec = spec
        self.seen = {}          # (method, template) -> set of statuses ("default" included)
        self.request_ids = set()

    def send(self, port, method, path, body=None, headers=None, http10=False):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
        if http10:  # HTTP/1.0 may leave out Host: the request is sent without one
            conn._http_vsn, conn._http_vsn_str = 10, "HTTP/1.0"
        try:
            conn.putrequest(method, path, skip_accept_encoding=True, skip_host=http10)
            hdrs = dict(headers or {})
            if body is not None:
                hdrs.setdefault("Content-Length", str(len(body)))
            for k, v in hdrs.items():
                conn.putheader(k, v)
            conn.endheaders(body)
            resp = conn.getresponse()
            data = resp.read()
            return Answer(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
        finally:
            conn.close()

    def call(self, port, method, path, *, json_body=None, raw=None, content_type=None,
             token="contract-token", headers=None, expect=None, fault=None, body_valid=None,
             note="", http10=False):
        """Sends one request, checks the answer against the spec; returns the Answer.

        expect: the status the scenario means to provoke (a mismatch is a failure: the
          scenario did not test what it says). fault: "code" when an injected fault with
          its own error_code may answer, "catalogue" when one without an error_code may.
        body_valid: True when the JSON body must validate against the request schema,
          False when it must not (the server refuses it for its content)."""
        hdrs = {}
        if token is not None:
            hdrs["X-Auth-Token"] = token
        body = raw
        if json_body is not None:
            body = json.dumps(json_body).encode()
            hdrs["Content-Type"] = "application/json"
        if content_type is not None:
            hdrs["Content-Type"] = content_type
        hdrs.update(headers or {})
        what = "%s %s%s" % (method, path, (" (" + note + ")") if note else "")
        try:
            a = self.send(port, method, path, body, hdrs, http10)
        except OSError as e:
            R.fail("%s: no answer: %s" % (what, e))
            return None
        what += " -> %d" % a.status
        if expect is not None:
            R.check(a.status == expect, "%s: expected %d (body %s)" % (what, expect, a.body[:300]))
        self.check_answer(method, path, a, what, fault, json_body, body_valid)
        return a

    def check_answer(self, method, path, a, what, fault, json_body, body_valid):
        spec = self.spec
        rid = a.headers.get("x-request-id")
        R.check(rid is not None and UUID_RE.match(rid or ""), "%s: X-Request-Id %r" % (what, rid))
        R.check(rid not in self.request_ids, "%s: X-Request-Id %s given twice" % (what, rid))
        self.request_ids.add(rid)
        route_path = urllib.parse.urlsplit(path).path
        found = spec.find(method, route_path)
        if found is None:
            unknown = spec.doc["info"]["x-rdsemu-unknown-route"]
            R.check(a.status == unknown["status"], "%s: not a route of the spec, yet not the "
                    "unknown-route %d" % (what, unknown["status"]))
            self.check_body(a, what, "application/json",
                            ["info", "x-rdsemu-unknown-route", "schema"])
            return
        template, op, op_parts = found
        responses = op["responses"]
        status = str(a.status)
        keys = []
        if fault is not None and "default" in responses:
            keys.append("default")
            if fault == "catalogue" and status in ("401", "403", "500") and status in responses:
                keys.append(status)
        elif status in responses:
            keys.append(status)
        if not R.check(keys, "%s: status %s is not documented for %s %s"
                       % (what, status, method, template)):
            return
        self.seen.setdefault((method, template), set()).update(keys)
        for key in keys:
            resp, resp_parts = spec.deref(op_parts + ["responses", key])
            for name, header in (resp.get("headers") or {}).items():
                header, header_parts = spec.deref(resp_parts + ["headers", name])
                value = a.headers.get(name.lower())
                if header.get("required") and not R.check(
                        value is not None, "%s: missing header %s" % (what, name)):
                    continue
                if value is not None and "schema" in header:
                    errs = spec.errors(header_parts + ["schema"], value)
                    R.check(not errs, "%s: header %s %r: %s" % (what, name, value, errs))
            content = resp.get("content")
            if not content:
                R.check(a.body == b"", "%s: %s documents no body, got %r"
                        % (what, key, a.body[:200]))
                continue
            ctype = a.headers.get("content-type", "")
            media = [m for m in content if m.lower() == ctype.lower()]
            if not R.check(media, "%s: Content-Type %r is not one of %s"
                           % (what, ctype, list(content))):
                continue
            self.check_body(a, what + " [" + key + "]", media[0],
                            resp_parts + ["content", media[0], "schema"])
        # The request body against the request schema.
        if body_valid is not None and json_body is not None and "requestBody" in op:
            rb, rb_parts = spec.deref(op_parts + ["requestBody"])
            if "application/json" in rb.get("content", {}):
                errs = spec.errors(rb_parts + ["content", "application/json", "schema"],
                                   json_body)
                if body_valid:
                    R.check(not errs, "%s: the spec refuses a body the server accepts: %s"
                            % (what, errs))
                else:
                    R.check(errs, "%s: the spec accepts a body the server refuses: %s"
                            % (what, json.dumps(json_body)[:200]))

    def check_body(self, a, what, media, schema_parts):
        if media == "application/json":
            if not R.check(a.json is not None or a.body.strip() == b"null",
                           "%s: body is not JSON: %r" % (what, a.body[:200])):
                return
            instance = a.json
        else:
            try:
                instance = a.body.decode("utf-8")
            except UnicodeDecodeError:
                R.fail("%s: body is not UTF-8" % what)
                return
        errs = self.spec.errors(schema_parts, instance)
        R.check(not errs, "%s: body does not validate: %s; body %s"
                % (what, errs[:5], a.body[:400]))
        if isinstance(instance, dict) and "request_id" in instance:
            R.check(instance["request_id"] == a.headers.get("x-request-id"),
                    "%s: request_id differs from X-Request-Id" % what)


# --- static checks of the spec ----------------------------------------------------------

def check_routes_table(spec, source_dir):
    with open(os.path.join(source_dir, "src", "api", "routes.c")) as f:
        text = f.read()
    macros = dict(STRING_MACRO_RE.findall(text))

    def pattern_of(parts):
        return "".join(x.group(1) if x.group(1) is not None else macros.get(x.group(2), "?")
                       for x in re.finditer(r'"([^"]*)"|(\w+)', parts))

    table = {(m, pattern_of(p)): op for m, p, _handler, op in ROUTE_RE.findall(text)}
    R.check(len(table) >= 20, "routes.c: only %d routes parsed" % len(table))
    in_spec = {(m, t): op.get("operationId") for m, t, _r, op, _p in spec.ops}
    for key, name in sorted(table.items()):
        if R.check(key in in_spec, "route %s %s of routes.c is not in the spec" % key):
            R.check(in_spec[key] == name, "route %s %s: operationId %r, routes.c says %r"
                    % (key[0], key[1], in_spec[key], name))
    for key in sorted(in_spec):
        R.check(key in table, "route %s %s of the spec is not in routes.c" % key)
    ids = [op.get("operationId") for _m, _t, _r, op, _p in spec.ops]
    R.check(len(ids) == len(set(ids)), "operationIds are not unique")


def check_manpage(source_dir):
    """docs/rdsemu.1 names every option of src/app/config.c with its variable."""
    with open(os.path.join(source_dir, "src", "app", "config.c")) as f:
        options = re.findall(r'\{\s*"([a-z][a-z-]*)"\s*,\s*"(RDSEMU_[A-Z_]+)"', f.read())
    R.check(len(options) >= 10, "config.c: only %d options parsed" % len(options))
    with open(os.path.join(source_dir, "docs", "rdsemu.1")) as f:
        man = f.read()
    for name, var in options:
        R.check("\\-\\-" + name.replace("-", "\\-") in man,
                "docs/rdsemu.1 does not describe --%s" % name)
        R.check(var in man, "docs/rdsemu.1 does not name the variable %s" % var)


def check_static(spec):
    """Every response declares X-Request-Id; every example validates."""
    for method, template, _r, op, parts in spec.ops:
        for status in op["responses"]:
            resp, rparts = spec.deref(parts + ["responses", status])
            R.check("X-Request-Id" in (resp.get("headers") or {}),
                    "%s %s %s: no X-Request-Id header" % (method, template, status))
            for media, mt in (resp.get("content") or {}).items():
                check_examples(spec, mt, rparts + ["content", media], "%s %s %s %s"
                               % (method, template, status, media))
        if "requestBody" in op:
            rb, rbparts = spec.deref(parts + ["requestBody"])
            for media, mt in rb.get("content", {}).items():
                check_examples(spec, mt, rbparts + ["content", media],
                               "%s %s request %s" % (method, template, media))


def check_examples(spec, mt, parts, what):
    examples = []
    if "example" in mt:
        examples.append(("example", mt["example"]))
    for name in mt.get("examples") or {}:
        ex, _ = spec.deref(parts + ["examples", name])
        examples.append((name, ex.get("value")))
    for name, value in examples:
        errs = spec.errors(parts + ["schema"], value)
        R.check(not errs, "%s: example %s does not validate: %s" % (what, name, errs))


# --- the scenarios ----------------------------------------------------------------------

def concrete(template, values):
    return re.sub(r"\{([^}]+)\}", lambda m: values.get(m.group(1), "nope"), template)


SWEEP_VALUES = {"versionId": "v1", "project_id": "contract-sweep", "backup_id": "nope",
                "instance_id": "nope", "fault_id": "nope"}
SWEEP_QUERY = {"v3_backup_list": "?instance_id=nope", "v3_job_get": "?id=nope",
               "v3_backup_files": "?backup_id=nope"}


def emulated(template):
    return not template.startswith("/_emulator/")


def open_route(op):
    """An operation that asks no credentials at all (`security: []`)."""
    return op.get("security") == []


def takes_project_header(spec, op_parts):
    """True when the operation names its project in X-Project-Id (the identity routes)."""
    op = spec.node(op_parts)
    for i, _param in enumerate(op.get("parameters", [])):
        param, _parts = spec.deref(op_parts + ["parameters", i])
        if param.get("in") == "header" and param.get("name") == "X-Project-Id":
            return True
    return False


def login_body(token, project=None, name=None):
    body = {"auth": {"identity": {"methods": ["token"], "token": {"id": token}}}}
    if project is not None or name is not None:
        ref = {"id": project} if project is not None else {"name": name}
        body["auth"]["scope"] = {"project": ref}
    return body


def scenarios_identity(c, spec, port):
    """The identity routes under --auth presence (docs/identity.md): every success and every
    error a request can provoke there; 401 and 403 of --auth tokens in scenarios_tokens."""
    def call(method, path, **kw):
        return c.call(port, method, path, **kw)

    for path in ("/", "/v3"):
        a = call("GET", path, token=None, expect=200)
        R.check(a is not None and a.json and a.json["versions"]["values"][0]["links"][0]["href"]
                == "http://127.0.0.1:%d/v3/" % port, "%s: the href names the Host asked" % path)
        call("GET", path, token=None, http10=True, expect=400, note="HTTP/1.0 without Host")
    a = call("GET", "/v3/auth/catalog", headers={"X-Project-Id": DEMO}, expect=200)
    url = "http://127.0.0.1:%d/v3/%s" % (port, DEMO)
    R.check(a is not None and a.json and a.json["catalog"][0]["endpoints"][0]["url"] == url,
            "the catalog's URL is http://<Host>/v3/<X-Project-Id>")
    call("GET", "/v3/auth/catalog", expect=200, note="no X-Project-Id")
    call("GET", "/v3/auth/catalog", headers={"X-Project-Id": "a.b"}, expect=400,
         note="X-Project-Id")
    a = call("GET", "/v3/auth/tokens", headers={"X-Subject-Token": "contract-token"}, expect=200)
    R.check(a is not None and a.headers.get("x-subject-token") == "contract-token",
            "GET /v3/auth/tokens: X-Subject-Token echoed")
    call("GET", "/v3/auth/tokens", expect=400, note="no X-Subject-Token")
    op = spec.node(["paths", "/v3/auth/tokens", "post"])
    for name, ex in op["requestBody"]["content"]["application/json"]["examples"].items():
        call("POST", "/v3/auth/tokens", token=None, json_body=ex["value"], expect=201,
             body_valid=True, note="spec example " + name)
    for body, note in [
            (login_body("t", DEMO), "project by id"),
            (login_body("t", name=DEMO), "project by name"),
            (login_body("t"), "unscoped"),
            ({"auth": {"identity": {"methods": ["token"], "token": {"id": "t"}},
                       "scope": {"domain": {"id": "local"}, "project": None}}}, "domain scope"),
            ({"auth": {"identity": {"methods": ["password"], "password": {
                "user": {"name": "u", "password": "pw"}}}}}, "password")]:
        a = call("POST", "/v3/auth/tokens", token=None, json_body=body, expect=201,
                 body_valid=True, note=note)
    for body, note in [
            ({}, "no auth"), ({"auth": []}, "auth not an object"),
            ({"auth": {"identity": {"methods": "token"}}}, "methods not an array"),
            ({"auth": {"identity": {"methods": ["totp"]}}}, "no method known"),
            (login_body(""), "empty token"), (login_body("a b"), "a space in the token"),
            (login_body("t", "a/b"), "project id"),
            ({"auth": {"identity": {"methods": ["token"], "token": {"id": "t"}},
                       "scope": {"project": {}}}}, "project without id or name"),
            ({"auth": {"identity": {"methods": ["password"]}}}, "password without user")]:
        call("POST", "/v3/auth/tokens", token=None, json_body=body, expect=400,
             body_valid=False, note=note)
    call("POST", "/v3/auth/tokens", token=None, raw=b"{", content_type="application/json",
         expect=400, note="not JSON")
    # Two projects: a name that is neither ID names nothing (a 401, as a scope IAM refuses).
    call("PUT", "/_emulator/projects/contract-identity/instances/i1", token=None,
         json_body={"name": "x", "datastore": {"type": "MySQL", "version": "8.0"}}, expect=200)
    call("POST", "/v3/auth/tokens", token=None, json_body=login_body("t", name="cn-north-4"),
         expect=401, body_valid=True, note="a name that names no project")
    a = call("GET", "/v3/projects?name=" + DEMO, expect=200)
    R.check(a is not None and a.json and a.json["projects"][0]["id"] == DEMO,
            "GET /v3/projects?name=<ID>: that project")
    call("GET", "/v3/projects", expect=200)
    call("GET", "/v3/projects?name=a&name=b", expect=400)
    call("GET", "/v3/auth/domains", expect=200)
    call("GET", "/v3/auth/domains?name=a&name=b", expect=400)


def scenarios_main(c, spec, port, spec_path):
    P = "/rds/v1/" + DEMO
    V3 = "/v3/" + DEMO

    def call(method, path, **kw):
        return c.call(port, method, path, **kw)

    def advance(seconds):
        call("POST", "/_emulator/clock", json_body={"advance_seconds": seconds}, expect=200,
             body_valid=True)

    # Health, this document.
    a = call("GET", "/_emulator/health", expect=200)
    if a is not None and a.json:
        R.check(a.json.get("version") == spec.doc["info"]["version"],
                "info.version %r differs from the health version %r"
                % (spec.doc["info"]["version"], a.json.get("version")))
    a = call("HEAD", "/_emulator/health", expect=200)
    R.check(a is None or a.body == b"", "HEAD /_emulator/health: a body came with the answer")
    a = call("GET", "/_emulator/openapi.yaml", expect=200)
    if a is not None:
        R.check(a.body == spec.raw, "GET /_emulator/openapi.yaml differs from %s (%d vs %d bytes)"
                % (spec_path, len(a.body), len(spec.raw)))
        try:
            R.check(yaml.safe_load(a.body) == spec.doc, "the served document parses differently")
        except yaml.YAMLError as e:
            R.fail("the served document is not YAML: %s" % e)

    # Control plane: instances.
    base = "/_emulator/projects/" + Q + "/instances/"
    insts = {
        "m1": {"name": "mysql one", "datastore": {"type": "MySQL", "version": "8.0"}},
        "s1": {"name": "mssql", "datastore": {"type": "sqlserver", "version": "2019_EE"},
               "databases": ["a", "b"], "size_kb": 1048576},
        "pg1": {"name": "pg", "datastore": {"type": "PostgreSQL", "version": "14"},
                "backup_seconds": 5, "extra": "ignored"},
        "r1": {"name": "replica", "datastore": {"type": "MySQL", "version": "8.0"},
               "role": "replica", "status": None},
        "down1": {"name": "down", "datastore": {"type": "MySQL", "version": "8.0"},
                  "status": "REBOOTING", "backup_outcome": "fail"},
        "tmp.1": {"name": "temporary", "datastore": {"type": "MySQL", "version": "5.7"}},
    }
    for iid, body in insts.items():
        call("PUT", base + iid, json_body=body, expect=200, body_valid=True, token=None)
    op = spec.node(["paths", "/_emulator/projects/{project_id}/instances/{instance_id}", "put"])
    for name, ex in op["requestBody"]["content"]["application/json"]["examples"].items():
        call("PUT", base + "ex-" + name, json_body=ex["value"], expect=200, body_valid=True,
             token=None, note="spec example " + name)
    bad_bodies = [
        ({"name": "x", "datastore": {"type": "Oracle", "version": "19"}}, "engine"),
        ({"datastore": {"type": "MySQL", "version": "8.0"}}, "no name"),
        ({"name": "", "datastore": {"type": "MySQL", "version": "8.0"}}, "empty name"),
        ({"name": "x", "datastore": "MySQL"}, "datastore not an object"),
        ({"name": "x", "datastore": {"type": "MySQL", "version": "8.0"}, "role": "leader"}, "role"),
        ({"name": "x", "datastore": {"type": "MySQL", "version": "8.0"},
          "backup_seconds": -1}, "backup_seconds"),
        ({"name": "x", "datastore": {"type": "MySQL", "version": "8.0"},
          "databases": ["a", "a"]}, "databases twice"),
        ({"name": "x", "datastore": {"type": "MySQL", "version": "8.0"},
          "backup_outcome": "FAIL"}, "backup_outcome case"),
    ]
    for body, note in bad_bodies:
        call("PUT", base + "bad", json_body=body, expect=400, body_valid=False, token=None,
             note=note)
    good = insts["m1"]
    call("PUT", base + "db%209", json_body=good, expect=400, token=None, note="instance_id")
    call("PUT", "/_emulator/projects/bad.proj/instances/x", json_body=good, expect=400,
         token=None, note="project_id")
    call("PUT", base + "bad", raw=b'{"name": ', content_type="application/json", expect=400,
         token=None, note="not JSON")
    call("PUT", base + "bad", raw=b"[]", content_type="application/json", expect=400,
         token=None, note="not an object")
    call("PUT", base + "bad", raw=b"", expect=400, token=None, note="no body")
    call("PUT", base + "bad", raw=json.dumps(good).encode(), content_type="text/plain",
         expect=400, token=None, note="content type")
    call("GET", base + "m1", expect=200, token=None)
    call("GET", base + "nope", expect=404, token=None)
    call("GET", base + "a%2Fb", expect=400, token=None, note="instance_id")
    call("GET", "/_emulator/projects/" + Q + "/instances", expect=200, token=None)
    call("GET", "/_emulator/projects/" + DEMO + "/instances", expect=200, token=None)
    call("GET", "/_emulator/projects/b%20d/instances", expect=400, token=None)
    call("DELETE", base + "tmp.1", expect=204, token=None)
    call("DELETE", base + "tmp.1", expect=404, token=None)
    call("DELETE", base + "x%00", expect=400, token=None)
    call("DELETE", "/_emulator/projects/contract-empty", expect=204, token=None)
    call("DELETE", "/_emulator/projects/not.valid", expect=400, token=None)

    # The clock stands still from here to the clock section below, so that a build of a few
    # seconds is still running when a check says it must be, however slow the machine.
    call("POST", "/_emulator/clock", json_body={"freeze": True}, expect=200, token=None,
         body_valid=True, note="freeze")
    # v1 create: the spec's documented samples, then every error.
    op = spec.node(["paths", "/rds/{versionId}/{project_id}/backups", "post"])
    for name, ex in op["requestBody"]["content"]["application/json"]["examples"].items():
        call("POST", P + "/backups", json_body=ex["value"], expect=200, body_valid=True,
             note="spec example " + name)
    QV1 = "/rds/v1/" + Q
    a = call("POST", QV1 + "/backups", expect=200, body_valid=True,
             json_body={"backup": {"instance": "m1", "name": "first", "description": "",
                                   "incremental": 0}})
    first_job = a.json["extendparam"]["jobs"][0] if a is not None and a.status == 200 else "x"
    call("POST", QV1 + "/backups", json_body={"backup": {"instance": "m1", "name": "second"}},
         expect=409, body_valid=True, note="BUILDING")
    call("POST", QV1 + "/backups", json_body={"backup": {"instance": "r1", "name": "first"}},
         expect=409, body_valid=True, note="replica")
    call("POST", QV1 + "/backups", json_body={"backup": {"instance": "down1", "name": "first"}},
         expect=409, body_valid=True, note="not ACTIVE")
    call("POST", QV1 + "/backups", json_body={"backup": {"instance": "nope", "name": "first"}},
         expect=404, body_valid=True, note="unknown instance")
    call("POST", QV1 + "/backups", json_body={"backup": {"instance": "pg1", "name": "part",
                                                         "databases": [{"name": "x"}]}},
         expect=400, note="databases on PostgreSQL (v1)")
    call("POST", QV1 + "/backups", json_body={"backup": {"instance": "s1", "name": "part",
                                                         "databases": [{"name": "zz"}]}},
         expect=400, note="unknown database")
    for body, note in [
            ({"backup": {"instance": "m1", "name": "1st"}}, "name rule"),
            ({"backup": {"instance": "m1"}}, "no name"),
            ({"backup": {"name": "nightly"}}, "no instance"),
            ({"backup": {"instance": 5, "name": "nightly"}}, "instance type"),
            ({"backup": {"instance": "m1", "name": "nightly", "description": "a<b"}}, "description"),
            ({"backup": {"instance": "m1", "name": "nightly", "description": "d" * 257}},
             "description length"),
            ({"backup": {"instance": "m1", "name": "nightly", "databases": []}}, "databases empty"),
            ({"backup": {"instance": "s1", "name": "nightly", "databases": [{"name": ""}]}},
             "database name empty"),
            ({"backup": "m1"}, "backup not an object"),
            ({}, "no backup")]:
        call("POST", QV1 + "/backups", json_body=body, expect=400, body_valid=False, note=note)
    call("POST", QV1 + "/backups", raw=b'{"backup": ', content_type="application/json",
         expect=400, note="not JSON")
    call("POST", QV1 + "/backups", raw=b'{"a": "\\u0000"}', content_type="application/json",
         expect=400, note="NUL")
    call("POST", QV1 + "/backups", raw=b"{}", content_type="application/x-www-form-urlencoded",
         expect=400, note="content type")
    call("POST", QV1 + "/backups", json_body={"backup": {"instance": "pg1", "name": "hdr"}},
         headers={"X-Emulator-Backup-Seconds": "soon"}, expect=400, note="seconds header")
    call("POST", QV1 + "/backups", json_body={"backup": {"instance": "pg1", "name": "hdr"}},
         headers={"X-Emulator-Backup-Outcome": "maybe"}, expect=400, note="outcome header")
    call("POST", "/rds/V1/" + Q + "/backups", json_body={}, expect=400, note="versionId")
    call("POST", "/rds/v1/my.project/backups", json_body={}, expect=400, note="project_id")
    call("POST", QV1 + "/backups", json_body={}, token=None, expect=401, note="no token")
    call("POST", QV1 + "/backups", json_body={}, token=None,
         headers={"Authorization": "SDK-HMAC-SHA256 nonsense"}, expect=401, note="bad signature")
    call("POST", QV1 + "/backups", json_body={}, token=None,
         headers={"Authorization": "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature="
                  + "0" * 64}, expect=401, note="signature without X-Sdk-Date")
    call("POST", QV1 + "/backups", token=None, expect=200, body_valid=True,
         json_body={"backup": {"instance": "pg1", "name": "signed"}},
         headers={"Authorization": "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, "
                  "Signature=" + "ab" * 32, "X-Sdk-Date": "20260101T000000Z"},
         note="signed request (presence)")
    call("POST", QV1 + "/backups", raw=b"{" + b" " * BIG + b"}", content_type="application/json",
         expect=413, note="body over the limit")
    # Lifecycle headers: finished at once, failed.
    a = call("POST", QV1 + "/backups", json_body={"backup": {"instance": "s1", "name": "doomed",
                                                             "databases": [{"name": "a"}]}},
             headers={"X-Emulator-Backup-Seconds": "0", "X-Emulator-Backup-Outcome": "FAIL"},
             expect=200, body_valid=True)
    doomed_job = a.json["extendparam"]["jobs"][0] if a is not None and a.status == 200 else "x"
    advance(10)
    call("POST", QV1 + "/backups", json_body={"backup": {"instance": "m1", "name": "first"}},
         expect=409, body_valid=True, note="name taken")
    a = call("GET", QV1 + "/backups", expect=200)
    if a is not None and a.json:
        states = {b["name"]: b for b in a.json["backups"]}
        R.check(states.get("doomed", {}).get("status") == "FAILED"
                and states["doomed"]["size"] is None and states["doomed"]["updated"],
                "v1 list: doomed should be FAILED, size null, updated set: %s"
                % states.get("doomed"))
        R.check(states.get("first", {}).get("status") == "COMPLETED"
                and isinstance(states["first"]["size"], float),
                "v1 list: first should be COMPLETED with a size: %s" % states.get("first"))
    call("GET", P + "/backups", expect=200)
    call("GET", "/rds/v2/" + Q + "/backups", expect=400, note="versionId")
    call("GET", QV1 + "/backups", token="", expect=401, note="empty token")
    # v1 delete.
    a = call("POST", QV1 + "/backups", json_body={"backup": {"instance": "s1", "name": "slow"}},
             headers={"X-Emulator-Backup-Seconds": "3600"}, expect=200, body_valid=True)
    slow_id = a.json["backup"]["id"] if a is not None and a.status == 200 else "x"
    call("DELETE", QV1 + "/backups/" + slow_id, expect=409, note="BUILDING")
    call("DELETE", QV1 + "/backups/nope", expect=404)
    a = call("GET", QV1 + "/backups", expect=200)
    first_id = [b["id"] for b in (a.json or {}).get("backups", []) if b["name"] == "first"]
    call("DELETE", QV1 + "/backups/" + (first_id[0] if first_id else "x"), expect=200)
    call("DELETE", "/rds/v1/" + DEMO + "/backups/" + (first_id[0] if first_id else "x"),
         expect=404, note="another project")
    call("DELETE", "/rds/v3/" + Q + "/backups/nope", expect=400, note="versionId")
    # v1 policy.
    pol = QV1 + "/instances/m1/backups/policy"
    a = call("GET", pol, expect=200)
    R.check(a is not None and a.json == {"policy": {"keepday": 7, "starttime": "00:00:00"}},
            "v1 policy: a new instance's policy is keepday 7, 00:00:00: %s"
            % (a.json if a else None))
    call("GET", QV1 + "/instances/nope/backups/policy", expect=404)
    call("GET", "/rds/v1/p%2Fq/instances/m1/backups/policy", expect=400, note="project_id")
    op = spec.node(["paths", "/rds/{versionId}/{project_id}/instances/{instance_id}/backups/policy",
                    "put"])
    for name, ex in op["requestBody"]["content"]["application/json"]["examples"].items():
        call("PUT", pol, json_body=ex["value"], expect=200, body_valid=True,
             note="spec example " + name)
    a = call("GET", pol, expect=200)
    R.check(a is not None and a.json == {"policy": {"keepday": 14, "starttime": "01:30:00"}},
            "v1 policy: the stored policy comes back as hh:mm:ss: %s" % (a.json if a else None))
    call("PUT", pol, json_body={"policy": {"keepday": 733, "starttime": "01:00"}}, expect=400,
         body_valid=False, note="keepday")
    call("PUT", pol, json_body={"policy": {"keepday": 1, "starttime": "24:00"}}, expect=400,
         body_valid=False, note="starttime")
    call("PUT", pol, json_body={"policy": {"keepday": 1}}, expect=400, body_valid=False,
         note="no starttime")
    call("PUT", pol, json_body={"keepday": 1}, expect=400, body_valid=False, note="no policy")
    call("PUT", QV1 + "/instances/nope/backups/policy", expect=404, body_valid=True,
         json_body={"policy": {"keepday": 1, "starttime": "01:00:00"}})

    # v3.
    QV3 = "/v3/" + Q
    op = spec.node(["paths", "/v3/{project_id}/backups", "post"])
    for name, ex in op["requestBody"]["content"]["application/json"]["examples"].items():
        call("POST", V3 + "/backups", json_body=ex["value"], expect=200, body_valid=True,
             note="spec example " + name)
    a = call("POST", QV3 + "/backups", expect=200, body_valid=True,
             json_body={"instance_id": "pg1", "name": "v3-first", "databases": [{"name": "app"}],
                        "description": None})
    v3_id = a.json["backup"]["id"] if a is not None and a.status == 200 else "x"
    call("POST", QV3 + "/backups", json_body={"instance_id": "pg1", "name": "v3-second"},
         expect=409, body_valid=True, note="BUILDING")
    call("DELETE", QV3 + "/backups/" + v3_id, expect=409, note="BUILDING")
    call("POST", QV3 + "/backups", json_body={"instance_id": "r1", "name": "v3-first"},
         expect=400, body_valid=True, note="replica")
    call("POST", QV3 + "/backups", json_body={"instance_id": "nope", "name": "v3-first"},
         expect=404, body_valid=True, note="unknown instance")
    call("POST", QV3 + "/backups", json_body={"instance_id": "m1", "name": "x"}, expect=400,
         body_valid=False, note="name rule")
    call("POST", QV3 + "/backups", json_body={"backup": {"instance": "m1", "name": "v1shape"}},
         expect=400, body_valid=False, note="the v1 shape")
    call("POST", QV3 + "/backups", json_body={"instance_id": "m1", "name": "v3-part",
                                              "databases": [{"name": "a"}]},
         expect=400, note="databases on MySQL")
    call("POST", QV3 + "/backups", raw=b"[1]", content_type="application/json", expect=400,
         note="not an object")
    call("POST", QV3 + "/backups", json_body={}, token=None, expect=401)
    call("POST", "/v3/-" + "x" * 64 + "/backups", json_body={}, expect=400, note="project_id")
    call("POST", QV3 + "/backups", raw=b"{" + b" " * BIG + b"}", content_type="application/json",
         expect=413)
    a = call("POST", QV3 + "/backups", expect=200, body_valid=True,
             headers={"X-Emulator-Backup-Seconds": "3600", "x-emulator-backup-outcome": "Success"},
             json_body={"instance_id": "m1", "name": "v3-slow"})
    v3_slow = a.json["backup"]["id"] if a is not None and a.status == 200 else "x"
    advance(10)
    call("POST", QV3 + "/backups", json_body={"instance_id": "pg1", "name": "v3-first"},
         expect=409, body_valid=True, note="name taken")
    lst = QV3 + "/backups?instance_id="
    a = call("GET", lst + "pg1", expect=200)
    if a is not None and a.json:
        parts = [b for b in a.json["backups"] if b["name"] == "v3-first"]
        R.check(parts and parts[0].get("databases") == [{"name": "app"}]
                and parts[0]["status"] == "COMPLETED" and parts[0]["size"] == 2048,
                "v3 list: v3-first should be COMPLETED, 2048 kB, with its databases: %s" % parts)
    call("GET", lst + "s1&backup_type=manual&offset=0&limit=1&backup_id=&begin_time="
         "2000-01-01T00:00:00%2B0000&end_time=2100-01-01T00:00:00+0000&unknown=1", expect=200,
         note="every filter")
    call("GET", lst + "s1&offset=1000", expect=200, note="past the end")
    call("GET", lst + "m1&backup_id=" + v3_slow, expect=200)
    call("GET", lst + "m1", expect=200, note="a v1 backup through v3")
    call("GET", QV3 + "/backups", expect=400, note="no instance_id")
    call("GET", QV3 + "/backups?instance_id=", expect=400, note="empty instance_id")
    call("GET", lst + "m1&limit=0", expect=400, note="limit")
    call("GET", lst + "m1&limit=101", expect=400, note="limit")
    call("GET", lst + "m1&offset=-1", expect=400, note="offset")
    call("GET", lst + "m1&backup_type=full", expect=400, note="backup_type")
    call("GET", lst + "m1&begin_time=2026-01-01T00:00:00%2B0000", expect=400,
         note="begin_time alone")
    call("GET", lst + "m1&begin_time=yesterday&end_time=today", expect=400, note="times")
    call("GET", lst + "m1&instance_id=m1", expect=400, note="given twice")
    call("GET", lst + "nope", expect=404)
    call("DELETE", base + "m1", expect=204, token=None, note="the instance goes, its backups stay")
    call("GET", lst + "m1", expect=200, note="a deleted instance's backups")
    call("PUT", base + "m1", json_body=insts["m1"], expect=200, body_valid=True, token=None)
    call("DELETE", QV3 + "/backups/" + v3_id, expect=200)
    call("DELETE", QV3 + "/backups/" + v3_id, expect=404)
    call("DELETE", "/v3/a.b/backups/x", expect=400, note="project_id")
    # v3 jobs.
    jobs = QV3 + "/jobs?id="
    a = call("GET", jobs + first_job, expect=200, note="the job of a deleted v1 backup")
    R.check(a is not None and a.json and a.json["job"]["status"] == "Completed",
            "v3 job of a finished v1 create should be Completed: %s" % (a.json if a else None))
    a = call("GET", jobs + doomed_job, expect=200, note="a failed job")
    R.check(a is not None and a.json and a.json["job"]["status"] == "Failed"
            and a.json["job"]["fail_reason"] and a.json["job"]["ended"],
            "v3 job of a failed backup should be Failed, with a reason and an end: %s"
            % (a.json if a else None))
    a = call("POST", QV1 + "/backups", json_body={"backup": {"instance": "pg1", "name": "polled"}},
             headers={"X-Emulator-Backup-Seconds": "1000"}, expect=200, body_valid=True)
    polled = a.json["extendparam"]["jobs"][0] if a is not None and a.status == 200 else "x"
    # Times are whole seconds and real time goes on between the calls: a second boundary
    # crossed on the way adds 1 s, which must stay under 1% of the build time.
    advance(500)
    a = call("GET", jobs + polled, expect=200, note="Running")
    R.check(a is not None and a.json and a.json["job"]["status"] == "Running"
            and a.json["job"]["process"] == "50%",
            "v3 job half way should be Running at 50%%: %s" % (a.json if a else None))
    call("GET", QV3 + "/jobs", expect=400, note="no id")
    a = call("GET", jobs + "nope", expect=400, note="unknown job")
    R.check(a is not None and (a.json or {}).get("error_code") == "DBS.200543",
            "v3 jobs: an unknown job is DBS.200543: %s" % (a.json if a else None))
    a = call("GET", "/v3/" + DEMO + "/jobs?id=" + polled, expect=400, note="another project's job")
    R.check(a is not None and (a.json or {}).get("error_code") == "DBS.200543",
            "v3 jobs: another project's job is DBS.200543: %s" % (a.json if a else None))
    call("GET", jobs + "a&id=b", expect=400, note="id twice")
    call("GET", "/v3/%20/jobs?id=x", expect=400, note="project_id")

    # Control plane: forced transitions.
    op = spec.node(["components", "requestBodies", "ForceBody"])
    reason = op["content"]["application/json"]["examples"]["reason"]["value"]
    call("POST", "/_emulator/backups/" + v3_slow + "/complete", expect=200, token=None,
         note="no body")
    call("POST", "/_emulator/backups/" + v3_slow + "/complete", expect=409, token=None)
    call("POST", "/_emulator/backups/" + v3_slow + "/fail", json_body=reason, expect=409,
         token=None, body_valid=True)
    call("POST", "/_emulator/backups/" + slow_id + "/fail", json_body={"reason": ""},
         expect=400, token=None, body_valid=False, note="empty reason")
    call("POST", "/_emulator/backups/" + slow_id + "/fail", raw=b"{", expect=400, token=None,
         content_type="application/json", note="not JSON")
    call("POST", "/_emulator/backups/" + slow_id + "/complete", raw=b"{}", expect=400,
         token=None, content_type="text/plain", note="content type")
    call("POST", "/_emulator/backups/" + slow_id + "/fail", json_body=reason, expect=200,
         token=None, body_valid=True)
    call("POST", "/_emulator/backups/nope/fail", expect=404, token=None)
    call("POST", "/_emulator/backups/nope/complete", json_body={}, expect=404, token=None,
         body_valid=True)
    # The automated backup policy (v3, one policy with v1), automated backups, DELETING and
    # the instance API, in a project of their own, on a clock set to a Monday 00:00 after the
    # time it shows now (so that the windows, the names and the retention are exact).
    A = "contract-auto"
    QA3 = "/v3/" + A
    abase = "/_emulator/projects/" + A + "/instances/"
    a = call("GET", "/_emulator/clock", expect=200, token=None)
    shown = a.json["now"] if a is not None and a.json else "2030-01-01T00:00:00+0000"
    t = datetime.datetime.strptime(shown, "%Y-%m-%dT%H:%M:%S%z")
    monday = (t + datetime.timedelta(days=8 - t.isoweekday())).replace(hour=0, minute=0,
                                                                       second=0)

    def stamp(d):
        return d.strftime("%Y-%m-%dT%H:%M:%S+0000")

    def code_of(answer):
        return (answer.json or {}).get("error_code") if answer is not None else None

    call("POST", "/_emulator/clock", json_body={"now": stamp(monday), "freeze": True},
         expect=200, token=None, body_valid=True, note="a Monday")
    call("PUT", abase + "auto1", expect=200, body_valid=True, token=None,
         json_body={"name": "auto one", "datastore": {"type": "MySQL", "version": "8.0"},
                    "backup_seconds": 600})
    call("PUT", abase + "pg2", expect=200, body_valid=True, token=None,
         json_body={"name": "pg two", "datastore": {"type": "PostgreSQL", "version": "14"},
                    "backup_seconds": 0, "delete_seconds": 60})
    for body, note in [
            ({"name": "x", "datastore": {"type": "MySQL", "version": "8.0"},
              "backup_policy": {"keep_days": 3, "start_time": "01:10-02:10", "period": "1"}},
             "backup_policy.start_time"),
            ({"name": "x", "datastore": {"type": "MySQL", "version": "8.0"},
              "backup_policy": {"keep_days": 3, "start_time": "01:00-02:00"}},
             "backup_policy without period"),
            ({"name": "x", "datastore": {"type": "MySQL", "version": "8.0"},
              "backup_policy": "daily"}, "backup_policy not an object"),
            ({"name": "x", "datastore": {"type": "MySQL", "version": "8.0"},
              "delete_seconds": -1}, "delete_seconds")]:
        call("PUT", abase + "bad", json_body=body, expect=400, body_valid=False, token=None,
             note=note)
    call("PUT", abase + "bad", expect=400, token=None, note="keep_days 0 on MySQL",
         json_body={"name": "x", "datastore": {"type": "MySQL", "version": "8.0"},
                    "backup_policy": {"keep_days": 0}})
    pol = QA3 + "/instances/auto1/backups/policy"
    a = call("GET", pol, expect=200)
    default = {"keep_days": 7, "start_time": "00:00-01:00", "period": "1,2,3,4,5,6,7"}
    R.check(a is not None and a.json == {"backup_policy": default},
            "v3 policy: a new instance's policy: %s" % (a.json if a else None))
    call("GET", QA3 + "/instances/nope/backups/policy", expect=404)
    op = spec.node(["paths", "/v3/{project_id}/instances/{instance_id}/backups/policy", "put"])
    for name, ex in op["requestBody"]["content"]["application/json"]["examples"].items():
        call("PUT", QA3 + "/instances/pg2/backups/policy", json_body=ex["value"], expect=200,
             body_valid=True, note="spec example " + name)
    a = call("GET", QA3 + "/instances/pg2/backups/policy", expect=200, note="off")
    R.check(a is not None and a.json == {"backup_policy": {"keep_days": 0}},
            "v3 policy: keep_days 0 shows alone: %s" % (a.json if a else None))
    weekly = {"backup_policy": {"keep_days": 7, "start_time": "02:00-03:00", "period": "1,3,5"}}
    call("PUT", pol, json_body=weekly, expect=200, body_valid=True)
    a = call("GET", pol, expect=200)
    R.check(a is not None and a.json == weekly, "v3 policy: stored as given: %s"
            % (a.json if a else None))
    a = call("GET", "/rds/v1/" + A + "/instances/auto1/backups/policy", expect=200)
    R.check(a is not None and a.json == {"policy": {"keepday": 7, "starttime": "02:00:00"}},
            "v1 policy: the v3 policy in the v1 shape: %s" % (a.json if a else None))
    a = call("GET", abase + "auto1", expect=200, token=None)
    R.check(a is not None and a.json and a.json["backup_policy_set"] is True
            and a.json["backup_policy"] == weekly["backup_policy"],
            "control plane: the policy set through v3: %s" % (a.json if a else None))
    for body, note, code in [
            ({"backup_policy": {"keep_days": 7, "start_time": "02:10-03:10", "period": "1"}},
             "start_time", "DBS.280253"),
            ({"backup_policy": {"keep_days": 7, "start_time": "02:00-03:00", "period": "1, 3"}},
             "period", "DBS.280251"),
            ({"backup_policy": {"keep_days": 7, "start_time": "02:00-03:00"}}, "no period",
             "DBS.280251"),
            ({"backup_policy": {"start_time": "02:00-03:00", "period": "1"}}, "no keep_days",
             "DBS.280250"),
            ({"backup_policy": {"keep_days": "7"}}, "keep_days type", "DBS.200001"),
            ({"backup_policy": {"keep_days": 7, "start_time": 200, "period": "1"}},
             "start_time type", "DBS.200001"),
            (dict(weekly, reserve_backups="no"), "reserve_backups", "DBS.200001"),
            ({"keep_days": 7}, "no backup_policy", "DBS.200001")]:
        a = call("PUT", pol, json_body=body, expect=400, body_valid=False, note=note)
        R.check(code_of(a) == code,
                "v3 policy PUT (%s): %s, expected %s" % (note, code_of(a), code))
    for body, note in [({"backup_policy": {"keep_days": 0}}, "keep_days 0 on MySQL"),
                       ({"backup_policy": dict(weekly["backup_policy"], keep_days=733)},
                        "keep_days 733 on MySQL")]:
        a = call("PUT", pol, json_body=body, expect=400, note=note)
        R.check(code_of(a) == "DBS.280250", "v3 policy PUT (%s): %s" % (note, code_of(a)))
    call("PUT", QA3 + "/instances/nope/backups/policy", json_body=weekly, expect=404,
         body_valid=True)
    call("PUT", pol, raw=b"[]", content_type="application/json", expect=400, note="not an object")

    # Thirty days on (a Wednesday): the Monday, Wednesday and Friday windows of the last 7
    # days, each an automated backup named after its window; none in the v1 list.
    advance(30 * 86400)
    autos = QA3 + "/backups?instance_id=auto1&backup_type=auto"
    a = call("GET", autos, expect=200)
    wanted = [monday + datetime.timedelta(days=d, hours=2) for d in (28, 25, 23)]
    got = [(b["name"], b["type"], b["status"], b["begin_time"], b["end_time"])
           for b in ((a.json or {}).get("backups") or [])] if a is not None else None
    R.check(got == [(w.strftime("auto-%Y%m%d%H%M%S"), "auto", "COMPLETED", stamp(w),
                     stamp(w + datetime.timedelta(minutes=10))) for w in wanted],
            "automated backups after 30 days: %s" % got)
    old_auto = a.json["backups"][0]["id"] if a is not None and a.json and a.json["backups"] else "x"
    a = call("GET", "/rds/v1/" + A + "/backups", expect=200)
    R.check(a is not None and a.json == {"backups": []}, "v1 list: no automated backup: %s"
            % (a.json if a else None))
    # Friday 02:00: its window's backup is BUILDING, the instance BACKING UP; a create meets it.
    advance(2 * 86400 + 7200)
    a = call("GET", QA3 + "/backups?instance_id=auto1&status=BUILDING", expect=200)
    building = [b["id"] for b in ((a.json or {}).get("backups") or [])] if a is not None else []
    R.check(len(building) == 1, "status=BUILDING: the Friday window's backup: %s"
            % (a.json if a else None))
    a = call("GET", QA3 + "/instances?id=auto1", expect=200)
    R.check(a is not None and a.json and a.json["instances"]
            and a.json["instances"][0]["status"] == "BACKING UP"
            and a.json["instances"][0]["nodes"][0]["status"] == "ACTIVE",
            "instance API: BACKING UP while an automated backup builds: %s"
            % (a.json if a else None))
    call("POST", QA3 + "/backups", json_body={"instance_id": "auto1", "name": "manual1"},
         expect=409, body_valid=True, note="an automated backup BUILDING")
    call("POST", "/rds/v1/" + A + "/backups", expect=409, body_valid=True,
         json_body={"backup": {"instance": "auto1", "name": "manual1"}},
         note="an automated backup BUILDING")
    a = call("DELETE", QA3 + "/backups/" + old_auto, expect=400, note="automated")
    R.check(code_of(a) == "DBS.200001", "v3 delete of an automated backup: %s" % code_of(a))
    call("DELETE", "/rds/v1/" + A + "/backups/" + old_auto, expect=404, note="automated")
    a = call("POST", "/_emulator/backups/" + (building[0] if building else "x") + "/complete",
             expect=200, token=None, note="an automated backup")
    R.check(a is not None and a.json and a.json["backup"]["type"] == "auto",
            "forced end of an automated backup: %s" % (a.json if a else None))
    a = call("GET", QA3 + "/backups?instance_id=auto1&status=COMPLETED&limit=2&offset=0",
             expect=200, note="status and paging")
    R.check(a is not None and a.json and a.json["total_count"] == 3,
            "status=COMPLETED: 3 automated backups: %s" % (a.json if a else None))

    # DELETING for the instance's delete_seconds (60), or the header's time; v1 and v3 lists.
    a = call("POST", QA3 + "/backups", expect=200, body_valid=True,
             json_body={"instance_id": "pg2", "name": "del-one", "databases": [{"name": "app"}]})
    R.check(a is not None and a.json and a.json["backup"].get("databases") == [{"name": "app"}]
            and list(a.json["backup"])[-1] == "databases",
            "v3 create answer: databases last: %s" % (a.json if a else None))
    del_one = a.json["backup"]["id"] if a is not None and a.status == 200 else "x"
    call("DELETE", QA3 + "/backups/" + del_one, headers={"X-Emulator-Delete-Seconds": "soon"},
         expect=400, note="delete seconds header")
    call("DELETE", "/rds/v1/" + A + "/backups/" + del_one,
         headers={"X-Emulator-Delete-Seconds": "-1"}, expect=400, note="delete seconds header")
    call("DELETE", QA3 + "/backups/" + del_one, expect=200, note="DELETING for 60 s")
    a = call("GET", QA3 + "/backups?instance_id=pg2&backup_id=" + del_one, expect=200)
    R.check(a is not None and a.json and a.json["backups"]
            and a.json["backups"][0]["status"] == "DELETING"
            and a.json["backups"][0]["size"] == 2048,
            "v3 list: DELETING with its size: %s" % (a.json if a else None))
    a = call("GET", "/rds/v1/" + A + "/backups", expect=200, note="DELETING")
    R.check(a is not None and a.json and [b["status"] for b in a.json["backups"]] == ["DELETING"],
            "v1 list: DELETING: %s" % (a.json if a else None))
    a = call("DELETE", QA3 + "/backups/" + del_one, expect=400, note="DELETING")
    R.check(code_of(a) == "DBS.200001", "v3 second delete: %s" % code_of(a))
    a = call("DELETE", "/rds/v1/" + A + "/backups/" + del_one, expect=400, note="DELETING")
    R.check(a is not None and (a.json or {}).get("errCode") == "RDS.3016",
            "v1 second delete: %s" % (a.json if a else None))
    call("POST", QA3 + "/backups", json_body={"instance_id": "pg2", "name": "del-one"},
         expect=409, body_valid=True, note="the name of a DELETING backup")
    a = call("POST", "/rds/v1/" + A + "/backups", expect=200, body_valid=True,
             json_body={"backup": {"instance": "pg2", "name": "del-two"}})
    del_two = a.json["backup"]["id"] if a is not None and a.status == 200 else "x"
    call("DELETE", "/rds/v1/" + A + "/backups/" + del_two,
         headers={"X-Emulator-Delete-Seconds": "0"}, expect=200, note="gone at once")
    call("GET", QA3 + "/backups?instance_id=pg2&status=DELETING", expect=400, note="status")
    call("GET", QA3 + "/backups?instance_id=pg2&status=completed", expect=400, note="status")
    advance(60)
    a = call("GET", QA3 + "/backups?instance_id=pg2", expect=200, note="delete time over")
    R.check(a is not None and a.json == {"backups": [], "total_count": 0},
            "v3 list: gone after its delete time: %s" % (a.json if a else None))

    # The instance API.
    a = call("GET", "/v3/" + DEMO + "/instances", expect=200)
    R.check(a is not None and a.json and a.json["total_count"] == 4
            and {i["region"] for i in a.json["instances"]} == {"cn-north-4"},
            "instance API: the demo project's 4 instances: %s" % (a.json if a else None))
    call("GET", QV3 + "/instances?name=*o&type=Single&datastore_type=MySQL&limit=2&offset=0"
         "&id=&unknown=1", expect=200, note="every filter")
    a = call("GET", QV3 + "/instances?type=Replica", expect=200)
    R.check(a is not None and a.json and [i["id"] for i in a.json["instances"]] == ["r1"],
            "instance API: type=Replica: %s" % (a.json if a else None))
    call("GET", QV3 + "/instances?id=down1", expect=200, note="not ACTIVE")
    call("GET", QV3 + "/instances?offset=1000", expect=200, note="past the end")
    for query in ["name=*", "type=single", "type=Cluster", "datastore_type=mysql", "limit=0",
                  "limit=101", "offset=-1", "id=a&id=b"]:
        call("GET", QV3 + "/instances?" + query, expect=400, note=query)
    call("GET", "/v3/a.b/instances", expect=400, note="project_id")

    # Restore: the restorable times, both recovery routes (every check), a new instance, the
    # restore jobs, backup files and their download links, in a project of their own, on the
    # frozen clock.
    RP = "contract-restore"
    R3 = "/v3/" + RP
    rbase = "/_emulator/projects/" + RP + "/instances/"

    def mysql(version):
        return {"type": "MySQL", "version": version}

    for iid, body in [
            ("src", {"name": "source", "datastore": mysql("5.7"), "backup_seconds": 0,
                     "size_kb": 4096, "restore_seconds": 7, "restore_outcome": "success"}),
            ("tgt", {"name": "target", "datastore": mysql("8.0")}),
            ("tgt2", {"name": "target two", "datastore": mysql("8.0.28")}),
            ("tpg", {"name": "pg target", "datastore": {"type": "PostgreSQL", "version": "14"}}),
            ("spg", {"name": "pg source", "datastore": {"type": "PostgreSQL", "version": "14.4"},
                     "backup_seconds": 0}),
            ("rep", {"name": "replica", "datastore": mysql("8.0"), "role": "replica"}),
            ("down", {"name": "down", "datastore": mysql("8.0"), "status": "REBOOTING"}),
            ("busy", {"name": "busy", "datastore": mysql("8.0")}),
            ("mss", {"name": "mssql", "datastore": {"type": "SQLServer", "version": "2019_SE"},
                     "databases": ["a", "b"], "backup_seconds": 0, "size_kb": 1000})]:
        call("PUT", rbase + iid, json_body=body, expect=200, body_valid=True, token=None)
    for body, note in [
            ({"name": "x", "datastore": mysql("8.0"), "restore_outcome": "FAIL"},
             "restore_outcome case"),
            ({"name": "x", "datastore": mysql("8.0"), "restore_seconds": -1}, "restore_seconds")]:
        call("PUT", rbase + "bad", json_body=body, expect=400, body_valid=False, token=None,
             note=note)

    def created_id(answer, *keys):
        if answer is None or answer.status not in (200, 202) or not answer.json:
            return "x"
        value = answer.json
        for k in keys:
            value = value.get(k, {}) if isinstance(value, dict) else {}
        return value if isinstance(value, str) else "x"

    def v3_backup(instance, name, headers=None, databases=None):
        body = {"instance_id": instance, "name": name}
        if databases:
            body["databases"] = [{"name": d} for d in databases]
        return created_id(call("POST", R3 + "/backups", json_body=body, headers=headers,
                               expect=200, body_valid=True), "backup", "id")

    b = v3_backup("src", "full-one")  # backup_seconds 0: COMPLETED at once
    failed = v3_backup("src", "failed-one", {"X-Emulator-Backup-Outcome": "fail"})
    building = v3_backup("busy", "building", {"X-Emulator-Backup-Seconds": "3600"})
    pgb = v3_backup("spg", "pg-full")
    part = v3_backup("mss", "part", databases=["a"])

    # The restorable times.
    a = call("GET", R3 + "/instances/src/restore-time", expect=200)
    ranges = (a.json or {}).get("restore_time") if a is not None else None
    R.check(ranges and len(ranges) == 1, "restore-time: one range after a full backup: %s" % ranges)
    start, end = (ranges[0]["start_time"], ranges[0]["end_time"]) if ranges else (0, 0)
    day = time.strftime("%Y-%m-%d", time.gmtime(end // 1000))
    a = call("GET", R3 + "/instances/src/restore-time?date=" + day, expect=200, note="date")
    R.check(a is not None and a.json == {"restore_time": ranges}, "restore-time: the range on "
            "its own day: %s" % (a.json if a else None))
    call("GET", R3 + "/instances/tgt/restore-time", expect=200, note="no backup")
    call("GET", R3 + "/instances/src/restore-time?date=2026-02-30", expect=400, note="date")
    call("GET", R3 + "/instances/src/restore-time?date=" + day + "&date=" + day, expect=400,
         note="date twice")
    call("GET", R3 + "/instances/nope/restore-time", expect=404)

    # Restore to an existing instance: every refusal on both routes, in the order of the checks.
    def from_backup(instance, backup, **extra):
        return dict({"instance_id": instance, "type": "backup", "backup_id": backup}, **extra)

    def from_time(instance, ms):
        return {"instance_id": instance, "type": "timestamp", "backup_id": "", "restore_time": ms}

    def recovery(target, source):
        return {"source": source, "target": {"instance_id": target}}

    routes = [("/v3/%s/instances/recovery", 200), ("/v3.1/%s/instances/recovery", 202)]
    body_spec = spec.node(["components", "requestBodies", "RecoveryBody"])
    for route, _ok in routes:
        path = route % RP
        # The spec's examples, in the demo project: their target does not exist there.
        for name, ex in body_spec["content"]["application/json"]["examples"].items():
            call("POST", route % DEMO, json_body=ex["value"], expect=404, body_valid=True,
                 note="spec example " + name)
        for body, note in [
                ({}, "no source"),
                ({"source": 1, "target": {"instance_id": "tgt"}}, "source not an object"),
                (recovery("tgt", {"type": "backup", "backup_id": b}), "no source.instance_id"),
                (recovery("tgt", {"instance_id": "src", "type": "copy"}), "source.type"),
                (recovery("tgt", from_backup("src", "")), "empty backup_id"),
                (recovery("tgt", {"instance_id": "src", "type": "timestamp"}), "no restore_time"),
                (recovery("tgt", dict(from_time("src", 1), restore_time="1")),
                 "restore_time not a number"),
                ({"source": from_backup("src", b)}, "no target"),
                ({"source": from_backup("src", b), "target": {}}, "no target.instance_id")]:
            call("POST", path, json_body=body, expect=400, body_valid=False, note=note)
        for header in [{"X-Emulator-Restore-Seconds": "soon"},
                       {"X-Emulator-Restore-Outcome": "maybe"}]:
            call("POST", path, json_body=recovery("tgt", from_backup("src", b)), headers=header,
                 expect=400, body_valid=True, note="header %s" % header)
        for body, status, code, note in [
                (recovery("nope", from_backup("src", b)), 404, "DBS.200045", "unknown target"),
                (recovery("tgt", from_backup("src", "nope")), 404, "DBS.201010", "unknown backup"),
                (recovery("tgt", from_backup("spg", b)), 404, "DBS.201010",
                 "a backup of another instance"),
                (recovery("tgt", from_time("nope", 1)), 404, "DBS.200013",
                 "unknown source instance"),
                (recovery("tgt", from_backup("src", failed)), 400, "DBS.201203", "FAILED backup"),
                (recovery("tgt", from_backup("busy", building)), 400, "DBS.201203",
                 "BUILDING backup"),
                (recovery("tgt", from_time("src", start - 1)), 400, "DBS.201203",
                 "just before the range"),
                (recovery("tgt", from_time("src", end + 1)), 400, "DBS.201203",
                 "just after the range"),
                (recovery("tpg", from_backup("src", b)), 400, "DBS.201207", "another engine"),
                (recovery("spg", from_backup("spg", pgb)), 400, "DBS.201207",
                 "PostgreSQL onto itself"),
                (recovery("rep", from_backup("src", b)), 400, "DBS.200086", "a read replica"),
                (recovery("down", from_backup("src", b)), 400, "DBS.200086", "not ACTIVE"),
                (recovery("busy", from_backup("src", b)), 409, "DBS.201202", "BACKING UP")]:
            a = call("POST", path, json_body=body, expect=status, body_valid=True, note=note)
            R.check(code_of(a) == code, "%s (%s): %s, expected %s" % (path, note, code_of(a), code))
    # v3: 200; the target RESTORING for ten minutes, the job Running with the source as sent.
    sent = from_backup("src", b, database_name={"db1": "db1"})
    a = call("POST", routes[0][0] % RP, json_body=recovery("tgt", sent), expect=200,
             headers={"X-Emulator-Restore-Seconds": "600"}, body_valid=True)
    job = created_id(a, "job_id")
    a = call("GET", R3 + "/jobs?id=" + job, expect=200, note="a restore's job")
    got = a.json["job"] if a is not None and a.json else {}
    R.check(got.get("name") == "RestoreMysqlInInstance" and got.get("status") == "Running"
            and got.get("instance") == {"id": "tgt", "name": "target"}
            and got.get("entities") == {"source": sent},
            "recovery: the job Running, on the target, with the source as sent: %s" % got)
    a = call("GET", R3 + "/instances?id=tgt", expect=200, note="RESTORING")
    R.check(a is not None and a.json and a.json["instances"][0]["status"] == "RESTORING",
            "recovery: the target RESTORING: %s" % (a.json if a else None))
    for route, _ok in routes:
        a = call("POST", route % RP, json_body=recovery("tgt", from_backup("src", b)),
                 expect=409, body_valid=True, note="RESTORING")
    a = call("POST", R3 + "/backups", json_body={"instance_id": "tgt", "name": "during"},
             expect=400, body_valid=True, note="RESTORING")
    R.check(code_of(a) == "DBS.200086", "v3 create on a RESTORING instance: %s" % code_of(a))
    a = call("POST", "/rds/v1/" + RP + "/backups", expect=409, body_valid=True,
             json_body={"backup": {"instance": "tgt", "name": "during"}}, note="RESTORING")
    R.check(a is not None and (a.json or {}).get("errCode") == "RDS.1002",
            "v1 create on a RESTORING instance: %s" % (a.json if a else None))
    a = call("DELETE", R3 + "/backups/" + b, expect=400, note="in use by a restore")
    R.check(code_of(a) == "DBS.200054", "v3 delete of a backup in use: %s" % code_of(a))
    a = call("DELETE", "/rds/v1/" + RP + "/backups/" + b, expect=409, note="in use by a restore")
    R.check(a is not None and (a.json or {}).get("errCode") == "RDS.3004",
            "v1 delete of a backup in use: %s" % (a.json if a else None))
    # v3.1: 202; the end of the range, failing, at once; the target stays ACTIVE.
    a = call("POST", routes[1][0] % RP, json_body=recovery("tgt2", from_time("src", end)),
             headers={"X-Emulator-Restore-Seconds": "0", "X-Emulator-Restore-Outcome": "fail"},
             expect=202, body_valid=True)
    a = call("GET", R3 + "/jobs?id=" + created_id(a, "job_id"), expect=200, note="failed restore")
    got = a.json["job"] if a is not None and a.json else {}
    R.check(got.get("status") == "Failed" and got.get("fail_reason")
            == "Restore failed: outcome set to fail in the emulator",
            "recovery: a failed restore's job: %s" % got)
    a = call("GET", R3 + "/instances?id=tgt2", expect=200, note="ACTIVE after a failed restore")
    R.check(a is not None and a.json and a.json["instances"][0]["status"] == "ACTIVE",
            "recovery: the target ACTIVE after a failed restore: %s" % (a.json if a else None))

    # Restore to a new instance.
    op = spec.node(["paths", "/v3/{project_id}/instances", "post"])
    for name, ex in op["requestBody"]["content"]["application/json"]["examples"].items():
        # In the demo project: the example's backup does not exist; its PostgreSQL instance has
        # no backup, so no time to restore to.
        want = 404 if ex["value"]["restore_point"]["type"] == "backup" else 400
        call("POST", "/v3/" + DEMO + "/instances", json_body=ex["value"], expect=want,
             body_valid=True, note="spec example " + name)
    base_new = {"name": "restored.one", "flavor_ref": "rds.mysql.x1.large.2",
                "availability_zone": "zone-1", "volume": {"type": "ULTRAHIGH", "size": 40},
                "restore_point": from_backup("src", b)}
    plain = dict(base_new)
    del plain["restore_point"]
    for body, note in [
            (plain, "no restore_point"), (dict(base_new, name="1st"), "name"),
            (dict(base_new, name="abc"), "name length"), (dict(base_new, flavor_ref=""), "flavor_ref"),
            (dict(base_new, volume={"type": "t"}), "volume.size"),
            (dict(base_new, volume={"type": "t", "size": 0}), "volume.size 0"),
            (dict(base_new, port=70000), "port"), (dict(base_new, ha=True), "ha"),
            (dict(base_new, datastore={"type": "Oracle", "version": "1"}), "datastore.type"),
            (dict(base_new, backup_strategy={"keep_days": 3}), "backup_strategy.start_time"),
            (dict(base_new, backup_strategy={"keep_days": 3, "start_time": "01:10-02:10"}),
             "backup_strategy.start_time quarter"),
            (dict(base_new, restore_point={"instance_id": "src", "type": "backup"}),
             "restore_point.backup_id")]:
        call("POST", R3 + "/instances", json_body=body, expect=400, body_valid=False, note=note)
    call("POST", R3 + "/instances", json_body=base_new, headers={"X-Emulator-Restore-Seconds": "-1"},
         expect=400, body_valid=True, note="seconds header")
    for body, status, code, note in [
            (dict(base_new, restore_point=from_backup("src", failed)), 400, "DBS.201203",
             "FAILED backup"),
            (dict(base_new, restore_point=from_backup("src", "nope")), 404, "DBS.201010",
             "unknown backup"),
            (dict(base_new, restore_point=from_time("nope", 1)), 404, "DBS.200013",
             "unknown source instance"),
            (dict(base_new, datastore=mysql("5.6")), 400, "DBS.201207", "an older MySQL"),
            (dict(base_new, backup_strategy={"keep_days": 0}), 400, "DBS.200001",
             "keep_days 0 on MySQL")]:
        a = call("POST", R3 + "/instances", json_body=body, expect=status, note=note,
                 body_valid=True if code != "DBS.200001" else None)
        R.check(code_of(a) == code, "new instance (%s): %s, expected %s" % (note, code_of(a), code))
    full = dict(base_new, datastore={"type": "mysql", "version": "8.0"},
                backup_strategy={"start_time": "02:00-03:00", "keep_days": 5}, region="eu-de",
                port=3307, ha={"mode": "Ha"}, vpc_id="vpc-1", subnet_id="subnet-1",
                security_group_id="sg-1", password="not-stored-1")
    a = call("POST", R3 + "/instances", json_body=full, expect=202, body_valid=True,
             headers={"X-Emulator-Restore-Outcome": "fail"})
    new_id = created_id(a, "instance", "id")
    new_job = created_id(a, "job_id")
    R.check(re.match(r"^[0-9a-f]{32}in01$", new_id), "new instance: a MySQL ID: %s" % new_id)
    a = call("GET", R3 + "/instances?id=" + new_id, expect=200, note="BUILD")
    shown = a.json["instances"][0] if a is not None and a.json and a.json["instances"] else {}
    R.check(shown.get("status") == "BUILD" and shown.get("type") == "Ha"
            and shown.get("created") == "" and shown.get("port") == 3307
            and shown.get("volume") == {"type": "ULTRAHIGH", "size": 40},
            "new instance: BUILD in the instance API, with what it was given: %s" % shown)
    call("GET", R3 + "/instances?type=Ha", expect=200, note="type=Ha")
    a = call("GET", rbase + new_id, expect=200, token=None, note="the new instance")
    R.check(a is not None and a.json and a.json["restore_seconds"] == 7
            and a.json["size_kb"] == 4096 and a.json["backup_policy_set"] is True,
            "new instance: the source's settings, its own policy: %s" % (a.json if a else None))
    advance(7)  # the source's restore_seconds
    a = call("GET", R3 + "/instances?id=" + new_id, expect=200, note="FAILED")
    R.check(a is not None and a.json and a.json["instances"][0]["status"] == "FAILED",
            "new instance: FAILED after a failed restore: %s" % (a.json if a else None))
    a = call("GET", R3 + "/jobs?id=" + new_job, expect=200, note="a new instance's job")
    got = a.json["job"] if a is not None and a.json else {}
    R.check(got.get("name") == "CreateMysqlSingleHAInstance" and got.get("status") == "Failed",
            "new instance: its job: %s" % got)
    a = call("POST", routes[0][0] % RP, json_body=recovery(new_id, from_backup("src", b)),
             expect=400, body_valid=True, note="onto a FAILED instance")
    R.check(code_of(a) == "DBS.200086", "recovery onto a FAILED instance: %s" % code_of(a))
    a = call("GET", R3 + "/instances/spg/restore-time", expect=200)
    pg_end = a.json["restore_time"][-1]["end_time"] if a is not None and a.json and \
        a.json["restore_time"] else 0
    a = call("POST", R3 + "/instances", expect=202, body_valid=True,
             json_body=dict(base_new, name="pg-copy", restore_point=from_time("spg", pg_end)))
    R.check(re.match(r"^[0-9a-f]{32}in03$", created_id(a, "instance", "id")),
            "new instance: a PostgreSQL ID: %s" % (a.json if a else None))

    # Backup files and their download links.
    files = R3 + "/backup-files?backup_id="
    a = call("GET", files + b, expect=200)
    got = a.json if a is not None and a.json else {"files": [{}]}
    link = got["files"][0].get("download_link", "http://x/none")
    R.check(got.get("bucket") == "rdsbucket.rdsemu" and got["files"][0].get("name") == b + ".qp"
            and got["files"][0].get("size") == 4096 and got["files"][0].get("database_name") is None,
            "backup files: one .qp file of the backup's size: %s" % got)
    a = call("GET", files + part, expect=200, note="a partial SQL Server backup")
    R.check(a is not None and a.json and [(f["name"], f["size"], f["database_name"])
                                          for f in a.json["files"]] == [(part + "_a.bak", 1000, "a")],
            "backup files: a file per database: %s" % (a.json if a else None))
    call("GET", R3 + "/backup-files", expect=400, note="no backup_id")
    call("GET", files, expect=400, note="empty backup_id")
    call("GET", files + b + "&backup_id=" + b, expect=400, note="backup_id twice")
    a = call("GET", files + building, expect=400, note="BUILDING")
    R.check(code_of(a) == "DBS.201203", "backup files of a BUILDING backup: %s" % code_of(a))
    call("GET", files + "nope", expect=404)
    call("GET", "/v3/" + DEMO + "/backup-files?backup_id=" + b, expect=404,
         note="another project's backup")
    u = urllib.parse.urlsplit(link)
    R.check(u.netloc == "127.0.0.1:%d" % port, "download link: the request's host: %s" % link)
    a = call("GET", u.path + "?" + u.query, token=None, expect=200, note="download link")
    R.check(a is not None and a.json and a.json.get("backup_id") == b,
            "download link: the manifest of the file: %s" % (a.json if a else None))
    call("GET", u.path, token=None, expect=400, note="no expires")
    call("GET", u.path + "?expires=soon", token=None, expect=400, note="expires")
    call("GET", u.path + "?expires=1", token=None, expect=403, note="expired")
    call("GET", "/_emulator/backup-files/nope/nope.qp?expires=1", token=None, expect=403,
         note="expired, checked before the lookup")
    call("GET", "/_emulator/backup-files/%s/other.qp?expires=99999999999" % b, token=None,
         expect=404, note="unknown file")
    call("GET", "/_emulator/backup-files/nope/nope.qp?expires=99999999999", token=None,
         expect=404, note="unknown backup")
    advance(301)
    call("GET", u.path + "?" + u.query, token=None, expect=403, note="expired on the clock")

    # Clock.
    a = call("GET", "/_emulator/clock", expect=200, token=None)
    now = a.json["now"] if a is not None and a.json else "2030-01-01T00:00:00+0000"
    op = spec.node(["paths", "/_emulator/clock", "post"])
    for name, ex in op["requestBody"]["content"]["application/json"]["examples"].items():
        if "now" not in ex["value"]:  # the examples that set 2030 are sent as "set" below
            call("POST", "/_emulator/clock", json_body=ex["value"], expect=200, token=None,
                 body_valid=True, note="spec example " + name)
    call("POST", "/_emulator/clock", json_body={"now": now, "advance_seconds": None}, expect=200,
         token=None, body_valid=True, note="set")
    a = call("POST", "/_emulator/clock", json_body={"now": now, "freeze": True}, expect=200,
             token=None, body_valid=True, note="set and freeze")
    R.check(a is not None and a.json and a.json["frozen"] is True and a.json["now"] == now,
            "a clock set and frozen shows that time: %s" % (a.json if a else None))
    a = call("POST", "/_emulator/clock", json_body={"freeze": False}, expect=200, token=None,
             body_valid=True, note="run again")
    R.check(a is not None and a.json and a.json["frozen"] is False,
            "a clock let run again is not frozen: %s" % (a.json if a else None))
    for body, note in [({"advance_seconds": 1, "now": now}, "both"), ({}, "neither"),
                       ({"advance_seconds": -1}, "negative"), ({"advance_seconds": 1.5}, "float"),
                       ({"now": "2030-13-01T00:00:00+0000"}, "bad month"),
                       ({"freeze": "yes"}, "freeze not a boolean")]:
        call("POST", "/_emulator/clock", json_body=body, expect=400, token=None,
             body_valid=False, note=note)
    # A day that does not exist: the pattern of the spec cannot tell, the server does.
    call("POST", "/_emulator/clock", json_body={"now": "2030-02-30T00:00:00+0000"}, expect=400,
         token=None, note="bad date")
    # Journal.
    call("GET", "/_emulator/requests", expect=200, token=None)
    a = call("GET", "/_emulator/requests?project_id=" + Q + "&limit=3", expect=200, token=None)
    R.check(a is not None and a.json and len(a.json["requests"]) == 3,
            "journal: limit=3 should give 3 entries")
    call("GET", "/_emulator/requests?limit=0", expect=400, token=None)
    call("GET", "/_emulator/requests?limit=2&limit=3", expect=400, token=None)
    # Metrics.
    a = call("GET", "/_emulator/metrics", expect=200, token=None)
    if a is not None:
        for op_id in [op.get("operationId") for _m, _t, _r, op, _p in spec.ops]:
            if op_id in ("v1_backup_create", "admin_openapi"):
                R.check(('operation="%s"' % op_id).encode() in a.body,
                        "metrics: no requests_total for operation %s" % op_id)

    scenarios_identity(c, spec, port)

    # Faults: the spec's example, then injected answers on every emulated route.
    op = spec.node(["paths", "/_emulator/faults", "post"])
    ex = op["requestBody"]["content"]["application/json"]["examples"]["next-create-503"]["value"]
    a = call("POST", "/_emulator/faults", json_body=ex, expect=201, token=None, body_valid=True)
    call("POST", P + "/backups", json_body={"backup": {"instance": DEMO_MYSQL, "name": "unlucky"}},
         expect=503, fault="catalogue", note="injected 503")
    call("GET", "/_emulator/faults", expect=200, token=None)
    fault_id = a.json["id"] if a is not None and a.json else "x"
    call("DELETE", "/_emulator/faults/" + fault_id, expect=204, token=None)
    call("DELETE", "/_emulator/faults/" + fault_id, expect=404, token=None)
    for body, note in [({}, "does nothing"), ({"status": 99}, "status"),
                       ({"probability": 2, "status": 500}, "probability"),
                       ({"path": "rds/*", "status": 500}, "path"),
                       ({"delay_ms": 300001}, "delay"), ({"times": 0, "status": 500}, "times")]:
        call("POST", "/_emulator/faults", json_body=body, expect=400, token=None,
             body_valid=False, note=note)
    call("POST", "/_emulator/faults", json_body={"error_code": "X.1", "instance_id": "zz",
                                                 "delay_ms": 10, "seed": 7, "message": "m",
                                                 "method": "get", "project_id": Q},
         expect=201, token=None, body_valid=True, note="every member")
    # The bound: with 1000 rules held (the one above and 999 more), one more is a 409.
    for i in range(999):
        c.send(port, "POST", "/_emulator/faults",
               json.dumps({"path": "/v3/bound-%d/jobs" % i, "status": 503}).encode(),
               {"Content-Type": "application/json"})
    call("POST", "/_emulator/faults", json_body={"status": 503}, expect=409, token=None,
         body_valid=True, note="one rule more than 1000")
    call("DELETE", "/_emulator/faults", expect=204, token=None)
    values = dict(SWEEP_VALUES, project_id=Q)
    for method, template, _r, op, _p in spec.ops:
        if not emulated(template):
            continue
        path = concrete(template, values)
        query = SWEEP_QUERY.get(op["operationId"], "")
        for rule, kind in [({"status": 418, "error_code": "TEST.0418", "message": "teapot"},
                            "code"),
                           ({"status": 500}, "catalogue"), ({"status": 403}, "catalogue"),
                           ({"status": 401}, "catalogue"), ({"error_code": "TEST.0500"}, "code")]:
            rule = dict(rule, method=method, path=path, times=1)
            call("POST", "/_emulator/faults", json_body=rule, expect=201, token=None,
                 body_valid=True)
            call(method, path + query, expect=rule.get("status", 500), fault=kind,
                 note="injected %s" % json.dumps(rule))
        # A delay alone: the normal answer, a little later.
        call("POST", "/_emulator/faults", json_body={"method": method, "path": path, "times": 1,
                                                     "delay_ms": 20},
             expect=201, token=None, body_valid=True)
        call(method, path + query, fault=None, note="delayed")

    # Sweeps over every route: 413 for any method, 401 without a token (emulated routes),
    # 400 for a bad project_id / versionId, 400 for a body that is not JSON.
    for method, template, _r, op, _p in spec.ops:
        path = concrete(template, values) + SWEEP_QUERY.get(op["operationId"], "")
        call(method, path, raw=b" " * BIG, content_type="application/json", expect=413,
             note="sweep: body over the limit")
        if emulated(template) and not open_route(op):
            call(method, path, token=None, expect=401, note="sweep: no token")
        if "{project_id}" in template:
            call(method, concrete(template, dict(values, project_id="a%2Fb"))
                 + SWEEP_QUERY.get(op["operationId"], ""), expect=400, note="sweep: project_id")
        if "{versionId}" in template:
            call(method, concrete(template, dict(values, versionId="v9"))
                 + SWEEP_QUERY.get(op["operationId"], ""), expect=400, note="sweep: versionId")
        if method in ("POST", "PUT"):
            call(method, path, raw=b"{}", content_type="text/plain", expect=400,
                 note="sweep: content type")

    # Unknown routes: the gateway's 404.
    for method, path in [("GET", P + "/nothing"), ("GET", P + "/backups/"),
                         ("DELETE", P + "/backups"), ("GET", "/_emulator/nothing"),
                         ("PUT", "/_emulator/health"), ("POST", "/"), ("PATCH", P + "/backups"),
                         ("GET", "/_emulator/openapi.json")]:
        call(method, path, expect=404, note="unknown route")

    # Reset last: everything is gone, the seed is back.
    call("POST", "/_emulator/reset", raw=b"not json", content_type="text/plain", expect=400,
         token=None, note="content type")
    call("POST", "/_emulator/reset", expect=204, token=None)
    a = call("GET", "/_emulator/projects/" + Q + "/instances", expect=200, token=None)
    R.check(a is not None and a.json == {"instances": []}, "reset: the test project is gone")
    a = call("GET", "/_emulator/projects/" + DEMO + "/instances", expect=200, token=None)
    R.check(a is not None and a.json and len(a.json["instances"]) == 4, "reset: the seed is back")
    call("DELETE", "/_emulator/requests", expect=204, token=None)
    a = call("GET", "/_emulator/requests", expect=200, token=None)
    R.check(a is not None and a.json == {"requests": []}, "journal: emptied")


def public(op):
    """A control-plane route free of the admin token: its only security requirement is {}."""
    return op.get("security") == [{}]


def scenarios_admin_token(c, spec, port):
    """--admin-token: every control-plane route answers 401 without the right token, but the
    public ones (a download link), which answer as without --admin-token."""
    for method, template, _r, op, _p in spec.ops:
        if emulated(template):
            continue
        path = concrete(template, SWEEP_VALUES)
        if public(op):  # no expires: the route's own 400, token or not
            c.call(port, method, path, token=None, expect=400, note="public, no admin token")
            c.call(port, method, path, token=None, headers={"X-Emulator-Admin-Token": "wrong"},
                   expect=400, note="public, wrong admin token")
            continue
        c.call(port, method, path, token=None, expect=401, note="no admin token")
        c.call(port, method, path, token=None, headers={"X-Emulator-Admin-Token": "wrong"},
               expect=401, note="wrong admin token")
    c.call(port, "GET", "/_emulator/health", token=None,
           headers={"X-Emulator-Admin-Token": "contract-admin"}, expect=200)
    c.call(port, "GET", "/rds/v1/" + DEMO + "/backups", expect=200,
           note="the emulated API needs no admin token")


def scenarios_tokens(c, spec, port):
    """--auth tokens: a token acts only on its projects (403), an unknown one is a 401; on the
    identity routes the project is X-Project-Id, and a login's token is in its body."""
    for method, template, _r, op, parts in spec.ops:
        if not emulated(template) or open_route(op):
            continue
        path = concrete(template, dict(SWEEP_VALUES, project_id="proj-b"))
        path += SWEEP_QUERY.get(op["operationId"], "")
        headers = {"X-Project-Id": "proj-b"} if takes_project_header(spec, parts) else None
        c.call(port, method, path, token="tok-a", headers=headers, expect=403,
               note="foreign project")
        c.call(port, method, path, token="tok-unknown", headers=headers, expect=401,
               note="unknown token")
    c.call(port, "POST", "/v3/auth/tokens", token=None, json_body=login_body("tok-a", "proj-b"),
           expect=403, body_valid=True, note="a login on a foreign project")
    c.call(port, "POST", "/v3/auth/tokens", token=None,
           json_body=login_body("tok-unknown", "proj-a"), expect=401, body_valid=True,
           note="a login with an unknown token")
    a = c.call(port, "POST", "/v3/auth/tokens", token=None, json_body=login_body("tok-a", "proj-a"),
               expect=201, body_valid=True)
    R.check(a is not None and a.headers.get("x-subject-token") == "tok-a",
            "POST /v3/auth/tokens: the token echoed in X-Subject-Token")
    c.call(port, "GET", "/v3/auth/catalog", token="tok-a", headers={"X-Project-Id": "proj-a"},
           expect=200)
    c.call(port, "GET", "/rds/v1/proj-a/backups", token="tok-a", expect=200)
    c.call(port, "GET", "/v3/proj-a/backups?instance_id=nope", token="tok-a", expect=404)


def scenarios_lost_database(c, port, db):
    """The database files deleted under a running server: health says so."""
    c.call(port, "GET", "/_emulator/health", expect=200, token=None)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    c.call(port, "GET", "/_emulator/health", expect=503, token=None, note="database deleted")
    c.call(port, "HEAD", "/_emulator/health", expect=503, token=None, note="database deleted")


# --- coverage ---------------------------------------------------------------------------

def check_coverage(c, spec):
    print("\ncoverage (documented statuses; * = exercised):")
    for method, template, _r, op, _p in spec.ops:
        seen = c.seen.get((method, template), set())
        documented = list(op["responses"])
        line = []
        for status in documented:
            mark = "*" if status in seen else " "
            line.append(mark + status)
            if status not in seen:
                if not emulated(template) and status in UNREACHABLE:
                    continue
                R.fail("%s %s: documented status %s never exercised" % (method, template, status))
        R.check(any(s.startswith("2") for s in seen),
                "%s %s: no success exercised" % (method, template))
        print("  %-7s %-68s %s" % (method, template, " ".join(line)))


def main():
    if len(sys.argv) != 5:
        print(__doc__)
        return 2
    binary, spec_path, seed, source_dir = (os.path.abspath(a) for a in sys.argv[1:])
    spec = Spec(spec_path)
    check_routes_table(spec, source_dir)
    check_static(spec)
    check_manpage(source_dir)
    c = Contract(spec)
    servers = []
    with tempfile.TemporaryDirectory(prefix="rdsemu-contract-") as work:
        try:
            main_srv = Server(binary, ["--listen", "127.0.0.1:0", "--db",
                                       os.path.join(work, "main.db"), "--seed", seed],
                              work, "main")
            servers.append(main_srv)
            scenarios_main(c, spec, main_srv.port, spec_path)
            admin = Server(binary, ["--listen", "127.0.0.1:0", "--db", ":memory:", "--seed", seed,
                                    "--admin-token", "contract-admin"], work, "admin-token")
            servers.append(admin)
            scenarios_admin_token(c, spec, admin.port)
            tokens_file = os.path.join(work, "tokens.json")
            with open(tokens_file, "w") as f:
                json.dump({"tok-a": ["proj-a"]}, f)
            tokens = Server(binary, ["--listen", "127.0.0.1:0", "--db", ":memory:",
                                     "--auth", "tokens", "--tokens", tokens_file],
                            work, "auth-tokens")
            servers.append(tokens)
            scenarios_tokens(c, spec, tokens.port)
            lost_db = os.path.join(work, "lost.db")
            lost = Server(binary, ["--listen", "127.0.0.1:0", "--db", lost_db], work, "lost-db")
            servers.append(lost)
            scenarios_lost_database(c, lost.port, lost_db)
        except Exception:
            R.fail("the test itself broke:\n" + traceback.format_exc())
        finally:
            for s in servers:
                s.stop()
    check_coverage(c, spec)
    print("\n%d requests sent" % len(c.request_ids))
    if R.failed:
        print("\nfailures:")
        for m in R.messages:
            print("  - " + m)
    print("%d passed, %d failed" % (R.passed, R.failed))
    return 0 if R.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
