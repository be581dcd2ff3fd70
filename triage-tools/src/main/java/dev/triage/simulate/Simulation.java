package dev.triage.simulate;

import dev.triage.routing.RouteSpec;
import dev.triage.simulate.plot.CostQualityPlot;
import dev.triage.simulate.plot.Marker;
import dev.triage.simulate.plot.PlotPoint;
import dev.triage.simulate.plot.Series;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.DoubleFunction;

/**
 * What {@code triage simulate} computes: the references, the policy kinds bound to the dataset's
 * models (swept over their knob), and any config routes, each with the RouteLLM metrics.
 */
public final class Simulation {

    /** The built-in references. */
    public static final List<String> REFERENCES = List.of("always-strong", "always-weak", "random", "oracle");
    /** The policy kinds, bound to the dataset's models. */
    public static final List<String> POLICIES = List.of("cascade", "task", "tiered");
    private static final int SWEEP_POINTS = 10;

    private final Simulator simulator;
    private final int seeds;
    private final LearnedStrategies learned;
    private final StrategyResult strong;
    private final StrategyResult weak;
    private final List<StrategyResult> singles = new ArrayList<>();
    private final SingleModels singleModels;
    private final BoundPolicies bound;

    public Simulation(Simulator simulator, int seeds) {
        this(simulator, seeds, null);
    }

    /** With {@code learned} set, the {@link LearnedStrategies} can run too. */
    public Simulation(Simulator simulator, int seeds, LearnedStrategies learned) {
        this.simulator = simulator;
        this.seeds = seeds;
        this.learned = learned;
        this.strong = simulator.always("always-strong", simulator.strong());
        this.weak = simulator.always("always-weak", simulator.weak());
        List<String> ids = new ArrayList<>(simulator.dataset().modelsOnEveryItem());
        List<CostCurve.Point> points = new ArrayList<>();
        for (String id : ids) {
            StrategyResult r = simulator.always(id, id);
            singles.add(r);
            points.add(costPoint(r));
        }
        this.singleModels = new SingleModels(ids, points);
        this.bound = ids.size() > 2 ? new BoundPolicies(simulator.weak(), singleModels.middle(simulator.weak(), simulator.strong()),
                simulator.strong()) : simulator.bound();
    }

    /** The policy kinds' models: the weak and strong one, and on a file of more models a middle one. */
    public BoundPolicies bound() {
        return bound;
    }

    /** Every model with an outcome on every item, on its own, and the frontier they span. */
    public SingleModels singleModels() {
        return singleModels;
    }

    private static CostCurve.Point costPoint(StrategyResult r) {
        return new CostCurve.Point(r.costPerRequestUsd().doubleValue(), r.quality());
    }

    /**
     * One strategy: its operating points, and for a swept strategy its curve's RouteLLM metrics and its
     * comparison with the single models ({@code versus}, null when not swept).
     */
    public record StrategyRun(String name, List<StrategyResult> points, boolean swept, double apgr, DoubleFunction<Double> cptOf,
                              SingleModels.Comparison versus) {

        /** The strong-call share needed to recover {@code pgr} of the gap (NaN if never reached, or not swept). */
        public double cpt(double pgr) {
            return swept ? cptOf.apply(pgr) : Double.NaN;
        }
    }

    /** The strategies run when none are named: references, then config routes if any, else the bound policies. */
    public static List<String> defaultStrategies(Set<String> configRoutes) {
        List<String> out = new ArrayList<>(REFERENCES);
        out.addAll(configRoutes.isEmpty() ? POLICIES : configRoutes);
        return out;
    }

    public String strongModel() {
        return simulator.strong();
    }

    public String weakModel() {
        return simulator.weak();
    }

    /** Whether the strong and weak model were picked from the outcomes because the manifest names none. */
    public boolean pairPicked() {
        return simulator.pairPicked();
    }

