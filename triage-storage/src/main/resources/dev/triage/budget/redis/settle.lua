-- Replace reservation ARGV[1] by its real cost ARGV[2] (exact decimal picodollars), once.
-- KEYS: 1 committed, 2 open, 3 leases, 4 lapsed (as in reserve.lua). ARGV: 1 id, 2 actual, 3 expire-at.
-- Returns 1 when an open reservation was settled, 2 when a lapsed one was (its cost is added),
-- 0 when it was settled before (or its day is gone).
local held = redis.call('HGET', KEYS[2], ARGV[1])
if held then
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
  redis.call('DECRBY', KEYS[1], held)
  redis.call('INCRBY', KEYS[1], ARGV[2])
  return 1
end
if redis.call('HDEL', KEYS[4], ARGV[1]) == 1 then
  redis.call('INCRBY', KEYS[1], ARGV[2])
  redis.call('EXPIREAT', KEYS[1], ARGV[3])
  return 2
end
return 0
