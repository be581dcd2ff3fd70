package dev.triage.simulate.plot;

import java.util.List;

/**
 * One strategy on the plot: a curve (its operating points joined in the given order) or single
 * points, each drawn with {@code marker} and labelled with {@code name} beside its last point.
 */
public record Series(String name, List<PlotPoint> points, boolean curve, Marker marker) {

    public Series {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a series needs a name: it is the only label on the plot");
        }
        points = List.copyOf(points);
        if (points.isEmpty()) {
            throw new IllegalArgumentException("series '" + name + "' has no points");
        }
        if (marker == null) {
            throw new IllegalArgumentException("series '" + name + "' has no marker");
        }
    }

    /** Curves get dots on their points, single points a diamond. */
    public Series(String name, List<PlotPoint> points, boolean curve) {
        this(name, points, curve, curve ? Marker.DOT : Marker.DIAMOND);
    }

    /** A strategy with a knob, one point per setting, in sweep order. */
    public static Series curve(String name, List<PlotPoint> points) {
        return new Series(name, points, true, Marker.DOT);
    }

    /** A strategy with one operating point. */
    public static Series point(String name, PlotPoint point, Marker marker) {
        return new Series(name, List.of(point), false, marker);
    }

    /** The per-item best model, drawn as a star and labelled {@code oracle}. */
    public static Series oracle(PlotPoint point) {
        return point("oracle", point, Marker.STAR);
    }

    /** Every request to the strong model: a filled circle labelled {@code always strong (model)}. */
    public static Series alwaysStrong(String model, PlotPoint point) {
        return point("always strong (" + model + ")", point, Marker.FILLED_CIRCLE);
    }

    /** Every request to the weak model: a hollow circle labelled {@code always weak (model)}. */
    public static Series alwaysWeak(String model, PlotPoint point) {
        return point("always weak (" + model + ")", point, Marker.HOLLOW_CIRCLE);
    }
}
