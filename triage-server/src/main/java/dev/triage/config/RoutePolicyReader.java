package dev.triage.config;

import dev.triage.routing.RouteSpec;
import java.util.List;

/**
 * Reads the routes of one routing policy from {@code routes:}. Each policy has one, found through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.triage.config.RoutePolicyReader}), so a
 * new policy is its {@link RouteSpec} and its reader, with no switch to extend anywhere else.
 */
public interface RoutePolicyReader {

    /** The policy's name and the keys its routes take. */
    Form form();

    /** The policy's name as written ({@code policy: NAME}); the same as its specs' {@link RouteSpec#policy()}. */
    default String policy() {
        return form().policy();
    }

    /** Every key a route of this policy takes, {@code policy} included, in the order they are documented. */
    default List<String> keys() {
        return form().keys();
    }

    /**
     * The route named {@code name}, read from {@code route}, whose keys have already been checked against
     * {@link #keys()}. Every problem is recorded through {@code routes} with its position; null when they
     * leave nothing to build.
     *
     * @param routes what every policy's reading shares: the known models, scorers, floors and model files
     */
    RouteSpec read(String name, Mapping route, RouteReader routes);

    /**
     * A policy's name and its routes' keys.
     *
     * @param keys {@code policy} and the policy's own keys, in the order they are documented
     */
    record Form(String policy, List<String> keys) {

        /** {@code policy} and then {@code keys}. */
        public static Form of(String policy, String... keys) {
            List<String> all = new java.util.ArrayList<>();
            all.add("policy");
            all.addAll(List.of(keys));
            return new Form(policy, List.copyOf(all));
        }
    }
}
