package dev.triage.tokens;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.chat.ChatRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;

/**
 * The most tokens one request can be billed for, whatever the provider's tokenizer: what a budget
 * reserves before the call (the ledger bills what the provider reports after it).
 *
 * <ul>
 *   <li><b>Text</b> counts one token per UTF-8 byte of its JSON: message contents of every role (system and
 *       developer included), names, tool calls and tool results, and the request's {@code tools} (and legacy
 *       {@code functions}), {@code tool_choice} and {@code response_format}, which providers render into the
 *       prompt and bill as input. Byte-level BPE (OpenAI's and Anthropic's tokenizers) and SentencePiece with
 *       byte fallback (Gemini) never make a token of less than one byte, so no text tokenizes to more; an
 *       estimate from a sample could be gamed by a prompt whose middle tokenizes unlike the rest.</li>
 *   <li><b>Framing</b>: {@value #PER_MESSAGE} tokens per message and {@value #PER_REQUEST} per request for
 *       role markers; {@value #TOOL_PROMPT} more with tools, for the system prompt providers add (Anthropic's
 *       tool-use system prompt is at most 346 tokens, per its tool-use pricing docs); {@value #FORMAT_PROMPT}
 *       more with a {@code response_format}, for the JSON instruction Triage's Anthropic adapter adds.</li>
 *   <li><b>Images</b> are counted, each to be billed at the model's per-image maximum.</li>
 *   <li><b>Other parts</b> (audio, files) have no bound short of the model's context window.</li>
 *   <li><b>Output</b>: {@code max(n, best_of)} choices, each up to the explicit limit
 *       ({@code max_completion_tokens}, else {@code max_tokens}) or, without one, the model's maximum output.
 *       The limit covers reasoning and thinking tokens too: OpenAI counts reasoning inside
 *       {@code max_completion_tokens}, Anthropic thinking inside {@code max_tokens}, Gemini thoughts inside
 *       {@code maxOutputTokens}. A {@code prediction}'s text is added, since rejected predicted tokens are
 *       billed as output.</li>
 * </ul>
 * The prompt is billed once however many choices are asked for (OpenAI's {@code n}, Gemini's
 * {@code candidateCount}); Anthropic refuses {@code n > 1}.
 *
 * @param textTokens       the bound for the text and framing of the prompt
 * @param images           how many image parts the messages hold
 * @param unboundedInput   whether some part (audio, a file) has no bound but the context window
 * @param choices          answers asked for, at least 1
 * @param outputLimit      the explicit output limit per choice, or null for the model's maximum
 * @param predictionTokens the bound for a {@code prediction}'s text, billed as output when rejected
 */
public record BillableTokens(long textTokens, long images, boolean unboundedInput, long choices, Long outputLimit,
                             long predictionTokens) {

    static final int PER_MESSAGE = 8;
    static final int PER_REQUEST = 16;
    static final int TOOL_PROMPT = 512;
    static final int FORMAT_PROMPT = 256;

    /** Request fields rendered into the prompt besides the messages. */
    private static final Set<String> PROMPT_FIELDS = Set.of("tools", "functions", "tool_choice", "function_call", "response_format");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The bound of {@code request}, read from its canonical (OpenAI) body. */
    public static BillableTokens of(ChatRequest request) {
        JsonNode body = request.body();
        Tally tally = new Tally();
        tally.text += PER_REQUEST;
        for (JsonNode message : body.path("messages")) {
            tally.message(message);
        }
        for (String field : PROMPT_FIELDS) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull()) {
                tally.text += jsonBytes(value);
            }
        }
        if (present(body.get("tools")) || present(body.get("functions"))) {
            tally.text += TOOL_PROMPT;
        }
        if (present(body.get("response_format"))) {
            tally.text += FORMAT_PROMPT;
        }
        long choices = Math.max(positive(body.get("n"), 1), positive(body.get("best_of"), 1));
        Long limit = limit(body.get("max_completion_tokens"));
        if (limit == null) {
            limit = limit(body.get("max_tokens"));
        }
        JsonNode prediction = body.get("prediction");
        long predicted = present(prediction) ? jsonBytes(prediction) : 0;
        return new BillableTokens(tally.text, tally.images, tally.unbounded, choices, limit, predicted);
    }

    /**
     * The most input tokens of this request on a model whose images cost at most {@code perImage} tokens
     * and whose context window is {@code inputLimit} (a longer prompt is refused unbilled).
     */
    public long input(long perImage, long inputLimit) {
        if (unboundedInput) {
            return inputLimit;
        }
        return Math.min(inputLimit, saturatedAdd(textTokens, saturatedMultiply(images, perImage)));
    }

    /** The most output tokens of this request on a model that answers at most {@code modelOutputLimit} tokens per choice. */
    public long output(long modelOutputLimit) {
        long perChoice = outputLimit == null ? modelOutputLimit : Math.min(outputLimit, modelOutputLimit);
        return saturatedAdd(saturatedMultiply(choices, perChoice), predictionTokens);
    }

    /** Counts as it walks, so that a large prompt is never copied. */
    private static final class Tally {
        long text;
        long images;
        boolean unbounded;

        void message(JsonNode message) {
            text += PER_MESSAGE;
            for (Map.Entry<String, JsonNode> field : message.properties()) {
                JsonNode value = field.getValue();
                if (field.getKey().equals("content") && value.isArray()) {
                    value.forEach(this::part);
                } else {
                    text += jsonBytes(value);
                }
            }
        }

        void part(JsonNode part) {
            switch (part.path("type").asText("")) {
                case "text" -> text += utf8Length(part.path("text").asText(""));
                case "refusal" -> text += utf8Length(part.path("refusal").asText(""));
                case "image_url", "image" -> images++;
                default -> unbounded = true;
            }
        }
    }

    private static boolean present(JsonNode n) {
        return n != null && !n.isNull() && !n.isMissingNode();
    }

    /** A count field's value, at least {@code orElse}; numbers too large for a long count as the largest long. */
    private static long positive(JsonNode n, long orElse) {
        Long v = limit(n);
        return v == null ? orElse : Math.max(orElse, v);
    }

    /** An integral token limit, null if absent or not a positive integer; beyond a long it is the largest long. */
    private static Long limit(JsonNode n) {
        if (n == null || !n.isIntegralNumber()) {
            return null;
        }
        BigInteger v = n.bigIntegerValue();
        if (v.signum() <= 0) {
            return null;
        }
        return v.bitLength() < Long.SIZE ? v.longValue() : Long.MAX_VALUE;
    }

    /**
     * The length of {@code node} written as JSON, in UTF-8 bytes, without building the text (a text node: the
     * length of its text).
     */
    public static long jsonBytes(JsonNode node) {
        if (node.isTextual()) {
            return utf8Length(node.textValue());
        }
        CountingStream out = new CountingStream();
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            JSON.writeTree(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException("counting a JSON value in memory", e);
        }
        return out.count;
    }

    static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static long saturatedMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi == 0 && lo >= 0) || (hi == -1 && lo < 0) ? lo : Long.MAX_VALUE;
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
