-- wrk script for the single-post ingest figure (bench/ingest.py): every request
-- carries one new webhook post (an id unique to the run, thread and request), as a
-- client posting in a loop does. wrk costs the machine far less CPU per request than
-- a Python client, so the figure is the server's, not the client's.
-- Arguments: the run's prefix, then the bearer token.
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  prefix = args[1] or "wrk"
  token = args[2] or ""
  counter = 0
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"id":"%s-%d-%d","author":"Bench Driver","handle":"@bench",' ..
    '"text":"single post %d about the lobby #Bench"}',
    prefix, tid, counter, counter)
  return wrk.format("POST", "/api/ingest", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end
