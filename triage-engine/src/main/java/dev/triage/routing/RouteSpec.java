package dev.triage.routing;

/**
 * A route as configured: a name clients send as {@code model}, a policy, and the route's quality floor.
 * The config loader builds these; the {@link Router} turns a request on a route into a decision.
 */
public sealed interface RouteSpec permits TaskRouteSpec, TieredRouteSpec, CascadeRouteSpec, LearnedRouteSpec {

    String name();

    /** The lowest tier or model the route may answer with; {@link QualityFloor#NONE} when unset. */
    QualityFloor floor();
}
