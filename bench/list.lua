-- wrk script: the v1 list of a project's backups, GET /rds/v1/{project_id}/backups.
--   RDSEMU_BENCH_PROJECT  project id (default benchlist; bench/bench.py gives it 100 backups)
-- At the end, done() prints one line "BENCH_RESULT {json}" on stdout for bench/bench.py.
local project = os.getenv("RDSEMU_BENCH_PROJECT") or "benchlist"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "GET"
  wrk.path = "/rds/v1/" .. project .. "/backups"
  wrk.headers["X-Auth-Token"] = "bench-token"
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
