package dev.triage.routing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.analysis.Hints;
import dev.triage.budget.BudgetAlerts;
import dev.triage.budget.BudgetStore.Reservation;
import dev.triage.budget.BudgetStoreUnavailableException;
import dev.triage.budget.DailyBudgets;
import dev.triage.catalog.ModelInfo;
import dev.triage.chat.ChatRequest;
import dev.triage.chat.ChatResponse;
import dev.triage.chat.CompletionShape;
import dev.triage.chat.Money;
import dev.triage.context.ContextSettings;
import dev.triage.context.ContextSharing;
import dev.triage.dispatch.DispatchException;
import dev.triage.dispatch.DispatchResult;
import dev.triage.dispatch.Dispatcher;
import dev.triage.dispatch.RequestContext;
import dev.triage.dispatch.StreamListener;
import dev.triage.keys.KeyAccount;
import dev.triage.keys.VirtualKey;
import dev.triage.provider.ErrorKind;
import dev.triage.scoring.Answer;
import dev.triage.scoring.ConfidenceScorer;
import dev.triage.scoring.ModelCalls;
import dev.triage.scoring.ScorerSpec;
import dev.triage.tokens.BillableTokens;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link Decision}: reserves a tiered route's budget, runs the plan's steps through the
 * {@link Dispatcher} (accepting a step's answer only when the route's scorer is confident enough),
 * and settles the budget to what the request really cost.
 */
