package dev.triage.simulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a routing-benchmark dataset: {@code NAME.jsonl}, one JSON object per line with {@code id},
 * {@code category}, {@code messages} (OpenAI chat messages) and {@code outcomes} (model id to
 * {@code {score, response?, output_tokens?}}), and beside it the manifest {@code NAME.json} with the
 * score scale, the strong and weak model and their prices. Any file of this format loads; the
 * shipped ones are in {@code ../shared/datasets/}.
 *
 * <p>The file is read once, line by line. Blank lines are skipped. A bad file fails with a
 * {@link DatasetException} listing every problem as {@code file:line: what is wrong}, up to
 * {@value Problems#LIMIT} of them.
 */
public final class DatasetLoader {

    private DatasetLoader() {
    }

    /** Loads {@code jsonl} and its manifest, or throws a {@link DatasetException} saying what is wrong. */
    public static Dataset load(Path jsonl) {
        String fileName = jsonl.getFileName().toString();
        if (!fileName.endsWith(".jsonl")) {
            throw new DatasetException(jsonl + ": a dataset file is NAME.jsonl, with its manifest NAME.json beside it");
        }
        Problems problems = new Problems();
        Path manifestFile = jsonl.resolveSibling(fileName.substring(0, fileName.length() - ".jsonl".length()) + ".json");
        if (!Files.exists(jsonl)) {
            throw new DatasetException(jsonl + ": no such file");
        }
        ManifestReader.Read manifest = new ManifestReader(manifestFile, problems).read(jsonl);
        problems.throwIfAny();
        List<Item> items = readItems(jsonl, manifest.manifest(), problems);
        if (manifest.declaredItems() != null && problems.found() == 0 && manifest.declaredItems() != items.size()) {
            problems.add(manifestFile.toString(), "declares " + manifest.declaredItems() + " items but " + jsonl
                    + " has " + items.size() + " (a truncated or edited file?)");
        }
        problems.throwIfAny();
        return new Dataset(jsonl, manifest.manifest(), items);
    }

    private static boolean startsWithByteOrderMark(ByteLines line) {
        byte[] b = line.bytes();
        return line.length() >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF;
    }

    private static List<Item> readItems(Path jsonl, Manifest manifest, Problems problems) {
        ItemReader reader = new ItemReader(jsonl.toString(), manifest, problems);
        List<Item> items = new ArrayList<>();
        Map<String, Integer> firstLineOfId = new HashMap<>();
        // for models the manifest does not price: the first line with a cost_usd, and the first without
        Map<String, Integer> firstCosted = new HashMap<>();
        Map<String, Integer> firstUncosted = new java.util.LinkedHashMap<>();
        int line = 0;
        try (ByteLines lines = new ByteLines(Files.newInputStream(jsonl))) {
            while (lines.next() && !problems.overflowed()) {
                line++;
                if (lines.isBlank()) {
                    continue;
                }
                int start = line == 1 && startsWithByteOrderMark(lines) ? 3 : 0;
                Item item = reader.read(lines.bytes(), start, lines.length() - start, line);
                if (item == null) {
                    continue;
                }
                Integer first = firstLineOfId.putIfAbsent(item.id(), line);
                if (first != null) {
                    problems.add(jsonl + ":" + line, "duplicate id \"" + item.id() + "\" (first on line " + first + ")");
                } else {
                    items.add(item);
                    int at = line;
                    item.outcomes().forEach((model, o) -> {
                        if (manifest.price(model) == null) {
                            (o.cost() != null ? firstCosted : firstUncosted).putIfAbsent(model, at);
                        }
                    });
                }
            }
        } catch (NoSuchFileException e) {
            problems.add(jsonl.toString(), "no such file");
        } catch (IOException e) {
            problems.add(jsonl + ":" + line, "cannot read: " + e);
        }
        for (Map.Entry<String, Integer> e : firstUncosted.entrySet()) {
            String model = e.getKey();
            boolean named = model.equals(manifest.strongModel()) || model.equals(manifest.weakModel());
            if (firstCosted.containsKey(model) || named) {
                problems.add(jsonl + ":" + e.getValue(), "outcomes.\"" + model + "\" has no cost_usd, and the manifest gives no price for "
                        + model + " (give models.\"" + model + "\" {input_per_mtok, output_per_mtok}, or a cost_usd on every outcome of it)");
            }
        }
        if (items.isEmpty() && problems.found() == 0) {
            problems.add(jsonl.toString(), "has no items");
        }
        return items;
    }
}
