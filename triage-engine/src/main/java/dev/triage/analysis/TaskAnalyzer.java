package dev.triage.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.analysis.Cue.Signal;
import dev.triage.chat.ChatRequest;
import dev.triage.tokens.TokenEstimator;
import java.util.Arrays;
import java.util.List;

/**
 * The seed's "task complexity analysis": input length, task type, quality requirement and time
 * limit of one request, as a {@link TaskProfile}. Caller hints win; otherwise the type is inferred
 * from the conversation with phrase cues and the message's shape: no model call, no embeddings.
 *
 * <h2>Task type</h2>
 * Each built-in type gets a score, the sum of the weights of the cue phrases found (listed with
 * their weights in {@code TaskCues}), each phrase counted once per region:
 * <ul>
 *   <li><b>The last user message</b>, read as instructions and material. Instructions are an opening
 *       block of at most {@value TextShape#WINDOW} characters that ends at a blank line or at a line
 *       ending in a colon ("Summarise this:"), and a closing paragraph of at most 300 characters
 *       ("…

Shorter version please"); they count in full. What lies between is the material to
 *       work on and counts 0.2, as does anything in double quotes, “…”, «…» or 「…」: a pasted email
 *       that says "thanks" or "translate" is not a chat or a translation request. A message with
 *       neither boundary is all instruction, but only its first and last {@value TextShape#WINDOW}
 *       characters are read. Greetings count only where the message opens with them.</li>
 *   <li><b>System and developer prompts</b> at 0.6: they often name the job ("You are a sentiment
 *       classifier") while the user message is only its input.</li>
 *   <li><b>The user message before</b> at 0.5, when the last one is a short follow-up (at most 12
 *       word-equivalents: "now in Spanish", "make it shorter").</li>
 *   <li><b>Shape and request features</b>: a code block (+2.5 code) or mostly-code lines (+1.5);
 *       programming languages and tools named (+1.5 code each, at most +2.5: they are topics, so
 *       three count little more than one); arithmetic (+1 reasoning, +1.5 from two operators); three
 *       or more numbers in one short paragraph (+0.75 reasoning, word problems); a language named
 *       next to quoted text (+1 translation) or two languages named (+1 translation); alternatives
 *       ("A or B") offered about quoted or pasted material (+1.5 classification); an interrogative
 *       opening over pasted material (+1 extraction: "Which dates appear in this memo?"); material
 *       of over 1,000 characters after the instructions, or a single block of over 3,000 (+0.75
 *       summarization: long material with no other ask is usually to be condensed);
 *       {@code response_format} {@code json_schema} (+1.5 extraction, or +1.5 classification when
 *       the schema has an {@code enum}) or {@code json_object} (+1 extraction); each earlier
 *       assistant turn (+0.5 chat, at most +1).</li>
 *   <li><b>chat</b> starts at 0.5: it is the type of a request with no evidence at all.</li>
 * </ul>
 *
 * <p><b>fast_response</b> is a short, self-contained ask that wants a quick answer: a fact, a
 * definition, a number, yes or no. Its score: +1.5 when the message is short (at most 20
 * word-equivalents, two lines, no code or list), is one sentence and reads as a question (ends in
 * "?", 吗 or 呢, or opens with an interrogative: "what is", "who", "does", 是什么); only +0.75 when a
 * system prompt names a task (the message is that task's input) or the conversation has earlier
 * turns (it is a follow-up). "Can you…"/"Could you…" are requests, not interrogatives. +2 for an
 * explicit brevity cue ("in one word", "yes or no", 一句话) in a message of at most 40
 * word-equivalents (+0.5 in a longer one). +1.5 for a fact look-up cue ("capital of", "stands for",
 * "define", 首都) in a short message. So "What's the capital of France?" scores 3 against chat's
 * 0.5, while "I have a 3-litre jug and a 5-litre jug. How do I measure 4 litres?" is a problem
 * statement, not a quick question.
 *
 * <p>The type with the highest score wins (ties go to the earlier type in {@link TaskType#BUILT_IN}).
 * <b>Confidence</b> is its softmax probability over the eight scores, {@code exp(s_top) / Σ exp(s_i)}:
 * 0.19 with no evidence at all (chat's 0.5 against seven zeros), about 0.7 for one explicit verb
 * (weight 3) and nothing else, above 0.9 for two agreeing cues, and low when two types score alike.
 *
 * <h2>Complexity</h2>
 * Points, summed: input tokens (≤ 500: 0, ≤ 2,000: 1, ≤ 8,000: 2, more: 3); task type (reasoning
 * +1.5, code +1, classification −0.5, fast_response −1); multi-step cues in the instructions ("step
 * by step", "first, … then", 首先/然后: one +0.5, three or more +1); requirements (each constraint
 * phrase such as "must", "at least", "without", and each bullet or numbered line near the
 * instructions, +0.25, at most +1.5); depth cues ("prove", "optimal", "distributed", "thread-safe",
 * "edge cases": +0.75 each, at most +1.5); arithmetic +0.5; tools +0.5 (five or more: +1).
 * LOW below 1.5, MEDIUM below 3, HIGH from 3. The caller's latency limit does not change complexity:
 * complexity describes the request, and the limit travels in the profile for policies to honour. A
 * task hint counts through its type, so a {@code fast_response} hint lowers complexity by 1.
 *
 * <h2>Cost</h2>
 * One pass over the last message for its shape (past 3 KB, only its lines and quote marks are found in
 * the whole message, while words, numbers and arithmetic are read in its first and last
 * {@value TextShape#WINDOW} characters, where the instructions are) and one automaton pass over at most
 * about 3,200 of its characters, whatever the number of cue phrases; no regular expressions. The token
 * estimate costs about as much as all the rest (about 40 µs in all for a 2,000-token prompt, 1 µs for
 * a one-line question). Thread-safe and stateless.
 */
