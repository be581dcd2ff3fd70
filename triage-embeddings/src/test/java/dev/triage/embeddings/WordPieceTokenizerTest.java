package dev.triage.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.testing.SharedDatasets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our word-piece tokenizer against the Hugging Face Rust implementation (through DJL), id for id. */
class WordPieceTokenizerTest {

    private static WordPieceTokenizer ours;
    private static HuggingFaceTokenizer reference;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream json = MiniLmVariant.QUANTISED.openTokenizer()) {
            ours = WordPieceTokenizer.fromJson(json);
        }
        try (InputStream json = MiniLmVariant.QUANTISED.openTokenizer()) {
            reference = HuggingFaceTokenizer.newInstance(json,
                    Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "false"));
        }
    }

    @AfterAll
    static void close() {
        reference.close();
    }

    private static void assertSameIds(String text) {
        assertThat(ours.tokenize(text).ids()).as("%s", text).containsExactly(reference.encode(text, false, false).getIds());
    }

    @Test
    void everyPromptOfTheShippedDatasetsGetsTheReferenceIds() throws IOException {
        ObjectMapper json = new ObjectMapper();
        int prompts = 0;
        for (String dataset : List.of("gsm8k.jsonl", "mmlu.jsonl")) {
            List<String> lines = Files.readAllLines(SharedDatasets.file(dataset));
            for (int i = 0; i < lines.size(); i += dataset.startsWith("mmlu") ? 3 : 1) {
                for (JsonNode message : json.readTree(lines.get(i)).path("messages")) {
                    assertSameIds(message.path("content").asText());
                    prompts++;
                }
            }
        }
        assertThat(prompts).isGreaterThan(4_000);
    }

    @Test
    void fuzzedTextInManyScriptsAndEdgeCasesGetsTheReferenceIds() {
        String[] pieces = {"The", " quick", " brown", "fox", "jumps", "over", "12,345.67", "e.g.", "U.S.A.", "don't",
            "naïve", "cafe\u0301", "Ångström", "ﬁnance", "Straße", "İstanbul", "ΣΟΦΙΑ", "ὀδυσσεύς", "Привет", "мир",
            "東京", "中文字符", "𠀀𠀁", "한국어", "ひらがな", "カタカナ", "العربية", "עברית", "हिन्दी", "ไทย",
            "🎉", "👍🏽", "👩\u200D💻", "🫠", "\u00A0", "\u2028", "\u3000", "\u200B", "\uFEFF", "\uFFFD", "\uE000",
            "\u0378", "\u0000", "\u0007", "\u000B", "\u000C", "\u001F", "\u007F", "\u0085", "\t", "\n", "\r\n", "  ",
            "[SEP]", "[CLS]", "[cls]", "[MASK]x", "[UNK", "[PAD][PAD]", "x".repeat(100), "y".repeat(101),
            "https://example.com/path?q=1&r=2#frag", "λx.x", "$100", "50%", "a+b=c", "<tag/>", "`code`", "~/.bashrc",
            "«quoted»", "“curly”", "—", "…", "・", "‰", "¿Qué?", "¡Sí!", "ℕ", "①", "Ⅻ", "½", "x²", "ǅ", "ﬀ",
            "antidisestablishmentarianism", "pneumonoultramicroscopicsilicovolcanoconiosis"};
        String[] separators = {" ", "", "\n", ", ", ". ", "-", "_", "/"};
        Random random = new Random(20261129);
        for (int n = 0; n < 3_000; n++) {
            StringBuilder text = new StringBuilder();
            int parts = 1 + random.nextInt(30);
            for (int p = 0; p < parts; p++) {
                text.append(pieces[random.nextInt(pieces.length)]).append(separators[random.nextInt(separators.length)]);
            }
            assertSameIds(text.toString());
        }
    }

    @Test
    void randomCharactersFromCommonBlocksGetTheReferenceIds() {
        // Blocks whose characters are old enough for the Rust library's Unicode tables: it sees code points
        // added or re-categorised since (about 600 below U+30000, e.g. U+09FD, U+2E55) as unassigned.
        int[][] blocks = {{0x20, 0x7F}, {0x80, 0x24F}, {0x370, 0x3FF}, {0x400, 0x4FF}, {0x2000, 0x206F},
            {0x20A0, 0x20BF}, {0x2100, 0x218F}, {0x2190, 0x22FF}, {0x3000, 0x30FF}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3},
            {0xFF00, 0xFFEF}, {0x1F300, 0x1F64F}};
        Random random = new Random(7);
        for (int n = 0; n < 3_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            while (text.length() < length) {
                int[] block = blocks[random.nextInt(blocks.length)];
                text.appendCodePoint(block[0] + random.nextInt(block[1] - block[0] + 1));
            }
            assertSameIds(text.toString());
        }
    }

    @Test
    void wordsAreNumberedSoACutCanDropAPartialOne() {
        WordPieceTokenizer.Pieces pieces = ours.tokenize("Tokenization works, mostly.");
        List<Integer> words = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            words.add(pieces.word(i));
        }
        // token ##ization | works | , | mostly | .
        assertThat(words).containsExactly(0, 0, 1, 2, 3, 4);
    }
}
