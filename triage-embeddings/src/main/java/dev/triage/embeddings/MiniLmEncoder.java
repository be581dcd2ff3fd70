package dev.triage.embeddings;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 on ONNX Runtime: word-piece tokens (cut by a {@link Truncation}), one forward
 * pass, the mean of the token vectors, scaled to length 1 — what sentence-transformers computes.
 *
 * <p>LangChain4j's own wrapper around the same files is not used because its tokenizer silently keeps
 * the first 128 tokens (the limit written in the tokenizer file), it tokenizes every text three times,
 * and its session spreads each call over all cores; here the tokenizer is told not to truncate, this
 * class cuts, and each call runs on the calling thread only (the embedder's pool gives parallelism).
 */
final class MiniLmEncoder implements TextEncoder {

    static final int DIMENSIONS = 384;
    // Text characters tokenized per wanted word piece before widening; English runs 4-5 a piece.
    private static final int CHARS_PER_PIECE = 6;
    private static final int WINDOW_SLACK = 64;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final Truncation truncation;
    private final boolean wantsTypeIds;
    private final long cls;
    private final long sep;

    private MiniLmEncoder(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer,
            Truncation truncation) {
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.truncation = truncation;
        this.wantsTypeIds = session.getInputNames().contains("token_type_ids");
        long[] markers = tokenizer.encode("", true, false).getIds();
        this.cls = markers[0];
        this.sep = markers[markers.length - 1];
    }

    /** Reads the model from the class path and opens a session (a second or two). */
    static MiniLmEncoder load(MiniLmVariant variant, Truncation truncation) {
        byte[] model = variant.readModel();
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             InputStream tokenizerJson = variant.openTokenizer()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = environment.createSession(model, options);
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
                    Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "false"));
            return new MiniLmEncoder(environment, session, tokenizer, truncation);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load embedding model " + variant.id() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + variant.id() + " tokenizer", e);
        }
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public float[] encode(String text) {
        long[] ids = tokenIds(text);
        long[] shape = {1, ids.length};
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1);
        try (OnnxTensor inputIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
             OnnxTensor attention = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
             OnnxTensor typeIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape)) {
            Map<String, OnnxTensor> inputs = wantsTypeIds
                    ? Map.of("input_ids", inputIds, "attention_mask", attention, "token_type_ids", typeIds)
                    : Map.of("input_ids", inputIds, "attention_mask", attention);
            try (OrtSession.Result result = session.run(inputs)) {
                return meanPool(((OnnxTensor) result.get(0)).getFloatBuffer(), ids.length);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("embedding model failed: " + e.getMessage(), e);
        }
    }

    /** The model's input for {@code text}: {@code [CLS]}, the kept word pieces, {@code [SEP]}. */
    long[] tokenIds(String text) {
        return tokenIds(text, truncation);
    }

    long[] tokenIds(String text, Truncation truncation) {
        long[] pieces = keptPieces(text, truncation);
        long[] ids = new long[pieces.length + 2];
        ids[0] = cls;
        System.arraycopy(pieces, 0, ids, 1, pieces.length);
        ids[ids.length - 1] = sep;
        return ids;
    }

    /**
     * The word pieces the truncation keeps. A long text is not tokenized whole (that alone would cost
     * more than the model for a 100 KB prompt): only a window at each end is, cut anywhere, and the
     * word the cut may have split is dropped, so the pieces are exactly those of the whole text.
     */
    private long[] keptPieces(String text, Truncation truncation) {
        int head = truncation.headTokens();
        int tail = truncation.tailTokens();
        int headWindow = head * CHARS_PER_PIECE + WINDOW_SLACK;
        int tailWindow = tail == 0 ? 0 : tail * CHARS_PER_PIECE + WINDOW_SLACK;
        while (true) {
            int headEnd = boundary(text, headWindow);
            int tailStart = tail == 0 ? text.length() : boundary(text, text.length() - tailWindow);
            if (headEnd >= tailStart || headEnd >= text.length()) {
                return cut(tokenizer.encode(text, false, false).getIds(), head, tail);
            }
            long[] headPieces = dropLastWord(tokenizer.encode(text.substring(0, headEnd), false, false));
            long[] tailPieces = tail == 0 ? new long[0]
                    : dropFirstWord(tokenizer.encode(text.substring(tailStart), false, false));
            if (headPieces.length >= head && tailPieces.length >= tail) {
                long[] kept = Arrays.copyOf(headPieces, head + tail);
                System.arraycopy(tailPieces, tailPieces.length - tail, kept, head, tail);
                return kept;
            }
            if (headPieces.length < head) {
                headWindow *= 2;
            }
            if (tailPieces.length < tail) {
                tailWindow *= 2;
            }
        }
    }

    private static long[] cut(long[] pieces, int head, int tail) {
        if (pieces.length <= head + tail) {
            return pieces;
        }
        long[] kept = Arrays.copyOf(pieces, head + tail);
        System.arraycopy(pieces, pieces.length - tail, kept, head, tail);
        return kept;
    }

    /** {@code index} clamped to the text, moved off the middle of a surrogate pair. */
    private static int boundary(String text, int index) {
        if (index <= 0) {
            return 0;
        }
        if (index >= text.length()) {
            return text.length();
        }
        return Character.isLowSurrogate(text.charAt(index)) ? index + 1 : index;
    }

    private static long[] dropLastWord(Encoding encoding) {
        long[] ids = encoding.getIds();
        long[] words = encoding.getWordIds();
        int n = ids.length;
        while (n > 0 && words[n - 1] == words[ids.length - 1]) {
            n--;
        }
        return Arrays.copyOf(ids, n);
    }

    private static long[] dropFirstWord(Encoding encoding) {
        long[] ids = encoding.getIds();
        long[] words = encoding.getWordIds();
        int from = 0;
        while (from < ids.length && words[from] == words[0]) {
            from++;
        }
        return Arrays.copyOfRange(ids, from, ids.length);
    }

    private static float[] meanPool(FloatBuffer hidden, int tokens) {
        float[] sum = new float[DIMENSIONS];
        for (int t = 0; t < tokens; t++) {
            int row = t * DIMENSIONS;
            for (int i = 0; i < DIMENSIONS; i++) {
                sum[i] += hidden.get(row + i);
            }
        }
        double norm = 0;
        for (float x : sum) {
            norm += (double) x * x;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < DIMENSIONS; i++) {
            sum[i] *= scale;
        }
        return sum;
    }

    @Override
    public void close() {
        tokenizer.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the embedding model session", e);
        }
    }
}
