#!/usr/bin/env node
/*
 * A real client against the real binary: the official Huawei Cloud Node.js SDK core
 * (@huaweicloud/huaweicloud-sdk-core), unmodified, as installed by install.sh beside this file.
 *
 *   node node_sdk_test.js PATH/TO/rdsemu INSTALL_DIR
 *
 * INSTALL_DIR holds the node_modules that install.sh made from package-lock.json (in the build
 * tree). The test starts rdsemu on 127.0.0.1 port 0 with a temporary --db, --auth tokens and a
 * --credentials file of two access keys, each allowed on one project; puts the instances
 * through the control plane and freezes the emulator clock; then drives the v1 and v3 APIs
 * through the SDK core used as a generic client: a ClientBuilder whose init function returns
 * the HcClient itself, BasicCredentials with an AK, an SK and a project ID, an endpoint
 * http://127.0.0.1:PORT, and HcClient.sendRequest() with the options a generated service
 * client passes (method, url with {project_id}, contentType, queryParams, pathParams, headers,
 * data). No service package is needed: the core signs (SDK-HMAC-SHA256), sends (axios) and
 * turns error answers into its exceptions (ExceptionUtil) for any request.
 *
 * Checked (docs/v3.md, docs/jobs.md, docs/auth.md):
 *   - the installed SDK is the one package.json pins;
 *   - create (v3), list with instance_id, backup_id, backup_type, offset and limit, the job of
 *     a create (v1, the create that returns a job ID) polled through v3 while the clock moves
 *     (POST /_emulator/clock, never a sleep), delete: statuses, members in their documented
 *     order, values; 409/404/400 answers as the SDK's ClientRequestException;
 *   - a wrong SK: 401 APIGW.0301 (gateway shape); another project's key: 403 DBS.200010 (v3
 *     shape); an unknown AK: 401; a clock 25 minutes away: 401 "signature expired";
 *   - the SDK's logger: on, it prints the Authorization header of a failed call; turned off
 *     (its log4js configured to level "off"), the SDK prints nothing at all, and no secret key
 *     or signature reaches this process's output, rdsemu's stderr or the request journal.
 *
 * Every write the SDK makes to process.stdout or process.stderr is captured (never shown);
 * this script reports through the original streams. The last line is "N passed, M failed";
 * the exit status is 0 only when nothing failed.
 */
'use strict';

const childProcess = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const util = require('util');
const { createRequire } = require('module');

const START_TIMEOUT_MS = 15000;  // for the "listening on" line
const STOP_TIMEOUT_MS = 15000;   // for the exit after SIGTERM
const HTTP_TIMEOUT_MS = 15000;   // per control-plane request
const SDK_TIMEOUT_MS = 15000;    // per SDK call

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const JOB_RE = /^[0-9a-f]{32}$/;
const LISTEN_RE = /^rdsemu listening on (http:\/\/127\.0\.0\.1:(\d+))\s*$/;
const GATEWAY_401 = 'Incorrect IAM authentication information: ';

// ---- output: the SDK's writes are captured, this script's go to the real streams -----------

const realStdoutWrite = process.stdout.write.bind(process.stdout);
const secrets = new Set();     // secret keys and every signature sent: never shown
const captured = {};           // phase -> text the SDK (or anything else) wrote
let phase = 'start';

function redact(text) {
  let out = String(text);
  for (const s of secrets) {
    if (s) out = out.split(s).join('***');
  }
  return out;
}

function capturingWrite(chunk, encoding, callback) {
  const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
  captured[phase] = (captured[phase] || '') + text;
  const done = typeof encoding === 'function' ? encoding : callback;
  if (typeof done === 'function') process.nextTick(done);
  return true;
}
process.stdout.write = capturingWrite;
process.stderr.write = capturingWrite;

function say(line) {
  realStdoutWrite(redact(line) + '\n');
}

let passed = 0;
let failed = 0;

function check(cond, what, detail) {
  if (cond) {
    passed += 1;
    say(`ok   - ${what}`);
  } else {
    failed += 1;
    say(`FAIL - ${what}`);
    if (detail !== undefined) {
      for (const line of String(detail).split('\n')) say(`       ${line}`);
    }
  }
  return Boolean(cond);
}

