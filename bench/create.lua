-- wrk script: the documented v1 create request, a unique backup name per request.
-- Instances are taken round-robin from the bench seed (bench-0000 .. bench-NNNN); the two
-- wrk threads start half the list apart.
--   RDSEMU_BENCH_INSTANCES  instances in the seed (default 64)
--   RDSEMU_BENCH_PROJECT    project id (default benchproject)
--   RDSEMU_BENCH_RUN        a tag unique to this wrk run, part of every name, so that runs
--                           on the same database never reuse a name (default: the time)
-- At the end, done() prints one line "BENCH_RESULT {json}" on stdout for bench/bench.py.
local counter = 0
local prefix
local instances = tonumber(os.getenv("RDSEMU_BENCH_INSTANCES") or "64")
local project = os.getenv("RDSEMU_BENCH_PROJECT") or "benchproject"
local run = os.getenv("RDSEMU_BENCH_RUN") or string.format("%x", os.time())

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  prefix = string.format("b%st%d", run, id or 1)
  counter = ((id or 1) - 1) * math.floor(instances / 2)
  wrk.method = "POST"
  wrk.path = "/rds/v1/" .. project .. "/backups"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Auth-Token"] = "bench-token"
end

function request()
  counter = counter + 1
  local instance = string.format("bench-%04d", counter % instances)
  local body = string.format(
    '{"backup": {"description": "My Backup", "instance": "%s", "name": "%s_%d"}}',
    instance, prefix, counter)
  return wrk.format(nil, nil, nil, body)
end

-- Answers other than 200 (wrk itself only counts statuses above 399); the first few are
-- shown on stderr.
non200 = 0
function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if non200 <= 3 then
      io.stderr:write("non-200: " .. status .. " " .. body .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local n = 0
  for _, thread in ipairs(threads) do
    n = n + (thread:get("non200") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"status_errors":%d,' ..
    '"timeouts":%d,"non200":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, e.connect, e.read, e.write, e.status, e.timeout, n))
end
