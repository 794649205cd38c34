-- wrk script: GET each path of the file named by WRK_PATHS in turn (one per
-- line, already URL-encoded), so a run mixes every judged query.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
