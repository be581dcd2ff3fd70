package dev.triage.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.cli.TrainRunner;
import dev.triage.learn.LearnedModel;
import dev.triage.learn.ModelFile;
import dev.triage.ledger.CapturedText;
import dev.triage.provider.openai.OpenAiWire;
import dev.triage.testing.HashingEmbedder;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code storage.capture_text} through the real gateway (plain and streamed answers from fake OpenAI
 * upstreams), feedback on the answers, then {@code triage train --from-ledger} on what the ledger kept;
 * on SQLite here, on PostgreSQL in {@link PostgresLedgerTrainingGatewayTest}.
 */
class LedgerTrainingGatewayTest {

    static final String CAPTURE = ", capture_text: true";
    static final String SYSTEM = "You answer in one line.";

    static String chat(String model, int i, boolean stream) {
        return """
                {"model":"%s","messages":[{"role":"system","content":"%s"},{"role":"user","content":"Question %d: what is %d plus %d?"},\
                {"role":"assistant","content":"an earlier turn, not part of the prompt"},{"role":"user","content":"Be brief."}],"stream":%s}"""
                .formatted(model, SYSTEM, i, i, i, stream);
    }

    static String prompt(int i) {
        return SYSTEM + "\nQuestion " + i + ": what is " + i + " plus " + i + "?\nBe brief.";
    }

    static String answer(int i) {
        return "The sum is " + (2 * i) + ".";
    }

    static String id(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.headers().firstValue("x-triage-request-id").orElseThrow();
    }

    /** Request {@code i} to {@code model}, answered by {@code upstream} with {@link #answer}, plain or streamed. */
    static String ask(GatewayHarness gw, mockwebserver3.MockWebServer upstream, String model, int i, boolean stream) {
        if (stream) {
            List<String> events = new ArrayList<>(OpenAiWire.TEXT_STREAM);
            events.set(1, events.get(1).replace("\"content\":\"Hello\"", "\"content\":\"The sum\""));
            events.set(2, events.get(2).replace(" there!", " is " + (2 * i) + "."));
            upstream.enqueue(OpenAiWire.sse(events).build());
        } else {
            upstream.enqueue(Completions.text(answer(i)));
        }
        return id(gw.post("/v1/chat/completions", chat(model, i, stream)));
    }

    static void rate(GatewayHarness gw, String requestId, String score) {
        HttpResponse<String> r = gw.post("/v1/feedback", "{\"request_id\":\"" + requestId + "\",\"score\":" + score + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /**
     * 60 rated requests: 30 to "fast" (every third one streamed) whose answers are rated 1 and 0 in
     * turn, 30 to "steady" all rated 1. Returns the request ids in order.
     */
    static List<String> ratedTraffic(GatewayHarness gw) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String id = ask(gw, gw.primary, "fast", i, i % 3 == 1);
            rate(gw, id, i % 2 == 0 ? "1" : "0");
            ids.add(id);
        }
        for (int i = 30; i < 60; i++) {
            String id = ask(gw, gw.backup, "steady", i, false);
            rate(gw, id, "1");
            ids.add(id);
        }
        return ids;
    }

    /**
     * The gateway's config as a team would have it once it routes with what it trains: a learned route
     * naming the model file that training is about to write, which does not exist yet. Training reads
     * only {@code storage:}, so the missing file does not stop the first training.
     */
    static Path config(Path dir, String ledgerUrl) throws IOException {
        return Files.writeString(dir.resolve("triage.yaml"), "storage: {ledger: \"" + ledgerUrl + "\"}\n"
                + "routes:\n  smart: {policy: learned, model_file: router.bin}\n");
    }

