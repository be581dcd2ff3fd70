package dev.triage.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Made-up recorded outcomes with a known answer: hard prompts (proofs, integrals) are right only on the
 * strong model, and the weak model's answers to them get their sums wrong; easy prompts (arithmetic
 * with a greeting) are right on both, with correct working and a final answer.
 */
final class Synthetic {

    static final String WEAK = "weak-model";
    static final String STRONG = "strong-model";

    private Synthetic() {
    }

    static List<Example> examples(int n, long seed) {
        Random r = new Random(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(r.nextBoolean() ? hard(i, r) : easy(i, r));
        }
        return out;
    }

    static Example hard(int i, Random r) {
        int k = 2 + r.nextInt(7);
        String prompt = "Prove that the integral of x^" + k + " over the interval is convergent, and derive the bound for theorem " + i;
        return new Example("hard-" + i, prompt, Map.of(
                WEAK, new Example.Outcome(0, "We compute " + k + " * 3 = " + (k * 3 + 1) + " and then it might be " + k, "stop"),
                STRONG, new Example.Outcome(1, "By substitution, " + k + " + 1 = " + (k + 1) + ". #### " + (k + 1), "stop")));
    }

    static Example easy(int i, Random r) {
        int a = 1 + r.nextInt(9);
        int b = 1 + r.nextInt(9);
        String prompt = "Hello! What is " + a + " plus " + b + "? Thanks, friend " + i;
        String answer = a + " + " + b + " = " + (a + b) + "\n#### " + (a + b);
        return new Example("easy-" + i, prompt, Map.of(
                WEAK, new Example.Outcome(1, answer, "stop"),
                STRONG, new Example.Outcome(1, answer, "stop")));
    }
}
