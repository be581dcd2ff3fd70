package dev.triage.app;

import static dev.triage.app.ReportApiGatewayTest.decimals;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.keys.KeyPeriod;
import dev.triage.keys.NewKey;
import dev.triage.provider.openai.OpenAiWire;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/requests} after real traffic through the gateway: one line per request, newest first, in pages,
 * with filters; a virtual key sees its own requests only; prompt text only with {@code storage.capture_text}.
 * Every answer uses 19 input and 4 output tokens: $0.000027 on {@code fast}, $0.000073 on {@code steady}.
 */
class RequestsApiGatewayTest {

    static final String GATEWAY_KEY = "gateway-key-0123456789abcdef";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
    private GatewayHarness gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    /** fast answers; fast fails twice and steady answers; the tiered route's low tier answers for carol. */
    private List<String> traffic(String... headers) {
        List<String> ids = new ArrayList<>();
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        ids.add(ok(gw.post("/v1/chat/completions", GatewayHarness.chat("fast", false), headers)));
        clock.advance(java.time.Duration.ofSeconds(1));
        gw.primary.enqueue(OpenAiWire.json(503, ReportApiGatewayTest.OVERLOADED));
        gw.primary.enqueue(OpenAiWire.json(503, ReportApiGatewayTest.OVERLOADED));
        gw.backup.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        ids.add(ok(gw.post("/v1/chat/completions", GatewayHarness.chat("fast", false), headers)));
        clock.advance(java.time.Duration.ofSeconds(1));
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        ids.add(ok(gw.post("/v1/chat/completions",
                "{\"model\":\"tiered\",\"user\":\"carol\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}", headers)));
        return ids;
    }

