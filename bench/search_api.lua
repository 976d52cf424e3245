-- wrk script: the search API with misspelt family names.
-- Env: CAIRN_TOKEN, CAIRN_NAMES (file of misspelt names, one a line).
local token = os.getenv("CAIRN_TOKEN")
local function enc(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local names = {}
for line in io.lines(os.getenv("CAIRN_NAMES")) do names[#names + 1] = enc(line) end
math.randomseed(os.time())
request = function()
  local n = names[math.random(1, #names)]
  return wrk.format("GET", "/api/v1/children?name=" .. n .. "&limit=20",
    { ["Authorization"] = "Bearer " .. token })
end
