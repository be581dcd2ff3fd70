package dev.triage.app;

import dev.triage.embed.Embedder;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The embedder learned routes predict with, found the first time a config asks for it and never before:
 * loading the embeddings model takes seconds and hundreds of megabytes that a gateway without learned
 * routes should not pay. Whoever created it closes it, and with it the embedder (if one was found).
 */
public final class OnDemandEmbedder implements Supplier<Optional<Embedder>>, AutoCloseable {

    private final Supplier<Optional<Embedder>> finder;
    private Optional<Embedder> found;
    private boolean closed;

    /** @param finder looks the embedder up (usually {@link dev.triage.embed.Embedders#find()}); called at most once */
    public OnDemandEmbedder(Supplier<Optional<Embedder>> finder) {
        this.finder = finder;
    }

    /** An on-demand wrapper around an embedder that already exists (tests). */
    public static OnDemandEmbedder of(Embedder embedder) {
        return new OnDemandEmbedder(() -> Optional.of(embedder));
    }

    /** The embedder, found on the first call; empty when no embeddings module is on the class path. */
    @Override
    public synchronized Optional<Embedder> get() {
        if (closed) {
            throw new IllegalStateException("the embedder has been closed");
        }
        if (found == null) {
            found = finder.get();
        }
        return found;
    }

    /** Whether anything asked for the embedder (false: the embeddings model was never loaded). */
    public synchronized boolean asked() {
        return found != null;
    }

    @Override
    public synchronized void close() {
        if (!closed && found != null) {
            found.ifPresent(Embedder::close);
        }
        closed = true;
    }
}
