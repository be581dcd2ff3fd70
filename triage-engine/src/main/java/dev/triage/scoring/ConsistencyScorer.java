package dev.triage.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.ChatResponse;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confidence from self-consistency: a model that gives the same answer when asked again is more
 * likely right. The answer is the first of {@code k} samples; the other k−1 come from the same model,
 * called one after the other with the same request (marked {@code sample} in the ledger), at
 * temperature {@value #SAMPLE_TEMPERATURE} when the request sets none, with {@code n}, streaming
 * and logprobs removed. The score is the largest share of samples that agree with one sample, itself
 * included: with k = 3 and two alike, 2/3.
 *
 * <p>When do two samples agree? A sample is <em>short</em> when it has at most
 * {@value #SHORT_ANSWER_MAX_TOKENS} tokens (classification labels, numbers, multiple-choice letters).
 * Two short samples agree when their final answers are equal: the last number (thousands commas and
 * trailing zeros ignored, so "The answer is 42." and "42.0" agree), else an option letter A–D standing
 * alone as the last word or marked like "(B)", "B)", "B.", "B:", else the lower-cased text without
 * punctuation. Any other pair agrees when the Jaccard similarity of their token sets is at least
 * {@value #JACCARD_AGREEMENT}. Tokens are runs of letters and digits; Chinese text becomes character
 * bigrams, since it has no spaces. Answers with tool calls agree when their text and calls (names and
 * arguments, JSON-canonicalised) are equal.
 *
 * <p>An empty answer scores 0 without sampling. A sample call that fails, or returns nothing, counts
 * as a sample that agrees with no other: failures lower the confidence instead of being ignored.
 */
public final class ConsistencyScorer implements ConfidenceScorer {

    private static final Logger LOG = LoggerFactory.getLogger(ConsistencyScorer.class);

    /** Temperature of the extra samples when the request sets none; at 0 they would merely repeat the first. */
    public static final double SAMPLE_TEMPERATURE = 0.7;
    public static final int SHORT_ANSWER_MAX_TOKENS = 10;
    public static final double JACCARD_AGREEMENT = 0.8;

    private static final Pattern TOKEN = Pattern.compile("\\p{IsHan}+|[\\p{L}\\p{N}&&[^\\p{IsHan}]]+");
    private static final Pattern NUMBER = Pattern.compile(
            "(?:(?<![\\p{L}\\p{N}])-)?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?");
    private static final Pattern LAST_LETTER = Pattern.compile("(?<![\\p{L}\\p{N}])([A-D])[^\\p{L}\\p{N}]*\\z");
    private static final Pattern MARKED_LETTER = Pattern.compile("(?:\\(([A-D])\\)|(?<![\\p{L}\\p{N}])([A-D])[).:])");
    private static final Pattern PUNCTUATION = Pattern.compile("[^\\p{L}\\p{N}\\s]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private final int samples;

    /** @param samples k, how many answers are compared (the scored answer and k−1 more); at least 2 */
    public ConsistencyScorer(int samples) {
        if (samples < 2) {
            throw new IllegalArgumentException("the consistency scorer needs at least 2 samples, got " + samples);
        }
        this.samples = samples;
    }

    public int samples() {
        return samples;
    }

    @Override
    public String name() {
        return "consistency";
    }

    @Override
    public double score(Answer answer, ModelCalls calls) {
        if (answer.isEmpty()) {
            return 0.0;
        }
        ChatRequest request = sampleRequest(answer);
        List<Sample> drawn = new ArrayList<>(samples);
        drawn.add(Sample.of(answer));
        for (int i = 1; i < samples; i++) {
            drawn.add(draw(request, answer, calls));
        }
        int best = 0;
        for (int i = 0; i < drawn.size(); i++) {
            int agreeing = 0;
            for (int j = 0; j < drawn.size(); j++) {
                if (i == j || drawn.get(i).agrees(drawn.get(j))) {
                    agreeing++;
                }
            }
            best = Math.max(best, agreeing);
        }
        return (double) best / samples;
    }

    private static Sample draw(ChatRequest request, Answer answer, ModelCalls calls) {
        try {
            ChatResponse response = calls.call(request, answer.model(), "sample");
            Answer sample = new Answer(request, response.body(), response.finishReason(), answer.model());
            return sample.isEmpty() ? Sample.FAILED : Sample.of(sample);
        } catch (RuntimeException e) {
            LOG.warn("consistency sample of {} failed, counted as disagreeing: {}", answer.model(), e.toString());
            return Sample.FAILED;
        }
    }

    /** The request for the extra samples: the original, one choice, no stream, no logprobs, some temperature. */
    static ChatRequest sampleRequest(Answer answer) {
        ObjectNode body = answer.request().copyBody();
        body.put("model", answer.model());
        body.remove(List.of("n", "stream", "stream_options", "logprobs", "top_logprobs"));
        if (!body.hasNonNull("temperature")) {
            body.put("temperature", SAMPLE_TEMPERATURE);
        }
        return new ChatRequest(body);
    }

    /** A sample reduced to what agreement is decided on; {@code key} is null for long samples. */
    private record Sample(String key, Set<String> tokens, boolean failed) {

        static final Sample FAILED = new Sample(null, Set.of(), true);

        static Sample of(Answer answer) {
            String text = answer.text().strip();
            if (!answer.toolCalls().isEmpty()) {
                // Calls are compared exactly (arguments canonicalised): "last number" would equate different calls.
                StringBuilder calls = new StringBuilder(text);
                for (JsonNode call : answer.toolCalls()) {
                    JsonNode function = call.path("function");
                    String rawArgs = function.path("arguments").asText("");
                    JsonNode args = HeuristicScorer.parse(rawArgs);
                    calls.append('\n').append(function.path("name").asText("")).append(' ')
                            .append(args == null ? rawArgs : args.toString());
                }
                return new Sample("%" + calls, new HashSet<>(ConsistencyScorer.tokens(calls.toString())), false);
            }
            List<String> tokens = ConsistencyScorer.tokens(text);
            String key = tokens.size() <= SHORT_ANSWER_MAX_TOKENS ? finalAnswer(text) : null;
            return new Sample(key, new HashSet<>(tokens), false);
        }

        boolean agrees(Sample other) {
            if (failed || other.failed) {
                return false;
            }
            if (key != null && other.key != null) {
                return key.equals(other.key);
            }
            return jaccard(tokens, other.tokens) >= JACCARD_AGREEMENT;
        }
    }

    /** Lower-cased tokens; Han runs become overlapping character bigrams (a lone character stays one token). */
    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            String t = m.group();
            if (Character.UnicodeScript.of(t.codePointAt(0)) == Character.UnicodeScript.HAN && t.codePointCount(0, t.length()) > 1) {
                int[] cps = t.codePoints().toArray();
                for (int i = 0; i + 1 < cps.length; i++) {
                    tokens.add(new String(cps, i, 2));
                }
            } else {
                tokens.add(t);
            }
        }
        return tokens;
    }

    /** The final answer of a short text: its last number, else an option letter, else the normalised text. */
    static String finalAnswer(String text) {
        Matcher number = NUMBER.matcher(text);
        String last = null;
        while (number.find()) {
            last = number.group();
        }
        if (last != null) {
            return "#" + new BigDecimal(last.replace(",", "")).stripTrailingZeros().toPlainString();
        }
        String stripped = text.strip();
        Matcher letter = LAST_LETTER.matcher(stripped);
        if (letter.find()) {
            return "@" + letter.group(1);
        }
        Matcher marked = MARKED_LETTER.matcher(stripped);
        if (marked.find()) {
            return "@" + (marked.group(1) != null ? marked.group(1) : marked.group(2));
        }
        String plain = SPACES.matcher(PUNCTUATION.matcher(stripped.toLowerCase(Locale.ROOT)).replaceAll(" ")).replaceAll(" ");
        return "=" + plain.strip();
    }

    static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1.0;
        }
        int common = 0;
        for (String t : a) {
            if (b.contains(t)) {
                common++;
            }
        }
        return (double) common / (a.size() + b.size() - common);
    }
}
