package dev.triage.simulate.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class CostQualityPlotTest {

    /**
     * Costs $0.001-$0.004 give a $0-$0.005 axis and qualities 0.6-0.9 a 0.55-0.95 one (after 6%
     * padding, in 0.05 steps). Labels this short leave the plot area at its widest, x 80-920 and
     * y 60-540, so x = 80 + 840 * cost / 0.005 and y = 540 - 480 * (quality - 0.55) / 0.4.
     */
    private static List<Series> simple() {
        return List.of(
                Series.curve("a", List.of(new PlotPoint(0.001, 0.6), new PlotPoint(0.004, 0.9))),
                Series.point("b", new PlotPoint(0.002, 0.75), Marker.DIAMOND));
    }

    private static ParsedSvg render(List<Series> series) throws Exception {
        return new ParsedSvg(new CostQualityPlot("Test").render(series));
    }

    @Test
    void isAnSvg11DocumentOfFixedSizeWithAViewBox() throws Exception {
        Element svg = render(simple()).root();

        assertThat(svg.getTagName()).isEqualTo("svg");
        assertThat(svg.getAttribute("xmlns")).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(svg.getAttribute("version")).isEqualTo("1.1");
        assertThat(svg.getAttribute("width")).isEqualTo("960");
        assertThat(svg.getAttribute("height")).isEqualTo("600");
        assertThat(svg.getAttribute("viewBox")).isEqualTo("0 0 960 600");
    }

    @Test
    void axisTitlesNameTheirUnits() throws Exception {
        assertThat(render(simple()).texts("//text[@class='axis-title']"))
                .containsExactly("Cost per request (USD)", "Quality (mean score)");
        String percent = new CostQualityPlot("Test", QualityAxis.PERCENT_OF_STRONG, CostScale.LINEAR).render(
                List.of(Series.point("x", new PlotPoint(0.001, 92.5), Marker.SQUARE)));
        assertThat(new ParsedSvg(percent).texts("//text[@class='axis-title']"))
                .containsExactly("Cost per request (USD)", "Quality (% of strong model)");
    }

    @Test
    void titleIsDrawnAndNamesTheDocument() throws Exception {
        ParsedSvg svg = new ParsedSvg(new CostQualityPlot("GSM8K — 1,307 items").render(simple()));

        assertThat(svg.texts("//text[@class='title']")).containsExactly("GSM8K — 1,307 items");
        assertThat(svg.texts("/svg/title")).containsExactly("GSM8K — 1,307 items");
    }

    @Test
    void markersSitAtTheComputedPositions() throws Exception {
        ParsedSvg svg = render(simple());

        assertThat(svg.all("//g[@class='marker']")).extracting(e -> e.getAttribute("transform"))
                .containsExactly("translate(248,480)", "translate(752,120)", "translate(416,300)");
        assertThat(svg.all("//polyline")).extracting(e -> e.getAttribute("points")).containsExactly("248,480 752,120");
        assertThat(svg.all("//rect[@class='frame']")).singleElement().satisfies(frame -> {
            assertThat(frame.getAttribute("x")).isEqualTo("80");
            assertThat(frame.getAttribute("width")).isEqualTo("840");
            assertThat(frame.getAttribute("y")).isEqualTo("60");
            assertThat(frame.getAttribute("height")).isEqualTo("480");
        });
    }

    @Test
    void tickLabelsAreMoneyAcrossAndScoresUp() throws Exception {
        ParsedSvg svg = render(simple());

        assertThat(svg.texts("//g[@class='x-ticks']/text"))
                .containsExactly("$0", "$0.001", "$0.002", "$0.003", "$0.004", "$0.005");
        assertThat(svg.texts("//g[@class='y-ticks']/text"))
                .containsExactly("0.55", "0.60", "0.65", "0.70", "0.75", "0.80", "0.85", "0.90", "0.95");
    }

    @Test
    void eachCurveIsOnePolylineWithOnePointPerOperatingPoint() throws Exception {
        List<Series> series = SamplePlotTest.gsm8kLikeSeries();
        ParsedSvg svg = render(series);

        List<Element> polylines = svg.all("//polyline");
        assertThat(polylines).hasSize(2);
        assertThat(polylines).extracting(p -> p.getAttribute("points").split(" ").length).containsExactly(11, 11);
        int points = series.stream().mapToInt(s -> s.points().size()).sum();
        assertThat(svg.all("//g[@class='marker']")).hasSize(points);
    }

    @Test
    void everySeriesIsLabelledByNameOnce() throws Exception {
        assertThat(render(SamplePlotTest.gsm8kLikeSeries()).texts("//text[@class='series-label']"))
                .containsExactlyInAnyOrder("oracle", "always strong (gpt-4-1106-preview)",
                        "always weak (mixtral-8x7b-instruct)", "random", "cascade (heuristic)", "task route");
    }

    @Test
    void theReferencesHaveTheirOwnMarkers() throws Exception {
        ParsedSvg svg = render(List.of(
                Series.oracle(new PlotPoint(0.001, 0.9)),
                Series.alwaysStrong("gpt-4-1106-preview", new PlotPoint(0.005, 0.85)),
                Series.alwaysWeak("mixtral-8x7b-instruct", new PlotPoint(0.0001, 0.63))));

        List<Element> shapes = svg.all("//g[@class='marker']/*[not(self::title)]");
        assertThat(shapes).extracting(Element::getTagName).containsExactly("polygon", "circle", "circle");
        assertThat(shapes.get(0).getAttribute("points").split(" ")).hasSize(10);
        assertThat(shapes.get(1).getAttribute("fill")).isEqualTo(CostQualityPlot.PALETTE.get(1));
        assertThat(shapes.get(2).getAttribute("fill")).isEqualTo("#ffffff");
        assertThat(shapes.get(2).getAttribute("stroke")).isEqualTo(CostQualityPlot.PALETTE.get(2));
    }

    @Test
    void seriesGetDistinctColours() throws Exception {
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < CostQualityPlot.PALETTE.size(); i++) {
            series.add(Series.point("s" + i, new PlotPoint(0.001 * (i + 1), 0.5 + 0.05 * i), Marker.SQUARE));
        }
        Set<String> fills = new HashSet<>();
        for (Element square : render(series).all("//g[@class='marker']/rect")) {
            fills.add(square.getAttribute("fill"));
        }
        assertThat(fills).hasSize(CostQualityPlot.PALETTE.size());
    }

    @Test
    void specialCharactersAreEscapedAndReadBackUnchanged() throws Exception {
        String name = "tiered <fast & \"cheap\"> 'v2'";
        String raw = new CostQualityPlot("A & B").render(List.of(Series.point(name, new PlotPoint(0.001, 0.5), Marker.SQUARE)));

        assertThat(raw).contains("tiered &lt;fast &amp; &quot;cheap&quot;&gt; &apos;v2&apos;");
        ParsedSvg svg = new ParsedSvg(raw);
        assertThat(svg.texts("//text[@class='series-label']")).containsExactly(name);
        assertThat(svg.texts("//text[@class='title']")).containsExactly("A & B");
    }

    @Test
    void charactersXmlCannotHoldAreReplaced() throws Exception {
        String raw = new CostQualityPlot("bell\u0007").render(simple());

        assertThat(new ParsedSvg(raw).texts("//text[@class='title']")).containsExactly("bell\uFFFD");
    }

    @Test
    void ticksAreOneTwoFiveStepsCoveringTheData() throws Exception {
        List<Series> series = SamplePlotTest.gsm8kLikeSeries();
        ParsedSvg svg = render(series);
        List<BigDecimal> x = svg.texts("//g[@class='x-ticks']/text").stream().map(t -> new BigDecimal(t.substring(1))).toList();
        List<BigDecimal> y = svg.texts("//g[@class='y-ticks']/text").stream().map(BigDecimal::new).toList();

        assertOneTwoFiveSteps(x);
        assertOneTwoFiveSteps(y);
        double maxCost = series.stream().flatMap(s -> s.points().stream()).mapToDouble(PlotPoint::costPerRequestUsd).max().orElseThrow();
        double minQuality = series.stream().flatMap(s -> s.points().stream()).mapToDouble(PlotPoint::quality).min().orElseThrow();
        double maxQuality = series.stream().flatMap(s -> s.points().stream()).mapToDouble(PlotPoint::quality).max().orElseThrow();
        assertThat(x.getFirst()).isEqualByComparingTo("0");
        assertThat(x.getLast().doubleValue()).isGreaterThanOrEqualTo(maxCost);
        assertThat(y.getFirst().doubleValue()).isLessThanOrEqualTo(minQuality);
        assertThat(y.getLast().doubleValue()).isGreaterThanOrEqualTo(maxQuality);
        assertThat(x).hasSizeBetween(4, 10);
        assertThat(y).hasSizeBetween(4, 10);
    }

    static void assertOneTwoFiveSteps(List<BigDecimal> ticks) {
        BigDecimal step = ticks.get(1).subtract(ticks.get(0));
        for (int i = 1; i < ticks.size(); i++) {
            assertThat(ticks.get(i).subtract(ticks.get(i - 1))).isEqualByComparingTo(step);
        }
        BigDecimal mantissa = step.movePointRight(step.scale() - step.precision() + 1).stripTrailingZeros();
        assertThat(mantissa.unscaledValue().intValue()).as("step %s", step).isIn(1, 2, 5);
        for (BigDecimal tick : ticks) {
            assertThat(tick.remainder(step)).isEqualByComparingTo("0");
        }
    }

    @Test
    void seriesLabelsDoNotOverlapAndStayOnTheCanvas() throws Exception {
        List<Element> backdrops = render(SamplePlotTest.gsm8kLikeSeries()).all("//g[@class='labels']/rect");
        assertThat(backdrops).hasSize(6);
        List<double[]> boxes = backdrops.stream().map(r -> new double[] {
                Double.parseDouble(r.getAttribute("x")), Double.parseDouble(r.getAttribute("y")),
                Double.parseDouble(r.getAttribute("width")), Double.parseDouble(r.getAttribute("height"))}).toList();
        for (int i = 0; i < boxes.size(); i++) {
            double[] a = boxes.get(i);
            assertThat(a[0]).isGreaterThanOrEqualTo(CostQualityPlot.LEFT);
            assertThat(a[0] + a[2]).isLessThanOrEqualTo(CostQualityPlot.WIDTH);
            assertThat(a[1]).isGreaterThanOrEqualTo(CostQualityPlot.TOP);
            assertThat(a[1] + a[3]).isLessThanOrEqualTo(CostQualityPlot.BOTTOM);
            for (int j = i + 1; j < boxes.size(); j++) {
                double[] b = boxes.get(j);
                boolean overlap = a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
                assertThat(overlap).as("labels %d and %d: %s %s", i, j, Arrays.toString(a), Arrays.toString(b)).isFalse();
            }
        }
    }

    @Test
    void aLabelOnTheSamePointAsAnotherIsNudgedAndLedBack() throws Exception {
        PlotPoint same = new PlotPoint(0.002, 0.7);
        ParsedSvg svg = render(List.of(
                Series.point("first", same, Marker.SQUARE),
                Series.point("second", same, Marker.DIAMOND),
                Series.point("far away", new PlotPoint(0.004, 0.9), Marker.SQUARE)));

        assertThat(svg.all("//line[@class='leader']")).hasSize(1);
        assertThat(svg.texts("//text[@class='series-label']")).containsExactly("first", "second", "far away");
    }

    @Test
    void longNamesWrapBeforeTheirParenthesis() {
        assertThat(CostQualityPlot.wrap("always strong (gpt-4-1106-preview)"))
                .containsExactly("always strong", "(gpt-4-1106-preview)");
        assertThat(CostQualityPlot.wrap("cascade (heuristic)")).containsExactly("cascade (heuristic)");
        assertThat(CostQualityPlot.wrap("learned matrix factorisation router"))
                .containsExactly("learned matrix", "factorisation router");
    }

    @Test
    void theCostAxisGoesLogOnlyBeyondAHundredfoldSpan() throws Exception {
        List<Series> hundredfold = List.of(Series.point("cheap", new PlotPoint(0.00005, 0.6), Marker.SQUARE),
                Series.point("dear", new PlotPoint(0.005, 0.9), Marker.SQUARE));
        List<Series> wider = List.of(Series.point("cheap", new PlotPoint(0.00004, 0.6), Marker.SQUARE),
                Series.point("dear", new PlotPoint(0.005, 0.9), Marker.SQUARE));
        List<Series> free = List.of(Series.point("cheap", new PlotPoint(0, 0.6), Marker.SQUARE),
                Series.point("dear", new PlotPoint(0.005, 0.9), Marker.SQUARE));

        assertThat(render(hundredfold).texts("//text[@class='axis-title']")).contains("Cost per request (USD)");
        assertThat(render(wider).texts("//text[@class='axis-title']")).contains("Cost per request (USD, log scale)");
        assertThat(render(wider).texts("//g[@class='x-ticks']/text"))
                .containsExactly("$0.00002", "$0.00005", "$0.0001", "$0.0002", "$0.0005", "$0.001", "$0.002", "$0.005", "$0.01");
        assertThat(render(free).texts("//text[@class='axis-title']")).contains("Cost per request (USD)");
        assertThatThrownBy(() -> new CostQualityPlot("t", QualityAxis.MEAN_SCORE, CostScale.LOG).render(free))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log cost axis");
    }

    @Test
    void crowdedCostTickLabelsAreThinnedRatherThanOverlapped() throws Exception {
        // $0.000001-$0.001 labels every 1-2-5 value, and a label that cannot wrap squeezes the plot to its
        // minimum width: the 2s and 5s of the micro-dollars would touch the powers of ten, which win.
        String raw = new CostQualityPlot("t").render(List.of(
                Series.point("cheap", new PlotPoint(0.0000012, 0.6), Marker.SQUARE),
                Series.point("a_strategy_with_a_long_name_that_cannot_wrap", new PlotPoint(0.0007, 0.9), Marker.SQUARE)));
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "crowded-ticks.svg"), raw);
        ParsedSvg svg = new ParsedSvg(raw);

        List<Element> labels = svg.all("//g[@class='x-ticks']/text");
        assertThat(svg.all("//g[@class='x-ticks']/line")).hasSize(10);
        assertThat(labels).extracting(Element::getTextContent)
                .containsExactly("$0.000001", "$0.00001", "$0.00005", "$0.0001", "$0.0002", "$0.0005", "$0.001");
        for (int i = 1; i < labels.size(); i++) {
            double previousRight = Double.parseDouble(labels.get(i - 1).getAttribute("x"))
                    + LabelLayout.textWidth(labels.get(i - 1).getTextContent(), 11) / 2;
            double left = Double.parseDouble(labels.get(i).getAttribute("x"))
                    - LabelLayout.textWidth(labels.get(i).getTextContent(), 11) / 2;
            assertThat(left).isGreaterThan(previousRight);
        }
    }

    @Test
    void percentOfStrongTicksCarryAPercentSign() throws Exception {
        String raw = new CostQualityPlot("t", QualityAxis.PERCENT_OF_STRONG, CostScale.LINEAR).render(List.of(
                Series.point("weak", new PlotPoint(0.0001, 74), Marker.SQUARE),
                Series.point("strong", new PlotPoint(0.005, 100), Marker.SQUARE)));

        assertThat(new ParsedSvg(raw).texts("//g[@class='y-ticks']/text"))
                .containsExactly("70%", "75%", "80%", "85%", "90%", "95%", "100%", "105%");
    }

    @Test
    void nothingToPlotIsRefused() {
        assertThatThrownBy(() -> new CostQualityPlot("t").render(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing to plot");
        assertThatThrownBy(() -> Series.curve("empty", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'empty' has no points");
        assertThatThrownBy(() -> new PlotPoint(Double.NaN, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlotPoint(-0.001, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
