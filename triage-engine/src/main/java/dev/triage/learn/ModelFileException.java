package dev.triage.learn;

import java.nio.file.Path;

/** A model file that cannot be used, with the file named and the reason in words. */
public final class ModelFileException extends RuntimeException {

    public ModelFileException(Path file, String reason) {
        super("model file " + file + ": " + reason);
    }
}
