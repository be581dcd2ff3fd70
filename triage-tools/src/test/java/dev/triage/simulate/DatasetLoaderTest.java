package dev.triage.simulate;

import static dev.triage.simulate.DatasetFiles.GOOD_LINE;
import static dev.triage.simulate.DatasetFiles.MANIFEST;
import static dev.triage.simulate.DatasetFiles.line;
import static dev.triage.simulate.DatasetFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triage.catalog.Price;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {

    @TempDir
    Path dir;

    @Test
    void theManifestGivesScaleModelsAndExactPrices() {
        Manifest m = DatasetLoader.load(write(dir, MANIFEST, GOOD_LINE)).manifest();
        assertThat(m.name()).isEqualTo("tiny");
        assertThat(m.scoreMin()).isEqualTo(0.0);
        assertThat(m.scoreMax()).isEqualTo(1.0);
        assertThat(m.strongModel()).isEqualTo("big");
        assertThat(m.weakModel()).isEqualTo("small");
        assertThat(m.prices()).containsOnlyKeys("big", "small");
        assertThat(m.price("big").inputPerMtok()).isEqualTo(new BigDecimal("10.0"));
        assertThat(m.price("big").outputPerMtok()).isEqualTo(new BigDecimal("30.0"));
        assertThat(m.price("small").inputPerMtok()).isEqualTo(new BigDecimal("0.24"));
        assertThat(m.price("small")).isEqualTo(Price.of("0.24", "0.24"));
        assertThat(m.price("other")).isNull();
    }

    @Test
    void everyLineBecomesAnItemInFileOrder() {
        Dataset d = DatasetLoader.load(write(dir, MANIFEST, line("q1", 1, 0), "", "   ", line("q2", 0, 0.5)));
        assertThat(d.items()).extracting(Item::id).containsExactly("q1", "q2");
        Item q1 = d.items().getFirst();
        assertThat(q1.category()).isEqualTo("math");
        assertThat(q1.messages().toString()).isEqualTo("[{\"role\":\"user\",\"content\":\"2+2?\"}]");
        assertThat(q1.outcomes()).containsOnlyKeys("big", "small");
        assertThat(q1.outcome("big")).isEqualTo(new Outcome(1.0, "4", null));
        assertThat(q1.outcome("small")).isEqualTo(new Outcome(0.0, null, 3));
        assertThat(d.meanScore("big")).isEqualTo(0.5);
        assertThat(d.meanScore("small")).isEqualTo(0.25);
        assertThat(d.modelsOnEveryItem()).containsExactly("big", "small");
        assertThat(d.file()).isEqualTo(dir.resolve("tiny.jsonl"));
    }

    @Test
    void optionalPartsOfTheFormatMayBeLeftOut() {
        // no category, content parts, an assistant turn that only calls a tool, a third model on one line
        String line = """
                {"id": "x", "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]},\
                 {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function",\
                 "function": {"name": "f", "arguments": "{}"}}]}, {"role": "tool", "tool_call_id": "c1", "content": "ok"}],\
                 "outcomes": {"big": {"score": 1}, "small": {"score": 0.5, "response": null}, "mid": {"score": 0}}}""";
        Dataset d = DatasetLoader.load(write(dir, MANIFEST, line, line("y", 1, 1)));
        Item x = d.items().getFirst();
        assertThat(x.category()).isNull();
        assertThat(x.outcome("small")).isEqualTo(new Outcome(0.5, null, null));
        assertThat(x.outcomes()).containsOnlyKeys("big", "small", "mid");
        assertThat(d.modelsOnEveryItem()).containsExactly("big", "small");
    }

    @Test
    void aManifestWithoutANameIsNamedAfterItsFile() {
        Dataset d = DatasetLoader.load(write(dir, MANIFEST.replace("\"name\": \"tiny\",", ""), GOOD_LINE));
        assertThat(d.manifest().name()).isEqualTo("tiny");
    }

    @Test
    void aByteOrderMarkAndWindowsLineEndsAreAccepted() {
        Dataset d = DatasetLoader.load(write(dir, MANIFEST, "\uFEFF" + line("a", 1, 0) + "\r", line("b", 1, 1) + "\r"));
        assertThat(d.items()).extracting(Item::id).containsExactly("a", "b");
    }

    @Test
    void theLastLineNeedsNoNewlineAndLinesMayBeLongerThanAnyBuffer() throws IOException {
        String longAnswer = "x".repeat(200_000);
        String longLine = line("long", 1, 0).replace("\"response\": \"4\"", "\"response\": \"" + longAnswer + "\"");
        Path file = write(dir, MANIFEST, "");
        Files.writeString(file, line("a", 1, 0) + "\n" + longLine + "\n" + line("z", 0, 0));
        Dataset d = DatasetLoader.load(file);
        assertThat(d.items()).extracting(Item::id).containsExactly("a", "long", "z");
        assertThat(d.items().get(1).outcome("big").response()).isEqualTo(longAnswer);
    }
}
