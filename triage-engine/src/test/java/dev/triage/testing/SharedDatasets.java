package dev.triage.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shipped routing-benchmark datasets and request traces, read where they live: {@code ../shared/datasets/}
 * and {@code ../shared/traces/} beside the repository root (never copied into it). The root is found by walking up from the working
 * directory, so tests run the same from the module or from the root.
 */
public final class SharedDatasets {

    private SharedDatasets() {
    }

    public static Path file(String name) {
        return shipped("datasets", "dataset", name);
    }

    /** A request trace in {@code ../shared/traces/}. */
    public static Path trace(String name) {
        return shipped("traces", "trace", name);
    }

    private static Path shipped(String folder, String kind, String name) {
        Path root = repositoryRoot();
        Path file = root.resolveSibling("shared").resolve(folder).resolve(name);
        if (!Files.isRegularFile(file)) {
            fail("shipped " + kind + " " + name + " not found at " + file.normalize() + ": the " + folder + " live in ../shared/"
                    + folder + "/ beside the repository root (" + root + ") and are deliberately not in the repository");
        }
        return file;
    }

    private static Path repositoryRoot() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("triage-engine"))) {
                return dir;
            }
        }
        return fail("cannot find the repository root (a directory with mvnw and triage-engine) above " + start);
    }
}
