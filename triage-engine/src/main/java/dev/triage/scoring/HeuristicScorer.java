package dev.triage.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Confidence from the shape and wording of the answer alone, without any model call. Deterministic.
 *
 * <p>Arithmetic is in whole percentage points so that scores are exact: the answer starts at
 * {@value #BASE_POINTS} points, each rule that fires subtracts its weight once, caps apply after the
 * subtractions, and the result is clamped to [0, 100] and divided by 100. A clean answer therefore
 * scores 0.90: it passes thresholds up to 0.9, and any single doubt pushes it below the seed's 0.85.
 *
 * <table>
 *   <caption>Rules, checked on the first choice</caption>
 *   <tr><th>rule</th><th>fires when</th><th>effect</th></tr>
 *   <tr><td>{@link Rule#EMPTY}</td><td>no text and no tool call</td><td>score 0</td></tr>
 *   <tr><td>{@link Rule#CONTENT_FILTERED}</td><td>finish reason {@code content_filter}</td><td>score 0</td></tr>
 *   <tr><td>{@link Rule#REFUSAL}</td><td>the first 300 characters refuse ("I can't help with",
 *       "I'm sorry, but I cannot", "As an AI", 抱歉…无法, 作为人工智能, …)</td><td>−60</td></tr>
 *   <tr><td>{@link Rule#HEDGING}</td><td>per distinct hedge ("I'm not sure", "I think", "maybe",
 *       "it's possible that", "I don't know", 不确定, 可能, …), at most 3 counted</td><td>−15 each</td></tr>
 *   <tr><td>{@link Rule#ASKS_FOR_CLARIFICATION}</td><td>an answer of at most 400 characters that asks the
 *       user to clarify ("could you clarify", "please provide more details", 您是指, 请提供更多, …)</td><td>−50</td></tr>
 *   <tr><td>{@link Rule#INVALID_JSON}</td><td>{@code response_format} is {@code json_object} or
 *       {@code json_schema} and the text is not one JSON value (an object for both)</td><td>−70</td></tr>
 *   <tr><td>{@link Rule#FENCED_JSON}</td><td>as above, but valid JSON wrapped in a Markdown code fence,
 *       which a client parsing the raw text would still reject</td><td>−10</td></tr>
 *   <tr><td>{@link Rule#MISSING_REQUIRED_KEYS}</td><td>{@code json_schema}: a top-level key listed in the
 *       schema's {@code required} is absent</td><td>−50</td></tr>
 *   <tr><td>{@link Rule#MALFORMED_TOOL_CALL}</td><td>the request offered {@code tools} and a tool call
 *       has no function name, names a tool that was not offered, or has arguments that are not a JSON
 *       object</td><td>−70</td></tr>
 *   <tr><td>{@link Rule#TOOL_CALL_MISSING}</td><td>{@code tool_choice} is {@code required} or names a
 *       function, and the answer calls no tool</td><td>−50</td></tr>
 *   <tr><td>{@link Rule#TRUNCATED}</td><td>finish reason {@code length}</td><td>capped at 20</td></tr>
 * </table>
 *
 * <p>A well-formed tool call is a complete answer: it is not penalised for having no text, and text
 * rules (JSON, wording) only look at the text when there is some. Marker lists are small on purpose;
 * they catch the common phrasings of English and Chinese answers, not every paraphrase.
 */
public final class HeuristicScorer implements ConfidenceScorer {

    /** Points of an answer no rule objects to. */
    public static final int BASE_POINTS = 90;
    /** Points a truncated answer can have at most. */
    public static final int TRUNCATED_CAP_POINTS = 20;
    /** Hedges beyond this count add no further penalty. */
    public static final int MAX_HEDGES_COUNTED = 3;

    private static final int REFUSAL_WINDOW = 300;
    private static final int CLARIFICATION_MAX_CHARS = 400;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A rule of this scorer, with its weight in percentage points. */
    public enum Rule {
        EMPTY(BASE_POINTS),
        CONTENT_FILTERED(BASE_POINTS),
        TRUNCATED(0),
        REFUSAL(60),
        HEDGING(15),
        ASKS_FOR_CLARIFICATION(50),
        INVALID_JSON(70),
        FENCED_JSON(10),
        MISSING_REQUIRED_KEYS(50),
        MALFORMED_TOOL_CALL(70),
        TOOL_CALL_MISSING(50);

        private final int points;

        Rule(int points) {
            this.points = points;
        }

        /** Points subtracted when the rule fires once (hedging: per hedge; truncation caps instead). */
        public int points() {
            return points;
        }
    }

    /**
     * Why an answer got its score.
     *
     * @param confidence the score, 0..1
     * @param fired      the rules that fired, in the order of {@link Rule}
     * @param hedges     how many distinct hedges were found (uncapped)
     */
    public record Assessment(double confidence, Set<Rule> fired, int hedges) {
        public Assessment {
            fired = fired.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(fired));
        }
    }

    // English markers are matched on whole words, case-insensitively, after curly apostrophes become straight.
    private static final List<Pattern> REFUSALS = words(
            "i can't help with", "i cannot help with", "i can't assist with", "i cannot assist with",
            "i'm sorry, but i can't", "i'm sorry, but i cannot", "i am sorry, but i cannot",
            "i'm unable to help", "i am unable to help", "i won't be able to help", "i must decline",
            "as an ai");
    private static final List<String> REFUSALS_ZH = List.of(
            "我无法帮助", "我不能帮助", "我无法协助", "我不能协助", "作为一个人工智能", "作为人工智能", "作为一个ai", "作为ai");
    private static final Pattern APOLOGY_ZH = Pattern.compile("(抱歉|对不起)[^。！？\\n]{0,20}(无法|不能)");

    private static final List<Pattern> HEDGES = words(
            "i'm not sure", "i am not sure", "i'm not certain", "i am not certain", "i think", "i believe",
            "maybe", "perhaps", "probably", "it's possible that", "it is possible that", "i don't know",
            "i do not know", "i'm guessing", "my best guess");
    private static final List<String> HEDGES_ZH = List.of("不确定", "可能", "也许", "大概", "我觉得", "不知道");

    private static final List<Pattern> CLARIFICATIONS = words(
            "could you clarify", "can you clarify", "could you please clarify", "please clarify",
            "could you specify", "can you specify", "please specify", "could you provide more",
            "can you provide more", "please provide more", "could you tell me more", "what do you mean",
            "which one do you mean", "do you mean", "could you share more");
    private static final List<String> CLARIFICATIONS_ZH = List.of(
            "请提供更多", "能否提供更多", "可以提供更多", "请具体说明", "能否具体", "您是指", "你是指", "请问您指的是");

    private static final Pattern FENCE = Pattern.compile("\\A```[A-Za-z0-9_-]*\\s*\\n(.*?)\\n?```\\z", Pattern.DOTALL);

    @Override
    public String name() {
        return "heuristic";
    }

    @Override
    public double score(Answer answer, ModelCalls calls) {
        return assess(answer).confidence();
    }

    /** The score and the rules behind it. */
    public Assessment assess(Answer answer) {
        Set<Rule> fired = EnumSet.noneOf(Rule.class);
        String finish = answer.effectiveFinishReason();
        if (answer.isEmpty()) {
            fired.add(Rule.EMPTY);
            return new Assessment(0.0, fired, 0);
        }
        if ("content_filter".equals(finish)) {
            fired.add(Rule.CONTENT_FILTERED);
            return new Assessment(0.0, fired, 0);
        }

        JsonNode body = answer.request().body();
        String text = answer.text();
        String lower = text.toLowerCase(Locale.ROOT).replace('\u2019', '\'').replace('\u2018', '\'');
        int points = BASE_POINTS;
        int hedges = 0;

        if (!text.isBlank()) {
            String opening = lower.substring(0, Math.min(lower.length(), REFUSAL_WINDOW));
            if (anyWord(REFUSALS, opening) || anyContained(REFUSALS_ZH, opening) || APOLOGY_ZH.matcher(opening).find()) {
                fired.add(Rule.REFUSAL);
            }
            hedges = countWords(HEDGES, lower) + countContained(HEDGES_ZH, lower);
            if (hedges > 0) {
                fired.add(Rule.HEDGING);
                points -= Rule.HEDGING.points() * Math.min(hedges, MAX_HEDGES_COUNTED);
            }
            if (text.strip().length() <= CLARIFICATION_MAX_CHARS
                    && (anyWord(CLARIFICATIONS, lower) || anyContained(CLARIFICATIONS_ZH, lower))) {
                fired.add(Rule.ASKS_FOR_CLARIFICATION);
            }
            checkJson(body.path("response_format"), text, fired);
        }
        checkTools(body, answer.toolCalls(), fired);

        for (Rule rule : fired) {
            if (rule != Rule.HEDGING) {
                points -= rule.points();
            }
        }
        if ("length".equals(finish)) {
            fired.add(Rule.TRUNCATED);
            points = Math.min(points, TRUNCATED_CAP_POINTS);
        }
        points = Math.clamp(points, 0, 100);
        return new Assessment(points / 100.0, fired, hedges);
    }

    private static void checkJson(JsonNode format, String text, Set<Rule> fired) {
        String type = format.path("type").asText("");
        if (!type.equals("json_object") && !type.equals("json_schema")) {
            return;
        }
        String raw = text.strip();
        Matcher fence = FENCE.matcher(raw);
        boolean fenced = fence.matches();
        JsonNode parsed = parse(fenced ? fence.group(1) : raw);
        if (parsed == null || !parsed.isObject()) {
            fired.add(Rule.INVALID_JSON);
            return;
        }
        if (fenced) {
            fired.add(Rule.FENCED_JSON);
        }
        if (type.equals("json_schema")) {
            for (JsonNode key : format.path("json_schema").path("schema").path("required")) {
                if (!parsed.has(key.asText())) {
                    fired.add(Rule.MISSING_REQUIRED_KEYS);
                    return;
                }
            }
        }
    }

    private static void checkTools(JsonNode body, JsonNode toolCalls, Set<Rule> fired) {
        JsonNode tools = body.path("tools");
        if (!tools.isArray() || tools.isEmpty()) {
            return;
        }
        JsonNode choice = body.path("tool_choice");
        boolean mustCall = choice.asText("").equals("required") || choice.isObject();
        if (toolCalls.isEmpty()) {
            if (mustCall) {
                fired.add(Rule.TOOL_CALL_MISSING);
            }
            return;
        }
        Set<String> offered = new HashSet<>();
        for (JsonNode tool : tools) {
            offered.add(tool.path("function").path("name").asText(""));
        }
        for (JsonNode call : toolCalls) {
            String name = call.path("function").path("name").asText("");
            JsonNode args = parse(call.path("function").path("arguments").asText(""));
            if (name.isEmpty() || !offered.contains(name) || args == null || !args.isObject()) {
                fired.add(Rule.MALFORMED_TOOL_CALL);
                return;
            }
        }
    }

    /** The JSON value of {@code text}, or null if it is not exactly one JSON value. */
    static JsonNode parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static List<Pattern> words(String... phrases) {
        List<Pattern> patterns = new ArrayList<>();
        for (String phrase : phrases) {
            patterns.add(Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(phrase) + "(?![\\p{L}\\p{N}])"));
        }
        return List.copyOf(patterns);
    }

    private static boolean anyWord(List<Pattern> patterns, String lower) {
        return countWords(patterns, lower) > 0;
    }

    private static int countWords(List<Pattern> patterns, String lower) {
        int n = 0;
        for (Pattern p : patterns) {
            if (p.matcher(lower).find()) {
                n++;
            }
        }
        return n;
    }

    private static boolean anyContained(List<String> markers, String lower) {
        return countContained(markers, lower) > 0;
    }

    private static int countContained(List<String> markers, String lower) {
        int n = 0;
        for (String m : markers) {
            if (lower.contains(m)) {
                n++;
            }
        }
        return n;
    }
}
