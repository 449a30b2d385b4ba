-- wrk script: the documented v1 create request, a unique backup name per request.
-- Instances are taken round-robin from the bench seed (bench-0000 .. bench-NNNN).
local counter = 0
local prefix
local instances = tonumber(os.getenv("RDSEMU_BENCH_INSTANCES") or "64")
local project = os.getenv("RDSEMU_BENCH_PROJECT") or "benchproject"

function setup(thread)
  thread:set("id", math.random(1, 1000000000))
end

function init(args)
  prefix = string.format("b%x", id or math.random(1, 1000000000))
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

local non200 = 0
function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if non200 <= 3 then
      io.stderr:write("non-200: " .. status .. " " .. body .. "\n")
    end
  end
end
