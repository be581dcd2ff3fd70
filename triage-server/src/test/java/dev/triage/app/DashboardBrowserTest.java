package dev.triage.app;

import static dev.triage.app.HeadlessChromium.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.triage.chat.Money;
import dev.triage.config.ConfigLoader;
import dev.triage.keys.KeyPeriod;
import dev.triage.keys.KeyStore;
import dev.triage.keys.NewKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The cost dashboard at {@code /} in real headless Chromium, against a gateway whose ledger holds a
 * month of known traffic: every figure the page shows is the one {@code GET /api/report} gives for
 * the same period (every amount rounded by the page's rule, its exact value in its tooltip), and every line of the
 * Requests table the one {@code GET /api/requests} gives. Also: the key prompt when {@code server.api_keys} is set,
 * refreshing by itself, the empty state, API errors and prompts shown only with {@code storage.capture_text}.
 */
class DashboardBrowserTest {

    private static final String KEY = "dash-key-0123456789abcdef";
    private static final ObjectMapper EXACT = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Path TARGET = Path.of("target");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static HeadlessChromium chromium;
    private static Gateway gateway;
    private static Gateway empty;
    private static DashboardTraffic traffic;
    private static Instant now;

    /** A gateway on simulated providers with the built-in catalog, the design's routes and small budgets. */
    record Gateway(TriageApp app, Path dir) implements AutoCloseable {

        static Gateway start(String apiKeys, Instant now) {
            return start(apiKeys, now, false);
        }

        /** @param captureText whether {@code storage.capture_text} is on */
        static Gateway start(String apiKeys, Instant now, boolean captureText) {
            try {
                Path dir = Files.createTempDirectory("triage-dash");
                String storage = GatewayYaml.sqliteStorage(dir);
                String yaml = GatewayYaml.server(apiKeys == null ? "" : ", api_keys: [" + apiKeys + "]")
                        + (captureText ? storage.replace("}\n", ", capture_text: true}\n") : storage) + """
                        providers:
                          openai:    {kind: simulated, output_tokens: 400}
                          anthropic: {kind: simulated, output_tokens: 400}
                          google:    {kind: simulated, output_tokens: 400}
                        cache:
                          exact: {enabled: true}
                        routes:
                          task:
                            policy: task
                            task_types:
                              classification:  {model: gemini-2.0-flash, fallback: claude-3.5-sonnet}
                              summarization:   {model: claude-3.5-sonnet, fallback: gpt-4.1}
                              code_generation: {model: claude-3.7-sonnet, fallback: gpt-4.5}
                              reasoning:       {model: gpt-4.5, fallback: claude-3.7-sonnet}
                            default: summarization
                          tiered:
                            policy: tiered
                            time_zone: UTC
                            tiers:
                              high:   {models: [claude-3.7-sonnet], daily_budget_usd: 0.05}
                              medium: {models: [gpt-4.1],           daily_budget_usd: 0.02}
                              low:    {models: [gpt-4.1-mini],      daily_budget_usd: 0.004}
                          cascade:
                            policy: cascade
                            scorer: heuristic
                            stages:
                              - {model: gemini-2.0-flash,  accept_confidence: 0.9}
                              - {model: claude-3.5-sonnet, accept_confidence: 0.7}
                              - {model: gpt-4.5}
                        """;
                return new Gateway(TriageApp.start(ConfigLoader.parse(yaml, "dashboard-test.yaml", Map.of()),
                        new MutableClock(now), null), dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String url(String path) {
            return "http://127.0.0.1:" + app.port() + path;
        }

        HttpResponse<String> send(String method, String path, String body, boolean withKey, String... headers) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
                    .header("content-type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (withKey) {
                b.header("Authorization", "Bearer " + KEY);
            }
            if (headers.length > 0) {
                b.headers(headers);
            }
            try {
                return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        JsonNode report(String pathAndQuery) {
            HttpResponse<String> r = send("GET", pathAndQuery, null, true);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            try {
                return EXACT.readTree(r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            app.close();
        }
    }

    @BeforeAll
    static void start() {
        // The gateways' clock stands still (recommendations scale savings by the time the data covers, so a
        // moving clock would change them between the page's fetch and the test's); the browser's is real.
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // Chromium and the gateway without keys or traffic start while the main gateway does: each takes seconds.
        CompletableFuture<HeadlessChromium> browser = CompletableFuture.supplyAsync(HeadlessChromium::new);
        CompletableFuture<Gateway> bare = CompletableFuture.supplyAsync(() -> Gateway.start(null, now));
        gateway = Gateway.start(KEY, now);
        traffic = new DashboardTraffic(gateway.app().catalog()).days(now, 30, 18);
        traffic.rows.forEach(gateway.app().ledger()::record);
        gateway.app().ledger().flush();
        for (DashboardTraffic.Feedback f : traffic.feedback) {
            HttpResponse<String> r = gateway.send("POST", "/v1/feedback",
                    "{\"request_id\":\"" + f.requestId() + "\",\"score\":" + f.score() + "}", true);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        // Real requests through the tiered route, so today's budgets (the router's own) have spend: simple
        // questions start in the low tier, reasoning in the medium one.
        tiered("low", "Say hello");
        tiered("low", "Name three colours");
        tiered("medium", "Why is the sky blue?", "x-triage-task", "reasoning");
        tiered("medium", "Is 1009 a prime number?", "x-triage-task", "reasoning");
        // Requests with two virtual keys (one of team core, with a budget) for the key, team and budget sections.
        KeyStore keys = gateway.app().ledger().keys();
        String ops = keys.create(new NewKey("ops", "core", Money.ofUsd("1"), KeyPeriod.MONTH, Set.of(), Set.of(), null, null, null), now).secret();
        String lab = keys.create(new NewKey("lab", null, null, KeyPeriod.DAY, Set.of(), Set.of(), null, null, null), now).secret();
        keyed(ops, "Summarise the plot of Hamlet");
        keyed(ops, "Translate 'good morning' to French");
        keyed(lab, "List three prime numbers");
        // The same question again is answered by the response cache: hits for the response cache card.
        keyed(ops, "Summarise the plot of Hamlet");
        keyed(ops, "Summarise the plot of Hamlet");
        keyed(lab, "Summarise the plot of Hamlet"); // another tenant: a miss
        empty = bare.join();
        chromium = browser.join();
    }

    private static void tiered(String tier, String prompt, String... headers) {
        HttpResponse<String> r = gateway.send("POST", "/v1/chat/completions",
                "{\"model\":\"tiered\",\"user\":\"alice\",\"max_tokens\":256,\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}",
                true, headers);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-triage-tier")).hasValue(tier);
    }

    private static void keyed(String secret, String prompt) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions"))).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json").header("Authorization", "Bearer " + secret)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4.1-mini\",\"max_tokens\":128,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}")).build();
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            for (Gateway g : new Gateway[] {gateway, empty}) {
                if (g != null) {
                    g.close();
                }
            }
        }
    }

    @BeforeEach
    void freshTab() {
        chromium.viewport(HeadlessChromium.WIDTH, HeadlessChromium.HEIGHT);
        chromium.driver.get(gateway.url("/dashboard/icon.svg"));
        chromium.driver.executeScript("sessionStorage.clear()");
        chromium.scriptErrors();
    }

    @Test
    void everyFigureShownIsTheReportApisForThisMonthAndForThirtyDays() {
        LocalDate before = LocalDate.now(ZoneOffset.UTC);
        open("/", KEY);
        String path = waitForReport(null);
        LocalDate after = LocalDate.now(ZoneOffset.UTC);
        assertThat(path).isIn(monthQuery(before), monthQuery(after));
        assertThat(pressedPeriod()).isEqualTo("This month");
        assertShows(gateway.report(path));

        click("[data-period='30d']");
        String days30 = waitForReport(path);
        assertThat(days30).isIn(lastDaysQuery(before, 30), lastDaysQuery(LocalDate.now(ZoneOffset.UTC), 30));
        JsonNode report = gateway.report(days30);
        // The data behind the comparison is not trivial: it has what every part of the page shows.
        assertThat(report.at("/by_model").size()).isEqualTo(6);
        assertThat(report.at("/requests").asLong()).isGreaterThan(500);
        assertThat(report.at("/budgets/1/spent_usd").decimalValue()).isPositive();
        assertThat(report.at("/routing_efficiency/efficiency").isNull()).isFalse();
        assertThat(report.at("/quality/overall/count").asLong()).isGreaterThan(100);
        assertThat(report.at("/recommendations").findValues("est_monthly_savings_usd").stream().filter(v -> !v.isNull()).count())
                .isGreaterThanOrEqualTo(1);
        // Prompt caching saved money overall, one model's cache writes cost more than they saved, and the cache
        // recommendation estimates what a model that never hits the cache would save.
        assertThat(report.at("/prompt_cache/saved_usd").decimalValue()).isPositive();
        assertThat(report.at("/prompt_cache/cached_input_tokens").asLong()).isPositive();
        assertThat(report.at("/prompt_cache/by_model").findValues("saved_usd")).anySatisfy(v -> assertThat(v.decimalValue()).isNegative());
        assertThat(report.at("/prompt_cache/by_route").size()).isGreaterThanOrEqualTo(3);
        // Two of the repeated questions were answered by the response cache; the other tenant's was not.
        assertThat(report.at("/cache/hits").asLong()).isEqualTo(2);
        assertThat(report.at("/cache/misses").asLong()).isGreaterThanOrEqualTo(5);
        assertThat(report.at("/cache/saved_usd").decimalValue()).isPositive();
        assertThat(report.get("recommendations")).anySatisfy(rec -> {
            assertThat(rec.get("text").asText()).startsWith("Provider prompt caching saved ");
            assertThat(rec.get("est_monthly_savings_usd").decimalValue()).isPositive();
        });
        // Latency: every model timed, streamed answers with a time to first token, failed calls on the task route.
        JsonNode latency = report.get("latency");
        assertThat(latency.get("by_model").size()).isEqualTo(6);
        assertThat(latency.get("by_model")).allSatisfy(m -> {
            assertThat(m.get("p95_ms").asLong()).isGreaterThanOrEqualTo(m.get("p50_ms").asLong()).isGreaterThanOrEqualTo(300);
            assertThat(m.get("ttft_p50_ms").isNull()).isFalse();
        });
        assertThat(latency.get("by_route")).anySatisfy(l -> {
            assertThat(l.get("name").asText()).isEqualTo("task");
            assertThat(l.get("error_rate_pct").decimalValue()).isPositive();
        });
        assertThat(latency.get("daily").size()).isEqualTo(30);
        // The task route's summaries are a context experiment: both arms, each with requests and feedback.
        JsonNode arms = report.at("/context_experiment/arms");
        assertThat(arms.findValuesAsText("arm")).containsExactly("compact", "full");
        assertThat(arms).allSatisfy(a -> {
            assertThat(a.get("requests").asLong()).isGreaterThan(10);
            assertThat(a.at("/quality/count").asLong()).isPositive();
        });
        assertShows(report);
        assertThat(pressedPeriod()).isEqualTo("30 days");
        assertThat(chromium.driver.getCurrentUrl()).endsWith("/?period=30d");

        // Hovering a day shows its total and its spend per model.
        JsonNode lastDay = report.get("daily").get(report.get("daily").size() - 1);
        WebElement day = all("#daily [data-day]").getLast();
        new Actions(chromium.driver).moveToElement(day.findElement(By.cssSelector("rect:last-of-type"))).perform();
        until(WAIT, "the day's tooltip", () -> chromium.driver.findElement(By.id("tooltip")).isDisplayed());
        assertThat(text("tooltip")).startsWith(lastDay.get("day").asText() + " · " + usd(raw(lastDay.get("cost_usd")))
                + " · " + count(lastDay.get("requests")) + " requests");
        chromium.screenshot(TARGET.resolve("dashboard-tooltip.png"));
        new Actions(chromium.driver).moveToElement(chromium.driver.findElement(By.cssSelector(".brand"))).perform();

        chromium.screenshot(TARGET.resolve("dashboard.png"));
        chromium.fullPageScreenshot(TARGET.resolve("dashboard-full.png"), HeadlessChromium.WIDTH);
        assertThat(chromium.scriptErrors()).isEmpty();
    }

    @Test
    void theRequestTableShowsTheApisLinesPageByPageAndFiltered() {
        open("/?period=30d", KEY);
        waitForReport(null);
        String first = waitForRequests(null);
        assertThat(first).contains("limit=25").doesNotContain("page=");
        JsonNode page1 = gateway.report(first);
        assertThat(page1.get("data")).hasSize(25);
        assertThat(page1.get("has_more").asBoolean()).isTrue();
        assertThat(page1.get("capture_text").asBoolean()).isFalse();
        assertRequestRows(page1);
        assertThat(text("rq-page")).isEqualTo("page 1");
        assertThat(chromium.driver.findElement(By.id("rq-newer")).isEnabled()).isFalse();

        click("#rq-older");
        String second = waitForRequests(first);
        assertThat(second).contains("page=");
        JsonNode page2 = gateway.report(second);
        assertRequestRows(page2);
        assertThat(text("rq-page")).isEqualTo("page 2");
        // the second page goes on where the first ended: older, and no line twice
        assertThat(page2.at("/data/0/time").asText()).isLessThanOrEqualTo(page1.at("/data/24/time").asText());
        assertThat(page2.get("data").findValuesAsText("request_id")).doesNotContainAnyElementsOf(page1.get("data").findValuesAsText("request_id"));
        click("#rq-newer");
        assertThat(waitForRequests(second)).isEqualTo(first);

        click("#rq-model option[value='gpt-4.5']");
        String byModel = waitForRequests(first);
        assertThat(byModel).contains("model=gpt-4.5");
        JsonNode gpt = gateway.report(byModel);
        assertThat(gpt.get("data")).isNotEmpty().allSatisfy(q -> assertThat(q.get("models").toString()).contains("\"gpt-4.5\""));
        assertRequestRows(gpt);

        click("#rq-status option[value='error']");
        String failed = waitForRequests(byModel);
        assertThat(failed).contains("model=gpt-4.5").contains("status=error");
        assertThat(gateway.report(failed).get("data")).isEmpty(); // every failure of the month was saved by a fallback
        assertThat(text("requests")).isEqualTo("No request matches in this period.");
        // no prompt text without storage.capture_text
        assertThat(all("#requests th").stream().map(WebElement::getText)).doesNotContain("Prompt");
        assertThat(chromium.scriptErrors()).isEmpty();
    }

    /** The table's lines are the API's, in its order, written as the page writes them. */
    @SuppressWarnings("unchecked")
    private void assertRequestRows(JsonNode page) {
        List<Map<String, Object>> shown = (List<Map<String, Object>>) chromium.driver.executeScript("""
                const field = (tr, name) => tr.querySelector("[data-field='" + name + "']");
                return Array.from(document.querySelectorAll('#requests [data-request]')).map((tr) => ({
                  id: tr.dataset.request, time: field(tr, 'time').innerText.trim(), key: field(tr, 'key').innerText.trim(),
                  route: field(tr, 'route').innerText.trim(), model: field(tr, 'model').innerText.trim(),
                  attempts: field(tr, 'attempts').innerText.trim(), input: field(tr, 'input').innerText.trim(),
                  output: field(tr, 'output').innerText.trim(), cost: field(tr, 'cost').innerText.trim(),
                  exact: field(tr, 'cost').dataset.usd, latency: field(tr, 'latency').innerText.trim(),
                  status: field(tr, 'status').innerText.trim()}));
                """);
        assertThat(shown).isEqualTo(rows(page.get("data"), q -> {
            Map<String, Object> line = new LinkedHashMap<>();
            String time = q.get("time").asText();
            line.put("id", q.get("request_id").asText());
            line.put("time", time.substring(0, 10) + " " + time.substring(11, 19));
            line.put("key", q.get("key").isNull() ? "—" : q.get("key").asText());
            line.put("route", q.get("route").asText());
            line.put("model", q.get("model").asText());
            line.put("attempts", count(q.get("attempts")));
            line.put("input", count(q.get("input_tokens")));
            line.put("output", count(q.get("output_tokens")));
            line.put("cost", usd(raw(q.get("cost_usd"))));
            line.put("exact", raw(q.get("cost_usd")));
            line.put("latency", ms(q.get("latency_ms")));
            line.put("status", q.get("status").asText());
            return line;
        }));
    }

    /** Waits until the request table shows a page fetched from another path than {@code previous}; returns its path. */
    private String waitForRequests(String previous) {
        return until(WAIT, "a request page other than " + previous, () -> {
            String path = chromium.driver.findElement(By.id("requests")).getAttribute("data-path");
            return path != null && !path.equals(previous) ? path : null;
        });
    }

    @Test
    void withCaptureTextTheRequestTableShowsEachPrompt() {
        try (Gateway capturing = Gateway.start(null, now, true)) {
            for (String prompt : List.of("Summarise the plot of Hamlet", "List three prime numbers")) {
                HttpResponse<String> r = capturing.send("POST", "/v1/chat/completions", "{\"model\":\"gpt-4.1-mini\",\"max_tokens\":64,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}", false);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            chromium.driver.get(capturing.url("/?period=7d"));
            waitForReport(null);
            JsonNode log = capturing.report(waitForRequests(null));
            assertThat(log.get("capture_text").asBoolean()).isTrue();
            assertThat(log.get("data").findValuesAsText("prompt")).hasSize(2).allSatisfy(p -> assertThat(p).isNotBlank());
            assertThat(all("#requests th").stream().map(WebElement::getText)).contains("Prompt");
            List<String> shown = all("#requests [data-field='prompt']").stream().map(WebElement::getText).toList();
            List<String> titles = all("#requests [data-field='prompt']").stream().map(e -> e.getAttribute("title")).toList();
            assertThat(shown).containsExactlyElementsOf(log.get("data").findValuesAsText("prompt"));
            assertThat(titles).containsExactlyElementsOf(log.get("data").findValuesAsText("prompt"));
            // The gateway's clock stands still, so both start in the same instant and their order is the API's tie-break.
            assertThat(String.join("\n", shown)).contains("Summarise the plot of Hamlet").contains("List three prime numbers");
            assertThat(chromium.scriptErrors()).isEmpty();
        }
    }

    @Test
    void spendOfOneVirtualKeyOrTeamIsChosenInTheFilterAndMatchesTheApi() {
        open("/?period=30d", KEY);
        String path = waitForReport(null);
        String log = waitForRequests(null);
        JsonNode all = gateway.report(path);
        assertThat(all.get("by_key").size()).isEqualTo(3); // ops, lab and the requests without a virtual key
        assertThat(all.at("/key_budgets/0/spent_usd").decimalValue()).isPositive();
        assertShows(all);
        List<String> choices = all("#scope option").stream().map(o -> o.getAttribute("value")).toList();
        assertThat(choices).containsExactly("", "key:lab", "key:ops", "team:core");

        click("#scope option[value='key:ops']");
        String ops = waitForReport(path);
        assertThat(ops).endsWith("&key=ops");
        JsonNode scoped = gateway.report(ops);
        assertThat(scoped.at("/scope/key").asText()).isEqualTo("ops");
        assertThat(scoped.get("requests").asLong()).isEqualTo(2);
        // ops's requests are in no context arm: the card goes with the filter.
        assertThat(scoped.at("/context_experiment/arms")).isEmpty();
        assertShows(scoped);
        assertThat(chromium.driver.getCurrentUrl()).endsWith("/?period=30d&key=ops");

        String opsLog = waitForRequests(log);
        assertThat(opsLog).contains("key=ops");

        click("#scope option[value='team:core']");
        String core = waitForReport(ops);
        assertThat(core).endsWith("&team=core");
        assertShows(gateway.report(core));
        // the request log goes with the filter: the team's keys' requests (core is ops alone)
        String coreLog = waitForRequests(opsLog);
        assertThat(coreLog).contains("team=core").doesNotContain("key=");
        JsonNode coreRequests = gateway.report(coreLog);
        assertThat(coreRequests.get("data")).hasSize(2).allSatisfy(q -> assertThat(q.get("key").asText()).isEqualTo("ops"));
        assertRequestRows(coreRequests);
        chromium.fullPageScreenshot(TARGET.resolve("dashboard-team.png"), HeadlessChromium.WIDTH);
        assertThat(chromium.scriptErrors()).isEmpty();
    }

    @Test
    void itRefreshesByItselfAndShowsWhen() {
        open("/?period=7d&refresh=1", KEY);
        String path = waitForReport(null);
        String total = chromium.driver.findElement(By.id("kpi-total")).getAttribute("data-usd");
        String stamp = chromium.driver.findElement(By.id("updated")).getAttribute("data-updated-at");
        assertThat(text("updated")).matches("Updated \\S+.* · every 1 s");

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(traffic.request(now.minusSeconds(30)));
        }
        traffic.rows.stream().filter(e -> ids.contains(e.requestId())).forEach(gateway.app().ledger()::record);
        gateway.app().ledger().flush();
        JsonNode after = gateway.report(path);
        String expected = raw(after.get("total_cost_usd"));
        assertThat(expected).isNotEqualTo(total);

        // the exact total (the shown one is rounded to cents and may not move)
        until(WAIT, "the total to become " + expected,
                () -> expected.equals(chromium.driver.findElement(By.id("kpi-total")).getAttribute("data-usd")));
        assertThat(text("kpi-total")).isEqualTo(usd(expected));
        assertThat(text("kpi-requests")).isEqualTo(count(after.get("requests")));
        assertThat(chromium.driver.findElement(By.id("updated")).getAttribute("data-updated-at")).isNotEqualTo(stamp);
        assertThat(chromium.scriptErrors()).isEmpty();
    }

    @Test
    void withApiKeysThePageAsksForOneAndSaysWhenItIsRefused() {
        assertThat(gateway.send("GET", "/", null, false).statusCode()).isEqualTo(200);
        assertThat(gateway.send("GET", "/", null, false).body()).doesNotContain(KEY);
        open("/", null);
        WebElement panel = chromium.driver.findElement(By.id("key-panel"));
        until(WAIT, "the key panel", panel::isDisplayed);
        assertThat(text("key-message")).contains("server.api_keys");
        assertThat(chromium.driver.findElement(By.id("content")).isDisplayed()).isFalse();

        chromium.driver.findElement(By.id("key-input")).sendKeys("not-the-key");
        click("#key-submit");
        until(WAIT, "the refused-key message", () -> text("key-message").startsWith("The gateway refused this key"));
        assertThat(text("key-message")).isEqualTo("The gateway refused this key: Invalid API key for this gateway (unknown, revoked or expired)");
        assertThat(chromium.driver.executeScript("return sessionStorage.getItem('triage.apiKey')")).isNull();

        chromium.driver.findElement(By.id("key-input")).sendKeys(KEY);
        click("#key-submit");
        String path = waitForReport(null);
        assertThat(text("kpi-total")).isEqualTo(usd(raw(gateway.report(path).get("total_cost_usd"))));
        assertThat(chromium.driver.findElement(By.id("forget-key")).isDisplayed()).isTrue();

        click("#forget-key");
        until(WAIT, "the key panel", panel::isDisplayed);
        assertThat(chromium.driver.executeScript("return sessionStorage.getItem('triage.apiKey')")).isNull();
    }

    @Test
    void anEmptyLedgerShowsAFriendlyEmptyState() {
        chromium.driver.get(empty.url("/"));
        String path = waitForReport(null);
        JsonNode report = empty.report(path);
        assertThat(report.at("/requests").asLong()).isZero();
        assertThat(chromium.driver.findElement(By.id("empty")).isDisplayed()).isTrue();
        assertThat(text("empty")).startsWith("No requests in this period yet.");
        assertThat(text("kpi-total")).isEqualTo("$0");
        assertThat(text("kpi-requests")).isEqualTo("0");
        assertThat(text("kpi-avg")).isEqualTo("—");
        assertThat(text("models")).isEqualTo("No model has been called in this period.");
        assertThat(text("daily")).isEqualTo("No spend in this period.");
        assertThat(chromium.driver.findElements(By.cssSelector("#daily [data-day]"))).hasSize(report.at("/daily").size());
        assertThat(text("quality")).startsWith("No feedback in this period.");
        assertThat(text("kpi-cache")).isEqualTo("$0");
        assertThat(text("kpi-cache-sub")).isEqualTo("no input tokens yet");
        assertThat(text("prompt-cache")).isEqualTo("No input tokens in this period.");
        assertThat(text("response-cache")).startsWith("No request looked the response cache up in this period");
        assertThat(text("latency")).isEqualTo("No upstream call in this period.");
        assertThat(chromium.driver.findElements(By.cssSelector("[data-latency-day]"))).hasSize(report.at("/latency/daily").size());
        assertThat(chromium.driver.findElement(By.id("context-card")).isDisplayed()).isFalse();
        assertThat(chromium.driver.findElements(By.cssSelector("[data-budget]"))).hasSize(3);
        assertThat(chromium.driver.findElement(By.id("banner")).isDisplayed()).isFalse();
        assertThat(chromium.scriptErrors()).isEmpty();
        chromium.screenshot(TARGET.resolve("dashboard-empty.png"));
    }

    @Test
    void theRoundingRuleReadsAmountsAsTheReadmeSays() {
        // the test's own statement of the rule that every amount on the page is held to (assertShows)
        assertThat(usd("0.0000329123")).isEqualTo("$0.0000329");
        assertThat(usd("0.034838738517")).isEqualTo("$0.0348");
        assertThat(usd("0.00055")).isEqualTo("$0.00055");
        assertThat(usd("0.09996")).isEqualTo("$0.10");
        assertThat(usd("0.000042333333")).isEqualTo("$0.0000423");
        assertThat(usd("0.0000325")).isEqualTo("$0.0000325");
        assertThat(usd("0.00003245")).isEqualTo("$0.0000324"); // half-even
        assertThat(usd("19.2658224")).isEqualTo("$19.27");
        assertThat(usd("1734.2")).isEqualTo("$1,734.20");
        assertThat(usd("5")).isEqualTo("$5.00");
        assertThat(usd("-0.00558")).isEqualTo("-$0.00558");
        assertThat(usd("0")).isEqualTo("$0");
        assertThat(exact("1734.123456789")).isEqualTo("$1,734.123456789");
    }

    @Test
    void anErrorFromTheApiIsShownAsItsMessage() {
        open("/?from=last-tuesday&to=2026-03-02", KEY);
        WebElement banner = chromium.driver.findElement(By.id("banner"));
        until(WAIT, "the error banner", banner::isDisplayed);
        assertThat(banner.getText()).startsWith("The report failed (HTTP 400): from: expected an ISO date");
    }

    // ------------------------------------------------------------------ what the page must show

    /** Everything the page shows that the test compares, read in one pass over the rendered page. */
    private static final String SNAPSHOT = """
            const q = (sel, root) => Array.from((root || document).querySelectorAll(sel));
            // an element's text, then the exact amounts (tooltips) of the amounts in it: "$0.0348 [$0.034838738517]"
            const text = (el) => {
              if (!el) return null;
              const amounts = el.matches('.usd') ? [el] : q('.usd', el);
              const t = el.innerText.trim();
              return amounts.length ? t + ' [' + amounts.map((a) => a.title).join(' ') + ']' : t;
            };
            const field = (el, name) => text(el.querySelector("[data-field='" + name + "']"));
            const row = (name, el, names) => Object.assign({name}, Object.fromEntries(names.map((n) => [n, field(el, n)])));
            const byId = (id) => text(document.getElementById(id));
            return {
              total: byId('kpi-total'), requests: byId('kpi-requests'), avg: byId('kpi-avg'),
              quality: byId('kpi-quality'), efficiency: byId('kpi-efficiency'),
              cacheSaved: byId('kpi-cache'), cacheSub: byId('kpi-cache-sub'),
              cacheModels: q('[data-cache-model]').map((r) => row(r.dataset.cacheModel, r, ['input', 'cached', 'written', 'hit', 'saved'])),
              cacheRoutes: q('[data-cache-route]').map((r) => row(r.dataset.cacheRoute, r, ['input', 'cached', 'written', 'hit', 'saved'])),
              models: q('#models [data-model]').map((r) => row(r.dataset.model, r, ['cost', 'share', 'requests'])),
              days: q('#daily [data-day]').map((g) => ({name: g.dataset.day, cost: g.dataset.usd,
                  models: Object.fromEntries(q('[data-model]', g).map((s) => [s.dataset.model, s.dataset.usd]))})),
              budgets: q('[data-budget]').map((r) => row(r.dataset.budget, r, ['spent', 'limit', 'used'])),
              efficiencyRoutes: q('[data-eff-route]').map((r) => row(r.dataset.effRoute, r, ['paid', 'strong', 'efficiency'])),
              recommendations: q('[data-rec]').map((r) => row(r.dataset.kind, r, ['text', 'savings'])),
              routes: q('#routes [data-route]').map((r) => row(r.dataset.route, r, ['requests', 'cost', 'share'])),
              users: q('#users [data-user]').map((r) => row(r.dataset.user, r, ['requests', 'cost', 'share'])),
              keys: q('#keys [data-key]').map((r) => row(r.dataset.key, r, ['requests', 'tokens', 'cost', 'share'])),
              keyBudgets: q('[data-key-budget]').map((r) => row(r.dataset.keyBudget, r, ['spent', 'limit', 'used'])),
              teams: q('#teams [data-team]').map((r) => row(r.dataset.team, r, ['requests', 'cost', 'share'])),
              answersSummary: byId('response-cache-summary'),
              answersRoutes: q('[data-answers-route]').map((r) => row(r.dataset.answersRoute, r, ['hits', 'misses', 'hit', 'saved'])),
              answersModels: q('[data-answers-model]').map((r) => row(r.dataset.answersModel, r, ['hits', 'misses', 'hit', 'saved'])),
              latencyModels: q('[data-latency-model]').map((r) => row(r.dataset.latencyModel, r, ['requests', 'attempts', 'p50', 'p95', 'ttft50', 'ttft95', 'errors', 'error-rate'])),
              latencyRoutes: q('[data-latency-route]').map((r) => row(r.dataset.latencyRoute, r, ['requests', 'attempts', 'p50', 'p95', 'ttft50', 'ttft95', 'errors', 'error-rate'])),
              latencyDays: q('[data-latency-day]').map((g) => ({name: g.dataset.latencyDay, p50: g.dataset.p50 || null, p95: g.dataset.p95 || null,
                  attempts: g.dataset.attempts, errors: g.dataset.errors, rate: g.dataset.pct || null})),
              latencyWorst: byId('latency-worst'),
              contextShown: !document.getElementById('context-card').hidden,
              amounts: q('.usd').map((a) => ({text: a.innerText.trim(), title: a.title, raw: a.dataset.usd})),
              contextArms: q('[data-context-arm]').map((r) => row(r.dataset.contextArm, r, ['requests', 'cost', 'avg', 'quality', 'count'])),
            };
            """;

    @SuppressWarnings("unchecked")
    private void assertShows(JsonNode r) {
        Map<String, Object> page = (Map<String, Object>) chromium.driver.executeScript(SNAPSHOT);
        // Every amount on the page is rounded for reading by the rule, with the API's exact amount as its tooltip.
        List<Map<String, String>> amounts = (List<Map<String, String>>) page.get("amounts");
        assertThat(amounts).hasSizeGreaterThan(20).allSatisfy(a -> {
            assertThat(a.get("text")).as(a.get("raw")).isEqualTo(usd(a.get("raw")));
            assertThat(a.get("title")).as(a.get("raw")).isEqualTo(exact(a.get("raw")));
        });
        assertThat(amounts).anySatisfy(a -> assertThat(a.get("text")).isNotEqualTo(a.get("title")));
        assertThat(page.get("total")).isEqualTo(money(raw(r.get("total_cost_usd"))));
        assertThat(page.get("requests")).isEqualTo(count(r.get("requests")));
        assertThat(page.get("avg")).isEqualTo(money(raw(r.get("avg_cost_per_request_usd"))));
        assertThat(page.get("quality")).isEqualTo(Objects.requireNonNullElse(raw(r.at("/quality/overall/mean")), "—"));
        assertThat(page.get("efficiency")).isEqualTo(r.at("/routing_efficiency/efficiency").isNull() ? "—"
                : raw(r.at("/routing_efficiency/efficiency")) + " " + r.at("/routing_efficiency/rating").asText());
        JsonNode cache = r.get("prompt_cache");
        assertThat(page.get("cacheSaved")).isEqualTo(money(raw(cache.get("saved_usd"))));
        assertThat(page.get("cacheSub")).isEqualTo(cache.get("hit_rate_pct").isNull() ? "no input tokens yet"
                : "hit rate " + raw(cache.get("hit_rate_pct")) + "% · " + count(cache.get("cached_input_tokens")) + " of "
                + count(cache.get("input_tokens")) + " input tokens");
        assertThat(raw(cache.get("hit_rate_pct"))).isEqualTo(raw(r.get("provider_cached_input_pct")));
        Function<JsonNode, Map<String, ?>> cacheLine = l -> Map.of("name", l.get("name").asText(),
                "input", count(l.get("input_tokens")), "cached", count(l.get("cached_input_tokens")),
                "written", count(l.get("cache_write_tokens")), "hit", raw(l.get("hit_rate_pct")) + "%", "saved", money(raw(l.get("saved_usd"))));
        assertThat(page.get("cacheModels")).isEqualTo(rows(cache.get("by_model"), cacheLine));
        assertThat(page.get("cacheRoutes")).isEqualTo(rows(cache.get("by_route"), cacheLine));
        JsonNode answers = r.get("cache");
        assertThat(page.get("answersSummary")).isEqualTo(answers.get("hits").asLong() + answers.get("misses").asLong() == 0 ? null
                : count(answers.get("hits")) + " hits (" + count(answers.get("semantic_hits")) + " by meaning) · "
                + count(answers.get("misses")) + " misses · hit rate " + Objects.requireNonNullElse(raw(answers.get("hit_rate_pct")), "—")
                + "% · saved " + money(raw(answers.get("saved_usd"))));
        Function<JsonNode, Map<String, ?>> answerLine = l -> Map.of("name", l.get("name").asText(), "hits", count(l.get("hits")),
                "misses", count(l.get("misses")), "hit", raw(l.get("hit_rate_pct")) + "%", "saved", money(raw(l.get("saved_usd"))));
        assertThat(page.get("answersRoutes")).isEqualTo(rows(answers.get("by_route"), answerLine));
        assertThat(page.get("answersModels")).isEqualTo(rows(answers.get("by_model"), answerLine));
        assertThat(page.get("models")).isEqualTo(rows(r.get("by_model"), m -> Map.of("name", m.get("name").asText(),
                "cost", money(raw(m.get("cost_usd"))), "share", raw(m.get("share_pct")) + "%", "requests", count(m.get("requests")))));
        assertThat(page.get("days")).isEqualTo(rows(r.get("daily"), d -> {
            Map<String, String> models = new LinkedHashMap<>();
            d.get("by_model").properties().forEach(e -> models.put(e.getKey(), raw(e.getValue())));
            return Map.of("name", d.get("day").asText(), "cost", raw(d.get("cost_usd")), "models", models);
        }));
        assertThat(page.get("budgets")).isEqualTo(rows(r.get("budgets"), b -> Map.of(
                "name", b.get("route").asText() + "/" + b.get("tier").asText(), "spent", money(raw(b.get("spent_usd"))),
                "limit", money(raw(b.get("limit_usd"))), "used", raw(b.get("used_pct")) + "%")));
        assertThat(page.get("efficiencyRoutes")).isEqualTo(rows(r.at("/routing_efficiency/routes"), l -> Map.of(
                "name", l.get("route").asText(), "paid", money(raw(l.get("actual_cost_usd"))),
                "strong", money(raw(l.get("strong_only_cost_usd"))), "efficiency", raw(l.get("efficiency")) + " " + l.get("rating").asText())));
        assertThat(page.get("recommendations")).isEqualTo(rows(r.get("recommendations"), rec -> {
            Map<String, String> item = new LinkedHashMap<>();
            item.put("name", rec.get("kind").asText());
            item.put("text", rec.get("text").asText());
            String savings = raw(rec.get("est_monthly_savings_usd"));
            item.put("savings", savings == null ? null : "save " + usd(savings) + "/month [" + exact(savings) + "]");
            return item;
        }));
        assertThat(page.get("routes")).isEqualTo(top(r.get("by_route"), "(none)"));
        assertThat(page.get("users")).isEqualTo(top(r.get("by_user"), "(no user)"));
        assertThat(page.get("keys")).isEqualTo(rows(r.get("by_key"), k -> Map.of(
                "name", k.get("name").isNull() ? "(no virtual key)" : k.get("name").asText(), "requests", count(k.get("requests")),
                "tokens", grouped(String.valueOf(k.get("input_tokens").asLong() + k.get("output_tokens").asLong())),
                "cost", money(raw(k.get("cost_usd"))), "share", raw(k.get("share_pct")) + "%")));
        assertThat(page.get("keyBudgets")).isEqualTo(rows(r.get("key_budgets"), b -> Map.of(
                "name", b.get("key").asText(), "spent", money(raw(b.get("spent_usd"))), "limit", money(raw(b.get("limit_usd"))),
                "used", raw(b.get("used_pct")) + "%")));
        assertThat(page.get("teams")).isEqualTo(top(r.get("by_team"), "(no team)"));
        Function<JsonNode, Map<String, ?>> latencyLine = l -> Map.of("name", l.get("name").asText(),
                "requests", count(l.get("requests")), "attempts", count(l.get("attempts")), "p50", ms(l.get("p50_ms")),
                "p95", ms(l.get("p95_ms")), "ttft50", ms(l.get("ttft_p50_ms")), "ttft95", ms(l.get("ttft_p95_ms")),
                "errors", count(l.get("errors")), "error-rate", l.get("error_rate_pct").isNull() ? "—" : raw(l.get("error_rate_pct")) + "%");
        assertThat(page.get("latencyModels")).isEqualTo(rows(r.at("/latency/by_model"), latencyLine));
        assertThat(page.get("latencyRoutes")).isEqualTo(rows(r.at("/latency/by_route"), latencyLine));
        assertThat(page.get("latencyDays")).isEqualTo(rows(r.at("/latency/daily"), d -> {
            Map<String, Object> day = new LinkedHashMap<>();
            day.put("name", d.get("day").asText());
            day.put("p50", raw(d.get("p50_ms")));
            day.put("p95", raw(d.get("p95_ms")));
            day.put("attempts", raw(d.get("attempts")));
            day.put("errors", raw(d.get("errors")));
            day.put("rate", raw(d.get("error_rate_pct")));
            return day;
        }));
        BigDecimal worst = null;
        String worstRaw = null;
        for (JsonNode d : r.at("/latency/daily")) {
            if (!d.get("error_rate_pct").isNull() && (worst == null || d.get("error_rate_pct").decimalValue().compareTo(worst) > 0)) {
                worst = d.get("error_rate_pct").decimalValue();
                worstRaw = raw(d.get("error_rate_pct"));
            }
        }
        assertThat(page.get("latencyWorst")).isEqualTo(worstRaw == null ? "—" : worstRaw + "%");
        JsonNode arms = r.at("/context_experiment/arms");
        assertThat(page.get("contextShown")).isEqualTo(!arms.isEmpty());
        assertThat(page.get("contextArms")).isEqualTo(rows(arms, a -> Map.of("name", a.get("arm").asText(),
                "requests", count(a.get("requests")), "cost", money(raw(a.get("cost_usd"))), "avg", money(raw(a.get("avg_cost_per_request_usd"))),
                "quality", Objects.requireNonNullElse(raw(a.at("/quality/mean")), "—"), "count", count(a.at("/quality/count")))));
    }

    /** The most expensive lines (up to 8), in the API's order, with its figures. */
    private static List<Map<String, Object>> top(JsonNode lines, String none) {
        List<Map<String, Object>> rows = rows(lines, l -> Map.of("name", l.get("name").isNull() ? none : l.get("name").asText(),
                "requests", count(l.get("requests")), "cost", money(raw(l.get("cost_usd"))), "share", raw(l.get("share_pct")) + "%"));
        return rows.subList(0, Math.min(8, rows.size()));
    }

    private static List<Map<String, Object>> rows(JsonNode array, Function<JsonNode, Map<String, ?>> row) {
        List<Map<String, Object>> rows = new ArrayList<>();
        array.forEach(n -> rows.add(new LinkedHashMap<>(row.apply(n))));
        return rows;
    }

    // ------------------------------------------------------------------ the API's numbers, written as the page writes them

    /** A number as the API wrote it (exact decimals keep their scale: 90.00 stays 90.00). */
    static String raw(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isBigDecimal() ? n.decimalValue().toPlainString() : n.asText();
    }

    /**
     * An amount as the page shows it: rounded half-even to cents from $1 up and to three significant digits under it,
     * trailing zeros dropped down to two places; {@code $0}; a minus sign before the dollar; null as a dash.
     */
    static String usd(String raw) {
        if (raw == null) {
            return "—";
        }
        BigDecimal v = new BigDecimal(raw);
        if (v.signum() == 0) {
            return "$0";
        }
        if (v.signum() < 0) {
            return "-" + usd(v.negate().toPlainString());
        }
        BigDecimal r = v.compareTo(BigDecimal.ONE) >= 0 ? v.setScale(2, RoundingMode.HALF_EVEN)
                : v.round(new MathContext(3, RoundingMode.HALF_EVEN));
        r = r.stripTrailingZeros();
        if (r.scale() < 2) {
            r = r.setScale(2, RoundingMode.UNNECESSARY);
        }
        return "$" + grouped(r.toPlainString());
    }

    /** An amount in a figure the test reads whole: as shown, then the exact amount of its tooltip in brackets. */
    static String money(String raw) {
        return raw == null ? "—" : usd(raw) + " [" + exact(raw) + "]";
    }

    /** {@code $} and the API's digits, with thousands separators, a minus sign before the dollar; null as a dash. */
    static String exact(String raw) {
        return raw == null ? "—" : raw.startsWith("-") ? "-$" + grouped(raw.substring(1)) : "$" + grouped(raw);
    }

    /** Whole milliseconds with thousands separators and {@code ms}; null as a dash. */
    static String ms(JsonNode n) {
        return n == null || n.isNull() ? "—" : grouped(raw(n)) + " ms";
    }

    static String count(JsonNode n) {
        return grouped(raw(n));
    }

    static String grouped(String raw) {
        int dot = raw.indexOf('.');
        String integer = dot < 0 ? raw : raw.substring(0, dot);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < integer.length(); i++) {
            if (i > 0 && (integer.length() - i) % 3 == 0) {
                b.append(',');
            }
            b.append(integer.charAt(i));
        }
        return b + (dot < 0 ? "" : raw.substring(dot));
    }

    // ------------------------------------------------------------------ the browser

    private static String monthQuery(LocalDate today) {
        return "/api/report?from=" + today.withDayOfMonth(1) + "&to=" + today;
    }

    private static String lastDaysQuery(LocalDate today, int days) {
        return "/api/report?from=" + today.minusDays(days - 1) + "&to=" + today;
    }

    /** Loads a page of the gateway in this tab, with {@code key} in its session storage (null: none). */
    private void open(String path, String key) {
        if (key != null) {
            chromium.driver.executeScript("sessionStorage.setItem('triage.apiKey', arguments[0])", key);
        }
        chromium.driver.get(gateway.url(path));
    }

    /** Waits until the page shows a report fetched from another path than {@code previous}; returns its path. */
    private String waitForReport(String previous) {
        return until(WAIT, "a report other than " + previous + " on the page", () -> {
            String path = chromium.driver.findElement(By.id("period")).getAttribute("data-path");
            boolean shown = chromium.driver.findElement(By.id("content")).isDisplayed();
            return shown && path != null && !path.equals(previous) ? path : null;
        });
    }

    private String pressedPeriod() {
        return chromium.driver.findElement(By.cssSelector(".periods [aria-pressed='true']")).getText();
    }

    private void click(String css) {
        chromium.driver.findElement(By.cssSelector(css)).click();
    }

    private List<WebElement> all(String css) {
        return chromium.driver.findElements(By.cssSelector(css));
    }

    private String text(String id) {
        return chromium.driver.findElement(By.id(id)).getText();
    }
}
