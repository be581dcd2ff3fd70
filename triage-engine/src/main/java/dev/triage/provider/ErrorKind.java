package dev.triage.provider;

/** Every provider's failures, mapped to one model. */
public enum ErrorKind {
    /** 429 from the provider; {@link ProviderException#retryAfter()} says when to try again, if known. */
    RATE_LIMITED(true, true, 429, "rate_limited"),
    /** The provider is temporarily over capacity (503, Anthropic 529). */
    OVERLOADED(true, true, 503, "upstream_overloaded"),
    /** 5xx other than overload. */
    SERVER_ERROR(true, true, 502, "upstream_error"),
    /** The provider rejected the request itself (400, 404, 422). Not retried, no fallback. */
    BAD_REQUEST(false, false, 400, "invalid_request_error"),
    /** The provider refused our credentials (401, 403): a gateway configuration problem. */
    AUTH(false, true, 502, "upstream_auth_error"),
    /** The prompt does not fit the model's context window; another model may take it. */
    CONTEXT_TOO_LONG(false, true, 400, "context_length_exceeded"),
    /**
     * The upstream did not answer in time: the request deadline passed after the call was sent, a
     * stream stalled longer than the idle timeout, or the upstream itself reported a timeout (408, 504).
     * The upstream may have processed and billed the prompt.
     */
    TIMEOUT(false, true, 504, "upstream_timeout"),
    /**
     * The request deadline passed before the call reached the upstream (before it was sent, or while
     * connecting): nothing can have been billed, and the upstream's health is unknown.
     */
    NOT_SENT(false, true, 504, "upstream_timeout"),
    /** Could not connect, or the connection broke. */
    CONNECTION(true, true, 502, "upstream_connection_error"),
    /** The upstream answered with something that is not the provider's wire format. */
    PROTOCOL(false, true, 502, "upstream_protocol_error");

    private final boolean retryable;
    private final boolean fallbackAllowed;
    private final int gatewayStatus;
    private final String code;

    ErrorKind(boolean retryable, boolean fallbackAllowed, int gatewayStatus, String code) {
        this.retryable = retryable;
        this.fallbackAllowed = fallbackAllowed;
        this.gatewayStatus = gatewayStatus;
        this.code = code;
    }

    /** Whether the same model may be tried again (with backoff) within the request's deadline. */
    public boolean retryable() {
        return retryable;
    }

    /** Whether the next model of the fallback chain may be tried. */
    public boolean fallbackAllowed() {
        return fallbackAllowed;
    }

    /** The status the gateway answers with when this is the final error of a request. */
    public int gatewayStatus() {
        return gatewayStatus;
    }

    /** The {@code error.code} of the gateway's OpenAI-shaped error body. */
    public String code() {
        return code;
    }

    /**
     * Whether this failure counts against the model's circuit breaker (the model, not the request, is at
     * fault). A {@link #TIMEOUT} does, unless the deadline that ran out was one a caller or route shortened
     * (the dispatcher decides that, see {@link Deadline#shortened()}).
     */
    public boolean countsAgainstBreaker() {
        return this != BAD_REQUEST && this != CONTEXT_TOO_LONG && this != NOT_SENT;
    }

    /** Whether the request ran out of time, as opposed to the upstream refusing or failing it. */
    public boolean timedOut() {
        return this == TIMEOUT || this == NOT_SENT;
    }

    /** Maps an upstream HTTP status to a kind. */
    public static ErrorKind fromStatus(int status) {
        return switch (status) {
            case 429 -> RATE_LIMITED;
            // 402: the gateway's account is out of credit (OpenRouter, Anthropic's billing_error), like a bad key
            case 401, 402, 403 -> AUTH;
            case 408, 504 -> TIMEOUT;
            case 503, 529 -> OVERLOADED;
            case 413 -> CONTEXT_TOO_LONG;
            default -> status >= 500 ? SERVER_ERROR : BAD_REQUEST;
        };
    }

    /**
     * The kind of an upstream's HTTP error answer. The status decides, since it says whose fault the
     * failure is and so whether to retry, fall back and count it against the model's breaker; what the
     * error body says ({@code bodySays}, null if nothing) may only narrow a client error (400, 404, 422)
     * down to an overfull context or a rejected key, never turn a 5xx, 429 or 401 into the client's fault.
     */
    public static ErrorKind fromHttp(int status, ErrorKind bodySays) {
        ErrorKind byStatus = fromStatus(status);
        return byStatus == BAD_REQUEST && (bodySays == CONTEXT_TOO_LONG || bodySays == AUTH) ? bodySays : byStatus;
    }
}
