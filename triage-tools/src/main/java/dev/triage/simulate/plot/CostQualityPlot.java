package dev.triage.simulate.plot;

import dev.triage.simulate.plot.LabelLayout.Box;
import dev.triage.simulate.plot.LabelLayout.Placement;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Draws the cost–quality plot of {@code triage simulate}: cost per request across, quality up, one
 * polyline per strategy with a knob, one marker per single operating point. Every series is named
 * beside its last point, so the plot reads without a legend.
 *
 * <p>The document is SVG 1.1, {@value #WIDTH}x{@value #HEIGHT} with a viewBox so it scales. Colours
 * follow the order of the series through the Okabe–Ito palette, which stays distinct under the
 * common colour-vision deficiencies; its yellow is left out because text in it is unreadable on
 * white. Beyond seven series colours repeat, and the markers and labels still tell series apart.
 */
public final class CostQualityPlot {

    public static final int WIDTH = 960;
    public static final int HEIGHT = 600;

    /** Okabe–Ito without yellow. */
    static final List<String> PALETTE = List.of(
            "#000000", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9");

    static final double LEFT = 80;
    static final double TOP = 60;
    static final double BOTTOM = 540;
    /** The plot area's right edge when no label needs the margin. */
    static final double MAX_RIGHT = WIDTH - 40;
    /** The plot area never narrows below this to make room for labels; labels go left instead. */
    static final double MIN_PLOT_WIDTH = 560;

    private static final int TICK_INTERVALS = 7;
    private static final double TICK_FONT = 11;
    private static final double LABEL_FONT = 12.5;
    private static final double LABEL_LINE = 15;
    private static final double LABEL_PAD = 2;
    private static final double NOTE_FONT = 10;
    private static final double EDGE = 6;
    /** Names longer than this wrap onto two lines, e.g. before a parenthesised model name. */
    private static final int WRAP_AT = 24;
    private static final MathContext SIGNIFICANT = new MathContext(4);

    private final String title;
    private final QualityAxis qualityAxis;
    private final CostScale costScale;

    /**
     * @param title shown above the plot, e.g. {@code "GSM8K — 1,307 items"}
     * @param qualityAxis the unit of every point's quality
     * @param costScale linear, log, or log only when costs span more than {@value CostScale#LOG_SPAN}x
     */
    public CostQualityPlot(String title, QualityAxis qualityAxis, CostScale costScale) {
        this.title = title;
        this.qualityAxis = qualityAxis;
        this.costScale = costScale;
    }

    /** Mean score up, cost across on the {@link CostScale#AUTO} scale. */
    public CostQualityPlot(String title) {
        this(title, QualityAxis.MEAN_SCORE, CostScale.AUTO);
    }

    /**
     * The SVG document for {@code series}. Curves are drawn before single points so that the
     * references they end on stay visible; labels are placed in series order, so earlier series get
     * the spot right beside their point and later ones are nudged.
     */
    public String render(List<Series> series) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("nothing to plot: no series");
        }
        List<Double> costs = new ArrayList<>();
        List<Double> qualities = new ArrayList<>();
        for (Series s : series) {
            for (PlotPoint p : s.points()) {
                costs.add(p.costPerRequestUsd());
                qualities.add(p.quality());
            }
        }
        Axis x = costScale.useLog(costs)
                ? Axis.log(min(costs), max(costs))
                : Axis.linear(min(costs), max(costs), TICK_INTERVALS, 0.04, true);
        Axis y = Axis.linear(min(qualities), max(qualities), TICK_INTERVALS, 0.06, false);

        List<String[]> names = series.stream().map(s -> wrap(s.name())).toList();
        Frame frame = new Frame(x, y, plotRight(series, names, x));

        SvgDocument svg = new SvgDocument(WIDTH, HEIGHT);
        svg.text("title", title);
        svg.text("desc", "Cost per request against quality for " + series.size() + " strategies; up and to the left is better.");
        svg.empty("rect", "width", Integer.toString(WIDTH), "height", Integer.toString(HEIGHT), "fill", "#ffffff");
        svg.text("text", title, "class", "title", "x", num(WIDTH / 2.0), "y", "34",
                "text-anchor", "middle", "font-size", "18", "font-weight", "bold", "fill", "#222222");
        drawAxes(svg, frame);

        LabelLayout layout = new LabelLayout(new Box(LEFT + 2, TOP, WIDTH - EDGE - LEFT - 2, BOTTOM - TOP));
        // Curves first so that the single models and the oracle, which curves often end on, stay visible.
        for (boolean curves : new boolean[] {true, false}) {
            for (int i = 0; i < series.size(); i++) {
                if (series.get(i).curve() == curves) {
                    drawSeries(svg, series.get(i), colour(i), frame, layout);
                }
            }
        }
        List<Placement> placements = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            placements.add(placeSeriesLabel(series.get(i), names.get(i), frame, layout));
        }
        svg.open("g", "class", "labels");
        // Every leader before any label, so a label's backdrop hides the leaders that cross it.
        for (int i = 0; i < series.size(); i++) {
            drawLeader(svg, series.get(i), placements.get(i), colour(i), frame);
        }
        for (int i = 0; i < series.size(); i++) {
            drawSeriesLabel(svg, names.get(i), placements.get(i), colour(i));
        }
        for (int i = 0; i < series.size(); i++) {
            drawNotes(svg, series.get(i), colour(i), frame, layout);
        }
        svg.close("g");
        return svg.finish();
    }

    /** Page coordinates of the plot area and the axes drawn on it. */
    private record Frame(Axis x, Axis y, double right) {

        double px(double cost) {
            return LEFT + (right - LEFT) * x.fraction(cost);
        }

        double py(double quality) {
            return BOTTOM - (BOTTOM - TOP) * y.fraction(quality);
        }
    }

    /**
     * The plot area's right edge: as far right as it can go while each series label still fits to the
     * right of its anchor, but never narrower than {@link #MIN_PLOT_WIDTH}.
     */
    private static double plotRight(List<Series> series, List<String[]> names, Axis x) {
        double width = MAX_RIGHT - LEFT;
        for (int i = 0; i < series.size(); i++) {
            PlotPoint anchor = series.get(i).points().getLast();
            double fraction = x.fraction(anchor.costPerRequestUsd());
            if (fraction > 0) {
                double room = WIDTH - EDGE - LEFT - gap(series.get(i).marker()) - labelWidth(names.get(i));
                width = Math.min(width, room / fraction);
            }
        }
        return LEFT + Math.max(MIN_PLOT_WIDTH, width);
    }

    private void drawAxes(SvgDocument svg, Frame frame) {
        svg.open("g", "class", "grid", "stroke-width", "1");
        for (BigDecimal tick : frame.x().gridOnly()) {
            double px = frame.px(tick.doubleValue());
            svg.empty("line", "x1", num(px), "y1", num(TOP), "x2", num(px), "y2", num(BOTTOM), "stroke", "#f0f0f0");
        }
        for (BigDecimal tick : frame.x().ticks()) {
            double px = frame.px(tick.doubleValue());
            svg.empty("line", "x1", num(px), "y1", num(TOP), "x2", num(px), "y2", num(BOTTOM), "stroke", "#dddddd");
        }
        for (BigDecimal tick : frame.y().ticks()) {
            double py = frame.py(tick.doubleValue());
            svg.empty("line", "x1", num(LEFT), "y1", num(py), "x2", num(frame.right()), "y2", num(py), "stroke", "#dddddd");
        }
        svg.close("g");
        svg.empty("rect", "class", "frame", "x", num(LEFT), "y", num(TOP), "width", num(frame.right() - LEFT),
                "height", num(BOTTOM - TOP), "fill", "none", "stroke", "#444444", "stroke-width", "1");

        svg.open("g", "class", "x-ticks", "font-size", num(TICK_FONT), "fill", "#333333", "text-anchor", "middle");
        List<BigDecimal> labelled = labelledCostTicks(frame);
        for (BigDecimal tick : frame.x().ticks()) {
            double px = frame.px(tick.doubleValue());
            svg.empty("line", "x1", num(px), "y1", num(BOTTOM), "x2", num(px), "y2", num(BOTTOM + 5), "stroke", "#444444");
            if (labelled.contains(tick)) {
                svg.text("text", money(tick, frame.x().decimals(tick)), "class", "tick", "x", num(px), "y", num(BOTTOM + 19));
            }
        }
        svg.close("g");
        svg.open("g", "class", "y-ticks", "font-size", num(TICK_FONT), "fill", "#333333", "text-anchor", "end");
        for (BigDecimal tick : frame.y().ticks()) {
            double py = frame.py(tick.doubleValue());
            svg.empty("line", "x1", num(LEFT - 5), "y1", num(py), "x2", num(LEFT), "y2", num(py), "stroke", "#444444");
            svg.text("text", qualityAxis.format(tick, frame.y().decimals(tick)), "class", "tick",
                    "x", num(LEFT - 8), "y", num(py + 4));
        }
        svg.close("g");

        String xTitle = frame.x().isLog() ? "Cost per request (USD, log scale)" : "Cost per request (USD)";
        svg.text("text", xTitle, "class", "axis-title", "x", num((LEFT + frame.right()) / 2), "y", num(BOTTOM + 46),
                "text-anchor", "middle", "font-size", "13", "fill", "#222222");
        double middle = (TOP + BOTTOM) / 2;
        svg.text("text", qualityAxis.title(), "class", "axis-title", "x", "22", "y", num(middle),
                "transform", "rotate(-90 22 " + num(middle) + ")", "text-anchor", "middle", "font-size", "13", "fill", "#222222");
    }

    /**
     * The cost ticks that get a label. On a crowded log axis a label that would touch a neighbour is
     * left out (its tick and grid line stay), the powers of ten chosen first so they are the ones kept.
     */
    private static List<BigDecimal> labelledCostTicks(Frame frame) {
        List<BigDecimal> ticks = frame.x().ticks();
        double[][] extents = new double[ticks.size()][];
        for (int i = 0; i < ticks.size(); i++) {
            double px = frame.px(ticks.get(i).doubleValue());
            double half = LabelLayout.textWidth(money(ticks.get(i), frame.x().decimals(ticks.get(i))), TICK_FONT) / 2;
            extents[i] = new double[] {px - half - 2, px + half + 2};
        }
        List<Integer> kept = new ArrayList<>();
        for (boolean powersOfTen : new boolean[] {true, false}) {
            for (int i = 0; i < ticks.size(); i++) {
                if (isPowerOfTen(ticks.get(i)) != powersOfTen) {
                    continue;
                }
                boolean clear = true;
                for (int k : kept) {
                    clear &= extents[i][1] <= extents[k][0] || extents[k][1] <= extents[i][0];
                }
                if (clear) {
                    kept.add(i);
                }
            }
        }
        return kept.stream().sorted().map(ticks::get).toList();
    }

    private static boolean isPowerOfTen(BigDecimal value) {
        return value.signum() > 0 && value.stripTrailingZeros().unscaledValue().equals(BigInteger.ONE);
    }

    private void drawSeries(SvgDocument svg, Series series, String colour, Frame frame, LabelLayout layout) {
        svg.open("g", "class", series.curve() ? "series curve" : "series point");
        svg.text("title", series.name());
        List<PlotPoint> points = series.points();
        if (series.curve() && points.size() > 1) {
            StringBuilder coordinates = new StringBuilder();
            for (int i = 0; i < points.size(); i++) {
                PlotPoint p = points.get(i);
                coordinates.append(i == 0 ? "" : " ").append(num(frame.px(p.costPerRequestUsd()))).append(',')
                        .append(num(frame.py(p.quality())));
                if (i > 0) {
                    PlotPoint q = points.get(i - 1);
                    layout.blockSegment(frame.px(q.costPerRequestUsd()), frame.py(q.quality()),
                            frame.px(p.costPerRequestUsd()), frame.py(p.quality()));
                }
            }
            svg.empty("polyline", "points", coordinates.toString(), "fill", "none", "stroke", colour,
                    "stroke-width", "2", "stroke-linejoin", "round", "stroke-linecap", "round");
        }
        for (PlotPoint p : points) {
            if (series.marker() == Marker.NONE) {
                break; // a bare line: its points are where it bends, not operating points
            }
            double px = frame.px(p.costPerRequestUsd());
            double py = frame.py(p.quality());
            layout.blockMark(px, py, radius(series.marker()) + 1.5);
            svg.open("g", "class", "marker", "transform", "translate(" + num(px) + "," + num(py) + ")");
            svg.text("title", tooltip(series.name(), p));
            drawMarker(svg, series.marker(), colour);
            svg.close("g");
        }
        svg.close("g");
    }

    /** A marker centred on the origin of its group. */
    private static void drawMarker(SvgDocument svg, Marker marker, String colour) {
        switch (marker) {
            case DOT -> svg.empty("circle", "r", "3.5", "fill", colour, "stroke", "#ffffff", "stroke-width", "1");
            case FILLED_CIRCLE -> svg.empty("circle", "r", "7", "fill", colour, "stroke", "#ffffff", "stroke-width", "1.5");
            case HOLLOW_CIRCLE -> svg.empty("circle", "r", "6.5", "fill", "#ffffff", "stroke", colour, "stroke-width", "2.5");
            case STAR -> svg.empty("polygon", "points", star(10, 4.2), "fill", colour, "stroke", "#ffffff",
                    "stroke-width", "1", "stroke-linejoin", "round");
            case DIAMOND -> svg.empty("polygon", "points", "0,-7.5 7.5,0 0,7.5 -7.5,0", "fill", colour,
                    "stroke", "#ffffff", "stroke-width", "1");
            case SQUARE -> svg.empty("rect", "x", "-6", "y", "-6", "width", "12", "height", "12", "fill", colour,
                    "stroke", "#ffffff", "stroke-width", "1");
            case TRIANGLE -> svg.empty("polygon", "points", "0,-8 7,5 -7,5", "fill", colour, "stroke", "#ffffff",
                    "stroke-width", "1");
            case NONE -> { }
        }
    }

    private static double radius(Marker marker) {
        return switch (marker) {
            case DOT -> 3.5;
            case FILLED_CIRCLE -> 7.5;
            case HOLLOW_CIRCLE -> 7.5;
            case STAR -> 10;
            case DIAMOND, TRIANGLE -> 8;
            case SQUARE -> 7;
            case NONE -> 0;
        };
    }

    private static double gap(Marker marker) {
        return radius(marker) + 5;
    }

    private static String star(double outer, double inner) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            double r = i % 2 == 0 ? outer : inner;
            double angle = Math.PI / 5 * i - Math.PI / 2;
            points.append(i == 0 ? "" : " ").append(num(r * Math.cos(angle))).append(',').append(num(r * Math.sin(angle)));
        }
        return points.toString();
    }

    private static Placement placeSeriesLabel(Series series, String[] lines, Frame frame, LabelLayout layout) {
        PlotPoint anchor = series.points().getLast();
        double height = lines.length * LABEL_LINE + 2 * LABEL_PAD;
        return layout.placeSeriesLabel(frame.px(anchor.costPerRequestUsd()), frame.py(anchor.quality()),
                labelWidth(lines), height, gap(series.marker()));
    }

    /** A thin line from a label nudged off its point back to the point, starting at the marker's edge. */
    private static void drawLeader(SvgDocument svg, Series series, Placement placed, String colour, Frame frame) {
        PlotPoint anchor = series.points().getLast();
        double ax = frame.px(anchor.costPerRequestUsd());
        double ay = frame.py(anchor.quality());
        Box box = placed.box();
        if (Math.abs(box.centerY() - ay) <= box.height() / 2) {
            return;
        }
        double ex = placed.leftOfAnchor() ? box.right() : box.x();
        double ey = Math.clamp(ay, box.y() + 3, box.bottom() - 3);
        double length = Math.hypot(ex - ax, ey - ay);
        double skip = Math.min(radius(series.marker()) + 1, length);
        svg.empty("line", "class", "leader", "x1", num(ax + (ex - ax) * skip / length), "y1", num(ay + (ey - ay) * skip / length),
                "x2", num(ex), "y2", num(ey), "stroke", colour, "stroke-width", "0.8", "stroke-opacity", "0.8");
    }

    private static void drawSeriesLabel(SvgDocument svg, String[] lines, Placement placed, String colour) {
        Box box = placed.box();
        svg.empty("rect", "x", num(box.x()), "y", num(box.y()), "width", num(box.width()), "height", num(box.height()),
                "fill", "#ffffff", "fill-opacity", "0.85");
        double textX = placed.leftOfAnchor() ? box.right() - LABEL_PAD : box.x() + LABEL_PAD;
        svg.lines(lines, textX, box.y() + LABEL_PAD + 11.5, LABEL_LINE, "class", "series-label",
                "font-size", num(LABEL_FONT), "fill", darker(colour),
                "text-anchor", placed.leftOfAnchor() ? "end" : "start");
    }

    /** Point notes such as thresholds, only where they fit after every series label is placed. */
    private static void drawNotes(SvgDocument svg, Series series, String colour, Frame frame, LabelLayout layout) {
        for (PlotPoint p : series.points()) {
            if (p.label() == null || p.label().isBlank()) {
                continue;
            }
            double width = LabelLayout.textWidth(p.label(), NOTE_FONT);
            Optional<Placement> placed = layout.placeNote(frame.px(p.costPerRequestUsd()), frame.py(p.quality()),
                    width, NOTE_FONT + 2, radius(series.marker()) + 2);
            placed.ifPresent(at -> {
                Box box = at.box();
                svg.lines(new String[] {p.label()}, at.leftOfAnchor() ? box.right() : box.x(), box.y() + NOTE_FONT,
                        NOTE_FONT, "class", "point-label", "font-size", num(NOTE_FONT), "fill", darker(colour),
                        "text-anchor", at.leftOfAnchor() ? "end" : "start");
            });
        }
    }

    private String tooltip(String name, PlotPoint p) {
        String at = p.label() == null ? "" : " " + p.label();
        return name + at + ": $" + BigDecimal.valueOf(p.costPerRequestUsd()).round(SIGNIFICANT).toPlainString()
                + " per request, quality " + BigDecimal.valueOf(p.quality()).round(SIGNIFICANT).toPlainString();
    }

    private static String colour(int index) {
        return PALETTE.get(index % PALETTE.size());
    }

    /** Text in the series' hue but darker, so orange and sky blue still read on white. */
    private static String darker(String colour) {
        int rgb = Integer.parseInt(colour.substring(1), 16);
        int r = (int) (((rgb >> 16) & 0xff) * 0.72);
        int g = (int) (((rgb >> 8) & 0xff) * 0.72);
        int b = (int) ((rgb & 0xff) * 0.72);
        return String.format("#%02x%02x%02x", r, g, b);
    }

    /** Splits a long name before its parenthesis (or at the space nearest the middle) into two lines. */
    static String[] wrap(String name) {
        if (name.length() <= WRAP_AT) {
            return new String[] {name};
        }
        int cut = name.lastIndexOf(" (");
        if (cut <= 0) {
            int middle = name.length() / 2;
            int before = name.lastIndexOf(' ', middle);
            int after = name.indexOf(' ', middle);
            cut = before < 0 ? after : after < 0 ? before : (middle - before <= after - middle ? before : after);
        }
        if (cut <= 0) {
            return new String[] {name};
        }
        return new String[] {name.substring(0, cut), name.substring(cut + 1)};
    }

    private static double labelWidth(String[] lines) {
        double width = 0;
        for (String line : lines) {
            width = Math.max(width, LabelLayout.textWidth(line, LABEL_FONT));
        }
        return width + 2 * LABEL_PAD;
    }

    private static String money(BigDecimal tick, int decimals) {
        return tick.signum() == 0 ? "$0" : "$" + tick.setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String num(double value) {
        return SvgDocument.number(value);
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }
}
