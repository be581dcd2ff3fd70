package dev.triage.report;

import dev.triage.catalog.ModelInfo;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.Money;
import dev.triage.report.Recommendation.Kind;
import dev.triage.report.Report.PromptCache;
import dev.triage.report.Report.Score;
import dev.triage.report.Report.Totals;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns a period's ledger sums and feedback into recommendations. Every finding carries the figures
 * it rests on; a finding whose figures are too thin (see {@link ReportSettings}) is not made.
 */
final class Recommender {

    private final PriceCatalog catalog;
    private final ReportSettings settings;

    Recommender(PriceCatalog catalog, ReportSettings settings) {
        this.catalog = catalog;
        this.settings = settings;
    }

    /**
     * @param window  the span the rows cover, which savings are scaled from to 30 days
     * @param lastDay the last UTC day of the period that has begun (the end of the "recent" window)
     */
    List<Recommendation> recommend(List<UsageRow> rows, List<FeedbackRow> feedback, Totals totals, PromptCache cache,
                                   Report.ResponseCache responses,
                                   Duration window, LocalDate lastDay) {
        List<Recommendation> out = new ArrayList<>();
        if (totals.requests() < settings.minRequests()) {
            out.add(new Recommendation(Kind.INSUFFICIENT_DATA, "Only " + totals.requests() + " requests in this period: "
                    + "recommendations need at least " + settings.minRequests() + ".",
                    null, evidence("requests", totals.requests(), "min_requests", settings.minRequests())));
            out.add(new CacheAdvice(catalog, settings).recommend(rows, cache, responses, window, false));
            return List.copyOf(out);
        }
        LocalDate recentFrom = lastDay.minusDays(settings.recentDays() - 1L);
        out.addAll(qualityPitfalls(feedback, recentFrom, "route", FeedbackRow::route));
        out.addAll(qualityPitfalls(feedback, recentFrom, "model", FeedbackRow::model));
        fallbackPitfall(rows, recentFrom).ifPresent(out::add);

        List<Move> moves = moves(rows, feedback, window);
        moves.stream().sorted(Comparator.comparing((Move m) -> m.monthly).reversed().thenComparing(m -> m.task))
                .forEach(m -> out.add(m.recommendation));
        out.addAll(signals(rows, totals, moves));
        out.add(new CacheAdvice(catalog, settings).recommend(rows, cache, responses, window, true));
        return List.copyOf(out);
    }

    /** A task type's traffic moved from its costliest model to a cheaper one. */
    private record Move(String task, String from, String to, BigDecimal monthly, Recommendation recommendation) {
    }

    private List<Move> moves(List<UsageRow> rows, List<FeedbackRow> feedback, Duration window) {
        TreeSet<String> answering = new TreeSet<>();
        rows.stream().filter(r -> r.answers() > 0).forEach(r -> answering.add(r.model()));
        Map<String, List<UsageRow>> byTask = new TreeMap<>();
        rows.stream().filter(r -> r.task() != null).forEach(r -> byTask.computeIfAbsent(r.task(), t -> new ArrayList<>()).add(r));
        List<Move> moves = new ArrayList<>();
        for (Map.Entry<String, List<UsageRow>> e : byTask.entrySet()) {
            move(e.getKey(), e.getValue(), answering, feedback, window).ifPresent(moves::add);
        }
        return moves;
    }

