-- One request, repeated by wrk (benchmarks/peer.py). The environment sets it:
--   WRK_METHOD  GET or POST (default GET)
--   WRK_BODY    the form body of a POST (application/x-www-form-urlencoded)
--   WRK_AUTH    the Authorization header, e.g. "Basic ..." (optional)
-- Every answer other than a 2xx counts as an error, by status code. done() prints one line,
-- "RESULT {json}", that peer.py reads: requests, 2xx, errors by kind, latency in microseconds.

local method = os.getenv("WRK_METHOD") or "GET"
wrk.method = method
if method == "POST" then
  wrk.body = os.getenv("WRK_BODY") or ""
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local auth = os.getenv("WRK_AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local totals = {}
  local non2xx = 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
      non2xx = non2xx + count
    end
  end
  local bad = {}
  for status, count in pairs(totals) do
    bad[#bad + 1] = string.format('"%d": %d', status, count)
  end
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "non2xx": %d, "statuses": {%s}, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d, ' ..
    '"p50_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, non2xx, table.concat(bad, ", "),
    errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
