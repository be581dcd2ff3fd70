package dev.triage.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.budget.BudgetAlert;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends budget alerts to a webhook as JSON, off the request path: one sender thread, at most
 * {@value #QUEUED} alerts waiting, three tries each (1 s, then 2 s apart). The URL is never logged.
 *
 * <pre>{"type":"budget_alert","budget":"tiered/high","kind":"tier","period":"2026-12-05","threshold_pct":80,
 *  "committed_usd":"0.41","limit_usd":"0.5","at":"2026-12-05T14:03:11Z","text":"..."}</pre>
 */
public final class WebhookSink implements Consumer<BudgetAlert>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSink.class);
    static final int QUEUED = 1000;
    private static final int TRIES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUED), r -> {
        Thread t = new Thread(r, "triage-alert-webhook");
        t.setDaemon(true);
        return t;
    }, (r, pool) -> LOG.warn("budget alert dropped: {} alerts already waiting for the webhook", QUEUED));

    public WebhookSink(String url) {
        this.url = URI.create(url);
    }

    @Override
    public void accept(BudgetAlert alert) {
        LOG.info("budget {} crossed {}% (${} of ${} committed for {})", alert.budget(), alert.threshold(),
                alert.committed().toUsdString(), alert.limit().toUsdString(), alert.period());
        sender.execute(() -> send(alert));
    }

    /** The alert as the webhook receives it. */
    static String body(BudgetAlert a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "budget_alert");
        n.put("budget", a.budget());
        n.put("kind", a.kind());
        n.put("period", a.period().toString());
        n.put("threshold_pct", a.threshold());
        n.put("committed_usd", a.committed().toUsdString());
        n.put("limit_usd", a.limit().toUsdString());
        n.put("at", a.at().toString());
        n.put("text", "Triage: budget " + a.budget() + " has committed $" + a.committed().toUsdString() + " of $"
                + a.limit().toUsdString() + " (" + a.threshold() + "% crossed) for the period starting " + a.period());
        return n.toString();
    }

    private void send(BudgetAlert alert) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(alert))).build();
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    return;
                }
                LOG.warn("budget alert webhook answered {} (try {} of {})", status, attempt, TRIES);
            } catch (IOException e) {
                LOG.warn("budget alert webhook unreachable: {} (try {} of {})", e.getClass().getSimpleName(), attempt, TRIES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(1000L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.error("budget alert for {} ({}%) not delivered after {} tries", alert.budget(), alert.threshold(), TRIES);
    }

    /** Sends what is queued (waiting up to five seconds), then stops. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
