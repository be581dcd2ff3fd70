package dev.triage.simulate.plot;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** What the vertical axis measures; points give their quality in this unit. */
public enum QualityAxis {
    /** The dataset's mean score, e.g. 0.65 for 65% of GSM8K answers correct. */
    MEAN_SCORE("Quality (mean score)", ""),
    /** Mean score as a percentage of the strong model's: 100 is the strong model, e.g. 92.5. */
    PERCENT_OF_STRONG("Quality (% of strong model)", "%");

    private final String title;
    private final String suffix;

    QualityAxis(String title, String suffix) {
        this.title = title;
        this.suffix = suffix;
    }

    /** The axis title, with its unit. */
    public String title() {
        return title;
    }

    String format(BigDecimal tick, int decimals) {
        return tick.setScale(decimals, RoundingMode.HALF_EVEN).toPlainString() + suffix;
    }
}
