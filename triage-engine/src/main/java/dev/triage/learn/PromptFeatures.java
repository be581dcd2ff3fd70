package dev.triage.learn;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cheap facts about a prompt that say how hard it is, beside its embedding: length, how many numbers
 * and of what kind (fractions, percentages, decimals, large values), questions, sentences, lines and
 * code. All are computed from the text alone in microseconds.
 */
final class PromptFeatures {

    static final List<String> NAMES = List.of("prompt_kchars", "prompt_log_chars", "numbers", "percent_signs", "slashes",
            "decimals", "log_max_number", "question_marks", "sentences", "lines", "code_marks");

    static final Pattern NUMBER = Pattern.compile("\\d[\\d,]*(?:\\.\\d+)?");

    private PromptFeatures() {
    }

    static double[] of(String prompt) {
        int numbers = 0;
        int decimals = 0;
        double max = 0;
        Matcher m = NUMBER.matcher(prompt);
        while (m.find()) {
            numbers++;
            String n = m.group();
            if (n.indexOf('.') >= 0) {
                decimals++;
            }
            Double v = Arithmetic.number(n);
            if (v != null) {
                max = Math.max(max, v);
            }
        }
        return new double[] {
            prompt.length() / 1000.0,
            Math.log1p(prompt.length()),
            numbers,
            count(prompt, '%'),
            count(prompt, '/'),
            decimals,
            Math.log1p(max),
            count(prompt, '?'),
            count(prompt, '.') + count(prompt, '!') + 1,
            count(prompt, '\n'),
            count(prompt, '{') + count(prompt, ';') + occurrences(prompt, "```"),
        };
    }

    static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    static int occurrences(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
