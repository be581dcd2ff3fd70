package dev.triage.simulate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Every model of a dataset on its own, and what a router among many models is measured against: the
 * best single model (highest mean quality, the cheaper on a tie) and the single-model frontier
 * ({@link CostCurve#frontier}). For a strategy's sweep ({@link #compare}):
 *
 * <ul>
 *   <li><b>cost to match the best model</b>: the least cost per request at which the strategy's
 *       {@link CostCurve} reaches the best model's quality, as a share of the best model's cost;</li>
 *   <li><b>quality at 10 % / 25 % of its cost</b>: the curve's quality at that budget per request
 *       (empty when the strategy's cheapest point costs more);</li>
 *   <li><b>area versus the frontier</b>: the mean of the strategy's curve minus the frontier over costs
 *       from the later of the cheapest model's and the strategy's cheapest point to the best model's
 *       cost — in quality units, how much better than the best random mix of single models the strategy
 *       is at the same spend, on average over that range.</li>
 * </ul>
 */
public final class SingleModels {

    /** One model answering everything. */
    public record Model(String id, double cost, double quality, boolean pareto, boolean onFrontier) {
    }

    /** A strategy's sweep against the single models; an empty value means "never" or "not defined" (see above). */
    public record Comparison(OptionalDouble costToMatchBest, OptionalDouble qualityAt10Pct, OptionalDouble qualityAt25Pct,
                             OptionalDouble areaVsFrontier) {
    }

    private final List<Model> models;
    private final Model best;
    private final CostCurve frontier;

    /** From each model's (cost per request, quality) answering every item; at least one. */
    public SingleModels(List<String> ids, List<CostCurve.Point> points) {
        if (ids.isEmpty() || ids.size() != points.size()) {
            throw new IllegalArgumentException("one point per model, at least one model");
        }
        this.frontier = CostCurve.frontier(points);
        List<CostCurve.Point> pareto = CostCurve.pareto(points);
        List<CostCurve.Point> corners = frontier.breakpoints();
        List<Model> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            CostCurve.Point p = points.get(i);
            out.add(new Model(ids.get(i), p.cost(), p.quality(), pareto.contains(p), corners.contains(p)));
        }
        this.models = List.copyOf(out);
        this.best = models.stream().min(Comparator.comparingDouble((Model m) -> -m.quality()).thenComparingDouble(Model::cost))
                .orElseThrow();
    }

    public List<Model> models() {
        return models;
    }

    /** The best single model: highest mean quality, the cheaper on a tie. */
    public Model best() {
        return best;
    }

    public CostCurve frontier() {
        return frontier;
    }

    /**
     * The model for a middle tier between {@code low} and {@code high}: of the models costing strictly
     * between them, a corner of the frontier if there is one, else a Pareto model, else any, the one whose
     * cost is nearest their geometric mean (the middle of a price ladder, where each step multiplies the
     * price); the better on a tie. Null when no model costs strictly between them.
     */
    public String middle(String low, String high) {
        Model lo = model(low);
        Model hi = model(high);
        List<Model> between = models.stream().filter(m -> m.cost() > lo.cost() && m.cost() < hi.cost()).toList();
        if (between.isEmpty()) {
            return null;
        }
        List<Model> frontierOnes = between.stream().filter(Model::onFrontier).toList();
        List<Model> paretoOnes = between.stream().filter(Model::pareto).toList();
        List<Model> pool = !frontierOnes.isEmpty() ? frontierOnes : !paretoOnes.isEmpty() ? paretoOnes : between;
        double target = Math.sqrt(lo.cost() * hi.cost());
        return pool.stream().min(Comparator.comparingDouble((Model m) -> Math.abs(Math.log(m.cost() / target)))
                .thenComparingDouble(m -> -m.quality())).orElseThrow().id();
    }

    private Model model(String id) {
        return models.stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no model " + id + " on every item"));
    }

    /** How a strategy whose sweep has these (cost, quality) points does against the single models. */
    public Comparison compare(List<CostCurve.Point> sweep) {
        CostCurve curve = CostCurve.through(sweep);
        OptionalDouble match = curve.costToReach(best.quality());
        OptionalDouble share = match.isPresent() && best.cost() > 0 ? OptionalDouble.of(match.getAsDouble() / best.cost()) : OptionalDouble.empty();
        double from = Math.max(frontier.minCost(), curve.minCost());
        return new Comparison(share, curve.qualityAt(0.10 * best.cost()), curve.qualityAt(0.25 * best.cost()),
                curve.meanGapOver(frontier, from, best.cost()));
    }
}
