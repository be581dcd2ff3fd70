package dev.triage.app;

import dev.triage.catalog.Price;
import dev.triage.catalog.PriceCatalog;
import dev.triage.chat.Money;
import dev.triage.chat.Usage;
import dev.triage.ledger.AttemptStatus;
import dev.triage.ledger.LedgerEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A month of a team's traffic as ledger rows, the same on every run: the {@code task}, {@code tiered}
 * and {@code cascade} routes and one model asked for by name; six built-in models priced from the
 * catalog; seven users (one without a {@code user} field); failed attempts saved by a fallback; cascade
 * escalations; and feedback. Classification is split between gemini-2.0-flash and gpt-4.5 with good
 * feedback on both, so the report recommends moving it. Provider prompt caching: most claude-3.5-sonnet
 * calls read a 1,200-token prefix from the cache (the others write it), claude-3.7-sonnet writes its prefix
 * and seldom reads it back (a negative saving), a third of gpt-4.1 and gpt-4.1-mini calls read 1,024
 * cached tokens, and gpt-4.5 and gemini-2.0-flash never hit a cache. The task route's summaries are a
 * shared-context experiment: half of them in the {@code compact} arm (a gpt-4.1-mini summarizer call, step
 * {@code context}, then an answer on a shorter prompt), the others in {@code full}. Four answers in ten are
 * streamed, with a time to first token of 60–300 ms; answers take 300–2,800 ms and failed calls 120 ms.
 */
final class DashboardTraffic {

    /** A request to rate through {@code POST /v1/feedback}. */
    record Feedback(String requestId, String score) {
    }

    private static final String[] USERS = {"alice", "alice", "bob", "bob", "carol", "dave", "erin", "ci-bot", null};

    final List<LedgerEntry> rows = new ArrayList<>();
    final List<Feedback> feedback = new ArrayList<>();
    private final PriceCatalog catalog;
    private final SplittableRandom random = new SplittableRandom(20261129);
    // Cache hits draw from their own sequence, so the rest of the month is the same as before they existed.
    private final SplittableRandom caching = new SplittableRandom(20261214);
    // So do the context experiment's arms and summarizer calls.
    private final SplittableRandom experiment = new SplittableRandom(20261220);
    // And which answers were streamed, with their time to first token.
    private final SplittableRandom streaming = new SplittableRandom(20261206);
    private int next;

    DashboardTraffic(PriceCatalog catalog) {
        this.catalog = catalog;
    }

