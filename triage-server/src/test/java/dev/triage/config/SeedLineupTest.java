package dev.triage.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.catalog.ModelStatus;
import dev.triage.catalog.PriceCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The seed's exact line-up ships as {@code examples/seed-lineup.yaml}; the built-in default keeps its shape on
 * current models: the same routes, rules, tiers, stages and floors with each seed model replaced by its successor.
 */
class SeedLineupTest {

    /** Each seed model and the current model in its place in the built-in default (README, "Default routes"). */
    static final Map<String, String> SUCCESSORS = successors();

    private static Map<String, String> successors() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("gemini-2.0-flash", "gemini-3.1-flash-lite");   // fast
        m.put("claude-3.5-sonnet", "claude-sonnet-4.6");      // balanced
        m.put("claude-3.7-sonnet", "claude-opus-4.6");        // flagship (code)
        m.put("gpt-4.5", "gpt-5.5");                          // flagship (reasoning)
        m.put("gpt-4.1", "gpt-5.4");
        m.put("gpt-4.1-mini", "gpt-5.4-mini");
        return m;
    }

    private static final Path EXAMPLE = Path.of("..", "examples", "seed-lineup.yaml");
    private static final PriceCatalog BUNDLED = PriceCatalog.builtIn();

    @Test
    void theExampleLoadsWithTheSeedsModelsInTheSeedsThreeStrategies() {
        TriageConfig seed = ConfigLoader.load(EXAMPLE, Map.of());

        assertThat(seed.routes().keySet()).containsExactly("task", "tiered", "cascade", "auto");
        assertThat(seed.routes()).isEqualTo(ConfigLoader.parse(ConfigRoutesTest.DESIGN_ROUTES
                .replace("scorer: {kind: verifier, judge_model: gpt-4.1-mini}", "scorer: heuristic"), "design.yaml",
                ConfigRoutesTest.KEYS).routes());
    }

    @Test
    void eachRetiredSeedModelIsWarnedAboutOnceAtItsFirstPlaceNamingItsRetirementDate() throws Exception {
        TriageConfig seed = ConfigLoader.load(EXAMPLE, Map.of());
        List<String> lines = Files.readAllLines(EXAMPLE);

        assertThat(seed.warnings()).extracting(ConfigError::toString).containsExactly(
                warning(lines, "classification:", "model", "gemini-2.0-flash", "2026-06-01",
                        "fast_response:", "quality_floor: {model", "low:", "- {model: gemini-2.0-flash"),
                warning(lines, "classification:", "fallback", "claude-3.5-sonnet", "2025-10-22",
                        "summarization:", "medium:", "- {model: claude-3.5-sonnet"),
                warning(lines, "code_generation:", "model", "claude-3.7-sonnet", "2026-02-19", "reasoning:", "high:"),
                warning(lines, "code_generation:", "fallback", "gpt-4.5", "2025-07-14", "reasoning:", "high:", "- {model: gpt-4.5}"));
        assertThat(seed.warnings()).noneMatch(w -> w.message().contains("gpt-4.1"));
    }

    /** The one warning a retired model gets: at its first place (a task rule's key), listing the lines it is named on after. */
    private static String warning(List<String> lines, String rule, String key, String model, String retired, String... alsoOn) {
        int line = lineOf(lines, rule);
        int column = lines.get(line - 1).indexOf(model) + 1;
        List<String> more = java.util.Arrays.stream(alsoOn).map(text -> String.valueOf(lineOf(lines, text))).toList();
        return EXAMPLE + ":" + line + ":" + column + ": routes.task.task_types." + rule.replace(":", "") + "." + key + ": model '"
                + model + "' was retired by its vendor on " + retired + ": calls to it fail upstream (it stays in the catalog so old"
                + " ledgers and simulations price exactly); see `triage models` for current ones (also named on line"
                + (more.size() > 1 ? "s " : " ") + String.join(", ", more) + ")";
    }

    @Test
    void theBuiltInDefaultIsTheSeedLineUpWithEachModelReplacedByItsCurrentSuccessor() throws Exception {
        String current = substitute(Files.readString(EXAMPLE));

        assertThat(ConfigLoader.builtInDefault(ConfigRoutesTest.KEYS).routes())
                .isEqualTo(ConfigLoader.parse(current, "current.yaml", ConfigRoutesTest.KEYS).routes());
    }

    @Test
    void everySuccessorIsCurrentAndPlaysTheSameRoleAtItsPricePoint() {
        SUCCESSORS.forEach((seed, successor) -> {
            assertThat(BUNDLED.find(successor).orElseThrow().status()).as(successor).isEqualTo(ModelStatus.CURRENT);
            assertThat(BUNDLED.find(successor).orElseThrow().provider()).as(successor)
                    .isEqualTo(BUNDLED.find(seed).orElseThrow().provider());
        });
        // fast < balanced < flagship, by output price, as in the seed
        assertThat(output("gemini-3.1-flash-lite")).isLessThan(output("claude-sonnet-4.6"));
        assertThat(output("claude-sonnet-4.6")).isLessThanOrEqualTo(output("claude-opus-4.6"));
        assertThat(output("gpt-5.4-mini")).isLessThan(output("gpt-5.4"));
        assertThat(output("gpt-5.4")).isLessThan(output("gpt-5.5"));
    }

    @Test
    void theBuiltInDefaultNamesNoRetiredOrDeprecatedModel() {
        assertThat(ConfigLoader.builtInDefault(ConfigRoutesTest.KEYS).warnings()).isEmpty();
        assertThat(ConfigLoader.builtInDefault(Map.of()).warnings()).isEmpty();
    }

    private static java.math.BigDecimal output(String id) {
        return BUNDLED.find(id).orElseThrow().price().outputPerMtok();
    }

    /** The text with every seed model id, as a whole word (gpt-4.1 is not a part of gpt-4.1-mini), replaced. */
    static String substitute(String yaml) {
        Matcher m = Pattern.compile("(?<![\\w.-])(" + String.join("|", SUCCESSORS.keySet().stream().map(Pattern::quote).toList())
                + ")(?![\\w.-])").matcher(yaml);
        return m.replaceAll(r -> Matcher.quoteReplacement(SUCCESSORS.get(r.group(1))));
    }

    private static int lineOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text) && !lines.get(i).strip().startsWith("#")) {
                return i + 1;
            }
        }
        throw new AssertionError("no line with " + text);
    }
}
