-- wrk script: GET "My work" (/) as one of several signed-in workers, in
-- turn.  Env: CAIRN_COOKIES (cairn_session=... separated by spaces).
local cookies = {}
for c in string.gmatch(os.getenv("CAIRN_COOKIES") or "", "%S+") do
  cookies[#cookies + 1] = c
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/", { ["Cookie"] = cookies[(n % #cookies) + 1] })
end
