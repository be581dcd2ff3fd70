package dev.triage.responsecache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triage.responsecache.SemanticMatcher.Candidate;
import dev.triage.responsecache.SemanticMatcher.Match;
import dev.triage.testing.HashingEmbedder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The matcher's rule over hand-made vectors, the index's buckets, expiry and bounds, and probes' text form. */
class SemanticIndexTest {

    private static final SemanticMatcher STATIC = new SemanticMatcher(new HashingEmbedder(), SemanticSettings.staticThreshold(0.9));
    private static final SemanticMatcher RULE = new SemanticMatcher(new HashingEmbedder(), new SemanticSettings(0.9, 0.1, true));

    /** A unit vector at cosine {@code c} to (1, 0, 0), tilted towards axis {@code axis} (1 or 2). */
    static SemanticProbe at(double c, int axis, String text) {
        float[] v = new float[3];
        v[0] = (float) c;
        v[axis] = (float) Math.sqrt(1 - c * c);
        return SemanticProbe.of(text, v);
    }

    static final SemanticProbe QUERY = at(1, 1, "what is the capital of france");

    @Test
    void aLoneCandidateNeedsTheThresholdOnly() {
        List<Candidate> one = List.of(new Candidate("a", at(0.91, 1, "what is the capital of france")));

        assertThat(RULE.best(QUERY, one)).hasValueSatisfying(m -> {
            assertThat(m.id()).isEqualTo("a");
            assertThat(m.similarity()).isCloseTo(0.91, org.assertj.core.data.Offset.offset(1e-6));
        });
        assertThat(RULE.best(QUERY, List.of(new Candidate("a", at(0.89, 1, "x"))))).isEmpty();
    }

    @Test
    void aCloseRivalRaisesTheThresholdByTheMissingLead() {
        // best 0.95, runner-up 0.93: the lead is 0.02 of 0.1, so 0.98 is needed
        List<Candidate> rivals = List.of(new Candidate("a", at(0.95, 1, "q")), new Candidate("b", at(0.93, 2, "q")));

        assertThat(STATIC.best(QUERY, rivals)).map(Match::id).contains("a");
        assertThat(RULE.best(QUERY, rivals)).isEmpty();
        List<Candidate> clear = List.of(new Candidate("a", at(0.95, 1, "q")), new Candidate("b", at(0.80, 2, "q")));
        assertThat(RULE.best(QUERY, clear)).map(Match::id).contains("a");
    }

    @Test
    void guardsRefuseANumberSwapANegationAndAReversedConversion() {
        SemanticProbe fiveKm = SemanticProbe.of("Convert 5 km to miles", QUERY.vector());
        SemanticMatcher m = RULE;

        assertThat(m.best(fiveKm, List.of(new Candidate("8", SemanticProbe.of("Convert 8 km to miles", QUERY.vector()))))).isEmpty();
        assertThat(m.best(fiveKm, List.of(new Candidate("rev", SemanticProbe.of("Convert 5 miles to km", QUERY.vector()))))).isEmpty();
        assertThat(m.best(fiveKm, List.of(new Candidate("same", SemanticProbe.of("How many miles is 5 km?", QUERY.vector())))))
                .map(Match::id).contains("same");
        SemanticProbe safe = SemanticProbe.of("Is it safe to eat raw eggs?", QUERY.vector());
        assertThat(m.best(safe, List.of(new Candidate("not", SemanticProbe.of("Is it not safe to eat raw eggs?", QUERY.vector()))))).isEmpty();
        assertThat(m.best(safe, List.of(new Candidate("yes", SemanticProbe.of("Are raw eggs safe to eat?", QUERY.vector())))))
                .map(Match::id).contains("yes");
        assertThat(STATIC.best(fiveKm, List.of(new Candidate("8", SemanticProbe.of("Convert 8 km to miles", QUERY.vector())))))
                .as("a static threshold has no guards").isPresent();
    }

