package dev.triage.responsecache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.triage.embed.Embedder;
import dev.triage.embed.Embedders;
import dev.triage.responsecache.SemanticMatcher.Candidate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The default rule over the real MiniLM embeddings: paraphrases hit, different questions in similar words do not. */
class SemanticMatcherParaphraseTest {

    private static Embedder embedder;
    private static SemanticMatcher matcher;

    @BeforeAll
    static void load() {
        Optional<Embedder> found = Embedders.find();
        assumeThat(found).as("the triage-embeddings module on the class path").isPresent();
        embedder = found.get();
        matcher = new SemanticMatcher(embedder, SemanticSettings.DEFAULT);
    }

    @AfterAll
    static void close() {
        if (embedder != null) {
            embedder.close();
        }
    }

    private static boolean hits(String cached, String query) {
        return matcher.best(matcher.probe(query), List.of(new Candidate("cached", matcher.probe(cached)))).isPresent();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "What is the capital of France? | Which city is the capital of France?",
            "What is the capital of France? | What's France's capital city?",
            "How do I reverse a list in Python? | How can I reverse a Python list?",
            "Is it safe to eat raw eggs? | Are raw eggs safe to eat?",
            "Who wrote Pride and Prejudice? | Who is the author of Pride and Prejudice?",
            "How many days are in a leap year? | How many days does a leap year have?",
    })
    void aParaphraseHits(String cached, String query) {
        assertThat(hits(cached, query)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "What is the capital of France? | What is the capital of Spain?",
            "Convert 5 km to miles | Convert 8 km to miles",
            "Convert 5 km to miles | Convert 5 miles to km",
            "Is it safe to eat raw eggs? | Is it not safe to eat raw eggs?",
            "How do I reverse a list in Python? | How do I reverse a list in Java?",
            "How do I reverse a list in Python? | How do I sort a list in Python?",
            "What is 15% of 80? | What is 20% of 80?",
            "Summarize the plot of Hamlet | Summarize the plot of Macbeth",
            "What year did World War II end? | What year did World War I end?",
    })
    void aDifferentQuestionInSimilarWordsMisses(String cached, String query) {
        assertThat(hits(cached, query)).isFalse();
    }
}
