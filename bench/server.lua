-- wrk script of bench/server.py: one scenario a run, named by the first argument.
--   wrk -s bench/server.lua URL -- SCENARIO TOKEN ORG PEOPLE AS_OF THREADS FIRST_MONTH
-- objective: GET a random individual objective; summary: GET the analysis summary;
-- actual: PUT a month's actual that does not exist yet. Every request is a create: each
-- request number, unique across threads, names its own metric and month, the months
-- counted from 2027-01 plus FIRST_MONTH (so that two runs never write the same month).
-- done() prints one line "RESULT {json}" with the latency percentiles and status counts.

local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  scenario, org, as_of = args[1], args[3], args[5]
  people, thread_count, first_month = tonumber(args[4]), tonumber(args[6]), tonumber(args[7])
  headers = { ["Authorization"] = "Bearer " .. args[2], ["Content-Type"] = "application/json" }
  statuses = {}
  sequence = 0
  math.randomseed(7 + index)
end

function request()
  local base = "/api/v1/orgs/" .. org
  if scenario == "objective" then
    local id = "I" .. math.random(0, people - 1)
    return wrk.format("GET", base .. "/objectives/" .. id .. "?as_of=" .. as_of, headers)
  elseif scenario == "summary" then
    return wrk.format("GET", base .. "/analysis/summary?as_of=" .. as_of, headers)
  end
  local n = sequence * thread_count + index
  sequence = sequence + 1
  local metric = "I" .. (n % people) .. "m" .. (math.floor(n / people) % 3)
  local months = first_month + math.floor(n / (people * 3))
  local period = string.format("%04d-%02d", 2027 + math.floor(months / 12), months % 12 + 1)
  local body = string.format('{"value": %.2f}', 50 + math.random() * 100)
  return wrk.format("PUT", base .. "/metrics/" .. metric .. "/actuals/" .. period, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "socket_errors": %d, "timeouts": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(95)),
    math.floor(latency:percentile(99)), math.floor(latency.max),
    e.connect + e.read + e.write + e.timeout, e.timeout, table.concat(parts, ", ")
  ))
end