    /** {@code perDay} requests on each of the {@code days} UTC days up to {@code now}'s, none after {@code now}. */
    DashboardTraffic days(Instant now, int days, int perDay) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (int d = days - 1; d >= 0; d--) {
            Instant start = today.minusDays(d).atStartOfDay(ZoneOffset.UTC).toInstant();
            long span = Math.max(1, Math.min(Duration.ofDays(1).toSeconds(), Duration.between(start, now).toSeconds()));
            for (int i = 0; i < perDay; i++) {
                request(start.plusSeconds(random.nextLong(span)));
            }
        }
        return this;
    }

    /** One more request of the mix at {@code time}; returns its id. */
    String request(Instant time) {
        String id = "req_dash" + next++;
        String user = USERS[random.nextInt(USERS.length)];
        int pick = random.nextInt(100);
        if (pick < 55) {
            task(id, user, time);
        } else if (pick < 80) {
            String[] tier = switch (random.nextInt(5)) {
                case 0 -> new String[] {"high", "claude-3.7-sonnet"};
                case 1, 2 -> new String[] {"medium", "gpt-4.1"};
                default -> new String[] {"low", "gpt-4.1-mini"};
            };
            answer(id, 1, "tiered", tier[1], user, "fast_response", tier[0], null, time);
            rate(id, 0.72, 0.95, 4);
        } else if (pick < 95) {
            String task = random.nextBoolean() ? "summarization" : "classification";
            if (random.nextInt(10) < 3) {
                answer(id, 1, "cascade", "gemini-2.0-flash", user, task, null, "stage 1/3", time);
                answer(id, 2, "cascade", "claude-3.5-sonnet", user, task, null, "stage 2/3", time.plusSeconds(2));
            } else {
                answer(id, 1, "cascade", "gemini-2.0-flash", user, task, null, "stage 1/3", time);
            }
            rate(id, 0.7, 0.95, 4);
        } else {
            answer(id, 1, "gpt-4.1-mini", "gpt-4.1-mini", user, "chat", null, null, time);
        }
        return id;
    }

    private void task(String id, String user, Instant time) {
        int t = random.nextInt(100);
        if (t < 35) {
            boolean flagship = random.nextInt(10) < 4;
            answer(id, 1, "task", flagship ? "gpt-4.5" : "gemini-2.0-flash", user, "classification", null, null, time);
            rate(id, flagship ? 0.86 : 0.82, flagship ? 0.96 : 0.94, 2);
        } else if (t < 60) {
            String arm = experiment.nextBoolean() ? "compact" : "full";
            int attempt = 1;
            if (arm.equals("compact")) {
                summarize(id, user, time);
                attempt = 2;
            }
            answer(id, attempt, "task", "claude-3.5-sonnet", user, "summarization", null, null, time.plusSeconds(attempt - 1), arm);
            rate(id, 0.7, 0.95, 4);
        } else if (t < 80) {
            if (random.nextInt(100) < 10) {
                fail(id, 1, "task", "claude-3.7-sonnet", user, "code_generation", time);
                answer(id, 2, "task", "gpt-4.5", user, "code_generation", null, "fallback", time.plusSeconds(1));
            } else {
                answer(id, 1, "task", "claude-3.7-sonnet", user, "code_generation", null, null, time);
            }
            rate(id, 0.75, 1.0, 4);
        } else {
            answer(id, 1, "task", "gpt-4.5", user, "reasoning", null, null, time);
            rate(id, 0.8, 1.0, 4);
        }
    }

    private void answer(String id, int attempt, String route, String model, String user, String task, String tier,
                        String step, Instant time) {
        answer(id, attempt, route, model, user, task, tier, step, time, null);
    }

    /** An answer; in the {@code compact} arm of the context experiment its prompt is 40% shorter. */
    private void answer(String id, int attempt, String route, String model, String user, String task, String tier,
                        String step, Instant time, String arm) {
        Usage drawn = Usage.reported(150 + random.nextInt(2400), 40 + random.nextInt(600));
        if ("compact".equals(arm)) {
            drawn = Usage.reported(drawn.inputTokens() * 6 / 10, drawn.outputTokens());
        }
        Usage usage = cached(model, drawn);
        Price price = catalog.find(model).orElseThrow().price();
        long latency = 300 + random.nextInt(2500);
        boolean streamed = streaming.nextInt(10) < 4;
        Long ttft = streamed ? 60L + streaming.nextInt(240) : null;
        rows.add(new LedgerEntry(id, attempt, route, model, provider(model), usage, price.cost(usage), price.cacheSaving(usage),
                latency, ttft, AttemptStatus.OK, null, 200, streamed, user, task, tier, step, null, time, null, arm));
    }

    /** The summarizer's call that condenses older turns, first attempt of a request in the compact arm. */
    private void summarize(String id, String user, Instant time) {
        Usage usage = Usage.reported(1_500 + experiment.nextInt(3_000), 150 + experiment.nextInt(250));
        Price price = catalog.find("gpt-4.1-mini").orElseThrow().price();
        rows.add(new LedgerEntry(id, 1, "task", "gpt-4.1-mini", provider("gpt-4.1-mini"), usage, price.cost(usage),
                price.cacheSaving(usage), 400 + experiment.nextInt(900), null, AttemptStatus.OK, null, 200, false, user,
                "summarization", null, "context", null, time, null, "compact"));
    }

    /** The usage with the part of its prompt a provider's cache served or stored, as the model's provider reports it. */
    private Usage cached(String model, Usage u) {
        long in = u.inputTokens();
        int draw = caching.nextInt(100);
        return switch (model) {
            case "claude-3.5-sonnet" -> in < 1_200 ? u : draw < 75 ? with(u, 1_200, 0) : with(u, 0, 1_200);
            case "claude-3.7-sonnet" -> in < 1_200 ? u : draw < 15 ? with(u, 1_200, 0) : with(u, 0, 1_200);
            case "gpt-4.1", "gpt-4.1-mini" -> in < 1_024 || draw >= 33 ? u : with(u, 1_024, 0);
            default -> u;
        };
    }

    private static Usage with(Usage u, long read, long written) {
        return new Usage(u.inputTokens(), u.outputTokens(), read, written, 0, false);
    }

    private void fail(String id, int attempt, String route, String model, String user, String task, Instant time) {
        rows.add(new LedgerEntry(id, attempt, route, model, provider(model), Usage.ZERO, Money.ZERO, 120, null,
                AttemptStatus.ERROR, "RATE_LIMITED", 429, false, user, task, null, null, null, time));
    }

    /** Rates one request in {@code oneIn} with a score in {@code [low, high)}, to 2 places. */
    private void rate(String id, double low, double high, int oneIn) {
        if (random.nextInt(oneIn) == 0) {
            int cents = (int) Math.round(low * 100) + random.nextInt((int) Math.round((high - low) * 100));
            feedback.add(new Feedback(id, "0." + String.format("%02d", Math.min(cents, 99))));
        }
    }

    private String provider(String model) {
        return catalog.find(model).orElseThrow().provider();
    }
}
