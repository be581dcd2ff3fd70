package dev.triage.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

    private final TokenEstimator tokens = new TokenEstimator();

    @Test
    void shortTextsAreCountedExactly() {
        String text = "The quick brown fox jumps over the lazy dog.";
        assertThat(tokens.estimate(text)).isEqualTo(tokens.count(text)).isEqualTo(10);
        assertThat(tokens.estimate("")).isZero();
        assertThat(tokens.estimate(null)).isZero();
    }

    @Test
    void longProseIsEstimatedWithinFivePercent() {
        StringBuilder b = new StringBuilder();
        String[] sentences = {
                "Revenue in the EMEA region grew by 14% quarter over quarter, driven by enterprise renewals. ",
                "The platform team will hire six engineers, two of them for the reliability rotation. ",
                "Mobile release 4.2 slipped by three weeks because the payments integration failed certification. ",
                "Customers praised the new onboarding flow but asked for single sign-on with their identity provider. "};
        for (int i = 0; i < 120; i++) {
            b.append(sentences[i % sentences.length]);
        }
        String text = b.toString();
        int exact = tokens.count(text);
        assertThat((double) tokens.estimate(text)).isCloseTo(exact, org.assertj.core.data.Percentage.withPercentage(5));
    }

    @Test
    void longCodeIsEstimatedWithinTenPercent() {
        String text = """
                public static int fibonacci(int n) {
                    if (n < 2) { return n; }
                    int a = 0, b = 1;
                    for (int i = 2; i <= n; i++) { int t = a + b; a = b; b = t; }
                    return b;
                }
                """.repeat(60);
        int exact = tokens.count(text);
        assertThat((double) tokens.estimate(text)).isCloseTo(exact, org.assertj.core.data.Percentage.withPercentage(10));
    }

    @Test
    void textsOfFewHugePiecesAreEstimatedFromTheirLength() {
        String oneLetter = "a".repeat(8_000);
        String blanks = " ".repeat(5_000);
        assertThat(tokens.count(oneLetter)).isEqualTo(1_000);
        assertThat(tokens.estimate(oneLetter)).isEqualTo(1_000);
        assertThat(tokens.count(blanks)).isEqualTo(40);
        assertThat(tokens.estimate(blanks)).isEqualTo(39);
    }

    @Test
    void messagesCountFramingTextPartsAndToolCalls() {
        ArrayNode messages = new ObjectMapper().createArrayNode();
        messages.addObject().put("role", "system").put("content", "Be brief.");
        messages.addObject().put("role", "user").putArray("content").addObject().put("type", "text").put("text", "Hello there");
        messages.addObject().put("role", "assistant").putNull("content").putArray("tool_calls").addObject()
                .put("id", "call_1").put("type", "function").putObject("function").put("name", "lookup").put("arguments", "{\"q\":\"x\"}");
        // 3 for the reply + 4 per message + the texts
        int expected = 3 + 3 * 4 + tokens.count("Be brief.") + tokens.count("Hello there") + tokens.count("lookup") + tokens.count("{\"q\":\"x\"}");
        assertThat(tokens.countMessages(messages)).isEqualTo(expected);
        assertThat(tokens.estimateMessages(messages)).isEqualTo(expected);
    }

    @Test
    void longTextsOfEveryKindAreEstimatedWithinEightPercentOnAverageAndTwentyFiveAtWorst() throws IOException {
        List<Sample> samples = longSamples();
        double sum = 0;
        double max = 0;
        String worst = "";
        for (Sample sample : samples) {
            int exact = tokens.count(sample.text());
            double error = Math.abs(tokens.estimate(sample.text()) - exact) / (double) exact;
            sum += error;
            if (error > max) {
                max = error;
                worst = sample.name();
            }
        }
        double mean = sum / samples.size();
        System.out.printf(Locale.ROOT, "token estimate over %d texts of 4-40 KB: mean error %.1f%%, max %.1f%% (%s)%n",
                samples.size(), 100 * mean, 100 * max, worst);
        assertThat(samples).hasSizeGreaterThan(100);
        assertThat(mean).isLessThanOrEqualTo(0.08);
        assertThat(max).as(worst).isLessThanOrEqualTo(0.25);
    }

    record Sample(String name, String text) {
    }

    /**
     * Texts of 4 to 40 KB cut at arbitrary offsets from prose, Chinese, JSON, Java source, CSV, logs, a
     * mix of all of them paragraph by paragraph, and texts whose style changes half-way (the hard case
     * for an estimate calibrated on one window). Prose and Chinese come from the analyser's labelled
     * prompts, JSON is that file's lines, and the Java source is this module's own (so its figures move
     * a little as the code changes; 2.1% mean and 12.5% max error when written).
     */
    static List<Sample> longSamples() throws IOException {
        List<String> jsonLines;
        try (InputStream in = TokenEstimatorTest.class.getResourceAsStream("/dev/triage/analysis/labelled-prompts.jsonl")) {
            jsonLines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        ObjectMapper json = new ObjectMapper();
        StringBuilder prose = new StringBuilder();
        StringBuilder chinese = new StringBuilder();
        for (String line : jsonLines) {
            for (JsonNode m : json.readTree(line).get("messages")) {
                String content = m.path("content").asText("");
                boolean han = content.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
                (han ? chinese : prose).append(content).append("\n\n");
            }
        }
        String code;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/triage"))) {
            code = files.filter(f -> f.toString().endsWith(".java")).sorted().map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
        Random random = new Random(7);
        String[] regions = {"EMEA", "APAC", "AMER"};
        String[] models = {"gpt-4.1", "claude-3.5-sonnet", "gemini-2.0-flash"};
        StringBuilder csv = new StringBuilder("date,region,orders,revenue,refunds\n");
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 800; i++) {
            csv.append(String.format(Locale.ROOT, "2026-%02d-%02d,%s,%d,%d.%02d,%d%n", 1 + i % 12, 1 + i % 28,
                    regions[i % 3], random.nextInt(5000), random.nextInt(100_000), random.nextInt(100), random.nextInt(40)));
            log.append(String.format(Locale.ROOT, "2026-11-28T10:%02d:%02d.%03dZ INFO  [worker-%d] request %08x routed to %s in %d ms%n",
                    i / 60 % 60, i % 60, random.nextInt(1000), random.nextInt(8), random.nextInt(), models[i % 3], random.nextInt(900)));
        }
        String[] proseParagraphs = prose.toString().split("\n\n");
        String[] chineseParagraphs = chinese.toString().split("\n\n");
        StringBuilder mixed = new StringBuilder();
        for (int i = 0; mixed.length() < 60_000; i++) {
            int at = i * 977 % (code.length() - 400);
            mixed.append(proseParagraphs[i % proseParagraphs.length]).append("\n\n")
                    .append(chineseParagraphs[i % chineseParagraphs.length]).append("\n\n")
                    .append("```java\n").append(code, at, at + 300).append("\n```\n\n")
                    .append(jsonLines.get(i % jsonLines.size())).append("\n\n");
        }
        String jsonText = String.join("\n", jsonLines);
        List<Sample> sources = List.of(new Sample("prose", prose.toString()), new Sample("chinese", chinese.toString()),
                new Sample("json", jsonText), new Sample("code", code), new Sample("csv", csv.toString()),
                new Sample("log", log.toString()), new Sample("mixed", mixed.toString()));
        List<Sample> samples = new ArrayList<>();
        for (Sample source : sources) {
            String s = source.text();
            for (int size : new int[] {4096, 6000, 9000, 16_384, 40_000}) {
                for (int k = 0; k < 4 && size <= s.length(); k++) {
                    int at = (int) ((long) (s.length() - size) * k / 3);
                    samples.add(new Sample(source.name() + " " + size + "@" + at, s.substring(at, at + size)));
                }
            }
        }
        String[][] halves = {{prose.toString(), code}, {code, prose.toString()}, {prose.toString(), chinese.toString()},
                {chinese.toString(), code}, {jsonText, prose.toString()}, {csv.toString(), prose.toString()}};
        for (String[] pair : halves) {
            for (int half : new int[] {2048, 4096, 8000}) {
                if (half <= pair[0].length() && half <= pair[1].length()) {
                    samples.add(new Sample("halves " + pair[0].substring(0, 20).strip() + " | " + pair[1].substring(0, 20).strip(),
                            pair[0].substring(0, half) + pair[1].substring(pair[1].length() - half)));
                }
            }
        }
        return samples;
    }
}
