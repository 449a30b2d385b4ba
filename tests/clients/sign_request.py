#!/usr/bin/python3
"""Sign a request the way the Huawei Cloud SDKs do (SDK-HMAC-SHA256) and send it to rdsemu.

A curl-free example of a signed request (docs/auth.md), standard library only. With
`--form credential` it signs as the Open Telekom Cloud Go SDK does instead (the Credential=
form: a key derived from the SK, the date, `--region` and `--service`):

    sign_request.py --endpoint http://127.0.0.1:8080 --ak MYAK --sk MYSK \\
        --project-id my-project POST '/v3/{project_id}/backups' \\
        --body '{"instance_id": "inst-1", "name": "nightly"}'
    sign_request.py --endpoint http://127.0.0.1:8080 --ak MYAK --sk MYSK \\
        --project-id my-project GET '/v3/{project_id}/backups' --query instance_id=inst-1

It prints the status line and the body, and exits 0 on a 2xx answer.

    sign_request.py --self-test /path/to/rdsemu [--vectors aksk-vectors.json]

starts rdsemu with `--auth tokens --credentials <file>`, sends signed requests (create, list,
v1 and v3, an encoded query) and checks that they pass, that a wrong secret, a stale date
and another project are refused with the documented errors, and that neither the secret nor
a signature reaches the server's stderr or its journal. With --vectors, it first checks that
this signer rebuilds the canonical request, string to sign and signature of every vector the
official SDKs signed.

The signing rules are those of docs/auth.md: canonical request = method,
canonical URI (path percent-decoded, each segment encoded again keeping only A-Z a-z 0-9 - _
. ~, always ending in '/'), canonical query (pairs decoded, sorted by name then value,
encoded again, an empty value keeping its '='), one `name:value` line per signed header,
a blank line, the signed header names, the hex SHA-256 of the body; string to sign =
"SDK-HMAC-SHA256\\n<X-Sdk-Date>\\n<hex SHA-256 of the canonical request>"; signature =
hex HMAC-SHA256 keyed with the SK. Like the Python SDK, it signs every header it sets whose
name has no '_' and puts the canonical query on the wire.

The Credential= form (docs/auth.md "The Credential= form") differs: the query pairs are decoded
with '+' as a space, each name keeps its first value only, names are sorted case-insensitively
on their encoded form; header values have their white-space runs made one space; a signed
X-Sdk-Content-Sha256 is the payload whatever its value; a POST without a body signs an empty
query line and the hash of the query as Go's url.Values.Encode writes it; the string to sign
has the scope "<yyyymmdd>/<region>/<service>/sdk_request" as its third line; the key is
HMAC(HMAC(HMAC(HMAC("SDK" + SK, yyyymmdd), region), service), "sdk_request"). Like that SDK,
it signs every header it sets (accept, content-type with a body, host, user-agent,
x-sdk-date), adds X-Project-Id after signing, and puts url.Values.Encode's query on the wire.
"""

import argparse
import datetime
import hashlib
import hmac
import http.client
import json
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

ALGORITHM = "SDK-HMAC-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
USER_AGENT = "rdsemu-sign-request/1.0 (like huaweicloud-usdk-python/3.0)"
CREDENTIAL_USER_AGENT = "rdsemu-sign-request/1.0 (like gophertelekomcloud)"
SCOPE_END = "sdk_request"
WHITE_SPACE_RUN = re.compile(r"[ \t\n\f\r]+")  # Go's \s+


def encode(raw: bytes) -> str:
    """Percent-encodes every byte but A-Z a-z 0-9 - _ . ~ (upper-case hex)."""
    return urllib.parse.quote_from_bytes(raw, safe="~")


def canonical_uri(path: str) -> str:
    segments = urllib.parse.unquote_to_bytes(path).split(b"/")
    uri = "/".join(encode(s) for s in segments)
    return uri if uri.endswith("/") else uri + "/"


def query_pairs(raw_query: str):
    """The decoded (name, value) pairs of a raw query, as a server reads them."""
    pairs = []
    for item in raw_query.split("&"):
        if item == "":
            continue
        name, _, value = item.partition("=")
        pairs.append((urllib.parse.unquote_to_bytes(name), urllib.parse.unquote_to_bytes(value)))
    return pairs


def canonical_query(pairs) -> str:
    return "&".join(encode(n) + "=" + encode(v) for n, v in sorted(pairs))


