package dev.triage.analysis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Finds every cue phrase in a text in one left-to-right pass (an Aho–Corasick automaton), folding
 * case on the fly so the text is never copied. Several hundred phrases cost about the same as one:
 * this is what keeps analysis far below the cost of counting tokens.
 */
final class PhraseMatcher {

    /** Receives the index (into the cue list) of each phrase found, and whether it sat inside quotes. */
    interface Sink {
        void found(int cue, boolean quoted);
    }

    private final List<Cue> cues;
    private final char[][] keys;
    private final int[][] children;
    private final int[][] outputs;
    /** For ASCII characters (most text): the next node of every node, resolved at construction. */
    private final byte[] symbols = new byte[128];
    private final int symbolCount;
    private final char[] asciiNext;
    /**
     * For other characters, per node, every one on which the automaton moves somewhere other than where
     * the root would send it (sorted), and where to: the trie's edges from the node and from each node on
     * its failure chain, resolved at construction, so that a step never walks the chain.
     */
    private final char[][] moveKeys;
    private final int[][] moveTargets;

    PhraseMatcher(List<Cue> cues) {
        this.cues = List.copyOf(cues);
        List<TreeMap<Character, Integer>> edges = new ArrayList<>();
        List<List<Integer>> out = new ArrayList<>();
        edges.add(new TreeMap<>());
        out.add(new ArrayList<>());
        for (int i = 0; i < this.cues.size(); i++) {
            String phrase = this.cues.get(i).phrase();
            int node = 0;
            for (int k = 0; k < phrase.length(); k++) {
                char c = fold(phrase.charAt(k));
                Integer next = edges.get(node).get(c);
                if (next == null) {
                    next = edges.size();
                    edges.get(node).put(c, next);
                    edges.add(new TreeMap<>());
                    out.add(new ArrayList<>());
                }
                node = next;
            }
            out.get(node).add(i);
        }
        int n = edges.size();
        keys = new char[n][];
        children = new int[n][];
        for (int node = 0; node < n; node++) {
            TreeMap<Character, Integer> e = edges.get(node);
            keys[node] = new char[e.size()];
            children[node] = new int[e.size()];
            int j = 0;
            for (var entry : e.entrySet()) {
                keys[node][j] = entry.getKey();
                children[node][j++] = entry.getValue();
            }
        }
        int[] fail = new int[n];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int child : children[0]) {
            queue.add(child);
        }
        while (!queue.isEmpty()) {
            int node = queue.poll();
            for (int j = 0; j < keys[node].length; j++) {
                int child = children[node][j];
                int f = fail[node];
                int target;
                while ((target = child(f, keys[node][j])) < 0 && f != 0) {
                    f = fail[f];
                }
                fail[child] = target >= 0 && target != child ? target : 0;
                out.get(child).addAll(out.get(fail[child]));
                queue.add(child);
            }
        }
        outputs = new int[n][];
        for (int node = 0; node < n; node++) {
            outputs[node] = out.get(node).stream().mapToInt(Integer::intValue).toArray();
        }
        // Only the ASCII characters that occur in some phrase get a column; any other sends to the root.
        int count = 0;
        for (int node = 0; node < n; node++) {
            for (char c : keys[node]) {
                if (c < 128 && symbols[c] == 0) {
                    symbols[c] = (byte) ++count;
                }
            }
        }
        symbolCount = count;
        if ((long) n * count > Integer.MAX_VALUE || n > Character.MAX_VALUE) {
            throw new IllegalArgumentException("too many cue phrases for the automaton: " + n + " nodes");
        }
        asciiNext = new char[n * count];
        moveKeys = new char[n][];
        moveTargets = new int[n][];
        moveKeys[0] = new char[0];
        moveTargets[0] = new int[0];
        for (int j = 0; j < keys[0].length; j++) {
            if (keys[0][j] < 128) {
                asciiNext[symbols[keys[0][j]] - 1] = (char) children[0][j];
            }
        }
        for (int child : children[0]) {
            queue.add(child);
        }
        while (!queue.isEmpty()) { // breadth first: a node's failure target is always resolved before it
            int node = queue.poll();
            int f = fail[node];
            System.arraycopy(asciiNext, f * count, asciiNext, node * count, count);
            TreeMap<Character, Integer> moves = new TreeMap<>();
            for (int j = 0; j < moveKeys[f].length; j++) {
                moves.put(moveKeys[f][j], moveTargets[f][j]);
            }
            for (int j = 0; j < keys[node].length; j++) {
                char c = keys[node][j];
                if (c < 128) {
                    asciiNext[node * count + symbols[c] - 1] = (char) children[node][j];
                } else {
                    moves.put(c, children[node][j]);
                }
                queue.add(children[node][j]);
            }
            moveKeys[node] = new char[moves.size()];
            moveTargets[node] = new int[moves.size()];
            int j = 0;
            for (var move : moves.entrySet()) {
                moveKeys[node][j] = move.getKey();
                moveTargets[node][j++] = move.getValue();
            }
        }
    }

    List<Cue> cues() {
        return cues;
    }

    /**
     * Reports each cue found in {@code text[from, to)}. {@code opening} is where the message's first
     * non-blank character is, for cues that count only there. Quotes are tracked so that quoted
     * material ("Translate: “Thank you”") can count less than the instruction around it.
     */
    void scan(String text, int from, int to, int opening, Sink sink) {
        int state = 0;
        boolean quoted = false;
        for (int i = from; i < to; i++) {
            char raw = text.charAt(i);
            switch (raw) {
                case '"' -> quoted = !quoted;
                case '\u201C', '\u00AB', '\u300C', '\u300E' -> quoted = true;   // “ « 「 『
                case '\u201D', '\u00BB', '\u300D', '\u300F' -> quoted = false;  // ” » 」 』
                default -> { }
            }
            state = step(state, fold(raw));
            int[] found = outputs[state];
            for (int cueIndex : found) {
                Cue cue = cues.get(cueIndex);
                int start = i - cue.phrase().length() + 1;
                if (cue.openingOnly() && start != opening) {
                    continue;
                }
                if (cue.boundedStart() && start > 0 && isWordChar(text.charAt(start - 1))
                        || cue.boundedEnd() && i + 1 < text.length() && isWordChar(text.charAt(i + 1))) {
                    continue;
                }
                sink.found(cueIndex, quoted);
            }
        }
    }

    private int step(int state, char c) {
        if (c < 128) {
            int symbol = symbols[c];
            return symbol == 0 ? 0 : asciiNext[state * symbolCount + symbol - 1];
        }
        char[] k = moveKeys[state];
        int j = k.length <= 8 ? linear(k, c) : Arrays.binarySearch(k, c);
        return j >= 0 ? moveTargets[state][j] : Math.max(child(0, c), 0);
    }

    private static int linear(char[] keys, char c) {
        for (int j = 0; j < keys.length; j++) {
            if (keys[j] == c) {
                return j;
            }
        }
        return -1;
    }

    private int child(int node, char c) {
        int j = Arrays.binarySearch(keys[node], c);
        return j >= 0 ? children[node][j] : -1;
    }

    /** Lower case, and typographic apostrophes as plain ones ("what’s" is "what's"). */
    static char fold(char c) {
        if (c < 128) {
            return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        if (c == '\u2019' || c == '\u2018') {
            return '\'';
        }
        return Character.toLowerCase(c);
    }

    /** A character that continues a Latin-script word; CJK and kana never do (they have no spaces). */
    static boolean isWordChar(char c) {
        if (c < 128) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
        }
        return c < 0x2E80 && Character.isLetterOrDigit(c);
    }
}
