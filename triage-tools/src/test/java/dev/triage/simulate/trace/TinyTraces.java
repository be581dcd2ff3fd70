package dev.triage.simulate.trace;

import dev.triage.chat.Money;
import java.util.List;

/** Hand-made traces and Sonnet-like rules for the tests. */
final class TinyTraces {

    private TinyTraces() {
    }

    /** Claude Sonnet 4.5's rules and prices: $3 input, $0.30 read, $3.75 / $6 write, $15 output per MTok; minimum 1,024. */
    static final CacheRules SONNET = rules(1024);

    static CacheRules rules(int minimumTokens) {
        return new CacheRules("sonnet", minimumTokens, 4, 20, perMtok("3"), perMtok("0.30"), perMtok("3.75"), perMtok("6"), perMtok("15"));
    }

    static Money perMtok(String usd) {
        return Money.ofUsd(new java.math.BigDecimal(usd).movePointLeft(6));
    }

    /** A request at {@code seconds} with a prompt of {@code tokens} in the given blocks and a 100-token answer. */
    static TraceRequest at(double seconds, int tokens, int... blocks) {
        return new TraceRequest(Math.round(seconds * 1000), tokens, 100, blocks);
    }

    static Trace trace(TraceRequest... requests) {
        return new Trace("tiny", List.of(requests));
    }

    /** Blocks {@code from}, {@code from+1}, … {@code to} (inclusive). */
    static int[] blocks(int from, int to) {
        int[] b = new int[to - from + 1];
        for (int i = 0; i < b.length; i++) {
            b[i] = from + i;
        }
        return b;
    }

    /** {@code head} followed by {@code tail}. */
    static int[] concat(int[] head, int... tail) {
        int[] b = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, b, head.length, tail.length);
        return b;
    }
}
