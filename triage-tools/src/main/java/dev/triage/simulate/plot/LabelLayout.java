package dev.triage.simulate.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds room for labels: each goes beside its anchor, or is nudged up and down until it overlaps
 * neither an earlier label nor a drawn mark (marker, stretch of curve).
 *
 * <p>Text is measured by estimate, since there are no font metrics here; the per-character widths
 * lean wide (DejaVu Sans, the usual fallback for sans-serif, is wider than Helvetica) so that boxes
 * cover their text.
 */
final class LabelLayout {

    /** An axis-aligned rectangle in page pixels, y down. */
    record Box(double x, double y, double width, double height) {

        double right() {
            return x + width;
        }

        double bottom() {
            return y + height;
        }

        double centerY() {
            return y + height / 2;
        }

        boolean intersects(Box other) {
            return x < other.right() && other.x < right() && y < other.bottom() && other.y < bottom();
        }

        boolean within(Box bounds) {
            return x >= bounds.x && y >= bounds.y && right() <= bounds.right() && bottom() <= bounds.bottom();
        }
    }

    /** Where a label went; {@code leftOfAnchor} labels end at their box's right edge. */
    record Placement(Box box, boolean leftOfAnchor) {}

    /** Half-height nudges tried on the right before a label moves to the left of its point. */
    static final int PREFERRED_NUDGES = 4;

    private final Box bounds;
    private final List<Box> labels = new ArrayList<>();
    private final List<Box> marks = new ArrayList<>();

    LabelLayout(Box bounds) {
        this.bounds = bounds;
    }

    /** Keeps labels off a mark of the given radius. */
    void blockMark(double x, double y, double radius) {
        marks.add(new Box(x - radius, y - radius, 2 * radius, 2 * radius));
    }

    /** Keeps labels off the segment from (x1, y1) to (x2, y2), sampled every few pixels. */
    void blockSegment(double x1, double y1, double x2, double y2) {
        double length = Math.hypot(x2 - x1, y2 - y1);
        int samples = Math.max(1, (int) Math.ceil(length / 3));
        for (int i = 0; i <= samples; i++) {
            double t = (double) i / samples;
            blockMark(x1 + t * (x2 - x1), y1 + t * (y2 - y1), 1.5);
        }
    }

    /**
     * Places a series label of the given size beside (x, y), {@code gap} pixels clear of it: to the
     * right, nudged up or down in half-height steps up to {@value #PREFERRED_NUDGES} steps, then the
     * same on the left, then further nudges on either side. A label that can dodge the other labels but
     * not the marks still goes in, over the marks; one that can dodge nothing sits to the right of its
     * anchor.
     */
    Placement placeSeriesLabel(double x, double y, double width, double height, double gap) {
        double step = height / 2;
        int maxSteps = (int) Math.ceil(bounds.height() / step);
        for (boolean avoidMarks : new boolean[] {true, false}) {
            for (int[] range : new int[][] {{0, PREFERRED_NUDGES}, {PREFERRED_NUDGES + 1, maxSteps}}) {
                for (boolean left : new boolean[] {false, true}) {
                    for (int k = range[0]; k <= range[1]; k++) {
                        for (int sign : k == 0 ? new int[] {1} : new int[] {-1, 1}) {
                            double top = y - height / 2 + sign * k * step;
                            Box box = new Box(left ? x - gap - width : x + gap, top, width, height);
                            if (free(box, avoidMarks)) {
                                return take(new Placement(box, left));
                            }
                        }
                    }
                }
            }
        }
        double top = Math.clamp(y - height / 2, bounds.y(), bounds.bottom() - height);
        return take(new Placement(new Box(x + gap, top, width, height), false));
    }

    /** Places a small note above, below, right or left of (x, y), or nowhere if all four are taken. */
    Optional<Placement> placeNote(double x, double y, double width, double height, double gap) {
        List<Placement> candidates = List.of(
                new Placement(new Box(x - width / 2, y - gap - height, width, height), false),
                new Placement(new Box(x - width / 2, y + gap, width, height), false),
                new Placement(new Box(x + gap, y - height / 2, width, height), false),
                new Placement(new Box(x - gap - width, y - height / 2, width, height), true));
        for (Placement candidate : candidates) {
            if (free(candidate.box(), true)) {
                return Optional.of(take(candidate));
            }
        }
        return Optional.empty();
    }

    private boolean free(Box box, boolean avoidMarks) {
        if (!box.within(bounds)) {
            return false;
        }
        for (Box label : labels) {
            if (label.intersects(box)) {
                return false;
            }
        }
        if (avoidMarks) {
            for (Box mark : marks) {
                if (mark.intersects(box)) {
                    return false;
                }
            }
        }
        return true;
    }

    private Placement take(Placement placement) {
        labels.add(placement.box());
        return placement;
    }

    /** Estimated width of {@code text} at {@code fontSize} pixels. */
    static double textWidth(String text, double fontSize) {
        double ems = 0;
        for (int i = 0; i < text.length(); i++) {
            ems += charWidth(text.charAt(i));
        }
        return ems * fontSize;
    }

    private static double charWidth(char c) {
        if ("ijl|.,:;'!".indexOf(c) >= 0) {
            return 0.32;
        }
        if ("frtI()[] -".indexOf(c) >= 0) {
            return 0.42;
        }
        if ("mwMW@%".indexOf(c) >= 0) {
            return 0.95;
        }
        if (Character.isUpperCase(c)) {
            return 0.74;
        }
        if (Character.isDigit(c)) {
            return 0.64;
        }
        return 0.62;
    }
}
