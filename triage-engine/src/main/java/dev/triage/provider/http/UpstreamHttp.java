package dev.triage.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.provider.Deadline;
import dev.triage.provider.ErrorKind;
import dev.triage.provider.ProviderException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The upstream HTTP client, used the way every provider needs it: JSON POSTs bounded by the request's
 * deadline, upstream errors turned into {@link ProviderException}s by the provider's
 * {@link ErrorMapper}, and streaming bodies handed over as an {@link InputStream}.
 *
 * <p>It is OkHttp, called blocking from the request's virtual thread: the call is written and read on
 * that thread, with no hand-off to a selector thread and back. Measured against the JDK HttpClient
 * (which Triage used before) in {@code bench/UpstreamClients.java}; the figures are in the README's
 * "Built with" table.
 */
public final class UpstreamHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Idle upstream connections kept per client; OkHttp's default of 5 would reconnect under any real load. */
    private static final int IDLE_CONNECTIONS = 256;
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final OkHttpClient client;

    private UpstreamHttp(OkHttpClient client) {
        this.client = client;
    }

    public static UpstreamHttp withDefaults() {
        return new UpstreamHttp(new OkHttpClient.Builder()
                .connectTimeout(CONNECT_TIMEOUT)
                .socketFactory(NoDelaySockets.INSTANCE)
                // The request's deadline ends the call (the Watchdog cancels it); no separate read or write limit.
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .followRedirects(false)
                .followSslRedirects(false)
                // A retried POST may be billed twice: the dispatcher decides about retries, not the client.
                .retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(IDLE_CONNECTIONS, 5, TimeUnit.MINUTES))
                .addNetworkInterceptor(UpstreamHttp::markSent)
                .build());
    }

    /** The factory of this client's plain sockets (for tests: Nagle's algorithm must be off). */
    javax.net.SocketFactory socketFactory() {
        return client.socketFactory();
    }

    /** POSTs {@code body} and returns the parsed JSON answer; non-2xx statuses go through {@code errors}. */
    public JsonNode postJson(URI uri, Map<String, String> headers, byte[] body, Deadline deadline, ErrorMapper errors) {
        return sendJson("POST", uri, headers, body, deadline, errors);
    }

    /** PATCHes {@code body} (a resource's changed fields) and returns the parsed JSON answer, as {@link #postJson} does. */
    public JsonNode patchJson(URI uri, Map<String, String> headers, byte[] body, Deadline deadline, ErrorMapper errors) {
        return sendJson("PATCH", uri, headers, body, deadline, errors);
    }

    private JsonNode sendJson(String method, URI uri, Map<String, String> headers, byte[] body, Deadline deadline,
                              ErrorMapper errors) {
        Sent sent = new Sent();
        Call call = call(method, uri, headers, body, deadline, sent);
        try (Watchdog.Watch watch = watchdog(call, deadline); Response response = call.execute()) {
            ResponseBody answer = response.body();
            if (!response.isSuccessful()) {
                throw errors.map(response.code(), headers(response), errorBody(response));
            }
            byte[] bytes = answer.bytes();
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new ProviderException(ErrorKind.PROTOCOL, response.code(), "upstream answered with invalid JSON");
            }
        } catch (IOException e) {
            throw mapIoFailure(e, call, sent.value, deadline);
        }
    }

    /** POSTs {@code body} and returns the open response stream of a 2xx answer; the caller closes it. */
    public InputStream postForStream(URI uri, Map<String, String> headers, byte[] body, Deadline deadline, ErrorMapper errors) {
        Sent sent = new Sent();
        Call call = call("POST", uri, headers, body, deadline, sent);
        Watchdog.Watch watch = watchdog(call, deadline);
        Response response;
        try {
            response = call.execute();
        } catch (IOException e) {
            watch.close();
            throw mapIoFailure(e, call, sent.value, deadline);
        }
        if (!response.isSuccessful()) {
            try (watch; response) {
                throw errors.map(response.code(), headers(response), errorBody(response));
            }
        }
        // The deadline goes on covering the stream until the reader closes it.
        return new FilterInputStream(response.body().byteStream()) {
            @Override
            public void close() throws IOException {
                watch.close();
                super.close();
            }
        };
    }

    /** Cancels the call once the deadline passes: connecting, sending and reading the answer, a stream included. */
    private static Watchdog.Watch watchdog(Call call, Deadline deadline) {
        return Watchdog.SHARED.until(System.nanoTime() + deadline.remaining().toNanos(), call::cancel);
    }

    private Call call(String method, URI uri, Map<String, String> headers, byte[] body, Deadline deadline, Sent sent) {
        Duration remaining = deadline.remaining();
        if (remaining.isZero()) {
            throw new ProviderException(ErrorKind.NOT_SENT, 0, "the request deadline passed before the upstream was called");
        }
        Request.Builder request = new Request.Builder().url(uri.toString())
                .header("content-type", "application/json")
                .method(method, RequestBody.create(body))
                .tag(Sent.class, sent);
        headers.forEach(request::header);
        return client.newCall(request.build());
    }

    /**
     * Marks the call as handed to the upstream. A network interceptor runs only once a connection is open,
     * just before the request is written: a call never marked cannot have reached the upstream, nor been billed.
     */
    private static Response markSent(Interceptor.Chain chain) throws IOException {
        Sent sent = chain.request().tag(Sent.class);
        if (sent != null) {
            sent.value = true;
        }
        return chain.proceed(chain.request());
    }

    /** Whether the call was handed to an open connection. */
    private static final class Sent {
        volatile boolean value;
    }

    /** At most {@value #MAX_ERROR_BODY} bytes of an error answer: enough for any provider's message, and an upstream cannot fill the heap. */
    private static byte[] errorBody(Response response) {
        try (InputStream in = response.body().byteStream()) {
            return in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static HttpHeaders headers(Response response) {
        return HttpHeaders.of(response.headers().toMultimap(), (name, value) -> true);
    }

    private static ProviderException deadlinePassed(boolean sent, Throwable cause) {
        return sent
                ? new ProviderException(ErrorKind.TIMEOUT, 0, "upstream did not answer before the request deadline", null, cause)
                : new ProviderException(ErrorKind.NOT_SENT, 0, "the request deadline passed before the call reached the upstream"
                        + " (still connecting)", null, cause);
    }

    private static ProviderException mapIoFailure(IOException cause, Call call, boolean sent, Deadline deadline) {
        // The watchdog cancels a call whose deadline passed (OkHttp then throws an IOException, "Canceled"); a
        // connect that takes longer than the connect timeout is a SocketTimeoutException before anything was sent.
        boolean timedOut = cause instanceof InterruptedIOException && !(cause instanceof SocketTimeoutException)
                || call.isCanceled() || deadline.expired();
        if (timedOut) {
            if (Thread.currentThread().isInterrupted()) {
                return new ProviderException(ErrorKind.CONNECTION, "interrupted while waiting for the upstream", cause);
            }
            return deadlinePassed(sent, cause);
        }
        if (cause instanceof SocketTimeoutException && !sent) {
            return new ProviderException(ErrorKind.CONNECTION, "could not connect to the upstream in time", cause);
        }
        if (cause instanceof ConnectException) {
            return new ProviderException(ErrorKind.CONNECTION, "could not connect to the upstream", cause);
        }
        return new ProviderException(ErrorKind.CONNECTION, "connection to the upstream failed: " + cause.getClass().getSimpleName(), cause);
    }

    /** Turns a non-2xx upstream answer into the provider's error. */
    @FunctionalInterface
    public interface ErrorMapper {
        ProviderException map(int status, HttpHeaders headers, byte[] body);
    }
}
