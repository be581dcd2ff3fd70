-- Reserve ARGV[1] picodollars on one budget key and day if it fits under ARGV[2].
-- KEYS: 1 committed (settled spend + open reservations), 2 open (id -> amount), 3 leases (id -> deadline ms),
--       4 lapsed (id -> amount, reservations whose lease ran out before they were settled), 5 id counter.
-- ARGV: 1 amount, 2 limit, 3 lease ms, 4 expire-at (unix seconds) of every key.
-- Amounts are exact decimal strings: Lua numbers are doubles, exact only below 2^53 picodollars ($9,007).
-- Returns {1, id, committed} when reserved, {0, 0, committed} when it does not fit.

local function cmp(a, b)
  if #a ~= #b then return #a < #b and -1 or 1 end
  if a == b then return 0 end
  return a < b and -1 or 1
end

local function add(a, b)
  local digits, carry, i, j = {}, 0, #a, #b
  while i > 0 or j > 0 or carry > 0 do
    local s = carry + (i > 0 and a:byte(i) - 48 or 0) + (j > 0 and b:byte(j) - 48 or 0)
    digits[#digits + 1] = s % 10
    carry = math.floor(s / 10)
    i, j = i - 1, j - 1
  end
  local out = string.reverse(table.concat(digits))
  return out == '' and '0' or out
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- Leases that ran out are released: their amount leaves the committed total and waits in `lapsed`
-- for a late settle, which then adds the real cost.
local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 100)
for _, id in ipairs(gone) do
  local held = redis.call('HGET', KEYS[2], id)
  if held then
    redis.call('HDEL', KEYS[2], id)
    redis.call('HSET', KEYS[4], id, held)
    redis.call('EXPIREAT', KEYS[4], ARGV[4])
    redis.call('DECRBY', KEYS[1], held)
  end
  redis.call('ZREM', KEYS[3], id)
end

local committed = redis.call('GET', KEYS[1]) or '0'
if string.sub(committed, 1, 1) == '-' then committed = '0' end
if cmp(committed, ARGV[2]) >= 0 or cmp(add(committed, ARGV[1]), ARGV[2]) > 0 then
  return {0, 0, committed}
end
redis.call('INCRBY', KEYS[1], ARGV[1])
local id = redis.call('INCR', KEYS[5])
redis.call('HSET', KEYS[2], id, ARGV[1])
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), id)
for i = 1, 5 do redis.call('EXPIREAT', KEYS[i], ARGV[4]) end
return {1, id, add(committed, ARGV[1])}
