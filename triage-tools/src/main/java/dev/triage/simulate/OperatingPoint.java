package dev.triage.simulate;

/**
 * Where a strategy lands at one setting of its knob: the share of requests that called the strong
 * model, and the mean quality of the answers (on the dataset's score scale).
 *
 * @param strongCallShare from 0 (never called) to 1 (called on every request)
 */
public record OperatingPoint(double strongCallShare, double quality) {

    public OperatingPoint {
        if (!(strongCallShare >= 0 && strongCallShare <= 1)) {
            throw new IllegalArgumentException("strongCallShare must be in [0, 1]: " + strongCallShare);
        }
        if (!Double.isFinite(quality)) {
            throw new IllegalArgumentException("quality must be finite: " + quality);
        }
    }
}
