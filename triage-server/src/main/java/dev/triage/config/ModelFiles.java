package dev.triage.config;

import dev.triage.embed.Embedder;
import dev.triage.learn.LearnedModel;
import dev.triage.learn.ModelFile;
import dev.triage.learn.ModelFileException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The trained model files one config names ({@code model_file:}), each read once however many routes
 * name it. The embedder is asked for only when the first file is read, so a config without learned
 * routes never loads the embeddings model.
 */
final class ModelFiles {

    /** A file as read: the model, or why it cannot be used. */
    record Read(LearnedModel model, String problem) {
    }

    private final Path baseDir;
    private final Supplier<Optional<Embedder>> embedders;
    private final Map<Path, Read> read = new HashMap<>();
    private Optional<Embedder> embedder;
    private String embedderProblem;

    /**
     * @param baseDir   what relative paths are resolved against: the config file's directory
     * @param embedders the embedder learned models predict with; asked at most once
     */
    ModelFiles(Path baseDir, Supplier<Optional<Embedder>> embedders) {
        this.baseDir = baseDir;
        this.embedders = embedders;
    }

    /**
     * The model in the file written as {@code written} (relative to the config's directory), read with
     * the embedder; {@code user} ("policy learned", "the learned scorer") starts the message when there
     * is no embedder.
     */
    Read read(String written, String user) {
        Path file;
        try {
            file = baseDir.resolve(written).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return new Read(null, "'" + written + "' is not a usable path: " + e.getReason());
        }
        Optional<Embedder> e = embedder();
        if (e.isEmpty()) {
            return new Read(null, embedderProblem != null ? embedderProblem
                    : user + " needs the triage-embeddings module (in-process text embeddings), which is not on the class path");
        }
        return read.computeIfAbsent(file, f -> {
            try {
                return new Read(ModelFile.read(f, e.get()), null);
            } catch (ModelFileException x) {
                return new Read(null, x.getMessage());
            }
        });
    }

    private Optional<Embedder> embedder() {
        if (embedder == null) {
            try {
                embedder = embedders.get();
            } catch (RuntimeException x) {
                embedder = Optional.empty();
                embedderProblem = "the triage-embeddings module failed to load its model: " + x.getMessage();
            }
        }
        return embedder;
    }
}
