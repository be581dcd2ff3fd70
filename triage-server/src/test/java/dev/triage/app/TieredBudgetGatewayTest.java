package dev.triage.app;

import static dev.triage.app.GatewayHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Strategy 2 end to end: tiers, daily budgets, downgrades, exhaustion and the day rollover. */
class TieredBudgetGatewayTest {

    // Each answer costs $0.000027 on fast (primary) and $0.000073 on steady (backup). A request reserves its worst
    // case first, and only if it fits: HARD_PROMPT with max_tokens 8 is at most 219 prompt tokens (191 bytes of
    // text, framing) and 8 output tokens, so $0.000689 on steady, and $0.000908 on low, whose plan is fast then its
    // fallback steady (both may be billed the prompt). Medium takes one such request, low two.
    static final String ROUTES = GatewayYaml.tieredRoute("0.002", "0.0007", "0.00095");
    /** A prompt the analyser rates as medium complexity or more, so requests start above the low tier. */
    static final String HARD_PROMPT = "Prove step by step that the sum of the first n odd numbers is n^2, then explain why the "
            + "argument generalises, compare it with an induction proof, and list the assumptions each step relies on.";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T23:58:00Z"));
    private final GatewayHarness gw = new GatewayHarness("", null, ROUTES, clock);

    @AfterEach
    void stop() {
        gw.close();
    }

    private HttpResponse<String> ask(String prompt, String quality) {
        String body = "{\"model\":\"tiered\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":"
                + OpenAiWire.JSON.valueToTree(prompt) + "}]}";
        return gw.post("/v1/chat/completions", body, "x-triage-quality", quality);
    }

    @Test
    void aSpentTierDowngradesAndSaysSoThenEverythingSpentIs429UntilMidnight() {
        // medium: the first request's worst case ($0.000689) fits in $0.0007; it settles to $0.000073, and another would not fit
        gw.backup.enqueue(Completions.text("first"));
        HttpResponse<String> first = ask(HARD_PROMPT, "standard");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-triage-tier")).hasValue("medium");
        assertThat(first.headers().firstValue("x-triage-downgraded")).hasValue("false");

        // medium is spent: the next one goes to low, marked as downgraded
        gw.primary.enqueue(Completions.text("second"));
        HttpResponse<String> second = ask(HARD_PROMPT, "standard");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("x-triage-tier")).hasValue("low");
        assertThat(second.headers().firstValue("x-triage-downgraded")).hasValue("true");
        assertThat(second.headers().firstValue("x-triage-model")).hasValue("fast");

        gw.primary.enqueue(Completions.text("third"));
        assertThat(ask(HARD_PROMPT, "standard").headers().firstValue("x-triage-tier")).hasValue("low"); // $0.000027 + $0.000908 fits

        // low cannot take a third ($0.000054 + $0.000908 > $0.00095): nothing left below medium
        HttpResponse<String> refused = ask(HARD_PROMPT, "standard");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(json(refused.body()).at("/error/code").asText()).isEqualTo("budget_exhausted");
        assertThat(json(refused.body()).at("/error/message").asText()).contains("midnight UTC");
        assertThat(refused.headers().firstValue("retry-after")).hasValue("120"); // 23:58 -> midnight
        assertThat(gw.primary.getRequestCount() + gw.backup.getRequestCount()).isEqualTo(3);

        // a new day: budgets are fresh
        clock.advance(Duration.ofMinutes(3));
        gw.backup.enqueue(Completions.text("tomorrow"));
        HttpResponse<String> tomorrow = ask(HARD_PROMPT, "standard");
        assertThat(tomorrow.statusCode()).isEqualTo(200);
        assertThat(tomorrow.headers().firstValue("x-triage-tier")).hasValue("medium");
        assertThat(tomorrow.headers().firstValue("x-triage-downgraded")).hasValue("false");
    }
}
