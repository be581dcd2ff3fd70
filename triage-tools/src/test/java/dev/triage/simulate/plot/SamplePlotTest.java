package dev.triage.simulate.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Renders a GSM8K-shaped plot to {@code target/sample-plot.svg} (and a PNG beside it when
 * {@code rsvg-convert} is installed) for a person to look at. The figures are shaped like the shipped
 * dataset's, not computed from it.
 */
class SamplePlotTest {

    static final double WEAK_COST = 0.000063;
    static final double STRONG_COST = 0.00563;
    static final double WEAK_QUALITY = 0.633;
    static final double STRONG_QUALITY = 0.853;

    static List<Series> gsm8kLikeSeries() {
        List<PlotPoint> random = new ArrayList<>();
        List<PlotPoint> cascade = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            double share = i / 10.0;
            random.add(new PlotPoint(WEAK_COST + share * (STRONG_COST - WEAK_COST),
                    WEAK_QUALITY + share * (STRONG_QUALITY - WEAK_QUALITY), null));
            double gained = 1 - (1 - share) * (1 - share);
            cascade.add(new PlotPoint(WEAK_COST + share * STRONG_COST,
                    WEAK_QUALITY + gained * (STRONG_QUALITY + 0.004 - WEAK_QUALITY), "t=" + (10 - i) / 10.0));
        }
        return List.of(
                Series.oracle(new PlotPoint(0.00147, 0.905)),
                Series.alwaysStrong("gpt-4-1106-preview", new PlotPoint(STRONG_COST, STRONG_QUALITY)),
                Series.alwaysWeak("mixtral-8x7b-instruct", new PlotPoint(WEAK_COST, WEAK_QUALITY)),
                Series.curve("random", random),
                Series.curve("cascade (heuristic)", cascade),
                Series.point("task route", new PlotPoint(0.0031, 0.801), Marker.DIAMOND));
    }

    @Test
    void rendersTheGsm8kSampleForInspection() throws Exception {
        String svg = new CostQualityPlot("GSM8K — 1,307 items").render(gsm8kLikeSeries());
        Path out = Path.of("target", "sample-plot.svg");
        Files.createDirectories(out.getParent());
        Files.writeString(out, svg, StandardCharsets.UTF_8);
        toPng(out, Path.of("target", "sample-plot.png"));
        assertThat(Files.size(out)).isPositive();
    }

    /** MMLU-shaped: one-letter answers make the strong model over 100x dearer, so the cost axis goes log. */
    @Test
    void rendersALogScaleSampleForInspection() throws Exception {
        double weak = 0.0000262;
        double strong = 0.00331;
        List<PlotPoint> cascade = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            double share = i / 10.0;
            cascade.add(new PlotPoint(weak + share * strong, 70.0 + 30.4 * (1 - (1 - share) * (1 - share)), null));
        }
        List<Series> series = List.of(
                Series.oracle(new PlotPoint(0.00061, 112.4)),
                Series.alwaysStrong("gpt-4-1106-preview", new PlotPoint(strong, 100.0)),
                Series.alwaysWeak("mixtral-8x7b-instruct", new PlotPoint(weak, 70.0)),
                Series.curve("cascade (heuristic)", cascade),
                Series.point("random", new PlotPoint(weak + 0.5 * (strong - weak), 85.0), Marker.SQUARE),
                Series.point("tiered <ok & \"cheap\">", new PlotPoint(0.0009, 88.0), Marker.TRIANGLE));
        String svg = new CostQualityPlot("MMLU — 9,762 items", QualityAxis.PERCENT_OF_STRONG, CostScale.AUTO)
                .render(series);
        Path out = Path.of("target", "sample-plot-log.svg");
        Files.writeString(out, svg, StandardCharsets.UTF_8);
        toPng(out, Path.of("target", "sample-plot-log.png"));
        assertThat(svg).contains("Cost per request (USD, log scale)");
    }

    /** Optional: only when rsvg-convert is on the PATH. */
    static void toPng(Path svg, Path png) throws InterruptedException {
        try {
            Process convert = new ProcessBuilder("rsvg-convert", "-o", png.toString(), svg.toString())
                    .redirectErrorStream(true).start();
            convert.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException notInstalled) {
            // Nothing to do: the SVG is the artefact, the PNG a convenience.
        }
    }
}
