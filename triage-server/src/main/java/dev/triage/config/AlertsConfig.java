package dev.triage.config;

import java.util.List;

/**
 * Budget alerts ({@code alerts:}).
 *
 * @param webhookUrl where each alert is POSTed as JSON, or null for no alerts; may carry a token, so it is
 *                   treated as a secret (never logged or echoed)
 * @param thresholds percentages of a budget's limit that raise an alert, once each per budget and period
 */
public record AlertsConfig(String webhookUrl, List<Integer> thresholds) {

    /** 80 % and 100 %, as most teams ask for. */
    public static final List<Integer> DEFAULT_THRESHOLDS = List.of(80, 100);

    public AlertsConfig {
        thresholds = List.copyOf(thresholds);
    }

    public static AlertsConfig none() {
        return new AlertsConfig(null, DEFAULT_THRESHOLDS);
    }

    @Override
    public String toString() {
        return "AlertsConfig[webhookUrl=" + (webhookUrl == null ? null : "[set]") + ", thresholds=" + thresholds + "]";
    }
}
