package dev.triage.report;

/**
 * Which requests a report covers: all of them, one virtual key's, or those of every key of one team.
 * Dead letters cannot be told apart by key (they are rows the database refused) and budgets are the
 * gateway's, so a scoped report shows those whole.
 *
 * @param key  a virtual key's name, or null
 * @param team a team's name, or null; at most one of the two is set
 */
public record ReportScope(String key, String team) {

    public static final ReportScope ALL = new ReportScope(null, null);

    public ReportScope {
        if (key != null && team != null) {
            throw new IllegalArgumentException("give a key or a team, not both");
        }
        if (key != null && key.isBlank() || team != null && team.isBlank()) {
            throw new IllegalArgumentException("a key or team name cannot be blank");
        }
    }

    /** From query or command-line values, either of which may be null. */
    public static ReportScope of(String key, String team) {
        return key == null && team == null ? ALL : new ReportScope(key, team);
    }

    /** A scope naming a key or team that does not exist. */
    public static final class UnknownException extends IllegalArgumentException {

        UnknownException(String message) {
            super(message);
        }
    }

    public boolean all() {
        return key == null && team == null;
    }
}
