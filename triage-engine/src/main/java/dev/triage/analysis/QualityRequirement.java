package dev.triage.analysis;

import java.util.Locale;

/** How good the answer must be ({@code x-triage-quality}). */
public enum QualityRequirement {
    LOW, STANDARD, HIGH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static QualityRequirement parse(String value) {
        for (QualityRequirement q : values()) {
            if (q.wireName().equalsIgnoreCase(value.trim())) {
                return q;
            }
        }
        throw new IllegalArgumentException("quality must be low, standard or high, not '" + value + "'");
    }
}