def canonical_request(method, path, pairs, headers, signed_names, body: bytes) -> str:
    by_name = {k.lower(): v for k, v in headers.items()}
    lines = "".join(f"{name}:{by_name[name].strip()}\n" for name in signed_names)
    content_sha = by_name.get("x-sdk-content-sha256", "").strip()
    if "x-sdk-content-sha256" in signed_names and content_sha == UNSIGNED_PAYLOAD:
        payload = UNSIGNED_PAYLOAD
    else:
        payload = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), canonical_uri(path), canonical_query(pairs), lines,
                      ";".join(signed_names), payload])


def string_to_sign(canonical: str, sdk_date: str) -> str:
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{sdk_date}\n{digest}"


def signature(secret: str, to_sign: str) -> str:
    return hmac.new(secret.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def sdk_date(when: datetime.datetime) -> str:
    return when.strftime("%Y%m%dT%H%M%SZ")


def sign(method, endpoint, path, query, body, ak, sk, project_id, when=None, extra=None):
    """Signs like the Python SDK. Returns (path with canonical query, headers)."""
    netloc = urllib.parse.urlsplit(endpoint).netloc
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    if project_id:
        headers["X-Project-Id"] = project_id
    headers.update(extra or {})
    headers["X-Sdk-Date"] = sdk_date(when or datetime.datetime.now(datetime.timezone.utc))
    headers["Host"] = netloc
    signed_names = sorted(k.lower() for k in headers if "_" not in k)
    pairs = [(n.encode("utf-8"), v.encode("utf-8")) for n, v in query]
    canonical = canonical_request(method, path, pairs, headers, signed_names, body)
    sig = signature(sk, string_to_sign(canonical, headers["X-Sdk-Date"]))
    headers["Authorization"] = (f"{ALGORITHM} Access={ak}, SignedHeaders={';'.join(signed_names)}, "
                                f"Signature={sig}")
    wire_query = canonical_query(pairs)
    return (path + "?" + wire_query if wire_query else path), headers


def send(endpoint, method, target, headers, body):
    parts = urllib.parse.urlsplit(endpoint)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=10)
    try:
        conn.request(method, target, body=body if body else None, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def signed_call(endpoint, ak, sk, project_id, method, path, query=(), body=b"", when=None,
                form="access", region="", service="", scope_date=None):
    path = path.replace("{project_id}", urllib.parse.quote(project_id, safe=""))
    if form == "credential":
        target, headers = credential_sign(method, endpoint, path, list(query), body, ak, sk,
                                          project_id, when, region, service, scope_date)
    else:
        target, headers = sign(method, endpoint, path, list(query), body, ak, sk, project_id, when)
    return send(endpoint, method, target, headers, body)


# ---- the Credential= form (the Open Telekom Cloud Go SDK) ----

def credential_query_pairs(raw_query: str):
    """(name, value) pairs as Go's url.ParseQuery reads them: '+' is a space."""
    pairs = []
    for item in raw_query.split("&"):
        if item == "":
            continue
        name, _, value = item.partition("=")
        pairs.append((urllib.parse.unquote_to_bytes(name.replace("+", " ")),
                      urllib.parse.unquote_to_bytes(value.replace("+", " "))))
    return pairs


def credential_canonical_query(pairs) -> str:
    first = {}
    for name, value in pairs:
        first.setdefault(name, value)
    names = sorted(first, key=lambda n: (encode(n).lower(), encode(n)))
    return "&".join(encode(n) + "=" + encode(first[n]) for n in names)


def values_encode(pairs) -> str:
    """Go's url.Values.Encode: names in byte order, values in the order given, '+' for a space."""
    ordered = sorted(range(len(pairs)), key=lambda i: (pairs[i][0], i))
    q = lambda b: urllib.parse.quote_plus(b, safe="~")
    return "&".join(q(pairs[i][0]) + "=" + q(pairs[i][1]) for i in ordered)


def credential_canonical_request(method, path, raw_query, headers, signed_names, body: bytes,
                                 empty_query=False) -> str:
    by_name = {k.lower(): v for k, v in headers.items()}
    lines = "".join(name + ":" + WHITE_SPACE_RUN.sub(" ", by_name[name].strip()) + "\n"
                    for name in signed_names)
    pairs = credential_query_pairs(raw_query)
    if "x-sdk-content-sha256" in signed_names:
        payload = by_name["x-sdk-content-sha256"].strip()
    elif empty_query:
        payload = hashlib.sha256(values_encode(pairs).encode()).hexdigest()
    else:
        payload = hashlib.sha256(body).hexdigest()
    query = "" if empty_query else credential_canonical_query(pairs)
    return "\n".join([method, canonical_uri(path), query, lines, ";".join(signed_names), payload])


def credential_string_to_sign(canonical: str, sdk_date: str, scope: str) -> str:
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{sdk_date}\n{scope}\n{digest}"


def credential_signature(secret: str, scope: str, to_sign: str) -> str:
    date, region, service, end = scope.split("/")
    key = ("SDK" + secret).encode("utf-8")
    for part in (date, region, service, end):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def credential_sign(method, endpoint, path, query, body, ak, sk, project_id, when=None,
                    region="", service="", scope_date=None):
    """Signs like gophertelekomcloud. Returns (path with the query, headers)."""
    headers = {"Accept": "application/json", "User-Agent": CREDENTIAL_USER_AGENT}
    if body:
        headers["Content-Type"] = "application/json"
    headers["Host"] = urllib.parse.urlsplit(endpoint).netloc
    headers["X-Sdk-Date"] = sdk_date(when or datetime.datetime.now(datetime.timezone.utc))
    signed_names = sorted(k.lower() for k in headers)
    pairs = [(n.encode("utf-8"), v.encode("utf-8")) for n, v in query]
    wire_query = values_encode(pairs)
    # The SDK's request has no body at all for a POST without one.
    empty_query = method.upper() == "POST" and not body
    canonical = credential_canonical_request(method, path, wire_query, headers, signed_names,
                                             body, empty_query)
    scope = "/".join([scope_date or headers["X-Sdk-Date"][:8], region, service, SCOPE_END])
    sig = credential_signature(sk, scope, credential_string_to_sign(canonical,
                                                                    headers["X-Sdk-Date"], scope))
    headers["Authorization"] = (f"{ALGORITHM} Credential={ak}/{scope}, "
                                f"SignedHeaders={';'.join(signed_names)}, Signature={sig}")
    if project_id:
        headers["X-Project-Id"] = project_id  # after signing, unsigned
    return (path + "?" + wire_query if wire_query else path), headers


# ---- checking this signer against the vectors the official SDKs signed ----

def check_vectors(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    failures = 0
    forms = {"Access": 0, "Credential": 0}
    for v in data["vectors"]:
        secret = v.get("secret_key_override", data["secret_key"])
        headers = v["headers"]
        auth = next(val for key, val in headers.items() if key.lower() == "authorization")
        signed_names = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
        date = next(val for key, val in headers.items() if key.lower() == "x-sdk-date")
        body = v["body"].encode("utf-8")
        if " Credential=" in auth:
            forms["Credential"] += 1
            scope = auth.split("Credential=")[1].split(",")[0].split("/", 1)[1]
            canonical = credential_canonical_request(v["method"], v["path"], v["query"], headers,
                                                     signed_names, body)
            to_sign = credential_string_to_sign(canonical, date, scope)
            sig = credential_signature(secret, scope, to_sign)
        else:
            forms["Access"] += 1
            canonical = canonical_request(v["method"], v["path"], query_pairs(v["query"]),
                                          headers, signed_names, body)
            to_sign = string_to_sign(canonical, date)
            sig = signature(secret, to_sign)
        if v["expected_verdict"] == "accept":
            expected = v["signature"]
        else:
            expected = v.get("server_expected_signature", sig)
            # A refused vector's own signature must not be the one this signer makes.
            if v.get("server_reason") is None and sig == v["signature"]:
                failures += 1
                print(f"FAIL {v['name']}: a refused vector's signature is this signer's")
        for what, got, want in (("canonical request", canonical, v["canonical_request"]),
                                ("string to sign", to_sign, v["string_to_sign"]),
                                ("signature", sig, expected)):
            if got != want:
                failures += 1
                print(f"FAIL {v['name']}: {what} differs\n  got:  {got!r}\n  want: {want!r}")
    print(f"vectors: {len(data['vectors'])} checked ({forms['Access']} Access=, "
          f"{forms['Credential']} Credential=), {failures} differences")
    return failures == 0 and forms["Credential"] >= 2


# ---- self-test against a server it starts ----

class Server:
    def __init__(self, binary, workdir, args):
        self.log_path = os.path.join(workdir, "rdsemu.log")
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([binary, "--listen", "127.0.0.1:0", "--db", ":memory:", *args],
                                     stdout=subprocess.PIPE, stderr=self.log, cwd=workdir,
                                     env={k: v for k, v in os.environ.items()
                                          if not k.startswith("RDSEMU_")})
        deadline = time.monotonic() + 10
        line = b""
        while not line.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 1)
                if not chunk:
                    break
                line += chunk
        text = line.decode()
        if not text.startswith("rdsemu listening on "):
            self.stop()
            raise RuntimeError(f"rdsemu did not start: {text!r}; log: {self.read_log()}")
        self.endpoint = text.split()[-1]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def read_log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()


def self_test(binary, vectors):
    ok = True

    def expect(what, condition, detail=""):
        nonlocal ok
        print(("ok   " if condition else "FAIL ") + what + ("" if condition else f": {detail}"))
        ok = ok and condition

    if vectors is not None:
        expect("this signer reproduces every SDK vector", check_vectors(vectors))

    ak, sk, project = "SIGNREQUESTAK001", "sign-request-secret-" + os.urandom(8).hex(), "sign-project"
    with tempfile.TemporaryDirectory(prefix="rdsemu-sign-") as workdir:
        credentials = os.path.join(workdir, "credentials.json")
        with open(credentials, "w", encoding="utf-8") as f:
            json.dump({ak: {"secret": sk, "projects": [project]}}, f)
        seed = os.path.join(workdir, "seed.json")
        with open(seed, "w", encoding="utf-8") as f:
            json.dump({"projects": [{"id": project, "instances": [
                {"id": "inst-1", "name": "signed-mysql",
                 "datastore": {"type": "MySQL", "version": "8.0"}}]}]}, f)
        server = Server(binary, workdir, ["--auth", "tokens", "--credentials", credentials,
                                          "--seed", seed, "--backup-seconds", "0"])
        signatures = []
        try:
            call = lambda *a, **k: signed_call(server.endpoint, ak, sk, project, *a, **k)
            status, body = call("POST", "/v3/{project_id}/backups",
                                body=b'{"instance_id": "inst-1", "name": "signed-v3"}')
            expect("signed v3 create", status == 200, f"{status} {body}")
            status, body = call("POST", "/rds/v1/{project_id}/backups",
                                body=b'{"backup": {"instance": "inst-1", "name": "signed-v1"}}')
            expect("signed v1 create", status == 200, f"{status} {body}")
            status, body = call("GET", "/v3/{project_id}/backups",
                                query=[("offset", "0"), ("instance_id", "inst-1"), ("limit", "10"),
                                       ("backup_id", ""), ("name", "my backup+v1/\u6d4b\u8bd5")])
            expect("signed v3 list with an encoded query",
                   status == 200 and json.loads(body).get("total_count") == 2, f"{status} {body}")
            status, body = call("GET", "/rds/v1/{project_id}/backups")
            expect("signed v1 list", status == 200 and len(json.loads(body)["backups"]) == 2,
                   f"{status} {body}")

            status, body = signed_call(server.endpoint, ak, sk + "x", project, "GET",
                                       "/v3/{project_id}/backups", [("instance_id", "inst-1")])
            expect("a wrong secret gets 401 signature mismatch",
                   status == 401 and "signature mismatch" in body
                   and json.loads(body).get("error_code") == "APIGW.0301", f"{status} {body}")
            stale = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
            status, body = call("GET", "/v3/{project_id}/backups", [("instance_id", "inst-1")],
                                when=stale)
            expect("a date 20 minutes old gets 401 signature expired",
                   status == 401 and "signature expired, signature time:" + sdk_date(stale) in body,
                   f"{status} {body}")
            status, body = signed_call(server.endpoint, ak, sk, "another-project", "GET",
                                       "/v3/{project_id}/backups", [("instance_id", "inst-1")])
            expect("another project gets 403 DBS.200010",
                   status == 403 and json.loads(body).get("error_code") == "DBS.200010",
                   f"{status} {body}")
            _, headers = sign("GET", server.endpoint, "/v3/p/backups", [], b"", ak, sk, project)
            signatures.append(headers["Authorization"].split("Signature=")[1])

            # The Credential= form, as the Open Telekom Cloud SDK signs.
            ccall = lambda *a, **k: call(*a, form="credential", **k)
            status, body = ccall("POST", "/v3/{project_id}/backups",
                                 body=b'{"instance_id": "inst-1", "name": "signed-credential"}')
            expect("Credential= v3 create", status == 200, f"{status} {body}")
            status, body = ccall("GET", "/v3/{project_id}/backups",
                                 query=[("instance_id", "inst-1"), ("backup_id", ""),
                                        ("name", "a b+c/\u6d4b"), ("Name", "second")])
            expect("Credential= v3 list, a space sent as '+', names in two cases",
                   status == 200 and json.loads(body).get("total_count") == 3, f"{status} {body}")
            status, body = ccall("GET", "/v3/{project_id}/backups",
                                 query=[("instance_id", "inst-1")], region="eu-de",
                                 service="rds")
            expect("Credential= with a region and a service", status == 200, f"{status} {body}")
            status, body = ccall("POST", "/v3/{project_id}/backups", query=[("x", "1 2")])
            expect("Credential= POST without a body passes auth (then 400 for the body)",
                   status == 400 and json.loads(body).get("error_code") == "DBS.200001",
                   f"{status} {body}")
            status, body = signed_call(server.endpoint, ak, sk + "x", project, "GET",
                                       "/v3/{project_id}/backups", [("instance_id", "inst-1")],
                                       form="credential")
            expect("Credential= with a wrong secret gets 401 signature mismatch",
                   status == 401 and "signature mismatch" in body, f"{status} {body}")
            status, body = ccall("GET", "/v3/{project_id}/backups", [("instance_id", "inst-1")],
                                 scope_date="20200101")
            expect("Credential= whose scope date is not X-Sdk-Date's gets 401",
                   status == 401 and "date of the Credential scope" in body, f"{status} {body}")
            status, body = signed_call(server.endpoint, ak, sk, "another-project", "GET",
                                       "/v3/{project_id}/backups", [("instance_id", "inst-1")],
                                       form="credential")
            expect("Credential= on another project gets 403 DBS.200010",
                   status == 403 and json.loads(body).get("error_code") == "DBS.200010",
                   f"{status} {body}")
            _, headers = credential_sign("GET", server.endpoint, "/v3/p/backups", [], b"", ak, sk,
                                         project)
            signatures.append(headers["Authorization"].split("Signature=")[1])

            status, journal = send(server.endpoint, "GET", "/_emulator/requests?limit=1000", {}, b"")
            expect("the journal answers", status == 200, str(status))
            expect("the journal holds no secret", sk not in journal)
            expect("the journal redacts Authorization", '"Authorization": "***"' in journal
                   or '"Authorization":"***"' in journal)
        finally:
            code = server.stop()
        expect("rdsemu stops cleanly", code == 0, str(code))
        log = server.read_log()
        expect("the server's stderr holds no secret", sk not in log)
        expect("the server's stderr holds no signature", not any(s in log for s in signatures))
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--self-test", metavar="RDSEMU", help="start this rdsemu and test it")
    parser.add_argument("--vectors", help="aksk-vectors.json to check this signer against")
    parser.add_argument("--endpoint", default="http://127.0.0.1:8080")
    parser.add_argument("--ak", default=os.environ.get("HUAWEICLOUD_SDK_AK"))
    parser.add_argument("--sk", default=os.environ.get("HUAWEICLOUD_SDK_SK"))
    parser.add_argument("--project-id", default=os.environ.get("HUAWEICLOUD_SDK_PROJECT_ID"))
    parser.add_argument("--form", choices=("access", "credential"), default="access",
                        help="Access= (Huawei Cloud SDKs) or Credential= (Open Telekom Cloud)")
    parser.add_argument("--region", default="", help="the Credential= scope's region")
    parser.add_argument("--service", default="", help="the Credential= scope's service")
    parser.add_argument("--query", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--body", default="")
    parser.add_argument("method", nargs="?")
    parser.add_argument("path", nargs="?", help="may contain {project_id}")
    args = parser.parse_args()

    if args.self_test:
        if args.vectors is not None and not os.path.exists(args.vectors):
            print(f"sign_request.py: no vectors at {args.vectors}", file=sys.stderr)
            return 1
        return 0 if self_test(args.self_test, args.vectors) else 1
    if not (args.method and args.path and args.ak and args.sk and args.project_id):
        parser.error("METHOD, PATH, --ak, --sk and --project-id are needed "
                     "(or HUAWEICLOUD_SDK_AK, _SK, _PROJECT_ID)")
    query = [tuple(q.split("=", 1)) if "=" in q else (q, "") for q in args.query]
    status, body = signed_call(args.endpoint, args.ak, args.sk, args.project_id,
                               args.method.upper(), args.path, query, args.body.encode("utf-8"),
                               form=args.form, region=args.region, service=args.service)
    print(status)
    print(body)
    return 0 if 200 <= status < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
