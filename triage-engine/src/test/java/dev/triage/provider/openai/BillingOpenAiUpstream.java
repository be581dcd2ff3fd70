package dev.triage.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.tokens.TokenEstimator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import dev.triage.testing.LocalServers;

/**
 * An OpenAI Chat Completions upstream on localhost that bills every request the way OpenAI does:
 * {@code prompt_tokens} counts the messages and, as input, the {@code tools} definitions and the
 * {@code response_format} schema; {@code completion_tokens} counts every one of the {@code n} choices.
 * Each choice talks until its limit ({@code max_completion_tokens}, else {@code max_tokens}, else the
 * model's maximum), so every call costs its true worst case.
 */
public final class BillingOpenAiUpstream implements AutoCloseable {

    private final MockWebServer server = LocalServers.mockWebServer();
    private final TokenEstimator tokens = new TokenEstimator();
    private final AtomicInteger calls = new AtomicInteger();
    private final int modelMaxOutput;

    /** @param modelMaxOutput the output limit of a choice when the request sets none */
    public BillingOpenAiUpstream(int modelMaxOutput) {
        this.modelMaxOutput = modelMaxOutput;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                calls.incrementAndGet();
                return answer(OpenAiWire.object(request.getBody().utf8()));
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL to configure ({@code .../v1}). */
    public String baseUrl() {
        return server.url("/v1").toString();
    }

    /** How many chat completions were asked of this upstream. */
    public int calls() {
        return calls.get();
    }

    /** The prompt tokens OpenAI bills for a request body: messages, tool definitions and schema. */
    public int promptTokens(JsonNode body) {
        int prompt = tokens.countMessages(body.path("messages"));
        for (String field : new String[]{"tools", "response_format"}) {
            if (body.hasNonNull(field)) {
                prompt += tokens.count(body.get(field).toString());
            }
        }
        return prompt;
    }

    private MockResponse answer(ObjectNode body) {
        int n = body.path("n").asInt(1);
        JsonNode limitNode = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        int perChoice = limitNode == null || limitNode.isNull() ? modelMaxOutput : Math.min(limitNode.asInt(), modelMaxOutput);
        int prompt = promptTokens(body);
        ObjectNode completion = OpenAiWire.JSON.createObjectNode();
        completion.put("id", "chatcmpl-billing" + calls.get());
        completion.put("object", "chat.completion");
        completion.put("created", 1_753_443_000L);
        completion.put("model", body.path("model").asText());
        ArrayNode choices = completion.putArray("choices");
        for (int i = 0; i < n; i++) {
            ObjectNode choice = choices.addObject();
            choice.put("index", i);
            choice.putObject("message").put("role", "assistant").put("content", "word ".repeat(Math.min(perChoice, 64)).strip())
                    .putNull("refusal");
            choice.putNull("logprobs");
            choice.put("finish_reason", "length");
        }
        ObjectNode usage = completion.putObject("usage");
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", (long) n * perChoice);
        usage.put("total_tokens", prompt + (long) n * perChoice);
        usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0);
        return OpenAiWire.json(200, completion.toString());
    }

    @Override
    public void close() {
        server.close();
    }
}
