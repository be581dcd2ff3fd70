package dev.triage.http;

import dev.triage.routing.Decision;
import java.util.List;

/** What is learnt about one request while it is handled; confined to the request's thread. */
final class RequestFacts {

    private final long started;
    private String route;
    private String policy;
    private String model;
    private String tier;
    private boolean downgraded;
    private List<String> attempts = List.of();
    private int escalations;
    private int status = 200;
    private String errorCode;
    private boolean stream;
    private long firstChunk = -1;

    RequestFacts(long startedNanos) {
        this.started = startedNanos;
    }

    void target(String route, String policy, boolean stream) {
        this.route = route;
        this.policy = policy;
        this.stream = stream;
    }

    void decided(Decision d) {
        policy = d.policy();
        tier = d.tier();
        downgraded = d.downgraded();
    }

    void tried(List<String> attempts, int escalations) {
        this.attempts = attempts;
        this.escalations = escalations;
    }

    void model(String model) {
        this.model = model;
    }

    /** Marks the first chunk sent to the client; later calls cost one comparison. */
    void chunkSent() {
        if (firstChunk < 0) {
            firstChunk = System.nanoTime() - started;
        }
    }

    /** The request ended with an error response (or an in-band stream error when {@code status} is 200). */
    void failed(int status, String code) {
        this.status = status;
        this.errorCode = code;
    }

    CompletedRequest complete(long endedNanos) {
        return new CompletedRequest(route, policy, model, tier, downgraded, attempts, escalations, status, errorCode, stream,
                endedNanos - started, firstChunk);
    }
}
