-- wrk script: GET a random child's record page as a signed-in user.
-- Env: CAIRN_COOKIE (cairn_session=...), CAIRN_MAX_CHILD.
local cookie = os.getenv("CAIRN_COOKIE")
local max = tonumber(os.getenv("CAIRN_MAX_CHILD") or "1000")
math.randomseed(os.time())
request = function()
  local id = math.random(1, max)
  return wrk.format("GET", "/children/" .. id, { ["Cookie"] = cookie })
end
