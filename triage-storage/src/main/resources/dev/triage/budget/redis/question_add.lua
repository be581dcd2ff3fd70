-- Adds one question to a semantic bucket (a hash: answer key -> "expires_at_ms probe") and keeps it bounded.
-- KEYS[1] the bucket; ARGV[1] the answer key, ARGV[2] the value, ARGV[3] its lifetime (ms), ARGV[4] the most per bucket
-- Returns {evicted}: questions dropped from the bucket, soonest to expire first.
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local ttl = tonumber(ARGV[3])
if redis.call('PTTL', KEYS[1]) < ttl then
    redis.call('PEXPIRE', KEYS[1], ttl)
end
local over = redis.call('HLEN', KEYS[1]) - tonumber(ARGV[4])
if over <= 0 then
    return {0}
end
local all = redis.call('HGETALL', KEYS[1])
local items = {}
for i = 1, #all, 2 do
    items[#items + 1] = {all[i], tonumber(string.match(all[i + 1], '^(%d+)')) or 0}
end
table.sort(items, function(a, b) return a[2] < b[2] end)
for i = 1, over do
    redis.call('HDEL', KEYS[1], items[i][1])
end
return {over}
