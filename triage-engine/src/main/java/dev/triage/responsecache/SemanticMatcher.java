package dev.triage.responsecache;

import dev.triage.embed.Embedder;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which cached question, if any, answers a new one, by {@link SemanticSettings}' rule: the nearest
 * candidate by cosine hits when it is similar enough given its lead over the runner-up and no lexical guard
 * objects. Thread-safe; {@link #best} is pure and deterministic (ties go to the earlier candidate).
 */
public final class SemanticMatcher {

    private final Embedder embedder;
    private final SemanticSettings settings;

    public SemanticMatcher(Embedder embedder, SemanticSettings settings) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public SemanticSettings settings() {
        return settings;
    }

    /** The same embedder with other settings (to compare rules over the same probes). */
    public SemanticMatcher with(SemanticSettings settings) {
        return new SemanticMatcher(embedder, settings);
    }

    /**
     * The probe of {@code text}: one {@link Embedder#embed} call.
     *
     * @throws dev.triage.embed.EmbedderOverloadedException when the embedder refuses more work; the caller
     *                                                      then skips the semantic cache
     */
    public SemanticProbe probe(String text) {
        return SemanticProbe.of(text, embedder.embed(text));
    }

    /** The candidate that answers {@code query}, with its cosine; empty when none is close enough. */
    public Optional<Match> best(SemanticProbe query, Collection<Candidate> candidates) {
        Candidate best = null;
        double first = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (Candidate c : candidates) {
            double cosine = query.cosine(c.probe());
            if (cosine > first) {
                second = first;
                first = cosine;
                best = c;
            } else if (cosine > second) {
                second = cosine;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        // a lone candidate has the whole lead; a rival at the same cosine leaves none, and the threshold rises by the lead
        double shortfall = Math.max(0, settings.lead() - (first - second));
        if (first < settings.threshold() + shortfall) {
            return Optional.empty();
        }
        if (settings.guards() && LexicalGuards.conflict(query.words(), best.probe().words())) {
            return Optional.empty();
        }
        return Optional.of(new Match(best.id(), first));
    }

    /** A cached question: its id (whatever the caller keys answers by) and its probe. */
    public record Candidate(String id, SemanticProbe probe) {
        public Candidate {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(probe, "probe");
        }
    }

    /** The candidate that answers a query, and its cosine to the query. */
    public record Match(String id, double similarity) {
    }
}
