package dev.triage.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.ChatRequest;
import dev.triage.keys.VirtualKey;
import dev.triage.routing.RouteExecutor;
import dev.triage.tokens.TokenEstimator;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Anthropic's Messages API at the door: {@code POST /v1/messages} is read into a chat request
 * ({@link MessagesTranslation}), served by {@link ChatCompletions} exactly as a chat completion is (routing,
 * budgets, ledger, headers), and answered as an Anthropic message or event stream ({@link MessagesDialect});
 * {@code POST /v1/messages/count_tokens} counts a request's prompt.
 */
final class MessagesApi {

    private final ChatRequestParser parser;
    private final ChatCompletions chat;
    private final RouteExecutor executor;
    private final PriceCatalog catalog;
    private final TokenEstimator tokens;
    private final ObjectMapper json;

    MessagesApi(ChatRequestParser parser, ChatCompletions chat, RouteExecutor executor, PriceCatalog catalog, TokenEstimator tokens,
                ObjectMapper json) {
        this.parser = parser;
        this.chat = chat;
        this.executor = executor;
        this.catalog = catalog;
        this.tokens = tokens;
        this.json = json;
    }

    /** {@code POST /v1/messages}. */
    void create(Context ctx, String requestId, RequestFacts facts, byte[] body, VirtualKey key, String tenant) throws IOException {
        ChatRequest request = parser.check(MessagesTranslation.toChat(parser.readObject(body, "a JSON Messages API request"), true));
        long estimate = tokens.estimateMessages(request.messages());
        chat.handle(ctx, requestId, facts, request, new MessagesDialect(estimate), key, tenant);
    }

    /**
     * {@code POST /v1/messages/count_tokens}: {@code {"input_tokens": n}}, counted with the gateway's tokenizer
     * (o200k) over the messages, system prompt and tool definitions: an estimate for every model but OpenAI's.
     */
    void countTokens(Context ctx, byte[] body) throws IOException {
        ChatRequest request = parser.check(MessagesTranslation.toChat(parser.readObject(body, "a JSON count_tokens request"), false));
        String model = request.model();
        if (executor.router().route(model).isEmpty() && catalog.find(model).isEmpty()) {
            throw ApiError.notFound("model_not_found", "model",
                    "The model '" + model + "' is not a route or a model in Triage's catalog or config; GET /v1/models lists what you can use");
        }
        long count = tokens.countMessages(request.messages());
        for (JsonNode tool : request.body().path("tools")) {
            count += tokens.count(tool.path("function").toString());
        }
        ObjectNode out = json.createObjectNode();
        out.put("input_tokens", count);
        ctx.contentType("application/json").result(json.writeValueAsBytes(out));
    }
}
