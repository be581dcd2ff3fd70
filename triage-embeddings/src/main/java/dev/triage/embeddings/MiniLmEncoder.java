package dev.triage.embeddings;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 on ONNX Runtime: word-piece tokens (cut by a {@link Truncation}), one forward
 * pass, the mean of the token vectors, scaled to length 1 — what sentence-transformers computes.
 *
 * <p>The model and tokenizer files come from LangChain4j's artifacts; its wrapper around them is not
 * used because it silently keeps the first 128 tokens (the limit written in the tokenizer file), runs
 * DJL's tokenizer three times per text, and spreads each call over all cores. Here
 * {@link WordPieceTokenizer} tokenizes, this class cuts, and each call runs on the calling thread only
 * (the embedder's pool gives the parallelism).
 */
final class MiniLmEncoder implements TextEncoder {

    static final int DIMENSIONS = 384;
    // Text characters tokenized per wanted word piece before widening; English runs 4-5 a piece.
    private static final int CHARS_PER_PIECE = 6;
    private static final int WINDOW_SLACK = 64;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final WordPieceTokenizer tokenizer;
    private final Truncation truncation;
    private final boolean wantsTypeIds;
    private final long cls;
    private final long sep;

    private MiniLmEncoder(OrtEnvironment environment, OrtSession session, WordPieceTokenizer tokenizer,
            Truncation truncation) {
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.truncation = truncation;
        this.wantsTypeIds = session.getInputNames().contains("token_type_ids");
        this.cls = tokenizer.cls();
        this.sep = tokenizer.sep();
    }

    /** Reads the model from the class path and opens a session (a second or two). */
    static MiniLmEncoder load(MiniLmVariant variant, Truncation truncation) {
        ByteBuffer model = variant.readModel();
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             InputStream tokenizerJson = variant.openTokenizer()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = environment.createSession(model, options);
            return new MiniLmEncoder(environment, session, WordPieceTokenizer.fromJson(tokenizerJson), truncation);
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
        return encode(text, truncation);
    }

    /** {@link #encode(String)} with another cut, for measurements. */
    float[] encode(String text, Truncation truncation) {
        long[] ids = tokenIds(text, truncation);
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
            int headEnd = cut(text, headWindow);
            int tailStart = tail == 0 ? text.length() : cut(text, text.length() - tailWindow);
            if (headEnd >= tailStart || headEnd >= text.length()) {
                return keep(tokenizer.tokenize(text).ids(), head, tail);
            }
            long[] headPieces = withoutLastWord(tokenizer.tokenize(text.substring(0, headEnd)));
            long[] tailPieces = tail == 0 ? new long[0] : withoutFirstWord(tokenizer.tokenize(text.substring(tailStart)));
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

    private static long[] keep(long[] pieces, int head, int tail) {
        if (pieces.length <= head + tail) {
            return pieces;
        }
        long[] kept = Arrays.copyOf(pieces, head + tail);
        System.arraycopy(pieces, pieces.length - tail, kept, head, tail);
        return kept;
    }

    /** {@code index} clamped to the text, moved off the middle of a surrogate pair or of a literal [SEP]. */
    private int cut(String text, int index) {
        if (index <= 0) {
            return 0;
        }
        if (index >= text.length()) {
            return text.length();
        }
        for (int i = Math.max(0, index - tokenizer.longestSpecial() + 1); i < index; i++) {
            String special = text.charAt(i) == '[' ? tokenizer.specialAt(text, i) : null;
            if (special != null && i + special.length() > index) {
                return i;
            }
        }
        return Character.isLowSurrogate(text.charAt(index)) ? index + 1 : index;
    }

    private static long[] withoutLastWord(WordPieceTokenizer.Pieces pieces) {
        int n = pieces.size();
        while (n > 0 && pieces.word(n - 1) == pieces.word(pieces.size() - 1)) {
            n--;
        }
        return Arrays.copyOf(pieces.ids(), n);
    }

    private static long[] withoutFirstWord(WordPieceTokenizer.Pieces pieces) {
        int from = 0;
        while (from < pieces.size() && pieces.word(from) == pieces.word(0)) {
            from++;
        }
        return Arrays.copyOfRange(pieces.ids(), from, pieces.size());
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
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the embedding model session", e);
        }
    }
}
