package dev.triage.cli;

import dev.triage.embed.Embedder;
import dev.triage.responsecache.SemanticMatcher;
import dev.triage.responsecache.SemanticMatcher.Candidate;
import dev.triage.responsecache.SemanticMatcher.Match;
import dev.triage.responsecache.SemanticProbe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GPTCache's protocol over pairs {@code offset … offset+2n-1}: the first n origins are cached; each of their
 * {@code similar} texts is a query whose right answer is its own origin; the {@code similar} texts of the next
 * n pairs are unrelated queries, so any hit on them is false. Origins with the same text are one entry (a
 * cache keyed by text stores a text once), and a hit on it is right for every pair with that origin. The
 * texts are embedded once; {@link #run} can then compare rules over the same probes.
 */
final class CacheEvaluation {

    private final int size;
    private final List<Candidate> entries;
    private final List<String> rightIds;
    private final List<SemanticProbe> related;
    private final List<SemanticProbe> unrelated;

    private CacheEvaluation(int size, List<Candidate> entries, List<String> rightIds, List<SemanticProbe> related,
            List<SemanticProbe> unrelated) {
        this.size = size;
        this.entries = entries;
        this.rightIds = rightIds;
        this.related = related;
        this.unrelated = unrelated;
    }

    /** Embeds (in one batch) what pairs {@code offset … offset+2n-1} need. */
    static CacheEvaluation embed(List<CachePairs> pairs, int offset, int n, Embedder embedder, Embedder.Progress progress) {
        if (n < 1 || offset < 0 || offset + 2L * n > pairs.size()) {
            throw new IllegalArgumentException("need 2 x " + n + " pairs after the first " + offset + ", have " + pairs.size());
        }
        List<String> texts = new ArrayList<>(3 * n);
        for (int i = 0; i < n; i++) {
            texts.add(pairs.get(offset + i).origin());
        }
        for (int i = 0; i < 2 * n; i++) {
            texts.add(pairs.get(offset + i).similar());
        }
        List<float[]> vectors = embedder.embedAll(texts, progress);
        Map<String, String> idByOrigin = new HashMap<>();
        List<Candidate> entries = new ArrayList<>();
        List<String> rightIds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String origin = texts.get(i);
            String id = idByOrigin.get(origin);
            if (id == null) {
                id = Integer.toString(offset + i);
                idByOrigin.put(origin, id);
                entries.add(new Candidate(id, SemanticProbe.of(origin, vectors.get(i))));
            }
            rightIds.add(id);
        }
        List<SemanticProbe> related = new ArrayList<>(n);
        List<SemanticProbe> unrelated = new ArrayList<>(n);
        for (int i = 0; i < 2 * n; i++) {
            SemanticProbe probe = SemanticProbe.of(texts.get(n + i), vectors.get(n + i));
            (i < n ? related : unrelated).add(probe);
        }
        return new CacheEvaluation(n, List.copyOf(entries), List.copyOf(rightIds), related, unrelated);
    }

    /** Cache entries after origins with the same text are merged. */
    int entries() {
        return entries.size();
    }

    Result run(SemanticMatcher matcher) {
        int correct = 0;
        int wrong = 0;
        int falseHits = 0;
        for (int i = 0; i < size; i++) {
            Optional<Match> hit = matcher.best(related.get(i), entries);
            if (hit.isPresent()) {
                if (hit.get().id().equals(rightIds.get(i))) {
                    correct++;
                } else {
                    wrong++;
                }
            }
        }
        for (SemanticProbe query : unrelated) {
            if (matcher.best(query, entries).isPresent()) {
                falseHits++;
            }
        }
        return new Result(size, correct, wrong, falseHits, size - correct - wrong);
    }

    /** Counts of one run; precision is correct over all hits (1 when nothing hit), recall correct over the pairs. */
    record Result(int pairs, int correctHits, int wrongHits, int falseHits, int misses) {

        double precision() {
            int hits = correctHits + wrongHits + falseHits;
            return hits == 0 ? 1.0 : (double) correctHits / hits;
        }

        double recall() {
            return (double) correctHits / pairs;
        }
    }
}