    private Optional<Move> move(String task, List<UsageRow> rows, TreeSet<String> answering, List<FeedbackRow> feedback,
                                Duration window) {
        long requests = rows.stream().mapToLong(UsageRow::requests).sum();
        long answers = rows.stream().mapToLong(UsageRow::answers).sum();
        if (requests < settings.minRequests()) {
            return Optional.empty();
        }
        Map<String, UsageRow> perModel = new TreeMap<>();
        rows.forEach(r -> perModel.merge(r.model(), r, UsageRow::plus));
        UsageRow top = perModel.values().stream()
                .max(Comparator.comparing(UsageRow::cost).thenComparing(UsageRow::model, Comparator.reverseOrder())).orElseThrow();
        if (top.cost().picos() == 0) {
            return Optional.empty();
        }
        Score current = quality(feedback, task, top.model());
        BigDecimal bar = settings.qualityFloor();
        if (current.count() >= settings.minFeedback()) {
            bar = bar.max(current.mean().subtract(settings.qualityTolerance()));
        }
        record Candidate(String model, Money cost, Score quality, boolean servedTask) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (String id : answering) {
            Optional<ModelInfo> m = catalog.find(id);
            if (id.equals(top.model()) || m.isEmpty()) {
                continue;
            }
            Money repriced = m.get().price().cost(top.tokens());
            if (repriced.compareTo(top.cost()) < 0) {
                UsageRow onTask = perModel.get(id);
                candidates.add(new Candidate(id, repriced, quality(feedback, task, id), onTask != null && onTask.answers() > 0));
            }
        }
        BigDecimal floor = bar;
        Comparator<Candidate> cheapest = Comparator.comparing(Candidate::cost).thenComparing(Candidate::model);
        Optional<Candidate> backed = candidates.stream()
                .filter(c -> c.quality.count() >= settings.minFeedback() && c.quality.mean().compareTo(floor) >= 0)
                .min(cheapest);
        Optional<Candidate> chosen = backed.isPresent() ? backed : candidates.stream()
                .filter(c -> c.quality.count() < settings.minFeedback() && c.servedTask).min(cheapest);
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        Candidate alt = chosen.get();
        Money saving = top.cost().minus(alt.cost);
        BigDecimal monthly = Amounts.monthly(saving, window);
        if (monthly.signum() <= 0) {
            return Optional.empty();
        }
        BigDecimal share = answers > 0 ? Amounts.pct(top.answers(), answers) : Amounts.pct(top.cost(), rows.stream()
                .map(UsageRow::cost).reduce(Money.ZERO, Money::plus));
        StringBuilder text = new StringBuilder();
        text.append(Amounts.pctText(share)).append(" of ").append(task).append(" requests (").append(top.answers())
                .append(" of ").append(answers).append(" answered) went to ").append(top.model()).append("; serving them with ")
                .append(alt.model).append(" would have cost ").append(Amounts.usd(alt.cost)).append(" instead of ")
                .append(Amounts.usd(top.cost())).append(" (save ").append(Amounts.usd(monthly)).append("/month). ");
        if (backed.isPresent()) {
            text.append("Its feedback quality on ").append(task).append(" is ").append(alt.quality.mean().toPlainString())
                    .append(" (n=").append(alt.quality.count()).append(")");
            if (current.count() > 0) {
                text.append(" against ").append(current.mean().toPlainString()).append(" (n=").append(current.count())
                        .append(") for ").append(top.model());
            }
            text.append('.');
        } else {
            text.append(alt.model).append(" already answers some ").append(task).append(" requests but has too little feedback on them (n=")
                    .append(alt.quality.count()).append(", need ").append(settings.minFeedback())
                    .append("): try it on part of the traffic and collect feedback before moving it all.");
        }
        Map<String, Object> evidence = evidence("task", task, "requests", requests, "answered", answers,
                "model", top.model(), "model_answers", top.answers(), "share_pct", share, "cost_usd", top.cost().usd(),
                "alternative", alt.model, "alternative_cost_usd", alt.cost.usd(), "saving_usd", saving.usd(),
                "window_days", Amounts.days(window), "alternative_quality", alt.quality.mean(),
                "alternative_quality_n", alt.quality.count(), "model_quality", current.mean(),
                "model_quality_n", current.count(), "quality_backed", backed.isPresent());
        Recommendation r = new Recommendation(Kind.SAVING, text.toString(), monthly, evidence);
        return Optional.of(new Move(task, top.model(), alt.model, monthly, r));
    }

