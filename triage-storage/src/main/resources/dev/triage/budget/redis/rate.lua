-- A sliding-minute allowance (see dev.triage.keys.SlidingMinute, whose arithmetic this repeats).
-- KEYS: 1 the allowance's key (a minute number is appended to it). ARGV: 1 mode: take | check | add,
-- 2 units (take, add), 3 limit (take, check).
-- Returns {0} when granted (or added), else {the seconds until it would be granted with no other use}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = math.floor(now / 60000)
local currentKey = KEYS[1] .. ':' .. window
local current = tonumber(redis.call('GET', currentKey) or '0')
local previous = tonumber(redis.call('GET', KEYS[1] .. ':' .. (window - 1)) or '0')
local mode, units, limit = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])

local function estimate(at, prev, cur)
  return prev * (1 - (at % 60000) / 60000) + cur
end

local function fits(est, extra, strict)
  if strict then return est + extra < limit end
  return est + extra <= limit
end

local function waitFor(extra, strict)
  for s = 1, 120 do
    local at = now + s * 1000
    local w = math.floor(at / 60000)
    local est = 0
    if w == window then est = estimate(at, previous, current)
    elseif w == window + 1 then est = estimate(at, current, 0) end
    if fits(est, extra, strict) then return s end
  end
  return 120
end

if mode == 'add' then
  redis.call('INCRBY', currentKey, units)
  redis.call('PEXPIRE', currentKey, 120000)
  return {0}
end
local est = estimate(now, previous, current)
if mode == 'check' then
  if est >= limit then return {waitFor(0, true)} end
  return {0}
end
if est + units > limit then return {waitFor(units, false)} end
redis.call('INCRBY', currentKey, units)
redis.call('PEXPIRE', currentKey, 120000)
return {0}
