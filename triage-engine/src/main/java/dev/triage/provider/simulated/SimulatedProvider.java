package dev.triage.provider.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.CompletionShape;
import dev.triage.chat.Usage;
import dev.triage.provider.ChunkSink;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.Provider;
import dev.triage.provider.ProviderCall;
import dev.triage.provider.ProviderException;
import dev.triage.provider.ProviderFactory;
import dev.triage.provider.StreamOutcome;
import dev.triage.tokens.TokenEstimator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Synthetic answers with configurable latency and length, for the offline demo and load tests.
 * Usage is counted with the local tokenizer and reported as the provider's own (it is what this
 * "provider" bills), so costs in the demo follow the real price catalog.
 *
 * <p>It answers the way a model would, and the same prompt (the {@code messages}) always gets the same answer:
 * <ul>
 *   <li><b>Tools</b>: with function {@code tools} and {@code tool_choice} {@code required} or naming a function
 *       (or {@code allowed_tools} in mode {@code required}), always one tool call (finish reason {@code tool_calls},
 *       id {@code call_…}) whose {@code arguments} are valid against the function's {@code parameters}
 *       ({@link SchemaSampler}; free-text strings take the names the prompt mentions). With {@code auto} or no
 *       {@code tool_choice}, a tool call when the last message is the user's (the tool whose name and description
 *       share most words with the prompt) and an answer in text after a {@code tool} result; with {@code none},
 *       text.</li>
 *   <li><b>{@code response_format}</b>: {@code json_schema}: content valid against the schema; {@code json_object}:
 *       an object holding the answer's words.</li>
 *   <li><b>{@code n}</b>: that many choices, each its own answer; the prompt is billed once and the completion
 *       tokens of every choice added up, as OpenAI bills.</li>
 *   <li><b>{@code logprobs}</b> (and {@code top_logprobs}): per content token, its text, a logprob (≤ 0), its
 *       bytes and the {@code top_logprobs} most likely tokens, in OpenAI's format, in the body and in each
 *       streamed chunk; as many entries as completion tokens billed. A tool call carries none ({@code logprobs}
 *       null), as with OpenAI.</li>
 * </ul>
 * Prompt tokens are the messages' and, when given, the {@code tools}' and the {@code json_schema}'s (which a
 * provider renders into the prompt). No answer is billed more than {@code max_tokens} per choice: a longer
 * one is cut there, with finish reason {@code length}, JSON and tool arguments included (as a real model's).
 */
public final class SimulatedProvider implements Provider {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] WORDS = ("the model considered your request carefully and produced this simulated answer "
            + "so that routing budgets ledgers and dashboards can be exercised without any network access while every "
            + "token is still counted and priced exactly as a real call would be").split(" ");
    /** Each choice's answer starts this many words further along: coprime with {@code WORDS.length}, so choices differ. */
    private static final int CHOICE_STRIDE = 17;
    /** More choices than anyone asks for; the request parser allows fewer. */
    private static final int MAX_CHOICES = 128;
    private static final int MAX_TOP_LOGPROBS = 20;
    /** The other likely tokens {@code top_logprobs} lists (more than {@value #MAX_TOP_LOGPROBS}, so that k can be met). */
    private static final String[] ALTERNATIVES = {" the", " a", " this", " that", " it", " and", " of", " to", " in", " is",
            " for", " with", " on", " as", " be", " an", " or", " by", ",", ".", "\n", " we", " you", " they", " not", " can"};
    private static final Set<String> STOP_WORDS = Set.of("the", "and", "for", "with", "what", "how", "please", "can", "you",
            "get", "set", "this", "that", "from", "into", "are", "was", "use", "tool", "function", "call");

    private final String name;
    private final Settings settings;
    private final TokenEstimator tokens;

    /**
     * @param latency         time before the first token (and before a non-streaming answer)
     * @param outputTokens    words in each text answer (capped by the request's max tokens)
     * @param tokensPerSecond stream pacing; 0 streams as fast as possible
     * @param failureRate     share of calls that fail with a 503, for resilience demos (0..1)
     */
    public record Settings(Duration latency, int outputTokens, int tokensPerSecond, double failureRate) {
        public static Settings fast() {
            return new Settings(Duration.ZERO, 64, 0, 0);
        }
    }

    public SimulatedProvider(String name, Settings settings, TokenEstimator tokens) {
        this.name = name;
        this.settings = settings;
        this.tokens = tokens;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProviderFactory kind() {
        return new SimulatedFactory();
    }

    @Override
    public ChatResponse complete(ProviderCall call) {
        pause(settings.latency(), call);
        maybeFail();
        Answer answer = answer(call);
        ArrayNode choices = NODES.arrayNode();
        for (Choice choice : answer.choices) {
            choices.add(choice.completed(answer.logprobs));
        }
        Usage usage = answer.usage();
        ObjectNode body = shape(call).completion(choices, CompletionShape.usage(usage));
        return new ChatResponse(body, usage, answer.choices.getFirst().finish);
    }

    /**
     * Each choice opens with its role (and, for a tool call, the call's index, id, type and name), then its text or
     * arguments in pieces (a word of text, a token of JSON), the choices taking turns, then each choice's finish reason.
     */
    @Override
    public StreamOutcome stream(ProviderCall call, ChunkSink sink) {
        pause(settings.latency(), call);
        maybeFail();
        Answer answer = answer(call);
        CompletionShape chunks = shape(call);
        for (Choice choice : answer.choices) {
            sink.onChunk(chunks.chunk(choice.index, choice.opening(), null, null));
        }
        Duration perToken = settings.tokensPerSecond() > 0 ? Duration.ofNanos(1_000_000_000L / settings.tokensPerSecond()) : Duration.ZERO;
        int longest = answer.choices.stream().mapToInt(Choice::size).max().orElse(0);
        int[] position = new int[answer.choices.size()];
        for (int step = 0; step < longest; step++) {
            pause(perToken, call);
            for (Choice choice : answer.choices) {
                if (step < choice.size()) {
                    Piece piece = choice.piece(step);
                    ObjectNode logprobs = null;
                    if (answer.logprobs != null && choice.isText()) {
                        List<byte[]> pieceTokens = choice.tokensOf(piece);
                        logprobs = NODES.objectNode();
                        logprobs.set("content", answer.logprobs.entries(choice.index, position[choice.index], pieceTokens));
                        logprobs.putNull("refusal");
                        position[choice.index] += pieceTokens.size();
                    }
                    sink.onChunk(chunks.chunk(choice.index, choice.delta(piece), logprobs, null));
                }
            }
        }
        for (Choice choice : answer.choices) {
            sink.onChunk(chunks.chunk(choice.index, NODES.objectNode(), null, choice.finish));
        }
        return new StreamOutcome(answer.usage(), answer.choices.getFirst().finish);
    }


    private static CompletionShape shape(ProviderCall call) {
        return new CompletionShape(CompletionShape.idFor("sim-" + Long.toHexString(ThreadLocalRandom.current().nextLong())),
                System.currentTimeMillis() / 1000, call.upstreamModel());
    }

    // ---- what the model answers ----

    /** The choices of one answer, what they cost in prompt tokens and, when asked for, their logprobs. */
    private record Answer(List<Choice> choices, long promptTokens, Logprobs logprobs) {
        Usage usage() {
            return Usage.reported(promptTokens, choices.stream().mapToLong(Choice::outputTokens).sum());
        }
    }

    private Answer answer(ProviderCall call) {
        ChatRequest request = call.request();
        JsonNode body = request.body();
        JsonNode messages = request.messages();
        long seed = seed(messages);
        int n = body.path("n").canConvertToInt() ? Math.clamp(body.get("n").asInt(), 1, MAX_CHOICES) : 1;
        String prompt = lastUserText(messages);
        List<String> names = SchemaSampler.names(prompt);
        JsonNode function = toolToCall(body, messages, seed, prompt);
        JsonNode format = body.path("response_format");
        String formatType = format.path("type").asText("text");
        JsonNode schema = format.path("json_schema").path("schema");

        List<Choice> choices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long choiceSeed = mix(seed, i);
            if (function != null) {
                choices.add(toolCall(i, function, choiceSeed, names, request.maxOutputTokens()));
            } else if (formatType.equals("json_schema") && schema.isObject()) {
                JsonNode value = new SchemaSampler(schema, choiceSeed, names, i, WORDS).sample();
                choices.add(json(i, value.toString(), request.maxOutputTokens()));
            } else if (formatType.equals("json_schema") || formatType.equals("json_object")) {
                ObjectNode value = NODES.objectNode().put("answer", String.join(" ", answerWords(call, prompt, i)));
                choices.add(json(i, value.toString(), request.maxOutputTokens()));
            } else {
                List<String> words = answerWords(call, prompt, i);
                choices.add(new Choice(i, words, null, null, null, finishReason(call, words.size())));
            }
        }

        long promptTokens = tokens.countMessages(messages);
        if (body.path("tools").isArray() && !body.get("tools").isEmpty()) {
            promptTokens += tokens.count(body.get("tools").toString());
        }
        if (formatType.equals("json_schema") && format.has("json_schema")) {
            promptTokens += tokens.count(format.get("json_schema").toString());
        }
        Logprobs logprobs = body.path("logprobs").asBoolean(false)
                ? new Logprobs(seed, Math.clamp(body.path("top_logprobs").asInt(0), 0, MAX_TOP_LOGPROBS)) : null;
        return new Answer(choices, promptTokens, logprobs);
    }

    /** A call of {@code function} with arguments made up from its {@code parameters}, cut at {@code max} tokens. */
    private Choice toolCall(int index, JsonNode function, long seed, List<String> names, Integer max) {
        String functionName = function.get("name").asText();
        JsonNode parameters = function.path("parameters");
        JsonNode args = new SchemaSampler(parameters.isObject() ? parameters : NODES.objectNode().put("type", "object"),
                seed, names, index, WORDS).sample();
        if (!args.isObject()) {
            args = NODES.objectNode();
        }
        long nameTokens = tokens.count(functionName);
        List<byte[]> argTokens = tokens.tokens(args.toString());
        String finish = "tool_calls";
        if (max != null && nameTokens + argTokens.size() > max) {
            argTokens = argTokens.subList(0, (int) Math.max(0, max - nameTokens));
            finish = "length";
        }
        long output = nameTokens + argTokens.size();
        return new Choice(index, null, pieces(argTokens), max == null ? output : Math.min(output, max),
                new ToolCall("call_" + base62(seed, 24), functionName), finish);
    }

    /** Content that is JSON, cut at {@code max} tokens. */
    private Choice json(int index, String text, Integer max) {
        List<byte[]> all = tokens.tokens(text);
        String finish = "stop";
        if (max != null && all.size() > max) {
            all = all.subList(0, max);
            finish = "length";
        }
        return new Choice(index, null, pieces(all), (long) all.size(), null, finish);
    }

    /** Tokens grouped so that each group holds whole characters: the pieces a stream sends. */
    private static List<Piece> pieces(List<byte[]> tokens) {
        List<Piece> out = new ArrayList<>();
        List<byte[]> group = new ArrayList<>();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (byte[] token : tokens) {
            group.add(token);
            bytes.writeBytes(token);
            byte[] sofar = bytes.toByteArray();
            if (wholeCharacters(sofar)) {
                out.add(new Piece(new String(sofar, StandardCharsets.UTF_8), List.copyOf(group)));
                group.clear();
                bytes.reset();
            }
        }
        if (!group.isEmpty()) {
            out.add(new Piece(new String(bytes.toByteArray(), StandardCharsets.UTF_8), List.copyOf(group)));
        }
        return out;
    }

    private static boolean wholeCharacters(byte[] utf8) {
        int i = 0;
        while (i < utf8.length) {
            int lead = utf8[i] & 0xff;
            int length = lead < 0x80 ? 1 : (lead & 0xe0) == 0xc0 ? 2 : (lead & 0xf0) == 0xe0 ? 3 : (lead & 0xf8) == 0xf0 ? 4 : 1;
            i += length;
        }
        return i == utf8.length;
    }

    /**
     * The function the model calls, or null when it answers in text: see the class comment. A {@code tool_choice}
     * naming a function that is not among the tools is refused, as OpenAI refuses it.
     */
    private JsonNode toolToCall(JsonNode body, JsonNode messages, long seed, String prompt) {
        List<JsonNode> functions = new ArrayList<>();
        for (JsonNode tool : body.path("tools")) {
            if (tool.path("type").asText("function").equals("function") && tool.path("function").path("name").isTextual()) {
                functions.add(tool.get("function"));
            }
        }
        if (functions.isEmpty()) {
            return null;
        }
        JsonNode choice = body.path("tool_choice");
        String mode = choice.isTextual() ? choice.asText() : "auto";
        String type = choice.path("type").asText("");
        if (type.equals("function")) {
            String wanted = choice.path("function").path("name").asText("");
            return functions.stream().filter(f -> f.get("name").asText().equals(wanted)).findFirst()
                    .orElseThrow(() -> new ProviderException(ErrorKind.BAD_REQUEST, 400,
                            name + ": tool_choice names function '" + wanted + "', which is not among the tools"));
        }
        if (type.equals("allowed_tools")) {
            JsonNode allowed = choice.path("allowed_tools");
            mode = allowed.path("mode").asText("auto");
            Set<String> allowedNames = new HashSet<>();
            for (JsonNode tool : allowed.path("tools")) {
                allowedNames.add(tool.path("function").path("name").asText(tool.path("name").asText("")));
            }
            functions.removeIf(f -> !allowedNames.contains(f.get("name").asText()));
            if (functions.isEmpty()) {
                return null;
            }
        }
        boolean calls = switch (mode) {
            case "none" -> false;
            case "required" -> true;
            default -> "user".equals(lastRole(messages)); // auto: a new question takes a tool, a tool's result an answer
        };
        return calls ? mostRelevant(functions, seed, prompt) : null;
    }

    /** The function whose name and description share most words with the prompt; a tie is settled by the prompt's hash. */
    private static JsonNode mostRelevant(List<JsonNode> functions, long seed, String prompt) {
        Set<String> asked = keywords(prompt);
        int best = -1;
        List<JsonNode> top = new ArrayList<>();
        for (JsonNode f : functions) {
            String described = f.get("name").asText().replaceAll("([a-z])([A-Z])", "$1 $2") + " " + f.path("description").asText("");
            Set<String> shared = keywords(described);
            shared.retainAll(asked);
            if (shared.size() > best) {
                best = shared.size();
                top.clear();
            }
            if (shared.size() == best) {
                top.add(f);
            }
        }
        return top.get((int) Math.floorMod(seed, (long) top.size()));
    }

    private static Set<String> keywords(String text) {
        Set<String> out = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() >= 3 && !STOP_WORDS.contains(w)) {
                out.add(w.length() > 4 && w.endsWith("s") ? w.substring(0, w.length() - 1) : w);
            }
        }
        return out;
    }

    private List<String> answerWords(ProviderCall call, String prompt, int index) {
        int n = settings.outputTokens();
        Integer max = call.request().maxOutputTokens();
        if (max != null) {
            n = Math.min(n, max);
        }
        List<String> words = new ArrayList<>(n);
        int offset = Math.floorMod(prompt.hashCode() + index * CHOICE_STRIDE, WORDS.length);
        for (int i = 0; i < n; i++) {
            words.add(WORDS[(offset + i) % WORDS.length]);
        }
        // a word may be several tokens: a real model never bills more than max_tokens, so neither does this one
        while (max != null && words.size() > 1 && tokens.count(String.join(" ", words)) > max) {
            words.removeLast();
        }
        return words;
    }

    private String finishReason(ProviderCall call, int produced) {
        Integer max = call.request().maxOutputTokens();
        return max != null && produced >= max && max < settings.outputTokens() ? "length" : "stop";
    }

    private static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if ("user".equals(m.path("role").asText())) {
                JsonNode content = m.path("content");
                if (content.isTextual()) {
                    return content.asText();
                }
                StringBuilder text = new StringBuilder();
                for (JsonNode part : content) {
                    if (part.path("text").isTextual()) {
                        text.append(text.isEmpty() ? "" : "\n").append(part.get("text").asText());
                    }
                }
                return text.isEmpty() ? content.toString() : text.toString();
            }
        }
        return "";
    }

    private static String lastRole(JsonNode messages) {
        return messages.isEmpty() ? "" : messages.get(messages.size() - 1).path("role").asText("");
    }

    // ---- one choice ----

    /** A piece of a choice's text or arguments as a stream sends it, with its tokens when they are known. */
    private record Piece(String text, List<byte[]> tokens) {
    }

    private record ToolCall(String id, String name) {
    }

    /**
     * One choice: text made of {@code words} (tokenized only when needed: a load test may ask for a million), or
     * JSON content or a tool call's arguments already cut into {@code pieces}.
     */
    private final class Choice {
        final int index;
        final List<String> words;
        final List<Piece> pieces;
        private Long outputTokens;
        final ToolCall call;
        final String finish;

        Choice(int index, List<String> words, List<Piece> pieces, Long outputTokens, ToolCall call, String finish) {
            this.index = index;
            this.words = words;
            this.pieces = pieces;
            this.outputTokens = outputTokens;
            this.call = call;
            this.finish = finish;
        }

        boolean isText() {
            return call == null;
        }

        int size() {
            return words != null ? words.size() : pieces.size();
        }

        Piece piece(int i) {
            return words != null ? new Piece((i == 0 ? "" : " ") + words.get(i), null) : pieces.get(i);
        }

        List<byte[]> tokensOf(Piece piece) {
            return piece.tokens() != null ? piece.tokens() : tokens.tokens(piece.text());
        }

        String text() {
            if (words != null) {
                return String.join(" ", words);
            }
            StringBuilder out = new StringBuilder();
            pieces.forEach(p -> out.append(p.text()));
            return out.toString();
        }

        long outputTokens() {
            if (outputTokens == null) {
                outputTokens = (long) tokens.count(text());
            }
            return outputTokens;
        }

        /** The first chunk's delta: the role, and the call's header (its arguments follow in pieces). */
        ObjectNode opening() {
            ObjectNode delta = NODES.objectNode().put("role", "assistant");
            if (call == null) {
                return delta.put("content", "");
            }
            delta.putNull("content");
            ObjectNode header = delta.putArray("tool_calls").addObject();
            header.put("index", 0).put("id", call.id()).put("type", "function");
            header.putObject("function").put("name", call.name()).put("arguments", "");
            return delta;
        }

        ObjectNode delta(Piece piece) {
            if (call == null) {
                return NODES.objectNode().put("content", piece.text());
            }
            ObjectNode delta = NODES.objectNode();
            delta.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", piece.text());
            return delta;
        }

        /** The choice of a {@code chat.completion}. */
        ObjectNode completed(Logprobs logprobs) {
            ArrayNode calls = null;
            if (call != null) {
                calls = NODES.arrayNode();
                ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
                c.putObject("function").put("name", call.name()).put("arguments", text());
            }
            ObjectNode choice = CompletionShape.choice(index, CompletionShape.assistantMessage(call == null ? text() : null, null, calls), finish);
            if (logprobs != null && isText()) {
                ArrayNode content = NODES.arrayNode();
                int position = 0;
                for (int i = 0; i < size(); i++) {
                    List<byte[]> pieceTokens = tokensOf(piece(i));
                    content.addAll(logprobs.entries(index, position, pieceTokens));
                    position += pieceTokens.size();
                }
                ObjectNode lp = choice.putObject("logprobs");
                lp.set("content", content);
                lp.putNull("refusal");
            }
            return choice;
        }
    }

    // ---- logprobs ----

    /**
     * Made-up token log-probabilities, a function of the prompt, the choice and the token's position: mostly near
     * 0 with now and then a doubtful token, how doubtful varying from one prompt to the next (so a logprob scorer
     * accepts some answers and escalates others). The listed alternatives share what probability is left.
     */
    private static final class Logprobs {
        private final long seed;
        private final int top;
        private final double doubt;

        Logprobs(long seed, int top) {
            this.seed = seed;
            this.top = top;
            this.doubt = 0.5 + new SplittableRandom(mix(seed, -1)).nextDouble();
        }

        ArrayNode entries(int choice, int position, List<byte[]> tokens) {
            ArrayNode out = NODES.arrayNode();
            for (int i = 0; i < tokens.size(); i++) {
                out.add(entry(choice, position + i, tokens.get(i)));
            }
            return out;
        }

        private ObjectNode entry(int choice, int position, byte[] token) {
            SplittableRandom random = new SplittableRandom(mix(mix(seed, choice), position));
            double logprob = -(1e-6 + doubt * 2.5 * Math.pow(random.nextDouble(), 8));
            String text = new String(token, StandardCharsets.UTF_8);
            ObjectNode entry = tokenEntry(text, token, logprob);
            ArrayNode alternatives = entry.putArray("top_logprobs");
            if (top > 0) {
                List<ObjectNode> candidates = new ArrayList<>();
                candidates.add(tokenEntry(text, token, logprob));
                double rest = 1 - Math.exp(logprob);
                int start = random.nextInt(ALTERNATIVES.length);
                double share = 0.6;
                for (int k = 0; candidates.size() <= top && k < ALTERNATIVES.length; k++) {
                    String other = ALTERNATIVES[(start + k) % ALTERNATIVES.length];
                    if (!other.equals(text)) {
                        candidates.add(tokenEntry(other, other.getBytes(StandardCharsets.UTF_8), Math.log(rest * share)));
                        share *= 0.4;
                    }
                }
                candidates.sort(Comparator.comparingDouble((ObjectNode c) -> c.get("logprob").asDouble()).reversed());
                candidates.stream().limit(top).forEach(alternatives::add);
            }
            return entry;
        }

        private static ObjectNode tokenEntry(String text, byte[] bytes, double logprob) {
            ObjectNode entry = NODES.objectNode();
            entry.put("token", text);
            entry.put("logprob", logprob);
            ArrayNode b = entry.putArray("bytes");
            for (byte x : bytes) {
                b.add(x & 0xff);
            }
            return entry;
        }
    }

    // ---- determinism ----

    /** The prompt's seed: every answer to the same messages is the same. */
    private static long seed(JsonNode messages) {
        return UUID.nameUUIDFromBytes(messages.toString().getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
    }

    /** SplitMix64 of {@code seed} and {@code salt}: a new seed for each choice, position, … */
    private static long mix(long seed, long salt) {
        long z = seed + 0x9E3779B97F4A7C15L * (salt + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String base62(long seed, int length) {
        String digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(digits.charAt(random.nextInt(digits.length())));
        }
        return out.toString();
    }

    private void maybeFail() {
        if (settings.failureRate() > 0 && ThreadLocalRandom.current().nextDouble() < settings.failureRate()) {
            throw new ProviderException(ErrorKind.OVERLOADED, 503, name + ": simulated overload");
        }
    }

    private static void pause(Duration d, ProviderCall call) {
        if (d.isZero()) {
            return;
        }
        if (call.deadline().remaining().compareTo(d) < 0) {
            sleep(call.deadline().remaining());
            throw new ProviderException(ErrorKind.TIMEOUT, 0, "simulated upstream did not answer before the request deadline");
        }
        sleep(d);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(ErrorKind.CONNECTION, "interrupted", e);
        }
    }
}
