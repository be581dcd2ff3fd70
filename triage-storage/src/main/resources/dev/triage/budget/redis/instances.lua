-- One instance's heartbeat: marks it seen now (Redis's clock), forgets instances not seen for ARGV[2] ms,
-- and counts the rest. KEYS: 1 the sorted set of instance id -> last seen (ms). ARGV: 1 this instance's id,
-- 2 how long an instance counts after its last beat (ms).
-- Returns {the number of instances seen within that time, this one included}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {redis.call('ZCARD', KEYS[1])}
