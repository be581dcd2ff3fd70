package dev.triage.routing;

/**
 * The seed's "quality floor": downgrades and cascades never answer below it. Either a tier name (for
 * tiered routes: that tier and the ones above it are allowed) or a model id (models whose combined
 * input+output price per token is lower than that model's are below the floor). Both null: no floor.
 */
public record QualityFloor(String tier, String model) {

    public static final QualityFloor NONE = new QualityFloor(null, null);

    public boolean isSet() {
        return tier != null || model != null;
    }

    /** The same floor with its model id passed through {@code rename}. */
    public QualityFloor renamed(java.util.function.UnaryOperator<String> rename) {
        return model == null ? this : new QualityFloor(tier, rename.apply(model));
    }
}
