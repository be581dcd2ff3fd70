package dev.triage.routing;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The seed's "quality floor": downgrades and cascades never answer below it. {@link None} sets no floor;
 * {@link Tier} (tiered routes only) allows that tier and the ones above it; {@link Model} drops every
 * model whose combined input+output price per token is lower than that model's.
 */
public sealed interface QualityFloor {

    QualityFloor NONE = new None();

    /** The same floor with its model id (if any) passed through {@code rename}. */
    default QualityFloor renamed(UnaryOperator<String> rename) {
        return this instanceof Model(String id) ? new Model(rename.apply(id)) : this;
    }

    /** No floor: every model the route names may answer. */
    record None() implements QualityFloor {
    }

    /** A tiered route's lowest allowed tier, by name. */
    record Tier(String name) implements QualityFloor {
        public Tier {
            Objects.requireNonNull(name, "name");
        }
    }

    /** The cheapest model (by price per token) a route may answer with, by catalog id. */
    record Model(String id) implements QualityFloor {
        public Model {
            Objects.requireNonNull(id, "id");
        }
    }
}
