package dev.triage.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BERT's uncased word-piece tokenizer, as the model's {@code tokenizer.json} describes it: drop control
 * characters, space out CJK ideographs, strip accents, lower-case, split at whitespace and punctuation,
 * then cut each word into the longest pieces in the vocabulary ({@code ##} marks a continuation; a word
 * with no cut, or over 100 characters, is {@code [UNK]}). Literal {@code [CLS]}, {@code [SEP]} etc. in
 * the text are those tokens, as in the Hugging Face implementation.
 *
 * <p>Written here rather than taken from DJL's binding of the Rust library because that binding spends
 * about 0.6 µs a character (1.2 ms for a 2,000-character prompt) and unpacks a native library into the
 * home directory; this runs at a few tens of nanoseconds a character. {@code WordPieceTokenizerTest}
 * checks it gives the Rust library's ids on both shipped datasets and on fuzzed text. The one known
 * difference: about 600 code points that Unicode added or re-categorised after the Rust library's
 * tables (e.g. U+09FD, U+2E55) are classified by the JDK's newer tables here; either way such a
 * character ends up inside an {@code [UNK]} or next to one.
 */
final class WordPieceTokenizer {

    private static final int MAX_WORD_CHARS = 100;

    private final Map<String, Integer> words;
    private final Map<String, Integer> continuations;
    private final Map<String, Integer> specials;
    private final int longestPiece;
    private final int unk;
    private final int cls;
    private final int sep;

    private WordPieceTokenizer(Map<String, Integer> vocab, Map<String, Integer> specials) {
        this.words = new HashMap<>();
        this.continuations = new HashMap<>();
        int longest = 0;
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String piece = e.getKey();
            if (piece.startsWith("##") && piece.length() > 2) {
                continuations.put(piece.substring(2), e.getValue());
            } else {
                words.put(piece, e.getValue());
            }
            longest = Math.max(longest, piece.length());
        }
        this.longestPiece = longest;
        this.specials = specials;
        this.unk = id(vocab, "[UNK]");
        this.cls = id(vocab, "[CLS]");
        this.sep = id(vocab, "[SEP]");
    }

    private static int id(Map<String, Integer> vocab, String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalStateException("tokenizer vocabulary has no " + token);
        }
        return id;
    }

    /**
     * Reads a Hugging Face {@code tokenizer.json}; refuses one that is not the uncased BERT word-piece
     * pipeline this class implements.
     */
    static WordPieceTokenizer fromJson(InputStream json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        JsonNode normalizer = root.path("normalizer");
        JsonNode model = root.path("model");
        boolean supported = normalizer.path("type").asText().equals("BertNormalizer")
                && normalizer.path("clean_text").asBoolean() && normalizer.path("handle_chinese_chars").asBoolean()
                && normalizer.path("lowercase").asBoolean()
                && (normalizer.path("strip_accents").isNull() || normalizer.path("strip_accents").asBoolean())
                && root.path("pre_tokenizer").path("type").asText().equals("BertPreTokenizer")
                && model.path("type").asText().equals("WordPiece")
                && model.path("continuing_subword_prefix").asText().equals("##")
                && model.path("max_input_chars_per_word").asInt() == MAX_WORD_CHARS;
        if (!supported) {
            throw new IllegalStateException("tokenizer is not an uncased BERT word-piece tokenizer");
        }
        Map<String, Integer> vocab = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        for (JsonNode added : root.path("added_tokens")) {
            if (added.path("normalized").asBoolean()) {
                throw new IllegalStateException("tokenizer has a normalized added token, which is not supported");
            }
            specials.put(added.path("content").asText(), added.path("id").asInt());
        }
        return new WordPieceTokenizer(vocab, specials);
    }

    int cls() {
        return cls;
    }

    int sep() {
        return sep;
    }

    /** The text's word pieces in order, each with the index of the word it came from. */
    Pieces tokenize(CharSequence text) {
        Pieces out = new Pieces();
        int segment = 0;
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) == '[') {
                String special = specialAt(text, i);
                if (special != null) {
                    words(text, segment, i, out);
                    out.add(specials.get(special), out.nextWord++);
                    i += special.length();
                    segment = i;
                    continue;
                }
            }
            i++;
        }
        words(text, segment, text.length(), out);
        return out;
    }

    /** The added token (e.g. {@code [SEP]}) that starts at {@code i}, or null. */
    String specialAt(CharSequence text, int i) {
        for (String special : specials.keySet()) {
            if (i + special.length() <= text.length() && special.contentEquals(text.subSequence(i, i + special.length()))) {
                return special;
            }
        }
        return null;
    }

    /** The longest added token's length: a cut closer than this to a '[' may split one. */
    int longestSpecial() {
        return specials.keySet().stream().mapToInt(String::length).max().orElse(0);
    }

    private void words(CharSequence text, int from, int to, Pieces out) {
        String normal = normalize(text, from, to);
        int start = -1;
        for (int i = 0; i < normal.length(); ) {
            int c = normal.codePointAt(i);
            int next = i + Character.charCount(c);
            if (c == ' ') {
                if (start >= 0) {
                    word(normal.substring(start, i), out);
                    start = -1;
                }
            } else if (isPunctuation(c)) {
                if (start >= 0) {
                    word(normal.substring(start, i), out);
                    start = -1;
                }
                word(normal.substring(i, next), out);
            } else if (start < 0) {
                start = i;
            }
            i = next;
        }
        if (start >= 0) {
            word(normal.substring(start), out);
        }
    }

    private void word(String word, Pieces out) {
        int wordIndex = out.nextWord++;
        Integer whole = words.get(word);
        if (whole != null) {
            out.add(whole, wordIndex);
            return;
        }
        if (word.codePointCount(0, word.length()) > MAX_WORD_CHARS) {
            out.add(unk, wordIndex);
            return;
        }
        int mark = out.size;
        int start = 0;
        while (start < word.length()) {
            Map<String, Integer> vocab = start == 0 ? words : continuations;
            int end = Math.min(word.length(), start + longestPiece);
            Integer id = null;
            while (end > start) {
                id = vocab.get(word.substring(start, end));
                if (id != null) {
                    break;
                }
                end--;
            }
            if (id == null) {
                out.size = mark; // no cut covers the word: it is one unknown token
                out.add(unk, wordIndex);
                return;
            }
            out.add(id, wordIndex);
            start = end;
        }
    }

    /** Clean, space out CJK, strip accents, lower-case: the BertNormalizer steps, in its order. */
    private static String normalize(CharSequence text, int from, int to) {
        StringBuilder clean = new StringBuilder(to - from + 16);
        boolean ascii = true;
        for (int i = from; i < to; ) {
            int c = Character.codePointAt(text, i);
            i += Character.charCount(c);
            if (c < 0x80) {
                if (c >= 'A' && c <= 'Z') {
                    clean.append((char) (c + 32));
                } else if (c == '\t' || c == '\n' || c == '\r' || c == ' ') {
                    clean.append(' ');
                } else if (c >= 0x20 && c != 0x7F) {
                    clean.append((char) c);
                } // other ASCII controls are dropped
                continue;
            }
            ascii = false;
            if (c == 0xFFFD || isControl(c)) {
                continue;
            }
            if (isWhitespace(c)) {
                clean.append(' ');
            } else if (isCjk(c)) {
                clean.append(' ').appendCodePoint(c).append(' ');
            } else {
                clean.appendCodePoint(c);
            }
        }
        if (ascii) {
            return clean.toString();
        }
        String decomposed = Normalizer.normalize(clean, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); ) {
            int c = decomposed.codePointAt(i);
            i += Character.charCount(c);
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                out.appendCodePoint(Character.toLowerCase(c));
            }
        }
        return out.toString();
    }

    /** Cc, Cf, Co and Cs are dropped; unassigned code points (Cn) stay, as in the Rust library. */
    private static boolean isControl(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.SURROGATE;
    }

    /** Unicode White_Space (what Rust's {@code char::is_whitespace} tests). */
    private static boolean isWhitespace(int c) {
        return Character.getType(c) == Character.SPACE_SEPARATOR || c == 0x2028 || c == 0x2029;
    }

    private static boolean isCjk(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }

    private static boolean isPunctuation(int c) {
        if (c < 0x80) {
            return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
        }
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** Piece ids with the word each came from (words are numbered from 0 in text order). */
    static final class Pieces {
        private long[] ids = new long[64];
        private int[] wordOf = new int[64];
        private int size;
        private int nextWord;

        private void add(int id, int word) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                wordOf = Arrays.copyOf(wordOf, size * 2);
            }
            ids[size] = id;
            wordOf[size++] = word;
        }

        int size() {
            return size;
        }

        long id(int i) {
            return ids[i];
        }

        int word(int i) {
            return wordOf[i];
        }

        long[] ids() {
            return Arrays.copyOf(ids, size);
        }
    }
}
