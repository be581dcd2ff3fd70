package dev.triage.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
}
