-- wrk script: record contacts through the API (writes a second).
-- Env: CAIRN_TOKEN (fd.demo's), CAIRN_MAX_CHILD (children are 1..N).
-- Each request is one write transaction: the contact, its timescale
-- item (R01), its chronology entry and its audit row.
local token = os.getenv("CAIRN_TOKEN")
local maxchild = tonumber(os.getenv("CAIRN_MAX_CHILD"))
math.randomseed(os.time())
local body = '{"source":"1A","referrer_name":"A Synthetic Nurse",' ..
  '"received_at":"2026-11-30T09:00","worry":"Synthetic benchmark worry.",' ..
  '"family_consent":"agreed"}'
request = function()
  local id = math.random(1, maxchild)
  return wrk.format("POST", "/api/v1/children/" .. id .. "/contacts",
    { ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json" }, body)
end
