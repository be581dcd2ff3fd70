package dev.triage.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompletedRequestTest {

    private static CompletedRequest answered(String model, List<String> attempts, int escalations) {
        return new CompletedRequest("r", "cascade", model, null, false, attempts, escalations, 200, null, false, 1, -1);
    }

    @Test
    void aFallbackIsAnAnswerAfterAFailedModelNotAfterAnUnacceptedAnswer() {
        assertThat(answered("fast", List.of("fast"), 0).fellBack()).isFalse();
        assertThat(answered("steady", List.of("fast", "steady"), 0).fellBack()).isTrue();
        assertThat(answered("steady", List.of("fast", "steady"), 1).fellBack()).isFalse();
        // stage 1 not accepted, stage 2 failed, its fallback answered
        assertThat(answered("backup", List.of("fast", "steady", "backup"), 1).fellBack()).isTrue();
    }

    @Test
    void failedRequestsAndBrokenStreamsDoNotCountAsFallbacks() {
        assertThat(new CompletedRequest("r", "model", null, null, false, List.of("fast", "steady"), 0, 429, "rate_limited", false, 1, -1)
                .fellBack()).isFalse();
        assertThat(new CompletedRequest("r", "model", "steady", null, false, List.of("fast", "steady"), 0, 200, "upstream_error", true, 1, 5)
                .fellBack()).isFalse();
    }
}
