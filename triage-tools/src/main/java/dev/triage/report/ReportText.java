package dev.triage.report;

import dev.triage.report.Report.Line;
import dev.triage.report.Report.QualityLine;
import dev.triage.report.Report.Score;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link Report} for people: a terminal table ({@code triage report}) or Markdown for a wiki page or
 * a weekly mail ({@code --format markdown}). Same figures as the JSON; amounts of a dollar or more are
 * shown to the cent.
 */
public final class ReportText {

    private static final int BAR = 20;
    private static final int TOP = 10;

    private ReportText() {
    }

    /** The report as aligned plain-text tables with share bars. */
    public static String table(Report r) {
        StringBuilder b = new StringBuilder();
        Report.Totals t = r.totals();
        b.append("Triage cost report, ").append(r.period().from()).append(" to ").append(r.period().to())
                .append(scopeText(r.scope())).append('\n');
        b.append('\n');
        kv(b, "Total cost", Amounts.usd(t.cost()));
        kv(b, "Requests", String.format(Locale.ROOT, "%,d (answered %,d; %,d upstream attempts, %,d failed)",
                t.requests(), t.answered(), t.attempts(), t.errors()));
        kv(b, "Average per request", t.avgCostPerRequest() == null ? "-" : Amounts.usd(t.avgCostPerRequest()));
        kv(b, "Fallback rate", pct(t.fallbackRatePct()) + " of answers came after a failed attempt");
        kv(b, "Saved by prompt cache", cacheText(r.promptCache()));
        if (t.estimatedAttempts() > 0) {
            kv(b, "Estimated usage", t.estimatedAttempts() + " attempts (no provider usage; counted locally)");
        }
        if (!r.deadLetters().isEmpty()) {
            kv(b, "Dead letters", deadLetterText(r.deadLetters()));
        }
        section(b, "Spend by model (requests = answers given)");
        bars(b, r.byModel());
        section(b, "Spend by route");
        bars(b, r.byRoute());
        section(b, "Spend by task type");
        bars(b, r.byTask());
        if (r.byTier().stream().anyMatch(l -> l.name() != null)) {
            section(b, "Spend by tier");
            bars(b, r.byTier());
        }
        section(b, "Most expensive users");
        bars(b, r.byUser().subList(0, Math.min(TOP, r.byUser().size())));
        if (hasKeys(r)) {
            section(b, "Spend by virtual key");
            bars(b, keyLines(r));
            section(b, "Spend by team");
            bars(b, teamLines(r));
        }
        if (!r.keyBudgets().isEmpty()) {
            section(b, "Virtual key budgets (current period)");
            for (Report.KeyBudget k : r.keyBudgets()) {
                b.append(String.format(Locale.ROOT, "  %-22s %s %12s of %-12s %s%n", truncate(k.key()), bar(k.usedPct()),
                        k.spent() == null ? "unknown" : Amounts.usd(k.spent()), Amounts.usd(k.limit()),
                        (k.usedPct() == null ? "" : pct(k.usedPct()) + " used ") + "(" + k.period() + " from " + k.periodStart() + ")"));
            }
        }
        section(b, "Daily spend");
        List<Report.Day> busy = busyDays(r);
        for (Report.Day d : busy) {
            b.append(String.format(Locale.ROOT, "  %s  %12s  %,9d req  %s%n", d.day(), Amounts.usd(d.cost()), d.requests(),
                    byModelText(d)));
        }
        String quiet = quietDays(r.daily().size() - busy.size(), busy.isEmpty());
        if (quiet != null) {
            b.append("  ").append(quiet).append('\n');
        }
        if (!r.budgets().isEmpty()) {
            section(b, "Budgets today");
            for (Report.Budget x : r.budgets()) {
                b.append(String.format(Locale.ROOT, "  %-24s %12s of %-12s %s%n", x.route() + "/" + x.tier(),
                        Amounts.usd(x.spent()), x.limit() == null ? "unlimited" : Amounts.usd(x.limit()),
                        x.usedPct() == null ? "" : pct(x.usedPct()) + " used (" + x.day() + ", " + x.zone() + ")"));
            }
        }
        section(b, "Quality (feedback scores 0..1)");
        b.append("  overall  ").append(score(r.quality().overall())).append('\n');
        qualityLines(b, "model", r.quality().byModel());
        qualityLines(b, "route", r.quality().byRoute());
        qualityLines(b, "task", r.quality().byTask());
        section(b, "Routing efficiency (quality per dollar against strong-only; above 1 is better)");
        RoutingEfficiency e = r.routingEfficiency();
        if (e.overall() == null) {
            b.append("  no answered requests on configured routes\n");
        } else {
            b.append(String.format(Locale.ROOT, "  overall  %s (%s): paid %s where strong-only would have cost %s (%s of it)%n",
                    e.overall().efficiency(), e.overall().rating(), Amounts.usd(e.overall().actualCost()),
                    Amounts.usd(e.overall().strongOnlyCost()), pct(e.overall().costPctOfStrong())));
            for (RoutingEfficiency.RouteLine l : e.routes()) {
                b.append(String.format(Locale.ROOT, "  %-12s %s vs %s: paid %s, strong-only %s, quality retained %s%s%n",
                        l.route(), l.efficiency(), l.strongestModel(), Amounts.usd(l.actualCost()), Amounts.usd(l.strongOnlyCost()),
                        pct(l.qualityRetainedPct()), l.qualityAdjusted() ? "" : " (not enough feedback)"));
            }
        }
        section(b, "Prompt caching by model (hit rate = input tokens read from a provider's cache)");
        cacheLines(b, r.promptCache().byModel());
        section(b, "Prompt caching by route");
        cacheLines(b, r.promptCache().byRoute());
        section(b, "Latency and errors by model (p50/p95 of successful calls; TTFT = time to first token of streams)");
        latencyLines(b, r.latency().byModel());
        section(b, "Latency and errors by route");
        latencyLines(b, r.latency().byRoute());
        if (!r.contextExperiment().arms().isEmpty()) {
            section(b, "Context experiment (shared context: compact = older turns condensed, full = whole history)");
            for (Report.ArmLine a : r.contextExperiment().arms()) {
                b.append(String.format(Locale.ROOT, "  %-8s %,9d req (answered %,d) %12s %12s/req  quality %-16s %,d in, %,d out%n",
                        truncate(a.arm()), a.requests(), a.answered(), Amounts.usd(a.cost()), perRequest(a),
                        score(a.quality()), a.inputTokens(), a.outputTokens()));
            }
        }
        section(b, "Recommendations");
        for (Recommendation rec : r.recommendations()) {
            b.append("  * ").append(rec.text());
            if (rec.estMonthlySavingsUsd() != null) {
                b.append(" [").append(rec.kind().name().toLowerCase(Locale.ROOT)).append(", ~")
                        .append(Amounts.usd(rec.estMonthlySavingsUsd())).append("/month]");
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The report as Markdown: a summary list, then tables. */
    /** The days that had requests or spend: a month of "$0  0 req" rows says less than one line counting them. */
    private static List<Report.Day> busyDays(Report r) {
        return r.daily().stream().filter(d -> d.requests() > 0 || d.cost().picos() != 0).toList();
    }

    private static String quietDays(int quiet, boolean all) {
        if (quiet == 0) {
            return null;
        }
        String days = quiet == 1 ? "1 day" : String.format(Locale.ROOT, "%,d days", quiet);
        return all ? "No requests on any of the " + (quiet == 1 ? "period's 1 day" : days + " of the period") + "."
                : days + " without requests left out.";
    }

    public static String markdown(Report r) {
        StringBuilder b = new StringBuilder();
        Report.Totals t = r.totals();
        b.append("# Triage cost report\n\n").append(r.period().from()).append(" to ").append(r.period().to())
                .append(scopeText(r.scope())).append("\n\n");
        b.append("- **Total cost:** ").append(Amounts.usd(t.cost())).append('\n');
        b.append(String.format(Locale.ROOT, "- **Requests:** %,d (answered %,d; %,d attempts, %,d failed)%n",
                t.requests(), t.answered(), t.attempts(), t.errors()));
        b.append("- **Average per request:** ").append(t.avgCostPerRequest() == null ? "-" : Amounts.usd(t.avgCostPerRequest())).append('\n');
        b.append("- **Fallback rate:** ").append(pct(t.fallbackRatePct())).append('\n');
        b.append("- **Saved by prompt caching:** ").append(cacheText(r.promptCache())).append('\n');
        if (!r.deadLetters().isEmpty()) {
            b.append("- **Dead letters:** ").append(deadLetterText(r.deadLetters())).append('\n');
        }
        RoutingEfficiency.Summary s = r.routingEfficiency().overall();
        b.append("- **Routing efficiency:** ").append(s == null ? "-" : s.efficiency() + " (" + s.rating() + ")").append('\n');
        b.append("- **Quality:** ").append(score(r.quality().overall())).append('\n');
        mdLines(b, "Spend by model", "model", r.byModel());
        mdLines(b, "Spend by route", "route", r.byRoute());
        mdLines(b, "Spend by task type", "task", r.byTask());
        mdLines(b, "Spend by tier", "tier", r.byTier());
        mdLines(b, "Most expensive users", "user", r.byUser().subList(0, Math.min(TOP, r.byUser().size())));
        if (hasKeys(r)) {
            mdLines(b, "Spend by virtual key", "key (team)", keyLines(r));
            mdLines(b, "Spend by team", "team", teamLines(r));
        }
        if (!r.keyBudgets().isEmpty()) {
            b.append("\n## Virtual key budgets\n\n| key | team | period from | spent | limit | used |\n|---|---|---|---:|---:|---:|\n");
            for (Report.KeyBudget k : r.keyBudgets()) {
                b.append("| ").append(k.key()).append(" | ").append(name(k.team())).append(" | ").append(k.period()).append(" ")
                        .append(k.periodStart()).append(" | ").append(k.spent() == null ? "unknown" : Amounts.usd(k.spent()))
                        .append(" | ").append(Amounts.usd(k.limit())).append(" | ").append(k.usedPct() == null ? "" : pct(k.usedPct()))
                        .append(" |\n");
            }
        }
        b.append("\n## Daily spend\n\n");
        List<Report.Day> busy = busyDays(r);
        if (!busy.isEmpty()) {
            b.append("| day | requests | cost | by model |\n|---|---:|---:|---|\n");
        }
        for (Report.Day d : busy) {
            b.append("| ").append(d.day()).append(" | ").append(d.requests()).append(" | ").append(Amounts.usd(d.cost()))
                    .append(" | ").append(byModelText(d)).append(" |\n");
        }
        String quiet = quietDays(r.daily().size() - busy.size(), busy.isEmpty());
        if (quiet != null) {
            b.append(busy.isEmpty() ? "" : "\n").append(quiet).append('\n');
        }
        if (!r.budgets().isEmpty()) {
            b.append("\n## Budgets today\n\n| route | tier | spent | limit | used |\n|---|---|---:|---:|---:|\n");
            for (Report.Budget x : r.budgets()) {
                b.append("| ").append(x.route()).append(" | ").append(x.tier()).append(" | ").append(Amounts.usd(x.spent()))
                        .append(" | ").append(x.limit() == null ? "unlimited" : Amounts.usd(x.limit())).append(" | ")
                        .append(x.usedPct() == null ? "" : pct(x.usedPct())).append(" |\n");
            }
        }
        b.append("\n## Routing efficiency\n\n| route | strongest model | paid | strong-only | quality retained | efficiency |\n")
                .append("|---|---|---:|---:|---:|---:|\n");
        for (RoutingEfficiency.RouteLine l : r.routingEfficiency().routes()) {
            b.append("| ").append(l.route()).append(" | ").append(l.strongestModel()).append(" | ").append(Amounts.usd(l.actualCost()))
                    .append(" | ").append(Amounts.usd(l.strongOnlyCost())).append(" | ").append(pct(l.qualityRetainedPct()))
                    .append(l.qualityAdjusted() ? "" : " (no feedback)").append(" | ").append(l.efficiency()).append(" |\n");
        }
        mdCacheLines(b, "Prompt caching by model", "model", r.promptCache().byModel());
        mdCacheLines(b, "Prompt caching by route", "route", r.promptCache().byRoute());
        mdLatencyLines(b, "Latency and errors by model", "model", r.latency().byModel());
        mdLatencyLines(b, "Latency and errors by route", "route", r.latency().byRoute());
        if (!r.contextExperiment().arms().isEmpty()) {
            b.append("\n## Context experiment\n\nShared context: `compact` condenses older turns (summarizer calls included in "
                    + "its cost), `full` sends the whole history.\n\n| arm | requests | answered | cost | per request | input tokens "
                    + "| output tokens | quality |\n|---|---:|---:|---:|---:|---:|---:|---|\n");
            for (Report.ArmLine a : r.contextExperiment().arms()) {
                b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %s | %,d | %,d | %s |%n", a.arm(), a.requests(),
                        a.answered(), Amounts.usd(a.cost()), perRequest(a), a.inputTokens(), a.outputTokens(), score(a.quality())));
            }
        }
        b.append("\n## Recommendations\n\n");
        for (Recommendation rec : r.recommendations()) {
            b.append("- **").append(rec.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')).append(":** ").append(rec.text());
            if (rec.estMonthlySavingsUsd() != null) {
                b.append(" *(~").append(Amounts.usd(rec.estMonthlySavingsUsd())).append("/month)*");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String scopeText(ReportScope scope) {
        return scope.key() != null ? ", virtual key " + scope.key() : scope.team() != null ? ", team " + scope.team() : "";
    }

    /** Whether any request came with a virtual key: without keys the key and team sections say nothing. */
    private static boolean hasKeys(Report r) {
        return r.byKey().stream().anyMatch(k -> k.name() != null);
    }

    /** Key lines as breakdown lines named "key (team)". */
    private static List<Line> keyLines(Report r) {
        return r.byKey().stream().map(k -> new Line(k.name() == null ? "(no virtual key)" : k.team() == null ? k.name() : k.name() + " (" + k.team() + ")",
                k.requests(), k.attempts(), k.cost(), k.sharePct())).toList();
    }

    /** Team lines, the line of keyless requests and keys without a team named so. */
    private static List<Line> teamLines(Report r) {
        return r.byTeam().stream().map(t -> t.name() != null ? t
                : new Line("(no team)", t.requests(), t.attempts(), t.cost(), t.sharePct())).toList();
    }

    private static String deadLetterText(DeadLetterRow d) {
        String texts = d.texts() == 0 ? "" : String.format(Locale.ROOT, " (and %,d captured texts)", d.texts());
        return String.format(Locale.ROOT, "%s in %,d attempts the ledger database refused%s: spent, but in none of "
                + "these figures until replayed from ledger_dead_letters", Amounts.usd(d.cost()), d.entries(), texts);
    }

    private static void mdLines(StringBuilder b, String title, String column, List<Line> lines) {
        b.append("\n## ").append(title).append("\n\n| ").append(column).append(" | requests | attempts | cost | share |\n")
                .append("|---|---:|---:|---:|---:|\n");
        for (Line l : lines) {
            b.append("| ").append(name(l.name())).append(" | ").append(l.requests()).append(" | ").append(l.attempts())
                    .append(" | ").append(Amounts.usd(l.cost())).append(" | ").append(pct(l.sharePct())).append(" |\n");
        }
    }

    /** {@code $0.52 (hit rate 41.3%: 1,200 of 2,900 input tokens read from a cache, 300 written)}. */
    private static String cacheText(Report.PromptCache c) {
        if (c.inputTokens() == 0) {
            return Amounts.usd(c.saved()) + " (no input tokens)";
        }
        return String.format(Locale.ROOT, "%s (hit rate %s: %,d of %,d input tokens read from a cache, %,d written)",
                Amounts.usd(c.saved()), pct(c.hitRatePct()), c.cachedInputTokens(), c.inputTokens(), c.cacheWriteTokens());
    }

    private static void cacheLines(StringBuilder b, List<Report.CacheLine> lines) {
        if (lines.isEmpty()) {
            b.append("  (none)\n");
        }
        for (Report.CacheLine l : lines) {
            b.append(String.format(Locale.ROOT, "  %-22s %7s hit %,14d in %,14d cached %,12d written %12s saved%n",
                    truncate(l.name()), pct(l.hitRatePct()), l.inputTokens(), l.cachedInputTokens(), l.cacheWriteTokens(),
                    Amounts.usd(l.saved())));
        }
    }

    private static void mdCacheLines(StringBuilder b, String title, String column, List<Report.CacheLine> lines) {
        b.append("\n## ").append(title).append("\n\n| ").append(column)
                .append(" | input tokens | cached | written | hit rate | saved |\n|---|---:|---:|---:|---:|---:|\n");
        for (Report.CacheLine l : lines) {
            b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %s | %s |%n", l.name(), l.inputTokens(),
                    l.cachedInputTokens(), l.cacheWriteTokens(), pct(l.hitRatePct()), Amounts.usd(l.saved())));
        }
    }

    private static void latencyLines(StringBuilder b, List<Report.LatencyLine> lines) {
        if (lines.isEmpty()) {
            b.append("  (none)\n");
        }
        for (Report.LatencyLine l : lines) {
            b.append(String.format(Locale.ROOT, "  %-22s %,9d attempts  p50 %9s  p95 %9s  TTFT p50 %9s  p95 %9s  %,7d errors (%s)%n",
                    truncate(l.name()), l.attempts(), ms(l.p50Ms()), ms(l.p95Ms()), ms(l.ttftP50Ms()), ms(l.ttftP95Ms()), l.errors(),
                    pct(l.errorRatePct())));
        }
    }

    private static void mdLatencyLines(StringBuilder b, String title, String column, List<Report.LatencyLine> lines) {
        b.append("\n## ").append(title).append("\n\n| ").append(column)
                .append(" | attempts | p50 | p95 | TTFT p50 | TTFT p95 | errors | error rate |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Report.LatencyLine l : lines) {
            b.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %,d | %s |%n", l.name(), l.attempts(), ms(l.p50Ms()),
                    ms(l.p95Ms()), ms(l.ttftP50Ms()), ms(l.ttftP95Ms()), l.errors(), pct(l.errorRatePct())));
        }
    }

    /** Whole milliseconds, {@code -} for none. */
    private static String ms(Long ms) {
        return ms == null ? "-" : String.format(Locale.ROOT, "%,d ms", ms);
    }

    private static String perRequest(Report.ArmLine a) {
        return a.avgCostPerRequest() == null ? "-" : Amounts.usd(a.avgCostPerRequest());
    }

    private static void kv(StringBuilder b, String key, String value) {
        b.append(String.format(Locale.ROOT, "%-22s %s%n", key, value));
    }

    private static void section(StringBuilder b, String title) {
        b.append('\n').append(title).append('\n');
    }

    private static void bars(StringBuilder b, List<Line> lines) {
        if (lines.isEmpty()) {
            b.append("  (none)\n");
        }
        for (Line l : lines) {
            b.append(String.format(Locale.ROOT, "  %-22s %s %7s %12s %,9d req%n", truncate(name(l.name())), bar(l.sharePct()),
                    pct(l.sharePct()), Amounts.usd(l.cost()), l.requests()));
        }
    }

    private static void qualityLines(StringBuilder b, String dimension, List<QualityLine> lines) {
        for (QualityLine l : lines) {
            b.append(String.format(Locale.ROOT, "  %-6s %-22s %s%n", dimension, truncate(name(l.name())), score(l.score())));
        }
    }

    private static String byModelText(Report.Day d) {
        List<String> parts = new ArrayList<>();
        d.costByModel().forEach((m, c) -> parts.add(m + " " + Amounts.usd(c)));
        return String.join(", ", parts);
    }

    static String bar(BigDecimal pct) {
        int filled = pct == null ? 0 : pct.multiply(BigDecimal.valueOf(BAR)).divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_EVEN).intValue();
        return "\u2588".repeat(filled) + "\u2591".repeat(BAR - filled);
    }

    private static String pct(BigDecimal pct) {
        return pct == null ? "-" : pct.setScale(1, RoundingMode.HALF_EVEN).toPlainString() + "%";
    }

    private static String score(Score s) {
        return s.count() == 0 ? "no feedback" : s.mean().toPlainString() + " (n=" + s.count() + ")";
    }

    private static String name(String name) {
        return name == null ? "(none)" : name;
    }

    private static String truncate(String s) {
        return s.length() <= 22 ? s : s.substring(0, 21) + "\u2026";
    }
}
