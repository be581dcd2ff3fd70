-- Stores one cached answer and keeps the set of answers bounded.
-- KEYS[1] the answer's key, KEYS[2] the index (a sorted set of answer keys by expiry, epoch ms)
-- ARGV[1] the answer, ARGV[2] its lifetime (ms), ARGV[3] now (epoch ms), ARGV[4] the most answers kept
-- Returns {evicted}: answers dropped, soonest to expire first, to stay within the bound.
local ttl = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.call('ZADD', KEYS[2], now + ttl, KEYS[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if over > 0 then
    local old = redis.call('ZPOPMIN', KEYS[2], over)
    for i = 1, #old, 2 do
        redis.call('DEL', old[i])
    end
else
    over = 0
end
return {over}
