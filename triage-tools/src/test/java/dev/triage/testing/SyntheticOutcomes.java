package dev.triage.testing;

import dev.triage.learn.Example;
import dev.triage.learn.Example.Outcome;
import dev.triage.learn.LearnedModel;
import dev.triage.learn.ModelFile;
import dev.triage.learn.Trainer;
import dev.triage.learn.TrainingSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recorded outcomes of a cheap and a strong model on three kinds of prompt, to train small learned
 * models for tests: proofs and integrals only the strong model gets right; greetings both get right;
 * sums the cheap model gets right when its working is right, and wrong when a sum in it is wrong or
 * the answer is cut off ({@code finish_reason: length}). Every outcome comes with its answer, so the
 * cheap model gets an acceptance head; the strong model, never worse than the cheap one, gets none.
 */
public final class SyntheticOutcomes {

    /** Few neighbours and answers: the set is small. */
    public static final TrainingSettings SETTINGS = new TrainingSettings(5, 1.0, 10);

    private static final List<String> HARD = List.of(
            "Prove that the square root of 2 is irrational.",
            "Prove that there are infinitely many primes.",
            "Prove that the sum of the first n odd numbers is n squared.",
            "Prove that every bounded monotone sequence converges.",
            "Prove that a continuous function on a closed interval is bounded.",
            "Prove by induction that 2^n > n for every natural number n.",
            "Prove that the harmonic series diverges.",
            "Compute the integral of x^2 * sin(x) from 0 to pi.",
            "Evaluate the integral of e^(-x^2) over the whole real line.",
            "Find the integral of ln(x) / x from 1 to e.",
            "Compute the definite integral of 1 / (1 + x^2) from 0 to 1.",
            "Evaluate the integral of x * e^x dx by parts.",
            "Find the integral of sec(x)^3 dx.",
            "Prove that the integral of an odd function over a symmetric interval is zero.");

    private static final List<String> EASY = List.of(
            "Hello!", "Hi there, how are you?", "Good morning!", "Hey, thanks a lot!", "Hello, nice to meet you.",
            "Hi! How is it going?", "Good evening, friend.", "Thanks, have a nice day!", "Hey there!",
            "Hello again, how are you doing?", "Hi, good to see you.", "Good afternoon!");

    private SyntheticOutcomes() {
    }

    /** The outcomes of {@code cheap} and {@code strong} on every prompt. */
    public static List<Example> examples(String cheap, String strong) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < HARD.size(); i++) {
            out.add(new Example("hard-" + i, HARD.get(i), outcomes(
                    cheap, new Outcome(0, "It is true because it is well known.", "stop"),
                    strong, new Outcome(1, "Suppose the contrary. Step by step we reach a contradiction, so the claim holds.", "stop"))));
        }
        for (int i = 0; i < EASY.size(); i++) {
            out.add(new Example("easy-" + i, EASY.get(i), outcomes(
                    cheap, new Outcome(1, "Hello! How can I help you today?", "stop"),
                    strong, new Outcome(1, "Hello! What can I do for you?", "stop"))));
        }
        for (int i = 0; i < 18; i++) {
            int a = 12 + 7 * i;
            int b = 25 + 3 * i;
            String prompt = "Add " + a + " and " + b + ": what is " + a + " + " + b + ".";
            Outcome right = new Outcome(1, a + " + " + b + " = " + (a + b) + ". The answer is " + (a + b) + ".", "stop");
            Outcome cheapOutcome = switch (i % 3) {
                case 0 -> right;
                case 1 -> new Outcome(0, a + " + " + b + " = " + (a + b + 10) + ". The answer is " + (a + b + 10) + ".", "stop");
                default -> new Outcome(0, "Adding them step by step: " + a + " + " + b + " =", "length");
            };
            out.add(new Example("sum-" + i, prompt, outcomes(cheap, cheapOutcome, strong, right)));
        }
        return out;
    }

    /** The cheap model first: a model file lists its models in training order. */
    private static Map<String, Outcome> outcomes(String cheap, Outcome cheapOutcome, String strong, Outcome strongOutcome) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        out.put(cheap, cheapOutcome);
        out.put(strong, strongOutcome);
        return out;
    }

    /** A model trained on {@link #examples} with {@code embedder}. */
    public static LearnedModel train(HashingEmbedder embedder, String cheap, String strong) {
        Trainer trainer = new Trainer(embedder, SETTINGS, Clock.fixed(Instant.parse("2026-01-15T10:00:00Z"), ZoneOffset.UTC));
        return trainer.train(examples(cheap, strong), new Trainer.Source("synthetic outcomes for tests", null), n -> { });
    }

    /** Trains on {@link #examples} with a fresh {@link HashingEmbedder} and writes the model to {@code file}. */
    public static Path writeModelFile(Path file, String cheap, String strong) {
        return writeModelFile(file, cheap, strong, new HashingEmbedder());
    }

    /** As {@link #writeModelFile(Path, String, String)}, trained with {@code embedder}'s embeddings. */
    public static Path writeModelFile(Path file, String cheap, String strong, HashingEmbedder embedder) {
        try {
            ModelFile.write(train(embedder, cheap, strong), file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