    /** Trains on the gateway's ledger and checks the model file against {@link #ratedTraffic}. */
    static void trainsOnTheRatedTraffic(GatewayHarness gw, String describedLedger) throws IOException {
        Path out = gw.dir().resolve("router.bin");

        TrainRunner.Run r = TrainRunner.train(new HashingEmbedder(), Clock.systemUTC(), "--from-ledger", "--config",
                config(gw.dir(), gw.ledgerUrl()).toString(), "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode h = ModelFile.header(out);
        assertThat(h.path("source").asText()).startsWith("ledger " + describedLedger + ", ").doesNotContain("password");
        assertThat(h.path("source_sha256").isNull()).isTrue();
        assertThat(h.path("examples").asInt()).isEqualTo(60);
        assertThat(h.path("models").findValuesAsText("id")).containsExactly("fast", "steady");
        JsonNode fast = h.path("models").get(0);
        JsonNode steady = h.path("models").get(1);
        assertThat(fast.path("outcomes").asInt()).isEqualTo(30);
        assertThat(fast.path("answers").asInt()).isEqualTo(30);
        assertThat(fast.path("mean_score").asDouble()).isEqualTo(0.5);
        assertThat(fast.path("acceptance").isObject()).isTrue();
        assertThat(steady.path("outcomes").asInt()).isEqualTo(30);
        assertThat(steady.path("mean_score").asDouble()).isEqualTo(1.0);
        assertThat(steady.path("acceptance").isNull()).isTrue();
        LearnedModel model = ModelFile.read(out, new HashingEmbedder());
        assertThat(model.judgedModels()).containsExactly("fast");
        assertThat(r.out()).containsPattern("(?m)^fast +30 +30 +0\\.500  yes$");
    }

    @Test
    void capturedTextOfPlainAndStreamedAnswersTrainsARouterOnSqlite() throws IOException {
        try (GatewayHarness gw = new GatewayHarness("", CAPTURE, null, "", Clock.systemUTC())) {
            List<String> ids = ratedTraffic(gw);

            CapturedText plain = gw.app.ledger().findText(ids.get(0)).orElseThrow();
            assertThat(plain.prompt()).isEqualTo(prompt(0));
            assertThat(plain.answer()).isEqualTo(answer(0));
            assertThat(plain.finishReason()).isEqualTo("stop");
            assertThat(plain.model()).isEqualTo("fast");
            assertThat(plain.route()).isEqualTo("fast");
            CapturedText streamed = gw.app.ledger().findText(ids.get(1)).orElseThrow();
            assertThat(streamed.prompt()).isEqualTo(prompt(1));
            assertThat(streamed.answer()).isEqualTo(answer(1));
            assertThat(streamed.finishReason()).isEqualTo("stop");
            assertThat(gw.app.ledger().findText(ids.get(59)).orElseThrow().model()).isEqualTo("steady");
            assertThat(gw.app.ledger().textCount()).isEqualTo(60);
            assertThat(gw.app.ledger().droppedTextCount()).isZero();

            trainsOnTheRatedTraffic(gw, "sqlite:" + gw.dir() + "/ledger.db");
        }
    }

    @Test
    void keysInAPromptOrAnAnswerAreRedactedBeforeTheTextIsStored() {
        try (GatewayHarness gw = new GatewayHarness("", CAPTURE, null, "", Clock.systemUTC())) {
            gw.primary.enqueue(Completions.text("Your key sk-test-backup-0123456789abcdef is set"));
            String id = id(gw.post("/v1/chat/completions", """
                    {"model":"fast","messages":[{"role":"user","content":"Why does sk-test-primary-0123456789abcdef fail, \
                    and sk-live-abcdefghijklmnopqrstuvwx?"}]}"""));

            CapturedText text = gw.app.ledger().findText(id).orElseThrow();

            assertThat(text.prompt()).isEqualTo("Why does [redacted] fail, and [redacted]?");
            assertThat(text.answer()).isEqualTo("Your key [redacted] is set");
        }
    }

    @Test
    void tooFewRatedRequestsSayHowManyThereAreAndHowManyAreNeeded() throws IOException {
        try (GatewayHarness gw = new GatewayHarness("", CAPTURE, null, "", Clock.systemUTC())) {
            for (int i = 0; i < 3; i++) {
                rate(gw, ask(gw, gw.primary, "fast", i, i == 1), "1");
            }
            ask(gw, gw.primary, "fast", 3, false); // answered, not rated
            Path out = gw.dir().resolve("router.bin");

            TrainRunner.Run r = TrainRunner.train(new HashingEmbedder(), Clock.systemUTC(), "--from-ledger", "--config",
                    config(gw.dir(), gw.ledgerUrl()).toString(), "--out", out.toString());

            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).startsWith("triage train: 3 requests of ")
                    .endsWith(" have feedback and captured text (3 have feedback); training needs at least 50; nothing was written\n");
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void captureIsOffByDefaultSoNothingIsStoredAndTrainingSaysHowToTurnItOn() throws IOException {
        try (GatewayHarness gw = new GatewayHarness()) {
            rate(gw, ask(gw, gw.primary, "fast", 0, false), "1");
            rate(gw, ask(gw, gw.primary, "fast", 1, true), "0.5");
            Path out = gw.dir().resolve("router.bin");

            assertThat(gw.app.ledger().textCount()).isZero();
            assertThat(gw.app.ledger().count()).isEqualTo(2);
            TrainRunner.Run r = TrainRunner.train(new HashingEmbedder(), Clock.systemUTC(), "--from-ledger", "--config",
                    config(gw.dir(), gw.ledgerUrl()).toString(), "--since", "2d", "--out", out.toString());

            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).startsWith("triage train: 2 requests of ").contains(" have feedback, 0 have captured text: "
                    + "set storage.capture_text: true in the gateway's config");
            assertThat(out).doesNotExist();
        }
    }
}
