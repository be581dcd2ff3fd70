package dev.triage.learn;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Facts about an answer that say whether it can be trusted: whether it reaches a final answer,
 * whether its written sums are right, whether it uses the numbers the prompt gave, whether it hedges,
 * whether it was cut off. Computed from the text in microseconds; an answer with no text (a one-letter
 * multiple-choice reply, say) gives mostly zeros and leaves the decision to the prompt's features.
 */
final class AnswerFeatures {

    static final List<String> NAMES = List.of("answer_kchars", "answer_log_chars", "final_answer", "wrong_sums",
            "checked_sums", "prompt_numbers_used", "hedges", "answer_lines", "cut_off", "empty", "final_matches_last_sum");

    private static final Pattern FINAL = Pattern.compile(
            "(?:####|\\\\boxed\\{|answer is|answer:|final answer|therefore|so the answer)\\s*\\$?\\s*(-?[\\d,]*\\.?\\d+)?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern HEDGE = Pattern.compile(
            "\\b(assum\\w*|approximately|not sure|unclear|cannot be determined|can't be determined|not enough information|"
                    + "i think|probably|might be|it seems|however)\\b", Pattern.CASE_INSENSITIVE);

    private AnswerFeatures() {
    }

    static double[] of(String prompt, String answer, String finishReason) {
        String a = answer == null ? "" : answer;
        Arithmetic.Check sums = Arithmetic.check(a);
        Double finalValue = null;
        boolean hasFinal = false;
        Matcher f = FINAL.matcher(a);
        while (f.find()) {
            hasFinal = true;
            if (f.group(1) != null) {
                finalValue = Arithmetic.number(f.group(1));
            }
        }
        Double last = Arithmetic.lastResult(a);
        boolean finalMatches = finalValue != null && last != null && Math.abs(finalValue - last) < 1e-6;
        boolean cutOff = "length".equals(finishReason)
                || a.lastIndexOf("<<") > a.lastIndexOf(">>");
        return new double[] {
            a.length() / 1000.0,
            Math.log1p(a.length()),
            hasFinal ? 1 : 0,
            sums.wrong(),
            sums.checked(),
            numbersUsed(prompt, a),
            HEDGE.matcher(a).find() ? 1 : 0,
            PromptFeatures.count(a, '\n'),
            cutOff ? 1 : 0,
            a.isBlank() ? 1 : 0,
            finalMatches ? 1 : 0,
        };
    }

    /** The share of the prompt's distinct numbers that the answer mentions (1 when the prompt has none). */
    private static double numbersUsed(String prompt, String answer) {
        Set<String> asked = numbers(prompt);
        if (asked.isEmpty()) {
            return 1;
        }
        Set<String> used = numbers(answer);
        long hit = asked.stream().filter(used::contains).count();
        return hit / (double) asked.size();
    }

    private static Set<String> numbers(String text) {
        Set<String> out = new HashSet<>();
        Matcher m = PromptFeatures.NUMBER.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group().replace(",", ""));
        }
        return out;
    }
}