function show(value) {
  return util.inspect(value, { depth: 6, breakLength: 100 });
}

function equal(got, want, what) {
  return check(util.isDeepStrictEqual(got, want), what, `got  ${show(got)}\nwant ${show(want)}`);
}

/** Checks that nothing was written; shows the start of what was (secrets masked). */
function nothingPrinted(text, what) {
  const got = text || '';
  return check(got === '', what, `${got.length} characters written, beginning ${JSON.stringify(got.slice(0, 300))}`);
}

// ---- times ------------------------------------------------------------------------------------

/** A time in the v3 form, YYYY-MM-DDTHH:MM:SS+0000. */
function v3Time(ms) {
  return new Date(ms).toISOString().slice(0, 19) + '+0000';
}

/** Milliseconds of a v3 time, or NaN. */
function parseV3Time(text) {
  if (typeof text !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/.test(text)) return NaN;
  return Date.parse(text.slice(0, 19) + 'Z');
}

// ---- the server and its control plane ---------------------------------------------------------

class Server {
  constructor(binary, dir, credentialsFile) {
    this.stderrPath = path.join(dir, 'rdsemu.stderr');
    const env = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (!k.startsWith('RDSEMU_')) env[k] = v;
    }
    const stderrFd = fs.openSync(this.stderrPath, 'w');
    this.proc = childProcess.spawn(binary, [
      '--listen', '127.0.0.1:0', '--db', path.join(dir, 'rdsemu.db'),
      '--auth', 'tokens', '--credentials', credentialsFile,
    ], { stdio: ['ignore', 'pipe', stderrFd], env });
    fs.closeSync(stderrFd);
    this.exit = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => resolve({ code, signal }));
      this.proc.on('error', (err) => resolve({ code: null, signal: null, err }));
    });
  }

  /** Reads the one stdout line (bounded wait); resolves to the base URL, rejects with why. */
  listening() {
    return new Promise((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => {
        reject(new Error(`no 'listening on' line within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      this.proc.stdout.setEncoding('utf8');
      this.proc.stdout.on('data', (data) => {
        buf += data;
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        clearTimeout(timer);
        const line = buf.slice(0, nl);
        const m = LISTEN_RE.exec(line);
        if (m) resolve(m[1]);
        else reject(new Error(`unexpected first stdout line ${JSON.stringify(line)}`));
      });
      this.exit.then(({ code, signal, err }) => {
        clearTimeout(timer);
        reject(new Error(`rdsemu ended before listening: ${err ? err.message : `status ${code}, signal ${signal}`}`));
      });
    });
  }

  /** SIGTERM and a bounded wait; SIGKILL past it. Resolves to the exit status or null. */
  async stop() {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return this.proc.exitCode;
    this.proc.kill('SIGTERM');
    let timer;
    const late = new Promise((resolve) => { timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS); });
    const ended = await Promise.race([this.exit, late]);
    clearTimeout(timer);
    if (ended === null) {
      this.proc.kill('SIGKILL');
      await this.exit;
      return null;
    }
    return ended.code;
  }

  stderr() {
    try {
      return fs.readFileSync(this.stderrPath, 'utf8');
    } catch (err) {
      return '';
    }
  }
}

/** One plain HTTP request to the control plane; resolves to {status, json, text}. */
function control(base, method, urlPath, body) {
  return new Promise((resolve, reject) => {
    const url = new URL(urlPath, base);
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { Connection: 'close' };
    if (data) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(data.length);
    }
    const req = http.request({
      host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers,
      timeout: HTTP_TIMEOUT_MS,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch (err) {
          json = null;
        }
        resolve({ status: res.statusCode, json, text });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: no answer within ${HTTP_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

// ---- the test ---------------------------------------------------------------------------------

async function run(binary, installDir, workDir) {
  // --- the installed SDK is the pinned one
  const pinned = JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8')).dependencies;
  const sdkRequire = createRequire(path.join(installDir, 'package.json'));
  for (const [name, version] of Object.entries(pinned)) {
    let installed = null;
    try {
      installed = sdkRequire(`${name}/package.json`).version;
    } catch (err) {
      installed = `not installed (${err.message.split('\n')[0]})`;
    }
    equal(installed, version, `${name} installed at the pinned version`);
  }

  const core = '@huaweicloud/huaweicloud-sdk-core';
  const { ClientBuilder } = sdkRequire(`${core}/ClientBuilder`);
  const { BasicCredentials } = sdkRequire(`${core}/auth/BasicCredentials`);
  const { DefaultHttpClient } = sdkRequire(`${core}/http/DefaultHttpClient`);
  const { ClientRequestException } = sdkRequire(`${core}/exception/ClientRequestException`);
  const { ServiceResponseException } = sdkRequire(`${core}/exception/ServiceResponseException`);
  const { SdkException } = sdkRequire(`${core}/exception/SdkException`);
  // The log4js instance the core logs through (resolved from the core's own folder).
  const log4js = createRequire(sdkRequire.resolve(`${core}/package.json`))('log4js');

  // --- credentials: two access keys, each on one project
  const suffix = crypto.randomBytes(6).toString('hex');
  const P1 = `node-sdk-a-${suffix}`;
  const P2 = `node-sdk-b-${suffix}`;
  const AK1 = `NODESDKAK1${suffix.toUpperCase()}`;
  const AK2 = `NODESDKAK2${suffix.toUpperCase()}`;
  const SK1 = `node-sdk-secret-one-${crypto.randomBytes(16).toString('hex')}`;
  const SK2 = `node-sdk-secret-two-${crypto.randomBytes(16).toString('hex')}`;
  const WRONG_SK = `node-sdk-wrong-secret-${crypto.randomBytes(16).toString('hex')}`;
  for (const s of [SK1, SK2, WRONG_SK]) secrets.add(s);
  const credentialsFile = path.join(workDir, 'credentials.json');
  fs.writeFileSync(credentialsFile, JSON.stringify({
    [AK1]: { secret: SK1, projects: [P1] },
    [AK2]: { secret: SK2, projects: [P2] },
  }));

  const server = new Server(binary, workDir, credentialsFile);
  let base;
  try {
    base = await server.listening();
  } catch (err) {
    check(false, 'rdsemu starts and prints its listening line', `${err.message}\nstderr:\n${server.stderr()}`);
    await server.stop();
    return;
  }
  check(true, `rdsemu listening on ${base}`);

  try {
    await scenario({
      base, server, P1, P2, AK1, AK2, SK1, SK2, WRONG_SK,
      ClientBuilder, BasicCredentials, DefaultHttpClient,
      ClientRequestException, ServiceResponseException, SdkException, log4js,
    });
  } finally {
    phase = 'stop';
    const code = await server.stop();
    equal(code, 0, 'rdsemu exits 0 on SIGTERM');
    const stderr = server.stderr();
    const leaked = [...secrets].filter((s) => s && stderr.includes(s));
    check(leaked.length === 0, `rdsemu's stderr holds none of the ${secrets.size} secret keys and signatures`,
      `${leaked.length} of them found`);
  }
}

async function scenario(t) {
  const { base, P1, P2, AK1, AK2, SK1, SK2, WRONG_SK } = t;
  const MYSQL = 'node-mysql-1';
  const PG = 'node-pg-1';
  const OTHER = 'node-mysql-2';

  // --- instances and the clock, through the control plane
  const instances = [
    [P1, MYSQL, { name: 'orders-mysql', datastore: { type: 'MySQL', version: '8.0' }, backup_seconds: 600, size_kb: 4096 }],
    [P1, PG, { name: 'orders-pg', datastore: { type: 'PostgreSQL', version: '14' }, backup_seconds: 600 }],
    [P2, OTHER, { name: 'billing', datastore: { type: 'MySQL', version: '5.7' }, backup_seconds: 0 }],
  ];
  for (const [project, id, body] of instances) {
    const r = await control(base, 'PUT', `/_emulator/projects/${project}/instances/${id}`, body);
    equal(r.status, 200, `control plane: PUT instance ${id} in ${project}`);
  }
  const frozen = await control(base, 'POST', '/_emulator/clock', { freeze: true });
  equal([frozen.status, frozen.json && frozen.json.frozen], [200, true], 'control plane: the clock frozen');
  const t0 = parseV3Time(frozen.json && frozen.json.now);
  check(Math.abs(t0 - Date.now()) < 60000, 'the frozen clock shows the real time', show(frozen.json));
  const T0 = v3Time(t0);

  async function advance(seconds, want) {
    const r = await control(base, 'POST', '/_emulator/clock', { advance_seconds: seconds });
    equal([r.status, r.json && r.json.now], [200, want], `clock advanced ${seconds} s`);
  }

  async function journalNewest(project) {
    const r = await control(base, 'GET', `/_emulator/requests?project_id=${project}&limit=1`);
    return r.json && r.json.requests && r.json.requests[0];
  }

  // --- the SDK core as a generic client
  const endpoint = base;
  function sdkClient(ak, sk, projectId) {
    const credentials = new t.BasicCredentials().withAk(ak).withSk(sk).withProjectId(projectId);
    return new t.ClientBuilder((hcClient) => hcClient)
      .withCredential(credentials)
      .withEndpoint(endpoint)
      .build();
  }

  /** One request through HcClient.sendRequest, shaped as a generated service client shapes it. */
  async function call(client, method, url, { query, body, pathParams } = {}) {
    const options = {
      method,
      url,
      contentType: body === undefined ? 'application/json' : 'application/json;charset=UTF-8',
      queryParams: query || {},
      pathParams: pathParams || {},
      headers: {},
    };
    if (body !== undefined) options.data = body;
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ timeout: true }), SDK_TIMEOUT_MS);
    });
    const sent = client.sendRequest(options).then((response) => ({ response }), (error) => ({ error }));
    const result = await Promise.race([sent, timeout]);
    clearTimeout(timer);
    // The request the core sent last (a static of DefaultHttpClient), read to learn the
    // signature it made, so that the checks below can look for it where it must not be.
    const last = t.DefaultHttpClient.httpReqParam;
    const auth = last && last.headers && last.headers.Authorization;
    const m = /Signature=([0-9a-f]{64})/.exec(auth || '');
    if (m) secrets.add(m[1]);
    if (result.timeout) throw new Error(`${method} ${url}: no answer through the SDK within ${SDK_TIMEOUT_MS} ms`);
    return result;
  }

  function refused(result, status, code, message, what) {
    const e = result.error;
    if (!check(e !== undefined, `${what}: the SDK raises`, `it returned ${show(result.response)}`)) return;
    check(e instanceof t.ClientRequestException && e instanceof t.ServiceResponseException
          && e instanceof t.SdkException && e.name === 'ClientRequestException',
    `${what}: a ClientRequestException`, show(e));
    equal([e.httpStatusCode, e.errorCode], [status, code], `${what}: ${status} ${code}`);
    if (message instanceof RegExp) {
      check(message.test(e.errorMsg), `${what}: error_msg`, `got  ${show(e.errorMsg)}\nwant ${message}`);
    } else {
      equal(e.errorMsg, message, `${what}: error_msg`);
    }
    check(UUID_RE.test(e.requestId || ''), `${what}: requestId from X-Request-Id`, show(e.requestId));
  }

  const c1 = sdkClient(AK1, SK1, P1);
  const c2 = sdkClient(AK2, SK2, P2);
  const c2OnP1 = sdkClient(AK2, SK2, P1);
  const wrong = sdkClient(AK1, WRONG_SK, P1);
  const unknownAk = sdkClient(`NODESDKUNKNOWN${t.AK1.slice(-12)}`, SK1, P1);
  const listUrl = '/v3/{project_id}/backups';

  // --- the logger: on, it prints the Authorization header of a failed call
  phase = 'logger-on';
  let r = await call(wrong, 'GET', listUrl, { query: { instance_id: MYSQL } });
  equal(r.error && r.error.httpStatusCode, 401, 'logger on: a wrong SK is refused');
  const onText = captured['logger-on'] || '';
  check(/Authorization/.test(onText) && /SDK-HMAC-SHA256 Access=/.test(onText),
    'logger on: the SDK prints the Authorization header of the failed call (why it is turned off)',
    `captured ${onText.length} characters`);

  // Off: the core logs through log4js (logger/log4jLogger.js); level "off" silences it.
  t.log4js.configure({
    appenders: { out: { type: 'stdout' } },
    categories: { default: { appenders: ['out'], level: 'off' } },
  });
  phase = 'logger-off';
  r = await call(wrong, 'GET', listUrl, { query: { instance_id: MYSQL } });
  equal(r.error && r.error.httpStatusCode, 401, 'logger off: a wrong SK is refused');
  nothingPrinted(captured['logger-off'], 'logger off: the failed call printed nothing');

  // --- create (v3)
  const createBody = { instance_id: MYSQL, name: 'node-nightly', description: 'made by the Node.js SDK core' };
  r = await call(c1, 'POST', listUrl, { body: createBody });
  check(r.error === undefined, 'create: no exception', show(r.error));
  const created = r.response || {};
  equal(Object.keys(created), ['backup', 'httpStatusCode'], 'create: members backup (and the SDK\'s httpStatusCode)');
  equal(created.httpStatusCode, 200, 'create: 200');
  const backup = created.backup || {};
  equal(Object.keys(backup), ['id', 'instance_id', 'name', 'description', 'begin_time', 'status', 'type'],
    'create: backup members in the documented order');
  const B = backup.id;
  check(UUID_RE.test(B || ''), 'create: id is a UUID', show(B));
  equal([backup.instance_id, backup.name, backup.description, backup.begin_time, backup.status, backup.type],
    [MYSQL, 'node-nightly', 'made by the Node.js SDK core', T0, 'BUILDING', 'manual'], 'create: values');

  let entry = await journalNewest(P1);
  equal(entry && [entry.method, entry.path, entry.status], ['POST', `/v3/${P1}/backups`, 200],
    'journal: the create as sent');
  equal(entry && entry.body, JSON.stringify(createBody), 'journal: the body the SDK signed is the body it sent');
  const headers = (entry && entry.headers) || {};
  const hv = (name) => Object.entries(headers).filter(([k]) => k.toLowerCase() === name).map(([, v]) => v)[0];
  equal(hv('authorization'), '***', 'journal: Authorization shown as ***');
  check(/^\d{8}T\d{6}Z$/.test(hv('x-sdk-date') || ''), 'journal: X-Sdk-Date sent', show(hv('x-sdk-date')));
  equal(hv('x-project-id'), P1, 'journal: X-Project-Id sent');
  check(/^huaweicloud-usdk-nodejs\/3\.0; .*app\/[0-9a-f-]{36}$/.test(hv('user-agent') || ''),
    'journal: the SDK\'s default User-Agent (with the application ID uuid made)', show(hv('user-agent')));

  // --- a second create while the first is BUILDING
  r = await call(c1, 'POST', listUrl, { body: { instance_id: MYSQL, name: 'node-weekly' } });
  refused(r, 409, 'DBS.201205', `a backup of instance ${MYSQL} is already in progress; wait until it finishes`,
    'create while BUILDING');

  // --- list with filters
  const listMembers = ['id', 'name', 'type', 'size', 'status', 'begin_time', 'end_time', 'datastore', 'instance_id'];
  const filters = { instance_id: MYSQL, backup_id: B, backup_type: 'manual', offset: 0, limit: 10 };
  r = await call(c1, 'GET', listUrl, { query: filters });
  check(r.error === undefined, 'list (all five filters): no exception', show(r.error));
  let list = r.response || {};
  equal(Object.keys(list), ['backups', 'total_count', 'httpStatusCode'], 'list: members backups, total_count');
  equal([list.httpStatusCode, list.total_count, (list.backups || []).length], [200, 1, 1], 'list: 200, one backup');
  let item = (list.backups || [])[0] || {};
  equal(Object.keys(item), listMembers, 'list: backup members in the documented order');
  equal(item, {
    id: B, name: 'node-nightly', type: 'manual', size: null, status: 'BUILDING', begin_time: T0,
    end_time: null, datastore: { type: 'MySQL', version: '8.0' }, instance_id: MYSQL,
  }, 'list: values while BUILDING');
  equal(Object.keys(item.datastore || {}), ['type', 'version'], 'list: datastore members');
  entry = await journalNewest(P1);
  const sentQuery = Object.fromEntries(new URLSearchParams((entry && entry.query) || ''));
  equal(sentQuery, { instance_id: MYSQL, backup_id: B, backup_type: 'manual', offset: '0', limit: '10' },
    'journal: the five filters went on the wire');

  r = await call(c1, 'GET', listUrl, { query: { instance_id: MYSQL, backup_type: 'auto' } });
  equal(r.response && [r.response.backups, r.response.total_count], [[], 0], 'list backup_type=auto: empty');
  r = await call(c1, 'GET', listUrl, { query: { instance_id: MYSQL, offset: 1, limit: 1 } });
  equal(r.response && [r.response.backups, r.response.total_count], [[], 1], 'list offset=1: a page past the end, total_count 1');
  r = await call(c1, 'GET', listUrl, { query: { instance_id: MYSQL, backup_id: crypto.randomUUID() } });
  equal(r.response && [r.response.backups, r.response.total_count], [[], 0], 'list with an unknown backup_id: empty');
  r = await call(c1, 'GET', listUrl, { query: { instance_id: MYSQL, limit: 101 } });
  refused(r, 400, 'DBS.200001', 'limit must be a whole number from 1 to 100', 'list limit=101');
  r = await call(c1, 'GET', listUrl, { query: { instance_id: 'node-no-such-instance' } });
  refused(r, 404, 'DBS.200045', `instance node-no-such-instance does not exist in project ${P1}`,
    'list of an unknown instance');

  // --- a job: the v1 create returns its ID; the v3 jobs call polls it
  r = await call(c1, 'POST', '/rds/v1/{project_id}/backups', { body: { backup: { instance: PG, name: 'node-v1-job' } } });
  check(r.error === undefined, 'v1 create: no exception', show(r.error));
  const v1 = r.response || {};
  const JOB = v1.extendparam && v1.extendparam.jobs && v1.extendparam.jobs[0];
  const V1B = v1.backup && v1.backup.id;
  check(JOB_RE.test(JOB || ''), 'v1 create: extendparam.jobs holds a job ID', show(v1.extendparam));
  check(UUID_RE.test(V1B || ''), 'v1 create: backup.id is a UUID', show(V1B));

  const jobMembers = ['id', 'name', 'status', 'created', 'ended', 'process', 'instance', 'entities', 'fail_reason'];
  async function job(what, want) {
    const got = await call(c1, 'GET', '/v3/{project_id}/jobs', { query: { id: JOB } });
    check(got.error === undefined, `${what}: no exception`, show(got.error));
    const res = got.response || {};
    equal([Object.keys(res), res.httpStatusCode], [['job', 'httpStatusCode'], 200], `${what}: 200 {"job"}`);
    const j = res.job || {};
    equal(Object.keys(j), jobMembers, `${what}: members in the documented order`);
    equal(j, Object.assign({
      id: JOB, name: 'CreateManualBackup', created: T0,
      instance: { id: PG, name: 'orders-pg' }, entities: { backup_id: V1B }, fail_reason: null,
    }, want), `${what}: values`);
  }
  await job('job at 0 s', { status: 'Running', ended: null, process: '0%' });
  r = await call(c1, 'GET', '/v3/{project_id}/jobs', { query: { id: '0123456789abcdef0123456789abcdef' } });
  refused(r, 400, 'DBS.200543', 'job 0123456789abcdef0123456789abcdef does not exist', 'unknown job');
  r = await call(c2, 'GET', '/v3/{project_id}/jobs', { query: { id: JOB } });
  refused(r, 400, 'DBS.200543', `job ${JOB} does not exist`, 'the job asked for through another project');

  // --- the clock moves; nothing sleeps
  await advance(300, v3Time(t0 + 300000));
  await job('job at 300 s', { status: 'Running', ended: null, process: '50%' });
  r = await call(c1, 'GET', listUrl, { query: { instance_id: MYSQL } });
  item = (r.response && r.response.backups && r.response.backups[0]) || {};
  equal([item.status, item.size, item.end_time], ['BUILDING', null, null], 'list at 300 s: still BUILDING');

  await advance(300, v3Time(t0 + 600000));
  const T600 = v3Time(t0 + 600000);
  await job('job at 600 s', { status: 'Completed', ended: T600, process: '' });
  r = await call(c1, 'GET', listUrl, { query: { instance_id: MYSQL } });
  list = r.response || {};
  equal([list.total_count, (list.backups || []).length], [1, 1], 'list at 600 s: one backup');
  item = (list.backups || [])[0] || {};
  equal(item, {
    id: B, name: 'node-nightly', type: 'manual', size: 4096, status: 'COMPLETED', begin_time: T0,
    end_time: T600, datastore: { type: 'MySQL', version: '8.0' }, instance_id: MYSQL,
  }, 'list at 600 s: COMPLETED, size_kb of the instance, end_time = begin_time + 600 s');

  // --- delete
  const deleteUrl = '/v3/{project_id}/backups/{backup_id}';
  r = await call(c1, 'DELETE', deleteUrl, { pathParams: { backup_id: B } });
  check(r.error === undefined, 'delete: no exception', show(r.error));
  equal(r.response, { httpStatusCode: 200 }, 'delete: 200 with an empty body');
  r = await call(c1, 'GET', listUrl, { query: { instance_id: MYSQL } });
  equal(r.response && [r.response.backups, r.response.total_count], [[], 0], 'list after the delete: empty');
  r = await call(c1, 'DELETE', deleteUrl, { pathParams: { backup_id: B } });
  refused(r, 404, 'DBS.201010', `backup ${B} does not exist`, 'delete again');

  r = await call(c1, 'POST', listUrl, { body: { instance_id: MYSQL, name: 'node-second' } });
  const B2 = r.response && r.response.backup && r.response.backup.id;
  equal(r.response && r.response.backup && [r.response.backup.status, r.response.backup.begin_time],
    ['BUILDING', T600], 'create after the delete (the instance is free again): BUILDING');
  r = await call(c1, 'DELETE', deleteUrl, { pathParams: { backup_id: B2 } });
  refused(r, 409, 'DBS.201205', `backup ${B2} is still being created; delete it once it is COMPLETED or FAILED`,
    'delete while BUILDING');

  r = await call(c1, 'DELETE', deleteUrl, { pathParams: { backup_id: V1B } });
  equal(r.response, { httpStatusCode: 200 }, 'delete (v3) of the backup made through v1: 200');
  await job('job after its backup is deleted', { status: 'Completed', ended: T600, process: '' });

  // --- authentication as the SDK surfaces it
  const pgCountBefore = await call(c1, 'GET', listUrl, { query: { instance_id: PG } });
  r = await call(wrong, 'POST', listUrl, { body: { instance_id: PG, name: 'node-refused' } });
  refused(r, 401, 'APIGW.0301',
    /^Incorrect IAM authentication information: verify aksk signature fail: signature mismatch/, 'wrong SK');
  entry = await journalNewest(P1);
  equal(entry && [entry.request_id, entry.status, entry.error_code], [r.error && r.error.requestId, 401, 'APIGW.0301'],
    'wrong SK: the journal entry of that request ID is the 401');

  r = await call(c2OnP1, 'POST', listUrl, { body: { instance_id: PG, name: 'node-refused' } });
  refused(r, 403, 'DBS.200010', `the access key ${AK2} is not allowed to act on project ${P1}`,
    'another project\'s key, create');
  r = await call(c2OnP1, 'GET', listUrl, { query: { instance_id: PG } });
  refused(r, 403, 'DBS.200010', `the access key ${AK2} is not allowed to act on project ${P1}`,
    'another project\'s key, list');
  r = await call(c2OnP1, 'GET', '/v3/{project_id}/jobs', { query: { id: JOB } });
  refused(r, 403, 'DBS.200010', `the access key ${AK2} is not allowed to act on project ${P1}`,
    'another project\'s key, job');
  r = await call(c2, 'GET', listUrl, { query: { instance_id: OTHER } });
  equal(r.response && [r.response.httpStatusCode, r.response.total_count], [200, 0],
    'the same key on its own project: 200');
  r = await call(unknownAk, 'GET', listUrl, { query: { instance_id: PG } });
  refused(r, 401, 'APIGW.0301', /^Incorrect IAM authentication information: unknown AK: .*ak not exist/, 'unknown AK');
  const pgCountAfter = await call(c1, 'GET', listUrl, { query: { instance_id: PG } });
  equal(pgCountAfter.response && pgCountAfter.response.total_count,
    pgCountBefore.response && pgCountBefore.response.total_count, 'the refused creates made no backup');

  // --- a clock 25 minutes ahead of the SDK's X-Sdk-Date: "signature expired"
  await advance(900, v3Time(t0 + 1500000));
  r = await call(c1, 'GET', listUrl, { query: { instance_id: MYSQL } });
  refused(r, 401, 'APIGW.0301', /^Incorrect IAM authentication information: signature expired, signature time:\d{8}T\d{6}Z, server time:\d{8}T\d{6}Z$/,
    'clock 25 minutes ahead');
  const back = await control(base, 'POST', '/_emulator/clock', { now: v3Time(Date.now()), freeze: true });
  equal(back.status, 200, 'clock set back to the real time');
  r = await call(c1, 'GET', listUrl, { query: { instance_id: MYSQL } });
  equal(r.response && [r.response.httpStatusCode, r.response.total_count], [200, 1],
    'clock back: signed calls pass again');

  // --- nothing secret printed or kept
  nothingPrinted(captured['logger-off'], 'logger off: the SDK printed nothing during the whole run');
  const signatures = secrets.size - 3;
  check(signatures >= 20, `${signatures} signatures made by the SDK, each looked for below`);
  const journal = await control(base, 'GET', `/_emulator/requests`);
  const all = (journal.json && journal.json.requests) || [];
  check(all.length >= 20, `journal: ${all.length} requests of the SDK`);
  const inJournal = [...secrets].filter((s) => journal.text.includes(s));
  check(inJournal.length === 0, 'journal: holds no secret key and no signature', `${inJournal.length} found`);
  const notSdk = all.filter((e) => !/^huaweicloud-usdk-nodejs\/3\.0/.test(
    Object.entries(e.headers || {}).filter(([k]) => k.toLowerCase() === 'user-agent').map(([, v]) => v)[0] || ''));
  equal(notSdk.length, 0, 'journal: every request came from the SDK (its User-Agent)');
  const masked = all.filter((e) => Object.entries(e.headers || {}).some(
    ([k, v]) => k.toLowerCase() === 'authorization' && v === '***'));
  equal(masked.length, all.length, 'journal: every request was signed, its Authorization shown as ***');
  const appId = path.join(os.homedir(), '.huaweicloud', 'application_id');
  check(fs.existsSync(appId) && UUID_RE.test(fs.readFileSync(appId, 'utf8').trim()),
    'the SDK wrote its application ID (a uuid v4) under the temporary HOME', appId);
}

async function main() {
  const [binary, installDir] = process.argv.slice(2);
  if (!binary || !installDir || process.argv.length !== 4) {
    say('usage: node node_sdk_test.js PATH/TO/rdsemu INSTALL_DIR');
    return 2;
  }
  const binaryPath = path.resolve(binary);
  const installPath = path.resolve(installDir);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdsemu-node-sdk-'));
  // The SDK writes HOME/.huaweicloud/application_id and may write log files in the current
  // directory: both go to the temporary folder. Credentials come from the code, never from
  // HUAWEICLOUD_SDK_* variables.
  process.env.HOME = workDir;
  process.chdir(workDir);
  for (const k of Object.keys(process.env)) {
    if (k.startsWith('HUAWEICLOUD_SDK_')) delete process.env[k];
  }
  try {
    await run(binaryPath, installPath, workDir);
  } catch (err) {
    check(false, 'the test ran to its end', err && err.stack ? err.stack : String(err));
  }
  if (failed === 0) {
    fs.rmSync(workDir, { recursive: true, force: true });
  } else {
    say(`the temporary folder is kept: ${workDir}`);
  }
  say(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => {
  say(`FAIL - ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
