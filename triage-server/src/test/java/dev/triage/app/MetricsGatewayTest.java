package dev.triage.app;

import static dev.triage.app.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.provider.openai.OpenAiWire;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} after real traffic through the gateway: exact counts, sums and labels. Samples are
 * written with {@code '} for {@code "} to stay readable; labels appear in alphabetical order.
 */
class MetricsGatewayTest {

    private static final String CASCADE = """
            routes:
              cascade:
                policy: cascade
                scorer: logprob
                stages:
                  - {model: fast, accept_confidence: 0.9}
                  - {model: steady}
            """;

    private final GatewayHarness gw = new GatewayHarness("", null, CASCADE);

    @AfterEach
    void stop() {
        gw.close();
    }

    private List<String> scrape() {
        HttpResponse<String> r = gw.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        return Arrays.asList(r.body().split("\n"));
    }

    private static String q(String sample) {
        return sample.replace('\'', '"');
    }

    private static MockResponse error(int status, String retryAfter) {
        MockResponse.Builder b = new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"upstream says " + status + "\",\"type\":\"x\",\"param\":null,\"code\":null}}");
        return retryAfter == null ? b.build() : b.setHeader("Retry-After", retryAfter).build();
    }

    @Test
    void anAnsweredRequestCountsItsTokensCostAttemptAndDurationByRouteAndModel() {
        gw.primary.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        assertThat(gw.post("/v1/chat/completions", chat("fast", false)).statusCode()).isEqualTo(200);

        List<String> m = scrape();
        assertThat(m).contains(
                q("gen_ai_client_token_usage_sum{gen_ai_operation_name='chat',gen_ai_provider_name='openai',gen_ai_request_model='fast',gen_ai_token_type='input',triage_route='fast'} 19.0"),
                q("gen_ai_client_token_usage_count{gen_ai_operation_name='chat',gen_ai_provider_name='openai',gen_ai_request_model='fast',gen_ai_token_type='input',triage_route='fast'} 1"),
                q("gen_ai_client_token_usage_bucket{gen_ai_operation_name='chat',gen_ai_provider_name='openai',gen_ai_request_model='fast',gen_ai_token_type='input',triage_route='fast',le='16.0'} 0"),
                q("gen_ai_client_token_usage_bucket{gen_ai_operation_name='chat',gen_ai_provider_name='openai',gen_ai_request_model='fast',gen_ai_token_type='input',triage_route='fast',le='64.0'} 1"),
                q("gen_ai_client_token_usage_sum{gen_ai_operation_name='chat',gen_ai_provider_name='openai',gen_ai_request_model='fast',gen_ai_token_type='output',triage_route='fast'} 4.0"),
                // 19 x $1/M + 4 x $2/M
                q("triage_cost_usd_total{model='fast',route='fast'} 2.7E-5"),
                q("triage_upstream_attempts_total{error_type='',model='fast',outcome='ok',provider='primary',route='fast'} 1.0"),
                q("triage_requests_total{error_type='',model='fast',policy='model',route='fast',status_class='2xx'} 1.0"),
                q("gen_ai_client_operation_duration_seconds_count{error_type='',gen_ai_operation_name='chat',gen_ai_provider_name='openai',gen_ai_request_model='fast',triage_route='fast'} 1"),
                q("gen_ai_server_request_duration_seconds_count{error_type='',gen_ai_operation_name='chat',gen_ai_request_model='fast',gen_ai_response_model='fast'} 1"));
        // not streamed: no time to first token; nothing fell back, escalated or downgraded
        assertThat(m).noneMatch(l -> l.startsWith("gen_ai_client_operation_time_to_first_chunk")
                || l.startsWith("gen_ai_server_time_to_first_token") || l.startsWith("triage_fallbacks")
                || l.startsWith("triage_escalations") || l.startsWith("triage_downgrades"));
    }

    @Test
    void aFallbackCountsTheFailedAttemptsByErrorKindAndOneFallbackForTheAnsweringModel() {
        gw.primary.enqueue(error(500, null));
        gw.primary.enqueue(error(500, null));
        gw.backup.enqueue(OpenAiWire.json(200, OpenAiWire.COMPLETION_TEXT));
        assertThat(gw.post("/v1/chat/completions", chat("fast", false)).headers().firstValue("x-triage-model")).hasValue("steady");

        List<String> m = scrape();
        assertThat(m).contains(
                q("triage_upstream_attempts_total{error_type='server_error',model='fast',outcome='error',provider='primary',route='fast'} 2.0"),
                q("triage_upstream_attempts_total{error_type='',model='steady',outcome='ok',provider='backup',route='fast'} 1.0"),
                q("gen_ai_client_operation_duration_seconds_count{error_type='server_error',gen_ai_operation_name='chat',gen_ai_provider_name='openai',gen_ai_request_model='fast',triage_route='fast'} 2"),
                q("triage_fallbacks_total{model='steady',route='fast'} 1.0"),
                q("triage_requests_total{error_type='',model='steady',policy='model',route='fast',status_class='2xx'} 1.0"),
                // 19 x $3/M + 4 x $4/M; the failed calls cost nothing and used no tokens
                q("triage_cost_usd_total{model='steady',route='fast'} 7.3E-5"),
                q("gen_ai_client_token_usage_sum{gen_ai_operation_name='chat',gen_ai_provider_name='openai',gen_ai_request_model='steady',gen_ai_token_type='input',triage_route='fast'} 19.0"));
        assertThat(m).noneMatch(l -> l.startsWith("triage_cost_usd_total{model=\"fast\"")
                || l.startsWith("gen_ai_client_token_usage_count{gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"fast\""));
    }

    @Test
    void aStreamedRequestRecordsTimeToFirstChunkUpstreamAndTimeToFirstTokenToTheClient() {
        gw.primary.enqueue(OpenAiWire.sse(OpenAiWire.TEXT_STREAM).build());
        HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fast", true));
        assertThat(r.body()).endsWith("data: [DONE]\n\n");

        List<String> m = scrape();
        assertThat(m).contains(
                q("gen_ai_client_operation_time_to_first_chunk_seconds_count{gen_ai_operation_name='chat',gen_ai_provider_name='openai',gen_ai_request_model='fast',triage_route='fast'} 1"),
                q("gen_ai_server_time_to_first_token_seconds_count{gen_ai_operation_name='chat',gen_ai_request_model='fast',gen_ai_response_model='fast'} 1"),
                q("gen_ai_client_token_usage_sum{gen_ai_operation_name='chat',gen_ai_provider_name='openai',gen_ai_request_model='fast',gen_ai_token_type='output',triage_route='fast'} 4.0"),
                q("triage_cost_usd_total{model='fast',route='fast'} 2.7E-5"),
                q("triage_requests_total{error_type='',model='fast',policy='model',route='fast',status_class='2xx'} 1.0"));
        // the first token reached the client no later than the whole request ended
        double firstToken = value(m, q("gen_ai_server_time_to_first_token_seconds_sum{gen_ai_operation_name='chat',gen_ai_request_model='fast',gen_ai_response_model='fast'}"));
        double request = value(m, q("gen_ai_server_request_duration_seconds_sum{error_type='',gen_ai_operation_name='chat',gen_ai_request_model='fast',gen_ai_response_model='fast'}"));
        assertThat(firstToken).isPositive().isLessThanOrEqualTo(request);
    }

    @Test
    void aRateLimitedRequestIs4xxWithEachAttemptCountedByErrorKindAndNoCost() {
        gw.primary.enqueue(error(429, "30"));
        gw.backup.enqueue(error(429, "30"));
        assertThat(gw.post("/v1/chat/completions", chat("fast", false)).statusCode()).isEqualTo(429);

        List<String> m = scrape();
        assertThat(m).contains(
                q("triage_requests_total{error_type='rate_limited',model='',policy='model',route='fast',status_class='4xx'} 1.0"),
                q("triage_upstream_attempts_total{error_type='rate_limited',model='fast',outcome='error',provider='primary',route='fast'} 1.0"),
                q("triage_upstream_attempts_total{error_type='rate_limited',model='steady',outcome='error',provider='backup',route='fast'} 1.0"),
                q("gen_ai_server_request_duration_seconds_count{error_type='rate_limited',gen_ai_operation_name='chat',gen_ai_request_model='fast',gen_ai_response_model=''} 1"));
        // not answered: no fallback, no cost, no tokens
        assertThat(m).noneMatch(l -> l.startsWith("triage_fallbacks") || l.startsWith("triage_cost")
                || l.startsWith("gen_ai_client_token_usage{") || l.startsWith("gen_ai_client_token_usage_count"));
    }

    @Test
    void aCascadeStepThatIsNotAcceptedIsAnEscalationNotAFallback() {
        gw.primary.enqueue(Completions.withLogprobs("42", -2.0)); // confidence exp(-2) = 0.135 < 0.9
        gw.backup.enqueue(Completions.text("41"));
        HttpResponse<String> r = gw.post("/v1/chat/completions",
                "{\"model\":\"cascade\",\"messages\":[{\"role\":\"user\",\"content\":\"What is 6 * 7 - 1?\"}]}");
        assertThat(r.headers().firstValue("x-triage-attempts")).hasValue("fast,steady");

        List<String> m = scrape();
        assertThat(m).contains(
                q("triage_escalations_total{route='cascade'} 1.0"),
                q("triage_requests_total{error_type='',model='steady',policy='cascade',route='cascade',status_class='2xx'} 1.0"),
                q("triage_cost_usd_total{model='fast',route='cascade'} 2.7E-5"),
                q("triage_cost_usd_total{model='steady',route='cascade'} 7.3E-5"));
        assertThat(m).noneMatch(l -> l.startsWith("triage_fallbacks"));
    }

    @Test
    void requestsRefusedBeforeRoutingAreCountedWithoutTheClientsModelString() {
        String invented = "sk-looks-like-a-key-0123456789";
        assertThat(gw.post("/v1/chat/completions", chat(invented, false)).statusCode()).isEqualTo(404);
        assertThat(gw.post("/v1/chat/completions", "{not json").statusCode()).isEqualTo(400);

        List<String> m = scrape();
        assertThat(m).contains(
                q("triage_requests_total{error_type='model_not_found',model='',policy='',route='',status_class='4xx'} 1.0"),
                q("triage_requests_total{error_type='invalid_request',model='',policy='',route='',status_class='4xx'} 1.0"));
        assertThat(String.join("\n", m)).doesNotContain(invented);
    }

    private static double value(List<String> scrape, String series) {
        return scrape.stream().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + series));
    }
}
