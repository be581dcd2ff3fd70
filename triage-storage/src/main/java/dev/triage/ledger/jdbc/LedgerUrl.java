package dev.triage.ledger.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A ledger location: Triage's short form {@code sqlite:PATH}, or a {@code jdbc:sqlite:} or
 * {@code jdbc:postgresql:} URL.
 *
 * @param dialect the database kind
 * @param jdbcUrl the URL handed to the driver
 */
record LedgerUrl(Dialect dialect, String jdbcUrl) {

    private static final String SHORT_SQLITE = "sqlite:";
    private static final String JDBC_SQLITE = "jdbc:sqlite:";
    private static final String JDBC_POSTGRESQL = "jdbc:postgresql:";

    static LedgerUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("ledger URL is empty; use sqlite:PATH, jdbc:sqlite:PATH or jdbc:postgresql://HOST/DB");
        }
        if (url.startsWith(SHORT_SQLITE)) {
            return sqlite(url.substring(SHORT_SQLITE.length()));
        }
        if (url.startsWith(JDBC_SQLITE)) {
            return sqlite(url.substring(JDBC_SQLITE.length()));
        }
        if (url.startsWith(JDBC_POSTGRESQL)) {
            return new LedgerUrl(Dialect.POSTGRESQL, url);
        }
        // Only the scheme is echoed: the rest of a URL may hold a password.
        int colon = url.indexOf(':');
        String scheme = colon < 0 ? "(none)" : url.substring(0, colon);
        throw new IllegalArgumentException("unsupported ledger URL scheme '" + scheme
                + "'; use sqlite:PATH, jdbc:sqlite:PATH or jdbc:postgresql://HOST/DB");
    }

    private static LedgerUrl sqlite(String pathAndQuery) {
        String path = beforeQuery(pathAndQuery);
        // Each pooled connection to an in-memory database would see a database of its own.
        if (path.isEmpty() || path.contains(":memory:") || pathAndQuery.contains("mode=memory")) {
            throw new IllegalArgumentException("the ledger needs a SQLite file, not an in-memory database");
        }
        return new LedgerUrl(Dialect.SQLITE, JDBC_SQLITE + pathAndQuery);
    }

    /** The file of a SQLite ledger given as a plain path; empty for PostgreSQL and SQLite URI filenames ({@code file:}). */
    Optional<Path> sqliteFile() {
        if (dialect != Dialect.SQLITE) {
            return Optional.empty();
        }
        String path = beforeQuery(jdbcUrl.substring(JDBC_SQLITE.length()));
        return path.startsWith("file:") ? Optional.empty() : Optional.of(Path.of(path));
    }

    /** Creates the directory of a SQLite file given as a plain path, so {@code sqlite:./data/ledger.db} just works. */
    void createParentDirectories() {
        if (dialect != Dialect.SQLITE) {
            return;
        }
        String path = beforeQuery(jdbcUrl.substring(JDBC_SQLITE.length()));
        if (path.startsWith("file:")) {
            return; // SQLite URI filenames are the driver's business
        }
        Path parent = Path.of(path).toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the ledger directory " + parent, e);
        }
    }

    /** Names of the parameters set in the URL's query string. */
    Set<String> parameterNames() {
        int q = jdbcUrl.indexOf('?');
        if (q < 0) {
            return Set.of();
        }
        return Arrays.stream(jdbcUrl.substring(q + 1).split("&"))
                .map(p -> p.contains("=") ? p.substring(0, p.indexOf('=')) : p)
                .filter(name -> !name.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Never prints the URL, which may carry a password. */
    @Override
    public String toString() {
        return "LedgerUrl[" + dialect + "]";
    }

    private static String beforeQuery(String s) {
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }
}
