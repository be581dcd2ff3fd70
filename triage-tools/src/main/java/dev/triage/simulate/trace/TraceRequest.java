package dev.triage.simulate.trace;

import java.util.Arrays;

/**
 * One request of a trace in Mooncake's format: when it came, how long its prompt and answer were, and
 * its prompt cut into {@value #BLOCK_TOKENS}-token blocks, each named by an id that hashes the block
 * and everything before it (two requests with equal leading ids share that prefix of their prompts).
 *
 * @param timestampMs  milliseconds from the start of the trace
 * @param inputTokens  prompt tokens
 * @param outputTokens answer tokens
 * @param blocks       the ids of the prompt's blocks, the last one partial unless the prompt is a whole
 *                     number of blocks
 */
public record TraceRequest(long timestampMs, int inputTokens, int outputTokens, int[] blocks) {

    /** Tokens in one block of {@code hash_ids}. */
    public static final int BLOCK_TOKENS = 512;

    public TraceRequest {
        blocks = blocks.clone();
    }

    /** The blocks that are full: all of them, or all but the last when the prompt ends inside a block. */
    int fullBlocks() {
        return inputTokens % BLOCK_TOKENS == 0 ? blocks.length : blocks.length - 1;
    }

    /** Whether the prompt ends inside its last block. */
    boolean endsInsideABlock() {
        return inputTokens % BLOCK_TOKENS != 0;
    }

    @Override
    public int[] blocks() {
        return blocks.clone();
    }

    int blockCount() {
        return blocks.length;
    }

    int block(int i) {
        return blocks[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceRequest r && timestampMs == r.timestampMs && inputTokens == r.inputTokens
                && outputTokens == r.outputTokens && Arrays.equals(blocks, r.blocks);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(timestampMs) + 17 * inputTokens + 7 * outputTokens + Arrays.hashCode(blocks);
    }

    @Override
    public String toString() {
        return "TraceRequest[t=" + timestampMs + "ms, in=" + inputTokens + ", out=" + outputTokens + ", blocks="
                + Arrays.toString(blocks) + "]";
    }
}