public final class TaskAnalyzer {

    private static final PhraseMatcher MATCHER = new PhraseMatcher(TaskCues.builtIn());
    private static final int TYPES = TaskType.BUILT_IN.size();
    private static final double SYSTEM_WEIGHT = 0.6;
    private static final double PREVIOUS_WEIGHT = 0.5;
    private static final int FOLLOW_UP_UNITS = 12;
    private static final int SYSTEM_HEAD = 1_000;
    private static final int LONG_MATERIAL_CHARS = 1_000;
    /** A system prompt whose cues add this much to a non-chat type names the task. */
    private static final double SYSTEM_TASK = 1.5;
    private static final int CLOSING_PARAGRAPH = 300;
    /** How much a cue counts inside quoted or pasted material, relative to the instructions. */
    private static final double MATERIAL = 0.2;

    private final TokenEstimator tokens;

    public TaskAnalyzer(TokenEstimator tokens) {
        this.tokens = tokens;
    }

    /** The profile of {@code request}; {@code hints} (may be {@link Hints#NONE}) override inference. */
    public TaskProfile analyze(ChatRequest request, Hints hints) {
        Hints h = hints == null ? Hints.NONE : hints;
        JsonNode messages = request.body().path("messages");
        int inputTokens = messages.isArray() ? tokens.estimateMessages(messages) : 0;

        int lastUser = -1;
        int previousUser = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (role(messages.get(i)).equals("user")) {
                previousUser = lastUser;
                lastUser = i;
            }
        }
        int assistantTurns = 0;
        for (int i = 0; i < lastUser; i++) {
            if (role(messages.get(i)).equals("assistant")) {
                assistantTurns++;
            }
        }

        Evidence ev = new Evidence();
        String last = lastUser >= 0 ? text(messages.get(lastUser)) : "";
        TextShape shape = last.isEmpty() ? TextShape.EMPTY : TextShape.of(last);
        ev.scanMessage(last, shape, 1.0, true);

        double[] beforeSystem = ev.score.clone();
        for (JsonNode m : messages) {
            String role = role(m);
            if (role.equals("system") || role.equals("developer")) {
                String s = text(m);
                ev.scan(s, 0, Math.min(s.length(), SYSTEM_HEAD), 0, SYSTEM_WEIGHT, false);
            }
        }
        boolean systemNamesTask = false;
        for (int t = 0; t < TYPES; t++) {
            systemNamesTask |= t != TaskCues.CHAT && ev.score[t] - beforeSystem[t] >= SYSTEM_TASK;
        }

        if (previousUser >= 0 && shape.units() <= FOLLOW_UP_UNITS) {
            String prev = text(messages.get(previousUser));
            ev.scanMessage(prev, TextShape.of(prev), PREVIOUS_WEIGHT, false);
        }
        addShapeEvidence(ev, shape, assistantTurns, systemNamesTask);
        addRequestEvidence(ev, request);

