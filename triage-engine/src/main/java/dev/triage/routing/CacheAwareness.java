package dev.triage.routing;

import dev.triage.caching.SessionState;
import dev.triage.caching.SessionStore;
import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.Price;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.Money;
import dev.triage.chat.PromptCache;
import dev.triage.chat.Usage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cache-aware routing: a conversation whose last turn was answered by model W has W's prompt cache
 * warm with that turn's prompt, which this turn re-sends. When a policy would move the conversation to
 * another model C, the move loses what the cache is worth: W would bill the re-sent prefix at its
 * cache-read price, C at its full input price. So the conversation stays on W when, for this turn,
 *
 * <pre>prefix x W.cached + rest x W.input + output x W.output  &lt;  prompt x C.input + output x C.output</pre>
 *
 * and W is at least as strong as C (its price per token at least C's: quality is never traded for the
 * discount), is one of the route's models, and the policy did not move the request down for a spent
 * budget. The write premium C would pay to warm its own cache is left out, so a stay is never claimed
 * on a closer call than it is. An entry lives 5 minutes after its last use (one hour when asked), so an
 * older session is cold everywhere and the policy's choice stands.
 */
final class CacheAwareness {

    /**
     * No provider caches a prompt shorter than this (Anthropic's smallest minimum, OpenAI's threshold): below
     * it a session is neither looked up nor recorded, which keeps short requests off the session store.
     */
    static final int CACHEABLE_TOKENS = 1024;

    /** Output tokens assumed for the comparison when the request sets no limit (the same for both models). */
    static final long DEFAULT_OUTPUT_TOKENS = 500;

    private final SessionStore sessions;
    private final Clock clock;

    CacheAwareness(SessionStore sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    Decision adjust(Decision d, RouteSpec route, ChatRequest request, Router router) {
        PromptCache cache = request.cache();
        if (d.downgraded() || d.profile().inputTokens() < CACHEABLE_TOKENS) {
            return d;
        }
        Optional<SessionState> found = warm(request);
        if (found.isEmpty()) {
            return d;
        }
        SessionState s = found.get();
        String first = d.firstModel();
        if (s.model().equals(first)) {
            return d.withReason("cache-aware: " + first + " holds this conversation's cache (~" + s.prefixTokens()
                    + " tokens of its last turn)", null);
        }
        Optional<ModelInfo> warm = router.catalog().find(s.model());
        Optional<ModelInfo> chosen = router.catalog().find(first);
        if (warm.isEmpty() || chosen.isEmpty() || !route.models().contains(s.model()) || !router.servable(s.model())
                || Router.pricePerToken(warm.get()).compareTo(Router.pricePerToken(chosen.get())) < 0) {
            return d;
        }
        long prompt = d.profile().inputTokens();
        long prefix = Math.min(s.prefixTokens(), prompt);
        Integer limit = request.maxOutputTokens();
        long output = limit == null ? DEFAULT_OUTPUT_TOKENS : Math.min(limit, DEFAULT_OUTPUT_TOKENS);
        Money stay = cost(warm.get().price(), prompt, prefix, output);
        Money move = cost(chosen.get().price(), prompt, 0, output);
        if (stay.compareTo(move) >= 0) {
            return d.withReason("cache-aware: moving from " + s.model() + " to " + first + " costs less even without "
                    + s.model() + "'s cache (est. $" + move.toUsdString() + " vs $" + stay.toUsdString() + ")", null);
        }
        return d.withReason("cache-aware: stays on " + s.model() + ", whose cache holds ~" + prefix
                + " of this turn's ~" + prompt + " prompt tokens (est. $" + stay.toUsdString() + " there vs $" + move.toUsdString()
                + " on " + first + ")", stayOn(d.steps(), s.model()));
    }

    /** The plan from the first step that has {@code model} on, with it first; or it first, then the plan. */
    static List<Step> stayOn(List<Step> steps, String model) {
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.models().contains(model)) {
                List<String> models = new ArrayList<>(step.models());
                models.remove(model);
                models.addFirst(model);
                List<Step> out = new ArrayList<>();
                out.add(new Step(step.label(), models, step.acceptConfidence(), step.latencyBudget(), step.thinking()));
                out.addAll(steps.subList(i + 1, steps.size()));
                return out;
            }
        }
        Step head = steps.getFirst();
        List<String> models = new ArrayList<>(head.models());
        models.addFirst(model);
        List<Step> out = new ArrayList<>();
        out.add(new Step(head.label(), models, head.acceptConfidence(), head.latencyBudget(), head.thinking()));
        out.addAll(steps.subList(1, steps.size()));
        return out;
    }

    private static Money cost(Price price, long prompt, long cachedPrefix, long output) {
        return price.cost(new Usage(prompt, output, cachedPrefix, 0, 0, true));
    }

    /** The model whose cache holds the request's conversation, if one does (its entry has not expired). */
    Optional<String> warmModel(ChatRequest request) {
        return warm(request).map(SessionState::model);
    }

    /** The conversation's last turn, while the cache entry it wrote lives (5 minutes, or an hour when asked). */
    private Optional<SessionState> warm(ChatRequest request) {
        PromptCache cache = request.cache();
        if (!cache.enabled() || cache.session() == null) {
            return Optional.empty();
        }
        Duration lifetime = cache.ttl() == PromptCache.Ttl.ONE_HOUR ? Duration.ofHours(1) : Duration.ofMinutes(5);
        return sessions.get(cache.session()).filter(s -> !s.warmedAt().plus(lifetime).isBefore(clock.instant()));
    }

    /** Records the turn just answered: {@code model} now holds the conversation's cache. */
    void answered(ChatRequest request, String model, long promptTokens) {
        PromptCache cache = request.cache();
        if (cache.enabled() && cache.session() != null && promptTokens >= CACHEABLE_TOKENS) {
            sessions.put(cache.session(), new SessionState(model, clock.instant(), promptTokens));
        }
    }
}