public final class RouteExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(RouteExecutor.class);

    private final Router router;
    private final Dispatcher dispatcher;
    private final Function<ScorerSpec, ConfidenceScorer> scorers;
    private final BudgetAlerts alerts;
    private final ContextSharing contexts;

    public RouteExecutor(Router router, Dispatcher dispatcher, Function<ScorerSpec, ConfidenceScorer> scorers) {
        this(router, dispatcher, scorers, BudgetAlerts.NONE);
    }

    /** @param alerts told what a budget has committed after each request it paid for */
    public RouteExecutor(Router router, Dispatcher dispatcher, Function<ScorerSpec, ConfidenceScorer> scorers, BudgetAlerts alerts) {
        this(router, dispatcher, scorers, alerts, ContextSharing.none());
    }

    /** @param contexts the routes that share context across models, and each session's shared context */
    public RouteExecutor(Router router, Dispatcher dispatcher, Function<ScorerSpec, ConfidenceScorer> scorers, BudgetAlerts alerts,
                         ContextSharing contexts) {
        this.contexts = contexts;
        this.router = router;
        this.dispatcher = dispatcher;
        this.scorers = scorers;
        this.alerts = alerts;
    }

    /**
     * What a routed request produced.
     *
     * @param escalations how many answers the route's scorer did not accept before this one (cascade steps)
     * @param confidences each scored answer's confidence, in order, as {@code model=0.180}
     */
    public record Outcome(DispatchResult result, Decision decision, List<String> attempts, Money cost, List<String> notes,
                          int escalations, List<String> confidences) {
    }

    /** A request that failed after routing; carries the decision for the response headers. */
    public static final class Failure extends RuntimeException {
        private final transient Decision decision;
        private final DispatchException cause;
        private final int escalations;

        Failure(Decision decision, DispatchException cause, int escalations) {
            super(cause.getMessage(), cause, false, false);
            this.decision = decision;
            this.cause = cause;
            this.escalations = escalations;
        }

        /** How many answers the route's scorer did not accept before the request failed. */
        public int escalations() {
            return escalations;
        }

        public Decision decision() {
            return decision;
        }

        public DispatchException dispatch() {
            return cause;
        }
    }

    public Router router() {
        return router;
    }

    public Outcome complete(RequestContext ctx, ChatRequest request, Hints hints) {
        return complete(ctx, request, hints, null);
    }

    /** As {@link #complete(RequestContext, ChatRequest, Hints)}, paid by a virtual key ({@code account}; null for none). */
    public Outcome complete(RequestContext ctx, ChatRequest request, Hints hints, KeyAccount account) {
        return run(ctx, request, hints, d -> { }, null, account);
    }

    /**
     * Streams the accepted answer: steps that need scoring run buffered, the last step streams from the
     * upstream. {@code decided} hears the decision before any model is called.
     */
    public Outcome stream(RequestContext ctx, ChatRequest request, Hints hints, Consumer<Decision> decided, StreamListener out) {
        return stream(ctx, request, hints, decided, out, null);
    }

    /** As {@link #stream(RequestContext, ChatRequest, Hints, Consumer, StreamListener)}, paid by a virtual key (or null). */
    public Outcome stream(RequestContext ctx, ChatRequest request, Hints hints, Consumer<Decision> decided, StreamListener out,
                          KeyAccount account) {
        return run(ctx, request, hints, decided, out, account);
    }

    private Outcome run(RequestContext ctx, ChatRequest request, Hints hints, Consumer<Decision> decided, StreamListener out,
                        KeyAccount account) {
        Budgeted budgeted = decideAndReserve(request, hints);
        Decision chosen = budgeted.decision;
        Decision decision = contexts.arm(chosen.route(), request)
                .map(arm -> chosen.withReason(Decision.CONTEXT_ARM + arm.wireName(), null)).orElse(chosen);
        Reservation keyReservation;
        try {
            keyReservation = reserveOnKey(account, decision, request);
        } catch (RuntimeException e) {
            if (budgeted.reservation != null) {
                budgeted.budgets.settle(budgeted.reservation, Money.ZERO);
            }
            throw e;
        }
        decided.accept(decision);
        RequestContext routed = ctx.withRouting(decision.profile().taskType().name(), decision.tier(), decision.summary(),
                decision.contextArm());
        Tally tally = new Tally();
        try {
            Outcome outcome = runSteps(routed, request, decision, out, tally);
            router.answered(request, outcome.result().model(), outcome.result().usage().inputTokens());
            return outcome;
        } finally {
            if (budgeted.reservation != null) {
                budgeted.budgets.settle(budgeted.reservation, tally.cost);
                alert(budgeted.reservation, "tier", budgeted.limit, () -> budgeted.budgets.spentToday(budgeted.reservation.key()));
            }
            if (keyReservation != null) {
                account.budgets().settle(keyReservation, tally.cost);
                alert(keyReservation, "key", account.key().budget(), () -> account.budgets().spent(account.key()));
            }
        }
    }

    /**
     * What the summarizer of a route that shares context may cost this request: the whole prompt in, a full
     * summary out; zero for other routes and for sessions in an experiment's control arm.
     */
    private Money contextWorstCase(Decision decision, ChatRequest request, BillableTokens bound) {
        Optional<ContextSettings> s = contexts.settings(decision.route());
        if (s.isEmpty() || contexts.arm(decision.route(), request).orElse(ContextSharing.Arm.FULL) != ContextSharing.Arm.COMPACT) {
            return Money.ZERO;
        }
        Money worst = Money.ZERO;
        for (ModelInfo m : dispatcher.plan(s.get().summarizer())) {
            worst = worst.plus(m.price().worstCase(bound.input(m.imageTokenLimit(), m.inputLimit()), ContextSharing.SUMMARY_MAX_TOKENS));
        }
        return worst;
    }

    /** Budget alerts: a budget refused a request; an unreachable store skips it. */
    private void alertRefused(String budget, String kind, java.time.LocalDate period, Money limit, java.util.function.Supplier<Money> committed) {
        if (!alerts.enabled()) {
            return;
        }
        try {
            alerts.refused(budget, kind, period, committed.get(), limit);
        } catch (BudgetStoreUnavailableException e) {
            // checked again on the next refusal
        }
    }

    /** Budget alerts: what the budget has committed now, against its limit; an unreachable store skips it. */
    private void alert(Reservation r, String kind, Money limit, java.util.function.Supplier<Money> committed) {
        if (!alerts.enabled() || limit == null) {
            return;
        }
        try {
            alerts.check(r.key(), kind, r.day(), committed.get(), limit);
        } catch (BudgetStoreUnavailableException e) {
            // checked again after the next request, once the store answers
        }
    }

    /**
     * Reserves on the virtual key's budget what every step of the plan may cost (a cascade may run them
     * all); null when there is no key or it has no budget.
     *
     * @throws RoutingException 429 {@code key_budget_exhausted} when it does not fit, 503 when the store is away
     */
    private Reservation reserveOnKey(KeyAccount account, Decision decision, ChatRequest request) {
        if (account == null || account.key().budget() == null) {
            return null;
        }
        BillableTokens bound = BillableTokens.of(request);
        Money worst = Money.ZERO;
        for (Step step : decision.steps()) {
            worst = worst.plus(Router.worstCase(plan(step), bound));
        }
        worst = worst.plus(contextWorstCase(decision, request, bound));
        VirtualKey key = account.key();
        Optional<Reservation> reservation;
        try {
            reservation = account.budgets().reserve(key, worst);
        } catch (BudgetStoreUnavailableException e) {
            throw RoutingException.budgetStoreUnavailable("The API key '" + key.name() + "'", e);
        }
        if (reservation.isEmpty()) {
            Money spent = account.budgets().spent(key);
            alertRefused(key.budgetKey(), "key", account.budgets().periodStart(key), key.budget(), () -> spent);
            throw new RoutingException(429, "key_budget_exhausted", "The API key '" + key.name() + "' has $"
                    + spent.toUsdString() + " of its $" + key.budget().toUsdString() + " " + key.period().wireName()
                    + " budget committed" + (worst.compareTo(key.budget()) > 0 ? ", and this request's worst case ($"
                    + worst.toUsdString() + ") is more than the whole budget: lower max_tokens or n" : "; this request's worst"
                    + " case is $" + worst.toUsdString()) + ". It starts again at the next UTC " + key.period().wireName() + ".",
                    account.budgets().untilReset(key));
        }
        return reservation.get();
    }

    private record Budgeted(Decision decision, Reservation reservation, DailyBudgets budgets, Money limit) {
    }

    /**
     * For tiered routes: reserve the request's worst case on the chosen tier's budget, downgrading while a
     * tier's budget cannot take it (see {@code BudgetStore}: a reservation must fit in what is left).
     */
    private Budgeted decideAndReserve(ChatRequest request, Hints hints) {
        Set<String> spent = new HashSet<>();
        List<String> neverFits = new ArrayList<>();
        BillableTokens bound = null;
        while (true) {
            Decision decision;
            try {
                decision = router.decide(request.model(), request, hints, spent);
            } catch (RoutingException e) {
                throw neverFits.isEmpty() ? e : new RoutingException(e.status(), e.code(), e.getMessage()
                        + "; this request's worst case (prompt, tools and images, plus n x max output tokens) is more than "
                        + "the whole daily budget of " + String.join(", ", neverFits)
                        + ": lower max_tokens (or max_completion_tokens) or n, or shorten the prompt", e.retryAfter());
            }
            Optional<RouteSpec> spec = router.route(request.model());
            if (decision.tier() == null || spec.isEmpty() || !(spec.get() instanceof TieredRouteSpec tiered)) {
                return new Budgeted(decision, null, null, null);
            }
            TieredRouteSpec.Tier tier = tiered.tiers().stream().filter(t -> t.name().equals(decision.tier())).findFirst().orElseThrow();
            DailyBudgets budgets = router.budgets(tiered);
            if (bound == null) {
                bound = BillableTokens.of(request);
            }
            Money worst = Router.worstCase(plan(decision.steps().getFirst()), bound).plus(contextWorstCase(decision, request, bound));
            Optional<Reservation> reservation;
            try {
                reservation = budgets.reserve(tiered.budgetKey(tier), worst, tier.dailyBudget());
            } catch (BudgetStoreUnavailableException e) {
                throw RoutingException.budgetStoreUnavailable("Route '" + tiered.name() + "'", e);
            }
            if (reservation.isPresent()) {
                boolean downgraded = decision.downgraded() || !spent.isEmpty();
                Decision d = downgraded == decision.downgraded() ? decision : new Decision(decision.route(), decision.policy(),
                        decision.profile(), decision.tier(), true, decision.steps(), decision.scorer(), decision.reasons(),
                        decision.predicted());
                return new Budgeted(d, reservation.get(), budgets, tier.dailyBudget());
            }
            if (tier.dailyBudget() != null && alerts.enabled()) {
                alertRefused(tiered.budgetKey(tier), "tier", budgets.today(), tier.dailyBudget(), () -> budgets.spentToday(tiered.budgetKey(tier)));
            }
            if (tier.dailyBudget() != null && worst.compareTo(tier.dailyBudget()) > 0) {
                neverFits.add("tier " + tier.name() + " ($" + worst.toUsdString() + " > $" + tier.dailyBudget().toUsdString() + ")");
            }
            spent.add(tier.name());
        }
    }

    private Outcome runSteps(RequestContext ctx, ChatRequest request, Decision decision, StreamListener out, Tally tally) {
        List<Step> steps = decision.steps();
        ConfidenceScorer scorer = scorers.apply(decision.scorer());
        ModelCalls calls = (req, model, purpose) -> {
            DispatchResult r;
            try {
                r = dispatcher.complete(ctx.forStep(purpose, ctx.deadline()), req, dispatcher.plan(model));
            } catch (DispatchException e) {
                tally.cost = tally.cost.plus(e.cost());
                throw e;
            }
            tally.cost = tally.cost.plus(r.cost());
            return new ChatResponse(r.body(), r.usage(), r.finishReason());
        };
        ContextSharing.Prepared prepared = contexts.prepare(decision.route(), request,
                router.sessionModel(request).filter(m -> !m.equals(decision.firstModel())).isPresent(),
                (req, model) -> calls.call(req, model, "context"));
        if (prepared.note() != null) {
            tally.notes.add(prepared.note());
        }
        ChatRequest asked = request;
        request = prepared.request();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (i > 0 && request == asked) {
                // an escalation moves the conversation to a model whose cache is cold: it gets the stored shared
                // context and the last turns, if there is one (no new summary mid-request: its cost was not reserved)
                ContextSharing.Prepared moved = contexts.prepare(decision.route(), asked, true, (req, model) -> {
                    throw new IllegalStateException("no new shared context while escalating");
                });
                if (moved.request() != asked) {
                    request = moved.request();
                    tally.notes.add(moved.note() + " (escalation)");
                }
            }
            boolean last = i == steps.size() - 1;
            boolean scored = step.acceptConfidence() != null && !last;
            ChatRequest stepRequest = prepare(request, step, scored && scorer.needsLogprobs());
            List<ModelInfo> plan = plan(step);
            RequestContext stepCtx = ctx.forStep(step.label(),
                    step.latencyBudget() == null ? ctx.deadline() : ctx.deadline().within(step.latencyBudget()));
            try {
                if (out != null && !scored) {
                    DispatchResult r = dispatcher.stream(stepCtx, stepRequest, plan, prefixed(out, tally.attempts));
                    return tally.finish(r, decision);
                }
                DispatchResult r = dispatcher.complete(stepCtx, stepRequest, plan);
                tally.add(r);
                if (scored) {
                    double confidence = scorer.score(new Answer(stepRequest, r.body(), r.finishReason(), r.model()), calls);
                    tally.confidences.add(String.format(java.util.Locale.ROOT, "%s=%.3f", r.model(), confidence));
                    if (confidence < step.acceptConfidence()) {
                        tally.notes.add(String.format("%s confidence %.3f < %s: escalate", r.model(), confidence, step.acceptConfidence()));
                        tally.escalations++;
                        continue;
                    }
                    tally.notes.add(String.format("%s confidence %.3f >= %s: accepted", r.model(), confidence, step.acceptConfidence()));
                }
                DispatchResult shown = withoutUnaskedLogprobs(asked, r);
                if (out != null) {
                    replay(out, shown, tally, ctx.requestId());
                }
                return tally.outcome(shown, decision);
            } catch (DispatchException e) {
                tally.cost = tally.cost.plus(e.cost());
                tally.attempts.addAll(e.attempts());
                boolean timedOutStep = e.kind().timedOut() && step.latencyBudget() != null;
                if (last || e.streamStarted() || (e.kind() == ErrorKind.BAD_REQUEST)) {
                    throw new Failure(decision, new DispatchException(e.kind(),
                            timedOutStep ? "the latency budget of " + step.latencyBudget().toMillis() + " ms was exceeded: " + e.getMessage() : e.getMessage(),
                            e.retryAfter(), tally.attempts, tally.cost, e.streamStarted(), e.param()), tally.escalations);
                }
                tally.notes.add((timedOutStep ? "latency budget exceeded" : "step failed (" + e.kind() + ")") + ": moving on");
                LOG.debug("{} step {} failed: {}", ctx.requestId(), step.label(), e.getMessage());
            }
        }
        throw new IllegalStateException("a plan's last step always answers or fails");
    }

    /** The dispatcher plan of a step: each model with its fallback chain, each model once. */
    private List<ModelInfo> plan(Step step) {
        Set<String> seen = new LinkedHashSet<>();
        List<ModelInfo> plan = new ArrayList<>();
        for (String id : step.models()) {
            for (ModelInfo m : dispatcher.plan(id)) {
                if (seen.add(m.id())) {
                    plan.add(m);
                }
            }
        }
        return plan;
    }

    private static ChatRequest prepare(ChatRequest request, Step step, boolean logprobs) {
        if (!step.thinking() && !logprobs) {
            return request;
        }
        ObjectNode body = request.copyBody();
        if (step.thinking() && !body.has("reasoning_effort")) {
            body.put("reasoning_effort", "medium");
        }
        if (logprobs) {
            body.put("logprobs", true);
        }
        return new ChatRequest(body, request.cache());
    }

    /** The answer as the client may see it: logprobs only if it asked for them (a scorer may have, for itself). */
    private static DispatchResult withoutUnaskedLogprobs(ChatRequest request, DispatchResult r) {
        if (request.body().path("logprobs").asBoolean(false)) {
            return r;
        }
        ObjectNode body = CompletionShape.withoutLogprobs(r.body());
        return body == r.body() ? r : new DispatchResult(body, r.model(), r.attempts(), r.usage(), r.cost(), r.finishReason());
    }

    /** Reports the attempts of earlier steps together with the streaming step's own. */
    private static StreamListener prefixed(StreamListener out, List<String> earlier) {
        return new StreamListener() {
            @Override
            public void onStart(String model, List<String> attempts) {
                List<String> all = new ArrayList<>(earlier);
                all.addAll(attempts);
                out.onStart(model, all);
            }

            @Override
            public void onChunk(ObjectNode chunk) {
                out.onChunk(chunk);
            }
        };
    }

    /** Sends a buffered answer to a streaming client as OpenAI chunks. */
    private static void replay(StreamListener out, DispatchResult r, Tally tally, String requestId) {
        out.onStart(r.model(), List.copyOf(tally.attempts));
        CompletionShape chunks = CompletionShape.ofRequest(requestId, System.currentTimeMillis() / 1000, r.model());
        ObjectNode message = (ObjectNode) r.body().path("choices").path(0).path("message");
        ObjectNode first = JsonNodeFactory.instance.objectNode().put("role", "assistant");
        if (message.hasNonNull("content")) {
            first.put("content", message.get("content").asText());
        }
        if (message.has("tool_calls")) {
            var calls = first.putArray("tool_calls");
            int index = 0;
            for (var call : message.get("tool_calls")) {
                ObjectNode c = call.deepCopy();
                c.put("index", index++);
                calls.add(c);
            }
        }
        out.onChunk(chunks.chunk(first, null));
        out.onChunk(chunks.chunk(JsonNodeFactory.instance.objectNode(), r.finishReason() == null ? "stop" : r.finishReason()));
    }

    /** What the steps of one request have cost and tried so far. */
    private static final class Tally {
        Money cost = Money.ZERO;
        final List<String> attempts = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final List<String> confidences = new ArrayList<>();
        int escalations;

        void add(DispatchResult r) {
            cost = cost.plus(r.cost());
            attempts.addAll(r.attempts());
        }

        Outcome outcome(DispatchResult r, Decision decision) {
            return new Outcome(r, decision, List.copyOf(attempts), cost, List.copyOf(notes), escalations, List.copyOf(confidences));
        }

        Outcome finish(DispatchResult r, Decision decision) {
            add(r);
            return outcome(r, decision);
        }
    }
}
