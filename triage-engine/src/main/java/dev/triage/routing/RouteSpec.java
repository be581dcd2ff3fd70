package dev.triage.routing;

import dev.triage.analysis.TaskProfile;
import dev.triage.chat.ChatRequest;
import dev.triage.scoring.ScorerSpec;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A route as configured: a name clients send as {@code model}, a policy, and the route's quality floor.
 * Each policy is one implementation that decides for itself; the {@link Router}, the gateway, the
 * simulator and the report ask the route rather than switching on its kind. The config reads a policy
 * with its own reader (the server's {@code RoutePolicyReader}).
 */
public interface RouteSpec {

    String name();

    /** The lowest tier or model the route may answer with; {@link QualityFloor#NONE} when unset. */
    QualityFloor floor();

    /** The policy's name, as written in config ({@code policy: NAME}) and reported in decisions, metrics and {@code /v1/models}. */
    String policy();

    /** The scorer that judges answers on this route; the heuristic for policies that never score an answer. */
    default ScorerSpec scorer() {
        return ScorerSpec.HEURISTIC;
    }

    /** Every model the route names (its floor aside), each once, in the order written. */
    List<String> models();

    /** The same route under another name (a config route written as {@code {from: OTHER}}). */
    RouteSpec named(String name);

    /** The same route with every model id (the floor's too) passed through {@code rename}: the simulator's {@code --map}. */
    RouteSpec renamed(UnaryOperator<String> rename);

    /**
     * Where a request on this route goes, without calling any model.
     *
     * @param router     the router asking: the catalog, which models are served, the quality floor, budgets
     * @param profile    the request's analysis
     * @param spentTiers budget tiers whose reservation failed, to be treated as spent
     * @throws RoutingException when the route cannot take the request (no model left, budgets spent)
     */
    Decision decide(Router router, ChatRequest request, TaskProfile profile, Set<String> spentTiers);
}
