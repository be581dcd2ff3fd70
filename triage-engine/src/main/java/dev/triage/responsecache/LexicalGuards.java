package dev.triage.responsecache;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Differences between two texts that sentence embeddings barely see but that change the answer: a number
 * swapped for another ("5 km" / "8 km"), a negation on one side only ("safe" / "not safe", when the rest is
 * mostly the same words), and the same words around a direction word in another order ("5 km to miles" /
 * "5 miles to km"). Each check is on the probes' words only: no embedding, no allocation worth counting.
 */
final class LexicalGuards {

    private static final Pattern WORD = Pattern.compile("\\p{N}+(?:[.,]\\p{N}+)*[\\p{L}\\p{N}_]*|[\\p{L}\\p{N}_]+(?:'[\\p{L}]+)?");

    private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "none", "nothing", "nobody", "neither", "nor",
            "cannot", "without");

    /** After these, the next content word says which way something goes (converting to, better than). */
    private static final Set<String> DIRECTIONS = Set.of("to", "into", "from", "than", "vs", "versus", "over", "per");

    private static final Set<String> STOP_WORDS = Set.of("a", "an", "the", "is", "are", "was", "were", "be", "been", "being",
            "of", "to", "in", "on", "for", "with", "by", "at", "from", "as", "and", "or", "but", "if", "then", "so", "that", "this",
            "these", "those", "it", "its", "can", "could", "should", "would", "will", "may", "might", "do", "does", "did", "have",
            "has", "had", "what", "which", "who", "whom", "whose", "how", "why", "when", "where", "there", "here", "you", "your",
            "we", "our", "us", "i", "me", "my", "he", "she", "they", "them", "their", "his", "her", "also", "such", "than", "into",
            "about", "over", "under", "more", "most", "some", "any", "all", "each", "other", "only", "own", "same", "very", "just",
            "via", "vs", "versus", "per");

    /** Share of content words two texts must have in common before a negation on one side only counts. */
    static final double NEGATION_OVERLAP = 0.5;

    private LexicalGuards() {
    }

    /** {@code text}'s words, lower-cased, at most {@code max}. */
    static List<String> words(String text, int max) {
        String normal = text.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(normal);
        while (m.find() && words.size() < max) {
            words.add(m.group());
        }
        return words;
    }

    /** Whether the two texts differ in a way that makes one's answer wrong for the other. */
    static boolean conflict(List<String> a, List<String> b) {
        return numbersDiffer(a, b) || negationDiffers(a, b) || directionDiffers(a, b);
    }

    /** Each side has a number the other lacks (one side merely adding a number, like a list's "1.", is not a swap). */
    static boolean numbersDiffer(List<String> a, List<String> b) {
        Set<String> na = numbers(a);
        Set<String> nb = numbers(b);
        return !nb.containsAll(na) && !na.containsAll(nb);
    }

    static boolean negationDiffers(List<String> a, List<String> b) {
        if (negated(a) == negated(b)) {
            return false;
        }
        Set<String> ca = content(a);
        Set<String> cb = content(b);
        Set<String> union = new HashSet<>(ca);
        union.addAll(cb);
        ca.retainAll(cb);
        return !union.isEmpty() && ca.size() >= NEGATION_OVERLAP * union.size();
    }

    /** The same content words, but a direction word is followed by a different one. */
    static boolean directionDiffers(List<String> a, List<String> b) {
        if (!content(a).equals(content(b))) {
            return false;
        }
        for (String direction : DIRECTIONS) {
            String afterA = after(a, direction);
            String afterB = after(b, direction);
            if (afterA != null && afterB != null && !afterA.equals(afterB)) {
                return true;
            }
        }
        return false;
    }

    private static String after(List<String> words, String direction) {
        int at = words.indexOf(direction);
        if (at < 0) {
            return null;
        }
        for (int i = at + 1; i < words.size(); i++) {
            if (!STOP_WORDS.contains(words.get(i))) {
                return words.get(i);
            }
        }
        return null;
    }

    private static Set<String> numbers(List<String> words) {
        Set<String> numbers = new HashSet<>();
        for (String w : words) {
            if (Character.isDigit(w.charAt(0))) {
                numbers.add(w);
            }
        }
        return numbers;
    }

    private static boolean negated(List<String> words) {
        for (String w : words) {
            if (NEGATIONS.contains(w) || w.endsWith("n't")) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> content(List<String> words) {
        Set<String> content = new HashSet<>();
        for (String w : words) {
            if (!STOP_WORDS.contains(w) && !NEGATIONS.contains(w) && !w.endsWith("n't")) {
                content.add(w);
            }
        }
        return content;
    }
}