    @Test
    void onlyTheSameBucketAnswers() {
        SemanticIndex index = new SemanticIndex(RULE, 100, 10);
        index.add("tenant-a/gpt-4o", "a1", at(0.95, 1, "q"), 1_000);

        assertThat(index.find("tenant-a/gpt-4o", QUERY, 0)).map(Match::id).contains("a1");
        assertThat(index.find("tenant-b/gpt-4o", QUERY, 0)).isEmpty();
        assertThat(index.find("tenant-a/claude", QUERY, 0)).isEmpty();
    }

    @Test
    void expiredEntriesNeverMatchNorStandInAsRivals() {
        SemanticIndex index = new SemanticIndex(RULE, 100, 10);
        index.add("b", "old", at(0.99, 2, "q"), 1_000);
        index.add("b", "new", at(0.95, 1, "q"), 5_000);

        assertThat(index.find("b", QUERY, 999)).map(Match::id).contains("old");
        assertThat(index.find("b", QUERY, 1_000)).map(Match::id).contains("new");
        assertThat(index.find("b", QUERY, 5_000)).isEmpty();
        index.purgeExpired(1_000);
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void eachBoundEvictsTheOldestEntry() {
        SemanticIndex index = new SemanticIndex(RULE, 3, 2);
        index.add("b", "first", at(0.95, 1, "q"), Long.MAX_VALUE);
        index.add("b", "second", at(0.10, 1, "q"), Long.MAX_VALUE);
        index.add("b", "third", at(0.10, 2, "q"), Long.MAX_VALUE);

        assertThat(index.find("b", QUERY, 0)).as("the bucket's bound evicted 'first'").isEmpty();
        index.add("c", "c1", at(0.95, 1, "q"), Long.MAX_VALUE);
        index.add("d", "d1", at(0.95, 1, "q"), Long.MAX_VALUE);
        assertThat(index.size()).isEqualTo(3);
        assertThat(index.find("b", QUERY, 0)).isEmpty();
        assertThat(index.find("c", QUERY, 0)).map(Match::id).contains("c1");
        assertThat(index.find("d", QUERY, 0)).map(Match::id).contains("d1");
        index.remove("c", "c1");
        assertThat(index.find("c", QUERY, 0)).isEmpty();
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void readdingAnIdReplacesItsProbe() {
        SemanticIndex index = new SemanticIndex(RULE, 10, 10);
        index.add("b", "x", at(0.10, 1, "q"), Long.MAX_VALUE);
        index.add("b", "x", at(0.97, 1, "q"), Long.MAX_VALUE);

        assertThat(index.size()).isEqualTo(1);
        assertThat(index.find("b", QUERY, 0)).map(Match::similarity).hasValueSatisfying(s -> assertThat(s).isGreaterThan(0.96));
    }

    @Test
    void probesSurviveTheirTextForm() {
        SemanticProbe probe = RULE.probe("Convert 5 km to miles — don’t round, please!");
        String encoded = probe.encode();

        assertThat(encoded).startsWith("s1:");
        assertThat(SemanticProbe.decode(encoded)).isEqualTo(probe);
        assertThat(probe.words()).containsExactly("convert", "5", "km", "to", "miles", "don't", "round", "please");
        assertThat(SemanticProbe.decode(SemanticProbe.of("", probe.vector()).encode()).words()).isEmpty();
        assertThatThrownBy(() -> SemanticProbe.decode("v9:AAAA:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SemanticProbe.decode("s1:AAA:x")).hasMessageContaining("whole number of floats");
    }

    @Test
    void settingsRejectValuesOutsideTheirRange() {
        assertThatThrownBy(() -> new SemanticSettings(1.2, 0, true)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new SemanticSettings(0.9, -0.1, true)).hasMessageContaining("lead");
        assertThat(SemanticSettings.DEFAULT.withThreshold(0.8)).isEqualTo(new SemanticSettings(0.8, SemanticSettings.DEFAULT.lead(), true));
    }
}
