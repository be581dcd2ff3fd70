package dev.triage.simulate.trace;

import dev.triage.chat.Money;

/**
 * Tokens by how they are billed.
 *
 * @param read    input tokens read from the cache
 * @param write5m input tokens written to five-minute entries
 * @param write1h input tokens written to one-hour entries
 * @param plain   input tokens at the plain input price
 * @param output  output tokens
 */
record Tally(long read, long write5m, long write1h, long plain, long output) {

    static final Tally ZERO = new Tally(0, 0, 0, 0, 0);

    Tally plus(Tally o) {
        return new Tally(read + o.read, write5m + o.write5m, write1h + o.write1h, plain + o.plain, output + o.output);
    }

    long written() {
        return write5m + write1h;
    }

    Money inputCost(CacheRules rules) {
        return rules.read().times(read).plus(rules.write5m().times(write5m)).plus(rules.write1h().times(write1h))
                .plus(rules.input().times(plain));
    }

    Money cost(CacheRules rules) {
        return inputCost(rules).plus(rules.output().times(output));
    }
}
