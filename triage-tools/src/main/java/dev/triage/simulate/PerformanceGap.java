package dev.triage.simulate;

/**
 * The quality gap between the weak and the strong model, which routing metrics measure progress
 * across. RouteLLM (Ong et al., arXiv 2406.18665, §2, metrics) defines a router's performance gap
 * recovered at an operating point as {@code PGR = (q − q_weak) / (q_strong − q_weak)}: 0 at the weak
 * model's quality, 1 at the strong model's, above 1 when routing beats the strong model alone.
 *
 * <p>When both models have the same mean quality the gap is <em>degenerate</em>: PGR is 0/0, so PGR,
 * APGR and CPT are undefined and asking for them throws. Check {@link #isDegenerate()} first.
 */
public record PerformanceGap(double weakQuality, double strongQuality) {

    public PerformanceGap {
        if (!Double.isFinite(weakQuality) || !Double.isFinite(strongQuality)) {
            throw new IllegalArgumentException("qualities must be finite: weak " + weakQuality + ", strong " + strongQuality);
        }
    }

    /** True when the strong and weak model score the same on average, so nothing can be recovered. */
    public boolean isDegenerate() {
        return strongQuality == weakQuality;
    }

    /** PGR: the share of the weak-to-strong gap that {@code quality} closes. */
    public double recovered(double quality) {
        requireGap();
        return (quality - weakQuality) / (strongQuality - weakQuality);
    }

    void requireGap() {
        if (isDegenerate()) {
            throw new IllegalStateException("the strong and weak model have the same mean quality ("
                    + strongQuality + "): there is no performance gap, so PGR, APGR and CPT are undefined");
        }
    }
}
