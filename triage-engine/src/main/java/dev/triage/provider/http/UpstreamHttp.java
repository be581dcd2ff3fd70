package dev.triage.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.provider.Deadline;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The JDK HttpClient, used the way every provider needs it: JSON POSTs bounded by the request's
 * deadline, upstream errors turned into {@link ProviderException}s by the provider's
 * {@link ErrorMapper}, and streaming bodies handed over as an {@link InputStream}.
 */
public final class UpstreamHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;

    public UpstreamHttp(HttpClient client) {
        this.client = client;
    }

    public static UpstreamHttp withDefaults() {
        return new UpstreamHttp(HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    /** POSTs {@code body} and returns the parsed JSON answer; non-2xx statuses go through {@code errors}. */
    public JsonNode postJson(URI uri, Map<String, String> headers, byte[] body, Deadline deadline, ErrorMapper errors) {
        HttpResponse<byte[]> response = send(uri, headers, body, deadline, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() / 100 != 2) {
            throw errors.map(response.statusCode(), response.headers(), response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ProviderException(ErrorKind.PROTOCOL, response.statusCode(), "upstream answered with invalid JSON");
        }
    }

    /** POSTs {@code body} and returns the open response stream of a 2xx answer; the caller closes it. */
    public InputStream postForStream(URI uri, Map<String, String> headers, byte[] body, Deadline deadline, ErrorMapper errors) {
        HttpResponse<InputStream> response = send(uri, headers, body, deadline, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() / 100 != 2) {
            byte[] errorBody;
            try (InputStream in = response.body()) {
                errorBody = in.readNBytes(64 * 1024);
            } catch (IOException e) {
                errorBody = new byte[0];
            }
            throw errors.map(response.statusCode(), response.headers(), errorBody);
        }
        return response.body();
    }

    private <T> HttpResponse<T> send(URI uri, Map<String, String> headers, byte[] body, Deadline deadline,
                                     HttpResponse.BodyHandler<T> handler) {
        Duration remaining = deadline.remaining();
        if (remaining.isZero()) {
            throw new ProviderException(ErrorKind.NOT_SENT, 0, "the request deadline passed before the upstream was called");
        }
        TrackedBody tracked = new TrackedBody(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(remaining)
                .header("content-type", "application/json")
                .POST(tracked);
        if ("http".equals(uri.getScheme())) {
            request.version(HttpClient.Version.HTTP_1_1);
        }
        headers.forEach(request::header);
        CompletableFuture<HttpResponse<T>> future = client.sendAsync(request.build(), handler);
        try {
            return future.get(remaining.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw deadlinePassed(tracked.handedOver(), null);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ProviderException(ErrorKind.CONNECTION, "interrupted while waiting for the upstream", e);
        } catch (CancellationException e) {
            throw new ProviderException(ErrorKind.CONNECTION, "upstream call cancelled", e);
        } catch (ExecutionException e) {
            throw mapIoFailure(e.getCause(), tracked.handedOver(), remaining);
        }
    }

    private static ProviderException deadlinePassed(boolean sent, Throwable cause) {
        return sent
                ? new ProviderException(ErrorKind.TIMEOUT, 0, "upstream did not answer before the request deadline", null, cause)
                : new ProviderException(ErrorKind.NOT_SENT, 0, "the request deadline passed before the call reached the upstream"
                        + " (still connecting)", null, cause);
    }

    /** @param timeout the request's timeout: what was left of its deadline when it was sent */
    private ProviderException mapIoFailure(Throwable cause, boolean sent, Duration timeout) {
        if (cause instanceof HttpConnectTimeoutException) {
            // Whichever is shorter ends a connect: the client's connect timeout (the upstream is unreachable) or
            // the request's deadline (which says nothing about the upstream).
            boolean deadlineFirst = client.connectTimeout().map(connect -> timeout.compareTo(connect) <= 0).orElse(true);
            return deadlineFirst ? deadlinePassed(false, cause)
                    : new ProviderException(ErrorKind.CONNECTION, "could not connect to the upstream in time", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return deadlinePassed(sent, cause);
        }
        if (cause instanceof ConnectException) {
            return new ProviderException(ErrorKind.CONNECTION, "could not connect to the upstream", cause);
        }
        return new ProviderException(ErrorKind.CONNECTION, "connection to the upstream failed: " + cause.getClass().getSimpleName(), cause);
    }

    /**
     * A request body that remembers whether the HTTP client began taking it, which it does only once the
     * connection is open: a call whose body was never taken cannot have reached the upstream, nor been billed.
     */
    private static final class TrackedBody implements HttpRequest.BodyPublisher {
        private final HttpRequest.BodyPublisher body;
        private volatile boolean handedOver;

        TrackedBody(HttpRequest.BodyPublisher body) {
            this.body = body;
        }

        boolean handedOver() {
            return handedOver;
        }

        @Override
        public long contentLength() {
            return body.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            // Marked as early as possible: wrongly taking a call for sent only books an estimate of its prompt.
            handedOver = true;
            body.subscribe(subscriber);
        }
    }

    /** Turns a non-2xx upstream answer into the provider's error. */
    @FunctionalInterface
    public interface ErrorMapper {
        ProviderException map(int status, java.net.http.HttpHeaders headers, byte[] body);
    }
}