        int best = 0;
        for (int t = 1; t < TYPES; t++) {
            if (ev.score[t] > ev.score[best]) {
                best = t;
            }
        }
        boolean hinted = h.task() != null;
        TaskType type = hinted ? h.task() : TaskType.BUILT_IN.get(best);
        double confidence = hinted ? 1.0 : softmax(ev.score, best);
        Complexity complexity = complexity(inputTokens, type, ev, shape, request);
        QualityRequirement quality = h.quality() == null ? QualityRequirement.STANDARD : h.quality();
        return new TaskProfile(inputTokens, type, complexity, quality, h.maxLatency(), confidence, hinted);
    }

    private static String role(JsonNode message) {
        return message.path("role").asText("");
    }

    private static void addShapeEvidence(Evidence ev, TextShape shape, int assistantTurns, boolean systemNamesTask) {
        double[] s = ev.score;
        s[TaskCues.CHAT] += 0.5 + Math.min(1.0, 0.5 * assistantTurns);
        if (shape.codeFences() > 0) {
            s[TaskCues.CODE] += 2.5;
        } else if (shape.codeLines() >= 3 && shape.codeLines() * 5 >= shape.lines()) {
            s[TaskCues.CODE] += 1.5;
        }
        s[TaskCues.CODE] += Math.min(2.5, 1.5 * ev.signal(Signal.TECH));
        if (shape.arithmetic() > 0) {
            s[TaskCues.REASONING] += shape.arithmetic() >= 2 ? 1.5 : 1.0;
        }
        if (shape.numbers() >= 3 && shape.chars() < 1_000 && shape.lastParagraph() < 0 && shape.codeFences() == 0
                && shape.codeLines() == 0) {
            s[TaskCues.REASONING] += 0.75;
        }
        int languages = ev.signal(Signal.LANGUAGE);
        if (shape.quoted() && languages > 0) {
            s[TaskCues.TRANSLATION] += 1.0;
        }
        if (languages >= 2) {
            s[TaskCues.TRANSLATION] += 1.0;
        }
        int lead = shape.leadEnd() > 0 && shape.leadEnd() <= TextShape.WINDOW ? shape.leadEnd() : 0;
        if (shape.chars() - lead > (lead > 0 ? LONG_MATERIAL_CHARS : 3 * LONG_MATERIAL_CHARS)) {
            s[TaskCues.SUMMARIZATION] += 0.75;
        }
        boolean material = shape.quoted() || shape.leadEnd() > 0;
        if (material && ev.signal(Signal.ALTERNATIVES) > 0) {
            s[TaskCues.CLASSIFICATION] += 1.5; // "is this A or B?" about given text is a labelling job
        }
        if (material && shape.leadEnd() > 0 && ev.signal(Signal.QUESTION) > 0) {
            s[TaskCues.EXTRACTION] += 1.0;     // "who/which/what … ?" over a document asks for facts in it
        }
        boolean isShort = shape.chars() > 0 && shape.short_();
        if (isShort && shape.sentences() <= 1 && (shape.question() || ev.signal(Signal.QUESTION) > 0)) {
            // Under a system prompt that names a task, a short user message is that task's input; in a
            // running conversation it is a follow-up rather than a self-contained look-up.
            s[TaskCues.FAST] += systemNamesTask || assistantTurns > 0 ? 0.75 : 1.5;
        }
        if (ev.signal(Signal.BREVITY) > 0) {
            s[TaskCues.FAST] += shape.units() <= 40 ? 2.0 : 0.5;
        }
        if (isShort && ev.signal(Signal.FACT) > 0) {
            s[TaskCues.FAST] += 1.5;
        }
    }

    private static void addRequestEvidence(Evidence ev, ChatRequest request) {
        JsonNode format = request.body().path("response_format");
        String kind = format.path("type").asText("");
        if (kind.equals("json_schema")) {
            if (format.findValue("enum") != null) {
                ev.score[TaskCues.CLASSIFICATION] += 1.5;
            } else {
                ev.score[TaskCues.EXTRACTION] += 1.5;
            }
        } else if (kind.equals("json_object")) {
            ev.score[TaskCues.EXTRACTION] += 1.0;
        }
    }

    private static Complexity complexity(int inputTokens, TaskType type, Evidence ev, TextShape shape,
                                         ChatRequest request) {
        double points = inputTokens <= 500 ? 0 : inputTokens <= 2_000 ? 1 : inputTokens <= 8_000 ? 2 : 3;
        if (type.equals(TaskType.REASONING)) {
            points += 1.5;
        } else if (type.equals(TaskType.CODE_GENERATION)) {
            points += 1.0;
        } else if (type.equals(TaskType.CLASSIFICATION)) {
            points -= 0.5;
        } else if (type.equals(TaskType.FAST_RESPONSE)) {
            points -= 1.0;
        }
        int steps = ev.signal(Signal.MULTI_STEP);
        points += steps >= 3 ? 1.0 : steps >= 1 ? 0.5 : 0;
        points += Math.min(1.5, 0.25 * (ev.signal(Signal.CONSTRAINT) + shape.listLines()));
        points += Math.min(1.5, 0.75 * ev.signal(Signal.DEPTH));
        if (shape.arithmetic() > 0) {
            points += 0.5;
        }
        JsonNode tools = request.body().path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            points += tools.size() >= 5 ? 1.0 : 0.5;
        }
        return points < 1.5 ? Complexity.LOW : points < 3.0 ? Complexity.MEDIUM : Complexity.HIGH;
    }

    private static double softmax(double[] scores, int top) {
        double max = scores[top];
        double sum = 0;
        for (double s : scores) {
            sum += Math.exp(s - max);
        }
        return 1.0 / sum;
    }

    /** A message's text: a string {@code content}, or its text parts joined by newlines; else "". */
    static String text(JsonNode message) {
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (JsonNode part : content) {
            JsonNode t = part.isTextual() ? part : part.get("text");
            if (t != null && t.isTextual()) {
                if (!b.isEmpty()) {
                    b.append('\n');
                }
                b.append(t.textValue());
            }
        }
        return b.toString();
    }

    /** Per-request scores and signal counts; each cue counts once per scanned region. */
    private static final class Evidence implements PhraseMatcher.Sink {

        private static final List<Cue> CUES = MATCHER.cues();

        final double[] score = new double[TYPES];
        private final int[] signals = new int[Signal.values().length];
        private final long[] seen = new long[(CUES.size() + 63) / 64];
        private double weight;
        private boolean recordSignals;

        int signal(Signal s) {
            return signals[s.ordinal()];
        }

        /**
         * Scans a user message region by region: the instructions (an opening block of at most
         * {@value TextShape#WINDOW} characters that ends at a blank line or a colon, and a closing
         * paragraph of at most {@value #CLOSING_PARAGRAPH}) at full weight, the material between them
         * at {@value #MATERIAL}. A message with neither is all instruction, but only its first and
         * last {@value TextShape#WINDOW} characters are read.
         */
        void scanMessage(String text, TextShape shape, double w, boolean withSignals) {
            int n = text.length();
            int lead = shape.leadEnd() > 0 && shape.leadEnd() <= TextShape.WINDOW ? shape.leadEnd() : 0;
            int tail = shape.lastParagraph();
            boolean closing = tail >= lead && tail > 0 && n - tail <= CLOSING_PARAGRAPH;
            if (lead == 0 && !closing) {
                if (n <= 2 * TextShape.WINDOW) {
                    scan(text, 0, n, shape.opening(), w, withSignals);
                } else {
                    scan(text, 0, TextShape.WINDOW, shape.opening(), w, withSignals);
                    scan(text, n - TextShape.WINDOW, n, shape.opening(), w, withSignals);
                }
                return;
            }
            if (lead > 0) {
                scan(text, 0, lead, shape.opening(), w, withSignals);
            }
            int bodyEnd = n;
            if (closing) {
                scan(text, tail, n, shape.opening(), w, withSignals);
                bodyEnd = tail;
            }
            if (bodyEnd - lead <= 2 * TextShape.WINDOW) {
                scan(text, lead, bodyEnd, shape.opening(), w * MATERIAL, false);
            } else {
                scan(text, lead, lead + TextShape.WINDOW, shape.opening(), w * MATERIAL, false);
                scan(text, bodyEnd - TextShape.WINDOW, bodyEnd, shape.opening(), w * MATERIAL, false);
            }
        }

        void scan(String text, int from, int to, int opening, double w, boolean withSignals) {
            Arrays.fill(seen, 0L);
            weight = w;
            recordSignals = withSignals;
            MATCHER.scan(text, from, to, opening, this);
        }

        @Override
        public void found(int i, boolean quoted) {
            long bit = 1L << (i & 63);
            if ((seen[i >>> 6] & bit) != 0) {
                return;
            }
            seen[i >>> 6] |= bit;
            Cue cue = CUES.get(i);
            if (cue.type() >= 0) {
                score[cue.type()] += weight * cue.weight() * (quoted ? MATERIAL : 1.0);
            }
            if (recordSignals && !quoted && cue.signal() != null) {
                signals[cue.signal().ordinal()]++;
            }
        }
    }
}