    private static String ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.headers().firstValue("x-triage-request-id").orElseThrow();
    }

    private JsonNode page(String query, String... headers) {
        HttpResponse<String> r = gw.get("/api/requests" + query, headers);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return decimals(r.body());
    }

    private static List<String> ids(JsonNode page) {
        return page.get("data").findValuesAsText("request_id");
    }

    @Test
    void eachRequestIsOneLineNewestFirstWithItsAttemptsTokensCostLatencyAndStatus() {
        gw = new GatewayHarness("", null, ReportApiGatewayTest.ROUTES, clock);
        List<String> sent = traffic();

        JsonNode all = page("");
        assertThat(ids(all)).containsExactly(sent.get(2), sent.get(1), sent.get(0));
        assertThat(all.get("has_more").asBoolean()).isFalse();
        assertThat(all.get("next_page").isNull()).isTrue();
        assertThat(all.get("capture_text").asBoolean()).isFalse();
        JsonNode fallback = all.at("/data/1");
        assertThat(fallback.get("time").asText()).isEqualTo("2026-03-10T12:00:01Z");
        assertThat(fallback.get("key").isNull()).isTrue();
        assertThat(fallback.get("route").asText()).isEqualTo("fast");
        assertThat(fallback.get("model").asText()).isEqualTo("steady");
        assertThat(fallback.get("models").toString()).isEqualTo("[\"fast\",\"fast\",\"steady\"]");
        assertThat(fallback.get("attempts").asInt()).isEqualTo(3);
        assertThat(fallback.get("input_tokens").asLong()).isEqualTo(19);
        assertThat(fallback.get("output_tokens").asLong()).isEqualTo(4);
        assertThat(fallback.get("cost_usd").decimalValue()).isEqualByComparingTo("0.000073");
        assertThat(fallback.get("latency_ms").asLong()).isNotNegative();
        assertThat(fallback.get("status").asText()).isEqualTo("ok");
        assertThat(fallback.has("prompt")).isFalse();
        JsonNode tiered = all.at("/data/0");
        assertThat(tiered.get("route").asText()).isEqualTo("tiered");
        assertThat(tiered.get("user").asText()).isEqualTo("carol");
        assertThat(tiered.get("cost_usd").toString()).isEqualTo("0.000027");
        // the whole log's cost is the report's total for the same period
        JsonNode report = decimals(gw.get("/api/report").body());
        assertThat(all.get("data").findValues("cost_usd").stream().map(JsonNode::decimalValue)
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add)).isEqualByComparingTo(report.get("total_cost_usd").decimalValue());
        // no prompt text leaves the gateway without capture_text
        assertThat(gw.get("/api/requests").body()).doesNotContain("Say hello");
    }

    @Test
    void pagesFollowNextPageToTheEndAndFiltersNarrowTheLog() {
        gw = new GatewayHarness("", null, ReportApiGatewayTest.ROUTES, clock);
        List<String> sent = traffic();
        List<String> seen = new ArrayList<>();
        JsonNode p = page("?limit=1");
        while (true) {
            assertThat(p.get("data")).hasSize(1);
            seen.addAll(ids(p));
            if (!p.get("has_more").asBoolean()) {
                assertThat(p.get("next_page").isNull()).isTrue();
                break;
            }
            p = page("?limit=1&page=" + URLEncoder.encode(p.get("next_page").asText(), StandardCharsets.UTF_8));
        }
        assertThat(seen).containsExactly(sent.get(2), sent.get(1), sent.get(0));

        assertThat(ids(page("?model=steady"))).containsExactly(sent.get(1));
        assertThat(ids(page("?model=fast"))).containsExactly(sent.get(2), sent.get(1), sent.get(0));
        assertThat(ids(page("?route=tiered"))).containsExactly(sent.get(2));
        assertThat(ids(page("?status=ok&route=fast"))).containsExactly(sent.get(1), sent.get(0));
        assertThat(ids(page("?status=error"))).isEmpty();
        assertThat(ids(page("?from=2026-03-11&to=2026-03-12"))).isEmpty();
        assertThat(ids(page("?from=2026-03-10T12:00:01Z&to=2026-03-10T12:00:02Z"))).containsExactly(sent.get(1));
    }

    @Test
    void badParametersAre400InOpenAisErrorShape() {
        gw = new GatewayHarness("", null, ReportApiGatewayTest.ROUTES, clock);
        for (String[] c : new String[][] {
                {"?limit=0", "limit", "limit: expected a whole number from 1 to 200, not '0'"},
                {"?limit=201", "limit", "limit: expected a whole number from 1 to 200, not '201'"},
                {"?limit=ten", "limit", "limit: expected a whole number from 1 to 200, not 'ten'"},
                {"?status=failed", "status", "status: expected ok, error or cancelled, not 'failed'"},
                {"?page=not-a-token", "page", "page: not a page token from this API (send back next_page as it came)"},
                {"?from=yesterday", "from", null},
                {"?key=ops&team=core", "team", "give key or team, not both"},
                {"?sort=cost", "sort", "unknown parameter 'sort'; /api/requests takes from, key, limit, model, page, route, status, team, to"}}) {
            HttpResponse<String> r = gw.get("/api/requests" + c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            JsonNode e = decimals(r.body()).get("error");
            assertThat(e.get("type").asText()).isEqualTo("invalid_request_error");
            assertThat(e.get("code").asText()).isEqualTo("invalid_request");
            assertThat(e.get("param").asText()).as(c[0]).isEqualTo(c[1]);
            if (c[2] != null) {
                assertThat(e.get("message").asText()).isEqualTo(c[2]);
            }
        }
    }

    @Test
    void withCaptureTextOnEachLineCarriesItsPromptAndAnswer() {
        gw = new GatewayHarness("", ", capture_text: true", null, ReportApiGatewayTest.ROUTES, clock);
        List<String> sent = traffic();
        JsonNode all = page("");
        assertThat(all.get("capture_text").asBoolean()).isTrue();
        assertThat(all.at("/data/2/request_id").asText()).isEqualTo(sent.get(0));
        assertThat(all.at("/data/2/prompt").asText()).contains("Say hello");
        assertThat(all.at("/data/2/answer").isNull()).isFalse();
    }

    @Test
    void aVirtualKeySeesItsOwnRequestsOnlyAndAGatewayKeySeesAll() {
        gw = new GatewayHarness(", api_keys: [" + GATEWAY_KEY + "]", null, ReportApiGatewayTest.ROUTES, clock);
        String ops = gw.app.ledger().keys().create(new NewKey("ops", "core", null, KeyPeriod.MONTH, Set.of(), Set.of(), null, null, null),
                clock.instant()).secret();
        String lab = gw.app.ledger().keys().create(new NewKey("lab", null, null, KeyPeriod.MONTH, Set.of(), Set.of(), null, null, null),
                clock.instant()).secret();
        List<String> byOps = traffic("Authorization", "Bearer " + ops);
        clock.advance(java.time.Duration.ofSeconds(1));
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        String byLab = ok(gw.post("/v1/chat/completions", GatewayHarness.chat("fast", false), "Authorization", "Bearer " + lab));

        assertThat(gw.get("/api/requests").statusCode()).isEqualTo(401);
        assertThat(gw.get("/api/requests", "Authorization", "Bearer wrong-key-0123456789").statusCode()).isEqualTo(401);
        assertThat(ids(page("", "Authorization", "Bearer " + GATEWAY_KEY))).containsExactly(byLab, byOps.get(2), byOps.get(1), byOps.get(0));
        assertThat(ids(page("?key=lab", "Authorization", "Bearer " + GATEWAY_KEY))).containsExactly(byLab);
        JsonNode own = page("", "Authorization", "Bearer " + ops);
        assertThat(ids(own)).containsExactly(byOps.get(2), byOps.get(1), byOps.get(0));
        assertThat(own.get("data").findValuesAsText("key")).containsOnly("ops");
        assertThat(ids(page("?key=ops", "Authorization", "Bearer " + ops))).hasSize(3);
        HttpResponse<String> other = gw.get("/api/requests?key=lab", "Authorization", "Bearer " + ops);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(decimals(other.body()).at("/error/code").asText()).isEqualTo("report_scope_not_allowed");
        assertThat(other.body()).doesNotContain(byLab);

        // a team: the requests of its keys (ops is in core; lab in none); a virtual key may not ask for one
        assertThat(ids(page("?team=core", "Authorization", "Bearer " + GATEWAY_KEY))).containsExactly(byOps.get(2), byOps.get(1),
                byOps.get(0));
        HttpResponse<String> noTeam = gw.get("/api/requests?team=nobody", "Authorization", "Bearer " + GATEWAY_KEY);
        assertThat(noTeam.statusCode()).isEqualTo(400);
        assertThat(decimals(noTeam.body()).at("/error/param").asText()).isEqualTo("team");
        assertThat(decimals(noTeam.body()).at("/error/message").asText()).isEqualTo("no virtual key belongs to team 'nobody'");
        HttpResponse<String> asKey = gw.get("/api/requests?team=core", "Authorization", "Bearer " + ops);
        assertThat(asKey.statusCode()).isEqualTo(403);
        assertThat(decimals(asKey.body()).at("/error/param").asText()).isEqualTo("team");
    }
}