    /** {@code model} answering every item. */
    public StrategyResult single(String model) {
        return singles.stream().filter(r -> r.name().equals(model)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no model " + model + " on every item"));
    }

    public double strongQuality() {
        return strong.quality();
    }

    public double weakQuality() {
        return weak.quality();
    }

    /** Cost saved versus sending everything to the strong model, in percent. */
    public double costReductionPct(StrategyResult r) {
        double base = strong.totalCost().picos() / (double) strong.count();
        double mine = r.totalCost().picos() / (double) r.count();
        return base == 0 ? 0 : 100 * (1 - mine / base);
    }

    public List<StrategyRun> run(List<String> names, Map<String, RouteSpec> routes, BiConsumer<String, Double> progress) {
        Set<String> unique = new LinkedHashSet<>(names);
        List<StrategyRun> runs = new ArrayList<>();
        int done = 0;
        for (String name : unique) {
            progress.accept(name, (double) done / unique.size());
            runs.add(runOne(name, routes));
            done++;
        }
        progress.accept("done", 1.0);
        return runs;
    }

    private StrategyRun runOne(String name, Map<String, RouteSpec> routes) {
        if (routes.containsKey(name)) {
            RouteSpec route = routes.get(name);
            return single(simulator.runRoute(name, null, "config route '" + name + "' (" + route.policy() + ")", route));
        }
        return switch (name) {
            case "always-strong" -> single(strong);
            case "always-weak" -> single(weak);
            case "oracle" -> single(simulator.oracle());
            case "random" -> {
                List<StrategyResult> points = new ArrayList<>();
                for (int i = 0; i <= SWEEP_POINTS; i++) {
                    points.add(simulator.random(i / (double) SWEEP_POINTS, seeds, 42));
                }
                yield swept("random", points);
            }
            case "cascade" -> sweep("cascade", t -> simulator.runRoute("cascade", point(t),
                    bound.middle() == null ? "weak model; keep its answer if heuristic confidence >= t, else strong"
                    : "cascade " + bound.lineUp() + "; an answer is kept if heuristic confidence >= t", bound.cascade(t)));
            case "task" -> sweep("task", t -> simulator.runRoute("task", point(t), bound.middle() == null
                    ? "task map: reasoning/code to strong; the rest weak, fallback below t"
                    : "task map: reasoning/code to " + bound.strong() + ", classification/fast to " + bound.weak()
                    + " (classification kept at t), the rest to " + bound.middle(), bound.task(t)));
            case "tiered" -> single(simulator.runRoute("tiered", null, bound.middle() == null
                    ? "tiers by complexity: medium/high strong, low weak"
                    : "tiers by complexity: high " + bound.strong() + ", medium " + bound.middle() + ", low " + bound.weak(),
                    bound.tiered()));
            case "learned", "learned-priced", "learned-cascade" -> {
                if (learned == null) {
                    throw new IllegalArgumentException("strategy '" + name + "' needs a trained model: pass --cv K to train and score"
                            + " it by K-fold cross-validation on this dataset, or --router-model FILE");
                }
                yield swept(name, switch (name) {
                    case "learned" -> learned.router(SWEEP_POINTS);
                    case "learned-priced" -> learned.priced(SWEEP_POINTS);
                    default -> learned.cascade(SWEEP_POINTS);
                });
            }
            default -> throw new IllegalArgumentException("unknown strategy '" + name + "'; use a config route ("
                    + String.join(", ", routes.keySet()) + "), " + String.join(", ", POLICIES) + ", " + String.join(", ", LearnedStrategies.NAMES)
                    + ", or " + String.join(", ", REFERENCES));
        };
    }

    private static String point(double t) {
        return String.format("t=%.3f", t);
    }

    /** Runs a knob-driven strategy at thresholds drawn from 10 quantiles of the weak answers' confidence. */
    private StrategyRun sweep(String name, DoubleFunction<StrategyResult> at) {
        double[] thresholds = ThresholdSweep.quantiles(simulator.weakConfidences(), SWEEP_POINTS);
        List<StrategyResult> points = new ArrayList<>();
        for (double t : Arrays.stream(thresholds).distinct().toArray()) {
            points.add(at.apply(t));
        }
        return swept(name, points);
    }

    private StrategyRun swept(String name, List<StrategyResult> points) {
        List<OperatingPoint> curve = new ArrayList<>();
        for (StrategyResult r : points) {
            curve.add(new OperatingPoint(r.strongShare(), r.quality()));
        }
        RouterCurve rc = RouterCurve.of(curve);
        double qw = weak.quality();
        double qs = strong.quality();
        SingleModels.Comparison versus = singleModels.compare(points.stream().map(Simulation::costPoint).toList());
        return new StrategyRun(name, points, true, rc.apgr(qw, qs), pgr -> rc.cpt(pgr, qw, qs).orElse(Double.NaN), versus);
    }

    private static StrategyRun single(StrategyResult r) {
        return new StrategyRun(r.name(), List.of(r), false, Double.NaN, pgr -> Double.NaN, null);
    }

    /** The cost–quality plot of every strategy, with the oracle and the single models marked. */
    public String plot(List<StrategyRun> runs) {
        List<Series> series = new ArrayList<>();
        for (StrategyRun run : runs) {
            List<PlotPoint> points = new ArrayList<>();
            for (StrategyResult r : run.points()) {
                points.add(new PlotPoint(r.costPerRequestUsd().doubleValue(), r.quality(), r.point()));
            }
            series.add(switch (run.name()) {
                case "always-strong" -> new Series("always strong (" + simulator.strong() + ")", points, false, Marker.FILLED_CIRCLE);
                case "always-weak" -> new Series("always weak (" + simulator.weak() + ")", points, false, Marker.HOLLOW_CIRCLE);
                case "oracle" -> new Series("oracle", points, false, Marker.STAR);
                default -> new Series(run.name(), points, run.swept());
            });
        }
        // the frontier is linear in cost, so on the plot's log axis it is drawn through points between its corners
        List<PlotPoint> frontier = new ArrayList<>();
        List<CostCurve.Point> corners = singleModels.frontier().breakpoints();
        for (int i = 0; i < corners.size(); i++) {
            CostCurve.Point p = corners.get(i);
            if (i > 0 && corners.get(i - 1).cost() > 0) {
                CostCurve.Point a = corners.get(i - 1);
                for (int k = 1; k < 16; k++) {
                    double c = a.cost() * Math.pow(p.cost() / a.cost(), k / 16.0);
                    frontier.add(new PlotPoint(c, singleModels.frontier().qualityAt(c).orElseThrow(), null));
                }
            }
            frontier.add(new PlotPoint(p.cost(), p.quality(), null));
        }
        if (frontier.size() > 1) {
            series.add(new Series("single-model frontier", frontier, true, Marker.NONE));
        }
        for (StrategyResult r : singles) {
            if (!r.name().equals(simulator.strong()) && !r.name().equals(simulator.weak())) {
                series.add(Series.point(r.name(), new PlotPoint(r.costPerRequestUsd().doubleValue(), r.quality(), null), Marker.SQUARE));
            }
        }
        String title = simulator.dataset().manifest().name() + " — " + String.format("%,d", simulator.dataset().items().size()) + " items";
        return new CostQualityPlot(title).render(series);
    }
}
