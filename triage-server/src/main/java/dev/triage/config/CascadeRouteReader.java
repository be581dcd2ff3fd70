package dev.triage.config;

import dev.triage.routing.CascadeRouteSpec;
import dev.triage.routing.QualityFloor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads {@code policy: cascade} routes: stages from the cheapest model up, each but the last with an acceptance confidence, a scorer and a model floor. */
public final class CascadeRouteReader implements RoutePolicyReader {

    private static final List<String> STAGE_KEYS = List.of("model", "accept_confidence");

    @Override
    public Form form() {
        return Form.of(CascadeRouteSpec.POLICY, "scorer", "stages", "quality_floor");
    }

    @Override
    public CascadeRouteSpec read(String name, Mapping r, RouteReader routes) {
        RouteReader.ReadScorer scorer = routes.scorer(r);
        List<CascadeRouteSpec.Stage> stages = new ArrayList<>();
        Optional<List<Node>> nodes = r.sequence("stages");
        if (r.keyNode("stages") == null) {
            r.missing("stages", "from the cheapest model up, e.g. stages: [{model: gpt-4.1-mini, accept_confidence: 0.8},"
                    + " {model: gpt-4.1}]");
        } else if (nodes.isPresent() && nodes.get().isEmpty() || !r.has("stages")) {
            r.error("stages", "a cascade needs at least one stage");
        }
        List<Node> list = nodes.orElse(List.of());
        List<RouteReader.Scored> scored = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Mapping stage = Mapping.of(list.get(i), list.get(i), r.pathOf("stages") + "[" + i + "]", routes.context());
            if (!stage.wrongType()) {
                CascadeRouteSpec.Stage read = stage(stage, i == list.size() - 1, routes);
                stages.add(read);
                // the last stage always answers: its answers are never scored
                if (read.model() != null && i < list.size() - 1) {
                    scored.add(new RouteReader.Scored(read.model(), stage));
                }
            }
        }
        QualityFloor floor = routes.floor(r, null);
        routes.checkLogprobs(scorer, stages.stream().map(CascadeRouteSpec.Stage::model).toList());
        routes.checkJudged(scorer, scored);
        return new CascadeRouteSpec(name, stages, scorer.spec(), floor);
    }

    private static CascadeRouteSpec.Stage stage(Mapping s, boolean last, RouteReader routes) {
        s.allowOnly(STAGE_KEYS);
        String model = routes.model(s, "model", true);
        Double accept = s.fraction("accept_confidence").orElse(null);
        if (last && s.keyNode("accept_confidence") != null) {
            s.error("accept_confidence", "the last stage always answers; remove accept_confidence");
            accept = null;
        } else if (!last && s.keyNode("accept_confidence") == null) {
            s.missing("accept_confidence", "every stage but the last needs one: its answer is returned when the"
                    + " scorer's confidence reaches it");
        }
        return new CascadeRouteSpec.Stage(model, accept);
    }
}
