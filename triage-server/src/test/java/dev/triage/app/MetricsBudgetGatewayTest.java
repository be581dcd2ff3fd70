package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The budget gauges and the downgrade counter of a tiered route, read from the router's daily budgets. */
class MetricsBudgetGatewayTest {

    // As in TieredBudgetGatewayTest: an answer costs $0.000027 on fast (low) and $0.000073 on steady (medium, high).
    private static final String ROUTES = TieredBudgetGatewayTest.ROUTES;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T23:58:00Z"));
    private final GatewayHarness gw = new GatewayHarness("", null, ROUTES, clock);

    @AfterEach
    void stop() {
        gw.close();
    }

    private List<String> scrape() {
        return Arrays.asList(gw.get("/metrics").body().split("\n"));
    }

    private static String q(String sample) {
        return sample.replace('\'', '"');
    }

    private HttpResponse<String> askHard() {
        String body = "{\"model\":\"tiered\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":"
                + OpenAiWire.JSON.valueToTree(TieredBudgetGatewayTest.HARD_PROMPT) + "}]}";
        return gw.post("/v1/chat/completions", body, "x-triage-quality", "standard");
    }

    @Test
    void theRemainingBudgetOfEachTierIsItsLimitMinusTodaysSpendAndResetsAtMidnight() {
        assertThat(scrape()).contains(
                q("triage_budget_remaining_usd{route='tiered',tier='high'} 0.002"),
                q("triage_budget_remaining_usd{route='tiered',tier='medium'} 7.0E-4"),
                q("triage_budget_remaining_usd{route='tiered',tier='low'} 9.5E-4"),
                q("triage_budget_limit_usd{route='tiered',tier='medium'} 7.0E-4"));

        gw.backup.enqueue(Completions.text("first"));
        assertThat(askHard().headers().firstValue("x-triage-tier")).hasValue("medium");
        gw.primary.enqueue(Completions.text("second"));
        assertThat(askHard().headers().firstValue("x-triage-downgraded")).hasValue("true");

        assertThat(scrape()).contains(
                q("triage_budget_remaining_usd{route='tiered',tier='high'} 0.002"),
                // the first request cost $0.000073; what is left ($0.000627) cannot take another worst case ($0.000689)
                q("triage_budget_remaining_usd{route='tiered',tier='medium'} 6.27E-4"),
                q("triage_budget_remaining_usd{route='tiered',tier='low'} 9.23E-4"),
                q("triage_downgrades_total{route='tiered',tier='low'} 1.0"),
                q("triage_requests_total{error_type='',model='steady',policy='tiered',route='tiered',status_class='2xx'} 1.0"),
                q("triage_requests_total{error_type='',model='fast',policy='tiered',route='tiered',status_class='2xx'} 1.0"));

        clock.advance(Duration.ofMinutes(3));
        assertThat(scrape()).contains(
                q("triage_budget_remaining_usd{route='tiered',tier='medium'} 7.0E-4"),
                q("triage_budget_remaining_usd{route='tiered',tier='low'} 9.5E-4"));
    }
}