    /** The seed's two distribution signals: a flagship above 30 % of cost, the cheapest model under 50 %. */
    private List<Recommendation> signals(List<UsageRow> rows, Totals totals, List<Move> moves) {
        if (totals.cost().picos() == 0) {
            return List.of();
        }
        Map<String, UsageRow> perModel = new TreeMap<>();
        rows.forEach(r -> perModel.merge(r.model(), r, UsageRow::plus));
        List<ModelInfo> priced = perModel.keySet().stream().map(catalog::find).flatMap(Optional::stream)
                .filter(m -> perModel.get(m.id()).attempts() > 0).toList();
        if (priced.size() < 2) {
            return List.of();
        }
        Comparator<ModelInfo> byPrice = Comparator.comparing(ReportEngine::blendedPrice).thenComparing(ModelInfo::id);
        ModelInfo flagship = priced.stream().max(byPrice).orElseThrow();
        ModelInfo cheapest = priced.stream().min(byPrice).orElseThrow();
        if (ReportEngine.blendedPrice(flagship).compareTo(ReportEngine.blendedPrice(cheapest)) == 0) {
            return List.of();
        }
        List<Recommendation> out = new ArrayList<>();
        UsageRow f = perModel.get(flagship.id());
        BigDecimal fShare = Amounts.pct(f.cost(), totals.cost());
        if (fShare.compareTo(settings.flagshipSharePct()) > 0) {
            BigDecimal saving = sum(moves, m -> m.from.equals(flagship.id()));
            out.add(new Recommendation(Kind.SIGNAL, flagship.id() + ", the most expensive model in use, took "
                    + Amounts.pctText(fShare) + " of spend (" + Amounts.usd(f.cost()) + " of " + Amounts.usd(totals.cost())
                    + ", " + f.answers() + " requests answered), above the " + settings.flagshipSharePct().toPlainString()
                    + "% mark: move its simple tasks to cheaper models. "
                    + (saving == null ? "No cheaper model has served enough of its task types here to estimate a saving yet."
                    : "The task moves above would save " + Amounts.usd(saving) + "/month."),
                    saving, evidence("model", flagship.id(), "cost_usd", f.cost().usd(), "share_pct", fShare,
                    "answers", f.answers(), "threshold_pct", settings.flagshipSharePct())));
        }
        UsageRow c = perModel.get(cheapest.id());
        BigDecimal cShare = Amounts.pct(c.cost(), totals.cost());
        BigDecimal cAnswers = Amounts.pct(c.answers(), totals.answered());
        if (cShare.compareTo(settings.cheapSharePct()) < 0 && cAnswers != null && cAnswers.compareTo(settings.cheapSharePct()) < 0) {
            BigDecimal saving = sum(moves, m -> m.to.equals(cheapest.id()));
            out.add(new Recommendation(Kind.SIGNAL, cheapest.id() + ", the cheapest model in use, carried "
                    + Amounts.pctText(cShare) + " of spend and answered " + Amounts.pctText(cAnswers) + " of requests ("
                    + c.answers() + " of " + totals.answered() + "), under the " + settings.cheapSharePct().toPlainString()
                    + "% mark: give it more of the simple traffic. "
                    + (saving == null ? "No task type has the quality evidence to move to it yet."
                    : "The task moves to it above would save " + Amounts.usd(saving) + "/month."),
                    saving, evidence("model", cheapest.id(), "cost_usd", c.cost().usd(), "share_pct", cShare,
                    "answers", c.answers(), "answer_share_pct", cAnswers, "threshold_pct", settings.cheapSharePct())));
        }
        return out;
    }

    private static BigDecimal sum(List<Move> moves, Predicate<Move> which) {
        return moves.stream().filter(which).map(Move::monthly).reduce(BigDecimal::add).orElse(null);
    }

