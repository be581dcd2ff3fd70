package dev.triage.simulate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The best quality a strategy reaches without spending more than c per request, for every c from its
 * cheapest point on: linear between its operating points (sorted by cost), never falling (a dearer point
 * of lower quality is not worth its price, so the curve stays at the best reached so far), and flat after
 * its dearest point. The metrics that compare routers among many models are read off such curves.
 *
 * <p>Costs are USD per request as doubles: these are summaries of exact totals, never summed as money.
 */
public final class CostCurve {

    // Mean qualities summed in different orders differ in the last bits; a quality this close counts as reached.
    private static final double TOLERANCE = 1e-9;

    /** One operating point: mean cost per request (USD) and mean quality. */
    public record Point(double cost, double quality) {

        public Point {
            if (!(cost >= 0) || !Double.isFinite(cost) || !Double.isFinite(quality)) {
                throw new IllegalArgumentException("a point needs a finite cost >= 0 and a finite quality: " + cost + ", " + quality);
            }
        }
    }

    private final double[] cost;
    private final double[] quality;

    private CostCurve(List<Point> breakpoints) {
        this.cost = breakpoints.stream().mapToDouble(Point::cost).toArray();
        this.quality = breakpoints.stream().mapToDouble(Point::quality).toArray();
    }

    /** The curve through {@code points}, in any order (of points at equal cost, the best counts). */
    public static CostCurve through(List<Point> points) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a curve needs at least one point");
        }
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(Point::cost).thenComparing(Comparator.comparingDouble(Point::quality).reversed()));
        List<Point> distinct = new ArrayList<>();
        for (Point p : sorted) {
            if (distinct.isEmpty() || distinct.getLast().cost() != p.cost()) {
                distinct.add(p);
            }
        }
        List<Point> out = new ArrayList<>();
        out.add(distinct.getFirst());
        double best = distinct.getFirst().quality();
        for (int i = 1; i < distinct.size(); i++) {
            Point a = distinct.get(i - 1);
            Point b = distinct.get(i);
            if (b.quality() <= best) {
                out.add(new Point(b.cost(), best));
            } else {
                if (a.quality() < best) { // the segment rises through the best so far: the curve bends there
                    double at = a.cost() + (best - a.quality()) / (b.quality() - a.quality()) * (b.cost() - a.cost());
                    out.add(new Point(at, best));
                }
                out.add(b);
                best = b.quality();
            }
        }
        return new CostCurve(out);
    }

    /**
     * The single-model frontier: what sending each request at random to one of the models achieves, i.e.
     * the upper concave hull of their (cost, quality) points from the cheapest model to the best one.
     * Random mixing of two models reaches every point of the segment between them, so no router that
     * does less is worth its complexity.
     */
    public static CostCurve frontier(List<Point> singleModels) {
        List<Point> pareto = pareto(singleModels);
        List<Point> hull = new ArrayList<>();
        for (Point p : pareto) {
            while (hull.size() >= 2 && !bendsDown(hull.get(hull.size() - 2), hull.getLast(), p)) {
                hull.removeLast();
            }
            hull.add(p);
        }
        return through(hull);
    }

    /** The points no other point beats on both cost and quality (equal on both: the first), by rising cost. */
    public static List<Point> pareto(List<Point> points) {
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(Point::cost).thenComparing(Comparator.comparingDouble(Point::quality).reversed()));
        List<Point> out = new ArrayList<>();
        for (Point p : sorted) {
            if (out.isEmpty() || p.quality() > out.getLast().quality()) {
                out.add(p);
            }
        }
        return out;
    }

    // a → b → c turns clockwise (b lies strictly above the chord a–c): b stays on the upper hull
    private static boolean bendsDown(Point a, Point b, Point c) {
        double cross = (b.cost() - a.cost()) * (c.quality() - a.quality()) - (b.quality() - a.quality()) * (c.cost() - a.cost());
        return cross < 0;
    }

    /** The cheapest point's cost: below it the curve is not defined. */
    public double minCost() {
        return cost[0];
    }

    /** The highest quality on the curve. */
    public double maxQuality() {
        return quality[quality.length - 1];
    }

    /** The curve's corners, by rising cost. */
    public List<Point> breakpoints() {
        List<Point> out = new ArrayList<>(cost.length);
        for (int i = 0; i < cost.length; i++) {
            out.add(new Point(cost[i], quality[i]));
        }
        return out;
    }

    /** The best quality reached spending at most {@code budget} per request; empty below the cheapest point. */
    public OptionalDouble qualityAt(double budget) {
        if (budget < cost[0]) {
            return OptionalDouble.empty();
        }
        int i = Arrays.binarySearch(cost, budget);
        if (i >= 0) {
            return OptionalDouble.of(quality[i]);
        }
        int after = -i - 1;
        if (after == cost.length) {
            return OptionalDouble.of(quality[cost.length - 1]);
        }
        int before = after - 1;
        double along = (budget - cost[before]) / (cost[after] - cost[before]);
        return OptionalDouble.of(quality[before] + along * (quality[after] - quality[before]));
    }

    /** The least cost per request at which the curve reaches {@code target} quality; empty when it never does. */
    public OptionalDouble costToReach(double target) {
        if (quality[0] >= target - TOLERANCE) {
            return OptionalDouble.of(cost[0]);
        }
        for (int i = 1; i < cost.length; i++) {
            if (quality[i] >= target - TOLERANCE) {
                double along = Math.min(1, (target - quality[i - 1]) / (quality[i] - quality[i - 1]));
                return OptionalDouble.of(cost[i - 1] + along * (cost[i] - cost[i - 1]));
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * The mean of {@code this − other} over costs {@code from} to {@code to}: the area between the two
     * curves divided by the width, exact (both are linear between their corners). Empty when the range is
     * empty or either curve is not defined at {@code from}.
     */
    public OptionalDouble meanGapOver(CostCurve other, double from, double to) {
        if (!(to > from) || from < minCost() || from < other.minCost()) {
            return OptionalDouble.empty();
        }
        List<Double> xs = new ArrayList<>();
        xs.add(from);
        for (double[] cs : new double[][]{cost, other.cost}) {
            for (double c : cs) {
                if (c > from && c < to) {
                    xs.add(c);
                }
            }
        }
        xs.add(to);
        xs.sort(null);
        double area = 0;
        double previous = gap(other, from);
        for (int i = 1; i < xs.size(); i++) {
            double g = gap(other, xs.get(i));
            area += (xs.get(i) - xs.get(i - 1)) * (previous + g) / 2;
            previous = g;
        }
        return OptionalDouble.of(area / (to - from));
    }

    private double gap(CostCurve other, double c) {
        return qualityAt(c).orElseThrow() - other.qualityAt(c).orElseThrow();
    }

    @Override
    public String toString() {
        return "CostCurve" + breakpoints();
    }
}