    /** The seed's "quality keeps falling" pitfall: recent feedback under the floor, with what it was before. */
    private List<Recommendation> qualityPitfalls(List<FeedbackRow> feedback, LocalDate recentFrom, String dimension,
                                                 Function<FeedbackRow, String> key) {
        List<Recommendation> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>();
        feedback.stream().map(key).filter(Objects::nonNull).forEach(names::add);
        for (String name : names) {
            Score recent = ReportEngine.score(feedback, f -> name.equals(key.apply(f)) && !f.day().isBefore(recentFrom));
            Score before = ReportEngine.score(feedback, f -> name.equals(key.apply(f)) && f.day().isBefore(recentFrom));
            if (recent.count() < settings.minFeedback() || recent.mean().compareTo(settings.qualityFloor()) >= 0) {
                continue;
            }
            String floor = settings.qualityFloor().toPlainString();
            String recentText = recent.mean().toPlainString() + " (n=" + recent.count() + ")";
            String text;
            if (before.count() >= settings.minFeedback() && before.mean().compareTo(settings.qualityFloor()) >= 0) {
                text = "Feedback quality on " + dimension + " " + name + " fell from " + before.mean().toPlainString() + " (n="
                        + before.count() + ") to " + recentText + " in the last " + settings.recentDays()
                        + " days, under the floor of " + floor + ": check what changed (routing policy, thresholds, model versions).";
            } else if (before.count() >= settings.minFeedback()) {
                text = "Feedback quality on " + dimension + " " + name + " has stayed under the floor of " + floor + ": "
                        + before.mean().toPlainString() + " (n=" + before.count() + ") before, " + recentText
                        + " in the last " + settings.recentDays() + " days.";
            } else {
                text = "Feedback quality on " + dimension + " " + name + " is " + recentText + " in the last "
                        + settings.recentDays() + " days, under the floor of " + floor + ".";
            }
            out.add(new Recommendation(Kind.PITFALL, text, null, evidence(dimension, name, "recent_quality", recent.mean(),
                    "recent_n", recent.count(), "before_quality", before.mean(), "before_n", before.count(),
                    "floor", settings.qualityFloor(), "recent_days", settings.recentDays())));
        }
        return out;
    }

    /** The seed's degradation pitfall: answers that needed a fallback, recent days against the rest of the period. */
    private Optional<Recommendation> fallbackPitfall(List<UsageRow> rows, LocalDate recentFrom) {
        long recentAnswers = 0, recentFallbacks = 0, beforeAnswers = 0, beforeFallbacks = 0;
        Map<String, Long> recentErrors = new TreeMap<>();
        for (UsageRow r : rows) {
            if (r.day().isBefore(recentFrom)) {
                beforeAnswers += r.answers();
                beforeFallbacks += r.recovered();
            } else {
                recentAnswers += r.answers();
                recentFallbacks += r.recovered();
                if (r.errors() > 0) {
                    recentErrors.merge(r.model(), r.errors(), Long::sum);
                }
            }
        }
        if (recentAnswers < settings.minRequests() || beforeAnswers < settings.minRequests()) {
            return Optional.empty();
        }
        BigDecimal recent = Amounts.pct(recentFallbacks, recentAnswers);
        BigDecimal before = Amounts.pct(beforeFallbacks, beforeAnswers);
        // Rising means at least double and at least one point more, so noise around a tiny rate is not an alarm.
        if (recent.compareTo(before.multiply(BigDecimal.TWO)) < 0 || recent.subtract(before).compareTo(BigDecimal.ONE) < 0) {
            return Optional.empty();
        }
        Map.Entry<String, Long> worst = recentErrors.entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .orElse(null);
        String text = "Fallbacks rose from " + Amounts.pctText(before) + " of answered requests (n=" + beforeAnswers + ") to "
                + Amounts.pctText(recent) + " (n=" + recentAnswers + ") in the last " + settings.recentDays() + " days"
                + (worst == null ? "." : "; most failed attempts were on " + worst.getKey() + " (" + worst.getValue()
                + "): check its provider's status, rate limits and keys.");
        return Optional.of(new Recommendation(Kind.PITFALL, text, null, evidence("recent_fallback_pct", recent,
                "recent_answers", recentAnswers, "before_fallback_pct", before, "before_answers", beforeAnswers,
                "most_errors_model", worst == null ? null : worst.getKey(), "most_errors", worst == null ? 0L : worst.getValue(),
                "recent_days", settings.recentDays())));
    }

    private static Score quality(List<FeedbackRow> feedback, String task, String model) {
        return ReportEngine.score(feedback, f -> task.equals(f.task()) && model.equals(f.model()));
    }

    /** Name-value pairs in order. */
    static Map<String, Object> evidence(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
